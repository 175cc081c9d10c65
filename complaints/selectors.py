"""Reads of complaints: scoped to the actor inside, by tracking code (without personal data) outside."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import abuse
from complaints.models import Category, Complaint, Status
from core.errors import NotFound
from core.models import Deadline, LegalSetting
from org import selectors as org_selectors
from org.roles import Role

# LegalSetting keys and defaults. LEGAL.md has no figure for complaints: the defaults are issue 7's
# ([U], configuration seeded by migration 0002, each change recorded by org's legal-setting screen).
ACKNOWLEDGE_WORKDAYS = ("complaints.acknowledge_workdays", 5)
LEAD_DECISION_WORKDAYS = ("complaints.lead_decision_workdays", 15)
REPLY_DAYS = ("complaints.reply_days", 60)

OPEN_DEADLINE = (
    Deadline.Status.OPEN,
    Deadline.Status.DUE_SOON,
    Deadline.Status.OVERDUE,
    Deadline.Status.PAUSED,
)


def legal_setting_int(key: str, default: int) -> int:
    value = LegalSetting.objects.filter(key=key).values_list("value", flat=True).first()
    try:
        number = int(value) if value is not None else default
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def public_agencies() -> list[tuple[int, str]]:
    return [(a.pk, a.name) for a in org_selectors.visible_agencies(None).filter(active=True).order_by("path")]


def visible_complaints(actor: Any) -> QuerySet[Complaint]:
    """Complaints of the agencies the actor reads, without conduct complaints about the actor or
    about a colleague of the actor's department."""
    qs = Complaint.objects.select_related("agency", "department", "owner", "subject_officer")
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
    qs = qs.filter(agency_id__in=org_selectors.visible_agency_ids(actor))
    conflict = Q(category=Category.CONDUCT) & Q(subject_officer_id=officer.pk)
    if officer.department_id is not None:
        conflict |= Q(category=Category.CONDUCT) & Q(subject_officer__department_id=officer.department_id)
    return qs.exclude(conflict)


def complaint_get(*, actor: Any, pk: int) -> Complaint:
    complaint = visible_complaints(actor).filter(pk=pk).first()
    if complaint is None:
        raise NotFound(
            _("Complaint %(id)s does not exist or is not yours to see.") % {"id": pk},
            code="complaint_not_found",
        )
    return complaint


def complaint_by_code(code: str) -> Complaint | None:
    normalised = abuse.normalise_code(code)
    if not normalised:
        return None
    return Complaint.objects.select_related("agency").filter(tracking_code=normalised).first()


def complaint_deadlines(
    *, complaint: Complaint, kind: str | None = None, open_only: bool = False
) -> QuerySet[Deadline]:
    qs = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Complaint), subject_id=str(complaint.pk)
    )
    if kind is not None:
        qs = qs.filter(kind=kind)
    if open_only:
        qs = qs.filter(status__in=OPEN_DEADLINE)
    return qs.order_by("due_date", "pk")


# --- the public answer, masked ----------------------------------------------------------------------

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
LONG_NUMBER_RE = re.compile(r"\d[\d\s-]{5,}\d")
_reply_masker: Callable[[str, dict[str, list[str]]], str] | None = None


def register_reply_masker(masker: Callable[[str, dict[str, list[str]]], str]) -> None:
    """The portal's masking (publicity.masking, which complaints may not import) registers itself
    here at start-up (publicity.apps): `masker(text, party_data) -> masked text`."""
    global _reply_masker
    _reply_masker = masker


def public_reply(complaint: Complaint) -> str:
    """The answer as the public tracking page and the e-mail show it: personal data masked
    (identity numbers, phones, bank accounts, addresses, names — the complainant's own among them —
    and e-mail addresses). Without the portal's masking every long number is hidden (fail closed)."""
    text = EMAIL_RE.sub("[电子邮箱已隐去]", complaint.reply or "")
    party = {
        "persons": [n for n in [complaint.contact_name] if n],
        "phones": [p for p in [complaint.contact_phone] if p],
    }
    if _reply_masker is None:
        return LONG_NUMBER_RE.sub("[号码已隐去]", text)
    return _reply_masker(text, party)


def _day(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(value) if value else None


def public_status(complaint: Complaint) -> dict[str, Any]:
    """What anyone holding the tracking code sees: no name, contact, description nor location."""
    steps: list[tuple[str, datetime.date | None]] = [(str(Status.RECEIVED.label), complaint.received_on)]
    if complaint.accepted_at:
        steps.append((str(Status.ACCEPTED.label), _day(complaint.accepted_at)))
    if complaint.assigned_at:
        steps.append((str(Status.ASSIGNED.label), _day(complaint.assigned_at)))
    if complaint.case_id:
        steps.append((str(Status.CONVERTED.label), _day(complaint.lead_decided_at)))
    if complaint.replied_at:
        steps.append((str(Status.REPLIED.label), _day(complaint.replied_at)))
    if complaint.closed_at:
        steps.append((str(Status.CLOSED.label), _day(complaint.closed_at)))
    return {
        "tracking_code": complaint.tracking_code,
        "display_code": abuse.display_code(complaint.tracking_code),
        "agency": complaint.agency.name,
        "category": complaint.category,
        "category_label": str(Category(complaint.category).label),
        "received_on": complaint.received_on,
        "status": complaint.status,
        "status_label": str(Status(complaint.status).label),
        "steps": [{"label": label, "on": on} for label, on in steps],
        "reply": public_reply(complaint) if complaint.replied_at else "",
        "replied_on": _day(complaint.replied_at),
        "feedback_open": complaint.status == Status.REPLIED and not complaint.satisfaction,
        "satisfaction": complaint.satisfaction,
    }


def agency_departments(*, agency_id: int) -> QuerySet[Any]:
    return org_selectors.visible_departments(None).filter(agency_id=agency_id).order_by("name")


def agency_officers(*, agency_id: int) -> QuerySet[Any]:
    return (
        org_selectors.visible_officers(None)
        .filter(agency_id=agency_id, active=True, user__is_active=True)
        .order_by("department__name", "name")
    )


def officer_by_certificate(*, agency_id: int, number: str) -> Any:
    number = (number or "").strip()
    if not number:
        return None
    cert = (
        org_selectors.visible_certificates(None)
        .filter(number__iexact=number, officer__agency_id=agency_id)
        .first()
    )
    return cert.officer if cert is not None else None


def complaints_year_statistics(*, agency_ids: list[int], year: int) -> dict[str, Any]:
    """For the annual report (publicity.annual): complaints received in `year` by category, and how
    many were answered, turned into case leads, answered within the reply period, and satisfied."""
    qs = Complaint.objects.filter(agency_id__in=agency_ids, received_on__year=year)
    by_category = {
        row["category"]: row["n"] for row in qs.values("category").annotate(n=Count("pk")).order_by()
    }
    return {
        "received": sum(by_category.values()),
        "by_category": {c.value: by_category.get(c.value, 0) for c in Category},
        "replied": qs.filter(replied_at__isnull=False).count(),
        "converted": qs.filter(case_id__isnull=False).count(),
        "satisfied": qs.filter(satisfaction="satisfied").count(),
    }


def upheld_conduct_complaints() -> QuerySet[Complaint]:
    """For supervision (issue 9 §4 "complaints upheld"): conduct complaints answered as upheld or
    partly upheld, unscoped — the caller filters by agency, officer and period."""
    from complaints.models import UPHELD_FINDINGS

    return Complaint.objects.filter(category=Category.CONDUCT, finding__in=UPHELD_FINDINGS)
