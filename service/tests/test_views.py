"""Given the portal and the officers' screens, when people use them, then the rules of the services
apply, errors are shown in Chinese next to the fields, and nothing personal reaches the public."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from service import services
from service.models import Application, AppStatus
from service.tests.conftest import PDF, USCC, png, submit, terms

pytestmark = pytest.mark.django_db


def _form(world, **overrides):
    data = {
        "agency": world.agency.pk,
        "kind": world.kind.pk,
        "applicant_name": "刘某某",
        "applicant_id_number": "360722199001011234",
        "applicant_phone": "13912345678",
        "applicant_email": "",
        "applicant_address": "信丰县嘉定镇某路1号",
        "project": "自建住房",
        "location": "嘉定镇某村",
        "description": "",
        "renewal_of": "",
    }
    data.update(overrides)
    return data


def test_online_form_sends_and_tracks_without_personal_data(world, client: Client):
    assert client.get(reverse("service_public:index")).status_code == 200
    page = client.get(reverse("service_public:apply"))
    assert page.status_code == 200 and "website" in page.content.decode()
    response = client.post(reverse("service_public:apply"), {**_form(world), "attachments": [png()]})
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.attachments.count() == 1 and app.channel == "online"
    done = client.get(response["Location"])
    assert app.tracking_code[:4] in done.content.decode()
    track = client.get(reverse("service_public:track"), {"code": app.tracking_code.lower()})
    text = track.content.decode()
    assert track.status_code == 200 and "app-status" in text
    for secret in ("360722199001011234", "13912345678", "刘某某"):
        assert secret not in text


def test_online_form_keeps_input_and_names_the_fields(world, client: Client):
    response = client.post(
        reverse("service_public:apply"), _form(world, applicant_id_number="12", project="", attachments=[])
    )
    text = response.content.decode()
    assert response.status_code == 400 and "嘉定镇某村" in text
    assert Application.objects.count() == 0


def test_attachment_checked_by_content_and_honeypot(world, client: Client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("service_public:apply"), {**_form(world), "attachments": [fake]})
    assert response.status_code == 400 and Application.objects.count() == 0
    good = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    assert (
        client.post(
            reverse("service_public:apply"), {**_form(world), "attachments": [good], "website": "x"}
        ).status_code
        == 400
    )
    assert Application.objects.count() == 0


def test_throttled_after_the_hourly_limit(world, client: Client, settings):
    settings.ZHIFA_APPLICATIONS_PER_HOUR = 1
    assert client.post(reverse("service_public:apply"), _form(world)).status_code == 302
    response = client.post(reverse("service_public:apply"), _form(world, project="另一项目"))
    assert response.status_code == 429 and response["Retry-After"]


def test_duplicate_is_refused_on_the_form(world, client: Client):
    assert client.post(reverse("service_public:apply"), _form(world)).status_code == 302
    response = client.post(reverse("service_public:apply"), _form(world))
    assert response.status_code == 400 and "查询码" in response.content.decode()


def test_officer_walks_an_application_to_a_licence(world, client: Client):
    app = submit(world)
    client.force_login(world.clerk.user)
    assert client.get(reverse("service:index")).status_code == 200
    url = reverse("service:application", args=[app.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "take"}).status_code == 302
    assert client.post(url, {"action": "accept"}).status_code == 302
    today = timezone.localdate()
    bad = client.post(
        url,
        {
            "action": "grant",
            "valid_from": today.isoformat(),
            "valid_until": (today - datetime.timedelta(days=3)).isoformat(),
        },
    )
    assert bad.status_code == 400 and "有效" in bad.content.decode()
    ok = client.post(
        url,
        {
            "action": "grant",
            "valid_from": today.isoformat(),
            "valid_until": (today + datetime.timedelta(days=365)).isoformat(),
            "risk_level": "medium",
            "scope": "厂房",
            "location": "嘉定镇",
        },
    )
    assert ok.status_code == 302
    assert client.post(url, {"action": "issue", "supervision_number": "X1"}).status_code == 302
    app.refresh_from_db()
    assert app.status == AppStatus.ISSUED
    page = client.get(url).content.decode()
    assert (
        "准予行政许可决定书" in page
        or "licence_grant" in page
        or "decision to grant" in page
        or "准予" in page
    )
    licence = app.licence
    detail = client.get(reverse("service:licence", args=[licence.pk])).content.decode()
    assert "licence.expiry" in detail and licence.number in detail
    assert client.get(reverse("service:licences"), {"q": "某某"}).status_code == 200
    public = client.get(reverse("service_public:licences")).content.decode()
    assert licence.number in public and USCC not in public


def test_uncertified_officer_is_told_why(world, client: Client):
    app = submit(world, actor=world.uncertified.user)
    client.force_login(world.uncertified.user)
    response = client.post(reverse("service:application", args=[app.pk]), {"action": "accept"})
    assert response.status_code == 403 and "执法证" in response.content.decode()


def test_outsider_cannot_see(world, client: Client):
    app = submit(world)
    client.force_login(world.outsider.user)
    assert client.get(reverse("service:application", args=[app.pk])).status_code == 404


def test_patrol_draw_and_public_results(world, client: Client):
    client.force_login(world.clerk.user)
    today = timezone.localdate().isoformat()
    bad = client.post(
        reverse("service:patrols"),
        {"on": today, "route": "嘉定镇", "officers": [world.clerk.pk], "findings": "无"},
    )
    assert bad.status_code == 400 and "嘉定镇" in bad.content.decode()
    ok = client.post(
        reverse("service:patrols"),
        {
            "on": today,
            "route": "嘉定镇",
            "officers": [world.clerk.pk, world.colleague.pk],
            "findings": "发现未批先建",
            "violation": "on",
            "field_code": "planning",
        },
    )
    assert ok.status_code == 302
    for i in range(2):
        a = submit(
            world,
            actor=world.clerk.user,
            project=f"工程{i}",
            applicant_name="张三丰",
            applicant_id_number="360722199001011234",
        )
        services.application_accept(actor=world.clerk.user, application=a)
        services.application_decide(actor=world.clerk.user, application=a, grant=True, terms=terms())
        services.application_issue(actor=world.clerk.user, application=a)
    response = client.post(
        reverse("service:draws"), {"title": "第一次抽查", "field_code": "planning", "n": "1", "seed": "abc"}
    )
    assert response.status_code == 302
    draw_url = response["Location"]
    page = client.get(draw_url).content.decode()
    assert "abc" in page and "draw-reproduces" in page
    from service.models import RandomDraw

    draw = RandomDraw.objects.get()
    inspection = draw.inspections.get()
    client.post(
        reverse("service:inspection", args=[inspection.pk]),
        {"on": today, "officers": draw.picks[0]["officers"], "findings": "张三丰按图施工，电话13912345678"},
    )
    assert client.post(draw_url).status_code == 302
    public = client.get(reverse("service_public:draw", args=[draw.pk])).content.decode()
    assert "张某" in public and "张三丰" not in public and "13912345678" not in public


def test_head_overdue_list_and_licence_risk_change(world, client: Client):
    late = submit(world, today=timezone.localdate() - datetime.timedelta(days=20), project="超期项目")
    client.force_login(world.head.user)
    page = client.get(reverse("service:overdue")).content.decode()
    assert late.tracking_code in page
    assert client.get(reverse("service:index")).content.decode().count("超过办理期限") == 1
    app = submit(world, actor=world.clerk.user)
    services.application_accept(actor=world.clerk.user, application=app)
    services.application_decide(
        actor=world.clerk.user, application=app, grant=True, terms=terms(risk_level="low")
    )
    licence = services.application_issue(actor=world.clerk.user, application=app)
    url = reverse("service:licence", args=[licence.pk])
    assert client.post(url, {"risk_level": "extreme"}).status_code == 400
    assert client.post(url, {"risk_level": "high"}).status_code == 302
    licence.refresh_from_db()
    assert licence.risk_level == "high"
    assert client.get(reverse("service:inspections"), {"show": "all"}).status_code == 200
    missing = client.get(reverse("service_public:track"), {"code": "AAAA-BBBB-CCCC"})
    assert missing.status_code == 404 and "没有此查询码" in missing.content.decode()
