"""Tokens with lemmas and sentences over the original text, the ground every rule stands on.

Offsets are character offsets into the text as given (Python ``str`` indices), so a finding's span can be
highlighted in the editor exactly where the executor typed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pymorphy3
import razdel


def morph() -> pymorphy3.MorphAnalyzer:
    """The process's one analyzer (its dictionaries are large), shared with the analysis of messages."""
    from otklik.analysis.text import morph as shared

    return shared()


@dataclass(frozen=True, slots=True)
class Analysis:
    lemma: str
    pos: str  # OpenCorpora part of speech ("NOUN", "VERB", "PRTS", …) or "" when unknown
    tags: frozenset[str]


@lru_cache(maxsize=200_000)
def analyse(word: str) -> Analysis:
    """The most probable parse of one word, context-free (lower-cased; ё folded to е)."""
    low = word.lower().replace("ё", "е")
    if not any(ch.isalpha() for ch in low):
        return Analysis(low, "", frozenset())
    parse = morph().parse(low)[0]
    tag = parse.tag
    grammemes = frozenset(str(tag).replace(" ", ",").split(","))
    return Analysis(parse.normal_form.replace("ё", "е"), str(tag.POS or ""), grammemes)


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str:
    return analyse(word).lemma


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    lemma: str
    pos: str
    tags: frozenset[str]
    sentence: int  # index into Doc.sentences
    form: str  # lower case, ё → е

    @property
    def is_word(self) -> bool:
        return self.pos != "" or _has_alpha(self.text)


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    first_word: int  # index into Doc.words
    last_word: int  # exclusive


@dataclass
class Doc:
    text: str
    tokens: list[Token]
    words: list[Token]  # tokens that are words (letters), in order
    sentences: list[Sentence]

    def sentence_text(self, i: int) -> str:
        s = self.sentences[i]
        return self.text[s.start : s.end]

    def sentence_words(self, i: int) -> list[Token]:
        s = self.sentences[i]
        return self.words[s.first_word : s.last_word]


_END = {".", "!", "?", "…", "...", "?!", "!?", "!!", "!!!", "??"}


# razdel glues a run of punctuation, emoji or hyphenated parts into one token by growing a string and matching it
# against its smiley pattern at every step: quadratic in the run's length (a 100 KB run of emoji took a second,
# 800 KB half a minute). No real token comes near this length: a longer run without spaces is tokenised in pieces.
LONG_RUN = 1000
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{LONG_RUN + 1},}}")  # read from the start of each run only


@lru_cache(maxsize=4096)
def _tokenize_line(line: str) -> tuple[tuple[int, int, str], ...]:
    if len(line) <= LONG_RUN:
        return _razdel(line, 0)
    out: list[tuple[int, int, str]] = []
    pos = 0
    for m in _LONG_RUN.finditer(line):
        out.extend(_razdel(line[pos : m.start()], pos))
        for a in range(m.start(), m.end(), LONG_RUN):
            out.extend(_razdel(line[a : min(a + LONG_RUN, m.end())], a))
        pos = m.end()
    out.extend(_razdel(line[pos:], pos))
    return tuple(out)


def _razdel(text: str, offset: int) -> tuple[tuple[int, int, str], ...]:
    return tuple((offset + t.start, offset + t.stop, t.text) for t in razdel.tokenize(text))


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """razdel tokens of the whole text, tokenised line by line: tokens never cross a line break, and the
    editor rechecks the draft on every pause in typing, when only the edited line is new to the cache."""
    out: list[tuple[int, int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.extend((pos + a, pos + b, t) for a, b, t in _tokenize_line(line))
        pos += len(line) + 1
    return out


def parse(text: str) -> Doc:
    """Tokenise with razdel and split sentences on the tokens (a full sentenizer costs more than all
    the rules together, and an answer's sentence ends are plain: terminal punctuation or a blank line)."""
    raw = tokenize(text)
    tokens: list[Token] = []
    words: list[Token] = []
    sentences: list[Sentence] = []
    sent_start: int | None = None
    sent_first_word = 0
    last_end = 0

    def close(end: int) -> None:
        nonlocal sent_start, sent_first_word
        if sent_start is not None:
            sentences.append(Sentence(sent_start, end, sent_first_word, len(words)))
        sent_start = None
        sent_first_word = len(words)

    for start, stop, piece in raw:
        gap = text[last_end:start]
        if sent_start is not None and "\n" in gap and _line_break_ends_sentence(gap, piece):
            close(last_end)
        if sent_start is None:
            sent_start = start
        a = analyse(piece)
        form = piece.lower().replace("ё", "е")
        tok = Token(start, stop, piece, a.lemma, a.pos, a.tags, len(sentences), form)
        tokens.append(tok)
        if a.pos or _has_alpha(piece):
            words.append(tok)
        last_end = stop
        if piece in _END or (piece and set(piece) <= {".", "!", "?", "…"}):
            close(stop)
    close(last_end)
    return Doc(text, tokens, words, sentences)


@lru_cache(maxsize=50_000)
def _has_alpha(piece: str) -> bool:
    return any(ch.isalpha() for ch in piece)


def _line_break_ends_sentence(gap: str, next_text: str) -> bool:
    # A blank line always ends a sentence; a single line break does when the next line starts a new thought
    # (capital letter, digit or a list marker), as in a greeting on its own line: «Анна, здравствуйте\nМы …».
    if gap.count("\n") >= 2:
        return True
    return bool(next_text) and (next_text[0].isupper() or next_text[0].isdigit() or next_text[0] in "-–—•*")
