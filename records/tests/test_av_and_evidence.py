import datetime
import json

import pytest

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import LedgerEntry
from org.roles import Role
from org.tests.factories import OfficerFactory
from records import selectors
from records.models import AvRule, EvidenceExclusion
from records.services import (
    av_rule_update,
    av_rules_record_defaults,
    evidence_exclude,
    evidence_file_ingest,
    evidence_item_add,
    evidence_reinstate,
    record_correct,
    record_create,
)
from records.tests.helpers import JPEG, interview_content, started, stream, video_bytes


def _video(world, case, **kw):
    args = dict(
        actor=world.officer1.user,
        case=case,
        fileobj=stream(video_bytes()),
        filename="录像.mp4",
        content_type="video/mp4",
        device="DSJ-01",
    )
    args.update(kw)
    return evidence_file_ingest(**args).file


def test_default_rules_seeded(db):
    rules = {r.code: r for r in AvRule.objects.all()}
    assert {c for c, r in rules.items() if r.requirement == "required"} == {
        "seizure",
        "demolition",
        "questioning_in_room",
    }
    assert {c for c, r in rules.items() if r.requirement == "as_needed"} == {
        "on_site",
        "investigation",
        "hearing",
        "delivery_left",
        "delivery_notice",
    }


def test_av_rule_blocks_seizure_until_a_video_is_attached_to_that_step(world, case):
    # Since records/0005 the seizure rule gates the court-outcome step whose measure is a seizure.
    step, data = "record_court_outcome", {"measure": "seizure"}
    missing = selectors.av_missing(case_id=case.pk, action=step, data=data)
    assert len(missing) == 1 and "查封、扣押" in missing[0]
    assert selectors.av_missing(case_id=case.pk, action=step, data={"measure": "fine_paid"}) == []
    # A photo or a video of another step does not satisfy the rule.
    evidence_file_ingest(
        actor=world.officer1.user,
        case=case,
        fileobj=stream(JPEG),
        filename="p.jpg",
        content_type="image/jpeg",
        action=step,
    )
    _video(world, case, action="investigate")
    assert selectors.av_missing(case_id=case.pk, action=step, data=data)
    _video(world, case, action=step, fileobj=stream(video_bytes(seed=2)))
    assert selectors.av_missing(case_id=case.pk, action=step, data=data) == []


def test_as_needed_rules_do_not_block_and_unknown_actions_pass(world, case):
    assert selectors.av_missing(case_id=case.pk, action="investigate") == []
    assert selectors.av_missing(case_id=case.pk, action="deliver", data={"method": "left_at_residence"}) == []
    assert selectors.av_missing(case_id=case.pk, action="check") == []


def test_questioning_in_case_room_needs_av_before_report(world, case):
    record = record_create(
        actor=world.officer1.user,
        case=case,
        kind="interview",
        action="investigate",
        started_at=started(),
        place="执法办案场所询问室1",
        in_case_room=True,
        officer_ids=[world.officer1.pk, world.officer2.pk],
        content=interview_content(),
        signature="signed",
    )
    missing = selectors.av_missing(case_id=case.pk, action="report")
    assert len(missing) == 1 and "执法办案场所内询问" in missing[0]
    _video(world, case, record=record, action="investigate")
    assert selectors.av_missing(case_id=case.pk, action="report") == []
    # The recording still counts after the record is corrected (same series).
    record_correct(actor=world.officer1.user, record=record, reason="更正笔误")
    assert selectors.av_missing(case_id=case.pk, action="report") == []


def test_administrator_changes_a_rule_and_it_is_recorded(world, case):
    admin = OfficerFactory(agency=world.agency, roles=[Role.SYSTEM_ADMIN])
    rule = AvRule.objects.get(code="delivery_left")
    with pytest.raises(PermissionDenied):
        av_rule_update(actor=world.officer1.user, rule=rule, requirement="required")
    av_rule_update(actor=admin.user, rule=rule, requirement="required")
    entry = LedgerEntry.objects.get(act="records.av_rule_changed")
    payload = json.loads(entry.payload)
    assert payload["old"]["requirement"] == "as_needed" and payload["new"]["requirement"] == "required"
    assert selectors.av_missing(case_id=case.pk, action="deliver", data={"method": "left_at_residence"})
    assert selectors.av_missing(case_id=case.pk, action="deliver", data={"method": "in_person"}) == []
    _video(world, case, action="deliver")
    assert selectors.av_missing(case_id=case.pk, action="deliver", data={"method": "left_at_residence"}) == []
    with pytest.raises(ValidationFailed):
        av_rule_update(actor=admin.user, rule=rule, requirement="sometimes")


def test_seeded_rules_recorded_once(db):
    assert len(av_rules_record_defaults(actor=None)) == AvRule.objects.count()
    assert av_rules_record_defaults(actor=None) == []


def _item(world, case, **kw):
    args = dict(
        actor=world.officer1.user,
        case=case,
        kind="audiovisual",
        title="现场录像",
        proves="当事人在耕地上建房的事实",
        source="执法人员现场拍摄",
        collected_by_ids=[world.officer1.pk, world.officer2.pk],
        collected_on=datetime.date.today(),
    )
    args.update(kw)
    return evidence_item_add(**args)


def test_evidence_list_numbers_and_kinds(world, case):
    video = _video(world, case, action="investigate")
    first = _item(world, case, file_ids=[video.pk])
    second = _item(world, case, kind="documentary", title="土地权属证明", source="村委会提供", file_ids=[])
    assert (first.number, second.number) == (1, 2)
    assert list(first.files.all()) == [video]
    with pytest.raises(ValidationFailed):
        _item(world, case, kind="rumour")
    with pytest.raises(ValidationFailed):
        _item(world, case, collected_by_ids=[world.outsider.pk])


def test_exclusion_keeps_history(world, case):
    item = _item(world, case)
    evidence_exclude(actor=world.officer1.user, case=case, item=item, reason="以偷拍方式取得，违反法定程序")
    listed = {i.pk: i for i in selectors.evidence_items(case=case)}
    assert listed[item.pk].is_excluded is True
    with pytest.raises(Conflict):
        evidence_exclude(actor=world.officer1.user, case=case, item=item, reason="again")
    evidence_reinstate(actor=world.officer1.user, case=case, item=item, reason="经核实系合法取得")
    listed = {i.pk: i for i in selectors.evidence_items(case=case)}
    assert listed[item.pk].is_excluded is False
    history = list(EvidenceExclusion.objects.filter(item=item).values_list("excluded", "reason"))
    assert history == [(True, "以偷拍方式取得，违反法定程序"), (False, "经核实系合法取得")]
    assert (
        LedgerEntry.objects.filter(
            act__in=["records.evidence_excluded", "records.evidence_reinstated"]
        ).count()
        == 2
    )
    with pytest.raises(ValidationFailed):
        evidence_exclude(actor=world.officer1.user, case=case, item=item, reason="")


def test_evidence_of_another_agency_refused(world, case):
    item = _item(world, case)
    with pytest.raises(PermissionDenied):
        evidence_exclude(actor=world.outsider.user, case=case, item=item, reason="x")
    with pytest.raises(PermissionDenied):
        _item(world, case, actor=world.outsider.user)


def test_sensitive_files_hidden_from_officers_not_on_the_case(world, case):
    _video(world, case, classification="sensitive")
    other = OfficerFactory(agency=world.agency, certified_fields=["land"])
    assert selectors.case_files(actor=world.officer1.user, case=case).count() == 1
    assert selectors.case_files(actor=world.head.user, case=case).count() == 1
    assert selectors.case_files(actor=other.user, case=case).count() == 0
