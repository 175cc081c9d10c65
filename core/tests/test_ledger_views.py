import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from core.models import LedgerEntry
from core.services.ledger import ledger_append
from core.testing import drop_ledger_triggers, tamper_sql

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _scoping(settings):
    settings.ZHIFA_VISIBLE_AGENCIES = "core.tests.test_ledger_views.visible_for_tests"
    settings.ZHIFA_ACTOR_AGENCY = "core.tests.test_ledger_views.agency_for_tests"


def visible_for_tests(user):
    return [1]


TOP_LEVEL = {"id": 1}


def agency_for_tests(user):
    """Every user acts for agency 1; the top-level agency is TOP_LEVEL["id"]."""
    return TOP_LEVEL["id"] if user is None else 1


@pytest.fixture
def auditor(client):
    user = get_user_model().objects.create_user(username="auditor", password="x" * 12)
    user.user_permissions.add(
        Permission.objects.get(codename="view_ledgerentry", content_type__app_label="core")
    )
    client.force_login(user)
    return user


@pytest.fixture
def officer(client):
    user = get_user_model().objects.create_user(username="officer", password="x" * 12)
    client.force_login(user)
    return user


def test_a_user_without_the_permission_gets_403_and_the_refusal_is_recorded(client, officer):
    for url, method in [
        (reverse("core:ledger"), "get"),
        (reverse("core:ledger_entry", args=[1]), "get"),
        (reverse("core:ledger_verify"), "post"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 403
    denials = LedgerEntry.objects.filter(act="auth.permission_denied", actor=officer)
    assert denials.count() == 3
    assert json.loads(denials.first().payload)["permission"] == "core.view_ledgerentry"


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("core:ledger"))
    assert response.status_code == 302


def test_the_auditor_pages_through_entries_newest_first_without_counting(
    client, auditor, django_assert_max_num_queries
):
    seqs = [ledger_append(actor=None, act="test.page", agency_id=1, payload={"i": i}).seq for i in range(120)]
    newest = list(reversed(seqs))
    with django_assert_max_num_queries(8) as ctx:
        response = client.get(reverse("core:ledger"), {"act": "test.page"})
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    page = response.context["page"]
    assert [e.seq for e in page.entries] == newest[:50]
    assert page.older_before == newest[49]
    older = client.get(reverse("core:ledger"), {"act": "test.page", "before": page.older_before})
    older = older.context["page"]
    assert [e.seq for e in older.entries] == newest[50:100] and older.newer_after == newest[50]
    newer = client.get(reverse("core:ledger"), {"act": "test.page", "after": older.newer_after})
    assert [e.seq for e in newer.context["page"].entries] == newest[:50]
    last = client.get(reverse("core:ledger"), {"act": "test.page", "before": older.older_before})
    last = last.context["page"]
    assert [e.seq for e in last.entries] == newest[100:] and last.older_before is None


def test_filters_by_act_actor_object_and_date(client, auditor):
    a = ledger_append(
        actor=auditor, act="number.issued", object_type="cases.case", object_id="9", agency_id=1
    )
    b = ledger_append(actor=None, act="number.pattern_set", agency_id=1)
    ledger_append(actor=None, act="file.store", object_type="core.storedfile", object_id="9")
    url = reverse("core:ledger")
    seqs = lambda params: [e.seq for e in client.get(url, params).context["page"].entries]  # noqa: E731
    assert seqs({"act": "number"}) == [b.seq, a.seq]
    assert seqs({"act": "number.issued"}) == [a.seq]
    assert seqs({"actor": "auditor", "act": "number"}) == [a.seq]
    assert seqs({"object_type": "cases.case", "object_id": "9"}) == [a.seq]
    assert seqs({"date_from": "2000-01-01", "date_to": "2000-01-02"}) == []
    response = client.get(url, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert response.status_code == 200 and response.context["page"] is None
    assert client.get(url, {"date_from": "not a date"}).status_code == 200
    assert client.get(url, {"before": "-5"}).status_code == 200


def test_the_auditor_sees_only_visible_agencies_and_agency_less_entries(client, auditor):
    ledger_append(actor=None, act="test.mine", agency_id=1)
    other = ledger_append(actor=None, act="test.other", agency_id=2)
    ledger_append(actor=None, act="test.system")
    acts = [e.act for e in client.get(reverse("core:ledger"), {"act": "test"}).context["page"].entries]
    assert acts == ["test.system", "test.mine"]
    assert client.get(reverse("core:ledger_entry", args=[other.seq])).status_code == 404


def test_an_auditor_below_the_top_level_agency_sees_no_agency_less_entries(client, auditor, monkeypatch):
    monkeypatch.setitem(TOP_LEVEL, "id", 9)
    ledger_append(actor=None, act="test.mine", agency_id=1)
    system = ledger_append(actor=None, act="test.system")
    acts = [e.act for e in client.get(reverse("core:ledger"), {"act": "test"}).context["page"].entries]
    assert acts == ["test.mine"]
    assert client.get(reverse("core:ledger_entry", args=[system.seq])).status_code == 404


def test_entry_detail_pretty_prints_the_payload(client, auditor):
    entry = ledger_append(actor=None, act="test.one", agency_id=1, payload={"名称": "甲", "n": 1})
    response = client.get(reverse("core:ledger_entry", args=[entry.seq]))
    assert response.status_code == 200
    assert response.context["payload"] == '{\n  "n": 1,\n  "名称": "甲"\n}'
    assert "&quot;名称&quot;: &quot;甲&quot;" in response.content.decode()
    assert client.get(reverse("core:ledger_entry", args=[999])).status_code == 404


def test_verify_now_shows_the_result_and_records_it(client, auditor):
    ledger_append(actor=None, act="test.one")
    two = ledger_append(actor=None, act="test.two")
    response = client.post(reverse("core:ledger_verify"))
    assert response.status_code == 200 and response.context["result"].ok
    drop_ledger_triggers()
    tamper_sql("UPDATE core_ledgerentry SET act = 'test.forged' WHERE seq = %s", [two.seq])
    response = client.post(reverse("core:ledger_verify"))
    result = response.context["result"]
    assert (result.failure.kind, result.failure.seq) == ("hash_mismatch", two.seq)
    assert reverse("core:ledger_entry", args=[two.seq]) in response.content.decode()
    recorded = LedgerEntry.objects.filter(act="ledger.verified").order_by("seq")
    assert [json.loads(e.payload)["ok"] for e in recorded] == [True, False]
    assert client.get(reverse("core:ledger_verify")).status_code == 405
