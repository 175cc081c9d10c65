"""Writes on cases outside the status workflow: leads, parties, officers, recusals."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import policies
from cases.models import (
    Case,
    CaseOfficer,
    Lead,
    LeadSource,
    OfficerRole,
    Party,
    PartyType,
    Procedure,
    Recusal,
    RecusalApplicant,
    RecusalOutcome,
)
from cases.selectors import legal_setting_int
from cases.services.identity import check_resident_id, check_uscc
from cases.services.transitions import _event, _jsonable, record_created
from catalog.services.discretion import standard_versions
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Deadline
from core.services.clock import deadline_start
from core.services.ledger import ledger_append
from org.roles import Role
from org.selectors import is_unrestricted, officer_for, roles_of, visible_officers

FACT_KEYS = {
    "land_class",
    "area_m2",
    "area_mu",
    "fee",
    "illegal_income",
    "confiscation_value",
    "buildings",
    "first_violation",
    "minor_harm",
    "no_harm",
    "minor",
    "promptly_corrected",
    "reduced_harm",
    "coerced",
    "confessed",
    "assisted",
    "limitation_extended",
    "major_rights",
    "major_public_interest",
    "complex_case",
    "location",
    "parcel",
    "village",
    # for the documents (cases/documents.py) when the catalog and the records app do not give them:
    "legal_basis",  # the provisions violated, e.g. 《中华人民共和国土地管理法》第七十七条第一款
    "evidence",  # the evidence list, a list of strings
}


REGISTRATION_DEADLINE = "cases.registration"


def _bump(case: Case) -> None:
    case.version += 1
    case.save()


def _ledger(case: Case, *, actor: Any, act: str, payload: dict[str, Any]) -> None:
    ledger_append(actor=actor, act=act, obj=case, agency_id=case.agency_id, payload=_jsonable(payload))
    _event(
        case=case,
        action=act.removeprefix("case."),
        from_status=case.status,
        to_status=case.status,
        actor=actor,
        payload=_jsonable(payload),
    )


def _sync(case: Case, locked: Case) -> None:
    """The caller's object sees the new version (its next act passes the optimistic check)."""
    case.version = locked.version


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("lead").get(pk=case.pk)


def lead_register(
    *,
    actor: Any,
    agency: Any,
    source: str,
    discovered_on: datetime.date,
    description: str,
    location: str = "",
    reported_by: str = "",
    field_code: str = "land",
    title: str = "",
    procedure: str = Procedure.GENERAL,
) -> Case:
    """案源登记: a lead and its case (status lead) in one act.

    A lead of the general procedure starts the 立案 time limit from its discovery
    (setting `cases.registration_workdays`, default 10 WD — LEGAL.md §5 marks the figure [U]:
    the 2014 自然资源行政处罚办法 rule; the 2024 figure was not found). It is a time limit on the
    agency, so a late 立案 is allowed and flagged (行政处罚法 Art.54: file promptly).
    """
    errors: dict[str, list[str]] = {}
    if source not in LeadSource.values:
        errors["source"] = [_("Choose the source of the lead.")]
    if not (description or "").strip():
        errors["description"] = [_("Describe what was found.")]
    if discovered_on > timezone.localdate():
        errors["discovered_on"] = [_("The date of discovery cannot lie in the future.")]
    if procedure not in Procedure.values:
        errors["procedure"] = [_("Choose the general or the summary procedure.")]
    if errors:
        raise ValidationFailed(
            _("The lead was not registered: correct the fields listed."), field_errors=errors
        )
    if not is_unrestricted(actor):
        officer = officer_for(actor)
        if (
            officer is None
            or officer.agency_id != agency.pk
            or not (roles_of(user=actor) & {Role.OFFICER, Role.HEAD})
        ):
            raise PermissionDenied(
                _("Only officers of the agency may register its leads."), code="case_permission_denied"
            )
    with transaction.atomic():
        lead = Lead.objects.create(
            agency=agency,
            source=source,
            discovered_on=discovered_on,
            description=description.strip(),
            location=location,
            reported_by=reported_by,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        case = Case.objects.create(
            agency=agency, lead=lead, field_code=field_code, title=title[:200], procedure=procedure
        )
        payload: dict[str, Any] = {"lead": lead.pk, "source": source, "discovered_on": discovered_on}
        if procedure != Procedure.GENERAL:
            payload["procedure"] = procedure
        record_created(case, actor=actor, payload=payload)
        if procedure == Procedure.GENERAL:
            deadline_start(
                actor=actor,
                subject=case,
                agency_id=agency.pk,
                kind=REGISTRATION_DEADLINE,
                title="立案期限",
                legal_basis="自然资源行政处罚办法 [U]; 行政处罚法 Art.54",
                unit=Deadline.Unit.WORKDAYS,
                amount=legal_setting_int("cases.registration_workdays", 10),
                start_date=discovered_on,
            )
    return case


def case_facts_update(
    *,
    actor: Any,
    case: Case,
    facts: Mapping[str, Any] | None = None,
    act_started_on: datetime.date | None = None,
    act_ended_on: datetime.date | None = None,
    continuing: bool = False,
    violation_code: str | None = None,
) -> Case:
    """Record the act's dates and facts (land class, area, income…) before 立案 or during investigation."""
    policies.ensure(actor, "act", case)
    unknown = set(facts or {}) - FACT_KEYS
    if unknown:
        raise ValidationFailed(
            _("Unknown facts: %(keys)s.") % {"keys": ", ".join(sorted(unknown))},
            field_errors={"facts": [_("Use the listed fact names.")]},
        )
    if act_started_on and act_ended_on and act_ended_on < act_started_on:
        raise ValidationFailed(
            _("The act cannot end before it began."),
            field_errors={"act_ended_on": [_("Choose a day on or after the start.")]},
        )
    if violation_code and not standard_versions(code=violation_code, agency=case.agency):
        raise ValidationFailed(
            _(
                "No published discretion standard has the code “%(code)s” for this agency; choose a "
                "violation from the catalog (the system administrator publishes the standards)."
            )
            % {"code": violation_code},
            field_errors={"violation_code": [_("Choose a violation from the catalog.")]},
        )
    with transaction.atomic():
        locked = _locked(case)
        if act_started_on is not None:
            locked.act_started_on = act_started_on
        if continuing:
            locked.act_ended_on = None
        elif act_ended_on is not None:
            locked.act_ended_on = act_ended_on
        if violation_code is not None:
            locked.violation_code = violation_code
        locked.facts = {**locked.facts, **(facts or {})}
        _bump(locked)
        _ledger(
            locked,
            actor=actor,
            act="case.facts_updated",
            payload={
                "facts": facts or {},
                "act_started_on": locked.act_started_on,
                "act_ended_on": locked.act_ended_on,
            },
        )
    _sync(case, locked)
    return locked


def party_add(
    *,
    actor: Any,
    case: Case,
    party_type: str,
    name: str,
    id_number: str,
    address: str = "",
    phone: str = "",
    representative: str = "",
) -> Party:
    """当事人: identity validated by GB 11643 (persons) or GB 32100 (organisations)."""
    policies.ensure(actor, "act", case)
    errors: dict[str, list[str]] = {}
    warning = ""
    if party_type not in PartyType.values:
        errors["party_type"] = [_("Choose natural person, legal person or other organisation.")]
    if not (name or "").strip():
        errors["name"] = [_("Give the party's name.")]
    number = (id_number or "").strip()
    if not number:
        errors["id_number"] = [_("Give the identity number (身份证号 or 统一社会信用代码).")]
    else:
        try:
            if party_type == PartyType.NATURAL:
                number, warning = check_resident_id(number)
            elif party_type in PartyType.values:
                number = check_uscc(number)
        except ValueError as exc:
            errors["id_number"] = [str(exc)]
    if errors:
        raise ValidationFailed(
            _("The party was not recorded: correct the fields listed."), field_errors=errors
        )
    with transaction.atomic():
        locked = _locked(case)
        party = Party.objects.create(
            case=locked,
            party_type=party_type,
            name=name.strip(),
            id_number=number,
            address=address,
            phone=phone,
            representative=representative,
            id_warning=warning,
        )
        _bump(locked)
        _ledger(
            locked,
            actor=actor,
            act="case.party_added",
            payload={"party": party.pk, "type": party_type, "warning": warning},
        )
    _sync(case, locked)
    return party


def case_officer_assign(
    *, actor: Any, case: Case, officer_id: int, role: str = OfficerRole.ASSISTANT
) -> CaseOfficer:
    """Assign an officer of the case's agency to handle it (the head assigns)."""
    policies.ensure(actor, "act", case)
    if not is_unrestricted(actor) and Role.HEAD not in roles_of(user=actor):
        raise PermissionDenied(_("Only the head assigns officers to a case."), code="case_permission_denied")
    officer = visible_officers(None).filter(pk=officer_id, agency_id=case.agency_id, active=True).first()
    if officer is None:
        raise ValidationFailed(
            _("Choose an active officer of the case's agency."),
            field_errors={"officer_id": [_("Choose an officer of this agency.")]},
        )
    with transaction.atomic():
        locked = _locked(case)
        if Recusal.objects.filter(case=locked, officer=officer, outcome=RecusalOutcome.GRANTED).exists():
            raise Conflict(
                _("%(name)s withdrew from this case (回避) and may not be assigned again.")
                % {"name": officer.name},
                code="officer_recused",
                basis="行政处罚法 Art.43",
            )
        assignment, created = CaseOfficer.objects.get_or_create(
            case=locked, officer=officer, active=True, defaults={"role": role}
        )
        if created:
            _bump(locked)
            _ledger(
                locked,
                actor=actor,
                act="case.officer_assigned",
                payload={"officer": officer.pk, "role": role},
            )
    _sync(case, locked)
    return assignment


def recusal_apply(*, actor: Any, case: Case, officer_id: int, applied_by: str, reason: str) -> Recusal:
    """回避 application by the officer or the party (行政处罚法 Art.43)."""
    policies.ensure(actor, "act", case)
    if applied_by not in RecusalApplicant.values or not (reason or "").strip():
        raise ValidationFailed(
            _("Say who applies and why."), field_errors={"reason": [_("Give the reason for the recusal.")]}
        )
    with transaction.atomic():
        locked = _locked(case)
        assignment = CaseOfficer.objects.filter(case=locked, officer_id=officer_id, active=True).first()
        if assignment is None:
            raise ValidationFailed(
                _("Only an officer handling the case can be asked to withdraw."),
                field_errors={"officer_id": [_("Choose an officer of this case.")]},
            )
        recusal = Recusal.objects.create(
            case=locked, officer_id=officer_id, applied_by=applied_by, reason=reason.strip()
        )
        _bump(locked)
        _ledger(
            locked,
            actor=actor,
            act="case.recusal_applied",
            payload={"recusal": recusal.pk, "officer": officer_id, "applied_by": applied_by},
        )
    _sync(case, locked)
    return recusal


def recusal_decide(*, actor: Any, recusal: Recusal, granted: bool, reason: str = "") -> Recusal:
    """The head decides; a granted recusal takes the officer off the case (reassign another)."""
    case = recusal.case
    policies.ensure(actor, "act", case)
    if not is_unrestricted(actor) and Role.HEAD not in roles_of(user=actor):
        raise PermissionDenied(
            _("Only the head decides on a recusal (行政处罚法 Art.43)."), code="case_permission_denied"
        )
    with transaction.atomic():
        locked = _locked(case)
        rec = Recusal.objects.select_for_update().get(pk=recusal.pk)
        if rec.outcome != RecusalOutcome.PENDING:
            raise Conflict(_("This recusal was already decided."), code="recusal_decided")
        rec.outcome = RecusalOutcome.GRANTED if granted else RecusalOutcome.REFUSED
        rec.decided_by, rec.decided_at, rec.decision_reason = actor, timezone.now(), reason
        rec.save()
        if granted:
            for assignment in CaseOfficer.objects.filter(case=locked, officer_id=rec.officer_id, active=True):
                assignment.active = False
                assignment.save(update_fields=["active", "updated_at"])
        _bump(locked)
        _ledger(
            locked,
            actor=actor,
            act="case.recusal_decided",
            payload={"recusal": rec.pk, "outcome": rec.outcome, "reason": reason},
        )
    _sync(case, locked)
    return rec
