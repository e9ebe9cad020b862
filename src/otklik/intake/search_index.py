"""SQLite: the inbox's trigram search table (`web.search`, created by migration intake 0011) and its triggers.

The table is kept by triggers on `intake_message`. Django's SQLite schema editor rebuilds a table for most field
changes (a new table, a copy, the old one dropped): a later migration that alters `Message` drops the triggers
with it. `ensure` (run after every `migrate`) puts back what is missing and fills the index again, and the search
uses the table only while its triggers are there (`in_service`)."""

from __future__ import annotations

import logging
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

log = logging.getLogger(__name__)

TABLE = "intake_message_search"
TRIGGERS = (f"{TABLE}_ai", f"{TABLE}_au", f"{TABLE}_ad")


def _fold(column: str) -> str:
    return f"replace(replace(coalesce({column}, ''), 'ё', 'е'), 'Ё', 'Е')"


def _row(prefix: str) -> str:
    return f"{prefix}.id, {_fold(prefix + '.text')}, {_fold(prefix + '.author_name')}"


TRIGGER_SQL = (
    f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON intake_message BEGIN "  # noqa: S608 - our own names
    f"INSERT INTO {TABLE}(rowid, text, author_name) VALUES ({_row('new')}); END",
    # A repeat delivery sets every column again: the index is touched only when the words changed.
    f"CREATE TRIGGER {TABLE}_au AFTER UPDATE OF text, author_name ON intake_message "  # noqa: S608
    "WHEN old.text IS NOT new.text OR old.author_name IS NOT new.author_name BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, text, author_name) VALUES ('delete', {_row('old')}); "
    f"INSERT INTO {TABLE}(rowid, text, author_name) VALUES ({_row('new')}); END",
    f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON intake_message BEGIN "  # noqa: S608
    f"INSERT INTO {TABLE}({TABLE}, rowid, text, author_name) VALUES ('delete', {_row('old')}); END",
)
FILL_SQL = f"INSERT INTO {TABLE}(rowid, text, author_name) SELECT {_row('m')} FROM intake_message m"  # noqa: S608


def _schema(connection: BaseDatabaseWrapper) -> tuple[bool, set[str]]:
    """Whether the table exists, and which of its triggers do (one read of the schema)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT type, name FROM sqlite_master WHERE (type = 'table' AND name = %s) OR type = 'trigger'",
            [TABLE],
        )
        rows = cursor.fetchall()
    return any(kind == "table" for kind, _ in rows), {name for kind, name in rows if name in TRIGGERS}


def in_service(connection: BaseDatabaseWrapper) -> bool:
    """Whether the table is there and kept (all three triggers): otherwise the search reads the messages."""
    if connection.vendor != "sqlite":
        return False
    table, triggers = _schema(connection)
    return table and len(triggers) == len(TRIGGERS)


def ids_matching(connection: BaseDatabaseWrapper, match: str, limit: int) -> list[int] | None:
    """The ids of at most `limit` messages the FTS5 query `match` finds, or None when the table is not in service
    (then the caller reads the messages)."""
    if not in_service(connection):
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s", [match, limit])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def ensure(connection: BaseDatabaseWrapper) -> bool:
    """Put back missing triggers and fill the index again from the messages (a contentless FTS5 table is emptied
    with 'delete-all'); returns whether anything was repaired."""
    if connection.vendor != "sqlite":
        return False
    table, present = _schema(connection)
    if not table or len(present) == len(TRIGGERS):
        return False
    with connection.cursor() as cursor:
        for name in present:
            cursor.execute(f"DROP TRIGGER {name}")
        for sql in TRIGGER_SQL:
            cursor.execute(sql)
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")  # noqa: S608
        cursor.execute(FILL_SQL)
    log.warning("the SQLite search index lost its triggers (a table rebuilt by a migration): rebuilt")
    return True


def after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    ensure(connections[using])
