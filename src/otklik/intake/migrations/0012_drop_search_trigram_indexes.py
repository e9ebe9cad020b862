"""PostgreSQL: drop the `pg_trgm` indexes an earlier form of migration 0010 created (see there why). The
`pg_trgm` extension, if it was created, is left alone: other objects of the database may use it."""

from django.db import migrations


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in ("intake_message_text_trgm", "intake_message_author_trgm"):
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0011_sqlite_search_index"),
    ]

    operations = [migrations.RunPython(drop, migrations.RunPython.noop)]
