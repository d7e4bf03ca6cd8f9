"""Where uploaded files and generated PDFs are kept: `FILE_STORAGE` picks one of three places.

- `local` (the default, what `make run` uses): the folder `MEDIA_ROOT` on this machine. Right for one server.
- `s3`: a bucket in any S3-compatible object storage (Amazon S3, MinIO, Ceph, SeaweedFS, an S3 gateway in
  front of Azure Blob Storage), through django-storages. Needed as soon as more than one machine runs the
  web or the worker: every node then reads and writes the same files.
- `azure`: a container in Azure Blob Storage, through django-storages' Azure backend.

The application only uses Django's storage API (`FieldFile.save`, `.open`, `.delete`), never a path on disk,
so the code is the same for all three. Files are never public: no URL of the storage is handed out; every
download streams through a view that checks access first (`projects.uploads.file_download`).
"""

from django.core.exceptions import ImproperlyConfigured

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
KINDS = ("local", "s3", "azure")


def default_storage_from_env(env) -> dict:
    """The `STORAGES["default"]` entry for the environment's FILE_STORAGE (and its S3_… or AZURE_… settings)."""
    kind = env("FILE_STORAGE", default="local").strip().lower() or "local"
    if kind == "local":
        return dict(LOCAL)
    if kind == "s3":
        bucket = env("S3_BUCKET", default="")
        if not bucket:
            raise ImproperlyConfigured(
                "FILE_STORAGE=s3 needs S3_BUCKET (and usually S3_ENDPOINT_URL) in the environment."
            )
        from botocore.config import Config

        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                # Empty for Amazon S3 itself; the gateway's address for MinIO, Ceph, SeaweedFS or Azure's.
                "endpoint_url": env("S3_ENDPOINT_URL", default="") or None,
                "region_name": env("S3_REGION", default="") or None,
                # Without keys boto3 looks for credentials itself (an instance role, ~/.aws, AWS_… variables).
                "access_key": env("S3_ACCESS_KEY_ID", default="") or None,
                "secret_key": env("S3_SECRET_ACCESS_KEY", default="") or None,
                "location": env("S3_PREFIX", default="").strip("/"),  # a folder inside a shared bucket
                # path-style (https://host/bucket/key) works with every S3-compatible server; "virtual" for AWS.
                "addressing_style": env("S3_ADDRESSING_STYLE", default="path"),
                "signature_version": "s3v4",
                "verify": env.bool("S3_VERIFY_TLS", default=True),
                "default_acl": None,  # the bucket's own policy: private
                "querystring_auth": True,  # no public URLs; downloads stream through the application anyway
                "file_overwrite": False,  # a stored document never changes: a second file gets a new name
                "max_memory_size": 10 * 1024 * 1024,
                # A storage that does not answer fails a request (and /healthz) in seconds, not minutes.
                "client_config": Config(
                    connect_timeout=env.int("S3_CONNECT_TIMEOUT", default=5),
                    read_timeout=env.int("S3_READ_TIMEOUT", default=60),
                    retries={"max_attempts": 3, "mode": "standard"},
                ),
            },
        }
    if kind == "azure":
        account, container = env("AZURE_ACCOUNT_NAME", default=""), env("AZURE_CONTAINER", default="")
        connection_string = env("AZURE_CONNECTION_STRING", default="")
        if not container or not (account or connection_string):
            raise ImproperlyConfigured(
                "FILE_STORAGE=azure needs AZURE_CONTAINER and AZURE_ACCOUNT_NAME (with AZURE_ACCOUNT_KEY, or a "
                "managed identity) or AZURE_CONNECTION_STRING in the environment."
            )
        return {
            "BACKEND": "storages.backends.azure_storage.AzureStorage",
            "OPTIONS": {
                "azure_container": container,
                "account_name": account or None,
                "account_key": env("AZURE_ACCOUNT_KEY", default="") or None,
                "connection_string": connection_string or None,
                "location": env("AZURE_PREFIX", default="").strip("/"),
                "overwrite_files": False,
                "expiration_secs": None,
            },
        }
    raise ImproperlyConfigured(f"FILE_STORAGE must be one of {', '.join(KINDS)}, not {kind!r}.")
