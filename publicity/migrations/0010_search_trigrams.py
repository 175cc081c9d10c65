"""The search index holds trigrams and each run's last two characters and last one instead of
bigrams (publicity.search.index_words): rewrite every entry's tokens. SQLite's FTS5 table follows
through its update trigger, PostgreSQL's generated tsvector by itself."""

import re
import unicodedata

from django.db import migrations

_WORD = re.compile(r"[^\W_]+")


def index_words(text):  # frozen copy of publicity.search.index_words as of this migration
    out = []
    for run in _WORD.findall(unicodedata.normalize("NFKC", text or "").lower()):
        out.extend(run[i : i + 3] for i in range(len(run) - 2))
        if len(run) > 1:
            out.append(run[-2:])
        out.append(run[-1])
    return " ".join(out)


def reindex(apps, schema_editor):
    SearchEntry = apps.get_model("publicity", "SearchEntry")
    last = 0
    while True:
        batch = list(
            SearchEntry.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "title", "document_number", "body")[:2000]
        )
        if not batch:
            return
        for entry in batch:
            entry.tokens = index_words(" ".join([entry.title, entry.document_number, entry.body]))
        SearchEntry.objects.bulk_update(batch, ["tokens"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0009_search_filter_indexes"),
    ]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
