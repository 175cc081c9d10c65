"""Every PermissionDenied a view raises is one `auth.permission_denied` act (config.urls.handler403)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse

from config.urls import urlpatterns as site_urlpatterns
from core.models import LedgerEntry
from core.services.ledger import ledger_append

pytestmark = pytest.mark.django_db


def _recorded_then_denied(request: HttpRequest) -> HttpResponse:
    """Like a policy: record the denial in its own transaction, then refuse."""
    with transaction.atomic():
        ledger_append(actor=request.user, act="auth.permission_denied", payload={"verb": "test"})
    raise PermissionDenied("refused by the test policy")


def _denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("no reason given by the test view")


urlpatterns = [path("recorded/", _recorded_then_denied), path("denied/", _denied), *site_urlpatterns]
handler403 = "core.views.errors.permission_denied"


@pytest.fixture
def user(client):
    user = get_user_model().objects.create_user(username="plain", password="Zhifa-test-2026!")
    client.force_login(user)
    return user


def _denials():
    return LedgerEntry.objects.filter(act="auth.permission_denied")


def test_a_403_from_permission_required_on_the_calendar_is_recorded_once(client, user):
    response = client.get(reverse("core:calendar"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 403
    assert "您无权打开此页面" in response.content.decode()
    entry = _denials().get()
    assert entry.actor_id == user.pk
    assert json.loads(entry.payload) == {"method": "GET", "path": "/calendar/", "reason": "permission_denied"}
    client.post(reverse("core:calendar_year", args=[2026]))
    assert _denials().count() == 2


def test_a_catalog_policy_denial_turned_into_a_403_is_recorded_once(client, user):
    response = client.get(reverse("catalog:power_create"))
    assert response.status_code == 403
    entry = _denials().get()
    assert json.loads(entry.payload)["verb"] == "catalog.edit"  # the policy's own, richer entry


def test_a_denial_the_view_recorded_is_not_recorded_again_but_the_next_request_is(client, user, settings):
    settings.ROOT_URLCONF = __name__
    assert client.get("/recorded/").status_code == 403
    assert [json.loads(e.payload) for e in _denials()] == [{"verb": "test"}]
    assert client.get("/denied/").status_code == 403
    last = json.loads(_denials().order_by("seq").last().payload)
    assert last["reason"] == "no reason given by the test view"
    assert _denials().count() == 2


def test_the_ledger_browser_refusal_stays_one_entry(client, user):
    assert client.get(reverse("core:ledger")).status_code == 403
    assert _denials().count() == 1
