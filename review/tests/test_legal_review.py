"""法制审核: submission, assignment, the reviewer rules of 行政处罚法 Art.58, rounds and statuses."""

import pytest

from core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from core.models import LedgerEntry
from org.roles import Role
from org.tests.factories import AgencyFactory, LegalQualificationFactory, OfficerFactory
from review import selectors, services
from review.models import LegalReview, PointVerdict, ReviewOpinion
from review.tests.factories import case_with_handlers, earlier_concluded_review, full_checklist, reviewer

pytestmark = pytest.mark.django_db


def acts(act):
    return LedgerEntry.objects.filter(act=act)


def submit(case, handlers):
    return services.legal_review_submit(actor=handlers[0].user, case_id=case.pk, note="调查终结，请审核")


def conclude(review, user, opinion=ReviewOpinion.PASS, reasons="", checklist=None):
    return services.legal_review_conclude(
        actor=user, review=review, checklist=checklist or full_checklist(), opinion=opinion, reasons=reasons
    )


# --- submission ---


def test_given_a_handler_when_submitting_then_a_pending_round_and_a_ledger_act(case, handlers):
    review = submit(case, handlers)
    assert (review.round, review.concluded) == (1, False)
    assert selectors.legal_review_status(case_id=case.pk) == "pending"
    entry = acts("review.legal_review_submitted").get()
    assert (entry.object_id, entry.agency_id) == (str(review.pk), case.agency_id)


def test_given_no_review_then_status_is_none(case):
    assert selectors.legal_review_status(case_id=case.pk) == "none"


def test_given_an_officer_who_did_not_handle_the_case_when_submitting_then_permission_denied(agency, case):
    stranger = OfficerFactory(agency=agency).user
    with pytest.raises(PermissionDenied):
        services.legal_review_submit(actor=stranger, case_id=case.pk)
    assert acts("auth.permission_denied").filter(payload__contains="review.submit_review").exists()
    assert not LegalReview.objects.exists()


def test_given_a_head_when_submitting_then_allowed(case, head):
    assert services.legal_review_submit(actor=head, case_id=case.pk).round == 1


def test_given_a_pending_round_when_submitting_again_then_conflict(case, handlers):
    submit(case, handlers)
    with pytest.raises(Conflict) as exc:
        submit(case, handlers)
    assert exc.value.code == "review.already_pending"
    assert "第五十八条" in exc.value.message


def test_given_an_officer_of_another_agency_when_submitting_then_the_case_is_not_found(case):
    outsider = OfficerFactory(agency=AgencyFactory(), roles=[Role.HEAD]).user
    with pytest.raises(DomainError):
        services.legal_review_submit(actor=outsider, case_id=case.pk)
    assert not LegalReview.objects.exists()


# --- the reviewer rules (Art.58) ---


def test_given_a_reviewer_who_handled_the_case_when_concluding_then_refused_naming_art58(agency, handlers):
    both = OfficerFactory(agency=agency, roles=[Role.OFFICER, Role.LEGAL_REVIEWER], certified_fields=["land"])
    LegalQualificationFactory(officer=both)
    case = case_with_handlers(agency=agency, handlers=[handlers[0], both])
    review = submit(case, handlers)
    with pytest.raises(DomainError) as exc:
        conclude(review, both.user)
    assert exc.value.code == "review.reviewer_handled_case"
    assert "第五十八条" in exc.value.message and exc.value.basis.startswith("行政处罚法 Art.58")
    assert selectors.legal_review_status(case_id=case.pk) == "pending"
    assert not acts("review.legal_review_concluded").exists()


def test_given_a_first_time_reviewer_without_qualification_when_concluding_then_refused_naming_art58(
    agency, case, handlers
):
    novice = reviewer(agency=agency, qualified=False).user
    review = submit(case, handlers)
    with pytest.raises(DomainError) as exc:
        conclude(review, novice)
    assert exc.value.code == "review.first_review_unqualified"
    assert "第五十八条" in exc.value.message and "法律职业资格" in exc.value.message


def test_given_a_first_time_reviewer_with_qualification_when_concluding_then_passed(
    case, handlers, qualified_reviewer
):
    review = conclude(submit(case, handlers), qualified_reviewer)
    assert (review.opinion, review.reviewer_id) == (ReviewOpinion.PASS, qualified_reviewer.pk)
    assert selectors.legal_review_status(case_id=case.pk) == "passed"
    entry = acts("review.legal_review_concluded").get()
    assert '"first_review":true' in entry.payload and '"opinion":"pass"' in entry.payload


def test_given_an_experienced_reviewer_without_qualification_when_concluding_then_allowed(
    agency, case, handlers
):
    veteran = reviewer(agency=agency, qualified=False).user
    earlier_concluded_review(reviewer_user=veteran, agency=agency)
    review = conclude(submit(case, handlers), veteran)
    assert review.opinion == ReviewOpinion.PASS


def test_given_an_officer_without_the_reviewer_role_when_concluding_then_permission_denied(
    agency, case, handlers
):
    officer = OfficerFactory(agency=agency).user
    review = submit(case, handlers)
    with pytest.raises(PermissionDenied) as exc:
        conclude(review, officer)
    assert "第五十八条" in exc.value.message
    assert acts("auth.permission_denied").filter(payload__contains="review.conclude_review").exists()


def test_given_a_reviewer_of_another_agency_when_concluding_then_permission_denied(case, handlers):
    foreign = reviewer(agency=AgencyFactory()).user
    with pytest.raises(PermissionDenied):
        conclude(submit(case, handlers), foreign)


# --- the opinion ---


@pytest.mark.parametrize("opinion", [ReviewOpinion.RETURN_FOR_CORRECTION, ReviewOpinion.NOT_PASS])
def test_given_an_opinion_other_than_pass_without_reasons_then_refused(
    case, handlers, qualified_reviewer, opinion
):
    review = submit(case, handlers)
    with pytest.raises(ValidationFailed) as exc:
        conclude(review, qualified_reviewer, opinion=opinion, reasons="  ")
    assert "reasons" in exc.value.field_errors


def test_given_an_unanswered_point_then_refused_naming_the_point(case, handlers, qualified_reviewer):
    checklist = full_checklist()
    del checklist["facts_evidence"]
    with pytest.raises(ValidationFailed) as exc:
        conclude(submit(case, handlers), qualified_reviewer, checklist=checklist)
    assert list(exc.value.field_errors) == ["facts_evidence"]
    assert exc.value.code == "review.checklist_incomplete"


def test_given_not_applicable_on_a_point_other_than_crime_transfer_then_refused(
    case, handlers, qualified_reviewer
):
    checklist = full_checklist(procedure={"verdict": PointVerdict.NOT_APPLICABLE, "note": ""})
    with pytest.raises(ValidationFailed) as exc:
        conclude(submit(case, handlers), qualified_reviewer, checklist=checklist)
    assert "procedure" in exc.value.field_errors


def test_given_a_non_compliant_point_when_passing_then_refused(case, handlers, qualified_reviewer):
    checklist = full_checklist(documents={"verdict": PointVerdict.NON_COMPLIANT, "note": "缺少现场勘测笔录"})
    with pytest.raises(ValidationFailed) as exc:
        conclude(submit(case, handlers), qualified_reviewer, checklist=checklist)
    assert "documents" in exc.value.field_errors


def test_given_a_non_compliant_point_without_note_then_refused(case, handlers, qualified_reviewer):
    checklist = full_checklist(documents={"verdict": PointVerdict.NON_COMPLIANT, "note": ""})
    with pytest.raises(ValidationFailed) as exc:
        conclude(
            submit(case, handlers),
            qualified_reviewer,
            opinion=ReviewOpinion.RETURN_FOR_CORRECTION,
            reasons="补正",
            checklist=checklist,
        )
    assert "documents_note" in exc.value.field_errors


# --- rounds ---


def test_given_a_return_when_resubmitted_and_passed_then_statuses_follow_the_latest_round(
    case, handlers, qualified_reviewer
):
    first = submit(case, handlers)
    checklist = full_checklist(documents={"verdict": PointVerdict.NON_COMPLIANT, "note": "缺少现场勘测笔录"})
    conclude(
        first,
        qualified_reviewer,
        opinion=ReviewOpinion.RETURN_FOR_CORRECTION,
        reasons="补充现场勘测笔录",
        checklist=checklist,
    )
    assert selectors.legal_review_status(case_id=case.pk) == "returned"
    second = submit(case, handlers)
    assert second.round == 2
    assert selectors.legal_review_status(case_id=case.pk) == "pending"
    conclude(second, qualified_reviewer)
    assert selectors.legal_review_status(case_id=case.pk) == "passed"
    first.refresh_from_db()
    assert (first.opinion, first.checklist["documents"]["verdict"]) == (
        "return_for_correction",
        "non_compliant",
    )
    assert acts("review.legal_review_submitted").count() == 2


def test_given_not_passed_then_status_not_passed(case, handlers, qualified_reviewer):
    conclude(submit(case, handlers), qualified_reviewer, opinion=ReviewOpinion.NOT_PASS, reasons="超越职权")
    assert selectors.legal_review_status(case_id=case.pk) == "not_passed"


def test_given_a_concluded_round_when_concluding_again_then_conflict(case, handlers, qualified_reviewer):
    review = conclude(submit(case, handlers), qualified_reviewer)
    with pytest.raises(Conflict) as exc:
        conclude(review, qualified_reviewer, opinion=ReviewOpinion.NOT_PASS, reasons="改主意")
    assert exc.value.code == "review.concluded"
    review.refresh_from_db()
    assert review.opinion == ReviewOpinion.PASS


def test_rounds_refuse_bulk_changes(case, handlers):
    submit(case, handlers)
    with pytest.raises(TypeError):
        LegalReview.objects.update(opinion="pass")
    with pytest.raises(TypeError):
        LegalReview.objects.all().delete()


# --- assignment ---


def test_given_a_head_when_assigning_a_qualified_reviewer_then_assigned_and_recorded(
    case, handlers, head, qualified_reviewer
):
    review = services.legal_review_assign(
        actor=head, review=submit(case, handlers), reviewer=qualified_reviewer
    )
    assert (review.reviewer_id, review.assigned_by_id) == (qualified_reviewer.pk, head.pk)
    assert acts("review.legal_review_assigned").count() == 1


def test_given_a_legal_section_reviewer_when_assigning_then_allowed(
    agency, case, handlers, qualified_reviewer
):
    section_reviewer = reviewer(agency=agency, legal_section=True).user
    review = services.legal_review_assign(
        actor=section_reviewer, review=submit(case, handlers), reviewer=qualified_reviewer
    )
    assert review.reviewer_id == qualified_reviewer.pk


def test_given_a_handler_when_assigning_then_permission_denied(case, handlers, qualified_reviewer):
    review = submit(case, handlers)
    with pytest.raises(PermissionDenied):
        services.legal_review_assign(actor=handlers[0].user, review=review, reviewer=qualified_reviewer)


def test_given_an_unqualified_first_time_reviewer_when_assigning_then_refused(agency, case, handlers, head):
    novice = reviewer(agency=agency, qualified=False).user
    with pytest.raises(DomainError) as exc:
        services.legal_review_assign(actor=head, review=submit(case, handlers), reviewer=novice)
    assert exc.value.code == "review.first_review_unqualified"


def test_given_a_handler_when_assigned_as_reviewer_then_refused(case, handlers, head):
    with pytest.raises(DomainError) as exc:
        services.legal_review_assign(actor=head, review=submit(case, handlers), reviewer=handlers[0].user)
    assert exc.value.code == "review.not_legal_reviewer"


def test_given_a_round_assigned_to_another_when_concluding_then_permission_denied(
    agency, case, handlers, head, qualified_reviewer
):
    other = reviewer(agency=agency).user
    review = services.legal_review_assign(actor=head, review=submit(case, handlers), reviewer=other)
    with pytest.raises(PermissionDenied):
        conclude(review, qualified_reviewer)


# --- the reviewer's to-do list ---


def test_reviewer_todo_lists_own_and_unassigned_rounds_of_the_agency(
    agency, case, handlers, head, qualified_reviewer
):
    other = reviewer(agency=agency).user
    mine = submit(case, handlers)
    theirs_case = case_with_handlers(agency=agency, handlers=handlers)
    theirs = services.legal_review_assign(
        actor=head, review=services.legal_review_submit(actor=head, case_id=theirs_case.pk), reviewer=other
    )
    foreign_agency = AgencyFactory()
    foreign_handler = OfficerFactory(agency=foreign_agency)
    foreign_case = case_with_handlers(agency=foreign_agency, handlers=[foreign_handler])
    services.legal_review_submit(actor=foreign_handler.user, case_id=foreign_case.pk)

    assert list(selectors.reviews_for_reviewer(actor=qualified_reviewer)) == [mine]
    assert list(selectors.reviews_for_reviewer(actor=other)) == [mine, theirs]
    assert not selectors.reviews_for_reviewer(actor=handlers[0].user).exists()
    conclude(mine, qualified_reviewer)
    assert not selectors.reviews_for_reviewer(actor=qualified_reviewer).exists()
