"""Reading stored bytes as a stream, whatever the `evidence` storage is.

On local disk this is `storage.open`. On S3 (django-storages), `storage.open` downloads the whole
object into a temporary file first (in memory unless `max_memory_size` is set); the archive and
the verification read large media, so they read the object's body as a stream instead, in pieces,
in constant memory.
"""

from __future__ import annotations

from typing import IO, Any

from django.core.files.storage import FileSystemStorage

from core.services.files import evidence_storage


def open_stream(storage_name: str) -> IO[bytes] | Any:
    """A readable binary stream of a stored object; close it after use (a context manager)."""
    storage = evidence_storage()
    if isinstance(storage, FileSystemStorage):
        return storage.open(storage_name, "rb")
    bucket = getattr(storage, "bucket", None)
    if bucket is not None and hasattr(storage, "_normalize_name"):
        from storages.utils import clean_name

        key = storage._normalize_name(clean_name(storage_name))
        return bucket.Object(key).get()["Body"]
    return storage.open(storage_name, "rb")
