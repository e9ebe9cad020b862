"""The checker's lexicons: data files in ``lexicons/`` (see lexicons/SOURCE.md for where entries came from).

Line format (``#`` starts a comment)::

    phrase | suggestion | source

A phrase is matched on lemmas, word by word, ignoring punctuation, so «ваше обращение рассмотрено» also finds
«Ваши обращения рассмотрены». Inside a phrase a word may be written as

- ``word``   — any form of the word (compared by lemma, as pymorphy3 parses it without context);
- ``=word``  — exactly this form (lower case), where the lemma would be too broad (``=обратитесь``);
- ``stem*``  — any word form starting with ``stem`` (for participles: pymorphy3 lemmatises «указанный» to
  «указать», which would also catch «укажите»);
- ``*``      — any one word;
- ``...``    — a gap of up to 12 words in the same sentence («на ваше сообщение … сообщаем»);
- ``~``      — up to two pronouns, adverbs or particles, or none («рекомендуем ~ =обратиться» finds «Рекомендуем Вам
  обратиться», «Просим Вас также обратиться»): the words that stand between a verb and its infinitive without
  changing what is said, so a phrase need not list them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from .text import Token, analyse


@dataclass(frozen=True)
class Entry:
    phrase: str
    pattern: tuple[tuple[str, str], ...]  # (kind, value): "lemma", "form", "prefix", "any", "gap" or "filler"
    suggestion: str
    source: str


@dataclass(frozen=True)
class Match:
    entry: Entry
    first: int  # index of the first matched word in Doc.words
    last: int  # index of the last matched word (inclusive)


GAP = 12
FILLER = 2
FILLER_POS = frozenset(["NPRO", "ADVB", "PRCL"])  # «Вам», «также», «пожалуйста», «непосредственно»


def _compile_word(word: str) -> tuple[str, str]:
    if word in {"...", "…"}:
        return ("gap", "")
    if word == "*":
        return ("any", "")
    if word == "~":
        return ("filler", "")
    if word.startswith("="):
        return ("form", word[1:].lower().replace("ё", "е"))
    if word.endswith("*"):
        return ("prefix", word[:-1].lower().replace("ё", "е"))
    return ("lemma", analyse(word).lemma)


def read_lines(name: str) -> list[str]:
    text = resources.files("otklik.answers").joinpath("lexicons", name).read_text("utf-8")
    out = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


class Lexicon:
    """Phrases indexed by their first word, matched over a document's word tokens."""

    def __init__(self, name: str, entries: list[Entry]) -> None:
        self.name = name
        self.entries = entries
        self._by_lemma: dict[str, list[Entry]] = {}
        self._by_form: dict[str, list[Entry]] = {}
        self._by_prefix: dict[str, list[Entry]] = {}  # by the first 3 letters of the prefix
        self._scan: list[Entry] = []  # entries starting with a wildcard
        for e in entries:
            kind, value = e.pattern[0]
            if kind == "lemma":
                self._by_lemma.setdefault(value, []).append(e)
            elif kind == "form":
                self._by_form.setdefault(value, []).append(e)
            elif kind == "prefix" and len(value) >= 3:
                self._by_prefix.setdefault(value[:3], []).append(e)
            else:
                self._scan.append(e)

    @classmethod
    def load(cls, name: str) -> Lexicon:
        entries = []
        for line in read_lines(name):
            parts = [p.strip() for p in line.split("|")]
            phrase = parts[0]
            pattern = tuple(_compile_word(w) for w in phrase.replace(",", " ").split())
            entries.append(
                Entry(phrase, pattern, parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else "")
            )
        return cls(name, entries)

    def find(self, words: list[Token]) -> list[Match]:
        """All matches, the longest first at each position; overlapping shorter matches are dropped."""
        found: list[Match] = []
        covered_to = -1
        empty: list[Entry] = []
        for i, w in enumerate(words):
            if i <= covered_to:
                continue
            candidates = (
                self._by_lemma.get(w.lemma, empty)
                + self._by_form.get(w.form, empty)
                + self._by_prefix.get(w.form[:3], empty)
                + self._scan
            )
            if not candidates:
                continue
            best: Match | None = None
            for e in candidates:
                last = _match_at(words, i, e.pattern)
                if last is not None and (best is None or last > best.last):
                    best = Match(e, i, last)
            if best is not None and i > covered_to:
                found.append(best)
                covered_to = best.last
        return found


def _match_at(words: list[Token], i: int, pattern: tuple[tuple[str, str], ...]) -> int | None:
    """Index of the last word of the match of ``pattern`` starting at word ``i``, or None."""
    if not pattern:
        return i - 1
    kind, _ = pattern[0]
    if kind == "gap":
        # The shortest gap that lets the rest match, within the sentence of the word before the gap.
        sentence = words[i - 1].sentence if i > 0 else 0
        for j in range(i, min(len(words), i + GAP + 1)):
            if words[j].sentence != sentence:
                break
            last = _match_at(words, j, pattern[1:])
            if last is not None:
                return last
        return None
    if kind == "filler":
        # None, one or two fillers, within the sentence of the word before them.
        sentence = words[i - 1].sentence if i > 0 else 0
        j = i
        while True:
            last = _match_at(words, j, pattern[1:])
            if last is not None:
                return last
            if (
                j - i >= FILLER
                or j >= len(words)
                or words[j].sentence != sentence
                or words[j].pos not in FILLER_POS
            ):
                return None
            j += 1
    if i >= len(words) or not _word_matches(words[i], pattern[0]):
        return None
    return _match_at(words, i + 1, pattern[1:])


def _word_matches(tok: Token, part: tuple[str, str]) -> bool:
    kind, value = part
    if kind == "any":
        return True
    if kind == "lemma":
        return tok.lemma == value
    if kind == "form":
        return tok.form == value
    return tok.form.startswith(value)


@cache
def lexicon(name: str) -> Lexicon:
    return Lexicon.load(name)


@cache
def word_set(name: str) -> frozenset[str]:
    """A plain list of lemmas (one per line, the first column)."""
    return frozenset(analyse(line.split("|")[0].strip()).lemma for line in read_lines(name))
