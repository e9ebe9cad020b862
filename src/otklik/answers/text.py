"""Tokens with lemmas and sentences over the original text, the ground every rule stands on.

Offsets are character offsets into the text as given (Python ``str`` indices), so a finding's span can be
highlighted in the editor exactly where the executor typed it.
"""

from __future__ import annotations

import re
import unicodedata
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
    out: list[tuple[int, int, str]] = []
    for t in razdel.tokenize(text):
        out.extend(_unglued(offset + t.start, t.text))
    return tuple(out)


def _pictograph(ch: str) -> bool:
    """An emoji or another pictograph, with its joiners and variation selectors."""
    return unicodedata.category(ch) in ("So", "Sk", "Cs") or ch in "\u200d\ufe0f\ufe0e"


def _unglued(start: int, piece: str) -> list[tuple[int, int, str]]:
    """razdel keeps an emoji typed right after a word in the word's token («день😊», «заделали👍»): the word would
    be unknown to the rules. Split into the word and the pictographs."""
    if len(piece) < 2 or not _has_alpha(piece) or not any(_pictograph(ch) for ch in piece):
        return [(start, start + len(piece), piece)]
    out: list[tuple[int, int, str]] = []
    run = 0
    for i in range(1, len(piece) + 1):
        if i == len(piece) or _pictograph(piece[i]) != _pictograph(piece[i - 1]):
            out.append((start + run, start + i, piece[run:i]))
            run = i
    return out


# A Latin letter that looks like a Cyrillic one, typed inside a Russian word (a keyboard layout switched one key
# late: «здравcтвуйте»): the word reads as Russian on the screen, so the rules read it so too.
_LOOKALIKES = str.maketrans("aceopxykACEHKMOPTXYB", "асеорхукАСЕНКМОРТХУВ")
_CYRILLIC = re.compile("[а-яёА-ЯЁ]")
_LATIN = re.compile("[a-zA-Z]")


_LETTERS = re.compile("[a-zA-Zа-яёА-ЯЁ]+")


def as_read(text: str) -> str:
    """The text as a reader reads it: in a word of Cyrillic letters, Latin look-alikes as the Cyrillic ones. The
    same length, letter for letter: offsets into it are offsets into the text as typed."""

    def word(m: re.Match[str]) -> str:
        piece = m.group()
        if not (_CYRILLIC.search(piece) and _LATIN.search(piece)):
            return piece
        read = piece.translate(_LOOKALIKES)
        return piece if _LATIN.search(read) else read

    return _LETTERS.sub(word, text) if _LATIN.search(text) else text


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
    raw = tokenize(as_read(text))
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
