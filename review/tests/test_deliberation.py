"""集体讨论 (行政处罚法 Art.57): chaired by a head, a quorum of heads, every opinion, a conclusion."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import LedgerEntry, LegalSetting
from org.roles import Role
from org.tests.factories import OfficerFactory
from review import selectors, services
from review.selectors import QUORUM_RATIO_KEY
from review.tests.factories import reviewer

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def record(actor, case, attendees, conclusion="同意按拟处罚意见作出处罚决定", **kwargs):
    opinions = {a.user.pk if hasattr(a, "user") else a.pk: "同意" for a in attendees}
    kwargs.setdefault("opinions", opinions)
    return services.deliberation_record(
        actor=actor,
        case_id=case.pk,
        held_on=kwargs.pop("held_on", YESTERDAY),
        attendees=[getattr(a, "user", a) for a in attendees],
        conclusion=conclusion,
        **kwargs,
    )


def test_given_two_of_three_heads_when_recorded_then_concluded_with_opinions_and_ledger(
    case, heads, handlers
):
    deliberation = record(heads[0].user, case, [heads[0], heads[1], handlers[0]])
    assert selectors.deliberation_status(case_id=case.pk) == "concluded"
    assert (deliberation.heads_present, deliberation.heads_total, deliberation.quorum_met) == (2, 3, True)
    assert deliberation.chaired_by_id == heads[0].user.pk
    assert [(o.attendee_name, o.is_head) for o in deliberation.opinions.all()] == [
        ("赵局长", True),
        ("钱副局长", True),
        ("李执法", False),
    ]
    entry = LedgerEntry.objects.get(act="review.deliberation_recorded")
    assert entry.object_id == str(deliberation.pk) and "同意按拟处罚意见" in entry.payload


def test_given_no_deliberation_then_status_none(case):
    assert selectors.deliberation_status(case_id=case.pk) == "none"


def test_given_one_of_three_heads_then_no_quorum_naming_art57(case, heads):
    with pytest.raises(Conflict) as exc:
        record(heads[0].user, case, [heads[0]])
    assert exc.value.code == "review.quorum_not_met"
    assert "第五十七条" in exc.value.message and "1" in exc.value.message
    assert selectors.deliberation_status(case_id=case.pk) == "none"


def test_given_exactly_half_of_the_heads_then_no_quorum(agency, case, heads):
    fourth = OfficerFactory(agency=agency, roles=[Role.HEAD])
    with pytest.raises(Conflict):
        record(heads[0].user, case, [heads[0], fourth])
    assert record(heads[0].user, case, [heads[0], heads[1], fourth]).heads_present == 3


def test_given_a_lower_configured_ratio_then_fewer_heads_suffice(case, heads):
    LegalSetting.objects.filter(key=QUORUM_RATIO_KEY).update(value=0.3)
    assert record(heads[0].user, case, [heads[0]]).quorum_ratio == Decimal("0.3")


def test_given_an_invalid_configured_ratio_then_the_default_applies(case, heads):
    LegalSetting.objects.filter(key=QUORUM_RATIO_KEY).update(value="lots")
    assert selectors.deliberation_quorum_ratio() == selectors.DEFAULT_QUORUM_RATIO


def test_given_no_conclusion_then_refused(case, heads):
    with pytest.raises(ValidationFailed) as exc:
        record(heads[0].user, case, heads[:2], conclusion="  ")
    assert "conclusion" in exc.value.field_errors


def test_given_an_attendee_without_opinion_then_refused_naming_them(case, heads):
    with pytest.raises(ValidationFailed) as exc:
        record(heads[0].user, case, heads[:2], opinions={heads[0].user.pk: "同意"})
    assert "钱副局长" in exc.value.field_errors["opinions"][0]


def test_given_a_chair_who_is_not_a_head_then_refused(case, heads, agency):
    recorder = reviewer(agency=agency).user
    with pytest.raises(ValidationFailed) as exc:
        record(recorder, case, [*heads[:2], recorder])
    assert "chaired_by" in exc.value.field_errors


def test_given_a_legal_reviewer_recording_for_a_head_chair_then_allowed(case, heads, agency):
    recorder = reviewer(agency=agency).user
    deliberation = record(recorder, case, heads[:2], chaired_by=heads[0].user)
    assert (deliberation.recorded_by_id, deliberation.chaired_by_id) == (recorder.pk, heads[0].user.pk)


def test_given_a_date_in_the_future_then_refused(case, heads):
    with pytest.raises(ValidationFailed) as exc:
        record(heads[0].user, case, heads[:2], held_on=timezone.localdate() + datetime.timedelta(days=1))
    assert "held_on" in exc.value.field_errors


def test_given_an_enforcement_officer_when_recording_then_permission_denied(case, heads, handlers):
    with pytest.raises(PermissionDenied):
        record(handlers[0].user, case, heads[:2], chaired_by=heads[0].user)
    assert LedgerEntry.objects.filter(act="auth.permission_denied").exists()
