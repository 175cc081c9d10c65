"""Reads of mediations: scoped to the actor inside, by tracking code (without personal data) outside."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotFound
from core.models import Deadline, LegalSetting
from mediation.models import DisputeKind, Mediation, Side, Status
from org import selectors as org_selectors
from org.roles import Role

# LegalSetting keys and defaults (issue 8 §5; LEGAL.md has no figure: [U] configuration seeded by
# migration 0002, each change recorded by the legal-settings screen).
ACCEPTANCE_WORKDAYS = ("mediation.acceptance_workdays", 5)
CONCLUSION_DAYS = ("mediation.conclusion_days", 30)
MAX_EXTENSION_DAYS = ("mediation.max_extension_days", 30)

ACCEPTANCE = "mediation.acceptance"
CONCLUSION = "mediation.conclusion"
OPEN_DEADLINE = (
    Deadline.Status.OPEN,
    Deadline.Status.DUE_SOON,
    Deadline.Status.OVERDUE,
    Deadline.Status.PAUSED,
)
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def legal_setting_int(key: str, default: int) -> int:
    value = LegalSetting.objects.filter(key=key).values_list("value", flat=True).first()
    try:
        number = int(value) if value is not None else default
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def public_agencies() -> list[tuple[int, str]]:
    return [(a.pk, a.name) for a in org_selectors.visible_agencies(None).filter(active=True).order_by("path")]


def visible_mediations(actor: Any) -> QuerySet[Mediation]:
    qs = Mediation.objects.select_related("agency", "mediator")
    if org_selectors.is_unrestricted(actor):
        return qs
    officer = org_selectors.officer_for(actor)
    roles = org_selectors.roles_of(user=actor)
    if (
        officer is None
        or not officer.active
        or not roles & {Role.OFFICER, Role.HEAD, Role.SUPERVISOR, Role.LEGAL_REVIEWER}
    ):
        return qs.none()
    return qs.filter(agency_id__in=org_selectors.visible_agency_ids(actor))


def mediation_get(*, actor: Any, pk: int) -> Mediation:
    mediation = visible_mediations(actor).filter(pk=pk).first()
    if mediation is None:
        raise NotFound(
            _("Mediation %(id)s does not exist or is not yours to see.") % {"id": pk},
            code="mediation_not_found",
        )
    return mediation


def normalise_code(raw: str) -> str:
    code = "".join(ch for ch in (raw or "")[:40].upper() if ch not in " -_")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return ""
    return code


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def mediation_by_code(code: str) -> Mediation | None:
    normalised = normalise_code(code)
    if not normalised:
        return None
    return Mediation.objects.select_related("agency").filter(tracking_code=normalised).first()


def mediation_deadlines(
    *, mediation: Mediation, kind: str | None = None, open_only: bool = False
) -> QuerySet[Deadline]:
    qs = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Mediation), subject_id=str(mediation.pk)
    )
    if kind is not None:
        qs = qs.filter(kind=kind)
    if open_only:
        qs = qs.filter(status__in=OPEN_DEADLINE)
    return qs.order_by("due_date", "pk")


def conclusion_due(mediation: Mediation) -> datetime.date | None:
    deadline = mediation_deadlines(mediation=mediation, kind=CONCLUSION, open_only=True).last()
    return deadline.due_date if deadline is not None else None


def public_status(mediation: Mediation) -> dict[str, Any]:
    """What the holder of the tracking code sees: no names, no contacts, no text of the dispute."""
    return {
        "display_code": display_code(mediation.tracking_code),
        "agency": mediation.agency.name,
        "kind_label": str(DisputeKind(mediation.kind).label),
        "received_on": mediation.received_on,
        "status": mediation.status,
        "status_label": str(Status(mediation.status).label),
        "number": mediation.number,
        "refusal_reason": mediation.refusal_reason if mediation.status == Status.REFUSED else "",
        "routes": mediation.routes if mediation.status == Status.FAILED else "",
        "concluded_on": mediation.concluded_on,
    }


def agency_officers(*, agency_id: int) -> QuerySet[Any]:
    return (
        org_selectors.visible_officers(None)
        .filter(agency_id=agency_id, active=True, user__is_active=True)
        .select_related("department")
        .order_by("department__name", "name")
    )


def mediation_statistics(
    *, actor: Any, start: datetime.date | None = None, end: datetime.date | None = None
) -> dict[str, Any]:
    """Outcomes per kind of dispute among the mediations the actor sees, received in [start, end]."""
    qs = visible_mediations(actor)
    if start:
        qs = qs.filter(received_on__gte=start)
    if end:
        qs = qs.filter(received_on__lte=end)
    counts = {
        (r["kind"], r["status"]): r["n"]
        for r in qs.order_by().values("kind", "status").annotate(n=Count("pk"))
    }
    rows = []
    totals = {s: 0 for s in Status.values}
    for kind in DisputeKind:
        by_status = {s: counts.get((kind.value, s), 0) for s in Status.values}
        for s, n in by_status.items():
            totals[s] += n
        concluded = by_status[Status.AGREED] + by_status[Status.FAILED]
        rows.append(
            {
                "kind": kind.value,
                "label": str(kind.label),
                "by_status": by_status,
                "total": sum(by_status.values()),
                "success_rate": round(100 * by_status[Status.AGREED] / concluded) if concluded else None,
            }
        )
    concluded = totals[Status.AGREED] + totals[Status.FAILED]
    return {
        "rows": rows,
        "totals": totals,
        "total": sum(totals.values()),
        "success_rate": round(100 * totals[Status.AGREED] / concluded) if concluded else None,
        "statuses": [(s.value, str(s.label)) for s in Status],
    }


def today() -> datetime.date:
    return timezone.localdate()


def overdue_requests(*, actor: Any, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Applications for mediation not accepted nor refused by their time limit (5 WD, 首问负责 /
    限时办结, issue 8 §6), for the head's first-contact overdue list: the officer who received the
    application owns it (an online one has no owner until a head decides), oldest due first."""
    today = today or timezone.localdate()
    late = {
        int(d.subject_id): d.due_date
        for d in Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(Mediation),
            kind=ACCEPTANCE,
            status__in=OPEN_DEADLINE,
            due_date__lt=today,
        )
    }
    rows = []
    for m in (
        visible_mediations(actor)
        .filter(pk__in=list(late), status=Status.APPLIED)
        .select_related("recorded_by")
    ):
        user = m.recorded_by
        officer = org_selectors.officer_for(user) if user is not None else None
        party = m.parties.filter(side=Side.APPLICANT).order_by("pk").first()
        rows.append(
            {
                "pk": m.pk,
                "agency_id": m.agency_id,
                "reference": display_code(m.tracking_code),
                "title": str(DisputeKind(m.kind).label),
                "party": party.name if party else "",
                "owner_user_id": user.pk if user is not None else None,
                "owner_name": officer.name if officer is not None else "",
                "received_on": m.received_on,
                "due_date": late[m.pk],
            }
        )
    return sorted(rows, key=lambda r: (r["due_date"], r["pk"]))
