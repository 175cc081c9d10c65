"""The search index without the text search parser (publicity.search).

PostgreSQL: `tsv` becomes `tokens::tsvector` — the words as they are, without positions (the GIN
index only gives candidates; each is tested exactly on `plain`). `to_tsvector('simple', …)` split
on characters its locale does not know (CJK Extension H/I ideographs) and kept positions only up
to 16,383, 255 per word, so a phrase deep in a long decision was missed.
SQLite: the FTS5 table keeps diacritics (`remove_diacritics 0`), as PostgreSQL and the walk do —
"café" no longer matches "cafe" on one database only.
"""

from django.db import migrations

PG_FORWARD = [
    "DROP INDEX IF EXISTS publicity_search_tsv",
    "ALTER TABLE publicity_searchentry DROP COLUMN IF EXISTS tsv",
    "ALTER TABLE publicity_searchentry ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (tokens::tsvector) STORED",
    "CREATE INDEX publicity_search_tsv ON publicity_searchentry USING gin (tsv)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS publicity_search_tsv",
    "ALTER TABLE publicity_searchentry DROP COLUMN IF EXISTS tsv",
    "ALTER TABLE publicity_searchentry ADD COLUMN tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED",
    "CREATE INDEX publicity_search_tsv ON publicity_searchentry USING gin (tsv)",
]


def _sqlite(tokenize):
    return [
        "DROP TRIGGER IF EXISTS publicity_search_ai",
        "DROP TRIGGER IF EXISTS publicity_search_ad",
        "DROP TRIGGER IF EXISTS publicity_search_au",
        "DROP TABLE IF EXISTS publicity_search_fts",
        "CREATE VIRTUAL TABLE publicity_search_fts USING fts5("
        f"tokens, content='publicity_searchentry', content_rowid='id'{tokenize})",
        "CREATE TRIGGER publicity_search_ai AFTER INSERT ON publicity_searchentry BEGIN "
        "INSERT INTO publicity_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
        "CREATE TRIGGER publicity_search_ad AFTER DELETE ON publicity_searchentry BEGIN "
        "INSERT INTO publicity_search_fts(publicity_search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
        # only a change of the words touches the index
        "CREATE TRIGGER publicity_search_au AFTER UPDATE OF tokens ON publicity_searchentry BEGIN "
        "INSERT INTO publicity_search_fts(publicity_search_fts, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
        "INSERT INTO publicity_search_fts(rowid, tokens) VALUES (new.id, new.tokens); END",
        "INSERT INTO publicity_search_fts(publicity_search_fts) VALUES ('rebuild')",
    ]


FORWARD = {"postgresql": PG_FORWARD, "sqlite": _sqlite(", tokenize='unicode61 remove_diacritics 0'")}
BACKWARD = {"postgresql": PG_BACKWARD, "sqlite": _sqlite("")}


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0011_search_plain"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
