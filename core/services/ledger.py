"""The ledger: one append-only, hash-chained record of every act (全过程记录)."""

from __future__ import annotations

import datetime
import hashlib
import json
import queue
import threading
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from cryptography.hazmat.primitives import hashes as crypto_hashes
from django.db import connection, connections, models, transaction
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
# Threads fetching chunks ahead (see `_prefetched`), per database: PostgreSQL builds the bytes in
# its own server processes, so two connections overlap with hashing (measured ~1.5x on 2 CPUs);
# SQLite builds them in this process and its results need the GIL back, so there threads lost.
VERIFY_WORKERS = {"postgresql": 2}

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
# core.hashing.canonical_json, so the same bytes) — the one-by-one walk builds it for every entry.
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


class _CryptographySm3:
    """SM3 through `cryptography` (which bundles its own OpenSSL), for an OpenSSL without it."""

    def __init__(self, data: bytes = b"") -> None:
        self._h = crypto_hashes.Hash(crypto_hashes.SM3())
        self._h.update(data)

    def hexdigest(self) -> str:
        return self._h.finalize().hex()


def _sm3_constructor() -> Callable[[bytes], Any]:
    """SM3 of one input: hashlib's (OpenSSL) when it has SM3, else cryptography's.

    Copying a fresh hashlib object is a third faster per small input than `hashlib.new("sm3")`,
    which looks the name up every call; the benchmark times the same trick as raw hashlib.
    """
    try:
        blank = hashlib.new("sm3")
    except ValueError:
        return _CryptographySm3

    def sm3(data: bytes) -> Any:
        h = blank.copy()
        h.update(data)
        return h

    return sm3


# algorithm -> constructor of a hash object over the given bytes (with .hexdigest()).
HASH_CONSTRUCTORS: dict[str, Callable[[bytes], Any]] = {"sha256": hashlib.sha256, "sm3": _sm3_constructor()}


def _hex_hasher(new: Callable[[bytes], Any]) -> Callable[[bytes], str]:
    return lambda data: str(new(data).hexdigest())


ENTRY_HASHERS: dict[str, Callable[[bytes], str]] = {
    name: _hex_hasher(new) for name, new in HASH_CONSTRUCTORS.items()
}


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

# How verify reads the chain. A chunk of entries (lo, hi] is first checked in bulk: one query
# returns the chunk's row count, its prev_hash and entry_hash columns each concatenated in seq
# order, its algorithms and the entry bytes of every row built by the database, newline-separated.
# The chunk is intact when it holds hi - lo rows (seq is unique, so no gap), each prev_hash is the
# entry_hash before it, and hashing each entry's bytes gives the entry_hash column — checked with
# two string comparisons per chunk, so that per entry Python only hashes. Entry bytes never contain
# a raw newline (JSON escapes control characters), so splitting on it recovers them.
#
# Any chunk that does not pass — a tampered entry, a gap, a mixed or unknown algorithm, or database
# bytes that differ from `entry_material` — is walked again one entry at a time from its plain
# columns with the bytes built in Python (`_walk_rows`), which names the first failure; so the bulk
# check can only save time, never decide a failure, and a divergence costs time, not a false alarm.
# The database's encoders are faithful JSON (each value escaped as a whole, never spliced raw), so
# bytes it builds from altered columns cannot equal the bytes the stored hash covers.
#
# SQLite builds the bytes with json_array (same escaping as Python: ", \, \b \f \n \r \t short,
# other control characters as lowercase \u00xx, non-ASCII kept, no whitespace); group_concat keeps
# the ordered subquery's order (SQLite 3.40 has no ORDER BY inside aggregates; a different order
# would only send the chunk to the one-by-one walk). PostgreSQL's json_build_array puts a space
# after each comma, so there the array is concatenated from to_json of each text column (the same
# escaping), the numbers as text and the time as the UTC isoformat.
_SQLITE_MATERIAL = (
    "json_array(seq, prev_hash, algorithm, replace(recorded_at, ' ', 'T') || '+00:00', actor_id,"
    " actor_label, agency_id, act, object_type, object_id, payload, file_digest)"
)
_PG_TIME = (
    "replace(to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"'),"
    " '.000000+', '+')"
)
_PG_MATERIAL = (
    "'[' || seq::text || ',' || to_json(prev_hash)::text || ',' || to_json(algorithm)::text"
    f" || ',\"' || {_PG_TIME} || '\",' || coalesce(actor_id::text, 'null')"
    " || ',' || to_json(actor_label)::text || ',' || coalesce(agency_id::text, 'null')"
    " || ',' || to_json(act)::text || ',' || to_json(object_type)::text"
    " || ',' || to_json(object_id)::text || ',' || to_json(payload)::text"
    " || ',' || to_json(file_digest)::text || ']'"
)


def _table() -> str:
    return connection.ops.quote_name(LedgerEntry._meta.db_table)


def _bulk_query(vendor: str) -> str | None:
    """SQL of one chunk's bulk check (params lo, hi): count, prev hashes, entry hashes, min and max
    algorithm, entry bytes; None when this database cannot build the bytes."""
    if vendor == "sqlite":
        return (
            "SELECT count(*), group_concat(prev_hash, ''), group_concat(entry_hash, ''),"
            " min(algorithm), max(algorithm), CAST(group_concat(material, char(10)) AS BLOB)"
            f" FROM (SELECT prev_hash, entry_hash, algorithm, {_SQLITE_MATERIAL} AS material"
            f" FROM {_table()} WHERE seq > %s AND seq <= %s ORDER BY seq)"
        )
    if vendor == "postgresql":
        return (
            "SELECT count(*), string_agg(prev_hash, ''), string_agg(entry_hash, ''),"
            " min(algorithm), max(algorithm), string_agg(material, chr(10))"
            f" FROM (SELECT prev_hash, entry_hash, algorithm, {_PG_MATERIAL} AS material"
            f" FROM {_table()} WHERE seq > %s AND seq <= %s ORDER BY seq) AS chunk"
        )
    return None


@dataclass(frozen=True)
class _Chunk:
    """One chunk as the bulk query returns it (see above)."""

    lo: int
    hi: int
    count: int
    prev_hashes: str
    entry_hashes: str
    algorithms: tuple[str, str]
    materials: bytes

    def intact_after(self, prev: str) -> bool:
        """Whether the chunk is complete, linked to `prev` and every entry hashes to its hash."""
        if self.count != self.hi - self.lo or self.algorithms[0] != self.algorithms[1]:
            return False
        new = HASH_CONSTRUCTORS.get(self.algorithms[0])
        if new is None or self.prev_hashes[:64] != prev or self.prev_hashes[64:] != self.entry_hashes[:-64]:
            return False
        materials = self.materials.split(b"\n")
        if len(materials) != self.count:
            return False
        return "".join([new(material).hexdigest() for material in materials]) == self.entry_hashes


def _fetch_chunk(sql: str, lo: int, hi: int) -> _Chunk:
    with connection.cursor() as cursor:  # the calling thread's own connection
        cursor.execute(sql, [lo, hi])
        count, prev_hashes, entry_hashes, first_alg, last_alg, materials = cursor.fetchone()
    if isinstance(materials, str):
        materials = materials.encode("utf-8")
    return _Chunk(
        lo, hi, count, prev_hashes or "", entry_hashes or "", (first_alg, last_alg), bytes(materials or b"")
    )


def _prefetched(
    fetch: Callable[[int, int], _Chunk], ranges: list[tuple[int, int]], workers: int
) -> Iterator[_Chunk]:
    """`fetch(lo, hi)` of each range, in order; with workers > 1 fetched ahead by that many threads.

    Each thread uses its own database connection (closed when it ends) and keeps at most two
    chunks waiting, so memory stays bounded. The database work (and sqlite3's and psycopg's waits)
    runs without the GIL, so fetching overlaps with hashing in the calling thread. Stopping early
    (the caller leaves the loop) stops the threads.
    """
    if workers <= 1:
        for lo, hi in ranges:
            yield fetch(lo, hi)
        return
    queues: list[queue.Queue[tuple[bool, Any]]] = [queue.Queue(maxsize=2) for _ in range(workers)]
    stop = threading.Event()

    def run(k: int) -> None:
        try:
            for lo, hi in ranges[k::workers]:
                try:
                    item: tuple[bool, Any] = (True, fetch(lo, hi))
                except Exception as exc:  # handed to the caller, raised there
                    item = (False, exc)
                while not stop.is_set():
                    try:
                        queues[k].put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set() or not item[0]:
                    return
        finally:
            connections.close_all()  # this thread's connections only

    threads = [threading.Thread(target=run, args=(k,), daemon=True) for k in range(workers)]
    for thread in threads:
        thread.start()
    try:
        for i in range(len(ranges)):
            ok, value = queues[i % workers].get()
            if not ok:
                raise value
            yield value
    finally:
        stop.set()
        for thread in threads:
            thread.join()


@dataclass
class _Walk:
    """Where the walk stands: the next seq expected and the hash it must link to."""

    expected: int = 1
    prev: str = GENESIS_HASH
    nbytes: int = 0
    rechecked: int = 0


def _walk_rows(walk: _Walk, lo: int, hi: int, signed: dict[int, str]) -> VerifyFailure | None:
    """Check the entries (lo, hi] one at a time from their plain columns; the first failure."""
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {_table()} WHERE seq > %s AND seq <= %s ORDER BY seq", [lo, hi]
        )
        rows = cursor.fetchall()
    encode = _ENCODER.encode
    for (seq, prev_hash, entry_hash, algorithm, recorded_at, actor_id, actor_label, agency_id, act,
         object_type, object_id, payload, file_digest) in rows:  # fmt: skip
        if seq != walk.expected:
            return VerifyFailure("missing_seq", walk.expected, detail=f"next entry present is #{seq}")
        if prev_hash != walk.prev:
            return VerifyFailure(
                "broken_link", seq, detail=f"prev_hash {prev_hash} but entry #{seq - 1} has hash {walk.prev}"
            )
        hasher = ENTRY_HASHERS.get(algorithm)
        if hasher is None:
            return VerifyFailure("unknown_algorithm", seq, detail=f"algorithm {algorithm!r}")
        material = encode(
            [seq, prev_hash, algorithm, _time_text(recorded_at), actor_id, actor_label, agency_id, act,
             object_type, object_id, payload, file_digest]
        ).encode()  # fmt: skip
        walk.nbytes += len(material)
        if hasher(material) != entry_hash:
            walk.rechecked += 1
            recomputed = _orm_entry_hash(seq)
            if recomputed != entry_hash:
                return VerifyFailure(
                    "hash_mismatch", seq, detail=f"stored {entry_hash}, recomputed {recomputed} ({algorithm})"
                )
        if seq in signed:
            failure = _check_signed_head_entry(seq, signed[seq])
            if failure is not None:
                return failure
        walk.prev = entry_hash
        walk.expected = seq + 1
    return None


def ledger_verify(
    *,
    files: bool = True,
    chunk_size: int = VERIFY_CHUNK_SIZE,
    progress: Callable[[str, int, int], None] | None = None,
    in_database: bool = True,
    workers: int | None = None,
) -> VerifyResult:
    """Re-walk the chain (and the file store) and report the first failure, if any.

    The chain is walked in seq order in chunks of `chunk_size` entries up to the head read at the
    start (entries appended meanwhile are left for the next run). Each entry's hash is recomputed
    with the entry's own algorithm, its `prev_hash` compared with the entry before it and the
    sequence checked for gaps; signed heads recorded in the chain (`ledger.head_signed`) have their
    signature checked and must name an entry of the chain. Then every stored file is re-hashed
    from the store (streaming) and compared with its digest and size; every digest the ledger
    references must be in the store and every stored file must be referenced by the ledger.
    `progress(stage, done, total)` is called after each chunk and file.

    Chunks are checked in bulk with the entry bytes built by the database, and walked one entry at
    a time only when that check does not pass (see `_Chunk`); `in_database=False` walks every entry
    one at a time with its bytes built in Python. `workers` threads (default per database from
    `VERIFY_WORKERS`; one inside a transaction, whose uncommitted rows other connections cannot
    see) fetch chunks ahead.
    """
    started = time.perf_counter()
    result = VerifyResult()
    head = _read_head()
    limit = head[0] if head else int(LedgerEntry.objects.aggregate(m=models.Max("seq"))["m"] or 0)
    if workers is None:
        workers = 1 if connection.in_atomic_block else VERIFY_WORKERS.get(connection.vendor, 1)
    signed = dict(
        LedgerEntry.objects.filter(act=HEAD_SIGNED_ACT, seq__lte=limit).values_list("seq", "payload")
    )
    sql = _bulk_query(connection.vendor) if in_database else None
    ranges = [(lo, min(lo + chunk_size, limit)) for lo in range(0, limit, chunk_size)]
    walk = _Walk()
    failure: VerifyFailure | None = None
    if sql is not None:
        chunks: Iterator[_Chunk | tuple[int, int]] = _prefetched(partial(_fetch_chunk, sql), ranges, workers)
    else:
        chunks = iter(ranges)
    try:
        for chunk in chunks:
            if isinstance(chunk, _Chunk) and chunk.intact_after(walk.prev):
                walk.nbytes += len(chunk.materials) - (chunk.count - 1)  # less the separators
                walk.expected, walk.prev = chunk.hi + 1, chunk.entry_hashes[-64:]
                for seq in sorted(s for s in signed if chunk.lo < s <= chunk.hi):
                    failure = _check_signed_head_entry(seq, signed[seq])
                    if failure is not None:
                        break
            else:
                lo, hi = (chunk.lo, chunk.hi) if isinstance(chunk, _Chunk) else chunk
                if isinstance(chunk, _Chunk):
                    walk.rechecked += chunk.count
                failure = _walk_rows(walk, lo, hi, signed)
            if failure is not None:
                break
            if progress is not None:
                progress("entries", walk.expected - 1, limit)
    finally:
        if isinstance(chunks, Generator):
            chunks.close()  # stops the fetching threads
    result.entries = walk.expected - 1
    result.head_seq = walk.expected - 1
    result.head_hash = walk.prev
    result.rechecked = walk.rechecked
    if failure is None and head is not None:
        if head[0] > result.entries:
            failure = VerifyFailure(
                "missing_seq",
                result.entries + 1,
                detail=f"the head is at #{head[0]} but the chain ends at #{result.entries}",
            )
        elif head[1] != walk.prev:
            failure = VerifyFailure(
                "head_mismatch", result.entries, detail=f"head hash {head[1]}, last entry hash {walk.prev}"
            )
    if failure is None and files:
        failure = _verify_files(_referenced_files(result.entries), result, progress)
    result.failure = failure
    result.bytes_hashed = walk.nbytes
    result.seconds = time.perf_counter() - started
    return result


def _referenced_files(last_seq: int) -> dict[str, int]:
    """file digest -> first seq that references it, over the entries up to `last_seq`."""
    rows = (
        LedgerEntry.objects.filter(seq__lte=last_seq)
        .exclude(file_digest="")
        .values("file_digest")
        .annotate(first=models.Min("seq"))
        .values_list("file_digest", "first")
    )
    return {digest: int(first) for digest, first in rows}


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
