"""督办, automatic review, scoring, assessment, targets and consistency over real cases."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.tests.factories import new_case, walk
from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Deadline, LedgerEntry
from supervision import selectors, services
from supervision.models import ConsequenceKind, Level, OrderStatus


def closed_case(sup):
    return walk(new_case(sup.world), sup.world, "closed")


def test_order_issue_respond_accept_on_the_clock(sup):
    case = new_case(sup.world)
    head = sup.world.head.user
    order = services.order_issue(
        actor=head,
        agency_id=sup.county.pk,
        case_id=case.pk,
        addressee_id=sup.world.officer1.pk,
        requirement="三日内报告调查进展",
        workdays=3,
    )
    assert order.number.startswith("督办")
    deadline = selectors.order_deadline(order)
    assert deadline.responsible == sup.world.officer1.user and deadline.status == Deadline.Status.OPEN
    assert order.due_date == deadline.due_date > timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.order_respond(actor=sup.world.officer2.user, order=order, response="不是我")
    order = services.order_respond(actor=sup.world.officer1.user, order=order, response="已完成现场勘验")
    assert order.status == OrderStatus.RESPONDED
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.SATISFIED
    order = services.order_conclude(actor=head, order=order, accepted=True, conclusion="同意")
    assert order.status == OrderStatus.ACCEPTED
    with pytest.raises(Conflict):
        services.order_respond(actor=sup.world.officer1.user, order=order, response="再答")
    acts = list(
        LedgerEntry.objects.filter(
            object_type="supervision.supervisionorder", object_id=str(order.pk)
        ).values_list("act", flat=True)
    )
    assert acts == [
        "number.issued",
        "supervision.supervision_issue",
        "auth.permission_denied",
        "supervision.order_respond",
        "supervision.order_accept",
    ]
    assert list(selectors.orders_for_case(actor=head, case_id=case.pk)) == [order]


def test_rejected_response_starts_a_new_deadline(sup):
    case = new_case(sup.world)
    head = sup.world.head.user
    order = services.order_issue(
        actor=head,
        agency_id=sup.county.pk,
        case_id=case.pk,
        addressee_id=sup.world.officer1.pk,
        requirement="报告",
        workdays=2,
    )
    services.order_respond(actor=sup.world.officer1.user, order=order, response="简单答复")
    order = services.order_conclude(
        actor=head, order=order, accepted=False, conclusion="答复不充分，重新报告"
    )
    assert order.status == OrderStatus.REJECTED
    assert selectors.order_deadline(order).status in (Deadline.Status.OPEN, Deadline.Status.DUE_SOON)


def test_order_refuses_bad_input_with_reasons(sup):
    with pytest.raises(ValidationFailed) as exc:
        services.order_issue(
            actor=sup.world.head.user,
            agency_id=sup.county.pk,
            addressee_id=sup.sibling_head.pk,
            requirement="",
            workdays=0,
        )
    assert set(exc.value.field_errors) >= {"requirement", "workdays", "addressee", "case_id"}


def test_supervisor_issues_in_subordinate_agency_but_modifies_nothing_else(sup):
    case = new_case(sup.world)
    boss = sup.supervisor.user
    order = services.order_issue(
        actor=boss,
        agency_id=sup.county.pk,
        case_id=case.pk,
        addressee_id=sup.world.head.pk,
        requirement="说明超期原因",
        workdays=5,
    )
    assert order.issuer_agency_id == sup.city.pk
    # read-only otherwise: no scoring, sampling, assessment, targets in the county
    for call in (
        lambda: services.sample_draw(
            actor=boss,
            agency_id=sup.county.pk,
            closed_from=datetime.date(2020, 1, 1),
            closed_to=timezone.localdate(),
            size=1,
        ),
        lambda: services.assessment_run(
            actor=boss,
            agency_id=sup.county.pk,
            level=Level.DEPARTMENT,
            period_start=datetime.date(2020, 1, 1),
            period_end=timezone.localdate(),
        ),
        lambda: services.target_set(
            actor=boss,
            agency_id=sup.county.pk,
            metric="closed",
            target=5,
            period_start=datetime.date(2020, 1, 1),
            period_end=timezone.localdate(),
            department_id=sup.dept1.pk,
        ),
        lambda: services.order_respond(actor=boss, order=order, response="代答"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert LedgerEntry.objects.filter(act="auth.permission_denied", actor=boss).count() == 4
    # a head of a sibling county neither reads nor issues there
    with pytest.raises(PermissionDenied):
        services.order_issue(
            actor=sup.sibling_head.user,
            agency_id=sup.county.pk,
            case_id=case.pk,
            addressee_id=sup.world.head.pk,
            requirement="x",
            workdays=5,
        )
    assert not selectors.visible_orders(sup.sibling_head.user).exists()
    assert selectors.visible_orders(sup.world.officer1.user).count() == 0
    assert selectors.visible_orders(sup.world.head.user).get() == order


def test_autoreview_on_closed_case_is_idempotent_and_finds_gaps(sup):
    case = closed_case(sup)
    assert services.autoreview_run(actor=None) == 1
    assert services.autoreview_run(actor=None) == 0  # nothing changed since
    review = selectors.autoreview_for_case(actor=sup.world.head.user, case_id=case.pk)
    by = {f["check"]: f for f in review.findings}
    assert set(by) == {
        "notice_before_decision",
        "statement_window",
        "legal_review",
        "two_certified_officers",
        "av_recorded",
        "decision_elements",
        "delivery_in_time",
        "publication_in_time",
        "archive_complete",
    }
    assert by["notice_before_decision"]["ok"] and by["delivery_in_time"]["ok"]
    assert by["decision_elements"]["ok"], by["decision_elements"]
    assert by["publication_in_time"]["ok"], by["publication_in_time"]
    # closed, not archived: the archive check fails, naming the package
    assert not by["archive_complete"]["ok"] and by["archive_complete"]["message"]
    # the walk's factory made no 笔录: two certified officers on every record cannot be shown
    assert not by["two_certified_officers"]["ok"]
    assert review.failed == sum(1 for f in review.findings if not f["ok"])
    assert LedgerEntry.objects.filter(act="supervision.autoreview").count() == 1


def test_sample_and_scores_by_officer_and_department(sup):
    case = closed_case(sup)
    with pytest.raises(PermissionDenied):
        services.sample_draw(
            actor=sup.world.officer1.user,
            agency_id=sup.county.pk,
            closed_from=datetime.date(2020, 1, 1),
            closed_to=timezone.localdate(),
            size=3,
        )
    sample = services.sample_draw(
        actor=sup.reviewer.user,
        agency_id=sup.county.pk,
        closed_from=datetime.date(2020, 1, 1),
        closed_to=timezone.localdate(),
        size=3,
        seed=42,
    )
    assert sample.case_ids == [case.pk] and sample.seed == 42 and sample.population == 1
    row = services.score_record(
        actor=sup.reviewer.user,
        sample=sample,
        case_id=case.pk,
        deductions=[
            {"item": "procedure", "deduction": "late"},
            {"item": "documents", "deduction": "archive"},
        ],
    )
    assert row.score == Decimal(90)
    assert row.officer_id == sup.world.officer1.pk and row.department_id == sup.dept1.pk
    with pytest.raises(Conflict):
        services.score_record(actor=sup.reviewer.user, sample=sample, case_id=case.pk, deductions=[])
    with pytest.raises(ValidationFailed):
        services.score_record(actor=sup.reviewer.user, sample=sample, case_id=case.pk + 999, deductions=[])
    by_dept = selectors.score_results(actor=sup.world.head.user, by="department")
    assert by_dept == [{"key": sup.dept1.pk, "name": "执法一中队", "n": 1, "avg": Decimal("90.0")}]


def test_same_seed_draws_the_same_sample(sup):
    for _i in range(3):
        walk(new_case(sup.world), sup.world, "closed")
    kwargs = dict(
        agency_id=sup.county.pk,
        closed_from=datetime.date(2020, 1, 1),
        closed_to=timezone.localdate(),
        size=2,
        seed=7,
    )
    a = services.sample_draw(actor=sup.reviewer.user, **kwargs)
    b = services.sample_draw(actor=sup.reviewer.user, **kwargs)
    assert a.case_ids == b.case_ids and len(a.case_ids) == 2


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("closed_on_time / ", "语法错误"),
        ("__import__('os')", "只允许使用数字"),
        ("closed_in_time / closed", "closed_in_time"),
        ("closed ** 2", "只允许使用 + - * / 运算"),
        ("42", "未使用任何数据项"),
        ("", "公式为空"),
    ],
)
def test_indicator_formula_errors_are_refused_with_the_reason(sup, text, fragment):
    with pytest.raises(ValidationFailed) as exc:
        services.indicator_save(
            actor=sup.world.head.user,
            code="bad",
            name="坏指标",
            formula_text=text,
            weight="10",
            direction="higher",
        )
    assert fragment in exc.value.message or fragment in str(exc.value.field_errors)
    assert "formula" in exc.value.field_errors


def test_assessment_ranks_and_bottom_three_get_consequences(sup, settings):
    from org.tests.factories import OfficerFactory

    head = sup.world.head.user
    for i in range(3):
        OfficerFactory(agency=sup.county, department=sup.dept2, certified_fields=["land"], name=f"新人{i}")
    today = timezone.localdate()
    walk(new_case(sup.world), sup.world, "closed")
    start = datetime.date(today.year, 1, 1) if today.month > 1 else today - datetime.timedelta(days=40)
    run = services.assessment_run(
        actor=head, agency_id=sup.county.pk, level=Level.OFFICER, period_start=start, period_end=today
    )
    results = list(run.results.order_by("rank"))
    # only officers with data are ranked; the lead officer of the closed case is among them
    assert results and results[0].metrics.get("closed") == "1"
    names = {r.subject_name for r in results}
    assert "李执法" in names
    consequences = list(selectors.consequences_visible(actor=head))
    assert len(consequences) == (3 if len(results) > 3 else 0)


def test_repeat_bottom_officer_gets_a_transfer_proposal(sup, monkeypatch):
    from supervision import metrics

    head = sup.world.head.user
    officers = [sup.world.head, sup.world.officer1, sup.world.officer2, sup.world.chair]
    fake = {
        o.pk: {"closed": Decimal(10 - i), "closed_on_time": Decimal(10 - i)} for i, o in enumerate(officers)
    }
    monkeypatch.setattr(metrics, "compute", lambda **kw: fake)
    today = timezone.localdate()
    kwargs = dict(
        actor=head, agency_id=sup.county.pk, level=Level.OFFICER, period_start=today, period_end=today
    )
    services.indicator_save(
        actor=head, code="volume", name="结案数", formula_text="closed", weight="50", direction="higher"
    )
    first = services.assessment_run(**kwargs)
    assert [r.subject_id for r in first.results.order_by("rank")] == [o.pk for o in officers]
    kinds = {
        c.result.subject_id: c.kind
        for c in selectors.consequences_visible(actor=head).filter(result__run=first)
    }
    assert kinds == {o.pk: ConsequenceKind.ADMONITION for o in officers[1:]}
    second = services.assessment_run(**kwargs)
    kinds = {
        c.result.subject_id: c.kind
        for c in selectors.consequences_visible(actor=head).filter(result__run=second)
    }
    assert kinds == {o.pk: ConsequenceKind.TRANSFER_PROPOSAL for o in officers[1:]}
    c = selectors.consequences_visible(actor=head).filter(result__run=second).first()
    services.consequence_record(actor=head, consequence=c, record="2026年X月X日局长谈话，本人作出书面检查")
    with pytest.raises(Conflict):
        services.consequence_record(actor=head, consequence=c, record="again")
    assert LedgerEntry.objects.filter(act="supervision.transfer_proposal").count() == 1


def test_target_progress_is_computed_from_the_records(sup):
    head = sup.world.head.user
    today = timezone.localdate()
    target = services.target_set(
        actor=head,
        agency_id=sup.county.pk,
        metric="closed",
        target=4,
        period_start=today - datetime.timedelta(days=30),
        period_end=today + datetime.timedelta(days=30),
        officer_id=sup.world.officer1.pk,
    )
    [p] = selectors.target_progress([target])
    assert p.actual == 0
    walk(new_case(sup.world), sup.world, "closed")
    [p] = selectors.target_progress(selectors.my_targets(actor=sup.world.officer1.user))
    assert p.actual == 1 and p.share == 25
    with pytest.raises(ValidationFailed) as exc:
        services.target_set(
            actor=head,
            agency_id=sup.county.pk,
            metric="nonsense",
            target=0,
            period_start=today,
            period_end=today - datetime.timedelta(days=1),
        )
    assert set(exc.value.field_errors) >= {"metric", "target", "period_end", "officer"}


def test_the_nightly_task_checks_newly_closed_cases_once(sup):
    from supervision.tasks import autoreview_task

    walk(new_case(sup.world), sup.world, "closed")
    assert autoreview_task.call() == {"checked": 1}
    assert autoreview_task.call() == {"checked": 0}


def test_far_from_similar_cases_is_flagged_by_robust_z():
    from supervision.selectors import Point, flag_far

    def p(i, unit):
        return Point(
            case_id=i,
            case_number=str(i),
            agency_id=1,
            officer="甲",
            department="一中队",
            area=Decimal(100),
            amount=Decimal(unit) * 100,
            unit=Decimal(unit),
            reason="",
        )

    points = [p(i, u) for i, u in enumerate([300, 310, 290, 305, 295, 300, 900])]
    flag_far(points)
    assert [pt.case_id for pt in points if pt.flags] == [6]
    assert "300" in points[6].flags[0]
    few = [p(i, u) for i, u in enumerate([100, 900, 300])]
    flag_far(few)  # fewer than four similar cases: no comparison
    assert not any(pt.flags for pt in few)


def test_supervisor_cannot_conclude_or_withdraw_the_countys_own_order(sup):
    case = new_case(sup.world)
    head = sup.world.head.user
    order = services.order_issue(
        actor=head,
        agency_id=sup.county.pk,
        case_id=case.pk,
        addressee_id=sup.world.officer1.pk,
        requirement="补充证据",
        workdays=5,
    )
    with pytest.raises(PermissionDenied):
        services.order_withdraw(actor=sup.supervisor.user, order=order, reason="上级撤回")
    services.order_respond(actor=sup.world.officer1.user, order=order, response="已补充")
    with pytest.raises(PermissionDenied):
        services.order_conclude(actor=sup.supervisor.user, order=order, accepted=True, conclusion="同意")
    order.refresh_from_db()
    assert order.status == OrderStatus.RESPONDED
    services.order_conclude(actor=head, order=order, accepted=True, conclusion="同意")
