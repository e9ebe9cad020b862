"""Moderation (R-10): obscene or insulting language, threats to an official or their family, intent to harm.

Two parts, both explainable to the curator:
- a lexicon over normalised tokens and lemmas (``data/moderation/``) that finds disguised spellings
  (х*й, бл@ть, пи3дец, Latin look-alikes, s p a c e d letters, repeated letters) and reports the matched span;
- a trained classifier (``data/models/moderation.joblib``) for rude messages the lexicon does not list.

A blocked message is only marked (a ``Suggestion``); it is kept and never deleted.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from .text import lemma, morph, norm

# Latin letters and digits that look like Cyrillic ones, used inside words that are (partly) Cyrillic.
LOOKALIKES = str.maketrans(
    {
        "a": "а",
        "b": "в",
        "c": "с",
        "e": "е",
        "h": "н",
        "k": "к",
        "m": "м",
        "o": "о",
        "p": "р",
        "t": "т",
        "x": "х",
        "z": "з",
        "y": "у",
        "u": "и",
        "i": "и",
        "3": "з",
        "0": "о",
        "6": "б",
        "4": "ч",
        "@": "а",
        "ё": "е",
    }
)
MASKS = "*#@$%_."
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
TOKEN_RE = re.compile(r"[^\s,;:!?()\[\]{}\"«»<>/\\|+=~^&]+")
CYR_RE = re.compile(r"[а-яё]")
GLUE_RE = re.compile(r"(?<=[^\W\d_]{2})[.,…\-]+(?=[^\W\d_]{2})")
LATIN_WORD_RE = re.compile(r"^[a-z]+$")
# A clause, article or house number («п.3.10», «ст.12.1», «д.5», «кв.10»): its digits are no look-alike letters
# and its dots no masks («п.3.10» read «пизд…»).
NUMBERED_RE = re.compile(r"[а-яёa-z]{1,4}\.?\d+(?:[.,/\-]\d+)*\.?")
# An abbreviation of single letters with dots («ж.д», «т.е», «м.б»): its dot is no mask («ж.д» read «жид»).
ABBREVIATION_RE = re.compile(r"[а-яё]\.[а-яё]\.?")
INTENT_WORDS = {
    "надо",
    "нужно",
    "пора",
    "стоит",
    "следует",
    "хотеть",
    "буду",
    "будем",
    "собираться",
    "давай",
    "давайте",
    "бы",
    "готовый",
    "должный",
}
# Who or what a harm verb acts on that makes it a threat: a person (or the body of officials), a person's
# body, a person's property. The property counts only with a person named beside it («сожгу твой дом»,
# «сожгу дом главы»): «надо снести и взорвать все старые дома» is a complaint.
PERSON_WORDS = {
    "ты",
    "вы",
    "он",
    "она",
    "они",
    "семья",
    "ребенок",
    "дети",
    "жена",
    "муж",
    "дочь",
    "сын",
    "мать",
    "глава",
    "чиновник",
    "мэр",
    "губернатор",
    "депутат",
    "администрация",
    "начальник",
    "директор",
    "мент",
    "полицейский",
    "весь",
    "голова",
    "башка",
    "нога",
    "рука",
    "морда",
    "рожа",
    "харя",
    "рыло",
}
PROPERTY_WORDS = {"дом", "машина", "квартира", "дача", "офис"}
# An insult the writer reports having received, quoted: «мне написали "идиот"», «назвала мою маму «дурой»» —
# a complaint about it, not insulting language of the writer (obscene words stay blocked).
QUOTED_RE = re.compile(r"[\"«“„']([^\"«»“”„']{1,60})[\"»“”']")
CALLED_BEFORE_RE = re.compile(
    r"\b(?:назва\w*|назыв\w*|обозва\w*|обзыва\w*|написа\w*|пишут|сказа\w*|говор\w*|крикну\w*|крича\w*|"
    r"ответи\w*|заяви\w*|оскорби\w*|оскорбля\w*)\b"
)
# The one who received it, as the object of the verb: «мою маму», «моего сына», not «наш глава» or «мой
# участковый», who are the writer's own target («Говорят, что наш глава «дебил»»).
RECEIVER_RE = re.compile(
    r"\b(?:мне|меня|нам|нас|мо(?:его|ему|ей|ю|им|ими|их|ем)|наш(?:его|ему|ей|у|им|ими|их|ем)|"
    r"сын(?:а|у|ом|ов|овей|овьям|ей|ьям)|доч(?:ь|ери|ерью|ерей|ерям)|мам(?:у|е|ой)|матер(?:и|ью)|мать|"
    r"отц(?:а|у|ом)|пап(?:у|е|ой)|жен(?:у|е|ой)|муж(?:а|у|ем)|бабушк(?:у|е|ой)|дедушк(?:у|е|ой)|"
    r"реб[её]н(?:ка|ку|ком|ке)|соседк(?:у|е|ой)|соседу|соседа)\b"
)
OWNER_WORDS = PERSON_WORDS - {"весь", "голова", "нога", "рука"} | {"твой", "ваш", "его", "их", "ее"}
# Pests are not «others» of R-10: «убейте комаров», «отравить крыс в подвале» ask for pest control.
PESTS = {
    "комар",
    "клещ",
    "таракан",
    "крыса",
    "мышь",
    "клоп",
    "муха",
    "оса",
    "шершень",
    "мошка",
    "мошкара",
    "грызун",
    "насекомое",
    "борщевик",
}


@dataclass(frozen=True)
class Reason:
    kind: str  # obscene | insult | threat | classifier
    text: str
    start: int
    end: int
    label: str = ""
    score: float | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "label": self.label,
        }
        if self.score is not None:
            data["score"] = round(self.score, 3)
        return data


@dataclass
class ModerationResult:
    blocked: bool
    reasons: list[Reason] = field(default_factory=list)
    score: float = 0.0  # the classifier's probability of a rude message

    def as_dict(self) -> dict[str, Any]:
        return {
            "blocked": self.blocked,
            "reasons": [r.as_dict() for r in self.reasons],
            "score": round(self.score, 3),
        }


def _read_lines(name: str) -> list[str]:
    text = resources.files("otklik.analysis").joinpath("data", "moderation", name).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class Lexicon:
    obscene: list[tuple[str, re.Pattern[str]]]
    obscene_latin: list[tuple[str, re.Pattern[str]]]
    insults: frozenset[str]
    # An insult that is also an everyday word, and the lemmas that show the everyday sense in a message.
    insult_senses: dict[str, frozenset[str]]
    allow: frozenset[str]
    verbs: frozenset[str]
    object_verbs: frozenset[str]
    phrases: list[re.Pattern[str]]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    def patterns(name: str) -> list[tuple[str, re.Pattern[str]]]:
        return [(label, re.compile(rx)) for label, rx in (line.split("\t", 1) for line in _read_lines(name))]

    threats = [line.split("\t", 1) for line in _read_lines("threats.tsv")]
    insults = [line.split("\t", 1) for line in _read_lines("insults.txt")]
    return Lexicon(
        obscene=patterns("obscene.tsv"),
        obscene_latin=patterns("obscene_latin.tsv"),
        insults=frozenset(norm(row[0]) for row in insults),
        insult_senses={
            norm(row[0]): frozenset(norm(w.strip()) for w in row[1].split(","))
            for row in insults
            if len(row) == 2
        },
        allow=frozenset(norm(w) for w in _read_lines("allowlist.txt")),
        verbs=frozenset(v for k, v in threats if k == "verb"),
        object_verbs=frozenset(v for k, v in threats if k == "object_verb"),
        phrases=[re.compile(v) for k, v in threats if k == "phrase"],
    )


@dataclass(frozen=True)
class _Tok:
    raw: str
    start: int
    end: int


def _raw_tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    for m in TOKEN_RE.finditer(text):
        raw, start = m.group(), m.start()
        # Trailing and leading punctuation is not a mask: «бл...» at the end of a sentence stays «бл».
        stripped = raw.strip(".-_*'`’")
        if not stripped:
            continue
        start += raw.index(stripped)
        # Two words glued by a dot or a hyphen («боли.заебали», «конфетку-хуец») are read one by one;
        # single letters between dots («с.у.к.и») stay one masked word.
        pos = 0
        for glue in GLUE_RE.finditer(stripped):
            out.append(_Tok(stripped[pos : glue.start()], start + pos, start + glue.start()))
            pos = glue.end()
        out.append(_Tok(stripped[pos:], start + pos, start + len(stripped)))
    return _join_spaced(text, out)


def _join_spaced(text: str, toks: list[_Tok]) -> list[_Tok]:
    """«х у й», «б.л.я.т.ь» → one token: runs of three or more single letters with short gaps. A dash or
    another sign standing alone («Глава — п и д о р») is not a letter of the run: it ends one."""

    def letter(tok: _Tok) -> bool:
        return len(tok.raw) == 1 and (tok.raw.isalpha() or tok.raw in MASKS)

    out: list[_Tok] = []
    i = 0
    while i < len(toks):
        j = i
        while (
            j + 1 < len(toks)
            and letter(toks[j])
            and letter(toks[j + 1])
            and toks[j + 1].start - toks[j].end <= 2
        ):
            j += 1
        if j - i >= 2:
            out.append(_Tok("".join(t.raw for t in toks[i : j + 1]), toks[i].start, toks[j].end))
        else:
            out.extend(toks[i : j + 1])
        i = j + 1
    return out


def _squeeze(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


def _variants(raw: str) -> list[str]:
    """Readings of one token as Cyrillic: as written, look-alikes mapped, masks tried as letters, squeezed."""
    low = norm(raw)
    variants = [low]
    if CYR_RE.search(low) or not LATIN_WORD_RE.match(low):
        variants.append(low.translate(LOOKALIKES))
    letters_count = sum(c.isalnum() for c in low)
    # Masks stand for a letter or two inside a short word («х*й», «бл@ть»), not for the dot between
    # two words written without a space («зазорного.нормальная»).
    masked = [v for v in variants if any(c in MASKS for c in v) and letters_count >= 2 and len(v) <= 12]
    for v in masked:
        positions = [i for i, c in enumerate(v) if c in MASKS]
        variants.append("".join(c for c in v if c not in MASKS))
        if len(positions) > 2:
            continue
        for letters in itertools.product(CYRILLIC, repeat=len(positions)):
            chars = list(v)
            for pos, letter in zip(positions, letters, strict=True):
                chars[pos] = letter
            variants.append("".join(chars))
    variants += [_squeeze(v) for v in list(variants)]
    return list(dict.fromkeys(variants))


def _obscene(tok: _Tok, lex: Lexicon) -> Reason | None:
    label = _obscene_label(tok.raw)
    return Reason("obscene", tok.raw, tok.start, tok.end, label) if label is not None else None


@lru_cache(maxsize=200_000)
def _obscene_label(raw: str) -> str | None:
    """The obscene word a token stands for, if any (cached: a running process sees the same words often)."""
    lex = lexicon()
    low = norm(raw)
    if low in lex.allow or (len(low) < 3 and low != "бл") or NUMBERED_RE.fullmatch(low):
        return None
    if LATIN_WORD_RE.match(low):
        for label, rx in lex.obscene_latin:
            if rx.search(low):
                return label
    for variant in _variants(raw):
        if variant in lex.allow:
            return None
        for label, rx in lex.obscene:
            if rx.search(variant):
                return label
    return None


def _cyrillic(raw: str) -> str:
    low = norm(raw)
    return low.translate(LOOKALIKES) if CYR_RE.search(low) else low


@lru_cache(maxsize=1)
def _harm_verb_forms() -> frozenset[str]:
    """Every written form of the harm verbs (pymorphy3 lexemes): only these words need a full parse."""
    lex = lexicon()
    forms: set[str] = set()
    for verb in lex.verbs | lex.object_verbs:
        for p in morph().parse(verb):
            if norm(p.normal_form) == verb:
                forms.update(norm(f.word) for f in p.lexeme)
    return frozenset(forms)


def _threat_parse(word: str, lex: Lexicon) -> tuple[str, str] | None:
    """(lemma, form) when a word is a harm verb as a promise or call, e.g. «убью», «сожгите»; form is
    'promise' (1st person future, imperative) or 'infinitive'."""
    if word not in _harm_verb_forms():
        return None
    return _threat_parse_known(word)


@lru_cache(maxsize=50_000)
def _threat_parse_known(word: str) -> tuple[str, str] | None:
    lex = lexicon()
    for p in morph().parse(word)[:3]:
        lem = norm(p.normal_form)
        if lem not in lex.verbs and lem not in lex.object_verbs:
            continue
        tag = p.tag
        if ("1per" in tag and "futr" in tag) or "impr" in tag:
            return lem, "promise"
        if "INFN" in tag:
            return lem, "infinitive"
    return None


def _threats(text: str, toks: list[_Tok], lex: Lexicon) -> list[Reason]:
    reasons: list[Reason] = []
    low = norm(text)
    for rx in lex.phrases:
        for m in rx.finditer(low):
            reasons.append(Reason("threat", text[m.start() : m.end()], m.start(), m.end(), "phrase"))
    words = [_cyrillic(t.raw) for t in toks]
    lems = [lemma(w) for w in words]
    for i, word in enumerate(words):
        found = _threat_parse(word, lex)
        if found is None:
            continue
        lem, form = found
        window = set(lems[max(0, i - 4) : i + 5]) | set(words[max(0, i - 4) : i + 5])
        if form == "infinitive" and not (INTENT_WORDS & window):
            continue
        after, before = _harm_object(words, lems, i, 1), _harm_object(words, lems, i, -1)
        if lem in lex.object_verbs:
            threat = any(
                t in PERSON_WORDS
                or _person(t)
                or (t in PROPERTY_WORDS and bool(OWNER_WORDS & (window - {t})))
                for t in (after, before)
                if t is not None
            )
        else:  # «убью» alone is a threat; «убить время», «убейте комаров» are not
            targets = [t for t in (after, before) if t is not None]
            threat = not targets or any(not (t in PESTS or _inanimate(t)) for t in targets)
        if threat:
            reasons.append(Reason("threat", toks[i].raw, toks[i].start, toks[i].end, lem))
    return reasons


def _pos(word: str) -> str:
    return str(morph().parse(word)[0].tag.POS or "")


def _person(lem: str) -> bool:
    """A being that is not a pest: «сосед», «прораб» (an animal other than a pest counts too)."""
    first = morph().parse(lem)[0]
    return lem not in PESTS and first.tag.POS == "NOUN" and "anim" in first.tag


def _inanimate(lem: str) -> bool:
    """A thing, not a being: «время», «дорога» (not «весь», which is also an old word for a village)."""
    first = morph().parse(lem)[0]
    return lem not in PERSON_WORDS and first.tag.POS == "NOUN" and "inan" in first.tag


def _after_preposition(words: list[str], j: int) -> bool:
    """The word at ``j`` is inside a prepositional phrase: «за такую дорогу», «к чертям»."""
    for k in range(j - 1, max(-1, j - 4), -1):
        pos = _pos(words[k])
        if pos == "PREP":
            return True
        if pos not in {"ADJF", "PRTF", "NUMR"}:
            return False
    return False


def _harm_object(words: list[str], lems: list[str], i: int, step: int) -> str | None:
    """The lemma of what the harm verb at ``i`` acts on, looking after it (``step`` 1) or before it (-1) within
    four words: the first noun or pronoun that can be in the accusative, not inside a prepositional phrase
    («взорву к чертям ваш офис» → «офис»); «всех чиновников» → «чиновник», «всех» alone → «весь», «его
    портрет» → «портрет»."""
    stop = min(len(words), i + 5) if step > 0 else max(-1, i - 5)
    for j in range(i + step, stop, step):
        word = words[j]
        if not word.isalpha() or _after_preposition(words, j):
            continue
        if lems[j] == "весь" or word in {"его", "ее", "их"}:
            # «всех крыс», «все старые дома», «его машину»: the noun that follows is the object
            for k in range(j + 1, min(len(words), j + 4)):
                if _pos(words[k]) == "NOUN":
                    return lems[k]
                if _pos(words[k]) not in {"ADJF", "PRTF", "NUMR"}:
                    break
            if lems[j] == "весь":
                return "весь"
            return _antecedent(words, j) or "он"
        if _pos(word) not in {"NOUN", "NPRO"} or len(word) < 2:
            continue
        if any(p.tag.POS in {"NOUN", "NPRO"} and "accs" in p.tag for p in morph().parse(word)):
            # looking back, a noun that can be genitive right after another one qualifies it: the object is the
            # head — «главу (администрации) Тосно я убью» → «глава», not the town that can read as accusative too
            while step < 0 and j - 1 > stop and _qualifies(words[j - 1], words[j]):
                j -= 1
            return lems[j]
    return None


def _qualifies(head: str, word: str) -> bool:
    """Whether ``word`` can be a genitive noun, or a place's name, qualifying the noun ``head`` before it, that can
    be accusative: «главу района», «главу Тосно», «главу Мурино» (the dictionary declines «Мурино», so it has no
    genitive reading of its own)."""
    return (
        head.isalpha()
        and any(p.tag.POS == "NOUN" and "accs" in p.tag for p in morph().parse(head))
        and any(p.tag.POS == "NOUN" and ("gent" in p.tag or "Geox" in p.tag) for p in morph().parse(word))
    )


# The gender or number a third-person pronoun takes from the noun it stands for.
PRONOUN_AGREEMENT = {"его": {"masc", "neut", "ms-f"}, "ее": {"femn", "ms-f"}, "их": {"plur"}}


def _antecedent(words: list[str], j: int) -> str | None:
    """The lemma of the noun a pronoun at ``j`` («его», «её», «их») stands for: the nearest noun before it that
    can be a subject (nominative) of the same gender or number, within twelve words. «Доска … висит на одном
    гвозде, прибейте её» → «доска», a thing; «Глава района ворует, прибить его» → «глава», a person."""
    wanted = PRONOUN_AGREEMENT[words[j]]
    for k in range(j - 1, max(-1, j - 13), -1):
        if not words[k].isalpha():
            continue
        for p in morph().parse(words[k]):
            if p.tag.POS != "NOUN" or "nomn" not in p.tag:
                continue
            agrees = (
                {"plur"} if "plur" in p.tag else {g for g in ("masc", "femn", "neut", "ms-f") if g in p.tag}
            )
            if agrees & wanted:
                return norm(p.normal_form)
    return None


def _insult_label(word: str) -> str | None:
    lex = lexicon()
    if word in lex.allow:
        return None
    return lemma(word) if lemma(word) in lex.insults else word if word in lex.insults else None


@lru_cache(maxsize=50_000)
def _masked_insult(raw: str) -> str | None:
    """The insult a masked word stands for: «д*бил», «д-бил», «ид@от» (a hyphen counts as a mask only
    beside a part of one or two letters, so «из-за», «кто-то» stay as they are)."""
    low = norm(raw)
    if sum(c.isalpha() for c in low) < 2:
        return None  # «4.000» is a number, not a disguised «чмо»
    if ABBREVIATION_RE.fullmatch(low) or NUMBERED_RE.fullmatch(low):
        return None  # «ж.д» (железная дорога), «п.3.10»
    variants = _variants(raw)
    parts = low.split("-")
    if len(parts) == 2 and min(len(parts[0]), len(parts[1])) <= 2 and all(parts):
        variants += [parts[0] + c + parts[1] for c in CYRILLIC] + [parts[0] + parts[1]]
    for variant in variants:
        if variant.isalpha():
            found = _insult_label(variant)
            if found is not None:
                return found
    return None


def _reported_insult(text: str, start: int) -> bool:
    """True when the word at ``start`` is a quoted insult the writer or their family received: «мне
    написали "идиот"», «назвала мою маму «дурой»»."""
    for m in QUOTED_RE.finditer(text):
        if m.start(1) <= start < m.end(1):
            before = norm(text[max(0, m.start() - 60) : m.start()])
            # «говорю», «скажу», «заявляю»: the writer's own words, not a report of someone else's.
            called = [c for c in CALLED_BEFORE_RE.finditer(before) if not c.group().endswith(("ю", "у"))]
            return bool(called) and bool(RECEIVER_RE.search(before))
    return False


def lexicon_reasons(text: str) -> list[Reason]:
    """Every lexicon hit (obscene, insult, threat) with its span in ``text``."""
    lex = lexicon()
    toks = _raw_tokens(text)
    reasons: list[Reason] = []
    message_lemmas: set[str] | None = None
    for tok in toks:
        hit = _obscene(tok, lex)
        if hit is not None:
            reasons.append(replace(hit, text=text[hit.start : hit.end]))
            continue
        word = _cyrillic(tok.raw)
        if word in lex.allow:
            continue
        insult = _insult_label(word) if word.isalpha() else _masked_insult(tok.raw)
        if insult in lex.insult_senses:
            # «нашли вшей и гнид», «дрова чурками»: the everyday sense of a word that is also an insult.
            if message_lemmas is None:
                message_lemmas = {
                    norm(p.normal_form)
                    for t in toks
                    for p in morph().parse(_cyrillic(t.raw))
                    if t.raw.isalpha()
                }
            if message_lemmas & lex.insult_senses[insult]:
                continue
        if insult is not None and not _reported_insult(text, tok.start):
            reasons.append(Reason("insult", tok.raw, tok.start, tok.end, insult))
    reasons += _threats(text, toks, lex)
    return sorted(reasons, key=lambda r: r.start)


def hide_obscene(text: str) -> tuple[str, bool]:
    """The text with each obscene word the lexicon finds shown by its first letter and «…» («б…»), and whether
    there was one: what the Governor's office reads of a message (R-14) is readable, not as written (R-10)."""
    spans = [r for r in lexicon_reasons(text) if r.kind == "obscene"]
    if not spans:
        return text, False
    out, pos = [], 0
    for r in spans:
        if r.start < pos:
            continue
        out += [text[pos : r.start], text[r.start] + "…"]
        pos = r.end
    out.append(text[pos:])
    return "".join(out), True


def classifier_score(text: str) -> float:
    from .models_store import moderation_model

    model = moderation_model()
    return float(model.predict_proba([classifier_text(text)])[0][1])


def classifier_text(text: str) -> str:
    """The classifier's input: the text with whitespace collapsed, letter case kept (shouting is a signal), and
    the allowlisted words dropped, as written or by their lemma: «оскорблял», «страхуйте», «ухудшение» cannot
    tip the classifier (a complaint that someone «оскорблял мою бабушку» is not itself rude). Personal pronouns
    on the allowlist («тебя», «себе», there against the «еб» stems of naive lists) stay: they are ordinary words
    of both classes in the training data."""
    allow = lexicon().allow
    kept: list[str] = []
    pos = 0
    for tok in _raw_tokens(text):
        word = _cyrillic(tok.raw)
        if word.isalpha() and (word in allow or lemma(word) in allow) and _pos(word) != "NPRO":
            kept.append(text[pos : tok.start])
            pos = tok.end
    kept.append(text[pos:])
    return " ".join("".join(kept).split())


def moderate_many(texts: list[str]) -> list[ModerationResult]:
    """``moderate`` for a batch: the classifier scores every text in one call."""
    from .models_store import moderation_model, moderation_threshold

    threshold = moderation_threshold()
    scores = [0.0] * len(texts)
    live = [i for i, t in enumerate(texts) if t.strip()]
    if live:
        proba = moderation_model().predict_proba([classifier_text(texts[i]) for i in live])[:, 1]
        for i, p in zip(live, proba, strict=True):
            scores[i] = float(p)
    out = []
    for text, score in zip(texts, scores, strict=True):
        reasons = lexicon_reasons(text)
        if score >= threshold and not reasons:
            reasons.append(Reason("classifier", "", 0, 0, "грубый тон", score))
        out.append(ModerationResult(blocked=bool(reasons), reasons=reasons, score=score))
    return out


def moderate(text: str, *, use_classifier: bool = True) -> ModerationResult:
    """R-10: is the message to be excluded from work, and why (with the matched spans)."""
    from .models_store import moderation_threshold

    reasons = lexicon_reasons(text)
    score = classifier_score(text) if use_classifier and text.strip() else 0.0
    if use_classifier and score >= moderation_threshold() and not reasons:
        reasons.append(Reason("classifier", "", 0, 0, "грубый тон", score))
    return ModerationResult(blocked=bool(reasons), reasons=reasons, score=score)
