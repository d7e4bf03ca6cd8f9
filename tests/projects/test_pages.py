"""What the project pages show, and that they run a fixed number of queries whatever the data size."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from projects import services
from projects.models import Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_my_projects_lists_only_mine_with_my_roles(client):
    me = UserFactory()
    mine = ProjectFactory(name="Mitt prosjekt")
    MembershipFactory(project=mine, user=me, role=Role.SAFETY_REP)
    MembershipFactory(project=mine, user=me, role=Role.MEMBER)
    ProjectFactory(name="Andres prosjekt")
    client.force_login(me)
    html = client.get(reverse("projects:mine")).content.decode()
    assert "Mitt prosjekt" in html
    assert "Andres prosjekt" not in html
    assert "Verneombud" in html
    assert "Arbeidsgruppemedlem" in html


def test_my_projects_paginates_at_50(client):
    me = UserFactory()
    for _ in range(51):
        MembershipFactory(user=me, role=Role.VIEWER)
    client.force_login(me)
    first = client.get(reverse("projects:mine"))
    assert len(first.context["page"].object_list) == 50
    assert len(client.get(reverse("projects:mine") + "?page=2").context["page"].object_list) == 1


@pytest.mark.parametrize("n", [3, 60])
def test_my_projects_query_count_is_fixed(client, django_assert_max_num_queries, n):
    me = UserFactory()
    names = [
        MembershipFactory(user=me, role=Role.OWNER, project__name=f"Mitt prosjekt {i:03d}").project.name
        for i in range(n)
    ]
    client.force_login(me)
    with django_assert_max_num_queries(17):  # +1: the bell's unread count
        page = client.get(reverse("projects:mine")).content.decode()
    assert sum(escape(name) in page for name in names) == min(n, 50)  # one page of 50


@pytest.mark.parametrize("n", [2, 40])
def test_project_overview_query_count_is_fixed(client, django_assert_max_num_queries, n):
    project = ProjectFactory()
    owner = member(project, Role.OWNER)
    for _ in range(n):
        services.membership_add(project=project, user=UserFactory(), role=Role.MEMBER, by=owner)
    client.force_login(owner)
    with django_assert_max_num_queries(21):  # +1 the bell, +1 the shared lessons for the current phase
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200


HEADCOUNT = "antall ansatte"


def _history_rows(project, owner, n, after_now=False):
    """`n` recorded changes of the project's headcount, written straight into its history table (the last one
    a day ago, or, `after_now`, all of them after the project's and its members' creation)."""
    from datetime import timedelta

    from django.utils import timezone

    from projects.models import Project

    historical = Project.history.model
    first = Project.history.filter(id=project.pk).order_by("history_id").first()
    fields = {f.attname: getattr(first, f.attname) for f in historical._meta.concrete_fields}
    del fields["history_id"]
    start = timezone.now() + timedelta(minutes=1) if after_now else timezone.now() - timedelta(days=1)
    rows = [
        historical(**{**fields, "headcount": i + 1, "history_type": "~", "history_user_id": owner.pk,
                      "history_date": start + timedelta(seconds=i)})
        for i in range(n)
    ]  # fmt: skip
    historical.objects.bulk_create(rows, batch_size=2000)


class RowsRead:
    """Counts the rows the database hands back to Django (every fetch of every cursor)."""

    def __init__(self, monkeypatch):
        from django.db.backends.utils import CursorWrapper

        self.rows = 0
        counter = self

        def fetchone(wrapper):
            row = wrapper.cursor.fetchone()
            counter.rows += row is not None
            return row

        def fetchmany(wrapper, size=None):
            rows = wrapper.cursor.fetchmany(size) if size else wrapper.cursor.fetchmany()
            counter.rows += len(rows)
            return rows

        def fetchall(wrapper):
            rows = wrapper.cursor.fetchall()
            counter.rows += len(rows)
            return rows

        monkeypatch.setattr(CursorWrapper, "fetchone", fetchone, raising=False)
        monkeypatch.setattr(CursorWrapper, "fetchmany", fetchmany, raising=False)
        monkeypatch.setattr(CursorWrapper, "fetchall", fetchall, raising=False)


def test_history_page_one_costs_the_same_for_100_and_10_000_rows(client, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    measured = {}
    for n in (100, 10_000):
        project = ProjectFactory(name=f"Prosjekt med {n} endringer")
        owner = member(project, Role.OWNER)
        _history_rows(project, owner, n)
        client.force_login(owner)
        url = reverse("projects:history", args=[project.pk])
        client.get(url)  # warm per-process caches
        with monkeypatch.context() as patch:
            rows = RowsRead(patch)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
        assert response.status_code == 200
        page = response.context["page"]
        assert len(page.object_list) == 50 and page.has_next and not page.has_previous
        headcounts = [e.changes[0] for e in page.object_list if e.changes and e.changes[0].field == HEADCOUNT]
        assert (headcounts[0].old, headcounts[0].new) == (str(n - 1), str(n))  # newest first, old → new
        measured[n] = (len(queries.captured_queries), rows.rows)
    assert measured[100] == measured[10_000], measured


class DatabaseWork:
    """What the database did, not only what it handed back: on SQLite its virtual machine's steps (counted
    per 100), on PostgreSQL the rows and index entries its scans read in this transaction."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.steps = 0

    def _pg_rows(self):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(c.oid)"
                " + pg_stat_get_xact_tuples_fetched(c.oid)), 0) FROM pg_class c"
                " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'i')"
            )
            return int(cursor.fetchone()[0])

    def __enter__(self):
        self.connection.ensure_connection()
        if self.connection.vendor == "sqlite":

            def step():
                self.steps += 1

            self.connection.connection.set_progress_handler(step, 100)
        else:
            self._start = self._pg_rows()
        return self

    def __exit__(self, *exc):
        if self.connection.vendor == "sqlite":
            self.connection.connection.set_progress_handler(None, 100)
        else:
            self.steps = self._pg_rows() - self._start


def _link(html, name):
    """The query of the history's link that carries `name` (older/newer), as the browser would send it."""
    import html as html_module
    import re

    found = re.search(rf'href="\?([^"]*\b{name}=[^"]*)"', html)
    return html_module.unescape(found.group(1)) if found else None


def test_history_pages_go_back_in_time_without_gaps(client):
    """Older changes page by page through the links, then back to the newest through "Nyere endringer"."""
    project = ProjectFactory()
    owner = member(project, Role.OWNER)
    _history_rows(project, owner, 120)
    client.force_login(owner)
    url = reverse("projects:history", args=[project.pk])
    seen, query, pages, shown = [], "", [], []
    for _number in (1, 2, 3):
        response = client.get(f"{url}?{query}")
        html = response.content.decode()
        pages.append(html)
        shown.append([(e.when, e.subject) for e in response.context["page"].object_list])
        changes = [e.changes[0] for e in response.context["page"].object_list if e.changes]
        seen += [int(c.new) for c in changes if c.field == HEADCOUNT]
        query = _link(html, "older")
        if query is None:
            break
    assert seen == list(range(120, 0, -1))[: len(seen)] and len(seen) >= 119
    assert "Nyere endringer" in pages[1] and "Eldre endringer" in pages[1] and "Side 2" in pages[1]
    newer = client.get(f"{url}?{_link(pages[2], 'newer')}")
    assert [(e.when, e.subject) for e in newer.context["page"].object_list] == shown[1]  # page 2 again
    assert "Side 2" in newer.content.decode()
    newest = client.get(f"{url}?{_link(newer.content.decode(), 'newer')}")
    assert [(e.when, e.subject) for e in newest.context["page"].object_list] == shown[0]  # page 1 again
    assert "Nyere endringer" not in newest.content.decode()  # the top: nothing newer
    garbled = client.get(url, {"older": "not-a-cursor", "page": "7"}).context["page"]
    assert [(e.when, e.subject) for e in garbled.object_list] == shown[0] and garbled.number == 1


def test_history_pages_of_two_projects_list_each_change_of_every_kind_once(client):
    """Changes of the project and of its members, interleaved, over two pages: each is listed once, newest
    first, through "Eldre endringer" and back through "Nyere endringer"; neither project shows the other's."""
    worlds = []
    for name in ("Første", "Andre"):
        project = ProjectFactory(name=name)
        worlds.append((project, member(project, Role.OWNER), []))
    for i in range(30):
        for project, owner, done in worlds:
            services.project_update(project=project, by=owner, headcount=i + 1)
            done.append(("Prosjekt", [str(i + 1)]))
            person = UserFactory(full_name=f"{project.name} {i}")
            services.membership_add(project=project, user=person, role=Role.MEMBER, by=owner)
            done.append((f"Medlem: {project.name} {i}", []))
    for project, owner, done in worlds:
        client.force_login(owner)
        url = reverse("projects:history", args=[project.pk])

        def entries(query, url=url):
            response = client.get(f"{url}?{query}")
            shown = [(e.subject, [c.new for c in e.changes]) for e in response.context["page"].object_list]
            return shown, response.content.decode()

        first, html = entries("")
        second, older_html = entries(_link(html, "older"))
        assert (first + second)[:60] == done[::-1]
        assert entries(_link(older_html, "newer"))[0] == first


def test_a_history_source_that_reads_more_than_the_projects_key_still_lists_its_changes(client, monkeypatch):
    """The keys query is compiled once for every project from each source's rows of a stand-in project key; a
    source that reads more of the project (its name here) is compiled for each page instead."""
    from projects import extensions, history
    from projects.models import Project

    monkeypatch.setattr(history, "_COMPILED", {})
    source = history.HistorySource(
        lambda p: history.history_of(Project).filter(name=p.name), lambda r: f"Navnet {r.name}"
    )
    with extensions.registered("history_source", source):
        for name in ("Flytting", "Ombygging"):
            project = ProjectFactory(name=name)
            client.force_login(member(project, Role.OWNER))
            html = client.get(reverse("projects:history", args=[project.pk])).content.decode()
            assert f"Navnet {name}" in html and html.count("Navnet ") == 1
    assert source not in history.sources()


def test_a_deep_history_page_costs_what_page_1_costs(client, monkeypatch):
    """Page 100 of a 10 000-row history is read from its cursor (keyset), not by skipping 4 950 rows: the
    same queries, the same rows handed back, and no more work in the database than page 1."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = ProjectFactory(name="Prosjekt med 10 000 endringer")
    owner = member(project, Role.OWNER)
    _history_rows(project, owner, 10_000, after_now=True)  # so page 1, like page 100, holds headcount changes only
    with connection.cursor() as cursor:  # planner statistics, as the database keeps them after such a change
        cursor.execute("ANALYZE")
    client.force_login(owner)
    url = reverse("projects:history", args=[project.pk])
    query, html = "", ""
    for _number in range(99):
        html = client.get(f"{url}?{query}").content.decode()
        query = _link(html, "older")
    measured = {}
    for name, page_query in (("page 1", ""), ("page 100", query)):
        client.get(f"{url}?{page_query}")  # warm per-process caches
        with monkeypatch.context() as patch:
            rows = RowsRead(patch)
            with CaptureQueriesContext(connection) as queries, DatabaseWork() as work:
                response = client.get(f"{url}?{page_query}")
        page = response.context["page"]
        assert page.has_next and len(page.object_list) == 50
        measured[name] = (len(queries.captured_queries), rows.rows, work.steps)
        if name == "page 100":
            assert "Side 100" in response.content.decode()
            assert page.object_list[0].changes[0].new == str(10_000 - 99 * 50)  # 99 pages of 50 before it, no gap
    assert measured["page 1"][:2] == measured["page 100"][:2], measured
    assert measured["page 100"][2] <= 1.5 * measured["page 1"][2] + 50, measured


def test_overview_shows_facts_members_and_recent_history(client):
    project = ProjectFactory(name="Flytting", headcount=42, address="Rådhusgaten 10")
    owner = member(project, Role.OWNER, full_name="Kari Eier")
    rep = UserFactory(full_name="Siri Verne")
    services.membership_add(project=project, user=rep, role=Role.SAFETY_REP, by=owner)
    client.force_login(owner)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Rådhusgaten 10" in html
    assert "42" in html
    assert "Siri Verne" in html
    assert "Verneombud" in html
    assert "Medlem: Siri Verne" in html  # the recent history entry


def test_coordinator_sees_any_project_but_cannot_edit(client):
    from tests.factories import coordinator

    project = ProjectFactory()
    client.force_login(coordinator())
    assert client.get(project.get_absolute_url()).status_code == 200
    assert client.post(reverse("projects:edit", args=[project.pk]), {"name": "x"}).status_code == 403


def test_history_records_unit_changes(client):
    from tests.factories import OrgUnitFactory

    project = ProjectFactory()
    owner = member(project, Role.OWNER)
    unit = OrgUnitFactory(name="Seksjon for arkiv")
    services.project_update(project=project, by=owner, units=[unit])
    services.project_update(project=project, by=owner, units=[])
    client.force_login(owner)
    html = client.get(reverse("projects:history", args=[project.pk])).content.decode()
    assert html.count("Enhet: Seksjon for arkiv") == 2
