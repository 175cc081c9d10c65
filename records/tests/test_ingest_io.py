"""The spool writer: aligned blocks by O_DIRECT where the filesystem allows it, the rest buffered —
whatever the chunk sizes and however the stream returns its bytes, the stored file is the upload."""

import hashlib
import io

from core.services.files import file_open
from records.services import evidence_file_ingest, upload_chunk, upload_complete, upload_start
from records.services.uploads import PIECE, SpoolWriter
from records.tests.helpers import video_bytes


class Trickle(io.RawIOBase):
    """A stream with only read(), returning at most 777 bytes at a time (a slow socket)."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def readable(self) -> bool:
        return True

    def read(self, n=-1):
        n = 777 if n is None or n < 0 else min(n, 777)
        piece = self.data[self.pos : self.pos + n]
        self.pos += len(piece)
        return piece


def _stored(file) -> bytes:
    with file_open(file.stored) as fh:
        return fh.read()


def test_odd_chunk_sizes_and_unaligned_offsets(world, case):
    data = video_bytes(3 * PIECE + 12345)
    session = upload_start(
        actor=world.officer1.user, case=case, filename="clip.mp4", size=len(data), content_type="video/mp4"
    )
    offset = 0
    for size in (5000, 4096, 12288, PIECE + 3, 2 * PIECE, len(data)):
        part = data[offset : offset + size]
        if not part:
            break
        offset = upload_chunk(
            actor=world.officer1.user,
            token=session.token,
            offset=offset,
            stream=io.BytesIO(part),
            length=len(part),
        ).received
    result = upload_complete(actor=world.officer1.user, token=session.token)
    assert result.file.stored.digest == hashlib.sha256(data).hexdigest()
    assert _stored(result.file) == data


def test_stream_with_short_reads_and_no_readinto(world, case):
    data = video_bytes(PIECE + 5000, seed=7)
    result = evidence_file_ingest(
        actor=world.officer1.user,
        case=case,
        fileobj=Trickle(data),
        filename="clip.mp4",
        content_type="video/mp4",
    )
    assert result.file.stored.digest == hashlib.sha256(data).hexdigest()
    assert _stored(result.file) == data


def test_spool_writer_mixes_direct_and_buffered_writes(tmp_path):
    path = tmp_path / "spool"
    data = bytes(range(256)) * 64 * 20  # 327,680 bytes
    with path.open("wb", buffering=0) as fh:
        with SpoolWriter(fh.fileno(), path, 0) as write:
            write(memoryview(data[:10000]))  # 8192 direct (where allowed) + 1808 buffered
            write(memoryview(data[10000:20000]))  # unaligned offset: buffered
        with SpoolWriter(fh.fileno(), path, 20000) as write:
            write(memoryview(data[20000:]))
    assert path.read_bytes() == data
