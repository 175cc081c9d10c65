"""数据汇聚 — reporting upward (issue 9 §9).

Export: `export_next` makes the agency's next batch: every record touched by a ledger act in
(since, until] — `since` is the previous batch's `until` (0 for the first, which carries everything),
`until` the ledger head when the batch is made. The NDJSON bytes are written by `export_stream` in
constant memory (querysets iterated in chunks, one line at a time, to a spooled file) and stored in
the content-addressed file store; the same cursor always returns the stored bytes (idempotent). A
record carries its current state when the batch is made, so a record changed again after `until`
is sent again in the next batch: harmless, the receiver upserts.

Nothing sensitive leaves (exchange/schema.py): natural persons become surname + 某 and case titles are
masked by `publicity.masking`; identity numbers, phones and addresses of parties, case facts and
locations are never read into a record.

Signature: the trailer carries the digest of the header line and the exporting agency's signature
(`core.services.signing`, the key of its archive manifests: Ed25519 or SM2) over the canonical JSON of
the trailer without the signature — so the signature covers the header, every record line (through
the trailer's digest) and the counts, and is made in constant memory.

Receive: `ingest` reads a subordinate agency's batch line by line (constant memory), checks that the
batch continues the source's cursor, that its signature verifies with a key trusted for the source (the
key held on this instance when the source is served here, else the key pinned from its first signed
batch — `SourceKey`), every line's shape and every record's digest, the trailer's count and digest;
then upserts the records, all in one transaction. A batch whose signature does not verify is refused
(409 `exchange_signature_invalid`) and the refusal is a ledger act of its own (`exchange.batch_refused`)
that survives the refused transaction. The same batch again is a no-op (idempotent); a different batch
for a cursor already received is refused.

Reconciliation: per kind and period, the number of records and an order-independent digest (the sum
modulo 2^256 of SHA-256("id:record digest")), computed the same way by the exporter over its live
data (`reconciliation`) and by the receiver over what it holds (`received_reconciliation`).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Count, QuerySet, Sum
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import selectors as case_selectors
from catalog import selectors as catalog_selectors
from core.errors import Conflict, DomainError, ValidationFailed
from core.hashing import canonical_json
from core.models import LedgerEntry
from core.services import signing
from core.services.files import file_open, file_store
from core.services.ledger import ledger_append, ledger_head
from exchange import policies
from exchange.models import ExportBatch, ReceivedBatch, ReceivedRecord, SourceKey
from exchange.schema import FORMAT, KINDS, VERSION
from org import selectors as org_selectors
from publicity import selectors as publicity_selectors
from publicity.masking import PartyData, mask, pseudonym

CHUNK = 2000
# The published (masked) fields of a publication that a record carries, loaded in one query.
PUBLICATION_FIELDS = (
    "pk",
    "public_id",
    "case_id",
    "title",
    "document_number",
    "party_label",
    "category",
    "decided_on",
    "published_at",
    "status",
    "withdrawn_at",
)
MOD = 2**256
NO_PERIOD = "-"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _day(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "date") and callable(value.date):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return str(value.isoformat())


def _month(value: Any) -> str:
    day = _day(value)
    return day[:7] if day else NO_PERIOD


def _money(value: Any) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


# --- records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    kind: str
    id: str
    period: str
    data: dict[str, Any]

    @property
    def digest(self) -> str:
        return _sha(canonical_json(self.data).encode("utf-8"))

    def line(self) -> bytes:
        doc = {
            "type": "record",
            "kind": self.kind,
            "id": self.id,
            "period": self.period,
            "digest": self.digest,
            "data": self.data,
        }
        return canonical_json(doc).encode("utf-8") + b"\n"


def _changed(since: int, until: int, object_type: str) -> QuerySet[Any]:
    """Ids (as integers) of the objects of a type touched by a ledger act in (since, until]."""
    ids: QuerySet[Any] = (
        LedgerEntry.objects.filter(seq__gt=since, seq__lte=until, object_type=object_type)
        .annotate(oid=Cast("object_id", BigIntegerField()))
        .values("oid")
    )
    return ids


def _subject(agency: Any) -> Record:
    departments = org_selectors.visible_departments(None).filter(agency_id=agency.pk).order_by("pk")
    parent = agency.parent.code if agency.parent_id else None
    return Record(
        "subject",
        str(agency.pk),
        NO_PERIOD,
        {
            "code": agency.code,
            "name": agency.name,
            "level": agency.level,
            "parent_code": parent,
            "region_code": agency.region_code,
            "duties": agency.duties,
            "address": agency.address,
            "phone": agency.phone,
            "active": agency.active,
            "departments": [
                {"id": d.pk, "name": d.name, "kind": d.kind, "active": d.active} for d in departments
            ],
        },
    )


def _staff(officer: Any) -> Record:
    certificates = sorted(officer.certificates.all(), key=lambda c: c.pk)
    return Record(
        "staff",
        str(officer.pk),
        NO_PERIOD,
        {
            "name": officer.name,
            "department": officer.department.name if officer.department_id else None,
            "title": officer.title,
            "auxiliary": officer.is_auxiliary,
            "active": officer.active,
            "certificates": [
                {
                    "number": c.number,
                    "status": c.status,
                    "issued_on": _day(c.issued_on),
                    "expires_on": _day(c.expires_on),
                    "fields": sorted(f.code for f in c.fields.all()),
                }
                for c in certificates
            ],
        },
    )


def _power(item: Any) -> Record:
    return Record(
        "power",
        str(item.pk),
        NO_PERIOD,
        {
            "code": item.code,
            "version": item.version,
            "name": item.name,
            "kind": item.kind,
            "status": item.status,
            "field_code": item.field_code,
            "valid_from": _day(item.valid_from),
            "valid_until": _day(item.valid_until),
        },
    )


def _party(party: Any) -> dict[str, Any]:
    natural = party.party_type == "natural"
    return {
        "type": party.party_type if party.party_type in ("natural", "legal") else "other",
        "name": pseudonym(party.name) if natural else party.name,
        "credit_code": None if natural else party.id_number,
    }


def _case_title(case: Any, parties: list[Any]) -> str:
    if not case.title:
        return ""
    party = PartyData(
        persons=tuple(p.name for p in parties if p.party_type == "natural"),
        organisations=tuple(p.name for p in parties if p.party_type != "natural"),
        id_numbers=tuple(p.id_number for p in parties if p.id_number),
        addresses=tuple(p.address for p in parties if p.address),
        phones=tuple(p.phone for p in parties if p.phone),
    )
    return mask(case.title, party).text


def _case(case: Any) -> Record:
    parties = sorted(case.parties.all(), key=lambda p: p.pk)
    period = _month(case.registered_on or case.lead.discovered_on)
    return Record(
        "case",
        str(case.pk),
        period,
        {
            "case_number": case.case_number,
            "title": _case_title(case, parties),
            "procedure": case.procedure,
            "status": case.status,
            "field_code": case.field_code,
            "violation_code": case.violation_code,
            "power_item_id": case.power_item_id,
            "source": case.lead.source,
            "discovered_on": _day(case.lead.discovered_on),
            "registered_on": _day(case.registered_on),
            "decided_on": _day(case.decided_on),
            "closed_on": _day(case.closed_on),
            "parties": [_party(p) for p in parties],
        },
    )


def _decision(case: Any) -> Record:
    return Record(
        "decision",
        str(case.pk),
        _month(case.decided_on),
        {
            "case_id": case.pk,
            "decision_number": case.decision_number,
            "decided_on": _day(case.decided_on),
            "kinds": sorted(case.decided_kinds or []),
            "amount": _money(case.decided_amount),
            "delivered_on": _day(case.delivered_on),
            "revoked_on": _day(case.decision_revoked_on),
        },
    )


def _publication(pub: Any) -> Record:
    return Record(
        "publication",
        str(pub.pk),
        _month(pub.published_at),
        {
            "public_id": str(pub.public_id),
            "case_id": pub.case_id,
            "title": pub.title,
            "document_number": pub.document_number,
            "party": pub.party_label,
            "category": pub.category,
            "decided_on": _day(pub.decided_on),
            "published_on": _day(pub.published_at),
            "status": pub.status,
            "withdrawn_on": _day(pub.withdrawn_at),
        },
    )


def _statistics(agency_id: int, months: set[str] | None) -> Iterator[Record]:
    """Per month: cases registered, decisions made (and fines decided), cases closed."""
    cases = case_selectors.visible_cases(None).filter(agency_id=agency_id)
    table: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"discovered": 0, "registered": 0, "decided": 0, "closed": 0, "fines": Decimal(0)}
    )
    for row in (
        cases.annotate(m=TruncMonth("lead__discovered_on")).values("m").annotate(n=Count("pk")).order_by()
    ):
        table[_month(row["m"])]["discovered"] = row["n"]
    for row in (
        cases.filter(registered_on__isnull=False)
        .annotate(m=TruncMonth("registered_on"))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        table[_month(row["m"])]["registered"] = row["n"]
    for row in (
        cases.filter(decided_on__isnull=False)
        .annotate(m=TruncMonth("decided_on"))
        .values("m")
        .annotate(n=Count("pk"), s=Sum("decided_amount"))
        .order_by()
    ):
        table[_month(row["m"])]["decided"] = row["n"]
        table[_month(row["m"])]["fines"] = row["s"] or Decimal(0)
    for row in (
        cases.filter(closed_on__isnull=False)
        .annotate(m=TruncMonth("closed_on"))
        .values("m")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        table[_month(row["m"])]["closed"] = row["n"]
    for month in sorted(table):
        if months is not None and month not in months:
            continue
        t = table[month]
        yield Record(
            "statistics",
            month,
            month,
            {
                "month": month,
                "discovered": t["discovered"],
                "registered": t["registered"],
                "decided": t["decided"],
                "closed": t["closed"],
                "fines_decided": _money(t["fines"]),
            },
        )


def records(agency: Any, *, since: int = 0, until: int | None = None) -> Iterator[Record]:
    """The agency's records touched in (since, until] — all of them when `since` is 0 — in a fixed
    order: subject, staff, power, case, decision, publication, statistics; by id within a kind."""
    until = ledger_head()["seq"] if until is None else until
    full = since == 0

    def only(qs: QuerySet[Any], *types: str) -> QuerySet[Any]:
        if full:
            return qs
        ids: QuerySet[Any] | None = None
        for object_type in types:
            part = _changed(since, until, object_type)
            ids = part if ids is None else ids.union(part)
        return qs.filter(pk__in=ids)

    if (
        full
        or _changed(since, until, "org.agency").filter(oid=agency.pk).exists()
        or _changed(since, until, "org.department").exists()
    ):
        yield _subject(agency)

    officers = org_selectors.visible_officers(None).filter(agency_id=agency.pk).order_by("pk")
    if not full:
        cert_owners = (
            org_selectors.visible_certificates(None)
            .filter(pk__in=_changed(since, until, "org.certificate"))
            .values("officer_id")
        )
        officers = officers.filter(pk__in=_changed(since, until, "org.officer")) | officers.filter(
            pk__in=cert_owners
        )
    for officer in officers.prefetch_related("certificates__fields").iterator(chunk_size=CHUNK):
        yield _staff(officer)

    powers = only(
        catalog_selectors.visible_power_items(None).filter(agency_id=agency.pk), "catalog.poweritem"
    )
    for item in powers.order_by("pk").iterator(chunk_size=CHUNK):
        yield _power(item)

    cases = only(case_selectors.visible_cases(None).filter(agency_id=agency.pk), "cases.case").order_by("pk")
    months: set[str] = set()
    for case in cases.prefetch_related("parties").iterator(chunk_size=CHUNK):
        for day in (case.lead.discovered_on, case.registered_on, case.decided_on, case.closed_on):
            if day is not None:
                months.add(_month(day))
        yield _case(case)
    for case in cases.filter(decided_on__isnull=False).iterator(chunk_size=CHUNK):
        yield _decision(case)

    pubs = only(
        publicity_selectors.published_decisions().filter(agency_id=agency.pk).only(*PUBLICATION_FIELDS),
        "publicity.publication",
    )
    for pub in pubs.order_by("pk").iterator(chunk_size=CHUNK):
        yield _publication(pub)

    yield from _statistics(agency.pk, None if full else months)


def header_line(agency: Any, since: int, until: int) -> bytes:
    return (
        canonical_json(
            {
                "type": "header",
                "format": FORMAT,
                "version": VERSION,
                "since": since,
                "until": until,
                "agency": {"code": agency.code, "name": agency.name, "level": agency.level},
            }
        ).encode("utf-8")
        + b"\n"
    )


def export_stream(agency: Any, out: IO[bytes], *, since: int = 0, until: int | None = None) -> dict[str, Any]:
    """Write the NDJSON export of (since, until] to `out`; return count, counts, until and digest."""
    until = ledger_head()["seq"] if until is None else until
    header = header_line(agency, since, until)
    out.write(header)
    counts: dict[str, int] = defaultdict(int)
    digest = hashlib.sha256()
    for record in records(agency, since=since, until=until):
        line = record.line()
        digest.update(line)
        out.write(line)
        counts[record.kind] += 1
    trailer = {
        "type": "trailer",
        "count": sum(counts.values()),
        "counts": dict(sorted(counts.items())),
        "digest": digest.hexdigest(),
        "header_digest": _sha(header),
    }
    signed = {**trailer, "signature": _signature(agency, trailer)}
    out.write(canonical_json(signed).encode("utf-8") + b"\n")
    return {**signed, "until": until}


def _signature(agency: Any, trailer: dict[str, Any]) -> dict[str, str]:
    """The agency's signature over the canonical JSON of the trailer (its key, made on first use)."""
    key_name = signing.agency_key_name(agency.pk)
    key = signing.signing_key_ensure(key_name=key_name)
    return {
        "key_name": key_name,
        "algorithm": key.algorithm,
        "public_key": key.public_key_pem,
        "fingerprint": key.fingerprint,
        "value": signing.sign(key_name, canonical_json(trailer).encode("utf-8")),
    }


def export_next(*, actor: Any, agency: Any, since: int | None = None) -> ExportBatch | None:
    """The batch that starts at `since` (default: where the last batch ended). Made and stored on the
    first request, the stored bytes afterwards. None when nothing was recorded since the cursor."""
    policies.ensure(actor, "export", agency)
    last = ExportBatch.objects.filter(agency_id=agency.pk).order_by("-since").first()
    cursor = last.until if last else 0
    since = cursor if since is None else since
    existing = ExportBatch.objects.filter(agency_id=agency.pk, since=since).first()
    if existing is not None:
        return existing
    if since != cursor:
        raise Conflict(
            _(
                "Batches follow one another: the next batch starts at ledger sequence %(cursor)d, not "
                "%(since)d. Ask for since=%(cursor)d, or for the start of a batch already made."
            )
            % {"cursor": cursor, "since": since},
            code="exchange_cursor_mismatch",
        )
    until = ledger_head()["seq"]
    if until <= since:
        return None
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        summary = export_stream(agency, spool, since=since, until=until)
        if summary["count"] == 0:  # only acts that touch no exported record (e.g. earlier exports)
            return None
        size = spool.tell()
        spool.seek(0)
        try:
            with transaction.atomic():
                stored = file_store(
                    actor=actor,
                    fileobj=spool,
                    filename=f"{agency.code}-{since}-{until}.ndjson",
                    content_type="application/x-ndjson",
                    agency_id=agency.pk,
                    act="exchange.batch_file",
                )
                batch = ExportBatch.objects.create(
                    agency_id=agency.pk,
                    since=since,
                    until=until,
                    file=stored,
                    size=size,
                    count=summary["count"],
                    counts=summary["counts"],
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
                ledger_append(
                    actor=actor,
                    act="exchange.batch_exported",
                    obj=batch,
                    agency_id=agency.pk,
                    file_digest=stored.digest,
                    payload={
                        "since": since,
                        "until": until,
                        "count": summary["count"],
                        "counts": summary["counts"],
                        "records_digest": summary["digest"],
                        "key_fingerprint": summary["signature"]["fingerprint"],
                        "signature": summary["signature"]["value"],
                    },
                )
        except IntegrityError:  # made at the same moment by another request: theirs stands
            return ExportBatch.objects.get(agency_id=agency.pk, since=since)
    return batch


def batch_bytes(batch: ExportBatch) -> Iterator[bytes]:
    with file_open(batch.file) as handle:
        while chunk := handle.read(64 * 1024):
            yield chunk


# --- reconciliation ----------------------------------------------------------------------------


def _tally(rows: Iterable[tuple[str, str, str, str]]) -> dict[str, dict[str, dict[str, Any]]]:
    acc: dict[tuple[str, str], list[int]] = {}
    for kind, ref, period, digest in rows:
        slot = acc.setdefault((kind, period), [0, 0])
        slot[0] += 1
        slot[1] = (slot[1] + int(_sha(f"{ref}:{digest}".encode()), 16)) % MOD
    report: dict[str, dict[str, dict[str, Any]]] = {}
    for (kind, period), (count, total) in sorted(acc.items()):
        report.setdefault(kind, {})[period] = {"count": count, "digest": f"{total:064x}"}
    return report


def reconciliation(*, actor: Any, agency: Any) -> dict[str, Any]:
    """The exporter's report over its live data: per kind and period, count and digest."""
    policies.ensure(actor, "export", agency)
    return {
        "agency": agency.code,
        "kinds": _tally((r.kind, r.id, r.period, r.digest) for r in records(agency)),
    }


def received_reconciliation(*, actor: Any, source: Any) -> dict[str, Any]:
    """The receiver's report over what it holds of `source`."""
    policies.ensure(actor, "read_received", source)
    rows = (
        ReceivedRecord.objects.filter(source_id=source.pk)
        .order_by()
        .values_list("kind", "ref", "period", "digest")
        .iterator(chunk_size=CHUNK)
    )
    return {"agency": source.code, "kinds": _tally(rows)}


def reconcile(mine: dict[str, Any], theirs: dict[str, Any]) -> list[dict[str, Any]]:
    """Differences between two reports: (kind, period, what each side has)."""
    out = []
    a, b = mine.get("kinds", {}), theirs.get("kinds", {})
    for kind in sorted(set(a) | set(b)):
        for period in sorted(set(a.get(kind, {})) | set(b.get(kind, {}))):
            left, right = a.get(kind, {}).get(period), b.get(kind, {}).get(period)
            if left != right:
                out.append({"kind": kind, "period": period, "exporter": left, "receiver": right})
    return out


# --- receiving -------------------------------------------------------------------------------------


def _bad(line_no: int, why: str) -> ValidationFailed:
    return ValidationFailed(
        _(
            "Line %(n)d of the batch is not valid (%(why)s); nothing was stored. Send the batch again as "
            "the exporter produced it (schema: /exchange/schema/v1.json)."
        )
        % {"n": line_no, "why": why},
        code="exchange_invalid_batch",
    )


def _parse(line: bytes, line_no: int) -> dict[str, Any]:
    try:
        doc = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        raise _bad(line_no, _("not JSON")) from None
    if not isinstance(doc, dict):
        raise _bad(line_no, _("not a JSON object"))
    return doc


def _check_record(doc: dict[str, Any], line_no: int) -> Record:
    kind, ref, period, data = doc.get("kind"), doc.get("id"), doc.get("period"), doc.get("data")
    if kind not in KINDS:
        raise _bad(line_no, _("unknown kind"))
    if not isinstance(ref, str) or not 0 < len(ref) <= 64 or not isinstance(period, str) or len(period) > 7:
        raise _bad(line_no, _("id or period missing"))
    if not isinstance(data, dict):
        raise _bad(line_no, _("data missing"))
    record = Record(kind, ref, period, data)
    if record.digest != doc.get("digest"):
        raise _bad(line_no, _("the record's digest does not match its data"))
    return record


def _upsert(source_id: int, batch: ReceivedBatch, chunk: list[Record]) -> None:
    keys = {(r.kind, r.id) for r in chunk}
    existing = {
        (row.kind, row.ref): row
        for row in ReceivedRecord.objects.filter(
            source_id=source_id, ref__in={r.id for r in chunk}, kind__in={r.kind for r in chunk}
        )
        if (row.kind, row.ref) in keys
    }
    new, changed = [], []
    for r in chunk:
        row = existing.get((r.kind, r.id))
        if row is None:
            new.append(
                ReceivedRecord(
                    source_id=source_id,
                    kind=r.kind,
                    ref=r.id,
                    period=r.period,
                    digest=r.digest,
                    data=r.data,
                    batch=batch,
                )
            )
        elif row.digest != r.digest or row.period != r.period:
            row.period, row.digest, row.data, row.batch = r.period, r.digest, r.data, batch
            changed.append(row)
    ReceivedRecord.objects.bulk_create(new)
    ReceivedRecord.objects.bulk_update(changed, ["period", "digest", "data", "batch"])


def ingest(*, actor: Any, lines: Iterable[bytes]) -> tuple[ReceivedBatch, bool]:
    """Receive a subordinate agency's batch (its own bearer token): idempotent, all or nothing.

    The bytes are spooled first (constant memory) to know the batch's digest before anything is
    written; then every line is checked and the records upserted in one transaction. Returns the batch
    and whether it was new (False: the same bytes were received before)."""
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
        whole = hashlib.sha256()
        for line in lines:
            whole.update(line)
            spool.write(line)
        digest = whole.hexdigest()
        spool.seek(0)
        return _ingest(actor=actor, spool=spool, digest=digest)


def _ingest(*, actor: Any, spool: IO[bytes], digest: str) -> tuple[ReceivedBatch, bool]:
    header_raw = spool.readline()
    header = _parse(header_raw, 1)
    if header.get("type") != "header" or header.get("format") != FORMAT or header.get("version") != VERSION:
        raise _bad(1, _("the first line must be the version %(v)d header") % {"v": VERSION})
    since, until, agency_info = header.get("since"), header.get("until"), header.get("agency")
    if (
        not isinstance(since, int)
        or not isinstance(until, int)
        or not 0 <= since < until
        or not isinstance(agency_info, dict)
    ):
        raise _bad(1, _("the cursors or the agency are missing"))
    source = org_selectors.visible_agencies(None).filter(code=str(agency_info.get("code", ""))).first()
    if source is None:
        raise DomainError(
            _(
                "Agency %(code)s is not known here: a batch is received from a subordinate agency "
                "registered in this instance."
            )
            % {"code": agency_info.get("code")},
            code="exchange_unknown_agency",
        )
    policies.ensure(actor, "send", source)
    receiver = source.parent
    if receiver is None:
        raise DomainError(
            _("%(name)s has no agency above it to report to.") % {"name": source.name},
            code="exchange_no_receiver",
        )
    previous = ReceivedBatch.objects.filter(source=source, since=since).first()
    if previous is not None:
        if previous.digest != digest:
            raise Conflict(
                _(
                    "A different batch from ledger sequence %(since)d of %(name)s was already "
                    "received; batches cannot be replaced."
                )
                % {"since": since, "name": source.name},
                code="exchange_batch_differs",
            )
        return previous, False  # the same bytes again: nothing to do
    cursor = (
        ReceivedBatch.objects.filter(source=source).order_by("-until").values_list("until", flat=True).first()
    ) or 0
    if since != cursor:
        raise Conflict(
            _(
                "The next batch of %(name)s must start at ledger sequence %(cursor)d (the end of the "
                "last batch received), not %(since)d."
            )
            % {"name": source.name, "cursor": cursor, "since": since},
            code="exchange_cursor_mismatch",
        )
    refused = _Refusal(actor=actor, source=source, receiver=receiver, since=since, until=until, digest=digest)
    trailer = _trailer_of(spool)
    key = None if trailer is None else _verified_key(refused, header_raw, trailer)
    try:
        with transaction.atomic():
            batch = ReceivedBatch.objects.create(
                receiver=receiver,
                source=source,
                since=since,
                until=until,
                digest=digest,
                count=0,
                received_by=actor if getattr(actor, "pk", None) else None,
            )
            counts = _receive_records(spool, source.pk, batch)
            batch.count = sum(counts.values())
            batch.save(update_fields=["count"])
            ledger_append(
                actor=actor,
                act="exchange.batch_received",
                obj=batch,
                agency_id=receiver.pk,
                payload={
                    "source": source.code,
                    "since": since,
                    "until": until,
                    "count": batch.count,
                    "counts": dict(sorted(counts.items())),
                    "digest": digest,
                    "key_fingerprint": key.fingerprint if key else None,
                },
            )
            if key is not None and key.pk is None:  # the source's first signed batch: pin its key
                key.batch = batch
                key.save()
                ledger_append(
                    actor=actor,
                    act="exchange.source_key_pinned",
                    obj=key,
                    agency_id=receiver.pk,
                    payload={
                        "source": source.code,
                        "algorithm": key.algorithm,
                        "fingerprint": key.fingerprint,
                        "public_key": key.public_key,
                        "batch": batch.pk,
                    },
                )
    except IntegrityError:  # the same batch received by a concurrent request
        raise Conflict(
            _("This batch was received by another request at the same moment; ask again."),
            code="exchange_busy",
        ) from None
    return batch, True


def _receive_records(spool: IO[bytes], source_id: int, batch: ReceivedBatch) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    records_digest = hashlib.sha256()
    chunk: list[Record] = []
    trailer: dict[str, Any] | None = None
    line_no = 1
    for line in spool:
        line_no += 1
        if not line.strip():
            continue
        if trailer is not None:
            raise _bad(line_no, _("content after the trailer"))
        doc = _parse(line, line_no)
        if doc.get("type") == "trailer":
            trailer = doc
            continue
        if doc.get("type") != "record":
            raise _bad(line_no, _("neither a record nor the trailer"))
        record = _check_record(doc, line_no)
        records_digest.update(line if line.endswith(b"\n") else line + b"\n")
        counts[record.kind] += 1
        chunk.append(record)
        if len(chunk) >= CHUNK:
            _upsert(source_id, batch, chunk)
            chunk = []
    if trailer is None:
        raise _bad(line_no, _("the trailer is missing: the batch was cut short"))
    if trailer.get("count") != sum(counts.values()) or trailer.get("digest") != records_digest.hexdigest():
        raise _bad(line_no, _("the trailer's count or digest does not match the records"))
    if chunk:
        _upsert(source_id, batch, chunk)
    return counts


# --- signatures of received batches ----------------------------------------------------------------


@dataclass(frozen=True)
class _Refusal:
    """What a refused batch's ledger act records."""

    actor: Any
    source: Any
    receiver: Any
    since: int
    until: int
    digest: str

    def __call__(self, reason: str, message: str) -> Conflict:
        """Record the refusal in its own transaction (it survives the refused act) and return the error."""
        with transaction.atomic():
            ledger_append(
                actor=self.actor,
                act="exchange.batch_refused",
                obj=self.source,
                agency_id=self.receiver.pk,
                payload={
                    "source": self.source.code,
                    "since": self.since,
                    "until": self.until,
                    "digest": self.digest,
                    "reason": reason,
                },
            )
        return Conflict(message, code="exchange_signature_invalid")


def _trailer_of(spool: IO[bytes]) -> dict[str, Any] | None:
    """The last non-empty line if it is a trailer (one pass, constant memory); the position is kept.
    None otherwise: the line checks then refuse the batch (trailer missing or content after it)."""
    start = spool.tell()
    last = b""
    for line in spool:
        if line.strip():
            last = line
    spool.seek(start)
    try:
        doc = json.loads(last)
    except (ValueError, UnicodeDecodeError):
        return None
    return doc if isinstance(doc, dict) and doc.get("type") == "trailer" else None


def _trusted_keys(source: Any) -> set[str]:
    """Fingerprints trusted for `source`: the keys pinned here, and its own key when this instance
    holds it (the source is served by the same instance)."""
    trusted = set(SourceKey.objects.filter(source_id=source.pk).values_list("fingerprint", flat=True))
    try:
        if signing.signing_key_exists(key_name=source.code):
            trusted.add(signing.public_key(key_name=source.code).fingerprint)
    except DomainError:  # no valid key name or no signing here: only pinned keys count
        pass
    return trusted


def _verified_key(refused: _Refusal, header_raw: bytes, trailer: dict[str, Any]) -> SourceKey:
    """The key that signed the batch, trusted for its source (unsaved when it is to be pinned now);
    the refusal (recorded in the ledger) when the signature is missing, does not verify or is not the
    source's key."""
    name = refused.source.name
    sig = trailer.get("signature")
    fields = ("key_name", "algorithm", "public_key", "fingerprint", "value")
    if not isinstance(sig, dict) or not all(isinstance(sig.get(f), str) for f in fields):
        raise refused(
            "unsigned",
            _(
                "The batch of %(name)s carries no signature of the agency, so it cannot be shown to come "
                "from it unchanged; nothing was stored. Send the batch exactly as zhifa exported it "
                "(the trailer holds the signature)."
            )
            % {"name": name},
        )
    unsigned = {k: v for k, v in trailer.items() if k != "signature"}
    try:
        fingerprint_ok = signing.fingerprint(sig["public_key"]) == sig["fingerprint"]
    except (ValueError, TypeError):
        fingerprint_ok = False
    if (
        not fingerprint_ok
        or trailer.get("header_digest") != _sha(header_raw)
        or not signing.verify_signature(
            sig["public_key"], canonical_json(unsigned).encode("utf-8"), sig["value"]
        )
    ):
        raise refused(
            "signature_invalid",
            _(
                "The signature of the batch of %(name)s does not verify: the batch was changed after "
                "%(name)s signed it, or it was not signed with the key it names; nothing was stored. "
                "Send the batch exactly as the exporter produced it."
            )
            % {"name": name},
        )
    trusted = _trusted_keys(refused.source)
    if trusted and sig["fingerprint"] not in trusted:
        raise refused(
            "key_not_trusted",
            _(
                "The batch of %(name)s is signed with a key (fingerprint %(fingerprint)s) that is not the "
                "key this instance holds for the agency; nothing was stored. If the agency has changed "
                "its key, the system administrator registers the new public key first "
                "(zhifa exchange_trust_key)."
            )
            % {"name": name, "fingerprint": sig["fingerprint"][:16]},
        )
    existing = SourceKey.objects.filter(source_id=refused.source.pk, fingerprint=sig["fingerprint"]).first()
    if existing is not None:
        return existing
    algorithm = signing.public_key_algorithm(sig["public_key"])
    return SourceKey(
        source_id=refused.source.pk,
        algorithm=algorithm,
        public_key=sig["public_key"],
        fingerprint=sig["fingerprint"],
    )


def source_key_register(*, source: Any, public_key_pem: str) -> SourceKey:
    """Trust a (new) public key of a subordinate agency for its batches — the system administrator's
    act (`zhifa exchange_trust_key`), e.g. after the agency changed its key."""
    try:
        algorithm = signing.public_key_algorithm(public_key_pem)
        fp = signing.fingerprint(public_key_pem)
    except (ValueError, TypeError):
        raise ValidationFailed(
            _("This is not an Ed25519 or SM2 public key in PEM form; give the agency's .pub file."),
            code="exchange_key_invalid",
        ) from None
    with transaction.atomic():
        key, created = SourceKey.objects.get_or_create(
            source_id=source.pk,
            fingerprint=fp,
            defaults={"algorithm": algorithm, "public_key": public_key_pem.strip() + "\n"},
        )
        if created:
            ledger_append(
                actor=None,
                act="exchange.source_key_pinned",
                obj=key,
                agency_id=source.parent_id or source.pk,
                payload={
                    "source": source.code,
                    "algorithm": algorithm,
                    "fingerprint": fp,
                    "public_key": key.public_key,
                    "batch": None,
                },
            )
    return key
