"""送达 (行政处罚法 Art.61): the six methods, their served dates, consent for electronic delivery,
and the periods that run from receipt."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from cases.models import CaseStatus, Delivery, DeliveryMethod
from cases.selectors import case_deadlines
from cases.services import TransitionRefused, delivery_record
from cases.services.execution import RuleRefused, served_on
from cases.tests.factories import act, case_world, new_case, walk
from core.models import LedgerEntry

TZ = datetime.timezone(datetime.timedelta(hours=8))
DIGEST = "ab" * 32


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


@pytest.mark.parametrize(
    ("method", "extra"),
    [
        ("in_person", {"recipient": "张三"}),
        ("left_at_residence", {"witness": "村委会主任李四"}),
        ("post", {"receipt_digest": DIGEST}),
        ("entrusted", {"recipient": "乡政府"}),
        ("electronic", {"consent_signed": True, "electronic_address": "zhangsan@example.com"}),
    ],
)
def test_each_method_is_served_on_the_delivery_date(world, method, extra):
    case = walk(new_case(world), world, CaseStatus.DECIDED)
    on = case.decided_on.isoformat()
    case = act(case, world, "deliver", data={"method": method, "delivered_on": on, **extra})
    delivery = Delivery.objects.get(case=case, document="decision")
    assert delivery.method == method
    assert delivery.delivered_on == case.decided_on == case.delivered_on
    assert case.delivery_method == method
    assert LedgerEntry.objects.filter(act="case.delivery_record", object_id=str(delivery.pk)).exists()


def test_old_method_names_are_accepted(world):
    case = walk(new_case(world), world, CaseStatus.DELIVERED)  # the factory sends "direct"
    assert Delivery.objects.get(case=case, document="decision").method == DeliveryMethod.IN_PERSON


def test_public_notice_counts_as_served_thirty_days_after_the_announcement():
    assert served_on(
        method="public_notice", delivered_on=None, announced_on=datetime.date(2026, 3, 2)
    ) == datetime.date(2026, 4, 1)
    assert served_on(method="post", delivered_on=datetime.date(2026, 3, 2)) == datetime.date(2026, 3, 2)


@pytest.mark.django_db
def test_payment_period_starts_from_the_public_notice_served_date():
    with at(datetime.date(2026, 3, 2)):
        world = case_world()
        case = walk(new_case(world), world, CaseStatus.DECIDED)
        case = act(case, world, "deliver", data={"method": "public_notice", "announced_on": "2026-03-02"})
    assert case.delivered_on == datetime.date(2026, 4, 1)
    delivery = Delivery.objects.get(case=case, document="decision")
    assert (delivery.announced_on, delivery.delivered_on) == (
        datetime.date(2026, 3, 2),
        datetime.date(2026, 4, 1),
    )
    payment = case_deadlines(case=case, kind="cases.payment").get()
    assert payment.start_date == datetime.date(2026, 4, 1)
    assert payment.due_date == datetime.date(2026, 4, 16)  # 15 calendar days


@pytest.mark.django_db
def test_statement_and_hearing_windows_start_from_the_notice_delivery():
    with at(datetime.date(2026, 3, 2)):  # Monday
        world = case_world()
        case = walk(new_case(world), world, CaseStatus.INVESTIGATION_REPORTED)
        case = act(case, world, "notify", data={"method": "post", "delivered_on": "2026-03-04"})
    assert case.notice_delivered_on == datetime.date(2026, 3, 4)
    assert Delivery.objects.get(case=case, document="notice").delivered_on == datetime.date(2026, 3, 4)
    for kind in ("cases.statement", "cases.hearing_request"):
        dl = case_deadlines(case=case, kind=kind).get()
        assert dl.start_date == datetime.date(2026, 3, 4)
        assert dl.due_date == datetime.date(2026, 3, 11)  # 5 working days


@pytest.mark.django_db
def test_electronic_notice_without_consent_is_refused():
    with at(datetime.date(2026, 3, 2)):
        world = case_world()
        case = walk(new_case(world), world, CaseStatus.INVESTIGATION_REPORTED)
        with pytest.raises(TransitionRefused) as err:
            body = {"method": "electronic", "delivered_on": "2026-03-02", "electronic_address": "a@b.cn"}
            act(case, world, "notify", data=body)
    (violation,) = err.value.violations
    assert violation.code == "electronic_delivery_without_consent"
    assert violation.basis == "行政处罚法 Art.61"
    assert not Delivery.objects.filter(case=case).exists()


def test_electronic_decision_without_consent_is_refused(world):
    case = walk(new_case(world), world, CaseStatus.DECIDED)
    with pytest.raises(TransitionRefused) as err:
        act(
            case, world, "deliver", data={"method": "electronic", "delivered_on": case.decided_on.isoformat()}
        )
    assert err.value.violations[0].code == "electronic_delivery_without_consent"
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.delivered_on is None


def test_left_at_residence_needs_a_witness(world):
    case = walk(new_case(world), world, CaseStatus.DECIDED)
    with pytest.raises(TransitionRefused) as err:
        act(
            case,
            world,
            "deliver",
            data={"method": "left_at_residence", "delivered_on": case.decided_on.isoformat()},
        )
    assert err.value.violations[0].code == "left_delivery_without_witness"


def test_delivery_record_service_refuses_electronic_without_consent(world):
    case = walk(new_case(world), world, CaseStatus.DELIVERED)
    on = case.delivered_on.isoformat()
    with pytest.raises(RuleRefused) as err:
        delivery_record(
            actor=world.officer1.user,
            case=case,
            document="reminder",
            data={"method": "electronic", "delivered_on": on},
        )
    assert err.value.code == "electronic_delivery_without_consent"
    delivery = delivery_record(
        actor=world.officer1.user,
        case=case,
        document="reminder",
        data={"method": "electronic", "delivered_on": on, "consent_signed": True},
    )
    assert delivery.document == "reminder" and delivery.consent_signed


def test_public_notice_needs_its_announcement_date(world):
    from core.errors import ValidationFailed

    case = walk(new_case(world), world, CaseStatus.DECIDED)
    with pytest.raises(ValidationFailed) as err:
        act(case, world, "deliver", data={"method": "public_notice"})
    assert "announced_on" in err.value.field_errors
