"""Hand-written table of statutory paths, and one test per guard proving it blocks and names its rule."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import CaseOfficer, CaseStatus
from cases.services import TransitionRefused, case_act, recusal_apply
from cases.tests.factories import HEAVY, act, new_case, walk
from cases.workflow.guards import hearing_request_end, statement_window_end
from core.services.calendar import add_workdays
from org.roles import Role
from org.tests.factories import OfficerFactory


def refused(case, world, action, *, today=None, data=None, actor=None):
    with pytest.raises(TransitionRefused) as err:
        if actor is not None:
            case_act(case=case, actor=actor, action=action, data=data or {}, today=today)
        else:
            act(case, world, action, today=today, data=data)
    return {v.code: v for v in err.value.violations}


def test_decision_before_the_statement_window_elapsed_is_refused_citing_art_45(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED)
    found = refused(case, world, "decide")
    assert "statement_window_open" in found
    assert "Art.45" in found["statement_window_open"].basis


def test_decision_after_the_statement_window_elapsed_is_allowed(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED)
    later = statement_window_end(case) + datetime.timedelta(days=1)
    assert act(case, world, "decide", today=later).status == CaseStatus.DECIDED


def test_decision_with_a_heavier_fine_than_notified_needs_a_new_notice(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED)
    case = act(case, world, "record_statement")
    found = refused(case, world, "decide", data={"amount": "6000.00"})
    assert found["heavier_than_notified"].basis == "行政处罚法 Art.45"


def test_decision_with_a_heavier_kind_than_notified_is_refused_even_with_a_lower_fine(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED)
    case = act(case, world, "record_statement")
    found = refused(case, world, "decide", data={"kinds": ["fine", "demolition"], "amount": "100.00"})
    assert "heavier_than_notified" in found


def test_decision_with_a_lighter_fine_than_notified_is_allowed(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED)
    case = act(case, world, "record_statement")
    case = act(case, world, "decide", data={"amount": "3000.00"})
    assert case.decided_amount == pytest.approx(3000) and case.decision_number


def test_unanswered_statement_point_blocks_the_decision(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED)
    body = {
        "received_on": timezone.localdate().isoformat(),
        "points": [{"point": "没有违法"}],
        "hearing_waived": True,
    }
    case = act(case, world, "record_statement", data=body)
    assert refused(case, world, "decide")["statement_unanswered"].basis == "行政处罚法 Art.45"


def test_registration_by_an_officer_who_is_not_head_is_refused_citing_art_54(world):
    case = walk(new_case(world), world, CaseStatus.PRELIMINARY_CHECK)
    found = refused(case, world, "register", actor=world.officer1.user)
    assert found["head_required"].basis == "行政处罚法 Art.54"


def test_time_barred_case_is_not_registered_citing_art_36(world):
    today = timezone.localdate()
    case = new_case(
        world,
        act_started_on=today - datetime.timedelta(days=1200),
        act_ended_on=today - datetime.timedelta(days=1000),
    )
    case = act(case, world, "check")
    assert refused(case, world, "register")["time_barred"].basis == "行政处罚法 Art.36"


def test_five_year_limitation_applies_where_the_facts_say_so(world):
    today = timezone.localdate()
    case = new_case(
        world,
        act_started_on=today - datetime.timedelta(days=1200),
        act_ended_on=today - datetime.timedelta(days=1000),
        facts={"limitation_extended": True},
    )
    case = act(case, world, "check")
    assert act(case, world, "register").status == CaseStatus.REGISTERED


def test_continuing_act_counts_from_its_end_and_is_not_time_barred(world):
    today = timezone.localdate()
    case = new_case(world, act_started_on=today - datetime.timedelta(days=3000))  # still continuing
    case = act(case, world, "check")
    case = act(case, world, "register")
    assert case.case_number and case.registered_on == today


def test_every_failed_guard_is_reported_together(world):
    case = new_case(world, assign=False)
    case = act(case, world, "check")
    from cases.models import Party  # no party

    Party.objects.filter(case=case).delete()
    found = refused(case, world, "register", actor=world.officer1.user)
    assert {"head_required", "no_party"} <= set(found)


def test_investigation_needs_two_certified_officers_citing_arts_42_55(world):
    case = new_case(world, assign=False)
    case = walk(case, world, CaseStatus.REGISTERED)
    from cases.services import case_officer_assign

    uncertified = OfficerFactory(agency=world.agency)
    case_officer_assign(actor=world.head.user, case=case, officer_id=uncertified.pk)
    case_officer_assign(actor=world.head.user, case=case, officer_id=world.officer1.pk)
    case.refresh_from_db()
    found = refused(case, world, "investigate")
    assert found["officers_not_certified"].basis == "行政处罚法 Arts.42, 55"


def test_pending_recusal_blocks_investigation_acts_citing_art_43(world):
    case = walk(new_case(world), world, CaseStatus.REGISTERED)
    recusal_apply(
        actor=world.officer1.user,
        case=case,
        officer_id=world.officer2.pk,
        applied_by="party",
        reason="当事人称其与执法人员有亲属关系",
    )
    found = refused(case, world, "investigate")
    assert found["recusal_pending"].basis == "行政处罚法 Art.43"


def test_hearing_request_after_five_working_days_is_refused(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED, heavy=True)
    late = add_workdays(hearing_request_end(case), 1).date
    found = refused(case, world, "request_hearing", today=late, data={"requested_on": late.isoformat()})
    assert found["hearing_request_late"].basis == "行政处罚法 Art.64(一)"


def test_hearing_request_without_a_hearing_right_is_refused_citing_art_63(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED)  # fine of 5000 yuan for an individual
    assert refused(case, world, "request_hearing")["no_hearing_right"].basis == "行政处罚法 Art.63"


def test_hearing_notice_less_than_seven_working_days_ahead_is_refused(world):
    case = walk(new_case(world), world, CaseStatus.HEARING_REQUESTED)
    today = timezone.localdate()
    body = {
        "notice_on": today.isoformat(),
        "hearing_date": add_workdays(today, 6).date.isoformat(),
        "chair_id": world.chair.pk,
    }
    assert (
        refused(case, world, "schedule_hearing", data=body)["hearing_notice_late"].basis
        == "行政处罚法 Art.64(二)"
    )


def test_an_investigator_may_not_chair_the_hearing(world):
    case = walk(new_case(world), world, CaseStatus.HEARING_REQUESTED)
    today = timezone.localdate()
    body = {
        "notice_on": today.isoformat(),
        "hearing_date": add_workdays(today, 7).date.isoformat(),
        "chair_id": world.officer2.pk,
    }
    assert (
        refused(case, world, "schedule_hearing", data=body)["chair_investigated"].basis
        == "行政处罚法 Art.64(四)"
    )


def test_decision_inside_the_hearing_request_window_is_refused_where_a_hearing_right_exists(world):
    case = walk(new_case(world), world, CaseStatus.NOTIFIED, heavy=True)
    body = {"received_on": timezone.localdate().isoformat(), "points": []}
    case = act(case, world, "record_statement", data=body)
    assert "hearing_window_open" in refused(case, world, "decide")


@pytest.mark.parametrize(
    ("kind", "code"),
    [("legal_review", "legal_review_required"), ("risk_assessment", "risk_assessment_required")],
)
def test_required_review_not_passed_blocks_the_decision(world, review_passed, kind, code):
    review_passed.status[kind] = "pending"
    case = walk(new_case(world), world, CaseStatus.INVESTIGATING)
    case = act(case, world, "report", data={**HEAVY, "amount": "50000.00"})
    case = act(case, world, "notify")
    case = act(case, world, "record_statement")
    later = hearing_request_end(case) + datetime.timedelta(days=1)
    found = refused(case, world, "decide", today=later)
    assert code in found and found[code].basis  # the catalog rule's basis


def test_collective_deliberation_required_for_a_complex_case(world, review_passed):
    review_passed.status["deliberation"] = "none"
    case = walk(new_case(world, facts={"complex_case": True}), world, CaseStatus.NOTIFIED)
    case = act(case, world, "record_statement")
    found = refused(case, world, "decide")
    assert "deliberation_required" in found and "第57条" in found["deliberation_required"].basis


def test_review_app_absent_means_none(world, monkeypatch):
    from cases.workflow import guards

    monkeypatch.undo()
    import builtins

    real_import = builtins.__import__

    def no_review(name, *args, **kwargs):
        if name == "review" or name.startswith("review."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_review)
    assert guards.review_status("legal_review", 1) == "none"


def test_crime_transfer_threshold_blocks_closing_without_a_decision_on_it(world):
    # 11 亩 of farmland (≥ 10 亩): propose transfer to the public security organ.
    case = new_case(world, facts={"land_class": "farmland", "area_m2": "7400"})
    case = walk(case, world, CaseStatus.NOTIFIED)
    case = act(case, world, "record_statement")
    found = refused(case, world, "decide")
    assert found["crime_transfer_undecided"].basis.endswith("刑法 Art.342")
    crime = {"decision": "not_transferred", "reason": "经公安机关审查不构成犯罪"}
    case = act(case, world, "decide", data={"crime_transfer": crime})
    assert case.crime_transfer["decision"] == "not_transferred"


def test_closing_requires_the_recorded_steps(world):
    case = walk(new_case(world), world, CaseStatus.EXECUTED)
    case.execution = {}
    case.save()  # a damaged record (e.g. an import) must not be closed
    assert refused(case, world, "close")["steps_missing"].basis == "行政处罚法 Art.47"


def test_fine_must_be_paid_in_full_with_a_receipt(world):
    case = walk(new_case(world), world, CaseStatus.EXECUTING)
    body = {"completed_on": timezone.localdate().isoformat(), "paid_amount": "100.00", "receipt_number": "X1"}
    assert (
        refused(case, world, "complete_execution", data=body)["fine_unpaid"].basis == "行政处罚法 Arts.67, 72"
    )


def test_only_assigned_officers_act_on_the_investigation(world):
    case = walk(new_case(world), world, CaseStatus.REGISTERED)
    found = refused(case, world, "investigate", actor=world.chair.user)
    assert found["not_case_officer"].basis == "行政处罚法 Art.42"


def test_officer_of_another_agency_is_refused(world):
    from core.errors import PermissionDenied

    case = new_case(world)
    with pytest.raises(PermissionDenied):
        case_act(case=case, actor=world.outsider.user, action="check", data={})


def test_delivery_before_the_decision_is_refused(world):
    case = walk(new_case(world), world, CaseStatus.DECIDED)
    before = (case.decided_on - datetime.timedelta(days=1)).isoformat()
    found = refused(case, world, "deliver", data={"delivered_on": before, "method": "direct"})
    assert "delivery_before_decision" in found


def test_granted_recusal_takes_the_officer_off_and_investigation_needs_a_replacement(world):
    from cases.services import case_officer_assign, recusal_decide

    case = walk(new_case(world), world, CaseStatus.REGISTERED)
    rec = recusal_apply(
        actor=world.officer2.user,
        case=case,
        officer_id=world.officer2.pk,
        applied_by="officer",
        reason="与当事人系亲属",
    )
    recusal_decide(actor=world.head.user, recusal=rec, granted=True, reason="符合回避情形")
    case.refresh_from_db()
    assert "officers_not_certified" in refused(case, world, "investigate")
    other = OfficerFactory(agency=world.agency, roles=[Role.OFFICER], certified_fields=["land"])
    case_officer_assign(actor=world.head.user, case=case, officer_id=other.pk)
    case.refresh_from_db()
    assert act(case, world, "investigate").status == CaseStatus.INVESTIGATING
    assert not CaseOfficer.objects.get(case=case, officer=world.officer2).active


# ---------------------------------------------------------------- 立案 time limit, discretion, 责令改正


def test_late_registration_is_allowed_but_flagged_with_the_overdue_deadline(world):
    from cases.models import CaseEvent
    from cases.selectors import case_deadlines
    from cases.services import available_actions

    today = timezone.localdate()
    case = new_case(world, discovered_on=today - datetime.timedelta(days=40))
    case = act(case, world, "check")
    actions = {a["action"]: a for a in available_actions(case=case, actor=world.head.user)}
    assert actions["register"]["allowed"] is True
    warning = actions["register"]["warnings"][0]
    assert warning["code"] == "registration_late" and "Art.54" in warning["basis"]
    case = act(case, world, "register")
    assert case.status == CaseStatus.REGISTERED
    event = CaseEvent.objects.filter(case=case, action="register").get()
    assert event.payload["warnings"][0]["code"] == "registration_late"
    assert case_deadlines(case=case, kind="cases.registration").get().status == "satisfied"


def test_registration_in_time_carries_no_warning(world):
    from cases.models import CaseEvent

    case = act(new_case(world), world, "check")
    case = act(case, world, "register")
    assert "warnings" not in CaseEvent.objects.filter(case=case, action="register").get().payload


def _with_standard(world):
    from cases.services import case_facts_update
    from catalog.tests.factories import admin_of, occupation_standard

    occupation_standard(agency=world.agency, actor=admin_of(world.agency))
    case = new_case(world)  # 300 m² of farmland: tier 轻微, 100–300 yuan/m², statutory 100–1000 yuan/m²
    case_facts_update(actor=world.head.user, case=case, violation_code="illegal_occupation")
    case.refresh_from_db()
    return walk(case, world, CaseStatus.INVESTIGATING)


def test_an_amount_outside_the_discretion_range_needs_a_written_reason_citing_art_34(world):
    case = _with_standard(world)
    found = refused(case, world, "report", data={**FINE_BODY, "amount": "5000.00"})
    assert found["amount_reason_required"].basis == "行政处罚法 Art.34"
    assert "30000" in str(found["amount_reason_required"].message)
    case = act(case, world, "report", data={**FINE_BODY, "amount": "50000.00"})  # inside 30,000–90,000
    assert case.proposed_amount == 50000
    case = act(case, world, "reinvestigate")
    reason = "当事人主动拆除大部分建筑物，减轻了危害后果"
    case = act(case, world, "report", data={**FINE_BODY, "amount": "20000.00", "amount_reason": reason})
    assert case.amount_reason == reason


def test_an_amount_above_the_statutory_maximum_is_refused_even_with_a_reason(world):
    case = _with_standard(world)
    body = {**FINE_BODY, "amount": "300000.01", "amount_reason": "情节特别严重"}
    found = refused(case, world, "report", data=body)
    assert "amount_above_statutory_maximum" in found
    assert "第57条" in found["amount_above_statutory_maximum"].basis
    case = act(case, world, "report", data={**body, "amount": "300000.00"})
    assert case.status == CaseStatus.INVESTIGATION_REPORTED


def test_the_decision_amount_is_checked_against_the_range_too(world):
    case = _with_standard(world)
    case = act(case, world, "report", data={**FINE_BODY, "amount": "60000.00"})
    case = act(case, world, "notify")
    case = act(case, world, "record_statement")
    later = hearing_request_end(case) + datetime.timedelta(days=1)
    assert "amount_reason_required" in refused(
        case, world, "decide", today=later, data={"amount": "10000.00"}
    )


def test_correction_notice_starts_its_deadline_and_the_check_records_prompt_correction(world):
    from cases.selectors import case_deadlines

    case = walk(new_case(world), world, CaseStatus.INVESTIGATING)
    case = act(case, world, "order_correction")
    order = case.correction_orders[0]
    dl = case_deadlines(case=case, kind="cases.correction").get()
    assert (dl.unit, dl.amount, order["due_on"]) == ("calendar_days", 15, dl.due_date.isoformat())
    assert case.deliveries.filter(document="correction_order").exists()
    case = act(case, world, "check_correction")
    assert case.facts["promptly_corrected"] is True
    dl.refresh_from_db()
    assert dl.status == "satisfied"
    assert refused(case, world, "check_correction")["no_open_correction_order"].basis == "行政处罚法 Art.28"


def test_an_ended_act_cannot_be_ordered_to_stop(world):
    today = timezone.localdate()
    case = new_case(
        world,
        act_started_on=today - datetime.timedelta(days=90),
        act_ended_on=today - datetime.timedelta(days=10),
    )
    case = walk(case, world, CaseStatus.INVESTIGATING)
    assert refused(case, world, "order_correction")["act_already_ended"].basis == "行政处罚法 Art.28"
    body = {"kind": "correct", "issued_on": today.isoformat(), "content": "限期恢复土地原状", "days": 5}
    case = act(case, world, "order_correction", data=body)
    assert case.correction_orders[0]["unit"] == "workdays"  # a 5-day period (行政处罚法 Art.85)


FINE_BODY = {"proposed_outcome": "penalty", "kinds": ["fine"]}
