"""Search as people type it: a word found in any of its forms, whatever its case and whether it is written with
«ё» or «е».

Django's ``icontains`` is not that on the embedded default: SQLite's ``LIKE`` folds the case of ASCII letters
only, so «гатчина» did not find «Гатчина», no database takes «елка» for «ёлка», and a substring misses most forms
of a Russian word («фонарь» is not in «не горят фонари»). The ``folded`` lookup turns the typed text into one
regular expression both databases read alike (SQLite through Django's own ``REGEXP`` function, Python's ``re``;
PostgreSQL through ``~*``):

    Message.objects.filter(text__folded="гатчина  елка")

matches «…в ГАТЧИНЕ\nёлки…»: case is ignored, «е» and «ё» are one letter, any run of spaces and line breaks
between words is one gap, punctuation too (`GAP`), and every other character is taken literally. A word of Russian letters is also
found in every form pymorphy3's dictionary gives it (`Word.forms`: «яма» finds «ямы», «ямах»; «горит» finds «не
горят»; «Гатчина» finds «в Гатчине»), as a whole word, so «света» does not find «светофор» nor «Кирова» «Кировск»;
and, as before, as typed anywhere, also inside a longer word. Punctuation around a word is no part of it
(«"фонари"», «Чкалова,», «ул.»). A number is a whole number: «участок 1» does not find «участок 12». A form of
another root is found where the dictionary makes it one word («ребёнок» finds «детей», «хороший» «лучший»), not
otherwise («люди» for «человек»). The admin's ``search_fields`` use it as ``"text__folded"``;
`all_words` asks it for every typed word in any order.

A regular expression is a test of every row. PostgreSQL runs it in C over a year's messages in a fraction of a
second once JIT compilation is off for the query (`without_jit`: the inbox's correlated sub-selects make the
planner's cost estimate huge, and compiling took longer than the search); a `pg_trgm` index would answer at once
but cost intake a third of its throughput (migration intake 0010). SQLite calls Python for every row, so there
an FTS5 trigram table (migration intake 0011) first narrows the messages to those holding a piece all the forms of
every typed word contain, where it has three or more characters (`fts_query`, `Word.common`), and the regular
expression decides among them (`messages_matching`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Model, Q, QuerySet, TextField
from django.db.models.lookups import BuiltinLookup

from otklik.intake import search_index

_E = "[её]"
_LETTERS = "0-9A-Za-zА-Яа-яЁё"  # a word's characters, both cases spelled out (not ``\\w``: the locale's in PostgreSQL)
_RUSSIAN_WORD = re.compile("[а-яё]+(?:-[а-яё]+)*")  # «усть-луга» too: the dictionary has its forms
# taken off a typed word's ends: «"фонари"», «Чкалова,», «(ямы)», «ул.»; not «%», «№», «#», «+»: «50%» is no «50»
_EDGES = ".,;:!?…\"'«»„“”‘’‚‹›()[]{}<>—–−"
# a reading of a word as likely as this share of the likeliest one adds its forms («яма»: «ям»)
PARSE_SHARE = 0.2
# between typed words: any run of what is no letter or digit — spaces, line breaks, no-break spaces (Python's ``\s``
# takes U+00A0, PostgreSQL's does not, so no ``\s``) and punctuation («коллеги, прошу» for «коллеги прошу»)
GAP = f"[^{_LETTERS}]+"
MAX_TYPED = 300  # characters of a search box taken; a pasted paragraph is cut, not refused
NARROW_AT = 2000  # SQLite: candidates taken from the trigram table (`messages_matching`)


def _fold(word: str) -> str:
    return word.lower().replace("ё", "е")


@lru_cache(maxsize=10_000)
def _forms(folded: str) -> tuple[str, ...]:
    """Every form of a lower-case word of Russian letters in pymorphy3's dictionary («ё» as «е»), the word itself
    included, longest first; for readings as likely as `PARSE_SHARE` of the likeliest (a noun and a verb: «печь»);
    () for anything else (digits, Latin letters). A word the dictionary lacks («Кудрово») gets the forms
    of the paradigm its ending suggests."""
    if not _RUSSIAN_WORD.fullmatch(folded):
        return ()
    from otklik.analysis.text import morph  # the process's one analyzer, loaded on the first search

    parses = morph().parse(folded)
    forms = {folded}
    readings: set[tuple[str, str | None]] = set()
    for parse in parses:
        reading = (parse.normal_form, parse.tag.POS)
        if parse.score < PARSE_SHARE * parses[0].score or reading in readings:
            continue
        readings.add(reading)
        forms.update(_fold(form.word) for form in parse.lexeme)
    return tuple(sorted(forms, key=lambda form: (-len(form), form)))


@dataclass(frozen=True)
class Word:
    """One typed word: as typed, without the punctuation around it, and the forms it is also found in."""

    typed: str

    @property
    def folded(self) -> str:
        return _fold(self.typed)

    @property
    def forms(self) -> tuple[str, ...]:
        return _forms(self.folded)

    @property
    def common(self) -> str:
        """What every text the word is found in holds: the typed word, or the longest piece all its forms contain
        (SQLite's trigram table finds a piece anywhere: «погорячее» and «горячая» hold «горяч»)."""
        return _common(self.folded)


@lru_cache(maxsize=10_000)
def _common(folded: str) -> str:
    """The longest piece of text every form of ``folded`` contains (`Word.common`); the word itself when it has no
    forms; "" when the forms share nothing."""
    forms = _forms(folded)
    if not forms:
        return folded
    shortest = min(forms, key=len)
    for size in range(len(shortest), 0, -1):
        for start in range(len(shortest) - size + 1):
            piece = shortest[start : start + size]
            if all(piece in form for form in forms):
                return piece
    return ""


def words(typed: str) -> list[Word]:
    """The typed words (what whitespace parts), punctuation taken off their ends; words that were punctuation only
    are dropped unless nothing else was typed («?» is still looked for)."""
    tokens = typed.split()
    out = [Word(bare) for bare in (token.strip(_EDGES) for token in tokens) if bare]
    return out or [Word(token) for token in tokens]


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


def _trie(forms: tuple[str, ...]) -> str:
    """One of ``forms`` (`_literal` each letter) as a regular expression that shares their common beginnings
    («фонар(?:ь|я|ю|...)» rather than «фонарь|фонаря|...»): PostgreSQL's engine tests a year of messages against it
    in about half the time of the plain alternation (measured: docs/benchmarks.md)."""
    root: dict[str, Any] = {}
    for form in forms:
        node = root
        for ch in form:
            node = node.setdefault(ch, {})
        node[""] = {}  # a form ends here

    def emit(node: dict[str, Any]) -> str:
        branches = [_literal(ch) + emit(node[ch]) for ch in sorted(node) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return f"(?:{emit(root)})"


def pattern(typed: str) -> str:
    """The regular expression for ``typed``, the same in Python's ``re`` and PostgreSQL's advanced regular
    expressions. The `words` follow each other with any run of spaces or punctuation between them (`GAP`). Each is found as
    typed (`_literal`; the first may end another word, the last begin one, as in a plain substring search) or,
    for a word of Russian letters, as one of its dictionary forms (`Word.forms`) standing as a whole word. A word
    that begins or ends with a digit does not continue a number there («1» is not in «12»)."""
    found = words(typed[:MAX_TYPED])  # a long quoted paste in an admin search box: one expression, so cut
    parts: list[str] = []
    for n, word in enumerate(found):
        first, last = n == 0, n == len(found) - 1
        typed_as_is = _literal(word.typed)
        if first and word.typed[0].isdigit():
            typed_as_is = f"(?:^|[^0-9]){typed_as_is}"
        if last and word.typed[-1].isdigit():
            typed_as_is = f"{typed_as_is}(?:[^0-9]|$)"
        if not word.forms:
            parts.append(typed_as_is)
            continue
        forms = _trie(word.forms)
        if first:  # later words follow a gap: at a word's start already
            forms = f"(?:^|[^{_LETTERS}]){forms}"
        if last:  # earlier words are followed by a gap
            forms = f"{forms}(?:[^{_LETTERS}]|$)"
        parts.append(f"(?:{typed_as_is}|{forms})")
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
    """The FTS5 query that finds every message the typed text can match: for each of its words what every text it
    is found in holds (`Word.common`), when that has three or more characters (the trigram index's least),
    anywhere in the text or the author, as a quoted phrase (so «-», «*» and «"» are characters, not syntax); None
    when no word gives that much."""
    parts = [word.common for word in words(typed)]
    parts = [part for part in parts if len(part) >= 3]
    if not parts:
        return None
    return " AND ".join('"' + part.replace('"', '""') + '"' for part in parts)


M = TypeVar("M", bound=Model)


def all_words(typed: str, *fields: str) -> Q:
    """Every word typed is in one of ``fields`` (`Folded`: case and «ё» ignored), in any order and place:
    «фонари Чкалова» finds «на Чкалова не горят фонари». Words are `words`: what the spaces part, punctuation
    around them taken off («Чкалова, фонари»)."""
    condition = Q()
    for word in words(typed):
        one = Q()
        for field in fields:
            one |= Q(**{f"{field}__folded": word.typed})
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
