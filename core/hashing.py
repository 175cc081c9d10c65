"""Hash algorithms the ledger and the file store support (SHA-256 default, SM3 selectable)."""

from __future__ import annotations

import hashlib
import json
from typing import Any, Protocol

from cryptography.hazmat.primitives import hashes
from django.conf import settings

ALGORITHMS = ("sha256", "sm3")


class Hasher(Protocol):
    def update(self, data: bytes, /) -> None: ...
    def hexdigest(self) -> str: ...


class _Sm3:
    """SM3 (GB/T 32905) through `cryptography`, which bundles its own OpenSSL."""

    def __init__(self) -> None:
        self._h = hashes.Hash(hashes.SM3())

    def update(self, data: bytes, /) -> None:
        self._h.update(data)

    def hexdigest(self) -> str:
        return self._h.finalize().hex()


def new_hasher(algorithm: str) -> Hasher:
    if algorithm == "sha256":
        return hashlib.sha256()
    if algorithm == "sm3":
        return _Sm3()
    raise ValueError(f"unknown hash algorithm {algorithm!r}")


def default_algorithm() -> str:
    algorithm = str(getattr(settings, "ZHIFA_HASH_ALGORITHM", "sha256"))
    if algorithm not in ALGORITHMS:
        raise ValueError(f"ZHIFA_HASH_ALGORITHM must be one of {ALGORITHMS}, not {algorithm!r}")
    return algorithm


def digest_bytes(data: bytes, algorithm: str) -> str:
    h = new_hasher(algorithm)
    h.update(data)
    return h.hexdigest()


def canonical_json(value: Any) -> str:
    """Stable JSON: sorted keys, no whitespace, UTF-8 text kept as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
