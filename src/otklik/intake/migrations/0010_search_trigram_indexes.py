"""PostgreSQL: trigram indexes for the inbox's search (`web.search.Folded`, ``~*``) over a message's text and
author. SQLite has no such index and reads the messages (docs/benchmarks.md § Staff pages).

`pg_trgm` ships with PostgreSQL (contrib) and is a trusted extension: the database's owner may create it. Where
it cannot be created (a role without the right), the search still works without the index; the migration says
so in the log and goes on, so an upgrade is never stopped by an optimisation."""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger("otklik.intake")

INDEXES = {
    "intake_message_text_trgm": "text",
    "intake_message_author_trgm": "author_name",
}


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError as exc:
            logger.warning(
                "pg_trgm could not be created (%s); the inbox search works without its index, only slower. "
                "A superuser can run CREATE EXTENSION pg_trgm and then: otklik migrate intake 0009 && "
                "otklik migrate",
                exc,
            )
            return
        for name, column in INDEXES.items():
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON intake_message USING gin ({column} gin_trgm_ops)"
            )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0009_list_indexes_at_scale"),
    ]

    operations = [migrations.RunPython(create, drop)]
