"""A trigram index on the search text, so that ``search_text LIKE '%word%'`` is an index
scan on PostgreSQL. SQLite has no pg_trgm: there the migration does nothing and search
stays a scan (fine at the sizes SQLite is used for)."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_search_trgm ON members_person USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS person_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("members", "0004_list_ordering_indexes")]

    operations = [
        TrigramExtension(),  # a no-op on databases other than PostgreSQL
        migrations.RunPython(create_index, drop_index),
    ]
