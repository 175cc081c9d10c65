"""Offline check of a case-file archive package (`zhifa archive verify FILE.zip`).

Needs nothing but the ZIP (and, to pin the signer, the agency's public key or its fingerprint):
the manifest's signature is checked with the public key in manifest.sig, then every member is
re-hashed in pieces and compared with the manifest. Every problem is named with the member's path:
an altered, missing or unlisted member, a bad signature, an unreadable ZIP.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.hashing import new_hasher
from core.services.signing import fingerprint as key_fingerprint
from core.services.signing import verify_signature

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PIECE = 1024 * 1024


@dataclass
class ArchiveCheck:
    ok: bool = True
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, what is wrong)
    manifest: dict[str, Any] = field(default_factory=dict)
    signer: dict[str, Any] = field(default_factory=dict)
    checked: int = 0

    def fail(self, path: str, why: str) -> None:
        self.ok = False
        self.problems.append((path, why))


def archive_verify(path: str | Path, *, public_key_pem: str = "", fingerprint: str = "") -> ArchiveCheck:
    result = ArchiveCheck()
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        result.fail(str(path), f"not a readable ZIP: {exc}")
        return result
    with zf:
        names = set(zf.namelist())
        if MANIFEST not in names or SIGNATURE not in names:
            result.fail(MANIFEST if MANIFEST not in names else SIGNATURE, "missing: not an archive package")
            return result
        manifest_bytes = zf.read(MANIFEST)
        try:
            sig = json.loads(zf.read(SIGNATURE))
            manifest = json.loads(manifest_bytes)
        except ValueError as exc:
            result.fail(MANIFEST, f"unreadable: {exc}")
            return result
        result.manifest = manifest
        result.signer = {k: sig.get(k) for k in ("key_name", "signature_algorithm", "fingerprint")}
        pem = str(sig.get("public_key", ""))
        if not verify_signature(pem, manifest_bytes, str(sig.get("signature", ""))):
            result.fail(
                MANIFEST, "the signature does not match: the manifest was changed or signed by another key"
            )
        try:
            actual_fp = key_fingerprint(pem)
        except ValueError:
            actual_fp = ""
        if actual_fp != sig.get("fingerprint"):
            result.fail(SIGNATURE, "the fingerprint does not belong to the public key")
        if public_key_pem and key_fingerprint(public_key_pem) != actual_fp:
            result.fail(SIGNATURE, "signed by another key than the one given")
        if fingerprint and fingerprint.lower() != actual_fp:
            result.fail(SIGNATURE, "signed by another key than the fingerprint given")
        algorithm = str(manifest.get("algorithm", "sha256"))
        listed: set[str] = set()
        for item in manifest.get("items", []):
            member = str(item.get("path", ""))
            listed.add(member)
            if member not in names:
                result.fail(member, "missing from the package")
                continue
            hasher = new_hasher(algorithm)
            size = 0
            try:
                with zf.open(member) as fh:
                    while piece := fh.read(PIECE):
                        hasher.update(piece)
                        size += len(piece)
            except (zipfile.BadZipFile, OSError, ValueError) as exc:
                result.fail(member, f"unreadable ({exc})")
                continue
            result.checked += 1
            if hasher.hexdigest() != item.get("digest") or size != item.get("size"):
                result.fail(
                    member, f"altered: now {hasher.hexdigest()} ({size} bytes), manifest {item.get('digest')}"
                )
        for extra in sorted(names - listed - {MANIFEST, SIGNATURE}):
            if not extra.endswith("/"):
                result.fail(extra, "not listed in the manifest (added to the package)")
    return result
