"""PostgreSQL only: keep the tsvector of the word tokens in a stored generated column and index
that, so a candidate scan rechecks a stored value instead of re-parsing every row's tokens."""

from django.db import migrations

POSTGRES = [
    "ALTER TABLE search_searchentry ADD COLUMN tsv tsvector"
    " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED",
    "CREATE INDEX search_entry_tsv ON search_searchentry USING gin (tsv)",
    "DROP INDEX IF EXISTS search_entry_words",
]
POSTGRES_BACK = [
    "CREATE INDEX IF NOT EXISTS search_entry_words ON search_searchentry"
    " USING gin (to_tsvector('simple'::regconfig, tokens))",
    "DROP INDEX IF EXISTS search_entry_tsv",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS tsv",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_run(POSTGRES), _run(POSTGRES_BACK))]
