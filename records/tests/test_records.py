import json

import pytest

from core.errors import PermissionDenied, ValidationFailed
from core.models import LedgerEntry
from org.tests.factories import OfficerFactory
from records import selectors
from records.models import Record
from records.services import record_correct, record_create
from records.tests.helpers import interview_content, started


def _interview(world, case, **kw):
    args = dict(
        actor=world.officer1.user,
        case=case,
        kind="interview",
        action="investigate",
        started_at=started(),
        place="城关镇东村三组现场",
        officer_ids=[world.officer1.pk, world.officer2.pk],
        content=interview_content(),
        signature="signed",
    )
    args.update(kw)
    return record_create(**args)


def test_interview_record_made_with_two_certified_officers_and_ledger_act(world, case):
    record = _interview(world, case)
    assert record.version == 1 and record.case_id == case.pk and record.agency_id == world.agency.pk
    assert record.content["qa"][0]["a"].startswith("是的")
    entry = LedgerEntry.objects.get(act="records.record_created", object_id=str(record.pk))
    payload = json.loads(entry.payload)
    assert payload["new"]["officer_ids"] == sorted([world.officer1.pk, world.officer2.pk])


def test_interview_needs_two_certified_officers(world, case):
    uncertified = OfficerFactory(agency=world.agency)
    with pytest.raises(ValidationFailed) as exc:
        _interview(world, case, officer_ids=[world.officer1.pk, uncertified.pk])
    assert "第四十二条" in exc.value.basis or "Art" in exc.value.message or "42" in exc.value.message
    assert "officer_ids" in exc.value.field_errors
    assert not Record.objects.exists()


def test_officer_of_another_agency_may_not_be_named(world, case):
    with pytest.raises(ValidationFailed):
        _interview(world, case, officer_ids=[world.officer1.pk, world.outsider.pk])


def test_refused_signature_must_be_noted(world, case):
    with pytest.raises(ValidationFailed) as exc:
        _interview(world, case, signature="refused")
    assert "signature_note" in exc.value.field_errors
    record = _interview(world, case, signature="refused", signature_note="当事人拒绝签字，由见证人李四在场")
    assert record.signature == "refused"


def test_interview_needs_questions_and_identity(world, case):
    with pytest.raises(ValidationFailed) as exc:
        _interview(world, case, content={"person": {"name": "张三", "id_number": "1"}, "qa": []})
    assert "qa" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        _interview(world, case, content={"person": {"name": ""}, "qa": [{"q": "a", "a": "b"}]})
    assert "person_name" in exc.value.field_errors


def test_inspection_statement_hearing_records(world, case):
    ins = record_create(
        actor=world.officer1.user,
        case=case,
        kind="inspection",
        action="investigate",
        started_at=started(),
        place="东村三组",
        officer_ids=[world.officer1.pk, world.officer2.pk],
        content={
            "persons_present": [{"name": "张三", "role": "当事人"}],
            "findings": "新建砖混房屋一栋，占地约300平方米",
        },
        signature="signed",
    )
    assert ins.content["persons_present"][0]["name"] == "张三"
    st = record_create(
        actor=world.officer1.user,
        case=case,
        kind="statement",
        action="record_statement",
        started_at=started(),
        place="局机关",
        officer_ids=[world.officer1.pk],
        content={"person": {"name": "张三", "id_number": "11010519491231002X"}, "statement": "面积有误"},
        signature="signed",
    )
    assert st.kind == "statement"
    hr = record_create(
        actor=world.officer1.user,
        case=case,
        kind="hearing",
        action="hold_hearing",
        started_at=started(),
        place="听证室",
        officer_ids=[world.chair.pk],
        content={"chair": "王主持", "recorder": "赵记录", "proceedings": "调查人员陈述，当事人申辩"},
        signature="signed",
    )
    assert hr.content["public"] is True


def test_correction_is_a_new_version_and_the_old_stays(world, case):
    v1 = _interview(world, case)
    content = interview_content()
    content["qa"].append({"q": "房屋面积？", "a": "约三百平方米"})
    v2 = record_correct(actor=world.officer1.user, record=v1, reason="补充询问内容", content=content)
    assert (v2.version, v2.supersedes_id, v2.series) == (2, v1.pk, v1.series)
    v1.refresh_from_db()
    assert len(v1.content["qa"]) == 1  # unchanged
    assert [r.pk for r in selectors.case_records(actor=world.officer1.user, case=case)] == [v2.pk]
    assert [r.version for r in selectors.record_versions(record=v1)] == [1, 2]
    with pytest.raises(ValidationFailed):
        record_correct(actor=world.officer1.user, record=v1, reason="again")
    with pytest.raises(ValidationFailed):
        record_correct(actor=world.officer1.user, record=v2, reason=" ")
    entry = LedgerEntry.objects.get(act="records.record_corrected")
    payload = json.loads(entry.payload)
    assert payload["old"]["version"] == 1 and payload["reason"] == "补充询问内容"


def test_records_are_append_only(world, case):
    record = _interview(world, case)
    record.place = "改"
    with pytest.raises(TypeError):
        record.save()
    with pytest.raises(TypeError):
        Record.objects.filter(pk=record.pk).update(place="x")
    with pytest.raises(TypeError):
        record.delete()


def test_officer_of_another_agency_refused(world, case):
    with pytest.raises(PermissionDenied):
        _interview(world, case, actor=world.outsider.user)
    assert LedgerEntry.objects.filter(act="auth.permission_denied").exists()
    assert not Record.objects.exists()
