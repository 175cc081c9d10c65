"""The public portal: no login, Chinese, no personal data of staff or parties in any response."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from publicity.tests.conftest import SECRETS
from publicity.tests.test_masking import PARTY_ID

pytestmark = pytest.mark.django_db

PAGES = [
    "index",
    "agencies",
    "staff",
    "powers",
    "standards",
    "remedies",
    "procedures",
    "certificate_check",
    "decisions",
]


@pytest.fixture
def anon():
    return Client()


@pytest.mark.parametrize("name", PAGES)
def test_public_pages_render_without_login(anon, certificate, published, name):
    response = anon.get(reverse(f"publicity:{name}"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-Hans">' in body
    assert "13999990000" not in body  # the officer's private phone
    for secret in SECRETS:
        assert secret not in body


def test_staff_page_shows_name_number_field_status_only(anon, certificate):
    body = anon.get(reverse("publicity:staff")).content.decode()
    assert "赵执法" in body and "豫ZF41018300001" in body and "有效" in body
    assert certificate.officer.user.username not in body
    assert "13999990000" not in body


def test_procedures_page_draws_the_declared_workflows(anon):
    body = anon.get(reverse("publicity:procedures")).content.decode()
    assert body.count("<svg") == 2
    assert "立案" in body


def test_no_page_contains_a_phone_or_id_of_staff(anon, certificate):
    for name in PAGES:
        body = anon.get(reverse(f"publicity:{name}")).content.decode()
        assert not re.search(r"1[3-9]\d{9}", body), name


def test_decision_list_and_detail_show_only_masked_text(anon, published):
    listing = anon.get(reverse("publicity:decisions"), {"q": "张某"})
    assert published.title.encode() in listing.content
    detail = anon.get(reverse("publicity:decision_detail", args=[published.public_id]))
    assert detail.status_code == 200
    assert published.masked_text.split("\n")[4].encode() in detail.content
    for secret in SECRETS:
        assert secret.encode() not in detail.content
    assert PARTY_ID.encode() not in detail.content


def test_search_by_number_and_dates(anon, published):
    today = timezone.localtime(published.published_at).date().isoformat()
    hit = anon.get(reverse("publicity:decisions"), {"q": "罚〔2024〕12", "from": today, "to": today})
    assert published.title in hit.content.decode()
    miss = anon.get(reverse("publicity:decisions"), {"q": "不存在的文号"})
    assert published.title not in miss.content.decode()
    bad = anon.get(reverse("publicity:decisions"), {"q": "x" * 5000, "from": "nonsense", "page": "999"})
    assert bad.status_code == 200


def test_unpublished_decisions_are_not_reachable(anon, draft, reviewer):
    url = reverse("publicity:decision_detail", args=[draft.public_id])
    assert anon.get(url).status_code == 404
    from publicity.services import publication_approve

    publication_approve(actor=reviewer, publication=draft)
    assert anon.get(url).status_code == 404
    assert draft.title not in anon.get(reverse("publicity:decisions")).content.decode()


def test_withdrawn_decision_page_says_so_without_the_text(anon, published, reviewer):
    from publicity.services import publication_withdraw

    publication_withdraw(actor=reviewer, publication=published, reason="行政复议决定撤销原处罚决定")
    body = anon.get(reverse("publicity:decision_detail", args=[published.public_id])).content.decode()
    assert "已撤下" in body and "行政复议决定撤销原处罚决定" in body
    assert "非法占用" not in body  # the decision's text is gone
    listing = anon.get(reverse("publicity:decisions")).content.decode()
    assert "已撤下" in listing


def test_review_screen_is_for_officers_only(anon, draft, reviewer):
    url = reverse("publicity:review", args=[draft.pk])
    assert anon.get(url).status_code == 302
    client = Client()
    client.force_login(reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert "张三" in response.content.decode()  # the side-by-side original, inside only
    response = client.post(url, {"action": "approve", "masked_text": draft.masked_text})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "approved"


def test_review_screen_shows_refusal(draft, reviewer):
    client = Client()
    client.force_login(reviewer)
    response = client.post(
        reverse("publicity:review", args=[draft.pk]), {"action": "approve", "masked_text": "张三 13812345678"}
    )
    assert response.status_code == 200
    assert "第五十条" in response.content.decode()
