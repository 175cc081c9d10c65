"""Normative documents as enforcement basis (issue 9 §10): a document in force names the power-list
items it is a basis for, and the catalog (officer screens) and the public power list show it beside
their legal bases — its agency's and those of the agencies above, never a draft or a repealed one."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.selectors import power_items_current
from catalog.services import catalog_load_demo
from catalog.tests.factories import admin_of
from core.errors import Conflict, ValidationFailed
from core.models import LedgerEntry
from legal import selectors, services
from org.roles import Role
from org.tests.factories import AgencyFactory, OfficerFactory

CODE = "ZR-CF-001"


@pytest.fixture
def w(db) -> Any:
    city = AgencyFactory(name="赣州市自然资源局", level="city")
    county = AgencyFactory(name="信丰县自然资源局", parent=city)
    sibling = AgencyFactory(name="安远县自然资源局", parent=city)
    catalog_load_demo(actor=admin_of(county), agency=county)
    world = SimpleNamespace(
        city=city,
        county=county,
        sibling=sibling,
        legal=OfficerFactory(agency=county, roles=[Role.LEGAL_REVIEWER], name="李法规"),
        head=OfficerFactory(agency=county, roles=[Role.HEAD, Role.OFFICER], name="王局长"),
        officer=OfficerFactory(agency=county, name="张执法"),
        city_legal=OfficerFactory(agency=city, roles=[Role.LEGAL_REVIEWER, Role.HEAD]),
        sibling_legal=OfficerFactory(agency=sibling, roles=[Role.LEGAL_REVIEWER, Role.HEAD]),
    )
    world.item = power_items_current(None, agency_id=county.pk).get(code=CODE)
    return world


def _in_force(keeper: Any, head: Any, agency: Any, title: str, number: str, codes: list[str]) -> Any:
    today = timezone.localdate()
    doc = services.document_draft(
        actor=keeper.user, agency=agency, title=title, summary="适用规则", power_codes=codes
    )
    services.document_submit(actor=keeper.user, document=doc)
    services.document_review(actor=keeper.user, document=doc, lawful=True, opinion="合法")
    services.document_decide(
        actor=head.user, document=doc, doc_number=number, decided_on=today, decided_by="局务会议"
    )
    services.document_file(
        actor=keeper.user, document=doc, filed_with="司法局", filed_on=today, receipt=f"备{number}"
    )
    services.document_publish(
        actor=keeper.user, document=doc, published_on=today, published_where="政府门户网站"
    )
    doc.refresh_from_db()
    return doc


def _officer_page(w: Any) -> str:
    client = Client()
    client.force_login(w.officer.user)
    response = client.get(reverse("catalog:power_detail", args=[w.item.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _public_page(w: Any) -> str:
    response = Client().get(reverse("publicity:power_detail", args=[w.item.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_document_in_force_is_shown_with_the_power_items_legal_bases_in_the_catalog_and_the_portal(w):
    draft = services.document_draft(
        actor=w.legal.user, agency=w.county, title="违法用地查处裁量规则（草案）", power_codes=[CODE]
    )
    own = _in_force(w.legal, w.head, w.county, "信丰县违法用地查处裁量规则", "信自然资发〔2026〕8号", [CODE])
    above = _in_force(
        w.city_legal, w.city_legal, w.city, "赣州市土地执法办案规范", "赣自然资发〔2026〕3号", [CODE]
    )
    beside = _in_force(
        w.sibling_legal, w.sibling_legal, w.sibling, "安远县某规则", "安自然资发〔2026〕1号", [CODE]
    )
    other = _in_force(w.legal, w.head, w.county, "信丰县信访工作规则", "信自然资发〔2026〕9号", ["ZR-CF-002"])

    found = selectors.documents_in_force_for_powers(agency_id=w.county.pk, codes=[CODE])[CODE]
    assert {d.pk for d in found} == {own.pk, above.pk}  # not the draft, the sibling's, the other item's

    page = _officer_page(w)
    assert own.title in page and above.title in page and own.doc_number in page
    assert reverse("legal:document", args=[own.pk]) in page
    for absent in (draft.title, beside.title, other.title):
        assert absent not in page

    public = _public_page(w)
    assert own.title in public and own.doc_number in public and "政府门户网站" in public
    assert reverse("legal:document", args=[own.pk]) not in public  # the register is not public

    services.document_cleanup(
        actor=w.legal.user, document=own, round="2027年度清理", result="repeal", reason="已被替代",
        done_on=timezone.localdate(),
    )  # fmt: skip
    assert own.title not in _officer_page(w) and own.title not in _public_page(w)


def test_the_linked_items_are_checked_against_the_power_list_and_every_change_is_recorded(w):
    with pytest.raises(ValidationFailed) as refused:
        services.document_draft(actor=w.legal.user, agency=w.county, title="规则", power_codes=["NO-SUCH"])
    assert "NO-SUCH" in refused.value.field_errors["power_codes"][0]
    doc = services.document_draft(actor=w.legal.user, agency=w.county, title="规则")
    services.document_powers_set(actor=w.legal.user, document=doc, power_codes=[" ZR-CF-002", CODE, CODE])
    doc.refresh_from_db()
    assert doc.power_codes == [CODE, "ZR-CF-002"]
    entry = LedgerEntry.objects.filter(act="legal.document_powers_set").get()
    assert "ZR-CF-002" in entry.payload and '"old"' in entry.payload
    services.document_powers_set(actor=w.legal.user, document=doc, power_codes=["ZR-CF-002", CODE])
    assert LedgerEntry.objects.filter(act="legal.document_powers_set").count() == 1  # nothing changed

    repealed = _in_force(w.legal, w.head, w.county, "旧规则", "信自然资发〔2025〕1号", [CODE])
    services.document_cleanup(
        actor=w.legal.user, document=repealed, round="清理", result="repeal", reason="废止",
        done_on=timezone.localdate(),
    )  # fmt: skip
    with pytest.raises(Conflict):
        services.document_powers_set(actor=w.legal.user, document=repealed, power_codes=[])


def test_the_links_through_the_api_and_the_document_page(w):
    response = Client().post(
        "/api/v1/auth/token",
        {"username": w.legal.user.username, "password": "Zhifa-test-2026!"},
        content_type="application/json",
    )
    api = Client(headers={"Authorization": f"Bearer {response.json()['token']}"})
    made = api.post(
        "/api/v1/legal/documents",
        {"title": "执法规则", "power_codes": [CODE]},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["power_codes"] == [CODE]
    doc_id = made.json()["id"]
    changed = api.post(
        f"/api/v1/legal/documents/{doc_id}/powers",
        {"power_codes": ["ZR-CF-002"]},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["power_codes"] == ["ZR-CF-002"]
    bad = api.post(
        f"/api/v1/legal/documents/{doc_id}/powers", {"power_codes": ["X"]}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["field_errors"]["power_codes"]
    own = _in_force(w.legal, w.head, w.county, "信丰县规则", "信自然资发〔2026〕8号", [CODE])
    listed = api.get(f"/api/v1/legal/powers/{CODE}/documents").json()
    assert [d["id"] for d in listed] == [own.pk]

    client = Client()
    client.force_login(w.legal.user)
    page = client.post(
        reverse("legal:document", args=[doc_id]), {"step": "powers", "power_codes": f"{CODE}、ZR-CF-002"}
    )
    assert page.status_code == 302
    assert services.NormativeDocument.objects.get(pk=doc_id).power_codes == [CODE, "ZR-CF-002"]
