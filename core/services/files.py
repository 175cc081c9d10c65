"""Content-addressed file store: files that acts record, named by their digest, stored once.

Bytes go to the `evidence` storage alias (local disk by default, S3 in production) under
`<algorithm>/<d0d1>/<d2d3>/<digest>`. A file is streamed once in fixed-size chunks: hashed while it
is copied to a local spool file, then handed to the storage, so memory stays constant whatever the
size. Storing bytes the store already holds writes nothing and returns the same `StoredFile`; every
call records its own ledger act carrying the digest.

A file written by a transaction that then rolls back stays on disk without a row; the next store
of the same bytes checks and reuses it. Files are never overwritten nor deleted here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import NotFound, ValidationFailed
from core.hashing import default_algorithm, new_hasher
from core.models import StoredFile
from core.services.ledger import ledger_append

CHUNK_SIZE = 1024 * 1024
STORAGE_ALIAS = "evidence"


def evidence_storage() -> Storage:
    return storages[STORAGE_ALIAS]


def storage_path(digest: str, algorithm: str) -> str:
    return f"{algorithm}/{digest[:2]}/{digest[2:4]}/{digest}"


def iter_chunks(fileobj: IO[bytes] | Any, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    while True:
        chunk = fileobj.read(chunk_size)
        if not chunk:
            return
        if isinstance(chunk, str):
            raise ValidationFailed(
                _("The file must be opened in binary mode; text streams cannot be stored."),
                code="file_not_binary",
            )
        yield chunk


def digest_stream(fileobj: IO[bytes] | Any, algorithm: str) -> tuple[str, int]:
    """(hex digest, size) of a stream read to its end in constant memory."""
    hasher = new_hasher(algorithm)
    size = 0
    for chunk in iter_chunks(fileobj):
        hasher.update(chunk)
        size += len(chunk)
    return hasher.hexdigest(), size


def _stored_digest(storage: Storage, name: str, algorithm: str) -> tuple[str, int]:
    with storage.open(name, "rb") as fh:
        return digest_stream(fh, algorithm)


def file_store(
    *,
    actor: Any,
    fileobj: IO[bytes] | Any,
    filename: str,
    content_type: str = "",
    agency_id: int | None = None,
    act: str = "file.store",
) -> StoredFile:
    """Store the bytes of `fileobj` (read from its current position to the end) and record `act`.

    Returns the `StoredFile` for those bytes — the existing one when the store already holds them.
    The ledger entry carries the digest in `file_digest`; its payload names the file as the caller
    knows it (`filename`, `content_type`) and says whether the bytes were new.
    """
    if not filename or len(filename) > 255:
        raise ValidationFailed(
            _("A stored file needs a name of 1 to 255 characters; give the file its original name."),
            code="file_name_invalid",
        )
    if len(content_type) > 120:
        raise ValidationFailed(
            _("The content type may have at most 120 characters."), code="file_content_type_invalid"
        )
    algorithm = default_algorithm()
    storage = evidence_storage()
    # Spool beside a local store (same filesystem); for remote storages (S3) in the temp dir.
    spool_dir = storage.location if isinstance(storage, FileSystemStorage) else None
    if spool_dir:
        os.makedirs(spool_dir, exist_ok=True)
    with tempfile.NamedTemporaryFile(prefix=".incoming-", dir=spool_dir or None) as spool:
        hasher = new_hasher(algorithm)
        size = 0
        for chunk in iter_chunks(fileobj):
            hasher.update(chunk)
            spool.write(chunk)
            size += len(chunk)
        spool.flush()
        digest = hasher.hexdigest()

        with transaction.atomic():
            stored = StoredFile.objects.filter(digest=digest).first()
            created = stored is None
            if stored is None:
                name = storage_path(digest, algorithm)
                if not (storage.exists(name) and _stored_digest(storage, name, algorithm) == (digest, size)):
                    # A name that exists with other bytes is never overwritten: the storage picks a
                    # free name and the row records it.
                    spool.seek(0)
                    name = storage.save(name, File(spool, name=name))
                try:
                    with transaction.atomic():
                        stored = StoredFile.objects.create(
                            digest=digest,
                            algorithm=algorithm,
                            size=size,
                            content_type=content_type,
                            storage_name=name,
                        )
                except IntegrityError:  # another process stored the same bytes meanwhile
                    stored = StoredFile.objects.get(digest=digest)
                    created = False
            ledger_append(
                actor=actor,
                act=act,
                obj=stored,
                agency_id=agency_id,
                file_digest=digest,
                payload={
                    "filename": filename,
                    "content_type": content_type,
                    "size": size,
                    "algorithm": algorithm,
                    "deduplicated": not created,
                },
            )
    return stored


def file_get(*, digest: str) -> StoredFile:
    stored = StoredFile.objects.filter(digest=digest).first()
    if stored is None:
        raise NotFound(
            _("No stored file has the digest %(digest)s; store the file first.") % {"digest": digest},
            code="file_not_found",
        )
    return stored


def file_open(stored: StoredFile | str) -> File[bytes]:
    """Open a stored file (or the file of a digest) for reading in binary mode; close it after use."""
    if isinstance(stored, str):
        stored = file_get(digest=stored)
    storage = evidence_storage()
    if not storage.exists(stored.storage_name):
        raise NotFound(
            _(
                "The stored file %(digest)s is missing from the file store; restore it from backup "
                "(zhifa ledger verify lists missing files)."
            )
            % {"digest": stored.digest},
            code="file_missing",
        )
    return storage.open(stored.storage_name, "rb")
