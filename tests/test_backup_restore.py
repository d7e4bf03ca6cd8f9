"""The backup of docs/deploy.md (pg_dump -Fc plus the files) restores into a working installation.

Against PostgreSQL only: a project with a generated PDF is committed, dumped, and its files copied: the media
folder archived, or with FILE_STORAGE=s3 every object under the installation's prefix copied out of the bucket
(what `rclone copy` does in docs/deploy.md). Both are restored into a throwaway database and a new folder or a
new prefix in the bucket; a fresh process migrates it, logs in through the log-in page, opens the project and
downloads the PDF, whose SHA-256 must still match the stored one.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from projects.models import Role
from projects.services import document_request
from tests.factories import PASSWORD, ProjectFactory, member
from tests.participation.conftest import prepare_steps

ROOT = Path(__file__).resolve().parents[1]

VERIFY = """
import django, hashlib, json, sys
django.setup()
from django.test import Client
from projects.models import GeneratedDocument, Project
email, project_id, document_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
c = Client(HTTP_HOST="localhost")
login = c.post("/account/login/", {"username": email, "password": sys.argv[4]})
project = Project.objects.get(pk=project_id)
page = c.get(project.get_absolute_url())
doc = GeneratedDocument.objects.get(pk=document_id)
download = c.get(f"/projects/{project_id}/documents/file/{document_id}/")
body = b"".join(download.streaming_content) if download.streaming else download.content
print(json.dumps({
    "login": login.status_code, "login_to": login.get("Location", ""),
    "page": page.status_code, "name_shown": project.name in page.content.decode(),
    "download": download.status_code, "stored_sha256": doc.sha256,
    "downloaded_sha256": hashlib.sha256(body).hexdigest(),
}))
"""


def run(args, **env):
    ours = ("DATABASE_URL", "MEDIA_ROOT", "DJANGO_SETTINGS_MODULE")
    clean = {k: v for k, v in os.environ.items() if k not in ours and not k.startswith(("FILE_STORAGE", "S3_"))}
    return subprocess.run(
        args, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(params=["local", "s3"])
def storage(request):
    """Where the files are kept: the media folder, or a bucket in the test's SeaweedFS S3 gateway."""
    return request.getfixturevalue("s3_storage") if request.param == "s3" else None


def backup_files(settings, seaweed, folder):
    """Copy every stored file out: the media folder as it is, or each object under the prefix."""
    if seaweed is None:
        shutil.copytree(settings.MEDIA_ROOT, folder)
        return
    options = settings.STORAGES["default"]["OPTIONS"]
    s3, prefix = seaweed.client(), options["location"] + "/"
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=options["bucket_name"], Prefix=prefix):
        for item in page.get("Contents", []):
            target = folder / item["Key"][len(prefix) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            s3.download_file(options["bucket_name"], item["Key"], str(target))


def restore_files(settings, seaweed, folder, tmp_path) -> dict:
    """Put the copied files back where a new installation reads them; its environment for them."""
    if seaweed is None:
        media = tmp_path / "restored-media"
        shutil.copytree(folder, media)
        return {"MEDIA_ROOT": str(media)}
    prefix = settings.STORAGES["default"]["OPTIONS"]["location"] + "-restored"
    s3, bucket = seaweed.client(), settings.STORAGES["default"]["OPTIONS"]["bucket_name"]
    for path in folder.rglob("*"):
        if path.is_file():
            s3.upload_file(str(path), bucket, f"{prefix}/{path.relative_to(folder)}")
    return {**seaweed.env(bucket=bucket, prefix=prefix), "MEDIA_ROOT": str(tmp_path / "unused-media")}


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_working_installation(steps_template, settings, tmp_path, storage):
    if connection.vendor != "postgresql":
        pytest.skip("the backup is pg_dump-based: DATABASE_URL must name PostgreSQL")
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump and pg_restore are not installed")

    project = ProjectFactory(name="Plan- og bygningsetaten flytter")
    owner = project.owner = member(project, Role.OWNER, full_name="Kari Eier")
    member(project, Role.SAFETY_REP)
    member(project, Role.UNION_REP)
    from phases import services as phase_services

    phase_services.process_start(project=project, template=steps_template, by=owner)
    prepare_steps(project)
    document = document_request(project=project, kind="participation-protocol", by=owner)
    document.refresh_from_db()
    assert document.status == document.Status.DONE
    with document.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == document.sha256

    # Backup: the database in pg_dump's custom format, then the files (the media folder or the bucket's objects)
    # into a folder kept as a tarball.
    db = connection.settings_dict
    server = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    dump, archive = tmp_path / "db.dump", tmp_path / "media.tar.gz"
    result = run(["pg_dump", "-Fc", "-f", str(dump), f"{server}/{db['NAME']}"])
    assert result.returncode == 0, result.stderr
    backup_files(settings, storage, tmp_path / "files")
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path / "files", arcname="files")

    # Restore into a throwaway database and a new folder or prefix, then migrate and use it from a fresh process.
    restored = f"restore_{os.getpid()}"
    unpacked = tmp_path / "restored"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    files_env = restore_files(settings, storage, unpacked / "files", tmp_path)
    assert run(["createdb", "-h", db["HOST"] or "127.0.0.1", "-U", db["USER"], restored]).returncode == 0
    try:
        result = run(["pg_restore", "--no-owner", "-d", f"{server}/{restored}", str(dump)])
        assert result.returncode == 0, result.stderr
        env = {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"{server}/{restored}",
            **files_env,
        }
        result = run([sys.executable, "manage.py", "migrate", "--noinput"], **env)
        assert result.returncode == 0, result.stderr
        result = run([sys.executable, "-c", VERIFY, owner.email, str(project.pk), str(document.pk), PASSWORD], **env)
        assert result.returncode == 0, result.stderr
        outcome = json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        run(["dropdb", "-h", db["HOST"] or "127.0.0.1", "-U", db["USER"], "--force", "--if-exists", restored])

    assert outcome["login"] == 302 and "/account/login/" not in outcome["login_to"]
    assert outcome["page"] == 200 and outcome["name_shown"]
    assert outcome["download"] == 200
    assert outcome["stored_sha256"] == document.sha256
    assert outcome["downloaded_sha256"] == document.sha256
