"""Every permission denial is one `auth.permission_denied` act: the policies' (core.denials.deny)
and any other PermissionDenied a view raises (config.urls.handler403)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse

from config.urls import urlpatterns as site_urlpatterns
from core.denials import denial_recorded, deny, deny_on_record, record_denial
from core.errors import PermissionDenied as DomainPermissionDenied
from core.models import LedgerEntry, NumberPattern
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


# --- core.denials.deny: the one way a policy records its refusal and raises -------------------------


def _agency_seven(user):
    """ZHIFA_ACTOR_AGENCY for these tests: every user acts for agency 7, the system for none."""
    return None if user is None else 7


@pytest.fixture
def acting_for_seven(settings):
    settings.ZHIFA_ACTOR_AGENCY = f"{__name__}._agency_seven"


@pytest.fixture
def officer_user():
    return get_user_model().objects.create_user(username="denied", password="Zhifa-test-2026!")


@pytest.fixture
def pattern():
    """A saved core row that carries its own agency (NumberPattern.agency_id)."""
    return NumberPattern.objects.create(agency_id=42, kind="test.kind")


def _refuse(**kwargs):
    with pytest.raises(DomainPermissionDenied) as refused:
        deny(**kwargs)
    return refused.value


def test_deny_records_the_act_then_raises_the_policys_code(officer_user, pattern):
    error = _refuse(
        actor=officer_user,
        verb="things.handle",
        reason="只有本机关的执法人员可以办理。",
        code="things_permission_denied",
        obj=pattern,
        agency_id=pattern.agency_id,
    )
    assert (error.code, error.message, error.status) == (
        "things_permission_denied",
        "只有本机关的执法人员可以办理。",
        403,
    )
    entry = _denials().get()
    assert json.loads(entry.payload) == {"verb": "things.handle", "reason": "只有本机关的执法人员可以办理。"}
    assert (entry.actor_id, entry.actor_label) == (officer_user.pk, "denied")
    assert (entry.object_type, entry.object_id, entry.agency_id) == (
        "core.numberpattern",
        str(pattern.pk),
        42,
    )


def test_deny_names_only_saved_objects_and_files_under_the_actors_agency_by_default(
    acting_for_seven, officer_user
):
    _refuse(actor=officer_user, verb="a.view", reason="r", code="c", obj=NumberPattern(agency_id=3, kind="x"))
    _refuse(actor=officer_user, verb="a.view", reason="r", code="c", obj=12)  # an agency id, not a row
    _refuse(actor=officer_user, verb="a.view", reason="r", code="c", object_type="cases.case", object_id="9")
    rows = list(_denials().order_by("seq").values_list("object_type", "object_id", "agency_id"))
    assert rows == [("", "", 7), ("", "", 7), ("cases.case", "9", 7)]


def test_deny_on_record_files_a_saved_object_under_its_agency_and_an_anonymous_actor_as_the_system(
    acting_for_seven, officer_user, pattern
):
    with pytest.raises(DomainPermissionDenied) as refused:
        deny_on_record(
            actor=AnonymousUser(), verb="a.handle", reason="r", code="a_permission_denied", obj=pattern
        )
    assert refused.value.code == "a_permission_denied"
    with pytest.raises(DomainPermissionDenied):
        deny_on_record(actor=officer_user, verb="a.view", reason="r", code="c", obj=None)
    first, second = _denials().order_by("seq")
    assert (first.actor_id, first.actor_label, first.agency_id) == (None, "system", 42)
    assert (first.object_type, first.object_id) == ("core.numberpattern", str(pattern.pk))
    assert (second.actor_id, second.agency_id, second.object_type) == (officer_user.pk, 7, "")


def test_the_denial_survives_the_rollback_of_the_work_that_follows_it(officer_user):
    """deny writes in its own atomic block: a caller that catches the refusal, goes on and then
    fails loses its own writes, not the denial."""
    with transaction.atomic():  # the caller's transaction
        with pytest.raises(DomainPermissionDenied):
            deny(actor=officer_user, verb="a.handle", reason="r", code="c")
        with pytest.raises(RuntimeError), transaction.atomic():
            NumberPattern.objects.create(agency_id=1, kind="undone")
            raise RuntimeError("the caller's own work fails")
    assert not NumberPattern.objects.filter(kind="undone").exists()
    assert _denials().count() == 1


def test_a_denial_inside_a_transaction_that_rolls_back_as_a_whole_goes_with_it(officer_user):
    """The limit the policies live with: services call `ensure` before they open their transaction
    (the entry then commits on its own); org.policies re-appends its denials after such a rollback."""
    with pytest.raises(DomainPermissionDenied), transaction.atomic():
        NumberPattern.objects.create(agency_id=1, kind="undone")
        deny(actor=officer_user, verb="a.handle", reason="r", code="c")
    assert not NumberPattern.objects.filter(kind="undone").exists()
    assert _denials().count() == 0


def test_record_denial_adds_extra_payload_keys_and_marks_the_request(officer_user):
    entry = record_denial(actor=officer_user, verb="org.grant_role", reason="r", extra={"rewritten": True})
    assert json.loads(entry.payload) == {"verb": "org.grant_role", "reason": "r", "rewritten": True}
    request = HttpRequest()
    assert denial_recorded(request)  # the 403 handler will not record this request again
