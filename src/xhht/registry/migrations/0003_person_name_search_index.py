"""Substring search on folded names that stays fast with millions of people.

PostgreSQL: a pg_trgm GIN index on ``name_folded`` (``LIKE '%hoa%'`` uses it).
SQLite: an FTS5 table with the trigram tokenizer over ``name_folded`` (external content: it stores
only the index), kept in sync by triggers. ``xhht.registry.search_index`` queries and rebuilds it.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS registry_person_fts USING fts5("
    "name_folded, content='registry_person', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS registry_person_fts_ai AFTER INSERT ON registry_person BEGIN "
    "INSERT INTO registry_person_fts(rowid, name_folded) VALUES (new.id, new.name_folded); END",
    "CREATE TRIGGER IF NOT EXISTS registry_person_fts_ad AFTER DELETE ON registry_person BEGIN "
    "INSERT INTO registry_person_fts(registry_person_fts, rowid, name_folded) VALUES ('delete', old.id, old.name_folded); END",
    "CREATE TRIGGER IF NOT EXISTS registry_person_fts_au AFTER UPDATE OF name_folded ON registry_person BEGIN "
    "INSERT INTO registry_person_fts(registry_person_fts, rowid, name_folded) VALUES ('delete', old.id, old.name_folded); "
    "INSERT INTO registry_person_fts(rowid, name_folded) VALUES (new.id, new.name_folded); END",
    "INSERT INTO registry_person_fts(registry_person_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS registry_person_fts_ai",
    "DROP TRIGGER IF EXISTS registry_person_fts_ad",
    "DROP TRIGGER IF EXISTS registry_person_fts_au",
    "DROP TABLE IF EXISTS registry_person_fts",
]
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS reg_person_name_trgm ON registry_person USING gin (name_folded gin_trgm_ops)",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS reg_person_name_trgm"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_person_distinct_merge")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        ),
    ]
