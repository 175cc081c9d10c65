"""Reads of the service app: scoped to the actor inside, by tracking code outside.

Public surface for other apps (reminders, followups):
    licence_contact(licence_id) -> dict(name, email, phone, address)
    licences_granted_since(date) -> QuerySet[Licence]   (issued on or after `date`)
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotFound
from core.models import Deadline, LegalSetting
from org import selectors as org_selectors
from org.roles import Role
from service.models import (
    Application,
    AppStatus,
    Inspection,
    Licence,
    LicenceKind,
    LicenceStatus,
    Patrol,
    RandomDraw,
    SupervisionFrequency,
)

# LegalSetting keys and defaults (行政许可法, LEGAL.md §3 [V]; seeded by migration 0002).
CORRECTION_WORKDAYS = ("service.correction_notice_workdays", 5)  # Art.32
DECISION_WORKDAYS = ("service.decision_workdays", 20)  # Art.42
EXTENSION_WORKDAYS = ("service.extension_workdays", 10)  # Art.42
JOINT_DECISION_WORKDAYS = ("service.joint_decision_workdays", 45)  # Art.42 para.2
JOINT_EXTENSION_WORKDAYS = ("service.joint_extension_workdays", 15)  # Art.42 para.2
ISSUE_WORKDAYS = ("service.issue_workdays", 10)  # Art.44
RENEWAL_MIN_DAYS = ("service.renewal_min_days", 30)  # Art.50

READERS = frozenset({Role.OFFICER, Role.HEAD, Role.SUPERVISOR, Role.LEGAL_REVIEWER})
OPEN_DEADLINE = (
    Deadline.Status.OPEN,
    Deadline.Status.DUE_SOON,
    Deadline.Status.OVERDUE,
    Deadline.Status.PAUSED,
)
OPEN_APPLICATION = (
    AppStatus.RECEIVED,
    AppStatus.CORRECTION,
    AppStatus.ACCEPTED,
    AppStatus.PAUSED,
    AppStatus.GRANTED,
)


def legal_setting_int(key: str, default: int) -> int:
    value = LegalSetting.objects.filter(key=key).values_list("value", flat=True).first()
    try:
        number = int(value) if value is not None else default
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def setting(pair: tuple[str, int]) -> int:
    return legal_setting_int(*pair)


# --- kinds ---------------------------------------------------------------------------------------


def licence_kinds(*, active_only: bool = True) -> QuerySet[LicenceKind]:
    qs = LicenceKind.objects.all()
    return qs.filter(active=True) if active_only else qs


def kind_power_item(kind: LicenceKind, *, agency_id: int | None = None) -> Any:
    """The power-list item (权责清单) in force for the kind, through the catalog's selector."""
    if not kind.power_code:
        return None
    from catalog import selectors as catalog_selectors

    qs = catalog_selectors.power_items_current(None).filter(code=kind.power_code)
    if agency_id:
        qs = qs.filter(agency_id=agency_id) or qs
    return qs.first()


def public_agencies() -> list[tuple[int, str]]:
    return [(a.pk, a.name) for a in org_selectors.visible_agencies(None).filter(active=True).order_by("path")]


# --- applications --------------------------------------------------------------------------------


def _reader(actor: Any) -> Any:
    officer = org_selectors.officer_for(actor)
    if officer is None or not officer.active or not org_selectors.roles_of(user=actor) & READERS:
        return None
    return officer


def visible_applications(actor: Any) -> QuerySet[Application]:
    qs = Application.objects.select_related("agency", "kind", "owner")
    if org_selectors.is_unrestricted(actor):
        return qs
    if _reader(actor) is None:
        return qs.none()
    return qs.filter(agency_id__in=org_selectors.visible_agency_ids(actor))


def application_get(*, actor: Any, pk: int) -> Application:
    app = visible_applications(actor).filter(pk=pk).first()
    if app is None:
        raise NotFound(
            _("Application %(id)s does not exist or is not yours to see.") % {"id": pk},
            code="application_not_found",
        )
    return app


def application_by_code(code: str) -> Application | None:
    from service.abuse import normalise_code

    normalised = normalise_code(code)
    if not normalised:
        return None
    return Application.objects.select_related("agency", "kind").filter(tracking_code=normalised).first()


def subject_deadlines(obj: Any, *, kind: str | None = None, open_only: bool = False) -> QuerySet[Deadline]:
    qs = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(type(obj)), subject_id=str(obj.pk)
    )
    if kind is not None:
        qs = qs.filter(kind=kind)
    if open_only:
        qs = qs.filter(status__in=OPEN_DEADLINE)
    return qs.order_by("due_date", "pk")


def overdue_applications(actor: Any, *, today: datetime.date | None = None) -> QuerySet[Application]:
    """Open applications with a time limit past its due date (the head's overdue list, 限时办结)."""
    today = today or timezone.localdate()
    late = Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(Application),
        status__in=OPEN_DEADLINE,
        due_date__lt=today,
    ).values_list("subject_id", flat=True)
    ids = [int(i) for i in late]
    return (
        visible_applications(actor)
        .filter(pk__in=ids, status__in=OPEN_APPLICATION)
        .order_by("received_on", "pk")
    )


def duplicate_of(*, agency_id: int, dedup_key: str) -> Application | None:
    return (
        Application.objects.filter(agency_id=agency_id, dedup_key=dedup_key, status__in=OPEN_APPLICATION)
        .order_by("pk")
        .first()
    )


def public_status(app: Application) -> dict[str, Any]:
    """What anyone holding the tracking code sees: no identity number nor contact details."""
    steps: list[tuple[str, datetime.date | None]] = [(str(AppStatus.RECEIVED.label), app.received_on)]
    if app.correction_on:
        steps.append((str(AppStatus.CORRECTION.label), app.correction_on))
    if app.accepted_on:
        label = _("accepted (on receipt, by law)") if app.deemed_accepted else str(AppStatus.ACCEPTED.label)
        steps.append((label, app.accepted_on))
    if app.decided_on:
        steps.append(
            (
                str(AppStatus(app.status).label)
                if app.status != AppStatus.ISSUED
                else str(AppStatus.GRANTED.label),
                app.decided_on,
            )
        )
    licence = getattr(app, "licence", None) if app.status == AppStatus.ISSUED else None
    if licence is not None:
        steps.append((str(AppStatus.ISSUED.label), licence.issued_on))
    decision = subject_deadlines(app, kind="service.decision", open_only=True).first()
    return {
        "tracking_code": app.tracking_code,
        "agency": app.agency.name,
        "kind": app.kind.name,
        "project": app.project,
        "received_on": app.received_on,
        "status": app.status,
        "status_label": str(AppStatus(app.status).label),
        "steps": [{"label": label, "on": on} for label, on in steps],
        "missing_materials": app.missing_materials if app.status == AppStatus.CORRECTION else "",
        "decision_due": decision.due_date if decision else None,
        "decision_reason": app.decision_reason
        if app.status in (AppStatus.REFUSED, AppStatus.REJECTED)
        else "",
        "licence_number": licence.number if licence else "",
        "hearing": _public_hearing(app),
    }


def _public_hearing(app: Application) -> dict[str, Any] | None:
    from service.models import HearingStatus

    hearing = app.hearings.order_by("-pk").first()
    if hearing is None:
        return None
    request = subject_deadlines(hearing, kind="service.hearing_request", open_only=True).first()
    return {
        "status_label": str(HearingStatus(hearing.status).label),
        "request_due": request.due_date if request else None,
        "hearing_on": hearing.hearing_on if hearing.status == HearingStatus.SCHEDULED else None,
        "hearing_time": hearing.hearing_time,
        "place": hearing.place if hearing.status == HearingStatus.SCHEDULED else "",
    }


def public_notices(app: Application) -> list[Any]:
    """The notices issued to the applicant, oldest first, for the progress page (tracking code)."""
    from documents import selectors as document_selectors

    return list(
        document_selectors.documents_for_subject(
            actor=None, subject_type="service.application", subject_id=app.pk
        ).order_by("issued_on", "pk")
    )


def deliveries_for(obj: Any) -> QuerySet[Any]:
    from service.models import NoticeDelivery

    subject_type = "service.application" if isinstance(obj, Application) else "service.licence"
    return NoticeDelivery.objects.filter(subject_type=subject_type, subject_id=obj.pk).order_by("pk")


def public_refusals(*, q: str = "") -> QuerySet[Application]:
    """不予行政许可 decisions shown on the portal (行政许可法 Arts.5, 40: results public), newest first;
    the page shows them masked (`public_applicant`, `public_application_text`)."""
    qs = (
        Application.objects.filter(status=AppStatus.REFUSED, decided_on__isnull=False)
        .select_related("agency", "kind")
        .order_by("-decided_on", "-pk")
    )
    if q:
        qs = qs.filter(Q(project__icontains=q) | Q(kind__name__icontains=q))
    return qs


def _is_person(ident: str) -> bool:
    ident = (ident or "").strip()
    return len(ident) in (15, 18) and ident[:-1].isdigit()


def public_applicant(app: Application) -> str:
    """An organisation's name is public; a person's is shortened to surname + 某 (publicity.masking)."""
    from publicity.masking import pseudonym

    return pseudonym(app.applicant_name) if _is_person(app.applicant_id_number) else app.applicant_name


def public_application_text(app: Application, text: str) -> str:
    """Text of an application for the portal with the applicant's personal data masked."""
    from publicity.masking import mask

    person = _is_person(app.applicant_id_number)
    party = {
        "persons" if person else "organisations": [app.applicant_name],
        "id_numbers": [app.applicant_id_number] if person else [],
        "addresses": [app.applicant_address] if person and app.applicant_address else [],
        "phones": [app.applicant_phone] if app.applicant_phone else [],
    }
    return mask(text, party).text


# --- licences ------------------------------------------------------------------------------------


def visible_licences(actor: Any) -> QuerySet[Licence]:
    qs = Licence.objects.select_related("agency", "kind")
    if org_selectors.is_unrestricted(actor):
        return qs
    if _reader(actor) is None:
        return qs.none()
    return qs.filter(agency_id__in=org_selectors.visible_agency_ids(actor))


def licence_get(*, actor: Any, pk: int) -> Licence:
    licence = visible_licences(actor).filter(pk=pk).first()
    if licence is None:
        raise NotFound(
            _("Licence %(id)s does not exist or is not yours to see.") % {"id": pk}, code="licence_not_found"
        )
    return licence


def licence_contact(licence_id: int) -> dict[str, str]:
    """The holder's contact details (for the reminders app): name, email, phone, address."""
    row = (
        Licence.objects.filter(pk=licence_id)
        .values("holder_name", "holder_email", "holder_phone", "holder_address")
        .first()
    )
    if row is None:
        raise NotFound(_("Licence %(id)s does not exist.") % {"id": licence_id}, code="licence_not_found")
    return {
        "name": row["holder_name"],
        "email": row["holder_email"],
        "phone": row["holder_phone"],
        "address": row["holder_address"],
    }


def licences_granted_since(date: datetime.date) -> QuerySet[Licence]:
    """Licences issued on or after `date` (for follow-up scheduling), oldest first."""
    return (
        Licence.objects.filter(issued_on__gte=date)
        .select_related("kind", "agency")
        .order_by("issued_on", "pk")
    )


def licence_id_by_number(*, agency_id: int, number: str) -> int | None:
    row = (
        Licence.objects.filter(agency_id=agency_id, number=number.strip())
        .values_list("pk", flat=True)
        .first()
    )
    return int(row) if row else None


def licence_label(licence_id: int) -> str:
    row = Licence.objects.filter(pk=licence_id).values("number", "kind__name").first()
    return f"{row['kind__name']} {row['number']}" if row else ""


def public_licences(*, q: str = "", agency_id: int | None = None) -> QuerySet[Licence]:
    """Granted licences shown on the portal (行政许可法 Art.40: results public)."""
    qs = Licence.objects.select_related("agency", "kind").order_by("-issued_on", "-pk")
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(holder_name__icontains=q) | Q(scope__icontains=q))
    return qs


def public_holder(licence: Licence) -> str:
    """An organisation's name is public; a person's name is shortened to the surname (masking)."""
    from publicity.masking import pseudonym

    ident = (licence.holder_id_number or "").strip()
    is_person = len(ident) in (15, 18) and ident[:-1].isdigit()
    return pseudonym(licence.holder_name) if is_person else licence.holder_name


def public_text(licence: Licence, text: str) -> str:
    """Text about a licence for the portal, with the holder's personal data masked (publicity.masking)."""
    from publicity.masking import mask

    ident = (licence.holder_id_number or "").strip()
    is_person = len(ident) in (15, 18) and ident[:-1].isdigit()
    party = {
        "persons" if is_person else "organisations": [licence.holder_name],
        "id_numbers": [ident] if is_person else [],
        "addresses": [licence.holder_address] if is_person and licence.holder_address else [],
        "phones": [licence.holder_phone] if licence.holder_phone else [],
    }
    return mask(text, party).text


def supervision_frequencies() -> list[tuple[str, int]]:
    return list(SupervisionFrequency.objects.values_list("risk_level", "interval_days"))


def supervision_interval(risk_level: str) -> int:
    row = (
        SupervisionFrequency.objects.filter(risk_level=risk_level)
        .values_list("interval_days", flat=True)
        .first()
    )
    return int(row) if row else 180


# --- inspections ---------------------------------------------------------------------------------


def visible_inspections(actor: Any) -> QuerySet[Inspection]:
    qs = Inspection.objects.select_related("licence", "licence__kind")
    if org_selectors.is_unrestricted(actor):
        return qs
    if _reader(actor) is None:
        return qs.none()
    return qs.filter(agency_id__in=org_selectors.visible_agency_ids(actor))


def due_inspections(actor: Any, *, on: datetime.date | None = None) -> QuerySet[Inspection]:
    on = on or timezone.localdate()
    return (
        visible_inspections(actor)
        .filter(done_on__isnull=True, due_on__lte=on, licence__status=LicenceStatus.VALID)
        .order_by("due_on", "pk")
    )


def visible_patrols(actor: Any) -> QuerySet[Patrol]:
    qs = Patrol.objects.prefetch_related("officers")
    if org_selectors.is_unrestricted(actor):
        return qs
    if _reader(actor) is None:
        return qs.none()
    return qs.filter(agency_id__in=org_selectors.visible_agency_ids(actor))


def visible_draws(actor: Any) -> QuerySet[RandomDraw]:
    qs = RandomDraw.objects.select_related("agency")
    if org_selectors.is_unrestricted(actor):
        return qs
    if _reader(actor) is None:
        return qs.none()
    return qs.filter(agency_id__in=org_selectors.visible_agency_ids(actor))


def draw_candidates(*, agency_id: int, field_code: str) -> QuerySet[Licence]:
    """The inspectee list of a draw: the agency's valid licences of kinds in the field."""
    return Licence.objects.filter(
        agency_id=agency_id, status=LicenceStatus.VALID, kind__field_code=field_code
    ).order_by("pk")


def certified_officers(*, agency: Any, field_code: str, on: datetime.date) -> QuerySet[Any]:
    return org_selectors.officers_certified(agency=agency, field_code=field_code, on=on)


def agency_officers(*, agency_id: int) -> QuerySet[Any]:
    return (
        org_selectors.visible_officers(None)
        .filter(agency_id=agency_id, active=True, user__is_active=True)
        .order_by("name", "pk")
    )


def public_draws() -> QuerySet[RandomDraw]:
    return (
        RandomDraw.objects.filter(published_on__isnull=False)
        .select_related("agency")
        .order_by("-drawn_on", "-pk")
    )
