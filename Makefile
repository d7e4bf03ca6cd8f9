# The two commands a newcomer needs: `make run` and `make test`. Both install what they need first.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
UV := python3 -m uv
PY := .venv/bin/python
MANAGE := $(PY) manage.py

.PHONY: help install run test lint bench load survey-load haproxy messages translations seed chromium libreoffice vnu vendor clean

help:
	@echo "make run    install, migrate, load demo data and start web, worker and beat on http://127.0.0.1:8000"
	@echo "make test   install, lint and run the whole test suite (browser tests included)"
	@echo "make bench  run the benchmarks"
	@echo "make load   load test through a balancer in front of two nodes (20 and 50 users, 60 s each)"
	@echo "make survey-load  500 respondents answer one survey within a minute (issue 25; PostgreSQL)"

.venv/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

install: .venv/.synced messages

# Compiled translations are built, not committed.
messages: .venv/.synced
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	@$(MANAGE) compilemessages --ignore=.venv -v0

# After changing user-facing text: refresh the .po files (no source locations, so that parallel work merges
# cleanly), then translate what is new in locale/nb, locale/nn and locale/en.
translations: .venv/.synced
	$(MANAGE) makemessages -l nb -l nn -l en --no-location --no-obsolete --ignore=.venv --ignore=var -v0

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_process_templates
	$(MANAGE) seed_demo
	.venv/bin/honcho start -f Procfile

seed: install
	$(MANAGE) seed_demo

# Playwright drives Debian's Chromium; `playwright install` cannot download a browser here.
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

# The export test opens the XLSX in LibreOffice (headless) to check that it reads the same rows.
libreoffice:
	@command -v soffice >/dev/null || (apt-get update -qq && apt-get install -y -qq libreoffice-calc-nogui)

# The Nu HTML Checker for the browser tests: vnu-jar from npm into var/vnu (ignored by git). Java runs it.
VNU_VERSION := 26.9.27
VNU_JAR := var/vnu/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR):
	@command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq default-jre-headless)
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)
	mkdir -p var/vnu && npm install --prefix var/vnu --no-audit --no-fund --ignore-scripts vnu-jar@$(VNU_VERSION)
vnu: $(VNU_JAR)

lint: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

test: install chromium libreoffice vnu lint
	.venv/bin/pytest

bench: install
	.venv/bin/python -m benchmarks

# The load test starts HAProxy in front of two gunicorn nodes (benchmarks/cluster_load.py); needs PostgreSQL
# (CLUSTER_PG, default postgres://postgres@127.0.0.1:5432), builds the 2 000 projects into cluster_load once.
haproxy:
	@command -v haproxy >/dev/null || (apt-get update -qq && apt-get install -y -qq haproxy)

load: install haproxy
	.venv/bin/python -m benchmarks.cluster_load

# Issue 25's load test: 500 respondents answer one survey within a minute (benchmarks/survey_load.py); needs
# PostgreSQL (SURVEY_LOAD_PG, default postgres://postgres@127.0.0.1:5432) and port 8660; prints the verdict.
SURVEY_LOAD_PG ?= postgres://postgres@127.0.0.1:5432
survey-load: install
	DEBUG=0 $(MANAGE) collectstatic --noinput -v0
	DATABASE_URL=$(SURVEY_LOAD_PG) .venv/bin/python -m benchmarks.survey_load

# Re-vendor the front-end files (run once by a developer; the result is committed).
vendor:
	bash static/vendor/update.sh

clean:
	rm -rf .venv var
