"""Full-text search of published decisions, in Chinese, including one- and two-character queries.

Chinese has no spaces, and the trigram indexes of the databases miss short words (DEPENDENCIES.md
§3.6: SQLite's FTS5 trigram returns nothing for `处罚`, PostgreSQL's pg_trgm falls back to a
sequential scan). So the index holds words of our own making (`index_words`): for each run of
letters/digits its overlapping **trigrams**, then its last two characters and its last one —
"处罚决定" is indexed as "处罚决 罚决定 决定 定". Every substring of a run is then either a phrase
of trigrams (three characters or more) or the **prefix** of an indexed word (one or two
characters: "罚决" begins "罚决定", "定" is the last word):

- a query word of three or more characters is the phrase of its trigrams, which must stand next to
  each other ("第七十七条" → "第七十 <-> 七十七 <-> 十七条");
- a word of one or two characters is a prefix query ("耕地" → every indexed word beginning 耕地).

Trigrams rather than bigrams because legal text is boilerplate: the bigrams of a phrase such as
"第七十七条的规定" are each in nearly every decision while the phrase is in none, and an index of
bigrams hands over every decision as a candidate; its trigrams include one ("七条的") that no
decision holds.

- SQLite: an external-content FTS5 table `publicity_search_fts(tokens)` over
  `publicity_searchentry`, kept in step by triggers; `MATCH '"处罚决 罚决定" AND "耕地"*'`.
- PostgreSQL: a generated `tsvector` column `tsv = to_tsvector('simple', tokens)` with a GIN index;
  `tsv @@ to_tsquery('simple', '处罚决 <-> 罚决定 & 耕地:*')` for a rare query. A common one
  (matching ≥ 5% of the newest entries, `sampled_share`) walks the date index newest first and
  tests each row with `ts_match_vq` instead (filter_text says why).

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

    def tsquery(self) -> str:
        return " & ".join(
            "(" + " <-> ".join("'" + t + "'" for t in _trigrams(w)) + ")" if len(w) > 2 else "'" + w + "':*"
            for w in self.words
        )


def parse(q: str) -> Query:
    return Query(tuple(query_words(q)))


# PostgreSQL: a query that matches at least this share of the newest entries is answered by
# walking the date index newest first (see filter_text); below it, through the GIN index.
WALK_MIN_SHARE = 0.05
SAMPLE_ROWS = 1000  # the newest entries the share is measured on
SHARE_CACHE_SECONDS = 600


def sampled_share(query: Query) -> float:
    """The share of the newest SAMPLE_ROWS entries that match the query (PostgreSQL), cached ten
    minutes per query: the walk reads entries newest first, so this share is what decides how far
    it must read. Measured rather than estimated from the words' frequencies, which would take the
    words of a phrase as independent — in boilerplate they are not."""
    from django.core.cache import cache

    tsquery = query.tsquery()
    key = "publicity:search_share:" + hashlib.sha256(tsquery.encode()).hexdigest()[:32]
    share = cache.get(key)
    if share is None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT count(*) FILTER (WHERE ts_match_vq(tsv, to_tsquery('simple', %s))), count(*) "
                "FROM (SELECT tsv FROM publicity_searchentry ORDER BY published_at DESC, id DESC LIMIT %s) s",
                [tsquery, SAMPLE_ROWS],
            )
            hits, rows = cur.fetchone()
        share = hits / rows if rows else 0.0
        cache.set(key, share, SHARE_CACHE_SECONDS)
    return float(share)


def filter_text(qs: QuerySet[SearchEntry], query: Query) -> QuerySet[SearchEntry]:
    """Restrict `qs` to the entries whose masked text contains every word of the query.

    On PostgreSQL the plan depends on how common the query is among the newest entries. A rare
    one: the GIN index gives few candidates, sorted by date. A common one (≥ 5%): the GIN index
    would hand over hundreds of thousands of candidates to fetch and sort before the first page —
    and the planner, whose estimate for a phrase or a prefix is far too low, picks exactly that.
    Instead the entries are read newest first along the date index (or the year's, the agency's)
    and tested one by one: at ≥ 5% the first page is found within a few hundred rows. The test
    is then written `ts_match_vq(tsv, …)` — the function behind `@@`: no index serves a function
    call, and the planner gives it a default selectivity of one third, so it walks the date index
    instead of fetching every candidate and sorting.
    """
    if not query.words:
        return qs
    if connection.vendor == "postgresql":
        if sampled_share(query) >= WALK_MIN_SHARE:
            return qs.extra(where=["ts_match_vq(tsv, to_tsquery('simple', %s))"], params=[query.tsquery()])
        return qs.extra(where=["tsv @@ to_tsquery('simple', %s)"], params=[query.tsquery()])
    return qs.extra(
        where=[
            "publicity_searchentry.id IN "
            "(SELECT rowid FROM publicity_search_fts WHERE publicity_search_fts MATCH %s)"
        ],
        params=[query.fts5()],
    )


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
        "tokens": index_words(
            " ".join([publication.title, publication.document_number, publication.masked_text])
        ),
    }
    entry, _created = SearchEntry.objects.update_or_create(publication=publication, defaults=values)
    return entry


def unindex_publication(publication: Any) -> None:
    SearchEntry.objects.filter(publication=publication).delete()
