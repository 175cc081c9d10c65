"""Post-licence supervision: planned inspections, routine patrols (动态巡查, seed 000 四(二)) and
random inspections (双随机一公开). Inspections and patrols are done by at least two officers holding
valid certificates for the field (行政处罚法 Arts.42, 55 via org.selectors.officers_may_investigate).
A finding that is a violation becomes a case lead in one act (cases.services.lead_register), as a
complaint does.

The random draw is reproducible: the inspectee list (licence ids) and the inspector list (officer ids)
are stored sorted with the seed; `draw_compute(seed, inspectees, officers, n, per)` is a pure
function of them (random.Random seeded with the text of the seed), so anyone re-running it gets the
same draw (`draw_reproduces`).
"""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from core.errors import Conflict, ValidationFailed
from core.services.ledger import ledger_append
from org import selectors as org_selectors
from service import policies, selectors
from service.models import Inspection, InspectionKind, Licence, Patrol, RandomDraw
from service.services.applications import clean_text
from service.services.licences import _plan_next


def _ids(values: Sequence[Any]) -> list[int]:
    out: list[int] = []
    for value in values:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < pk < 2**62 and pk not in out:
            out.append(pk)
    return out


def _two_certified(
    *, agency_id: int, officer_ids: Sequence[Any], field_code: str, on: datetime.date
) -> list[Any]:
    officers = list(selectors.agency_officers(agency_id=agency_id).filter(pk__in=_ids(officer_ids)))
    verdict = org_selectors.officers_may_investigate(officers=officers, field_code=field_code, on=on)
    if not verdict.allowed:
        raise ValidationFailed(
            verdict.reason,
            field_errors={"officers": [verdict.reason]},
            code="inspection_officers",
            status=422,
        )
    return officers


def inspection_record(
    *,
    actor: Any,
    inspection: Inspection,
    officer_ids: Sequence[Any],
    findings: str,
    violation: bool = False,
    on: datetime.date | None = None,
) -> Inspection:
    """The result of an inspection; a planned one schedules the next at the licence's risk interval."""
    policies.ensure(actor, "inspect", inspection.licence)
    on = on or timezone.localdate()
    findings = clean_text(findings)
    if not findings:
        raise ValidationFailed(
            _("Write down what was inspected and found."),
            field_errors={"findings": [_("Write the findings.")]},
            status=422,
        )
    if on > timezone.localdate():
        raise ValidationFailed(
            _("An inspection cannot be recorded for a future day."),
            field_errors={"on": [_("Choose today or an earlier day.")]},
            status=422,
        )
    officers = _two_certified(
        agency_id=inspection.agency_id,
        officer_ids=officer_ids,
        field_code=inspection.licence.kind.field_code,
        on=on,
    )
    with transaction.atomic():
        locked = (
            Inspection.objects.select_for_update()
            .select_related("licence", "licence__kind")
            .get(pk=inspection.pk)
        )
        if locked.done_on is not None:
            raise Conflict(
                _("This inspection was already recorded on %(on)s.") % {"on": locked.done_on.isoformat()},
                code="inspection_done",
            )
        locked.done_on, locked.findings, locked.violation = on, findings, bool(violation)
        locked.save()
        locked.officers.set(officers)
        ledger_append(
            actor=actor,
            act="inspection.record",
            obj=locked,
            agency_id=locked.agency_id,
            payload={
                "licence": locked.licence_id,
                "kind": locked.kind,
                "officers": [o.pk for o in officers],
                "violation": locked.violation,
                "on": on.isoformat(),
            },
        )
        if locked.kind == InspectionKind.PLAN:
            _plan_next(locked.licence, after=on)
    inspection.done_on, inspection.findings, inspection.violation = (
        locked.done_on,
        locked.findings,
        locked.violation,
    )
    return inspection


def _lead(
    actor: Any,
    *,
    agency: Any,
    on: datetime.date,
    description: str,
    location: str,
    reported_by: str,
    title: str,
) -> Any:
    return case_services.lead_register(
        actor=actor,
        agency=agency,
        source="patrol",
        discovered_on=on,
        description=description,
        location=location,
        reported_by=reported_by,
        title=title[:200],
    )


def inspection_to_lead(*, actor: Any, inspection: Inspection, title: str = "") -> Inspection:
    """转为案件线索: the violation found becomes a lead (source: patrol) in one act."""
    policies.ensure(actor, "inspect", inspection.licence)
    with transaction.atomic():
        locked = (
            Inspection.objects.select_for_update(of=("self",))
            .select_related("licence", "licence__kind")
            .get(pk=inspection.pk)
        )
        if locked.done_on is None or not locked.violation:
            raise Conflict(
                _("Only a recorded inspection that found a violation becomes a case lead."),
                code="inspection_no_violation",
            )
        if locked.case_id:
            raise Conflict(_("This finding is already a case lead."), code="inspection_lead_exists")
        licence = locked.licence
        case = _lead(
            actor,
            agency=org_selectors.visible_agencies(None).get(pk=locked.agency_id),
            on=locked.done_on,
            description=f"{licence.kind.name}{licence.number}（持证人：{licence.holder_name}）许可后监督检查发现：{locked.findings}",
            location=licence.location,
            reported_by=f"许可后监督检查 {licence.number}",
            title=clean_text(title, 200) or f"{licence.holder_name}涉嫌违反{licence.kind.name}许可规定",
        )
        locked.case_id = case.pk
        locked.save()
        ledger_append(
            actor=actor,
            act="inspection.lead",
            obj=locked,
            agency_id=locked.agency_id,
            payload={"case": case.pk},
        )
    inspection.case_id = locked.case_id
    return inspection


def patrol_record(
    *,
    actor: Any,
    agency: Any,
    on: datetime.date,
    route: str,
    officer_ids: Sequence[Any],
    findings: str,
    violation: bool = False,
    field_code: str = "land",
) -> Patrol:
    """动态巡查: one day's patrol record — route, at least two certified officers, findings."""
    policies.ensure(actor, "inspect", agency)
    route, findings = clean_text(route, 300), clean_text(findings)
    errors: dict[str, list[str]] = {}
    if not route:
        errors["route"] = [_("Give the route patrolled.")]
    if not findings:
        errors["findings"] = [_("Write down what was found (or that nothing was found).")]
    if not isinstance(on, datetime.date) or on > timezone.localdate():
        errors["on"] = [_("Choose today or an earlier day.")]
    if errors:
        raise ValidationFailed(
            _("The patrol record was not saved: correct the fields marked."), field_errors=errors, status=422
        )
    officers = _two_certified(agency_id=agency.pk, officer_ids=officer_ids, field_code=field_code, on=on)
    with transaction.atomic():
        patrol = Patrol.objects.create(
            agency=agency,
            on=on,
            route=route,
            findings=findings,
            violation=bool(violation),
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        patrol.officers.set(officers)
        ledger_append(
            actor=actor,
            act="patrol.record",
            obj=patrol,
            agency_id=agency.pk,
            payload={
                "on": on.isoformat(),
                "route": route,
                "officers": [o.pk for o in officers],
                "violation": patrol.violation,
            },
        )
    return patrol


def patrol_to_lead(*, actor: Any, patrol: Patrol, title: str = "") -> Patrol:
    policies.ensure(actor, "inspect", patrol.agency)
    with transaction.atomic():
        locked = Patrol.objects.select_for_update(of=("self",)).select_related("agency").get(pk=patrol.pk)
        if not locked.violation:
            raise Conflict(
                _("Only a patrol that found a violation becomes a case lead."), code="patrol_no_violation"
            )
        if locked.case_id:
            raise Conflict(_("This finding is already a case lead."), code="patrol_lead_exists")
        case = _lead(
            actor,
            agency=locked.agency,
            on=locked.on,
            description=f"动态巡查（{locked.route}）发现：{locked.findings}",
            location=locked.route,
            reported_by=f"动态巡查 {locked.on.isoformat()}",
            title=clean_text(title, 200) or f"动态巡查发现的违法线索（{locked.on.isoformat()}）",
        )
        locked.case_id = case.pk
        locked.save()
        ledger_append(
            actor=actor, act="patrol.lead", obj=locked, agency_id=locked.agency_id, payload={"case": case.pk}
        )
    patrol.case_id = locked.case_id
    return patrol


# --- 双随机一公开 ------------------------------------------------------------------------------------


def draw_compute(
    *, seed: str, inspectees: Sequence[int], officers: Sequence[int], n: int, per: int = 2
) -> list[dict[str, Any]]:
    """Pure: the same seed and the same (sorted) lists always give the same draw."""
    rng = random.Random(f"zhifa-draw:{seed}")
    picked = rng.sample(sorted(inspectees), n)
    pool = sorted(officers)
    return [{"licence": pk, "officers": rng.sample(pool, per)} for pk in picked]


def draw_reproduces(draw: RandomDraw) -> bool:
    n, per = len(draw.picks), len(draw.picks[0]["officers"]) if draw.picks else 2
    again = draw_compute(
        seed=draw.seed, inspectees=draw.inspectee_pool, officers=draw.officer_pool, n=n, per=per
    )
    return bool(again == draw.picks)


def draw_make(
    *,
    actor: Any,
    agency: Any,
    title: str,
    field_code: str,
    n: int,
    seed: str = "",
    due_days: int = 30,
    on: datetime.date | None = None,
) -> RandomDraw:
    """Draw `n` inspectees from the agency's valid licences of the field and two inspectors each from
    its certified officers, with a recorded seed; one inspection per inspectee."""
    policies.ensure(actor, "inspect", agency)
    on = on or timezone.localdate()
    title, seed = clean_text(title, 200), clean_text(seed, 64) or secrets.token_hex(8)
    inspectees = list(
        selectors.draw_candidates(agency_id=agency.pk, field_code=field_code).values_list("pk", flat=True)
    )
    officers = list(
        selectors.certified_officers(agency=agency, field_code=field_code, on=on).values_list("pk", flat=True)
    )
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the draw a title (e.g. the inspection plan it belongs to).")]
    if not isinstance(n, int) or n < 1:
        errors["n"] = [_("Draw at least one inspectee.")]
    elif n > len(inspectees):
        errors["n"] = [
            _("Only %(count)d valid licences of this field can be drawn.") % {"count": len(inspectees)}
        ]
    if len(officers) < 2:
        errors["field_code"] = [
            _("Fewer than two officers hold a valid certificate for this field; no inspectors can be drawn.")
        ]
    if errors:
        raise ValidationFailed(
            _("The draw was not made: correct the fields marked."), field_errors=errors, status=422
        )
    picks = draw_compute(seed=seed, inspectees=inspectees, officers=officers, n=n)
    with transaction.atomic():
        draw = RandomDraw.objects.create(
            agency=agency,
            title=title,
            seed=seed,
            drawn_on=on,
            field_code=field_code,
            inspectee_pool=sorted(inspectees),
            officer_pool=sorted(officers),
            picks=picks,
        )
        for pick in picks:
            inspection = Inspection.objects.create(
                agency=agency,
                licence_id=pick["licence"],
                kind=InspectionKind.RANDOM,
                draw=draw,
                due_on=on + datetime.timedelta(days=due_days),
            )
            inspection.officers.set(pick["officers"])
        ledger_append(
            actor=actor,
            act="draw.make",
            obj=draw,
            agency_id=agency.pk,
            payload={
                "seed": seed,
                "field": field_code,
                "inspectees": len(inspectees),
                "officers": len(officers),
                "picks": picks,
            },
        )
    return draw


def draw_publish(*, actor: Any, draw: RandomDraw) -> RandomDraw:
    """一公开: the draw and its results on the portal, once every inspection is recorded."""
    policies.ensure(actor, "inspect", draw.agency)
    with transaction.atomic():
        locked = RandomDraw.objects.select_for_update(of=("self",)).select_related("agency").get(pk=draw.pk)
        if locked.published_on:
            raise Conflict(_("This draw was already published."), code="draw_published")
        open_count = locked.inspections.filter(done_on__isnull=True).count()
        if open_count:
            raise Conflict(
                _("%(n)d inspections of this draw are not recorded yet; results are published once all are.")
                % {"n": open_count},
                code="draw_incomplete",
            )
        locked.published_on = timezone.localdate()
        locked.save()
        ledger_append(actor=actor, act="draw.publish", obj=locked, agency_id=locked.agency_id, payload={})
    draw.published_on = locked.published_on
    return draw


def licences_of(ids: Sequence[int]) -> dict[int, Licence]:
    return {lic.pk: lic for lic in Licence.objects.filter(pk__in=list(ids)).select_related("kind")}
