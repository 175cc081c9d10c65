import pytest

from cases.tests.factories import case_world, new_case
from core.testing import evidence_dir, key_dir  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _store(evidence_dir, key_dir):  # noqa: F811
    """Every records test stores files in a fresh temporary store and signs with temporary keys."""
    return evidence_dir


@pytest.fixture
def world(db):
    return case_world()


@pytest.fixture
def case(world):
    return new_case(world)


# ----------------------------------------------------------------------------- S3 on loopback

import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from django.conf import settings as django_settings  # noqa: E402

S3RVER = Path(django_settings.BASE_DIR) / ".tools" / "node_modules" / "s3rver" / "bin" / "s3rver.js"
BUCKET = "zhifa-evidence"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def s3rver_endpoint(tmp_path_factory):
    """A real S3-compatible server (s3rver, DEPENDENCIES.md §3.5) on a free loopback port."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("S3 tests need Node.js (node) for s3rver; install nodejs, then ./run install")
    if not S3RVER.exists():
        pytest.fail(
            f"s3rver is not installed at {S3RVER}: run ./run install (npm install --prefix .tools s3rver)"
        )
    port = _free_port()
    data = tmp_path_factory.mktemp("s3rver")
    proc = subprocess.Popen(
        [
            node,
            str(S3RVER),
            "-d",
            str(data),
            "-a",
            "127.0.0.1",
            "-p",
            str(port),
            "--silent",
            "--configure-bucket",
            BUCKET,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                pytest.fail(f"s3rver did not start on port {port}: {err[-500:]}")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def s3_evidence(s3rver_endpoint, settings, tmp_path):
    """The `evidence` storage on s3rver through django-storages (as config/settings/prod.py does),
    with a fresh key prefix per test; chunked-upload spools on local disk."""
    prefix = f"t{time.monotonic_ns()}"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3rver_endpoint,
                "access_key": "S3RVER",
                "secret_key": "S3RVER",
                "region_name": "us-east-1",
                "addressing_style": "path",
                "file_overwrite": False,
                "max_memory_size": 1024 * 1024,
                "location": prefix,
            },
        },
    }
    settings.ZHIFA_UPLOAD_DIR = str(tmp_path / "uploads")
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3rver_endpoint,
        aws_access_key_id="S3RVER",
        aws_secret_access_key="S3RVER",
        region_name="us-east-1",
    )
    return {"client": client, "bucket": BUCKET, "prefix": prefix, "spool": tmp_path / "uploads"}
