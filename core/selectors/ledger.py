"""Reads of the ledger for audit administrators, scoped to the agencies the actor may see.

An actor reads the entries of the agencies `core.scoping.visible_agency_ids` gives them (own agency;
auditors also the agencies below it). A user's acts (logins, MFA, denials, API tokens…) are filed
under the agency they act for, a failed login under the agency of the account it named. Entries of
no agency are system-wide (the system's own acts, failed logins of unknown usernames): only auditors
of the top-level (province) agency — `core.scoping.actor_agency_id(None)` — read them, so that a
county auditor never sees the city's or the province's logins. A superuser and the system read all.
Pages are keyset pages by seq (no COUNT, no OFFSET), newest first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotFound
from core.models import LedgerEntry
from core.scoping import actor_agency_id, visible_agency_ids

PAGE_SIZE = 50


@dataclass(frozen=True)
class LedgerFilters:
    act: str = ""
    actor: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@dataclass(frozen=True)
class LedgerPage:
    entries: list[LedgerEntry]
    older_before: int | None  # pass as `before` for the next (older) page
    newer_after: int | None  # pass as `after` for the previous (newer) page


def ledger_entries_visible(*, actor: Any) -> QuerySet[LedgerEntry]:
    entries = LedgerEntry.objects.all()
    if actor is None or (getattr(actor, "is_superuser", False) and actor.is_active):
        return entries
    scope = Q(agency_id__in=visible_agency_ids(actor))
    if sees_system_wide_entries(actor):
        scope |= Q(agency_id__isnull=True)
    return entries.filter(scope)


def sees_system_wide_entries(actor: Any) -> bool:
    """Entries of no agency: for the system, superusers and users of the top-level agency."""
    if actor is None or (getattr(actor, "is_superuser", False) and actor.is_active):
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    own = actor_agency_id(actor)
    return own is not None and own == actor_agency_id(None)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _filtered(qs: QuerySet[LedgerEntry], filters: LedgerFilters) -> QuerySet[LedgerEntry]:
    if filters.act:
        qs = qs.filter(Q(act=filters.act) | Q(act__startswith=filters.act.rstrip(".") + "."))
    if filters.actor:
        qs = qs.filter(actor_label=filters.actor)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.date_from:
        qs = qs.filter(recorded_at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        qs = qs.filter(recorded_at__lt=_local_midnight(filters.date_to + datetime.timedelta(days=1)))
    return qs


def ledger_page(
    *,
    actor: Any,
    filters: LedgerFilters | None = None,
    before: int | None = None,
    after: int | None = None,
    limit: int = PAGE_SIZE,
) -> LedgerPage:
    """One page of entries, newest first: those below `before`, or those just above `after`."""
    qs = _filtered(ledger_entries_visible(actor=actor), filters or LedgerFilters())
    if after is not None:
        rows = list(qs.filter(seq__gt=after).order_by("seq")[: limit + 1])
        has_newer = len(rows) > limit
        entries = list(reversed(rows[:limit]))
        return LedgerPage(
            entries=entries,
            older_before=entries[-1].seq if entries else None,
            newer_after=entries[0].seq if entries and has_newer else None,
        )
    if before is not None:
        qs = qs.filter(seq__lt=before)
    rows = list(qs.order_by("-seq")[: limit + 1])
    entries = rows[:limit]
    return LedgerPage(
        entries=entries,
        older_before=entries[-1].seq if len(rows) > limit else None,
        newer_after=entries[0].seq if entries and before is not None else None,
    )


def ledger_entry_get(*, actor: Any, seq: int) -> LedgerEntry:
    entry = ledger_entries_visible(actor=actor).filter(seq=seq).first()
    if entry is None:
        raise NotFound(
            _("Ledger entry #%(seq)s does not exist or belongs to an agency you may not read.")
            % {"seq": seq},
            code="ledger_entry_not_found",
        )
    return entry
