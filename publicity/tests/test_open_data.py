"""开放数据: CSV, JSON and Atom of the published decisions, with ETag/Last-Modified and 304."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from publicity.services import publication_withdraw
from publicity.tests.conftest import SECRETS

pytestmark = pytest.mark.django_db
FORMATS = ["open_data_csv", "open_data_json", "open_data_atom"]


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_csv_has_the_documented_fields_and_masked_text(published):
    response = Client().get(reverse("publicity:open_data_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(_body(response).lstrip("\ufeff"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(published.public_id)
    assert row["document_number"] == "新自然资罚〔2024〕12号"
    assert row["status"] == "published" and "张某" in row["text"]
    assert row["url"].endswith(f"/gongkai/decisions/{published.public_id}/")
    from publicity.opendata import FIELDS

    assert list(row) == [k for k, _ in FIELDS]


def test_json_pages_and_atom_entries(published):
    data = json.loads(_body(Client().get(reverse("publicity:open_data_json"))))
    assert data["items"][0]["id"] == str(published.public_id)
    assert data["next"] is None and "text" in data["fields"]
    atom = ET.fromstring(_body(Client().get(reverse("publicity:open_data_atom"))))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = atom.findall("a:entry", ns)
    assert len(entries) == 1
    assert entries[0].find("a:id", ns).text == f"urn:uuid:{published.public_id}"


@pytest.mark.parametrize("name", FORMATS)
def test_no_personal_data_in_any_export(published, name):
    body = _body(Client().get(reverse(f"publicity:{name}")))
    for secret in SECRETS:
        assert secret not in body


@pytest.mark.parametrize("name", FORMATS)
def test_conditional_get_answers_304_until_something_changes(published, reviewer, name):
    client = Client()
    first = client.get(reverse(f"publicity:{name}"))
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get(reverse(f"publicity:{name}"), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(reverse(f"publicity:{name}"), HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    publication_withdraw(actor=reviewer, publication=published, reason="原处罚决定被人民法院判决撤销")
    after = client.get(reverse(f"publicity:{name}"), HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and after["ETag"] != etag
    body = _body(after)
    assert "原处罚决定被人民法院判决撤销" in body
    assert published.masked_text[:30] not in body  # the text goes with the withdrawal


def test_year_filter_and_json_paging(published, monkeypatch):
    from publicity import opendata

    year = published.published_at.year
    assert (
        len(json.loads(_body(Client().get(reverse("publicity:open_data_json"), {"year": year})))["items"])
        == 1
    )
    assert json.loads(_body(Client().get(reverse("publicity:open_data_json"), {"year": 2001})))["items"] == []
    monkeypatch.setattr(opendata, "JSON_PAGE_SIZE", 0)
    data = json.loads(_body(Client().get(reverse("publicity:open_data_json"), {"page": "x"})))
    assert data["page"] == 1 and data["next"]


def test_csv_streams_in_keyset_chunks(agency, drafter, reviewer, monkeypatch):
    from publicity import opendata
    from publicity.tests.test_search import _publish

    monkeypatch.setattr(opendata, "CHUNK", 2)
    for n in range(5):
        _publish(agency, drafter, reviewer, text=f"第{n}件。", n=n)
    rows = list(
        csv.DictReader(io.StringIO(_body(Client().get(reverse("publicity:open_data_csv"))).lstrip("\ufeff")))
    )
    assert sorted(r["document_number"] for r in rows) == sorted(f"新自然资罚〔2025〕{n}号" for n in range(5))


def test_open_data_page_documents_the_fields(published):
    body = Client().get(reverse("publicity:open_data")).content.decode()
    for key in ("document_number", "published_at", "withdrawal_reason"):
        assert f"<code>{key}</code>" in body
