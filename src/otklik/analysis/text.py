"""Text helpers shared by the analysers: normalisation, tokens with their spans, lemmas (pymorphy3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pymorphy3

WORD_RE = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+(?:-[0-9A-Za-zА-Яа-яЁё]+)*")


@dataclass(frozen=True)
class Token:
    text: str  # as written
    norm: str  # lower case, ё → е
    start: int
    end: int


@lru_cache(maxsize=1)
def morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def norm(word: str) -> str:
    return word.lower().replace("ё", "е")


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), norm(m.group()), m.start(), m.end()) for m in WORD_RE.finditer(text)]


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The most probable lemma of a lower-case word (ё folded to е)."""
    if not word or not word[0].isalpha() or word.isascii():
        return word
    return norm(morph().parse(word)[0].normal_form)


def lemmas(text: str) -> list[str]:
    return [lemma(t.norm) for t in tokens(text)]


def lemma_text(text: str) -> str:
    """The text as a space-separated string of lemmas: the input of the topic classifier."""
    return " ".join(lemmas(text))
