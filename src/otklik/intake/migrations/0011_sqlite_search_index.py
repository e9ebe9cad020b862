"""SQLite: a trigram full-text index of every message's text and author for the inbox's search
(`web.search.messages_matching`); PostgreSQL has its `pg_trgm` indexes (0010).

An FTS5 table without content of its own (`content=''`: it holds only the index, and the messages' ids as its
rowids), kept by triggers on `intake_message`, so every path that writes a message — the intake's bulk upsert,
imports, manual entry, the admin — keeps it without knowing of it. The trigram tokenizer folds case (Cyrillic
too); «ё» is written as «е» into it, as the search reads it. Where the SQLite library was built without FTS5 the
search reads the messages as before, and the migration says so in the log."""

import logging

from django.db import OperationalError, migrations, transaction

logger = logging.getLogger("otklik.intake")

TABLE = "intake_message_search"


def _fold(column: str) -> str:
    return f"replace(replace(coalesce({column}, ''), 'ё', 'е'), 'Ё', 'Е')"


def _row(prefix: str) -> str:
    return f"{prefix}.id, {_fold(prefix + '.text')}, {_fold(prefix + '.author_name')}"


SQL = [
    f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON intake_message BEGIN "  # noqa: S608 - our own names
    f"INSERT INTO {TABLE}(rowid, text, author_name) VALUES ({_row('new')}); END",
    # A repeat delivery sets every column again: the index is touched only when the words changed.
    f"CREATE TRIGGER {TABLE}_au AFTER UPDATE OF text, author_name ON intake_message "  # noqa: S608
    "WHEN old.text IS NOT new.text OR old.author_name IS NOT new.author_name BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, text, author_name) VALUES ('delete', {_row('old')}); "
    f"INSERT INTO {TABLE}(rowid, text, author_name) VALUES ({_row('new')}); END",
    f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON intake_message BEGIN "  # noqa: S608
    f"INSERT INTO {TABLE}({TABLE}, rowid, text, author_name) VALUES ('delete', {_row('old')}); END",
    f"INSERT INTO {TABLE}(rowid, text, author_name) SELECT {_row('m')} FROM intake_message m",  # noqa: S608
]


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
        for sql in SQL:
            cursor.execute(sql)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for suffix in ("ai", "au", "ad"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{suffix}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0010_search_trigram_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
