"""The officers' mediation screens and the public application form."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from mediation.models import Mediation, Status

from .conftest import APPLICANT, accepted, apply


def public_data(world, **overrides):
    data = {
        "agency": world.agency.pk,
        "kind": "water",
        "summary": "上游村修建拦水坝，下游村灌溉用水不足。",
        "request": "拆除拦水坝或分时放水。",
        "location": "东河",
        "applicant_name": "下游村村民委员会",
        "applicant_phone": "0371-66667777",
        "respondent_name": "上游村村民委员会",
    }
    data.update(overrides)
    return data


def logged_in(officer) -> Client:
    client = Client()
    client.force_login(officer.user)
    return client


def test_the_public_applies_without_login_and_follows_with_the_code(world):
    client = Client()
    assert client.get(reverse("mediation_public:apply")).status_code == 200
    response = client.post(reverse("mediation_public:apply"), public_data(world))
    assert response.status_code == 302
    mediation = Mediation.objects.get()
    assert mediation.channel == "online" and mediation.parties.count() == 2
    page = client.get(reverse("mediation_public:submitted"))
    code = page.context["status"]["display_code"]
    track = client.get(reverse("mediation_public:track"), {"code": code})
    assert track.status_code == 200 and "上游村" not in track.content.decode()  # no names in public


def test_bad_public_input_keeps_what_was_typed_and_marks_the_fields(world):
    response = Client().post(
        reverse("mediation_public:apply"), public_data(world, summary="", applicant_phone="")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "下游村村民委员会" in body and "拆除拦水坝或分时放水。" in body
    assert set(response.context["form"].errors) >= {"summary", "applicant_phone"}
    assert not Mediation.objects.exists()


def test_a_duplicate_public_application_is_refused_with_the_reason(world):
    client = Client()
    client.post(reverse("mediation_public:apply"), public_data(world))
    response = client.post(
        reverse("mediation_public:apply"),
        public_data(world, applicant_name="上游村村民委员会", respondent_name="下游村村民委员会"),
    )
    assert response.status_code == 400
    assert Mediation.objects.count() == 1
    assert response.context["form"].non_field_errors()


def test_the_honeypot_and_the_rate_limit_refuse(world, settings):
    client = Client()
    assert client.post(reverse("mediation_public:apply"), public_data(world, website="x")).status_code == 400
    for i in range(5):
        client.post(reverse("mediation_public:apply"), public_data(world, respondent_name=f"第{i}村"))
    response = client.post(reverse("mediation_public:apply"), public_data(world, respondent_name="第九村"))
    assert response.status_code == 429 and response["Retry-After"]
    assert Mediation.objects.count() == 4  # the honeypot post counted too


def test_the_head_accepts_on_the_page_and_a_refusal_without_reason_is_shown(world):
    m = apply(world)
    client = logged_in(world.head)
    response = client.post(reverse("mediation:detail", args=[m.pk]), {"action": "refuse", "reason": " "})
    assert response.status_code == 400 and response.context["error"].code == "mediation_reason_required"
    response = client.post(
        reverse("mediation:detail", args=[m.pk]), {"action": "accept", "mediator": world.mediator.pk}
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.status == Status.ACCEPTED


def test_an_officer_who_is_not_the_mediator_is_refused_with_403(world):
    m = accepted(world)
    response = logged_in(world.colleague).post(
        reverse("mediation:detail", args=[m.pk]),
        {"action": "session", "held_on": "2026-01-01", "place": "x", "attendees": "x", "record": "x"},
    )
    assert response.status_code == 403


def test_list_filters_and_stats_page(world):
    apply(world)
    apply(world, kind="mining", applicant={**APPLICANT, "name": "王某"})
    client = logged_in(world.head)
    response = client.get(reverse("mediation:index"), {"kind": "mining"})
    assert response.status_code == 200 and len(response.context["page"].object_list) == 1
    assert logged_in(world.outsider).get(reverse("mediation:index")).context["page"].paginator.count == 0
    stats = client.get(reverse("mediation:stats"))
    assert stats.status_code == 200 and stats.context["stats"]["total"] == 2


def test_an_officer_records_an_application_at_the_window(world):
    client = logged_in(world.mediator)
    data = public_data(world, channel="window", applicant_phone="")
    response = client.post(reverse("mediation:new"), data)
    assert response.status_code == 302
    assert Mediation.objects.get().channel == "window"
