"""The ledger: one append-only, hash-chained record of every act (全过程记录)."""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes as crypto_hashes
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from core.errors import DomainError
from core.hashing import canonical_json, default_algorithm, digest_bytes
from core.models import LedgerEntry, LedgerHead, StoredFile
from core.scoping import actor_agency_id

GENESIS_HASH = "0" * 64


def entry_material(
    *,
    seq: int,
    prev_hash: str,
    algorithm: str,
    recorded_at: str,
    actor_id: int | None,
    actor_label: str,
    agency_id: int | None,
    act: str,
    object_type: str,
    object_id: str,
    payload: str,
    file_digest: str,
) -> bytes:
    """The exact bytes an entry's hash covers; `verify` recomputes them from the stored row."""
    return canonical_json(
        [
            seq,
            prev_hash,
            algorithm,
            recorded_at,
            actor_id,
            actor_label,
            agency_id,
            act,
            object_type,
            object_id,
            payload,
            file_digest,
        ]
    ).encode("utf-8")


def _object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def ledger_append(
    *,
    actor: Any,
    act: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    payload: dict[str, Any] | None = None,
    file_digest: str = "",
    agency_id: int | None = None,
) -> LedgerEntry:
    """Append one act to the chain, in the caller's transaction (rolled back with it).

    `actor` is a user (or None for the system). Without `agency_id`, a user's act is filed under
    the agency they act for (`core.scoping.actor_agency_id`); the system's acts under none. The head
    row is locked for the rest of the transaction, so concurrent writers in any number of processes
    form one unbroken chain.
    """
    if obj is not None:
        object_type, object_id = _object_ref(obj)
    if agency_id is None and actor is not None and getattr(actor, "pk", None) is not None:
        agency_id = actor_agency_id(actor)
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    actor_label = getattr(actor, "username", "") if actor is not None else "system"
    payload_text = canonical_json(payload or {})
    algorithm = default_algorithm()
    with transaction.atomic():
        head = LedgerHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            LedgerHead.objects.get_or_create(pk=1)
            head = LedgerHead.objects.select_for_update().get(pk=1)
        seq = head.seq + 1
        recorded_at = timezone.now()
        material = entry_material(
            seq=seq,
            prev_hash=head.entry_hash,
            algorithm=algorithm,
            recorded_at=recorded_at.isoformat(),
            actor_id=actor_id,
            actor_label=actor_label,
            agency_id=agency_id,
            act=act,
            object_type=object_type,
            object_id=str(object_id),
            payload=payload_text,
            file_digest=file_digest,
        )
        entry_hash = digest_bytes(material, algorithm)
        entry = LedgerEntry.objects.create(
            seq=seq,
            prev_hash=head.entry_hash,
            entry_hash=entry_hash,
            algorithm=algorithm,
            recorded_at=recorded_at,
            actor_id=actor_id,
            actor_label=actor_label,
            agency_id=agency_id,
            act=act,
            object_type=object_type,
            object_id=str(object_id),
            payload=payload_text,
            file_digest=file_digest,
        )
        # LedgerHead is bookkeeping, not history: the one row the chain lets us update.
        LedgerHead.objects.filter(pk=1).update(seq=seq, entry_hash=entry_hash)
    return entry


# --------------------------------------------------------------------------------------------
# Verification
# --------------------------------------------------------------------------------------------

HEAD_SIGNED_ACT = "ledger.head_signed"
VERIFY_CHUNK_SIZE = 5000

# Kinds of failure `ledger_verify` reports, with the English reason (translated for display).
FAILURE_REASONS: dict[str, str] = {
    "hash_mismatch": gettext_noop("the entry's hash does not match its content"),
    "broken_link": gettext_noop("the entry's previous hash does not match the entry before it"),
    "missing_seq": gettext_noop("an entry is missing from the sequence"),
    "unknown_algorithm": gettext_noop("the entry names a hash algorithm this system does not know"),
    "head_mismatch": gettext_noop("the ledger head does not match the last entry"),
    "signature_invalid": gettext_noop("the signature of a published head is not valid"),
    "head_not_in_chain": gettext_noop("a signed head names an entry whose hash differs in the chain"),
    "file_missing": gettext_noop("a stored file is missing"),
    "file_altered": gettext_noop("a stored file's bytes do not match its digest"),
    "file_unrecorded": gettext_noop("a stored file is referenced by no ledger entry"),
}

# The entry material of `entry_material`, built with one reusable encoder (same options as
# core.hashing.canonical_json, so the same bytes) — verify builds it for every entry.
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
_SM3 = crypto_hashes.SM3()


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sm3_hex(data: bytes) -> str:
    h = crypto_hashes.Hash(_SM3)
    h.update(data)
    return h.finalize().hex()


ENTRY_HASHERS: dict[str, Callable[[bytes], str]] = {"sha256": _sha256_hex, "sm3": _sm3_hex}


@dataclass(frozen=True)
class VerifyFailure:
    kind: str
    seq: int | None = None
    digest: str = ""
    detail: str = ""

    @property
    def reason(self) -> str:
        return gettext(FAILURE_REASONS.get(self.kind, self.kind))

    def describe(self) -> str:
        where = f"entry #{self.seq}" if self.seq is not None else f"file {self.digest}"
        if self.seq is not None and self.digest:
            where += f" (file {self.digest})"
        text = f"{where}: {self.kind}: {FAILURE_REASONS.get(self.kind, self.kind)}"
        return f"{text} — {self.detail}" if self.detail else text

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "seq": self.seq,
            "digest": self.digest,
            "detail": self.detail,
            "reason": FAILURE_REASONS.get(self.kind, self.kind),
        }


@dataclass
class VerifyResult:
    entries: int = 0
    files: int = 0
    bytes_hashed: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    seconds: float = 0.0
    failure: VerifyFailure | None = None
    rechecked: int = 0  # entries whose database-built bytes differed and were re-checked in Python

    @property
    def ok(self) -> bool:
        return self.failure is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "files": self.files,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "seconds": round(self.seconds, 3),
            "rechecked": self.rechecked,
            "bytes_hashed": self.bytes_hashed,
            "failure": self.failure.as_dict() if self.failure else None,
        }


def _time_text(value: Any) -> str:
    """The `recorded_at` text the hash covers (UTC isoformat) from a raw database value.

    SQLite returns Django's storage text 'YYYY-MM-DD HH:MM:SS[.ffffff]' (UTC); PostgreSQL an aware
    datetime. A mismatch is re-checked through the ORM before it is reported (`_orm_entry_hash`).
    """
    if isinstance(value, str):
        return value.replace(" ", "T", 1) + "+00:00"
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        return str(value.astimezone(datetime.UTC).isoformat())
    return str(value)


def entry_hash_of(entry: LedgerEntry) -> str:
    """Recompute an entry's hash from the stored row (through the ORM)."""
    material = entry_material(
        seq=entry.seq,
        prev_hash=entry.prev_hash,
        algorithm=entry.algorithm,
        recorded_at=entry.recorded_at.astimezone(datetime.UTC).isoformat(),
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        agency_id=entry.agency_id,
        act=entry.act,
        object_type=entry.object_type,
        object_id=entry.object_id,
        payload=entry.payload,
        file_digest=entry.file_digest,
    )
    return digest_bytes(material, entry.algorithm)


def _orm_entry_hash(seq: int) -> str:
    return entry_hash_of(LedgerEntry.objects.get(seq=seq))


def _read_head() -> tuple[int, str] | None:
    row = LedgerHead.objects.filter(pk=1).values_list("seq", "entry_hash").first()
    return (int(row[0]), str(row[1])) if row else None


_COLUMNS = (
    "seq",
    "prev_hash",
    "entry_hash",
    "algorithm",
    "recorded_at",
    "actor_id",
    "actor_label",
    "agency_id",
    "act",
    "object_type",
    "object_id",
    "payload",
    "file_digest",
)

# On SQLite the entry material is built by the database itself (json_array, in C), so that the walk
# does not turn every column into a Python object and re-encode it (the bulk of the cost per entry;
# twice as fast). On PostgreSQL the same done in SQL (to_json, to_char) measured slower than
# encoding in Python while the server streams rows, so there rows are encoded in Python. The SQLite
# expression gives the bytes of `entry_material` — the same JSON escaping (", \, \b \f \n \r \t
# short, other control characters as lowercase \u00xx, non-ASCII kept), no whitespace, the UTC
# isoformat time. Should a
# row still come out different (the hash would not match), the entry is re-checked through the ORM
# and `entry_material` before anything is reported, so a divergence costs time, never a false alarm.
_SQLITE_MATERIAL = (
    "CAST(json_array(seq, prev_hash, algorithm, replace(recorded_at, ' ', 'T') || '+00:00', actor_id,"
    " actor_label, agency_id, act, object_type, object_id, payload, file_digest) AS BLOB)"
)
# Each row source yields (seq, prev_hash, entry_hash, algorithm, file_digest, material bytes,
# payload of a signed-head act or None).
_Row = tuple[int, str, str, str, str, bytes, str | None]


def _chunk_query(vendor: str, bounded: bool) -> tuple[str, str]:
    """(SQL, row kind) of one chunk: entries with last < seq [<= limit], ORDER BY seq LIMIT n."""
    table = connection.ops.quote_name(LedgerEntry._meta.db_table)
    where = "seq > %s AND seq <= %s" if bounded else "seq > %s"
    head_payload = f"CASE WHEN act = '{HEAD_SIGNED_ACT}' THEN payload END"
    if vendor == "sqlite":
        sql = (
            f"SELECT seq, prev_hash, entry_hash, algorithm, file_digest, {_SQLITE_MATERIAL},"
            f" {head_payload} FROM {table} WHERE {where} ORDER BY seq LIMIT %s"
        )
        return sql, "material"
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    return f"SELECT {columns} FROM {table} WHERE {where} ORDER BY seq LIMIT %s", "columns"


def _python_rows(rows: list[tuple[Any, ...]]) -> list[_Row]:
    """Rows of plain columns turned into the common shape, the material encoded in Python."""
    encode = _ENCODER.encode
    out: list[_Row] = []
    for (seq, prev_hash, entry_hash, algorithm, recorded_at, actor_id, actor_label, agency_id, act,
         object_type, object_id, payload, file_digest) in rows:  # fmt: skip
        material = encode(
            [seq, prev_hash, algorithm, _time_text(recorded_at), actor_id, actor_label, agency_id, act,
             object_type, object_id, payload, file_digest]
        ).encode()  # fmt: skip
        head_payload = payload if act == HEAD_SIGNED_ACT else None
        out.append((seq, prev_hash, entry_hash, algorithm, file_digest, material, head_payload))
    return out


def ledger_verify(
    *,
    files: bool = True,
    chunk_size: int = VERIFY_CHUNK_SIZE,
    progress: Callable[[str, int, int], None] | None = None,
    in_database: bool = True,
) -> VerifyResult:
    """Re-walk the chain (and the file store) and report the first failure, if any.

    The chain is walked in seq order in chunks of `chunk_size` rows up to the head read at the
    start (entries appended meanwhile are left for the next run). Each entry's hash is recomputed
    with the entry's own algorithm, its `prev_hash` compared with the entry before it and the
    sequence checked for gaps; signed heads recorded in the chain (`ledger.head_signed`) have their
    signature checked and must name an entry of the chain. Then every stored file is re-hashed
    from the store (streaming) and compared with its digest and size; every digest the ledger
    references must be in the store and every stored file must be referenced by the ledger.
    `progress(stage, done, total)` is called after each chunk and file. `in_database=False` builds
    every entry's bytes in Python (`entry_material`) instead of in the database.
    """
    started = time.perf_counter()
    result = VerifyResult()
    head = _read_head()
    limit = head[0] if head else None
    total = limit if limit is not None else LedgerEntry.objects.count()
    vendor = connection.vendor if in_database else "python"
    sql, kind = _chunk_query(vendor, bounded=limit is not None)
    referenced: dict[str, int] = {}  # file digest -> first seq that references it
    hashers = ENTRY_HASHERS
    expected = 1
    prev = GENESIS_HASH
    nbytes = 0
    failure: VerifyFailure | None = None
    last = 0
    while failure is None:
        params = [last, chunk_size] if limit is None else [last, limit, chunk_size]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        if not fetched:
            break
        last = fetched[-1][0]
        if kind == "columns":
            rows = _python_rows(fetched)
        else:
            rows = fetched
        for seq, prev_hash, entry_hash, algorithm, file_digest, material, head_payload in rows:
            if seq != expected:
                failure = VerifyFailure("missing_seq", expected, detail=f"next entry present is #{seq}")
                break
            if prev_hash != prev:
                failure = VerifyFailure(
                    "broken_link", seq, detail=f"prev_hash {prev_hash} but entry #{seq - 1} has hash {prev}"
                )
                break
            hasher = hashers.get(algorithm)
            if hasher is None:
                failure = VerifyFailure("unknown_algorithm", seq, detail=f"algorithm {algorithm!r}")
                break
            nbytes += len(material)
            if hasher(material) != entry_hash:
                result.rechecked += 1
                recomputed = _orm_entry_hash(seq)
                if recomputed != entry_hash:
                    failure = VerifyFailure(
                        "hash_mismatch",
                        seq,
                        detail=f"stored {entry_hash}, recomputed {recomputed} ({algorithm})",
                    )
                    break
            if file_digest and file_digest not in referenced:
                referenced[file_digest] = seq
            if head_payload is not None:
                failure = _check_signed_head_entry(seq, head_payload)
                if failure is not None:
                    break
            prev = entry_hash
            expected += 1
        if progress is not None:
            progress("entries", expected - 1, total)
    result.entries = expected - 1
    result.head_seq = expected - 1
    result.head_hash = prev
    if failure is None and head is not None:
        if head[0] > result.entries:
            failure = VerifyFailure(
                "missing_seq",
                result.entries + 1,
                detail=f"the head is at #{head[0]} but the chain ends at #{result.entries}",
            )
        elif head[1] != prev:
            failure = VerifyFailure(
                "head_mismatch", result.entries, detail=f"head hash {head[1]}, last entry hash {prev}"
            )
    if failure is None and files:
        failure = _verify_files(referenced, result, progress)
    result.failure = failure
    result.bytes_hashed = nbytes
    result.seconds = time.perf_counter() - started
    return result


def _verify_files(
    referenced: dict[str, int],
    result: VerifyResult,
    progress: Callable[[str, int, int], None] | None,
) -> VerifyFailure | None:
    from core.services.files import digest_stream, evidence_storage

    storage = evidence_storage()
    total = StoredFile.objects.count()
    seen: set[str] = set()
    for stored in StoredFile.objects.order_by("digest").iterator(chunk_size=500):
        seen.add(stored.digest)
        result.files += 1
        if stored.digest not in referenced:
            return VerifyFailure(
                "file_unrecorded", digest=stored.digest, detail=f"stored as {stored.storage_name}"
            )
        first_seq = referenced[stored.digest]
        if not storage.exists(stored.storage_name):
            return VerifyFailure(
                "file_missing", first_seq, stored.digest, detail=f"{stored.storage_name} is not in the store"
            )
        try:
            with storage.open(stored.storage_name, "rb") as fh:
                digest, size = digest_stream(fh, stored.algorithm)
        except (OSError, ValueError) as exc:
            return VerifyFailure("file_altered", first_seq, stored.digest, detail=str(exc))
        if digest != stored.digest:
            return VerifyFailure(
                "file_altered",
                first_seq,
                stored.digest,
                detail=f"{stored.storage_name} now hashes to {digest} ({stored.algorithm})",
            )
        if size != stored.size:
            return VerifyFailure(
                "file_altered", first_seq, stored.digest, detail=f"size {size}, recorded {stored.size}"
            )
        if progress is not None:
            progress("files", result.files, total)
    for digest, seq in sorted(referenced.items(), key=lambda item: item[1]):
        if digest not in seen:
            return VerifyFailure(
                "file_missing", seq, digest, detail="the ledger references a file the store does not hold"
            )
    return None


# --------------------------------------------------------------------------------------------
# The head and its publication
# --------------------------------------------------------------------------------------------


def ledger_head() -> dict[str, Any]:
    """The current head: seq, hash, algorithm and time of the last entry (seq 0 when empty)."""
    head = _read_head()
    if head is None or head[0] == 0:
        return {"seq": 0, "hash": GENESIS_HASH, "algorithm": default_algorithm(), "recorded_at": ""}
    entry = LedgerEntry.objects.filter(seq=head[0]).values_list("algorithm", "recorded_at").first()
    algorithm, recorded_at = entry if entry else (default_algorithm(), None)
    return {
        "seq": head[0],
        "hash": head[1],
        "algorithm": algorithm,
        "recorded_at": recorded_at.astimezone(datetime.UTC).isoformat() if recorded_at else "",
    }


_STATEMENT_FIELDS = ("seq", "hash", "algorithm", "recorded_at", "key_name", "signature_algorithm")


def head_statement(head: dict[str, Any]) -> bytes:
    """The bytes a published head's signature covers."""
    return canonical_json({"zhifa_ledger_head": {k: head.get(k) for k in _STATEMENT_FIELDS}}).encode("utf-8")


def ledger_head_publish(*, actor: Any, key_name: str, agency_id: int | None = None) -> dict[str, Any]:
    """Sign the current head with the key `key_name` and record the signed head as an act.

    Returns the published head: seq, hash, algorithm, recorded_at, key_name, signature_algorithm,
    public_key (PEM), fingerprint, signature (base64). The head is locked while it is signed, so
    the act recording it is the entry right after the head it signs.
    """
    from core.services.signing import sign, signing_key_ensure

    info = signing_key_ensure(key_name=key_name)
    with transaction.atomic():
        LedgerHead.objects.get_or_create(pk=1)
        LedgerHead.objects.select_for_update().get(pk=1)
        doc = ledger_head()
        doc.update(info.as_dict())
        doc["signature"] = sign(key_name, head_statement(doc))
        ledger_append(
            actor=actor,
            act=HEAD_SIGNED_ACT,
            agency_id=agency_id,
            payload=doc,
            object_type=LedgerEntry._meta.label_lower,
            object_id=str(doc["seq"]),
        )
    return doc


def _check_signed_head_entry(seq: int, payload: str) -> VerifyFailure | None:
    try:
        doc = json.loads(payload)
    except ValueError:
        return VerifyFailure("signature_invalid", seq, detail="payload is not JSON")
    failure = published_head_check(doc, chain=True)
    if failure is None:
        return None
    return VerifyFailure(failure.kind, seq, detail=failure.detail)


def published_head_check(
    doc: Any, *, trusted_public_key_pem: str | None = None, chain: bool = True
) -> VerifyFailure | None:
    """Check a published head: its signature, the key (when a trusted key is given, or the
    deployment holds a key of that name), and that the chain has that entry with that hash."""
    from core.services.signing import fingerprint, public_key, signing_key_exists, verify_signature

    required = (*_STATEMENT_FIELDS, "public_key", "signature")
    if not isinstance(doc, dict) or not all(k in doc for k in required):
        return VerifyFailure("signature_invalid", detail="not a published ledger head")
    seq = doc.get("seq")
    if not isinstance(seq, int) or not isinstance(doc.get("hash"), str):
        return VerifyFailure("signature_invalid", detail="seq or hash malformed")
    if not verify_signature(str(doc["public_key"]), head_statement(doc), str(doc["signature"])):
        return VerifyFailure("signature_invalid", seq, detail=f"bad signature by key {doc.get('key_name')!r}")
    try:
        key_fp = fingerprint(str(doc["public_key"]))
    except ValueError:
        return VerifyFailure("signature_invalid", seq, detail="public key malformed")
    if trusted_public_key_pem is not None:
        if fingerprint(trusted_public_key_pem) != key_fp:
            return VerifyFailure(
                "signature_invalid", seq, detail="signed by a key other than the trusted key"
            )
    elif not chain:
        name, algorithm = str(doc["key_name"]), str(doc["signature_algorithm"])
        try:
            own = (
                public_key(key_name=name, algorithm=algorithm)
                if signing_key_exists(key_name=name, algorithm=algorithm)
                else None
            )
        except DomainError:
            own = None
        if own is not None and own.fingerprint != key_fp:
            return VerifyFailure(
                "signature_invalid", seq, detail=f"signed by a key other than this deployment's key {name!r}"
            )
    if seq == 0:
        ok = doc["hash"] == GENESIS_HASH
    else:
        ok = LedgerEntry.objects.filter(seq=seq, entry_hash=doc["hash"]).exists()
    if not ok:
        return VerifyFailure("head_not_in_chain", seq, detail=f"no entry #{seq} with hash {doc['hash']}")
    return None
