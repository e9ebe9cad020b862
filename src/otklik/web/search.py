"""Search as people type it: a word found whatever its case and whether it is written with «ё» or «е».

Django's ``icontains`` is not that on the embedded default: SQLite's ``LIKE`` folds the case of ASCII letters
only, so «гатчина» did not find «Гатчина», and no database takes «елка» for «ёлка». The ``folded`` lookup turns
the typed text into one regular expression both databases read alike (SQLite through Django's own ``REGEXP``
function, Python's ``re``; PostgreSQL through ``~*``):

    Message.objects.filter(text__folded="гатчина  елка")

matches «…в ГАТЧИНЕ\\nёлка…»: case is ignored, «е» and «ё» are one letter, any run of spaces and line breaks
between words is one gap, and every other character is taken literally. The admin's ``search_fields`` use it
as ``"text__folded"``.

A regular expression is a test of every row. PostgreSQL runs it in C over a year's messages in a fraction of a
second once JIT compilation is off for the query (`without_jit`: the inbox's correlated sub-selects make the
planner's cost estimate huge, and compiling took longer than the search); a `pg_trgm` index would answer at once
but cost intake a third of its throughput (migration intake 0010). SQLite calls Python for every row, so there
an FTS5 trigram table (migration intake 0011) first narrows the messages to those holding every typed word of
three or more characters, and the regular expression decides among them (`messages_matching`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Model, Q, QuerySet, TextField
from django.db.models.lookups import BuiltinLookup

from otklik.intake import search_index

_E = "[её]"
MAX_TYPED = 300  # characters of a search box taken; a pasted paragraph is cut, not refused
NARROW_AT = 2000  # SQLite: candidates taken from the trigram table (`messages_matching`)


def pattern(typed: str) -> str:
    """The regular expression for ``typed``, the same in Python's ``re`` and PostgreSQL's advanced regular
    expressions: letters and digits as they are (case is the lookup's), «е»/«ё» as one, whitespace runs as
    ``\\s+``, every other character escaped (a backslash before a non-alphanumeric character is that character
    in both)."""
    parts: list[str] = []
    in_gap = False
    for ch in typed.strip():
        if ch.isspace():
            if not in_gap:
                parts.append(r"\s+")
            in_gap = True
            continue
        in_gap = False
        if ch in "еёЕЁ":
            parts.append(_E)
        elif ch.isalnum() or ch == "_":
            parts.append(ch)
        else:
            parts.append("\\" + ch)
    return "".join(parts)


class Folded(BuiltinLookup[str]):
    """``field__folded="text"``: the field contains ``text``, ignoring case, «ё»/«е» and the width of gaps.
    The SQL is each backend's own case-insensitive regular-expression match (``iregex``)."""

    lookup_name = "folded"
    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        return pattern(str(self.rhs))

    def get_rhs_op(self, connection: BaseDatabaseWrapper, rhs: str) -> str:
        return str(connection.operators["iregex"] % rhs)


def register() -> None:
    CharField.register_lookup(Folded)
    TextField.register_lookup(Folded)


def fts_query(typed: str) -> str | None:
    """The FTS5 query that finds every message the typed text can match: each of its words of three or more
    characters (the trigram index's least), anywhere in the text or the author, as a quoted phrase (so «-», «*»
    and «"» are characters, not syntax); None when no word is that long."""
    words = [w for w in typed.replace("ё", "е").replace("Ё", "Е").split() if len(w) >= 3]
    if not words:
        return None
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


M = TypeVar("M", bound=Model)


def all_words(typed: str, *fields: str) -> Q:
    """Every word typed is in one of ``fields`` (`Folded`: case and «ё» ignored), in any order and place:
    «фонари Чкалова» finds «на Чкалова не горят фонари». Words are what the spaces part."""
    condition = Q()
    for word in typed.split():
        one = Q()
        for field in fields:
            one |= Q(**{f"{field}__folded": word})
        condition &= one
    return condition


def messages_matching(messages: QuerySet[M], typed: str) -> QuerySet[M]:
    """The messages whose text or author holds every typed word (`all_words`), found through the database's
    index.

    On SQLite the trigram table gives the ids of the messages holding every typed word; up to `NARROW_AT` of them
    are the candidates. Words more common than that (a year holds «сообщение» hundreds of thousands of times) are
    left to the time-ordered read, which meets the first page of matches among the newest messages at once."""
    typed = typed.strip()[:MAX_TYPED]
    found = messages.filter(all_words(typed, "text", "author_name"))
    connection = connections[messages.db]
    match = fts_query(typed) if connection.vendor == "sqlite" else None
    ids = search_index.ids_matching(connection, match, NARROW_AT + 1) if match is not None else None
    return found.filter(pk__in=ids) if ids is not None and len(ids) <= NARROW_AT else found


@contextmanager
def without_jit(active: bool = True, using: str = "default") -> Iterator[None]:
    """PostgreSQL: the queries inside run without JIT compilation (`SET LOCAL`, this transaction only). Elsewhere,
    or when not `active`, nothing changes."""
    connection = connections[using]
    if not active or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield
