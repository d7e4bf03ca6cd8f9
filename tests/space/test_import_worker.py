"""The occupancy import runs in the worker (issue 23): the page stores the upload (Django's storage) with a job
of the outbox and follows its progress; the worker reads the file within the shared reader's limits, checks
every row and writes all or none. The files that once gave 500 or grew a worker to 1.9 GB are each refused
with their error; a job run twice does nothing more; a late import says so and can be tried again."""

import datetime
import io
import json
import subprocess
import sys
import textwrap

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from projects import imports as reader
from projects import outbox
from projects.models import FileImport, Job, Role
from projects.services import file_import_run
from projects.tasks import job_run
from space import imports
from space.models import Observation
from tests.factories import MembershipFactory
from tests.projects.test_imports import BILLION_LAUGHS, _huge_cell_xlsx, repack, workbook
from tests.space.test_mapping import small_study

pytestmark = pytest.mark.django_db

HEADER = "dato;time;sone;opptatt;midlertidig borte;ledig;personer"
GOOD = "\n".join([HEADER, "03.02.2027;08:00;Øst;7;1;2;", "03.02.2027;08:00;Møterom;;;;5"]).encode()


@pytest.fixture
def study(doc_project):
    _wp, study, _zones, _units = small_study(doc_project)
    return study


def page_url(study):
    return reverse("space:study_import", args=[study.project_id, study.pk])


def upload(client, study, content, name="runder.csv", run=True):
    """Upload through the page; with `run`, the job queued on commit runs (the worker's task, eager in tests)."""
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    with TestCase.captureOnCommitCallbacks(execute=run):
        response = client.post(page_url(study), {"upload": file})
    assert response.status_code == 302, response.content.decode()[:500]
    return FileImport.objects.get(pk=FileImport.objects.latest("pk").pk)


@pytest.fixture
def owner(client, doc_project):
    client.force_login(doc_project.owner)
    return doc_project.owner


def test_the_upload_waits_in_the_storage_the_worker_imports_it_and_the_page_follows(client, owner, study):
    before = Observation.objects.count()
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        response = client.post(page_url(study), {"upload": SimpleUploadedFile("runder.csv", GOOD)})
    assert response.status_code == 302
    file_import = FileImport.objects.get()
    assert file_import.status == FileImport.Status.PENDING and file_import.name == "runder.csv"
    stored = file_import.file.name
    assert default_storage.exists(stored)  # kept through Django's storage, not the request
    assert Job.objects.get(key=f"import:{file_import.pk}").state == Job.State.PENDING
    assert Observation.objects.count() == before
    page = client.get(page_url(study)).content.decode()
    assert 'hx-trigger="every 2s"' in page and "runder.csv venter på å bli lest" in page
    for callback in callbacks:  # the wake-up: the worker runs the job
        callback()
    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.DONE and file_import.rows_written == 2
    assert file_import.rows_total == 2 and Observation.objects.count() == before + 2
    assert not file_import.file and not default_storage.exists(stored)  # the file is gone with its outcome
    page = client.get(page_url(study)).content.decode()
    assert "hx-trigger" not in page and "runder.csv: 2 rader importert." in page
    assert reverse("space:study", args=[study.project_id, study.pk]) in page
    fragment = client.get(reverse("projects:file_import", args=[study.project_id, file_import.pk]))
    assert fragment.status_code == 200 and "2 rader importert" in fragment.content.decode()


def test_a_job_run_twice_does_nothing_more(client, owner, study):
    file_import = upload(client, study, GOOD)
    count = Observation.objects.count()
    job = Job.objects.get(key=f"import:{file_import.pk}")
    assert job.state == Job.State.DONE
    assert outbox.run(job.pk) == "skipped"  # a late duplicate wake-up
    file_import_run(import_id=file_import.pk)  # the handler itself, again
    Job.objects.filter(pk=job.pk).update(state=Job.State.PENDING)  # a redelivered message
    assert outbox.run(job.pk) == "done"
    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.DONE and file_import.rows_written == 2
    assert Observation.objects.count() == count


def test_every_bad_row_is_listed_and_nothing_is_written(client, owner, study):
    before = Observation.objects.count()
    rows = [HEADER, "03.02.2027;08:00;Øst;4;0;6;"] + [f"03.02.2027;{h:02d}:00;Kantina;1;0;;" for h in range(8, 18)]
    file_import = upload(client, study, "\n".join(rows).encode())
    assert file_import.status == FileImport.Status.REFUSED and file_import.problem_count == 10
    assert [p["row"] for p in file_import.problems] == list(range(3, 13))
    assert Observation.objects.count() == before
    page = client.get(page_url(study)).content.decode()
    assert "Ingenting ble importert: runder.csv har 10 feil." in page and "<td>12</td><td>C (sone)</td>" in page


def _nan_xlsx():
    """A workbook with the template's header and a number cell that holds NaN (openpyxl cannot read it)."""
    cells = "".join(
        f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>' for c, h in zip("ABCD", imports.HEADERS, strict=False)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{cells}</row><row r="2"><c r="D2"><v>NaN</v></c></row></sheetData></worksheet>'
    )
    return repack(workbook([["x"]]), {"xl/worksheets/sheet1.xml": sheet.encode()})


def _dtd_xlsx():
    content = workbook([imports.HEADERS, ["03.02.2027", "08:00", "Øst", 1]])
    sheet = repack(content, {})  # unchanged, then the sheet with an entity in a DTD
    import zipfile

    with zipfile.ZipFile(io.BytesIO(sheet)) as z:
        body = z.read("xl/worksheets/sheet1.xml").split(b"?>", 1)[-1]
    return repack(content, {"xl/worksheets/sheet1.xml": BILLION_LAUGHS + body.replace(b"dato", b"&lol3;")})


LIMIT_FILES = {
    # 18 MB, 850 000 rows: refused by the row limit from its lines, before a row is parsed
    "850 000 rows": (
        "runder.csv",
        lambda: (HEADER + "\n").encode() + b"03.02.2027;8;Vest;3;1;\n" * 850_000,
        "850,001 lines; at most 100,000 rows are read",
    ),
    # 300 KB that unpacks to 190 MB in one cell: refused by the cell's reference, never held in memory
    "one huge cell": ("runder.xlsx", lambda: _huge_cell_xlsx(190 * reader.MB, shared=True), "The cell B2 holds more"),
    "NaN in a number cell": ("runder.xlsx", _nan_xlsx, "Row 2 cannot be read"),
    "NaN as a count": ("runder.csv", lambda: (HEADER + "\n03.02.2027;08:00;Øst;NaN;0;;\n").encode(), "not a number"),
    "a DTD with entities": ("runder.xlsx", _dtd_xlsx, "document type declaration (DTD) or entities"),
    "a CSV cell over 128 KB": (
        "runder.csv",
        lambda: (HEADER + "\n03.02.2027;08:00;Øst;").encode() + b"9" * (129 * 1024) + b";0;;\n",
        "a cell is longer than 128 KB",
    ),
}


@pytest.mark.parametrize("case", LIMIT_FILES)
def test_each_file_over_a_limit_answers_with_its_error_and_no_500(client, owner, study, case):
    owner.preferred_language = "en"  # the worker writes the problems in the language of who uploaded the file
    owner.save()
    name, make, message = LIMIT_FILES[case]
    content = make()
    before = Observation.objects.count()
    file_import = upload(client, study, content, name)
    assert file_import.status == FileImport.Status.REFUSED, file_import.problems
    assert message in " ".join(p["message"] for p in file_import.problems)
    assert Observation.objects.count() == before and not file_import.file
    response = client.get(page_url(study))
    assert response.status_code == 200 and message in response.content.decode()


def test_a_file_too_large_or_of_another_type_is_refused_at_the_upload(client, owner, study):
    response = client.post(page_url(study), {"upload": SimpleUploadedFile("runder.txt", GOOD)})
    assert response.status_code == 400 and "Velg en CSV- eller XLSX-fil" in response.content.decode()
    big = SimpleUploadedFile("runder.csv", b"x" * (20 * reader.MB + 1))
    response = client.post(page_url(study), {"upload": big})
    assert response.status_code == 400 and "20 MB" in response.content.decode()
    assert not FileImport.objects.exists() and not Job.objects.filter(kind="imports.run").exists()


# The largest resident size of this process's memory (VmHWM): getrusage's ru_maxrss would also count the
# parent's (pytest's) size at the fork, which Linux carries over exec.
MEASURE = textwrap.dedent(
    """
    import json, re, sys
    import django

    def high_water_kb():
        with open("/proc/self/status") as f:
            return int(re.search(r"VmHWM:\\s+(\\d+) kB", f.read()).group(1))

    django.setup()
    from projects import imports
    from projects.models import FileImport
    import space.imports  # the importer
    before = high_water_kb()
    name = sys.argv[2]
    file_import = FileImport(kind="space.observations", name=name, target={})
    try:
        with open(sys.argv[1], "rb") as f:
            imports.check(file_import, f)
        message = ""
    except imports.ImportFailed as exc:
        message = " ".join(p.message for p in exc.problems)
    after = high_water_kb()
    print(json.dumps({"before_kb": before, "max_kb": after, "message": message}))
    """
)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("runder.xlsx", lambda: _huge_cell_xlsx(190 * reader.MB, shared=True)),
        ("runder.xlsx", lambda: _huge_cell_xlsx(190 * reader.MB, shared=False)),
        ("runder.csv", LIMIT_FILES["850 000 rows"][1]),
    ],
)
def test_the_worker_reads_a_300_kb_bomb_and_an_18_mb_file_in_less_than_300_mb(tmp_path, name, make):
    """The worker's own reading of the file (the job's first step), in a process of its own: its largest
    resident size, Django and the app loaded, stays under 300 MB (the 1.9 GB of issue 23 came from openpyxl
    holding the one cell)."""
    path = tmp_path / name
    path.write_bytes(make())
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), name],
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "LANGUAGE": "en"},
        check=True,
    )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    assert measured["message"]  # refused with its error
    assert measured["max_kb"] < 300 * 1024, measured
    print(f"{name}: max RSS {measured['max_kb'] // 1024} MB (after setup {measured['before_kb'] // 1024} MB)")


def test_a_round_recorded_between_the_check_and_the_write_refuses_the_file(doc_project, study):
    from space import services as space

    file_import = FileImport(
        project=doc_project,
        kind=imports.KEY,
        target={"study_id": study.pk},
        name="r.csv",
        requested_by=doc_project.owner,
    )
    prepared = reader.check(file_import, io.BytesIO(GOOD))
    zone = study.zones.get(name="Øst")
    space.round_save(
        study=study, by=doc_project.owner, day=datetime.date(2027, 2, 3), hour=8, counts={zone.pk: {"occupied": 1}}
    )
    with pytest.raises(reader.ImportFailed) as exc:
        reader.write(file_import, prepared)
    assert [(p.row, p.column) for p in exc.value.problems] == [(2, "C (sone)")]
    assert Observation.objects.filter(date=datetime.date(2027, 2, 3)).count() == 1


def test_a_late_import_says_so_and_the_owner_tries_again(client, owner, study, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6390. Connection refused.")

    monkeypatch.setattr(job_run, "apply_async", refuse)  # the broker is down: the upload is kept all the same
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=5)):
        file_import = upload(client, study, GOOD)
    assert file_import.status == FileImport.Status.PENDING and default_storage.exists(file_import.file.name)
    page = client.get(page_url(study)).content.decode()
    assert "tar lengre tid enn vanlig" in page and "Prøv igjen" in page and 'hx-trigger="every 10s"' in page
    monkeypatch.undo()
    retry = reverse("projects:file_import_retry", args=[study.project_id, file_import.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(retry, {"next": page_url(study)}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="import-' in response.content.decode()
    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.DONE
    assert "runder.csv: 2 rader importert." in client.get(page_url(study)).content.decode()


def test_a_failed_import_keeps_its_file_and_can_be_tried_again(client, owner, study, monkeypatch):
    calls = []
    real = reader.check

    def broken(*args, **kwargs):
        calls.append(1)
        if len(calls) <= 3:
            raise RuntimeError("the storage did not answer")
        return real(*args, **kwargs)

    monkeypatch.setattr(reader, "check", broken)
    file_import = upload(client, study, GOOD)
    job = Job.objects.get(key=f"import:{file_import.pk}")
    for _ in range(2):  # the outbox tries again until its attempts are spent
        Job.objects.filter(pk=job.pk).update(run_after=timezone.now())
        outbox.run(job.pk)
    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.FAILED and default_storage.exists(file_import.file.name)
    page = client.get(page_url(study)).content.decode()
    assert "runder.csv kunne ikke leses" in page and "Prøv igjen" in page
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("projects:file_import_retry", args=[study.project_id, file_import.pk]))
    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.DONE and file_import.rows_written == 2


def test_only_those_who_may_import_follow_an_import(client, doc_project, study):
    file_import = FileImport.objects.create(
        project=doc_project,
        kind=imports.KEY,
        target={"study_id": study.pk},
        name="r.csv",
        requested_by=doc_project.owner,
    )
    url = reverse("projects:file_import", args=[doc_project.pk, file_import.pk])
    client.force_login(doc_project.safety_rep)
    assert client.get(url).status_code == 403
    outsider = MembershipFactory(role=Role.OWNER).user
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert (
        client.get(
            reverse("projects:file_import", args=[outsider.memberships.get().project_id, file_import.pk])
        ).status_code
        == 404
    )


def test_the_import_works_with_files_in_s3(client, owner, study, s3_storage):
    file_import = upload(client, study, GOOD, run=False)
    assert file_import.file.storage.__class__.__name__ == "S3Storage"
    file_import_run(import_id=file_import.pk)
    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.DONE and file_import.rows_written == 2
    xlsx = workbook([imports.HEADERS, [datetime.date(2027, 2, 4), 9, "Vest", 2, 0, None, None]])
    file_import = upload(client, study, xlsx, "runder.xlsx", run=False)
    file_import_run(import_id=file_import.pk)
    file_import.refresh_from_db()
    assert file_import.status == FileImport.Status.DONE and file_import.rows_written == 1
