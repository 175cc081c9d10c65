"""Mediation from application to agreement or failure: rules, time limits, recusal, ledger."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from core.models import Deadline, LedgerEntry
from core.services.ledger import ledger_verify
from mediation import selectors, services
from mediation.models import Party, Status
from mediation.states import TRANSITIONS

from .conftest import accepted, apply, in_session


def pdf_text(document_id: int) -> str:
    from documents.selectors import visible_documents
    from documents.services import document_pdf

    document = visible_documents(None).get(pk=document_id)
    pdf = document_pdf(actor=None, document=document)
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def sign_all(world, m, on=None):
    for party in m.parties.all():
        services.mediation_signature_record(
            actor=world.mediator.user, mediation=m, party_id=party.pk, signed_on=on or timezone.localdate()
        )


def test_given_an_application_then_it_is_recorded_with_a_5_workday_time_limit_and_a_ledger_act(world):
    m = apply(world)

    assert m.status == Status.APPLIED and m.parties.count() == 2
    deadline = Deadline.objects.get(kind=selectors.ACCEPTANCE, subject_id=str(m.pk))
    assert deadline.unit == Deadline.Unit.WORKDAYS and deadline.amount == 5
    assert LedgerEntry.objects.filter(act="mediation.apply", object_id=str(m.pk)).exists()


def test_a_duplicate_application_between_the_same_parties_is_refused_even_with_sides_swapped(world):
    apply(world)
    with pytest.raises(DomainError) as exc:
        apply(
            world,
            applicant={"name": "东村村民委员会", "phone": "0371-1234567"},
            respondent={"name": " 张某某 "},
        )
    assert exc.value.code == "mediation_duplicate"
    assert "同一" in exc.value.message or "same" in exc.value.message or "已" in exc.value.message
    # Another kind of dispute between them is a new application.
    assert apply(world, kind="water").pk


def test_after_a_refusal_the_same_dispute_may_be_applied_for_again(world):
    m = apply(world)
    services.mediation_refuse(
        actor=world.head.user,
        mediation=m,
        reason="争议属于土地承包经营纠纷，应向农村土地承包仲裁委员会申请仲裁。",
    )
    assert apply(world).status == Status.APPLIED


def test_bad_input_is_refused_field_by_field_and_nothing_is_stored(world):
    with pytest.raises(ValidationFailed) as exc:
        apply(
            world,
            kind="divorce",
            summary="  ",
            applicant={"name": ""},
            respondent={"name": "x", "representative": "y"},
        )
    assert set(exc.value.field_errors) >= {
        "kind",
        "summary",
        "applicant_name",
        "respondent_representative_role",
    }
    assert not Party.objects.exists()


def test_a_refusal_needs_a_reason(world):
    m = apply(world)
    with pytest.raises(ValidationFailed) as exc:
        services.mediation_refuse(actor=world.head.user, mediation=m, reason="   ")
    assert exc.value.code == "mediation_reason_required"
    m.refresh_from_db()
    assert m.status == Status.APPLIED


def test_acceptance_names_the_mediator_numbers_the_mediation_and_starts_the_30_day_limit(world):
    m = accepted(world)

    assert m.status == Status.ACCEPTED and m.mediator_id == world.mediator.pk and m.number
    acceptance = Deadline.objects.get(kind=selectors.ACCEPTANCE, subject_id=str(m.pk))
    assert acceptance.status == Deadline.Status.SATISFIED
    conclusion = Deadline.objects.get(kind=selectors.CONCLUSION, subject_id=str(m.pk))
    assert conclusion.unit == Deadline.Unit.CALENDAR_DAYS and conclusion.amount == 30


def test_only_a_head_accepts_and_a_refused_officer_leaves_a_ledger_act(world):
    m = apply(world)
    with pytest.raises(PermissionDenied):
        services.mediation_accept(actor=world.mediator.user, mediation=m, mediator_id=world.mediator.pk)
    assert LedgerEntry.objects.filter(act="auth.permission_denied").exists()
    with pytest.raises(PermissionDenied):
        services.mediation_accept(actor=world.outsider.user, mediation=m, mediator_id=world.mediator.pk)


def test_from_application_to_signed_agreement_the_pdf_names_parties_terms_and_signatures(world):
    m = in_session(world)
    services.mediation_party_add(
        actor=world.mediator.user,
        mediation=m,
        side="applicant",
        data={"name": "张小某", "representative": "王律师", "representative_role": "委托代理人"},
    )
    services.mediation_agreement_draft(
        actor=world.mediator.user,
        mediation=m,
        terms="一、争议土地东侧60平方米由申请人使用。\n二、被申请人于本年4月30日前拆除界墙。",
        performance="双方于本年4月30日前履行完毕。",
    )
    sign_all(world, m)
    services.mediation_conclude(actor=world.mediator.user, mediation=m)

    m.refresh_from_db()
    assert m.status == Status.AGREED and "调协〔" in m.document_number and "调〔" in m.number
    text = pdf_text(m.document_id)
    for expected in (
        "行政调解协议书",
        "张某某",
        "东村村民委员会",
        "委托代理人：王律师",
        "争议土地东侧60平方米由申请人使用",
        "当事人签名",
        "张调解",
        m.document_number,
    ):
        assert expected in text
    assert (
        Deadline.objects.get(kind=selectors.CONCLUSION, subject_id=str(m.pk)).status
        == Deadline.Status.SATISFIED
    )
    assert ledger_verify().ok


def test_an_agreement_without_both_signatures_is_refused_and_no_document_is_issued(world):
    m = in_session(world)
    services.mediation_agreement_draft(
        actor=world.mediator.user, mediation=m, terms="一、各半使用。", performance="即时履行。"
    )
    applicant = m.parties.get(side="applicant")
    services.mediation_signature_record(
        actor=world.mediator.user, mediation=m, party_id=applicant.pk, signed_on=timezone.localdate()
    )

    with pytest.raises(DomainError) as exc:
        services.mediation_conclude(actor=world.mediator.user, mediation=m)
    assert exc.value.code == "mediation_signatures_missing"
    assert "东村村民委员会" in exc.value.message
    m.refresh_from_db()
    assert m.status == Status.MEDIATING and m.document_id is None


def test_a_new_draft_clears_the_signatures_given_to_the_old_one(world):
    m = in_session(world)
    services.mediation_agreement_draft(
        actor=world.mediator.user, mediation=m, terms="一、各半使用。", performance="即时履行。"
    )
    sign_all(world, m)
    services.mediation_agreement_draft(
        actor=world.mediator.user, mediation=m, terms="一、全部归申请人使用。", performance="即时履行。"
    )
    assert not m.parties.filter(signed_on__isnull=False).exists()
    with pytest.raises(DomainError):
        services.mediation_conclude(actor=world.mediator.user, mediation=m)


def test_acting_after_the_time_limit_is_refused_but_failure_with_routes_is_recorded(world):
    m = in_session(world)
    later = timezone.now() + datetime.timedelta(days=40)
    with time_machine.travel(later, tick=False):
        with pytest.raises(DomainError) as exc:
            services.mediation_agreement_draft(
                actor=world.mediator.user, mediation=m, terms="一、各半。", performance="即时。"
            )
        assert exc.value.code == "mediation_time_limit_passed"
        with pytest.raises(DomainError) as exc:
            services.mediation_session_record(
                actor=world.mediator.user,
                mediation=m,
                held_on=timezone.localdate(),
                place="调解室",
                attendees="双方",
                record="继续协商",
            )
        assert exc.value.code == "mediation_time_limit_passed"
        with pytest.raises(DomainError):
            services.mediation_extend(
                actor=world.mediator.user,
                mediation=m,
                days=15,
                agreed_on=timezone.localdate(),
                note="双方同意",
            )
        services.mediation_fail(actor=world.mediator.user, mediation=m, reason="期限届满双方未能达成协议。")
    m.refresh_from_db()
    assert m.status == Status.FAILED and "行政裁决" in m.routes and "诉讼" in m.routes


def test_an_extension_agreed_in_time_moves_the_time_limit_and_is_its_own_act(world):
    m = in_session(world)
    old_due = selectors.conclusion_due(m)
    extension = services.mediation_extend(
        actor=world.mediator.user,
        mediation=m,
        days=15,
        agreed_on=timezone.localdate(),
        note="双方当事人在调解笔录上签字同意延长15日。",
    )
    assert extension.old_due == old_due and selectors.conclusion_due(m) == extension.new_due > old_due
    assert LedgerEntry.objects.filter(act="mediation.extend").count() == 1
    with pytest.raises(ValidationFailed):
        services.mediation_extend(
            actor=world.mediator.user, mediation=m, days=999, agreed_on=timezone.localdate(), note="x"
        )
    # Within the extended limit the mediation goes on.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=35), tick=False):
        services.mediation_agreement_draft(
            actor=world.mediator.user, mediation=m, terms="一、各半。", performance="即时。"
        )


def test_a_mediator_who_handled_a_related_case_cannot_be_named(world):
    from cases.services import case_officer_assign, lead_register

    case = lead_register(
        actor=world.head.user,
        agency=world.agency,
        source="patrol",
        discovered_on=timezone.localdate(),
        description="东村非法占地",
    )
    case_officer_assign(actor=world.head.user, case=case, officer_id=world.mediator.pk)
    m = apply(world, related_case_id=case.pk)

    with pytest.raises(DomainError) as exc:
        services.mediation_accept(actor=world.head.user, mediation=m, mediator_id=world.mediator.pk)
    assert exc.value.code == "mediation_mediator_conflict" and "张调解" in exc.value.message
    services.mediation_accept(actor=world.head.user, mediation=m, mediator_id=world.colleague.pk)


def test_a_relative_of_a_party_withdraws_on_recusal_and_cannot_act_while_it_is_pending(world):
    m = accepted(world)
    recusal = services.recusal_apply(
        actor=world.mediator.user,
        mediation=m,
        ground="relative",
        reason="调解人系申请人张某某的表兄。",
        applied_by="张调解（自行回避）",
    )
    with pytest.raises(PermissionDenied):
        services.mediation_session_record(
            actor=world.mediator.user,
            mediation=m,
            held_on=timezone.localdate(),
            place="调解室",
            attendees="双方",
            record="x",
        )
    services.recusal_decide(actor=world.head.user, recusal=recusal, granted=True)
    m.refresh_from_db()
    assert m.mediator_id is None
    with pytest.raises(DomainError) as exc:
        services.mediation_mediator_assign(actor=world.head.user, mediation=m, mediator_id=world.mediator.pk)
    assert exc.value.code == "mediation_mediator_conflict"
    services.mediation_mediator_assign(actor=world.head.user, mediation=m, mediator_id=world.colleague.pk)
    m.refresh_from_db()
    assert m.mediator_id == world.colleague.pk


def test_an_online_application_needs_a_phone_and_runs_without_an_actor(world):
    with pytest.raises(ValidationFailed) as exc:
        apply(world, actor=None, applicant={"name": "张某某"})
    assert "applicant_phone" in exc.value.field_errors
    m = apply(world, actor=None)
    assert m.channel == "online" and m.recorded_by is None


@pytest.mark.parametrize("source", list(TRANSITIONS))
@pytest.mark.parametrize("target", list(TRANSITIONS))
def test_every_move_outside_the_table_is_refused(world, source, target):
    from mediation.services import _move

    m = apply(world)
    m.status = source
    if target in TRANSITIONS[source]:
        _move(m, to=target, actor=None, act="mediation.test")
        assert m.status == target
    else:
        with pytest.raises(Conflict):
            _move(m, to=target, actor=None, act="mediation.test")


def test_statistics_count_outcomes_per_kind(world):
    m = in_session(world)
    services.mediation_fail(actor=world.mediator.user, mediation=m, reason="双方分歧较大。")
    apply(world, kind="water")
    stats = selectors.mediation_statistics(actor=world.head.user)
    land_use = next(r for r in stats["rows"] if r["kind"] == "land_use")
    assert land_use["by_status"]["failed"] == 1 and land_use["success_rate"] == 0
    assert stats["total"] == 2 and stats["totals"]["applied"] == 1
    assert selectors.mediation_statistics(actor=world.outsider.user)["total"] == 0
