"""The officers' guidance screens: record, outcome, library workflow; the pages are in Chinese."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guidance.models import GuidanceRecord, TypicalCase, TypicalStatus

from .test_library import DATA


def logged_in(officer) -> Client:
    client = Client()
    client.force_login(officer.user)
    return client


def test_an_on_site_guidance_is_recorded_on_the_form_and_bad_input_is_kept(world):
    client = logged_in(world.officer)
    data = {
        "kind": "onsite",
        "method": "coach",
        "occurred_on": timezone.localdate().isoformat(),
        "party_name": "李某某",
        "matter": "宅基地申请",
        "advice": "讲解申请条件",
        "place": "",
    }
    response = client.post(reverse("guidance:record_new"), data)
    assert response.status_code == 400
    assert "李某某" in response.content.decode() and "现场指导须填写指导地点" in response.content.decode()
    response = client.post(
        reverse("guidance:record_new"), {**data, "place": "东村", "officers": [world.officer.pk]}
    )
    assert response.status_code == 302
    record = GuidanceRecord.objects.get()
    page = client.get(reverse("guidance:record_detail", args=[record.pk]))
    assert page.status_code == 200 and "现场指导" in page.content.decode()
    assert (
        logged_in(world.outsider).get(reverse("guidance:record_detail", args=[record.pk])).status_code == 404
    )


def test_the_outcome_form_refuses_not_rectified_before_the_deadline(world):
    client = logged_in(world.officer)
    today = timezone.localdate()
    client.post(
        reverse("guidance:record_new"),
        {
            "kind": "opinion",
            "method": "advise",
            "occurred_on": today.isoformat(),
            "party_name": "某砖厂",
            "matter": "临时用地复垦",
            "advice": "按方案复垦",
            "rectification_text": "完成复垦",
            "rectification_deadline": (today + datetime.timedelta(days=10)).isoformat(),
        },
    )
    record = GuidanceRecord.objects.get()
    response = client.post(
        reverse("guidance:record_detail", args=[record.pk]), {"rectified": "0", "note": "未整改"}
    )
    assert response.status_code == 400 and response.context["error"].code == "guidance_deadline_running"
    response = client.post(
        reverse("guidance:record_detail", args=[record.pk]), {"rectified": "1", "note": "已复垦"}
    )
    assert response.status_code == 302


def test_library_draft_submit_and_publish_through_the_pages(world):
    author = logged_in(world.officer)
    response = author.post(reverse("guidance:case_new"), {**DATA, "method": "interview"})
    assert response.status_code == 302
    tc = TypicalCase.objects.get()
    url = reverse("guidance:case_detail", args=[tc.pk])
    assert author.post(url, {"action": "edit", **DATA, "title": "", "version": tc.version}).status_code == 400
    assert author.post(url, {"action": "submit"}).status_code == 302
    assert author.post(url, {"action": "publish"}).status_code == 403
    assert logged_in(world.reviewer).post(url, {"action": "publish", "note": "同意"}).status_code == 302
    tc.refresh_from_db()
    assert tc.status == TypicalStatus.PUBLISHED
    assert (
        author.get(reverse("guidance:library"), {"status": "published"}).context["page"].paginator.count == 1
    )
