"""The Vietnamese collation the name columns use: ``vi_icu``, PostgreSQL's ICU ``vi`` rules
(the same as its built-in ``vi-x-icu``) under a name SQLite also accepts unquoted.

Runs on PostgreSQL only: SQLite gets a collation of the same name from
``portal.collation`` on every connection.
"""

from django.db import migrations


def create_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE COLLATION IF NOT EXISTS vi_icu (provider = icu, locale = 'vi')")


def drop_collation(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP COLLATION IF EXISTS vi_icu")


class Migration(migrations.Migration):
    dependencies = [("portal", "0004_sms_outbox")]

    operations = [migrations.RunPython(create_collation, drop_collation, elidable=False)]
