"""SQLite: a trigram full-text index of every message's text and author for the inbox's search
(`web.search.messages_matching`); PostgreSQL reads the messages (see 0010).

An FTS5 table without content of its own (`content=''`: it holds only the index, and the messages' ids as its
rowids), kept by triggers on `intake_message` (`intake.search_index`), so every path that writes a message — the
intake's bulk upsert, imports, manual entry, the admin — keeps it without knowing of it. The trigram tokenizer
folds case (Cyrillic too); «ё» is written as «е» into it, as the search reads it. Where the SQLite library was
built without FTS5 the search reads the messages, and the migration says so in the log."""

import logging

from django.db import OperationalError, migrations, transaction

from otklik.intake.search_index import FILL_SQL, TABLE, TRIGGER_SQL, TRIGGERS

logger = logging.getLogger("otklik.intake")


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute(
                    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(text, author_name, content='', tokenize='trigram')"
                )
        except OperationalError as exc:
            logger.warning(
                "SQLite has no FTS5 trigram tokenizer (%s; needs SQLite 3.34 with FTS5): the inbox search reads "
                "every message instead of an index",
                exc,
            )
            return
        for sql in (*TRIGGER_SQL, FILL_SQL):
            cursor.execute(sql)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0010_search_trigram_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
