"""Given an agency with certified staff, when applications move through 行政许可法's steps, then the
statuses, time limits, documents and ledger follow the law."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Deadline, LedgerEntry
from documents import selectors as document_selectors
from documents.rendering import pdf_text
from documents.services import document_pdf
from service import selectors, services
from service.models import AppStatus, LicenceStatus
from service.tests.conftest import USCC, submit, terms

pytestmark = pytest.mark.django_db


def _docs(app):
    return list(
        document_selectors.documents_for_subject(
            actor=None, subject_type="service.application", subject_id=app.pk
        )
    )


def _taken(world, **kw):
    app = submit(world, **kw)
    services.application_take(actor=world.clerk.user, application=app)
    return app


def test_online_submission_starts_the_five_day_limit_and_refuses_a_duplicate(world):
    app = submit(world)
    assert app.status == AppStatus.RECEIVED and app.channel == "online" and app.owner is None
    limit = selectors.subject_deadlines(app, kind="service.correction_notice").get()
    assert limit.unit == Deadline.Unit.WORKDAYS and limit.amount == 5
    assert LedgerEntry.objects.filter(act="application.submit", object_id=str(app.pk)).exists()
    with pytest.raises(Conflict) as exc:
        submit(world, project=" 厂房扩建工程 ", location="嘉定镇工业园8号")
    assert exc.value.code == "application_duplicate"
    # another project of the same applicant is not a duplicate
    assert submit(world, project="仓库新建工程").pk != app.pk


def test_bad_input_is_refused_field_by_field(world):
    with pytest.raises(ValidationFailed) as exc:
        submit(world, applicant_id_number="123", applicant_phone="", applicant_email="", project="")
    fields = exc.value.field_errors
    assert {"applicant_id_number", "applicant_phone", "project"} <= set(fields)


def test_window_registration_makes_the_clerk_owner(world):
    app = submit(world, actor=world.clerk.user)
    assert app.channel == "window" and app.owner_id == world.clerk.pk == app.first_contact_id


def test_only_certified_owner_or_head_handles(world):
    app = submit(world)
    with pytest.raises(PermissionDenied):
        services.application_accept(actor=world.clerk.user, application=app)  # not taken yet
    services.application_take(actor=world.uncertified.user, application=app)
    with pytest.raises(PermissionDenied) as exc:
        services.application_accept(actor=world.uncertified.user, application=app)
    assert "证" in exc.value.message
    services.application_handover(
        actor=world.uncertified.user, application=app, officer_id=world.clerk.pk, note="持证人员办理"
    )
    assert app.owner_id == world.clerk.pk
    limit = selectors.subject_deadlines(app, kind="service.correction_notice").get()
    assert limit.responsible_id == world.clerk.user.pk
    assert LedgerEntry.objects.filter(act="deadline.reassigned", object_id=str(limit.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.application_accept(actor=world.colleague.user, application=app)
    with pytest.raises(PermissionDenied):
        services.application_accept(actor=world.outsider.user, application=app)
    services.application_accept(actor=world.clerk.user, application=app)
    assert app.status == AppStatus.ACCEPTED
    assert app.handovers.get().to_officer_id == world.clerk.pk


def test_one_complete_correction_list_then_acceptance_with_sealed_notices(world):
    app = _taken(world)
    services.application_request_correction(
        actor=world.clerk.user, application=app, missing=["建设工程设计方案总平面图", "土地权属证明", " "]
    )
    assert app.status == AppStatus.CORRECTION
    with pytest.raises(Conflict) as exc:
        services.application_request_correction(actor=world.clerk.user, application=app, missing=["又一项"])
    assert exc.value.code == "application_correction_once"
    services.application_accept(actor=world.clerk.user, application=app)
    kinds = {d.kind: d for d in _docs(app)}
    assert set(kinds) == {"licence_correction", "licence_acceptance"}
    text = pdf_text(document_pdf(actor=world.clerk.user, document=kinds["licence_correction"]))
    assert "建设工程设计方案总平面图" in text and "土地权属证明" in text and "一次告知" in text
    decision = selectors.subject_deadlines(app, kind="service.decision").get()
    assert decision.amount == 20 and decision.start_date == timezone.localdate()
    assert "予以受理" in pdf_text(document_pdf(actor=world.clerk.user, document=kinds["licence_acceptance"]))


def test_correction_after_five_working_days_is_refused_and_the_job_accepts_on_receipt(world):
    long_ago = timezone.localdate() - datetime.timedelta(days=20)
    app = submit(world, actor=world.clerk.user, today=long_ago)
    with pytest.raises(Conflict) as exc:
        services.application_request_correction(actor=world.clerk.user, application=app, missing=["图纸"])
    assert exc.value.code == "application_correction_late"
    assert services.applications_deem_accepted() == 1
    assert services.applications_deem_accepted() == 0  # idempotent
    app.refresh_from_db()
    assert app.status == AppStatus.ACCEPTED and app.deemed_accepted and app.accepted_on == long_ago
    decision = selectors.subject_deadlines(app, kind="service.decision").get()
    assert decision.start_date == long_ago
    assert LedgerEntry.objects.filter(
        act="application.accept_deemed", object_id=str(app.pk), actor__isnull=True
    ).exists()


def test_rejection_states_reason_and_remedies(world):
    app = _taken(world)
    with pytest.raises(ValidationFailed):
        services.application_reject(actor=world.clerk.user, application=app, reason=" ")
    services.application_reject(actor=world.clerk.user, application=app, reason="该事项不属于本机关职权范围")
    doc = _docs(app)[0]
    text = "".join(pdf_text(document_pdf(actor=world.clerk.user, document=doc)).split())
    assert doc.kind == "licence_rejection" and "行政复议" in text and "信丰县人民政府" in text
    assert not selectors.subject_deadlines(app, open_only=True).exists()


def test_pause_and_head_extension_move_the_decision_date(world):
    app = _taken(world)
    services.application_accept(actor=world.clerk.user, application=app)
    first = selectors.subject_deadlines(app, kind="service.decision", open_only=True).get()
    with pytest.raises(PermissionDenied):
        services.application_extend(actor=world.clerk.user, application=app, reason="情况复杂")
    services.application_extend(actor=world.head.user, application=app, reason="涉及多个部门意见，情况复杂")
    with pytest.raises(Conflict):
        services.application_extend(actor=world.head.user, application=app, reason="再延一次")
    second = selectors.subject_deadlines(app, kind="service.decision", open_only=True).get()
    assert second.amount == 30 and second.due_date > first.due_date
    services.application_pause(actor=world.clerk.user, application=app, reason="组织专家评审")
    assert app.status == AppStatus.PAUSED
    with pytest.raises(Conflict):
        services.application_decide(actor=world.clerk.user, application=app, grant=True, terms=terms())
    services.application_resume(actor=world.clerk.user, application=app)
    assert app.status == AppStatus.ACCEPTED


def test_joint_handling_gets_45_days(world):
    app = _taken(world, joint=True)
    services.application_accept(actor=world.clerk.user, application=app)
    assert selectors.subject_deadlines(app, kind="service.decision").get().amount == 45


def test_grant_and_issue_make_a_licence_with_its_expiry_deadline_and_plan(world):
    app = _taken(world)
    services.application_accept(actor=world.clerk.user, application=app)
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as exc:
        services.application_decide(
            actor=world.clerk.user,
            application=app,
            grant=True,
            terms=terms(valid_until=today - datetime.timedelta(days=1)),
        )
    assert "valid_until" in exc.value.field_errors
    services.application_decide(actor=world.clerk.user, application=app, grant=True, terms=terms())
    assert app.status == AppStatus.GRANTED
    assert selectors.subject_deadlines(app, kind="service.issue", open_only=True).get().amount == 10
    licence = services.application_issue(
        actor=world.clerk.user, application=app, supervision_number="3607222026000001"
    )
    assert app.status == AppStatus.ISSUED and licence.status == LicenceStatus.VALID
    expiry = selectors.subject_deadlines(licence, kind="licence.expiry").get()
    assert expiry.unit == Deadline.Unit.CALENDAR_DAYS and expiry.due_date >= licence.valid_until
    planned = licence.inspections.get()
    assert planned.due_on == today + datetime.timedelta(days=90)  # high risk
    assert selectors.licence_contact(licence.pk) == {
        "name": "信丰县某某建材有限公司",
        "email": "jc@example.com",
        "phone": "13800000001",
        "address": "信丰县嘉定镇工业园8号",
    }
    assert list(selectors.licences_granted_since(today)) == [licence]
    assert not selectors.licences_granted_since(today + datetime.timedelta(days=1)).exists()
    grant = next(d for d in _docs(app) if d.kind == "licence_grant")
    assert "有效期" in pdf_text(document_pdf(actor=world.clerk.user, document=grant))
    public = selectors.public_status(app)
    assert (
        public["licence_number"] == licence.number and "USCC" not in str(public) and USCC not in str(public)
    )


def test_refusal_needs_reasons(world):
    app = _taken(world)
    services.application_accept(actor=world.clerk.user, application=app)
    with pytest.raises(ValidationFailed):
        services.application_decide(actor=world.clerk.user, application=app, grant=False)
    services.application_decide(
        actor=world.clerk.user, application=app, grant=False, reason="不符合控制性详细规划"
    )
    assert app.status == AppStatus.REFUSED
    assert {d.kind for d in _docs(app)} == {"licence_acceptance", "licence_refusal"}


def test_temporary_land_needs_and_gets_a_return_deadline(world):
    app = _taken(world, kind_id=world.temp_kind.pk, project="施工临时用地")
    services.application_accept(actor=world.clerk.user, application=app)
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as exc:
        services.application_decide(actor=world.clerk.user, application=app, grant=True, terms=terms())
    assert "return_date" in exc.value.field_errors
    services.application_decide(
        actor=world.clerk.user,
        application=app,
        grant=True,
        terms=terms(return_date=today + datetime.timedelta(days=400)),
    )
    licence = services.application_issue(actor=world.clerk.user, application=app)
    assert selectors.subject_deadlines(licence, kind="licence.temporary_land_return").exists()


def _licence(world, days_left: int, **kw):
    app = _taken(world, **kw)
    services.application_accept(actor=world.clerk.user, application=app)
    today = timezone.localdate()
    services.application_decide(
        actor=world.clerk.user,
        application=app,
        grant=True,
        terms=terms(valid_from=today, valid_until=today + datetime.timedelta(days=days_left)),
    )
    return services.application_issue(actor=world.clerk.user, application=app)


def test_renewal_must_come_30_days_before_expiry(world):
    licence = _licence(world, 20)
    with pytest.raises(ValidationFailed) as exc:
        submit(world, renewal_of_id=licence.pk)
    assert (
        "Art.50" in exc.value.field_errors["renewal_of"][0]
        or "第50条" in exc.value.field_errors["renewal_of"][0]
    )


def test_undecided_renewal_is_granted_by_law_and_others_expire(world):
    renewed = _licence(world, 40)
    lapsed = _licence(world, 40, project="另一工程")
    renewal = submit(world, renewal_of_id=renewed.pk)
    after = renewed.valid_until + datetime.timedelta(days=1)
    assert services.licences_expiry_run(today=after) == {"renewed": 1, "expired": 1}
    assert services.licences_expiry_run(today=after) == {"renewed": 0, "expired": 0}
    renewed.refresh_from_db()
    lapsed.refresh_from_db()
    renewal.refresh_from_db()
    assert renewed.status == LicenceStatus.VALID and renewed.valid_until == after - datetime.timedelta(
        days=1
    ) + datetime.timedelta(days=40)
    assert renewal.status == AppStatus.DEEMED_RENEWED
    assert lapsed.status == LicenceStatus.EXPIRED
    assert LedgerEntry.objects.filter(
        act="licence.renew_deemed", object_id=str(renewed.pk), actor__isnull=True
    ).exists()
    assert selectors.subject_deadlines(renewed, kind="licence.expiry", open_only=True).count() == 1


def test_overdue_list_for_the_head(world):
    app = submit(world, today=timezone.localdate() - datetime.timedelta(days=20))
    assert list(selectors.overdue_applications(world.head.user)) == [app]
    assert not selectors.overdue_applications(world.outsider.user).exists()
