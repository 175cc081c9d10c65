"""Full-text search of published decisions, in Chinese, including one- and two-character queries.

Chinese has no spaces, and the trigram indexes of the databases miss short words (DEPENDENCIES.md
§3.6: SQLite's FTS5 trigram returns nothing for `处罚`, PostgreSQL's pg_trgm falls back to a
sequential scan). So the index holds words of our own making (`index_words`): for each run of
letters/digits its overlapping **trigrams**, then its last two characters and its last one —
"处罚决定" is indexed as "处罚决 罚决定 决定 定". Every substring of a run is then either a phrase
of trigrams (three characters or more) or the **prefix** of an indexed word (one or two
characters: "罚决" begins "罚决定", "定" is the last word):

- a query word of three or more characters is found by its trigrams ("第七十七条" → 第七十, 七十七,
  十七条): on SQLite as their phrase, on PostgreSQL as candidates tested on the text (below);
- a word of one or two characters is a prefix query ("耕地" → every indexed word beginning 耕地).

Trigrams rather than bigrams because legal text is boilerplate: the bigrams of a phrase such as
"第七十七条的规定" are each in nearly every decision while the phrase is in none, and an index of
bigrams hands over every decision as a candidate; its trigrams include one ("七条的") that no
decision holds.

- SQLite: an external-content FTS5 table `publicity_search_fts(tokens)` over
  `publicity_searchentry`, kept in step by triggers; `MATCH '"处罚决 罚决定" AND "耕地"*'`.
- PostgreSQL: a generated `tsvector` column `tsv = tokens::tsvector` with a GIN index;
  `tsv @@ '处罚决 & 罚决定 & 耕地:*'::tsquery` for a rare query's candidates, each then tested
  exactly on its normalised text (`plain`, strpos) — the tsvector keeps no positions. A common one
  (matching ≥ 0.3% of the newest entries, `sampled_shares`) walks the date index newest first and
  tests each row's `plain` instead (filter_text says why).
- SQLite's FTS5 tokenizer keeps diacritics (migration 0012), as the other paths do.

Only masked text is ever indexed: an entry is written from the publication's approved masked text
when it is published and deleted when it is withdrawn (publicity.services).
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe

from publicity.models import SearchEntry, SearchEntryQuerySet

MAX_QUERY = 50  # characters; longer queries are cut (and said so)
MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def index_words(text: str) -> str:
    """The words the index holds: per run of letters/digits its overlapping trigrams, then its last
    two characters and its last one (so that every one- or two-character substring begins a word)."""
    out: list[str] = []
    for run in _WORD.findall(normalise(text)):
        out.extend(run[i : i + 3] for i in range(len(run) - 2))
        if len(run) > 1:
            out.append(run[-2:])
        out.append(run[-1])
    return " ".join(out)


def query_words(q: str) -> list[str]:
    """The query's runs of letters/digits (punctuation and operators are dropped: no injection)."""
    return _WORD.findall(normalise(q[:MAX_QUERY]))[:MAX_WORDS]


def _trigrams(word: str) -> list[str]:
    return [word[i : i + 3] for i in range(len(word) - 2)]


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]

    def fts5(self) -> str:
        return " AND ".join(
            '"' + " ".join(_trigrams(w)) + '"' if len(w) > 2 else '"' + w + '"*' for w in self.words
        )

    def tsquery(self, words: Any = None) -> str:
        """All the words (or those given) as a tsquery for the GIN index: each word's trigrams, or
        its prefix. Not phrases: a tsvector keeps no position past 16,383 nor more than 255 of one
        word, so `<->` would miss a phrase deep in a long decision; the candidates are tested
        exactly on their normalised text instead (_indexed)."""
        return " & ".join(
            "(" + " & ".join("'" + t + "'" for t in _trigrams(w)) + ")" if len(w) > 2 else "'" + w + "':*"
            for w in (self.words if words is None else words)
        )


def parse(q: str) -> Query:
    return Query(tuple(query_words(q)))


# PostgreSQL plans, by the share of the newest entries a query matches (`sampled_shares`):
# - below WALK_MIN_SHARE the page is read through the GIN index (every candidate, then sorted by
#   date; see filter_text);
# - from WALK_MIN_SHARE the page walks the date index newest first, testing each row;
# - the capped count walks too from COUNT_SCAN_MIN_SHARE (1,001 hits within 20,000 rows); below
#   it, a bitmap of the GIN index's candidates stops at the 1,001st (capped_count).
WALK_MIN_SHARE = 0.003
COUNT_SCAN_MIN_SHARE = 0.05
UBIQUITOUS_SHARE = 0.5  # a word this common goes to the test, not the index (_split)
SAMPLE_ROWS = 1000  # the newest entries the share is measured on
SHARE_CACHE_SECONDS = 600


def _contains(words: Any, *, alias: str = "") -> tuple[str, list[str]]:
    """SQL and params: the entry's normalised text (`plain`) contains every word. One expression,
    `LEAST(strpos(…), …) > 0`, which no index serves and which the planner rates at one third —
    so it walks an index in the order asked for instead of reading every entry and sorting."""
    column = f"{alias}.plain" if alias else "publicity_searchentry.plain"
    words = list(words)
    positions = ", ".join(f"strpos({column}, %s)" for _ in words)
    return (f"LEAST({positions}) > 0" if len(words) > 1 else f"{positions} > 0"), words


def sampled_shares(query: Query) -> tuple[float, dict[str, float]]:
    """The share of the newest SAMPLE_ROWS entries that match the query, and that each of its
    words matches (PostgreSQL; one statement), cached ten minutes per query. The walk reads
    entries newest first, so this share is what decides how far it must read. Measured rather
    than estimated from the words' frequencies, which would take the words of a phrase as
    independent — in boilerplate they are not."""
    from django.core.cache import cache

    key = "publicity:search_shares:" + hashlib.sha256(" ".join(query.words).encode()).hexdigest()[:32]
    shares = cache.get(key)
    if shares is None:
        words = list(dict.fromkeys(query.words)) if len(query.words) > 1 else []
        tests = [_contains(query.words, alias="s")] + [_contains([w], alias="s") for w in words]
        with connection.cursor() as cur:
            cur.execute(
                "SELECT "
                + ", ".join(f"count(*) FILTER (WHERE {sql})" for sql, _params in tests)
                + ", count(*) FROM (SELECT plain FROM publicity_searchentry "
                "ORDER BY published_at DESC, id DESC LIMIT %s) s",
                [*(p for _sql, params in tests for p in params), SAMPLE_ROWS],
            )
            *hits, rows = cur.fetchone()
        ratios = [h / rows if rows else 0.0 for h in hits]
        shares = (ratios[0], dict(zip(words, ratios[1:], strict=True)) or {w: ratios[0] for w in query.words})
        cache.set(key, shares, SHARE_CACHE_SECONDS)
    return shares  # type: ignore[no-any-return]


def sampled_share(query: Query) -> float:
    return sampled_shares(query)[0]


def _split(query: Query) -> tuple[list[str], list[str]]:
    """(the words for the GIN index, the words to test on its candidates): a word in at least
    half the entries ("罚", "2024" of a document number) narrows nothing and would make the index
    build a bitmap of every entry, so it is tested on the others' candidates — unless every word
    is that common (then all go to the index, which intersects them)."""
    shares = sampled_shares(query)[1]
    narrow = [w for w in query.words if shares.get(w, 0.0) < UBIQUITOUS_SHARE]
    if not narrow:
        return list(query.words), []
    return narrow, [w for w in query.words if w not in narrow]


def _indexed(query: Query, *, alias: str = "") -> tuple[str, list[str]]:
    """SQL and params: the candidates the GIN index finds for the query's narrow words (see
    _split), each then tested for every word on its normalised text (exact: the index holds
    trigrams without positions). `%s::tsquery`, not to_tsquery: the text search parser splits on
    characters its locale does not know (CJK Extension H ideographs) — the cast takes the words
    as they are, like the column (`tokens::tsvector`, migration 0012)."""
    narrow, _broad = _split(query)
    test, words = _contains(query.words, alias=alias)
    return f"{alias + '.' if alias else ''}tsv @@ %s::tsquery AND {test}", [query.tsquery(narrow), *words]


def filter_text(qs: QuerySet[SearchEntry], query: Query) -> QuerySet[SearchEntry]:
    """Restrict `qs` to the entries whose masked text contains every word of the query.

    On PostgreSQL the plan depends on how common the query is among the newest entries (measured
    at 1M entries, benchmarks/RESULTS.md): testing a row's normalised text costs ~1.3 µs (its
    tsvector, ~6 µs: read and decompressed), fetching a GIN candidate by its id ~5 µs, plus the
    sort.
    - Rare (< 0.3%): the GIN index's candidates, fetched by id and sorted by date — a few thousand
      at most. Written as `id = ANY(ARRAY(…))`: with a plain `tsv @@` the planner, which expects
      thousands of hits for any phrase or prefix, walks the date index and reads all entries when
      there are none ("鑫": 13 s).
    - Common: the entries are read newest first along the date index (or the year's, the
      agency's) and their normalised text tested for every word (`_contains`), which stops after
      the page (at 0.3%, ~7,000 rows; at 10%, ~200) instead of fetching up to a million
      candidates to sort. Same result: a query word has no punctuation, so it is a substring of
      the normalised text exactly when it is within one run — what the index words encode.
    The capped count of a common query is made cheap separately (`capped_count`).
    """
    if not query.words:
        return qs
    if connection.vendor == "postgresql":
        share = sampled_share(query)
        if share < WALK_MIN_SHARE:
            sql, params = _indexed(query, alias="c")
            return qs.extra(
                where=[
                    "publicity_searchentry.id = ANY(ARRAY(SELECT c.id FROM publicity_searchentry c "
                    f"WHERE {sql}))"
                ],
                params=params,
            )
        test, words = _contains(query.words)
        walked = qs.extra(where=[test], params=words)
        if share < COUNT_SCAN_MIN_SHARE and isinstance(walked, SearchEntryQuerySet):
            sql, params = _indexed(query)
            walked.count_from = qs.extra(where=[sql], params=params)
        return walked
    return qs.extra(
        where=[
            "publicity_searchentry.id IN "
            "(SELECT rowid FROM publicity_search_fts WHERE publicity_search_fts MATCH %s)"
        ],
        params=[query.fts5()],
    )


def capped_count(qs: QuerySet[SearchEntry], cap: int) -> int:
    """The number of matches up to cap + 1 (any cap + 1 will do, so no ORDER BY).

    A query of middling frequency (0.3–5%) walks for its page but is counted through a bitmap of
    the GIN index's candidates, which stops at the (cap + 1)th: a walk would test 20,000–330,000
    rows to find 1,001 hits. The planner, left alone, walks (a sequential scan expecting hits
    everywhere); sequential and plain index scans are switched off for this one statement."""
    source = getattr(qs, "count_from", None)
    if source is None or connections[source.db].vendor != "postgresql":
        return int(qs.values("pk").order_by()[: cap + 1].count())
    db = connections[source.db]
    with transaction.atomic(using=source.db):
        with db.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan = off")
            cur.execute("SET LOCAL enable_indexscan = off")
        counted = int(source.values("pk").order_by()[: cap + 1].count())
        # on success, back to what they were for the rest of an outer transaction; on an error the
        # rollback of this block (or of its savepoint) undoes them
        with db.cursor() as cur:
            cur.execute("SET LOCAL enable_seqscan TO DEFAULT")
            cur.execute("SET LOCAL enable_indexscan TO DEFAULT")
    return counted


def entries(
    *,
    q: str = "",
    year: int | None = None,
    agency_id: int | None = None,
    category: str = "",
    kind: str = "",
) -> QuerySet[SearchEntry]:
    qs: QuerySet[SearchEntry] = SearchEntry.objects.defer("tokens")
    if year:
        qs = qs.filter(year=year)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if category:
        qs = qs.filter(category=category)
    if kind:
        qs = qs.filter(kind=kind)
    query = parse(q)
    if query.words:
        qs = filter_text(qs, query)
    return qs.order_by("-published_at", "-id")


def _excerpt(text: str, q: str, width: int) -> tuple[str, list[str], str, str]:
    """(excerpt around the first hit, the query words longest first, prefix, suffix)."""
    text = normalise(text)
    words = sorted(set(query_words(q)), key=len, reverse=True)
    start = 0
    for w in words:
        at = text.find(w)
        if at >= 0:
            start = max(0, at - width // 3)
            break
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width * 2 < len(text) else ""
    return text[start : start + width * 2], words, prefix, suffix


def excerpt(text: str, q: str, *, width: int = 60) -> str:
    """The plain-text excerpt around the first hit (what the API returns; no markup)."""
    part, _words, prefix, suffix = _excerpt(text, q, width)
    return prefix + part + suffix


def snippet(text: str, q: str, *, width: int = 60) -> SafeString:
    """An escaped excerpt around the first hit with every query word in <mark>."""
    part, words, prefix, suffix = _excerpt(text, q, width)
    if not words:
        return mark_safe(html.escape(part))
    pattern = re.compile("|".join(re.escape(w) for w in words))
    parts: list[str] = []
    last = 0
    for m in pattern.finditer(part):
        parts.append(html.escape(part[last : m.start()]))
        parts.append("<mark>" + html.escape(m.group(0)) + "</mark>")
        last = m.end()
    parts.append(html.escape(part[last:]))
    return mark_safe(prefix + "".join(parts) + suffix)


def kind_of(title: str) -> str:
    return "no_penalty" if "不予" in title else "penalty"


def index_publication(publication: Any) -> SearchEntry:
    """Write (or rewrite) the search entry of a published decision from its masked text."""
    published = publication.published_at
    day = publication.decided_on or published.date()
    text = " ".join([publication.title, publication.document_number, publication.masked_text])
    values = {
        "public_id": publication.public_id,
        "agency_id": publication.agency_id,
        "year": day.year,
        "kind": kind_of(publication.title),
        "category": publication.category,
        "title": publication.title,
        "document_number": publication.document_number,
        "party_label": publication.party_label,
        "decided_on": publication.decided_on,
        "published_at": published,
        "body": publication.masked_text,
        "tokens": index_words(text),
        "plain": normalise(text),
    }
    entry, _created = SearchEntry.objects.update_or_create(publication=publication, defaults=values)
    return entry


def unindex_publication(publication: Any) -> None:
    SearchEntry.objects.filter(publication=publication).delete()
