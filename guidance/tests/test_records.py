"""Guidance records: documents, on-site guidance, the rectification deadline and its outcome."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import Deadline, LedgerEntry
from guidance import selectors, services
from guidance.models import GuidanceRecord, GuidanceStatus


def pdf_text(document_id: int) -> str:
    from documents.selectors import visible_documents
    from documents.services import document_pdf

    pdf = document_pdf(actor=None, document=visible_documents(None).get(pk=document_id))
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def record(world, **overrides):
    today = timezone.localdate()
    kwargs = {
        "kind": "opinion",
        "method": "advise",
        "party_name": "新密市某某砖厂",
        "party_address": "新密市来集镇",
        "matter": "临时用地到期未复垦",
        "advice": "一、立即停止在临时用地上堆放砖坯。\n二、按复垦方案恢复耕作条件。",
        "basis": "《土地管理法》第五十七条",
        "occurred_on": today,
        "rectification_text": "清理堆放物并完成复垦",
        "rectification_deadline": today + datetime.timedelta(days=30),
    }
    kwargs.update(overrides)
    return services.guidance_record(actor=world.officer.user, **kwargs)


def test_a_guidance_opinion_is_issued_as_a_document_and_its_deadline_runs_on_the_clock(world):
    r = record(world)

    assert r.status == GuidanceStatus.RECTIFYING and r.document_number
    text = pdf_text(r.document_id)
    for expected in (
        "行政指导意见书",
        "新密市某某砖厂",
        "临时用地到期未复垦",
        "按复垦方案恢复耕作条件",
        "不具有强制力",
        r.document_number,
    ):
        assert expected in text
    deadline = Deadline.objects.get(kind=selectors.RECTIFICATION, subject_id=str(r.pk))
    assert deadline.due_date >= r.rectification_deadline and deadline.unit == Deadline.Unit.CALENDAR_DAYS
    assert list(r.officers.all()) == [world.officer]
    assert LedgerEntry.objects.filter(act="guidance.record", object_id=str(r.pk)).exists()


def test_a_prompt_without_rectification_is_just_recorded(world):
    r = record(world, kind="prompt", method="remind", rectification_text="", rectification_deadline=None)
    assert r.status == GuidanceStatus.RECORDED and "行政提示书" in pdf_text(r.document_id)
    assert not Deadline.objects.filter(subject_id=str(r.pk), kind=selectors.RECTIFICATION).exists()


def test_on_site_guidance_needs_the_place_and_the_officers_and_issues_no_document(world):
    with pytest.raises(ValidationFailed) as exc:
        record(world, kind="onsite", place="", rectification_deadline=None, rectification_text="")
    assert set(exc.value.field_errors) == {"place", "officers"}
    r = record(
        world,
        kind="onsite",
        method="demonstrate",
        place="来集镇砖厂现场",
        officer_ids=[world.officer.pk, world.colleague.pk],
    )
    assert r.document_id is None and set(r.officers.all()) == {world.officer, world.colleague}


def test_bad_input_names_every_field_and_stores_nothing(world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationFailed) as exc:
        record(
            world,
            kind="x",
            party_name=" ",
            advice="",
            occurred_on=tomorrow,
            rectification_deadline=timezone.localdate() - datetime.timedelta(days=3),
        )
    assert set(exc.value.field_errors) >= {"kind", "party_name", "advice", "occurred_on"}
    assert not GuidanceRecord.objects.exists()


def test_rectified_closes_the_record_and_meets_the_deadline(world):
    r = record(world)
    services.guidance_outcome(actor=world.officer.user, record=r, rectified=True, note="复查：已清理并复垦。")
    assert r.status == GuidanceStatus.RECTIFIED
    assert (
        Deadline.objects.get(kind=selectors.RECTIFICATION, subject_id=str(r.pk)).status
        == Deadline.Status.SATISFIED
    )
    with pytest.raises(Conflict):
        services.guidance_outcome(actor=world.officer.user, record=r, rectified=False, note="again")


def test_not_rectified_is_refused_before_the_deadline_and_becomes_a_case_lead_after_it(world):
    r = record(world)
    with pytest.raises(Conflict) as exc:
        services.guidance_outcome(actor=world.officer.user, record=r, rectified=False, note="未整改")
    assert exc.value.code == "guidance_deadline_running"
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40), tick=False):
        services.guidance_outcome(
            actor=world.officer.user, record=r, rectified=False, note="逾期复查：砖坯仍在，未复垦。"
        )
    r.refresh_from_db()
    assert r.status == GuidanceStatus.NOT_RECTIFIED and r.case_id
    from cases.selectors import case_get

    case = case_get(case_id=r.case_id, actor=world.head.user)
    assert case.status == "lead" and "逾期未整改" in case.lead.description
    assert LedgerEntry.objects.filter(act="guidance.not_rectified").exists()


def test_only_officers_of_the_guidance_or_a_head_record_the_outcome(world):
    r = record(world)
    with pytest.raises(PermissionDenied):
        services.guidance_outcome(actor=world.colleague.user, record=r, rectified=True, note="x")
    with pytest.raises(PermissionDenied):
        services.guidance_outcome(actor=world.outsider.user, record=r, rectified=True, note="x")
    services.guidance_outcome(actor=world.head.user, record=r, rectified=True, note="复查已整改")
