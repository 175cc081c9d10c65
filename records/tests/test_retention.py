"""Retention per record class (data with defaults) and release only with approval, logged; nothing deleted."""

import datetime

import pytest
from django.utils import timezone

from core.errors import Conflict, PermissionDenied, ValidationFailed
from core.models import LedgerEntry, StoredFile
from org.roles import Role
from org.tests.factories import OfficerFactory
from records.models import DEFAULT_RETENTION, RetentionClass, RetentionRule
from records.services import evidence_file_ingest, evidence_item_add
from records.services.retention import kept_until, release_decide, release_request, retention_rule_update
from records.tests.helpers import JPEG, stream, video_bytes


def _file(world, case, data, name, ctype):
    return evidence_file_ingest(
        actor=world.officer1.user,
        case=case,
        fileobj=stream(data),
        filename=name,
        content_type=ctype,
        action="investigate",
    ).file


def _closed(case, years_ago):
    day = timezone.localdate() - datetime.timedelta(days=int(365.25 * years_ago))
    type(case).objects.filter(pk=case.pk).update(status="closed", closed_on=day)
    case.refresh_from_db()
    return case


def test_default_rules_are_seeded_as_data(db):
    rules = {r.record_class: r.years for r in RetentionRule.objects.all()}
    assert rules == {str(k): v[0] for k, v in DEFAULT_RETENTION.items()}
    assert rules[RetentionClass.EVIDENCE] == 30 and rules[RetentionClass.AV_UNUSED] == 1


def test_class_and_period_of_a_file(world, case):
    photo = _file(world, case, JPEG, "现场照片.jpg", "image/jpeg")
    video = _file(world, case, video_bytes(), "录像.mp4", "video/mp4")
    evidence_item_add(
        actor=world.officer1.user,
        case=case,
        kind="audiovisual",
        title="现场照片",
        proves="占地事实",
        source="现场拍摄",
        collected_by_ids=[world.officer1.pk, world.officer2.pk],
        collected_on=datetime.date.today(),
        file_ids=[photo.pk],
    )
    _closed(case, 2)
    assert kept_until(case=case, file=photo)[:2] == (RetentionClass.EVIDENCE, 30)
    cls, years, until = kept_until(case=case, file=video)
    assert (cls, years) == (RetentionClass.AV_UNUSED, 1) and until < timezone.localdate()


def test_release_refused_while_the_period_runs(world, case):
    photo = _file(world, case, JPEG, "现场照片.jpg", "image/jpeg")
    with pytest.raises(ValidationFailed) as exc:  # case still open
        release_request(actor=world.officer1.user, case=case, file=photo, reason="到期")
    assert exc.value.code == "release_retention_running"
    _closed(case, 5)  # "other files": 10 years
    with pytest.raises(ValidationFailed):
        release_request(actor=world.officer1.user, case=case, file=photo, reason="到期")
    assert not LedgerEntry.objects.filter(act="records.release_requested").exists()


def test_release_after_the_period_needs_a_head_other_than_the_requester(world, case):
    video = _file(world, case, video_bytes(), "录像.mp4", "video/mp4")
    _closed(case, 2)
    release = release_request(actor=world.officer1.user, case=case, file=video, reason="保存期满，未作为证据")
    with pytest.raises(Conflict):
        release_request(actor=world.officer2.user, case=case, file=video, reason="again")
    with pytest.raises(PermissionDenied):  # an officer is not a head
        release_decide(actor=world.officer2.user, case=case, release=release, approve=True)
    other_head = OfficerFactory(agency=world.agency, roles=[Role.HEAD])
    release = release_decide(actor=other_head.user, case=case, release=release, approve=True, note="同意")
    assert release.status == "approved" and release.decided_by_id == other_head.user.pk
    with pytest.raises(Conflict):
        release_decide(actor=world.head.user, case=case, release=release, approve=False)
    acts = list(LedgerEntry.objects.filter(act__startswith="records.release_").values_list("act", flat=True))
    assert acts == ["records.release_requested", "records.release_approved"]
    assert StoredFile.objects.filter(pk=video.stored_id).exists()  # the application deletes nothing


def test_head_may_not_approve_own_request_and_rules_change_only_by_admin(world, case):
    video = _file(world, case, video_bytes(), "录像.mp4", "video/mp4")
    _closed(case, 2)
    release = release_request(actor=world.head.user, case=case, file=video, reason="期满")
    with pytest.raises(PermissionDenied):
        release_decide(actor=world.head.user, case=case, release=release, approve=True)
    rule = RetentionRule.objects.get(record_class=RetentionClass.AV_UNUSED)
    with pytest.raises(PermissionDenied):
        retention_rule_update(actor=world.head.user, rule=rule, years=3)
    admin = OfficerFactory(agency=world.agency, roles=[Role.SYSTEM_ADMIN])
    assert retention_rule_update(actor=admin.user, rule=rule, years=3).years == 3
    assert LedgerEntry.objects.filter(act="records.retention_rule_changed").count() == 1
