"""Search as people type it: a word found in any of its forms, whatever its case and whether it is written with
«ё» or «е».

Django's ``icontains`` is not that on the embedded default: SQLite's ``LIKE`` folds the case of ASCII letters
only, so «гатчина» did not find «Гатчина», no database takes «елка» for «ёлка», and a substring misses most forms
of a Russian word («фонарь» is not in «не горят фонари»). The ``folded`` lookup turns the typed text into one
regular expression both databases read alike (SQLite through Django's own ``REGEXP`` function, Python's ``re``;
PostgreSQL through ``~*``):

    Message.objects.filter(text__folded="гатчина  елка")

matches «…в ГАТЧИНЕ\\nёлки…»: case is ignored, «е» and «ё» are one letter, any run of spaces and line breaks
between words is one gap, a Russian word is found by its `stem` at the start of a word («гатчин», «елк»: every
case and number of it) and the first word also as typed anywhere, and every other character is taken literally.
The stem is the Snowball stemmer's (`snowballstemmer`), cut further to what the word's forms in pymorphy3's
dictionary share («площадка» → «площад», for «площадок»), and never shorter than four letters, or three when only
one letter goes («вода» → «вод»): «дом», «яма», «горят» are searched as typed, not as «до», «ям», «гор». Digits,
Latin words and anything with a dot or a hyphen are as typed. Forms of another root are not found: «люди» for
«человек», «шёл» for «идти», nor a short verb's other forms («горят» for «горит»). The admin's ``search_fields``
use it as ``"text__folded"``; `all_words` asks it for every typed word in any order.

A regular expression is a test of every row. PostgreSQL runs it in C over a year's messages in a fraction of a
second once JIT compilation is off for the query (`without_jit`: the inbox's correlated sub-selects make the
planner's cost estimate huge, and compiling took longer than the search); a `pg_trgm` index would answer at once
but cost intake a third of its throughput (migration intake 0010). SQLite calls Python for every row, so there
an FTS5 trigram table (migration intake 0011) first narrows the messages to those holding the stem of every typed
word, where it has three or more characters (`fts_query`: every form the expression takes contains it), and the
regular expression decides among them (`messages_matching`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar

import snowballstemmer
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Model, Q, QuerySet, TextField
from django.db.models.lookups import BuiltinLookup

from otklik.intake import search_index

_E = "[её]"
_LETTERS = "0-9A-Za-zА-Яа-яЁё"  # a word's characters, both cases spelled out (not ``\\w``: the locale's in PostgreSQL)
_RUSSIAN_WORD = re.compile("[а-яё]+")
MIN_STEM = 4  # letters of a stem, or one fewer when it drops one letter only (`_long_enough`)
# between words: any run of whitespace, no-break spaces too — Python's ``\s`` takes U+00A0, U+2007 and U+202F,
# PostgreSQL's does not, so they are named
GAP = r"[\s\u00a0\u2007\u202f]+"
MAX_TYPED = 300  # characters of a search box taken; a pasted paragraph is cut, not refused
NARROW_AT = 2000  # SQLite: candidates taken from the trigram table (`messages_matching`)


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


def _dictionary_forms(word: str) -> list[str]:
    """The forms of the word's most probable parse in pymorphy3's dictionary (lower case, «ё» as «е»)."""
    from otklik.analysis.text import morph  # the process's one analyzer, loaded on the first search

    return [_fold(form.word) for form in morph().parse(word)[0].lexeme]


def _long_enough(part: str, word: str) -> bool:
    """A stem that still means the word: four letters or more, or three when only one letter was dropped
    («вода» → «вод»; not «горят» → «гор», which would find «город»)."""
    return len(part) >= MIN_STEM or (len(part) == MIN_STEM - 1 and len(word) - len(part) <= 1)


@lru_cache(maxsize=10_000)
def stem(typed_word: str) -> str:
    """What one typed word is searched by: lower case, «ё» as «е», and for a word of Russian letters only its
    stem — the Snowball stemmer's, cut further to what all the forms of the word in pymorphy3's dictionary
    share («площадка» → «площад», as «площадок» has no «к»). A stem too short to mean the word
    (`_long_enough`) gives way to the longer candidate, at last to the word itself («дом», «яма», «горят»).
    Digits, Latin words, abbreviations with a dot are as typed."""
    word = _fold(typed_word)
    if not _RUSSIAN_WORD.fullmatch(word):
        return word
    snowball: str = snowballstemmer.stemmer("russian").stemWord(word)  # a stemmer keeps state: one per call
    if not word.startswith(snowball):  # the stemmer only takes endings off; anything else is not trusted
        return word
    dictionary = snowball
    for form in _dictionary_forms(word):
        while not form.startswith(dictionary):
            dictionary = dictionary[:-1]
    for part in (dictionary, snowball):
        if _long_enough(part, word):
            return part
    return word


def _literal(text: str) -> str:
    """``text`` matched as written: letters and digits as they are (case is the lookup's), «е»/«ё» as one, every
    other character escaped (a backslash before a non-alphanumeric character is that character in Python's
    ``re`` and PostgreSQL's advanced regular expressions alike)."""
    parts: list[str] = []
    for ch in text:
        if ch in "еёЕЁ":
            parts.append(_E)
        elif ch.isalnum() or ch == "_":
            parts.append(ch)
        else:
            parts.append("\\" + ch)
    return "".join(parts)


def pattern(typed: str) -> str:
    """The regular expression for ``typed``, the same in Python's ``re`` and PostgreSQL's advanced regular
    expressions. Words (what whitespace parts) follow each other with any run of whitespace between them
    (`GAP`: no-break spaces too). A word whose `stem` is shorter than the word is found in any of its forms: its stem at the start of
    a word, followed by the rest of that word's letters when another typed word follows; the first typed word
    also as typed anywhere, as inside a longer word («провод» in «водопровод»). Any other word is found as
    typed (`_literal`)."""
    words = typed.split()
    parts: list[str] = []
    for n, word in enumerate(words):
        base = stem(word)
        if base == _fold(word):
            parts.append(_literal(word))
            continue
        forms = _literal(base) + ("" if n == len(words) - 1 else f"[{_LETTERS}]*")
        if n == 0:  # later words follow whitespace: at the start of a word already
            forms = f"(?:{_literal(word)}|(?:^|[^{_LETTERS}]){forms})"
        parts.append(forms)
    return GAP.join(parts)


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
    """The FTS5 query that finds every message the typed text can match: the `stem` of each of its words — what
    every form the regular expression takes contains — when it has three or more characters (the trigram
    index's least), anywhere in the text or the author, as a quoted phrase (so «-», «*» and «"» are characters,
    not syntax); None when no word is that long."""
    parts = [stem(w) for w in typed.split()]
    parts = [p for p in parts if len(p) >= 3]
    if not parts:
        return None
    return " AND ".join('"' + p.replace('"', '""') + '"' for p in parts)


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
