"""Abandoned upload spools cleaned up (idempotent), uploads to a closed case refused, and a server
killed during an upload leaves no half file recorded as complete."""

import datetime
import hashlib
import io
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from django.utils import timezone

from core.errors import PermissionDenied
from core.models import LedgerEntry, StoredFile
from core.testing import BASE_DIR, run_workers, scratch_database, worker_env
from records.models import EvidenceFile, UploadSession
from records.services import evidence_file_ingest, upload_chunk, upload_start
from records.services.uploads import _spool_dir, uploads_cleanup
from records.tasks import uploads_cleanup_task
from records.tests.helpers import JPEG, stream, video_bytes


def _start(world, case, data):
    return upload_start(
        actor=world.officer1.user,
        case=case,
        filename="执法记录仪.mp4",
        size=len(data),
        content_type="video/mp4",
        action="investigate",
    )


def test_abandoned_uploads_and_orphan_spools_are_cleaned_up_once(world, case):
    data = video_bytes(5000)
    old = _start(world, case, data)
    upload_chunk(
        actor=world.officer1.user, token=old.token, offset=0, stream=io.BytesIO(data[:1000]), length=1000
    )
    fresh = _start(world, case, data)
    spool = _spool_dir()
    orphan = spool / "ingest-999-1-deadbeef"
    orphan.write_bytes(b"half a file")
    long_ago = (timezone.now() - datetime.timedelta(days=3)).timestamp()
    os.utime(orphan, (long_ago, long_ago))
    UploadSession.objects.filter(pk=old.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    result = uploads_cleanup_task.call()
    assert result == {"stopped": 1, "removed": 1}
    old.refresh_from_db()
    assert old.status == "failed" and "48" in old.failure
    assert not (spool / f"{old.token}.part").exists() and not orphan.exists()
    assert (spool / f"{fresh.token}.part").exists()  # still in progress
    assert LedgerEntry.objects.filter(act="records.upload_abandoned").count() == 1
    assert uploads_cleanup() == {"stopped": 0, "removed": 0}  # idempotent


def test_upload_to_a_closed_case_is_refused(world, case):
    data = video_bytes(3000)
    session = _start(world, case, data)
    type(case).objects.filter(pk=case.pk).update(status="closed")
    with pytest.raises(PermissionDenied) as exc:
        evidence_file_ingest(
            actor=world.officer1.user,
            case=case,
            fileobj=stream(JPEG),
            filename="a.jpg",
            content_type="image/jpeg",
        )
    assert "read-only" in exc.value.message or "只读" in exc.value.message
    with pytest.raises(PermissionDenied):
        _start(world, case, data)
    with pytest.raises(PermissionDenied):  # an upload begun before the case was closed
        upload_chunk(
            actor=world.officer1.user,
            token=session.token,
            offset=0,
            stream=io.BytesIO(data),
            length=len(data),
        )
    assert not EvidenceFile.objects.exists() and not StoredFile.objects.exists()
    assert LedgerEntry.objects.filter(act="auth.permission_denied").count() == 3


_VICTIM = textwrap.dedent(
    r"""
    import io, os, signal, sys
    import django
    django.setup()
    from cases.tests.factories import case_world, new_case
    from records.services import upload_chunk, upload_start
    from records.tests.helpers import video_bytes

    data = video_bytes(3 * 1024 * 1024)
    world = case_world()
    case = new_case(world)
    session = upload_start(actor=world.officer1.user, case=case, filename="执法记录仪.mp4", size=len(data),
                           content_type="video/mp4", action="investigate")
    upload_chunk(actor=world.officer1.user, token=session.token, offset=0,
                 stream=io.BytesIO(data[:1048576]), length=1048576)
    print(session.token, world.officer1.user.pk, flush=True)

    class Dying(io.RawIOBase):
        def __init__(self):
            self.sent = 0
        def read(self, n=-1):
            # pieces are written 1 MiB at a time: die inside the second piece of a 2 MiB chunk
            if self.sent >= 1_100_000:
                os.kill(os.getpid(), signal.SIGKILL)  # the server dies in the middle of the chunk
            piece = data[1048576 + self.sent : 1048576 + self.sent + min(n, 100_000)]
            self.sent += len(piece)
            return piece

    upload_chunk(actor=world.officer1.user, token=session.token, offset=1048576, stream=Dying(),
                 length=2 * 1048576)
    print("not killed", flush=True)
    """
)


def resume_after_kill(token: str, user_id: int) -> dict:
    """Worker: look at the upload a killed process left, then resume and complete it."""
    from django.contrib.auth import get_user_model

    from records.models import EvidenceFile, UploadSession
    from records.services import upload_chunk, upload_complete, upload_status
    from records.tests.helpers import video_bytes

    data = video_bytes(3 * 1024 * 1024)
    user = get_user_model().objects.get(pk=user_id)
    before = UploadSession.objects.get(token=token)
    state = {"status": before.status, "received": before.received, "files": EvidenceFile.objects.count()}
    offset = upload_status(actor=user, token=token).received
    while offset < len(data):
        part = data[offset : offset + 1048576]
        offset = upload_chunk(
            actor=user, token=token, offset=offset, stream=io.BytesIO(part), length=len(part)
        ).received
    result = upload_complete(actor=user, token=token)
    state.update(digest=result.file.stored.digest, size=result.file.stored.size)
    return state


@pytest.mark.slow
def test_a_server_killed_mid_upload_leaves_no_half_file_recorded(tmp_path):
    with scratch_database(data_dir=str(tmp_path)) as url:
        env = worker_env(url, ZHIFA_DATA_DIR=str(tmp_path), ZHIFA_KEY_DIR=str(tmp_path / "keys"))
        victim = subprocess.run(
            [sys.executable, "-c", _VICTIM],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert victim.returncode == -signal.SIGKILL, victim.stderr[-2000:]
        token, user_id = victim.stdout.split()[:2]
        spool = tmp_path / "store" / ".uploads" / f"{token}.part"
        assert spool.stat().st_size > 1048576  # the dead process left part of the second chunk behind
        [state] = run_workers(
            url,
            "records.tests.test_reliability.resume_after_kill",
            [(token, int(user_id))],
            env={"ZHIFA_DATA_DIR": str(tmp_path), "ZHIFA_KEY_DIR": str(tmp_path / "keys")},
        )
    assert state["status"] == "open" and state["received"] == 1048576 and state["files"] == 0
    assert state["digest"] == hashlib.sha256(video_bytes(3 * 1024 * 1024)).hexdigest()
    assert state["size"] == len(video_bytes(3 * 1024 * 1024))
