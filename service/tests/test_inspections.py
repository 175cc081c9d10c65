"""Given valid licences and certified officers, when inspections, patrols and random draws are
recorded, then at least two certified officers take part, draws reproduce from their seed, and a
violation becomes a case lead in one act."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases import selectors as case_selectors
from core.errors import Conflict, ValidationFailed
from core.models import LedgerEntry
from service import selectors, services
from service.services.inspections import draw_compute
from service.tests.conftest import submit, terms

pytestmark = pytest.mark.django_db


def _licences(world, n: int) -> list:
    out = []
    for i in range(n):
        app = submit(world, actor=world.clerk.user, project=f"工程{i}")
        services.application_accept(actor=world.clerk.user, application=app)
        services.application_decide(
            actor=world.clerk.user, application=app, grant=True, terms=terms(risk_level="low")
        )
        out.append(services.application_issue(actor=world.clerk.user, application=app))
    return out


def test_planned_inspection_needs_two_certified_officers_and_schedules_the_next(world):
    (licence,) = _licences(world, 1)
    inspection = licence.inspections.get()
    assert inspection.due_on == timezone.localdate() + datetime.timedelta(days=365)
    with pytest.raises(ValidationFailed):
        services.inspection_record(
            actor=world.clerk.user,
            inspection=inspection,
            officer_ids=[world.clerk.pk, world.uncertified.pk],
            findings="按图施工",
        )
    services.inspection_record(
        actor=world.clerk.user,
        inspection=inspection,
        officer_ids=[world.clerk.pk, world.colleague.pk],
        findings="超出许可范围加建一层",
        violation=True,
    )
    with pytest.raises(Conflict):
        services.inspection_record(
            actor=world.clerk.user,
            inspection=inspection,
            officer_ids=[world.clerk.pk, world.colleague.pk],
            findings="再记一次",
        )
    # the next one a year after this inspection (low risk), within the validity
    nxt = licence.inspections.filter(done_on__isnull=True).get()
    assert nxt.due_on == timezone.localdate() + datetime.timedelta(days=365) <= licence.valid_until
    services.inspection_to_lead(actor=world.clerk.user, inspection=inspection)
    inspection.refresh_from_db()
    case = case_selectors.visible_cases(world.clerk.user).get(pk=inspection.case_id)
    assert case.lead.source == "patrol" and "超出许可范围" in case.lead.description
    with pytest.raises(Conflict):
        services.inspection_to_lead(actor=world.clerk.user, inspection=inspection)


def test_patrol_record_and_lead(world):
    with pytest.raises(ValidationFailed) as exc:
        services.patrol_record(
            actor=world.clerk.user,
            agency=world.agency,
            on=timezone.localdate(),
            route="",
            officer_ids=[world.clerk.pk],
            findings="",
        )
    assert {"route", "findings"} <= set(exc.value.field_errors)
    patrol = services.patrol_record(
        actor=world.clerk.user,
        agency=world.agency,
        on=timezone.localdate(),
        route="嘉定镇—大塘埠镇",
        officer_ids=[world.clerk.pk, world.colleague.pk],
        findings="大塘埠镇某村发现未批先建",
        violation=True,
    )
    services.patrol_to_lead(actor=world.clerk.user, patrol=patrol)
    assert patrol.case_id and LedgerEntry.objects.filter(act="patrol.lead", object_id=str(patrol.pk)).exists()


def test_draw_is_reproducible_and_published_after_all_results(world):
    licences = _licences(world, 4)
    draw = services.draw_make(
        actor=world.clerk.user,
        agency=world.agency,
        title="2026年第四季度双随机抽查",
        field_code="planning",
        n=2,
        seed="seed-2026-q4",
    )
    assert len(draw.picks) == 2 and services.draw_reproduces(draw)
    assert draw.picks == draw_compute(
        seed="seed-2026-q4", inspectees=[lic.pk for lic in licences][::-1], officers=draw.officer_pool, n=2
    )
    for pick in draw.picks:
        assert pick["licence"] in draw.inspectee_pool and len(set(pick["officers"])) == 2
    with pytest.raises(Conflict):
        services.draw_publish(actor=world.clerk.user, draw=draw)
    for inspection in draw.inspections.all():
        services.inspection_record(
            actor=world.clerk.user,
            inspection=inspection,
            officer_ids=[o.pk for o in inspection.officers.all()],
            findings="未发现问题",
        )
    services.draw_publish(actor=world.clerk.user, draw=draw)
    assert list(selectors.public_draws()) == [draw]


def test_draw_refuses_more_than_the_list(world):
    _licences(world, 1)
    with pytest.raises(ValidationFailed) as exc:
        services.draw_make(
            actor=world.clerk.user, agency=world.agency, title="抽查", field_code="planning", n=5
        )
    assert "n" in exc.value.field_errors
