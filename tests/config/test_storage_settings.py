"""FILE_STORAGE picks where files are kept: the local folder by default, an S3 bucket or an Azure container."""

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured

from config.storage import default_storage_from_env
from tests.config.test_settings import PRODUCTION_ENV, run_manage

STORAGE_VARIABLES = [
    "FILE_STORAGE", "S3_BUCKET", "S3_ENDPOINT_URL", "S3_REGION", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY",
    "S3_PREFIX", "S3_ADDRESSING_STYLE", "S3_VERIFY_TLS", "AZURE_ACCOUNT_NAME", "AZURE_ACCOUNT_KEY",
    "AZURE_CONTAINER", "AZURE_CONNECTION_STRING", "AZURE_PREFIX",
]  # fmt: skip


@pytest.fixture
def storage_env(monkeypatch):
    for name in STORAGE_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def configure(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        return default_storage_from_env(environ.Env())

    return configure


def test_files_stay_in_the_local_folder_unless_told_otherwise(storage_env):
    assert storage_env() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storage_env(FILE_STORAGE="local")["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_s3_names_the_bucket_the_endpoint_and_the_keys_and_never_overwrites(storage_env):
    config = storage_env(
        FILE_STORAGE="s3", S3_BUCKET="prosessguiden", S3_ENDPOINT_URL="https://s3.kommune.no",
        S3_ACCESS_KEY_ID="key", S3_SECRET_ACCESS_KEY="secret", S3_REGION="eu-north-1", S3_PREFIX="/prod/",
    )  # fmt: skip
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert options["bucket_name"] == "prosessguiden"
    assert options["endpoint_url"] == "https://s3.kommune.no"
    assert (options["access_key"], options["secret_key"], options["region_name"]) == ("key", "secret", "eu-north-1")
    assert options["location"] == "prod"
    assert options["file_overwrite"] is False
    assert options["default_acl"] is None
    assert options["addressing_style"] == "path"


def test_s3_on_amazon_may_leave_endpoint_and_keys_to_boto3(storage_env):
    options = storage_env(FILE_STORAGE="s3", S3_BUCKET="prosessguiden", S3_ADDRESSING_STYLE="virtual")["OPTIONS"]
    assert options["endpoint_url"] is None and options["access_key"] is None and options["secret_key"] is None
    assert options["addressing_style"] == "virtual"


def test_azure_names_the_container_and_the_account(storage_env):
    config = storage_env(
        FILE_STORAGE="azure", AZURE_ACCOUNT_NAME="kommune", AZURE_ACCOUNT_KEY="a2V5", AZURE_CONTAINER="pg"
    )
    assert config["BACKEND"] == "storages.backends.azure_storage.AzureStorage"
    assert config["OPTIONS"]["azure_container"] == "pg"
    assert (config["OPTIONS"]["account_name"], config["OPTIONS"]["account_key"]) == ("kommune", "a2V5")
    assert config["OPTIONS"]["overwrite_files"] is False


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"FILE_STORAGE": "s3"}, "S3_BUCKET"),
        ({"FILE_STORAGE": "azure", "AZURE_ACCOUNT_NAME": "kommune"}, "AZURE_CONTAINER"),
        ({"FILE_STORAGE": "ftp"}, "FILE_STORAGE must be one of local, s3, azure"),
    ],
)
def test_incomplete_storage_settings_are_refused_by_name(storage_env, values, named):
    with pytest.raises(ImproperlyConfigured, match=named):
        storage_env(**values)


def test_production_starts_with_s3_and_refuses_it_without_a_bucket():
    s3 = {**PRODUCTION_ENV, "FILE_STORAGE": "s3", "S3_BUCKET": "prosessguiden", "S3_ENDPOINT_URL": "http://127.0.0.1:1"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=s3)
    assert result.returncode == 0, result.stderr + result.stdout
    result = run_manage("check", env={**s3, "S3_BUCKET": ""})
    assert result.returncode != 0 and "FILE_STORAGE=s3 needs S3_BUCKET" in result.stderr


def test_the_storage_backends_load(storage_env):
    """The configured classes exist with these options (django-storages and its S3 and Azure extras)."""
    from django.utils.module_loading import import_string

    s3 = storage_env(FILE_STORAGE="s3", S3_BUCKET="prosessguiden", S3_ENDPOINT_URL="http://127.0.0.1:1")
    assert import_string(s3["BACKEND"])(**s3["OPTIONS"]).bucket_name == "prosessguiden"
    azure = storage_env(
        FILE_STORAGE="azure", AZURE_CONNECTION_STRING="UseDevelopmentStorage=true", AZURE_CONTAINER="pg"
    )
    assert import_string(azure["BACKEND"])(**azure["OPTIONS"]).azure_container == "pg"
