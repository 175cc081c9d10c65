"""Agencies and officers: scoped to the caller; the officer list shows public fields only."""

from __future__ import annotations

import pytest

from api.tests.conftest import ApiClient, token_for
from core.models import LedgerEntry
from org.models import AgencyLevel
from org.roles import Role
from org.tests.factories import AgencyFactory, CertificateFactory, OfficerFactory

pytestmark = pytest.mark.django_db

PUBLIC_FIELDS = {"name", "certificate_number", "fields", "status", "agency", "agency_code"}


def test_an_officer_sees_only_their_own_agency(client_a, agency_a, agency_b):
    listed = client_a.get("/api/v1/agencies").json()
    assert [a["id"] for a in listed["items"]] == [agency_a.pk]
    assert listed["count"] == 1
    assert client_a.get(f"/api/v1/agencies/{agency_a.pk}").json()["code"] == agency_a.code


def test_reading_another_agency_is_a_recorded_permission_denial(client_a, officer_a, agency_b):
    response = client_a.get(f"/api/v1/agencies/{agency_b.pk}")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    denials = LedgerEntry.objects.filter(act__endswith="permission_denied")
    assert denials.count() == 1  # recorded once, by org.policies, not again by the API
    assert denials.get().actor_id == officer_a.user_id


def test_a_supervisor_sees_the_subordinate_agencies():
    city = AgencyFactory(level=AgencyLevel.CITY)
    county_1 = AgencyFactory(parent=city)
    county_2 = AgencyFactory(parent=city)
    elsewhere = AgencyFactory()
    supervisor = OfficerFactory(agency=city, roles=[Role.SUPERVISOR])
    client = ApiClient(token_for(supervisor.user))
    ids = {a["id"] for a in client.get("/api/v1/agencies", {"limit": 200}).json()["items"]}
    assert ids == {city.pk, county_1.pk, county_2.pk}
    assert client.get(f"/api/v1/agencies/{county_2.pk}").status_code == 200
    assert client.get(f"/api/v1/agencies/{elsewhere.pk}").status_code == 403
    OfficerFactory(agency=county_1, name="下级执法员", certified_fields=["land"])
    names = {o["name"] for o in client.get("/api/v1/officers").json()["items"]}
    assert "下级执法员" in names


def test_the_officer_list_has_public_fields_only(client_a, officer_a, agency_b):
    OfficerFactory(agency=agency_b, name="外局执法员", certified_fields=["land"])
    response = client_a.get("/api/v1/officers")
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 1
    row = items[0]
    assert set(row) == PUBLIC_FIELDS
    assert row["name"] == officer_a.name
    assert row["certificate_number"] == officer_a.certificates.get().number
    text = response.content.decode()
    assert officer_a.phone not in text
    assert officer_a.user.username not in text
    assert "外局执法员" not in text


def test_officer_filters_and_page_size(client_a, agency_a):
    for _ in range(3):
        other = OfficerFactory(agency=agency_a, roles=[Role.OFFICER])
        CertificateFactory(officer=other, status="suspended")
    suspended = client_a.get("/api/v1/officers", {"status": "suspended"}).json()
    assert suspended["count"] == 3
    assert {r["status"] for r in suspended["items"]} == {"suspended"}
    page = client_a.get("/api/v1/officers", {"limit": 2, "offset": 1}).json()
    assert page["count"] == 4 and len(page["items"]) == 2
    too_big = client_a.get("/api/v1/officers", {"limit": 100000})
    assert too_big.status_code == 400
    assert "limit" in too_big.json()["field_errors"]
