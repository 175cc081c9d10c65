"""全文检索: index of trigrams and run tails on SQLite (FTS5) and PostgreSQL (tsvector), one- and
two-character queries as prefixes, filters, pagination, highlighting; only the masked text is ever
indexed."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from publicity import search
from publicity.models import SearchEntry
from publicity.services import (
    publication_approve,
    publication_draft,
    publication_publish,
    publication_withdraw,
)
from publicity.tests.conftest import SECRETS

pytestmark = pytest.mark.django_db


def _publish(agency, drafter, reviewer, *, text, title="行政处罚决定书", category="", decided_on=None, n=1):
    pub = publication_draft(
        actor=drafter,
        case_id=1000 + n,
        agency_id=agency.pk,
        title=title,
        text=text,
        party_data={"organisations": ["新密市某某公司"]},
        due_on=datetime.date.today() + datetime.timedelta(days=9),
        document_number=f"新自然资罚〔2025〕{n}号",
        decided_on=decided_on or datetime.date(2025, 3, 1),
        category=category,
    )
    publication_approve(actor=reviewer, publication=pub)
    return publication_publish(actor=reviewer, publication=pub)


@pytest.fixture
def corpus(agency, drafter, reviewer):
    return [
        _publish(
            agency, drafter, reviewer, text="当事人非法占用耕地建房，决定罚款。", category="非法占用土地", n=1
        ),
        _publish(
            agency,
            drafter,
            reviewer,
            text="当事人未取得采矿许可证擅自采矿。",
            category="非法采矿",
            n=2,
            decided_on=datetime.date(2024, 6, 1),
        ),
        _publish(
            agency,
            drafter,
            reviewer,
            text="违法情节轻微并及时改正，不予处罚。",
            title="不予行政处罚决定书",
            n=3,
        ),
    ]


def test_index_words_are_trigrams_then_each_runs_last_two_and_last_one():
    assert search.index_words("处罚决定") == "处罚决 罚决定 决定 定"
    assert search.index_words("罚款９６１５元") == "罚款9 款96 961 615 15元 5元 元"  # full-width normalised
    assert search.index_words("《土地管理法》第77条") == "土地管 地管理 管理法 理法 法 第77 77条 7条 条"
    assert search.index_words("罚，A") == "罚 a"  # one-character runs


def test_query_operators_and_quotes_are_dropped():
    assert search.query_words('处罚" OR 1=1; -- NEAR(') == ["处罚", "or", "1", "1", "near"]
    assert search.parse('"处罚" AND').fts5() == '"处罚"* AND "and"'
    assert search.parse("耕地 第七十七条").tsquery() == "'耕地':* & ('第七十' & '七十七' & '十七条')"


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("耕地", {1}),  # two characters inside a run: the prefix of a trigram
        ("建房", {1}),  # two characters ending a run: the run's last two
        ("采矿", {2}),
        ("非法占用耕地", {1}),  # a phrase: adjacent trigrams
        ("擅自 采矿", {2}),  # two words, both required
        ("非法 采矿", set()),
        ("占用采矿", set()),  # the trigrams exist, but not next to each other
        ("房", {1}),  # one character ending a run: the run's last one
        ("矿", {2}),  # one character inside a run: a prefix
        ("罚", {1, 2, 3}),  # in every title (行政处罚决定书)
        ("不予", {3}),
        ("决定书", {1, 2, 3}),  # the title is indexed too
        ("2号", {2}),  # the document number
        ("２号", {2}),  # full-width digits in the query
    ],
)
def test_search_matches(corpus, q, expected):
    numbers = {int(e.document_number.split("〕")[1].rstrip("号")) for e in search.entries(q=q)}
    assert numbers == expected


def test_filters_year_kind_category_agency(corpus, agency):
    assert {e.year for e in search.entries(year=2024)} == {2024}
    assert search.entries(year=2024).count() == 1
    assert search.entries(kind="no_penalty").count() == 1
    assert search.entries(category="非法采矿").get().document_number.endswith("2号")
    assert search.entries(agency_id=agency.pk).count() == 3
    assert search.entries(agency_id=agency.pk + 999).count() == 0


def test_only_masked_text_is_indexed(published):
    entry = SearchEntry.objects.get(publication=published)
    assert entry.body == published.masked_text
    assert entry.plain == search.normalise(f"{entry.title} {entry.document_number} {entry.body}")
    for secret in SECRETS:
        assert secret not in entry.body
        assert search.normalise(secret) not in entry.plain
        assert search.entries(q=secret).count() == 0
    assert search.entries(q="张某").count() == 1  # the pseudonym is searchable


def test_withdrawal_removes_the_entry_and_its_index_words(published, reviewer):
    assert search.entries(q="张某").count() == 1
    publication_withdraw(actor=reviewer, publication=published, reason="原处罚决定被复议机关撤销")
    assert not SearchEntry.objects.exists()
    assert search.entries(q="张某").count() == 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FROM publicity_search_fts WHERE publicity_search_fts MATCH '\"张某\"'"
            )
            assert cur.fetchone()[0] == 0


def test_snippet_highlights_and_escapes():
    html = search.snippet("当事人<script>非法占用耕地</script>建房", "耕地")
    assert "<mark>耕地</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_search_page_paginates_filters_and_highlights(corpus, agency):
    client = Client()
    body = client.get(reverse("publicity:search"), {"q": "耕地"}).content.decode()
    assert "<mark>耕地</mark>" in body and "共 1 件决定符合条件" in body
    assert "新自然资罚〔2025〕1号" in body and "新自然资罚〔2025〕2号" not in body
    body = client.get(reverse("publicity:search"), {"q": "决定书", "year": "2024"}).content.decode()
    assert "新自然资罚〔2025〕2号" in body and "新自然资罚〔2025〕1号" not in body
    assert '<option value="2024" selected>' in body


def test_search_page_pages(agency, drafter, reviewer, monkeypatch):
    from publicity import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(5):
        _publish(agency, drafter, reviewer, text=f"第{n}件：非法占用耕地。", n=10 + n)
    client = Client()
    first = client.get(reverse("publicity:search"), {"q": "耕地"}).content.decode()
    assert "共 5 件决定符合条件" in first and "page=2" in first and "page=3" not in first
    third = client.get(reverse("publicity:search"), {"q": "耕地", "page": "3"}).content.decode()
    assert third.count("<mark>耕地</mark>") == 1


@pytest.mark.parametrize(
    "q",
    ["' OR 1=1 --", '"unbalanced', "NEAR(a b)", "*", "处罚" * 200, "\x00", "<script>alert(1)</script>"],
)
def test_hostile_queries_answer_normally(corpus, q):
    response = Client().get(reverse("publicity:search"), {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_long_query_is_cut_and_said(corpus):
    body = Client().get(reverse("publicity:search"), {"q": "耕地" * 40}).content.decode()
    assert "前 50 个字" in body


def test_search_page_query_count_is_bounded(corpus, django_assert_max_num_queries):
    client = Client()
    client.get(reverse("publicity:search"), {"q": "耕地"})  # facets cached
    with django_assert_max_num_queries(8):
        response = client.get(reverse("publicity:search"), {"q": "耕地", "year": "2025"})
    assert response.status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan choice is PostgreSQL's")
def test_a_common_query_walks_the_date_index_and_finds_the_same(corpus, monkeypatch):
    """A query common among the newest entries becomes the unindexed walk (normalised text tested); the hits
    are the same as through the GIN index."""
    for q in ("占用耕地", "罚", "耕地 决定书"):
        monkeypatch.setattr(search, "sampled_share", lambda query: 0.0)
        rare = search.entries(q=q)
        assert "ANY(ARRAY(SELECT" in str(rare.query) and rare.count_from is None
        hits = list(rare.values_list("pk", flat=True))
        assert search.capped_count(rare, 1000) == len(hits)
        for share, counted_apart in ((0.02, True), (0.5, False)):
            monkeypatch.setattr(search, "sampled_share", lambda query, share=share: share)
            walked = search.entries(q=q, year=2025 if q == "罚" else None)
            assert "strpos(publicity_searchentry.plain" in str(walked.query)
            assert (walked.count_from is not None) is counted_apart
            expected = hits
            if q == "罚":
                expected = [pk for pk in hits if SearchEntry.objects.get(pk=pk).year == 2025]
            assert list(walked.values_list("pk", flat=True)) == expected and expected
            assert search.capped_count(walked, 1000) == len(expected)
            assert search.capped_count(walked, 1) == min(2, len(expected))
            with connection.cursor() as cur:  # the count's planner settings do not outlive it
                cur.execute("SHOW enable_seqscan")
                assert cur.fetchone()[0] == "on"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan choice is PostgreSQL's")
def test_the_share_is_measured_on_the_newest_entries_and_cached(corpus):
    from django.core.cache import cache

    cache.clear()
    assert search.sampled_share(search.parse("耕地")) == pytest.approx(1 / 3)
    assert search.sampled_share(search.parse("决定书")) == pytest.approx(1.0)
    # measured, not estimated from its parts: 非法占 and 法占用 are there, 占用采 is not
    assert search.sampled_share(search.parse("非法占用采矿")) == 0.0
    SearchEntry.objects.filter(body__contains="耕地").delete()
    assert search.sampled_share(search.parse("耕地")) == pytest.approx(1 / 3)  # cached
    cache.clear()
    assert search.sampled_share(search.parse("耕地")) == 0.0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan choice is PostgreSQL's")
def test_a_word_in_most_entries_is_tested_on_the_others_candidates(corpus, monkeypatch):
    """"罚〔2025〕2号": 罚 and 2025 are in every decision, so only 2号 goes to the GIN index."""
    query = search.parse("罚〔2025〕2号")
    assert query.words == ("罚", "2025", "2号")
    shares = {"罚": 1.0, "2025": 0.9, "2号": 0.01}
    monkeypatch.setattr(search, "sampled_shares", lambda q: (0.0, shares))
    assert search._split(query) == (["2号"], ["罚", "2025"])
    found = search.entries(q="罚〔2025〕2号")
    assert "c.tsv @@" in str(found.query) and "strpos(c.plain" in str(found.query)
    assert [e.document_number for e in found] == ["新自然资罚〔2025〕2号"]
    monkeypatch.setattr(search, "sampled_shares", lambda q: (0.0, dict.fromkeys(shares, 0.9)))
    assert search._split(query) == (list(query.words), [])  # all common: the index intersects them
    assert [e.document_number for e in search.entries(q="罚〔2025〕2号")] == ["新自然资罚〔2025〕2号"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan choice is PostgreSQL's")
def test_shares_of_the_query_and_of_each_word_in_one_statement(corpus, django_assert_num_queries):
    from django.core.cache import cache

    cache.clear()
    with django_assert_num_queries(1):
        share, words = search.sampled_shares(search.parse("耕地 决定书"))
    assert share == pytest.approx(1 / 3)
    assert words == {"耕地": pytest.approx(1 / 3), "决定书": pytest.approx(1.0)}


@pytest.mark.parametrize("share", [0.0, 0.02, 0.5])  # GIN candidates, walk + bitmap count, walk
def test_same_hits_on_every_plan_for_long_texts_and_rare_characters(
    agency, drafter, reviewer, monkeypatch, share
):
    """The review's cases: a phrase deep in a long decision (a tsvector keeps no position past
    16,383), a word repeated beyond 255 times before the phrase, an ideograph of CJK Extension H
    (the text search parser splits on it), a diacritic (SQLite's tokenizer removed them)."""
    long_text = "某" * 20000 + "，甲乙丙丁。"
    repeated = "子丑寅，" * 300 + "子丑寅卯。"
    rare = "店名\U00031350\U00031350面馆，另有面"
    for n, text in enumerate([long_text, repeated, rare, "面", "café au lait"], start=40):
        _publish(agency, drafter, reviewer, text=text, n=n)
    if connection.vendor == "postgresql":
        monkeypatch.setattr(search, "sampled_share", lambda query: share)
        monkeypatch.setattr(
            search, "sampled_shares", lambda query: (share, dict.fromkeys(query.words, share))
        )
    elif share:
        pytest.skip("one plan on SQLite")

    def hits(q):
        found = search.entries(q=q)
        numbers = {int(e.document_number.split("〕")[1].rstrip("号")) for e in found}
        assert search.capped_count(found, 1000) == len(numbers)
        return numbers

    assert hits("甲乙丙丁") == {40}
    assert hits("子丑寅卯") == {41}
    assert hits("\U00031350\U00031350面") == {42}
    assert hits("\U00031350") == {42}
    assert hits("café") == {44}
    assert hits("cafe") == set()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bitmap count is PostgreSQL's")
def test_a_further_filter_drops_the_count_source(corpus, monkeypatch):
    monkeypatch.setattr(search, "sampled_shares", lambda query: (0.02, dict.fromkeys(query.words, 0.02)))
    found = search.entries(q="耕地")
    assert found.count_from is not None and search.capped_count(found, 1000) == 1
    assert found.order_by("pk").count_from is not None
    for narrowed in (found.filter(year=1999), found.exclude(pk__gt=0), found.none()):
        assert narrowed.count_from is None
        assert search.capped_count(narrowed, 1000) == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bitmap count is PostgreSQL's")
def test_a_failing_count_raises_its_own_error(corpus, monkeypatch):
    from django.db import DataError

    monkeypatch.setattr(search, "sampled_shares", lambda query: (0.02, dict.fromkeys(query.words, 0.02)))
    found = search.entries(q="耕地")
    found.count_from = found.count_from.extra(where=["1 / (id - id) = 1"])
    with pytest.raises(DataError, match="division by zero"):
        search.capped_count(found, 1000)
