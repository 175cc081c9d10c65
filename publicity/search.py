"""Full-text search of published decisions, in Chinese, including two-character queries.

Chinese has no spaces, and the trigram indexes miss two-character words (DEPENDENCIES.md §3.6:
SQLite's FTS5 trigram returns nothing for `处罚`, PostgreSQL's pg_trgm falls back to a sequential
scan). So the index holds the text's overlapping **bigrams** as words: "处罚决定" is indexed as
"处罚 罚决 决定" and a query is the phrase of its own bigrams — a two-character query is one
indexed word, a longer one a phrase whose words must stand next to each other.

- SQLite: an external-content FTS5 table `publicity_search_fts(tokens)` over
  `publicity_searchentry`, kept in step by triggers; `MATCH '"处罚 罚决"'`.
- PostgreSQL: a generated `tsvector` column `tsv = to_tsvector('simple', tokens)` with a GIN index;
  `tsv @@ to_tsquery('simple', '处罚 <-> 罚决')` for a rare query; a common one (expected in ≥ 5%
  of the entries by the bigram frequencies ANALYZE keeps in pg_stats) walks the date index newest
  first and tests each row with `ts_match_vq` (filter_text says why).
- A one-character word (e.g. "罚") has no bigram: it becomes `body LIKE '%罚%'` on the rows the
  other words already selected (or on all rows, if it is the only word), read newest first — with
  a year or agency filter along that filter's own (year|agency, published_at, id) index.

Only masked text is ever indexed: an entry is written from the publication's approved masked text
when it is published and deleted when it is withdrawn (publicity.services).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe

from publicity.models import SearchEntry

MAX_QUERY = 50  # characters; longer queries are cut (and said so)
MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def bigrams(text: str) -> str:
    """The words the index holds: each run of letters/digits as its overlapping bigrams."""
    out: list[str] = []
    for run in _WORD.findall(normalise(text)):
        if len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return " ".join(out)


def query_words(q: str) -> list[str]:
    """The query's runs of letters/digits (punctuation and operators are dropped: no injection)."""
    return _WORD.findall(normalise(q[:MAX_QUERY]))[:MAX_WORDS]


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...]

    @property
    def long_words(self) -> list[str]:
        return [w for w in self.words if len(w) > 1]

    @property
    def short_words(self) -> list[str]:
        return [w for w in self.words if len(w) == 1]

    def fts5(self) -> str:
        return " AND ".join(
            '"' + " ".join(w[i : i + 2] for i in range(len(w) - 1)) + '"' for w in self.long_words
        )

    def tsquery(self) -> str:
        return " & ".join(
            "(" + " <-> ".join("'" + w[i : i + 2] + "'" for i in range(len(w) - 1)) + ")"
            for w in self.long_words
        )


def parse(q: str) -> Query:
    return Query(tuple(query_words(q)))


# PostgreSQL: the share of entries holding a bigram, from the column's statistics (ANALYZE keeps
# the most common elements of `tsv` with their frequencies in pg_stats), cached for an hour.
STATS_CACHE_SECONDS = 3600
# A query whose rarest bigram is in at least this share of the entries is answered by walking the
# date index newest first (see filter_text); below it, through the GIN index.
WALK_MIN_SHARE = 0.05


def bigram_shares() -> dict[str, float]:
    """{bigram: share of the entries containing it} for the most common bigrams (PostgreSQL)."""
    from django.core.cache import cache

    shares = cache.get("publicity:search_bigram_shares")
    if shares is None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
                "WHERE tablename = 'publicity_searchentry' AND attname = 'tsv'"
            )
            row = cur.fetchone()
        shares = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
        cache.set("publicity:search_bigram_shares", shares, STATS_CACHE_SECONDS)
    return shares  # type: ignore[no-any-return]


def expected_share(query: Query) -> float:
    """The share of the entries the query is expected to match: per word the share of its rarest
    bigram (0 when a bigram is not among the common ones — then it is rare), multiplied over the
    words (taken as independent)."""
    shares = bigram_shares()
    share = 1.0
    for w in query.long_words:
        share *= min(shares.get(w[i : i + 2], 0.0) for i in range(len(w) - 1))
    return share if query.long_words else 0.0


def filter_text(qs: QuerySet[SearchEntry], query: Query) -> QuerySet[SearchEntry]:
    """Restrict `qs` to the entries whose masked text contains every word of the query.

    On PostgreSQL the plan depends on how common the query's rarest bigram is. A rare one: the GIN
    index gives few candidates, sorted by date. A common one (every bigram in ≥ 5% of the
    entries): the GIN index would hand over hundreds of thousands of candidates, each rechecked
    for the bigrams' positions in the heap before the sort (7 s for 基本农田 at 1M) — and the
    planner, whose estimate for a phrase is far too low, picks exactly that. Instead the entries
    are read newest first along the date index (or the year's, the agency's) and tested one by
    one: at ≥ 5% the first page is found within a few hundred rows and the capped count (1,001)
    within about 20,000. The test is then written `ts_match_vq(tsv, …)` — the function behind
    `@@`: no index serves a function call, and the planner gives it a default selectivity of one
    third, so it walks the date index instead of fetching every candidate and sorting.
    """
    if query.long_words:
        if connection.vendor == "postgresql":
            if expected_share(query) >= WALK_MIN_SHARE:
                qs = qs.extra(where=["ts_match_vq(tsv, to_tsquery('simple', %s))"], params=[query.tsquery()])
            else:
                qs = qs.extra(where=["tsv @@ to_tsquery('simple', %s)"], params=[query.tsquery()])
        else:
            qs = qs.extra(
                where=[
                    "publicity_searchentry.id IN "
                    "(SELECT rowid FROM publicity_search_fts WHERE publicity_search_fts MATCH %s)"
                ],
                params=[query.fts5()],
            )
    for word in query.short_words:
        qs = qs.filter(body__icontains=word)
    return qs


def entries(
    *,
    q: str = "",
    year: int | None = None,
    agency_id: int | None = None,
    category: str = "",
    kind: str = "",
) -> QuerySet[SearchEntry]:
    qs = SearchEntry.objects.defer("tokens")
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
        "tokens": bigrams(
            " ".join([publication.title, publication.document_number, publication.masked_text])
        ),
    }
    entry, _created = SearchEntry.objects.update_or_create(publication=publication, defaults=values)
    return entry


def unindex_publication(publication: Any) -> None:
    SearchEntry.objects.filter(publication=publication).delete()
