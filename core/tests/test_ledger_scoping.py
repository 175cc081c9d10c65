"""Which ledger entries an auditor reads: their agencies' entries; system-wide ones only at the top.

Runs through the real hooks (settings.ZHIFA_*, provided by org) without importing org: the models
are looked up by name, as core itself never imports a domain app.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.auth.signals import user_login_failed
from django.test import Client
from django.utils import timezone

from core.errors import NotFound
from core.models import LedgerEntry
from core.scoping import actor_agency_id
from core.selectors.ledger import ledger_entries_visible, ledger_entry_get, ledger_page
from core.services.ledger import ledger_append

pytestmark = pytest.mark.django_db


def _agency(code: str, parent=None):
    Agency = apps.get_model("org", "Agency")
    agency = Agency.objects.create(
        code=code, name=f"{code}自然资源局", level="county" if parent else "province", parent=parent
    )
    path = f"{parent.path if parent else '/'}{agency.pk}/"
    Agency.objects.filter(pk=agency.pk).update(path=path)
    agency.path = path
    return agency


def _officer(username: str, agency, role: str):
    user = get_user_model().objects.create_user(username=username, password="Zhifa-test-2026!")
    officer = apps.get_model("org", "Officer").objects.create(user=user, agency=agency, name=username)
    apps.get_model("org", "RoleAssignment").objects.create(
        officer=officer, role=role, granted_at=timezone.now()
    )
    user.user_permissions.add(
        Permission.objects.get(codename="view_ledgerentry", content_type__app_label="core")
    )
    return user


@pytest.fixture
def two_agencies():
    province = _agency("PROV")
    county = _agency("CNTY", parent=province)
    return {
        "province": province,
        "county": county,
        "province_auditor": _officer("prov_audit", province, "audit_admin"),
        "province_officer": _officer("prov_officer", province, "supervisor"),
        "county_auditor": _officer("cnty_audit", county, "audit_admin"),
    }


def test_the_hook_names_the_users_agency_and_for_the_system_the_top_level_agency(two_agencies):
    assert actor_agency_id(two_agencies["county_auditor"]) == two_agencies["county"].pk
    assert actor_agency_id(two_agencies["province_officer"]) == two_agencies["province"].pk
    assert actor_agency_id(get_user_model().objects.create_user(username="nobody")) is None
    assert actor_agency_id(None) == two_agencies["province"].pk


def test_a_users_acts_are_filed_under_their_agency_unless_one_is_given(two_agencies):
    officer = two_agencies["province_officer"]
    assert ledger_append(actor=officer, act="test.act").agency_id == two_agencies["province"].pk
    given = ledger_append(actor=officer, act="test.act", agency_id=two_agencies["county"].pk)
    assert given.agency_id == two_agencies["county"].pk
    assert ledger_append(actor=None, act="test.act").agency_id is None


def test_logins_and_failed_logins_are_filed_under_the_accounts_agency(two_agencies):
    client = Client()
    client.force_login(two_agencies["county_auditor"])
    assert LedgerEntry.objects.get(act="auth.login").agency_id == two_agencies["county"].pk
    for username in ("prov_officer", "no-such-user"):
        user_login_failed.send(sender=__name__, credentials={"username": username, "password": "x"})
    failed = {e.payload: e.agency_id for e in LedgerEntry.objects.filter(act="auth.login_failed")}
    assert failed == {
        '{"ip":"","username":"prov_officer"}': two_agencies["province"].pk,
        '{"ip":"","username":"no-such-user"}': None,
    }


def test_a_county_auditor_does_not_see_the_provinces_logins_nor_system_wide_entries(two_agencies):
    province_login = ledger_append(actor=two_agencies["province_officer"], act="auth.login")
    county_login = ledger_append(actor=two_agencies["county_auditor"], act="auth.login")
    system = ledger_append(actor=None, act="auth.login_failed", payload={"username": "no-such-user"})

    def seen(user):
        return set(ledger_entries_visible(actor=user).values_list("seq", flat=True))

    assert seen(two_agencies["county_auditor"]) == {county_login.seq}
    assert seen(two_agencies["province_auditor"]) == {province_login.seq, county_login.seq, system.seq}
    superuser = get_user_model().objects.create_superuser(username="root", password="Zhifa-test-2026!")
    assert {province_login.seq, county_login.seq, system.seq} <= seen(superuser)

    page = ledger_page(actor=two_agencies["county_auditor"])
    assert [e.seq for e in page.entries] == [county_login.seq]
    with pytest.raises(NotFound):
        ledger_entry_get(actor=two_agencies["county_auditor"], seq=system.seq)


def test_with_two_top_level_agencies_only_superusers_see_system_wide_entries(two_agencies):
    _agency("OTHER")
    system = ledger_append(actor=None, act="test.system")
    assert actor_agency_id(None) is None
    assert not ledger_entries_visible(actor=two_agencies["province_auditor"]).filter(seq=system.seq).exists()
