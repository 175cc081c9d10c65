"""事后公开 of summary-procedure decisions (LEGAL.md §2: 处罚 decisions within 7 working days, none
excepted; §8: warning-only ones not by default): drafted and masked when handed over on the spot,
closing waits for the publication; a legal setting turns it off."""

from __future__ import annotations

import pytest

from cases.models import CaseStatus as S
from cases.selectors import case_deadlines
from cases.services.publication import PUBLICATION_DEADLINE, publication_rule
from cases.services.transitions import TransitionRefused
from cases.tests.factories import RESIDENT_ID, publish_decision
from cases.tests.test_summary import act, summary_case, walk
from core.models import LegalSetting
from core.services.calendar import add_workdays
from publicity.selectors import publications_for

pytestmark = pytest.mark.django_db


def publication(case):
    return publications_for(None).filter(case_id=case.pk).order_by("-pk").first()


def test_a_summary_fine_is_drafted_masked_and_due_in_seven_working_days(world):
    case = walk(summary_case(world), world, S.DECIDED)
    pub = publication(case)
    assert pub is not None and pub.status == "masked"
    assert "当场行政处罚决定书" in pub.title and case.decision_number in pub.original_text
    assert "罚款人民币50.00元" in pub.original_text and "《城市道路管理条例》第二十七条" in pub.original_text
    assert RESIDENT_ID in pub.original_text and RESIDENT_ID not in pub.masked_text
    assert pub.due_on == add_workdays(case.decided_on, 7).date
    assert case_deadlines(case=case, kind=PUBLICATION_DEADLINE, open_only=True).get().amount == 7


def test_closing_a_summary_case_waits_for_its_publication(world):
    case = walk(summary_case(world), world, S.EXECUTED)
    with pytest.raises(TransitionRefused) as err:
        from cases.services import case_act

        case_act(case=case, actor=world.officer1.user, action="close")
    assert "publication_pending" in [v.code for v in err.value.violations]
    publish_decision(case, world)
    case = act(act(case, world, "hand_over_cash"), world, "file_with_agency")
    assert act(case, world, "close").status == S.CLOSED
    assert not case_deadlines(case=case, kind=PUBLICATION_DEADLINE, open_only=True).exists()


def test_a_summary_warning_is_not_published_by_default(world):
    case = walk(summary_case(world), world, S.REGISTERED)
    case = act(case, world, "decide_on_spot", kinds=["warning"], amount="")
    assert publication_rule(case) is None and publication(case) is None


def test_the_setting_turns_summary_publication_off(world):
    LegalSetting.objects.filter(key="cases.publish_summary").update(value=0)
    case = walk(summary_case(world), world, S.DECIDED)
    assert publication(case) is None
    assert act(act(case, world, "collect_on_spot"), world, "hand_over_cash").status == S.EXECUTED


def test_the_setting_is_seeded_as_data():
    row = LegalSetting.objects.get(key="cases.publish_summary")
    assert row.value == 1 and "118号" in row.basis
