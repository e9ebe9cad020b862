"""Search as people type it: a word found whatever its case and whether it is written with «ё» or «е».

Django's ``icontains`` is not that on the embedded default: SQLite's ``LIKE`` folds the case of ASCII letters
only, so «гатчина» did not find «Гатчина», and no database takes «елка» for «ёлка». The ``folded`` lookup turns
the typed text into one regular expression both databases read alike (SQLite through Django's own ``REGEXP``
function, Python's ``re``; PostgreSQL through ``~*``, which a ``pg_trgm`` index serves, migration intake 0010):

    Message.objects.filter(text__folded="гатчина  елка")

matches «…в ГАТЧИНЕ\\nёлка…»: case is ignored, «е» and «ё» are one letter, any run of spaces and line breaks
between words is one gap, and every other character is taken literally. The admin's ``search_fields`` use it
as ``"text__folded"``.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, TextField
from django.db.models.lookups import BuiltinLookup

_E = "[её]"
MAX_TYPED = 300  # characters of a search box taken; a pasted paragraph is cut, not refused


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
