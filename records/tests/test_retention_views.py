"""The retention screen: what the archive may release, request and two-person approval, rules as data."""

import datetime
import json

from django.urls import reverse
from django.utils import timezone

from core.models import LedgerEntry, StoredFile
from org.mfa import force_login_verified
from org.roles import Role
from org.tests.factories import OfficerFactory
from records.models import RetentionClass, RetentionRelease, RetentionRule
from records.services import evidence_file_ingest
from records.tests.helpers import JPEG, stream, video_bytes

URL = "/records/retention/"


def _file(world, case, data, name, ctype, **kw):
    return evidence_file_ingest(
        actor=world.officer1.user,
        case=case,
        fileobj=stream(data),
        filename=name,
        content_type=ctype,
        action="investigate",
        **kw,
    ).file


def _closed(case, years_ago):
    day = timezone.localdate() - datetime.timedelta(days=int(365.25 * years_ago))
    type(case).objects.filter(pk=case.pk).update(status="closed", closed_on=day)
    case.refresh_from_db()
    return case


def test_lists_only_files_whose_period_has_run_in_the_users_agencies(client, world, case):
    video = _file(world, case, video_bytes(), "执法记录仪.mp4", "video/mp4")  # 1 year (not evidence)
    _file(world, case, JPEG, "现场照片.jpg", "image/jpeg")  # other files: 10 years
    _closed(case, 2)
    assert reverse("records_site:retention") == URL
    client.force_login(world.officer1.user)
    page = client.get(URL)
    assert page.status_code == 200
    assert "执法记录仪.mp4" in page.text and video.stored.digest in page.text
    assert "现场照片.jpg" not in page.text  # its 10 years still run
    all_files = client.get(URL, {"due": "all"})
    assert "现场照片.jpg" in all_files.text
    client.force_login(world.outsider.user)  # another agency: no trace
    assert "执法记录仪.mp4" not in client.get(URL, {"due": "all"}).text


def test_sensitive_file_hidden_from_those_who_may_not_see_it(client, world, case):
    _file(world, case, video_bytes(), "询问录像.mp4", "video/mp4", classification="sensitive")
    _closed(case, 2)
    client.force_login(world.officer1.user)  # assigned to the case
    assert "询问录像.mp4" in client.get(URL).text
    client.force_login(world.chair.user)  # same agency, not on the case, not a head
    assert "询问录像.mp4" not in client.get(URL).text


def test_request_then_another_head_approves_and_nothing_is_deleted(client, world, case):
    video = _file(world, case, video_bytes(), "执法记录仪.mp4", "video/mp4")
    _closed(case, 2)
    client.force_login(world.officer1.user)
    url = reverse("records_site:release_request", args=[video.pk])
    empty = client.post(url, {f"f{video.pk}-reason": ""})
    assert empty.status_code == 400 and not RetentionRelease.objects.exists()
    resp = client.post(url, {f"f{video.pk}-reason": "保存期满，未作为证据使用"})
    assert resp.status_code == 302
    release = RetentionRelease.objects.get()
    assert release.status == "requested" and release.requested_by_id == world.officer1.user.pk
    # the requester (not a head) sees it waiting, without a decision form
    page = client.get(URL)
    assert (
        "保存期满" in page.text and reverse("records_site:release_decide", args=[release.pk]) not in page.text
    )
    decide = reverse("records_site:release_decide", args=[release.pk])
    assert client.post(decide, {f"r{release.pk}-decision": "approve"}).status_code == 403
    client.force_login(world.head.user)
    assert decide in client.get(URL).text
    resp = client.post(decide, {f"r{release.pk}-decision": "approve", f"r{release.pk}-note": "同意释放"})
    assert resp.status_code == 302
    release.refresh_from_db()
    assert release.status == "approved" and release.decided_by_id == world.head.user.pk
    page = client.get(URL)
    assert "同意释放" in page.text  # listed among what the archive may release
    again = client.post(decide, {f"r{release.pk}-decision": "refuse"})
    assert again.status_code == 400
    assert RetentionRelease.objects.get().status == "approved"
    acts = list(LedgerEntry.objects.filter(act__startswith="records.release_").values_list("act", flat=True))
    assert acts == ["records.release_requested", "records.release_approved"]
    assert StoredFile.objects.filter(pk=video.stored_id).exists()


def test_head_who_requested_cannot_approve_own_request(client, world, case):
    video = _file(world, case, video_bytes(), "执法记录仪.mp4", "video/mp4")
    _closed(case, 2)
    client.force_login(world.head.user)
    client.post(reverse("records_site:release_request", args=[video.pk]), {f"f{video.pk}-reason": "期满"})
    release = RetentionRelease.objects.get()
    decide = reverse("records_site:release_decide", args=[release.pk])
    assert decide not in client.get(URL).text
    assert client.post(decide, {f"r{release.pk}-decision": "approve"}).status_code == 403
    assert RetentionRelease.objects.get().status == "requested"


def test_request_before_the_period_has_run_is_refused_with_the_rule(client, world, case):
    photo = _file(world, case, JPEG, "现场照片.jpg", "image/jpeg")
    _closed(case, 2)
    client.force_login(world.officer1.user)
    resp = client.post(
        reverse("records_site:release_request", args=[photo.pk]), {f"f{photo.pk}-reason": "想要释放"}
    )
    assert resp.status_code == 400
    assert "10" in resp.text and "想要释放" in resp.text  # the period named, the reason kept
    assert not RetentionRelease.objects.exists()


def test_rules_edited_by_the_system_administrator_only(client, world):
    rule = RetentionRule.objects.get(record_class=RetentionClass.AV_UNUSED)
    url = reverse("records_site:retention_rule", args=[rule.pk])
    client.force_login(world.head.user)
    assert client.post(url, {f"rule{rule.pk}-years": "2"}).status_code == 403
    admin = OfficerFactory(agency=world.agency, roles=[Role.SYSTEM_ADMIN])
    force_login_verified(client, admin.user)
    bad = client.post(url, {f"rule{rule.pk}-years": "0", f"rule{rule.pk}-basis": "新依据"})
    assert bad.status_code == 400 and "新依据" in bad.text
    assert (
        client.post(url, {f"rule{rule.pk}-years": "2", f"rule{rule.pk}-basis": "本地规定"}).status_code == 302
    )
    rule.refresh_from_db()
    assert (rule.years, rule.basis) == (2, "本地规定")
    payload = json.loads(LedgerEntry.objects.get(act="records.retention_rule_changed").payload)
    assert payload["old"]["years"] == 1 and payload["new"] == {"years": 2, "basis": "本地规定"}


def test_changing_a_rule_changes_what_may_be_released(client, world, case):
    _file(world, case, video_bytes(), "执法记录仪.mp4", "video/mp4")
    _closed(case, 2)
    RetentionRule.objects.filter(record_class=RetentionClass.AV_UNUSED).update(years=5)
    client.force_login(world.officer1.user)
    assert "执法记录仪.mp4" not in client.get(URL).text
