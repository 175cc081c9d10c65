"""Reads of guidance records, typical cases and inquiries: scoped to the actor inside; published
typical cases and inquiries by tracking code (without personal data) outside.

`first_contact_overdue` is the head's one list of overdue first-contact items (首问负责, issue 8 §6).
It is assembled here, not in reminders, because guidance owns first contact for inquiries — the
commonest first contact — and already kept their overdue list; the other domains each expose one
small selector of their own overdue items (service, reminders, mediation), read through selectors."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, Model, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotFound
from core.models import Deadline, LegalSetting
from guidance.models import (
    Escalation,
    GuidanceRecord,
    Inquiry,
    InquiryStatus,
    OverdueKind,
    TypicalCase,
    TypicalStatus,
)
from org import selectors as org_selectors
from org.roles import Role

# LegalSetting keys and defaults ([U] configuration seeded by migration 0002; LEGAL.md has no figure).
INQUIRY_REPLY_WORKDAYS = ("guidance.inquiry_reply_workdays", 5)

RECTIFICATION = "guidance.rectification"
INQUIRY_REPLY = "guidance.inquiry_reply"
OPEN_DEADLINE = (
    Deadline.Status.OPEN,
    Deadline.Status.DUE_SOON,
    Deadline.Status.OVERDUE,
    Deadline.Status.PAUSED,
)
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
READERS = {Role.OFFICER, Role.HEAD, Role.SUPERVISOR, Role.LEGAL_REVIEWER}


def legal_setting_int(key: str, default: int) -> int:
    value = LegalSetting.objects.filter(key=key).values_list("value", flat=True).first()
    try:
        number = int(value) if value is not None else default
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def public_agencies() -> list[tuple[int, str]]:
    return [(a.pk, a.name) for a in org_selectors.visible_agencies(None).filter(active=True).order_by("path")]


def _agency_ids(actor: Any) -> list[int] | None:
    """None = everything; [] = nothing."""
    if org_selectors.is_unrestricted(actor):
        return None
    officer = org_selectors.officer_for(actor)
    if officer is None or not officer.active or not org_selectors.roles_of(user=actor) & READERS:
        return []
    return list(org_selectors.visible_agency_ids(actor))


def _scoped(qs: QuerySet[Any], actor: Any) -> QuerySet[Any]:
    ids = _agency_ids(actor)
    return qs if ids is None else qs.filter(agency_id__in=ids)


def _get[M: Model](qs: QuerySet[M], pk: int, what: str) -> M:
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("%(what)s %(id)s does not exist or is not yours to see.") % {"what": what, "id": pk})
    return obj


# --- guidance records ------------------------------------------------------------------------------


def visible_records(actor: Any) -> QuerySet[GuidanceRecord]:
    return _scoped(GuidanceRecord.objects.select_related("agency"), actor)


def record_get(*, actor: Any, pk: int) -> GuidanceRecord:
    return _get(visible_records(actor), pk, _("Guidance record"))


def deadlines_of(obj: Any, *, kind: str | None = None, open_only: bool = False) -> QuerySet[Deadline]:
    qs = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(type(obj)), subject_id=str(obj.pk)
    )
    if kind is not None:
        qs = qs.filter(kind=kind)
    if open_only:
        qs = qs.filter(status__in=OPEN_DEADLINE)
    return qs.order_by("due_date", "pk")


def agency_officers(*, agency_id: int) -> QuerySet[Any]:
    return (
        org_selectors.visible_officers(None)
        .filter(agency_id=agency_id, active=True, user__is_active=True)
        .select_related("department")
        .order_by("department__name", "name")
    )


# --- typical cases ---------------------------------------------------------------------------------


def visible_typical_cases(actor: Any) -> QuerySet[TypicalCase]:
    return _scoped(TypicalCase.objects.select_related("agency", "author", "reviewer"), actor)


def typical_case_get(*, actor: Any, pk: int) -> TypicalCase:
    return _get(visible_typical_cases(actor), pk, _("Typical case"))


def published_typical_cases(
    *, q: str = "", field: str = "", method: str = "", category: str = "", agency_id: int | None = None
) -> QuerySet[TypicalCase]:
    """The library on the portal: published entries, searchable and filterable."""
    qs = TypicalCase.objects.filter(status=TypicalStatus.PUBLISHED).select_related("agency")
    if q:
        for word in q.split()[:5]:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(body__icontains=word)
                | Q(lessons__icontains=word)
            )
    if field:
        qs = qs.filter(field=field)
    if method:
        qs = qs.filter(method=method)
    if category:
        qs = qs.filter(category=category)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return qs.order_by("-published_on", "-pk")


def published_typical_case(pk: Any) -> TypicalCase | None:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        return None
    return published_typical_cases().filter(pk=key).first() if 0 < key < 2**62 else None


# --- inquiries -------------------------------------------------------------------------------------


def visible_inquiries(actor: Any) -> QuerySet[Inquiry]:
    return _scoped(Inquiry.objects.select_related("agency", "owner", "first_contact"), actor)


def inquiry_get(*, actor: Any, pk: int) -> Inquiry:
    return _get(visible_inquiries(actor), pk, _("Inquiry"))


def normalise_code(raw: str) -> str:
    code = "".join(ch for ch in (raw or "")[:40].upper() if ch not in " -_")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return ""
    return code


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def inquiry_by_code(code: str) -> Inquiry | None:
    normalised = normalise_code(code)
    if not normalised:
        return None
    return Inquiry.objects.select_related("agency").filter(tracking_code=normalised).first()


def inquiry_public_status(inquiry: Inquiry) -> dict[str, Any]:
    """What the holder of the code sees: no name, no contact, no question text."""
    return {
        "display_code": display_code(inquiry.tracking_code),
        "agency": inquiry.agency.name,
        "received_on": inquiry.received_on,
        "status_label": str(InquiryStatus(inquiry.status).label),
        "reply": inquiry.reply if inquiry.status == InquiryStatus.REPLIED else "",
        "replied_on": timezone.localdate(inquiry.replied_at) if inquiry.replied_at else None,
    }


def overdue_inquiries(*, actor: Any, today: datetime.date | None = None) -> QuerySet[Inquiry]:
    """Inquiries not answered by their reply deadline (限时办结), for the head: oldest due first."""
    today = today or timezone.localdate()
    late = (
        Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(Inquiry),
            kind=INQUIRY_REPLY,
            status__in=OPEN_DEADLINE,
            due_date__lt=today,
        )
        .annotate(inquiry_id=Cast("subject_id", BigIntegerField()))
        .values("inquiry_id")
    )
    return (
        visible_inquiries(actor)
        .filter(pk__in=Subquery(late))
        .exclude(status=InquiryStatus.REPLIED)
        .order_by("received_on", "pk")
    )


def reply_due(inquiry: Inquiry) -> datetime.date | None:
    deadline = deadlines_of(inquiry, kind=INQUIRY_REPLY).last()
    return deadline.due_date if deadline is not None else None


# --- first contact (首问负责): the head's list of overdue items -------------------------------------
#
# Assembled here because guidance owns first contact for inquiries and already keeps their overdue
# list; each other domain exposes one small selector of its own overdue first-contact items (service:
# `overdue_applications`, reminders: `overdue_tasks`, mediation: `overdue_requests`), read through
# their selectors only.

OVERSEERS = {Role.HEAD, Role.SUPERVISOR}


def may_oversee(actor: Any) -> bool:
    """The list is for heads (and supervisors reading subordinate agencies)."""
    if org_selectors.is_unrestricted(actor):
        return True
    officer = org_selectors.officer_for(actor)
    return officer is not None and officer.active and bool(org_selectors.roles_of(user=actor) & OVERSEERS)


def _inquiry_rows(actor: Any, today: datetime.date) -> list[dict[str, Any]]:
    rows = []
    for inquiry in overdue_inquiries(actor=actor, today=today):
        due = reply_due(inquiry)
        rows.append(
            {
                "pk": inquiry.pk,
                "agency_id": inquiry.agency_id,
                "reference": display_code(inquiry.tracking_code),
                "title": inquiry.question[:60],
                "party": inquiry.asker_name,
                "owner_user_id": inquiry.owner.user_id if inquiry.owner else None,
                "owner_name": inquiry.owner.name if inquiry.owner else "",
                "received_on": inquiry.received_on,
                "due_date": due or inquiry.received_on,
            }
        )
    return rows


def _application_rows(actor: Any, today: datetime.date) -> list[dict[str, Any]]:
    from service import selectors as service_selectors

    rows = []
    for app in service_selectors.overdue_applications(actor, today=today):
        late = [
            d.due_date for d in service_selectors.subject_deadlines(app, open_only=True) if d.due_date < today
        ]
        rows.append(
            {
                "pk": app.pk,
                "agency_id": app.agency_id,
                "reference": app.tracking_code,
                "title": str(app.kind),
                "party": app.applicant_name,
                "owner_user_id": app.owner.user_id if app.owner else None,
                "owner_name": app.owner.name if app.owner else "",
                "received_on": app.received_on,
                "due_date": min(late) if late else app.received_on,
            }
        )
    return rows


def _reminder_rows(actor: Any, today: datetime.date) -> list[dict[str, Any]]:
    from reminders import selectors as reminder_selectors

    return reminder_selectors.overdue_tasks(actor=actor, today=today)


def _mediation_rows(actor: Any, today: datetime.date) -> list[dict[str, Any]]:
    from mediation import selectors as mediation_selectors

    return mediation_selectors.overdue_requests(actor=actor, today=today)


SOURCES = (
    (OverdueKind.INQUIRY, _inquiry_rows, "guidance:inquiry_detail"),
    (OverdueKind.APPLICATION, _application_rows, "service:application"),
    (OverdueKind.REMINDER_TASK, _reminder_rows, "reminders:task"),
    (OverdueKind.MEDIATION, _mediation_rows, "mediation:detail"),
)


def first_contact_overdue(
    *, actor: Any, today: datetime.date | None = None, kind: str = ""
) -> list[dict[str, Any]]:
    """Every first-contact item past its time limit that `actor` may oversee, most late first: kind,
    reference, what it is about, the party, the responsible officer, received on, due date, days
    late, and when it was reported to the head (None = not yet)."""
    from django.urls import reverse

    if not may_oversee(actor):
        return []
    today = today or timezone.localdate()
    rows: list[dict[str, Any]] = []
    for code, source, url_name in SOURCES:
        if kind and kind != code:
            continue
        found = source(actor, today)
        escalated = dict(
            Escalation.objects.filter(kind=code, item_id__in=[r["pk"] for r in found]).values_list(
                "item_id", "escalated_on"
            )
        )
        for row in found:
            rows.append(
                {
                    **row,
                    "kind": code,
                    "kind_label": str(OverdueKind(code).label),
                    "days_late": (today - row["due_date"]).days,
                    "url": reverse(url_name, args=[row["pk"]]),
                    "escalated_on": escalated.get(row["pk"]),
                }
            )
    return sorted(rows, key=lambda r: (r["due_date"], r["kind"], r["pk"]))
