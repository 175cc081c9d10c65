"""The ledger: one append-only, hash-chained record of every act (全过程记录)."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from core.hashing import canonical_json, default_algorithm, digest_bytes
from core.models import LedgerEntry, LedgerHead

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
        [seq, prev_hash, algorithm, recorded_at, actor_id, actor_label, agency_id, act,
         object_type, object_id, payload, file_digest]
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

    `actor` is a user (or None for the system). The head row is locked for the rest of the
    transaction, so concurrent writers in any number of processes form one unbroken chain.
    """
    if obj is not None:
        object_type, object_id = _object_ref(obj)
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
