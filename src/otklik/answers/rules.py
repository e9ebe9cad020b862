"""The checker's rules (R-9, R-11, R-8.10): one function per finding code, each over a parsed answer.

Every rule returns findings with spans into the original text. Rules that judge "is there any substance" skip
words already inside a template or redirection finding, so «информация принята к сведению» does not count as
an action.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

from .findings import MESSAGES, Finding
from .formats import NetworkFormat, markup_rules, network_length, offset_after
from .lexicons import Match, lexicon, read_lines
from .text import Doc, Token, analyse, morph


@dataclass
class Context:
    doc: Doc
    fmt: NetworkFormat
    author_name: str | None
    repeat: bool
    # Spans of template/redirection findings: words inside them are no evidence of substance.
    empty_spans: list[tuple[int, int]] = field(default_factory=list)
    _signals: dict[str, list[Token]] | None = None


def finding(code: str, start: int, end: int, text: str, suggestion: str = "", message: str = "") -> Finding:
    return Finding(code, start, end, text[start:end], message or MESSAGES[code], suggestion)


def _from_matches(code: str, ctx: Context, matches: Iterable[Match]) -> list[Finding]:
    words = ctx.doc.words
    return [
        finding(code, words[m.first].start, words[m.last].end, ctx.doc.text, m.entry.suggestion)
        for m in matches
    ]


# ---- greeting and name (R-11: «наличие приветствия и вежливое обращение к заявителю») -------------------------


def greeting_span(ctx: Context) -> tuple[int, int] | None:
    """The greeting among the first words of the first sentence, if there is one; when the first sentence is
    only an address («Анна Сергеевна! Здравствуйте!»), among the first words of the next one."""
    doc = ctx.doc
    if not doc.sentences:
        return None
    for si in range(min(2, len(doc.sentences))):
        head = doc.sentence_words(si)[:8]
        matches = lexicon("greetings.txt").find(head)
        if matches:
            m = matches[0]
            return head[m.first].start, head[m.last].end
        if not _is_address(head):
            return None
    return None


_ADDRESS_MAX_WORDS = 3


def _is_address(words: list[Token]) -> bool:
    """A sentence that only names the author: one to three capitalised names («Анна», «Анна Сергеевна»,
    «Иванова Анна Сергеевна»), as the dictionary knows first names, patronymics and surnames."""
    return 0 < len(words) <= _ADDRESS_MAX_WORDS and all(
        w.text[:1].isupper() and _is_name_part(w.text) for w in words
    )


@lru_cache(maxsize=20_000)
def _is_name_part(word: str) -> bool:
    return any(
        {"Name"} in p.tag or {"Patr"} in p.tag or {"Surn"} in p.tag for p in morph().parse(word.lower())
    )


def no_greeting(ctx: Context) -> list[Finding]:
    if greeting_span(ctx) is not None:
        return []
    first = first_name(ctx.author_name)
    example = f"«Здравствуйте, {first}!»" if first else "«Здравствуйте!»"
    return [
        finding(
            "no_greeting",
            0,
            0,
            ctx.doc.text,
            f"Начните с приветствия: {example} или «Добрый день!»",
        )
    ]


@lru_cache(maxsize=20_000)
def _all_lemmas(word: str) -> frozenset[str]:
    low = word.lower().replace("ё", "е")
    return frozenset(p.normal_form.replace("ё", "е") for p in morph().parse(low)) | {low}


def _name_words(author_name: str) -> list[str]:
    return [w for w in re.findall(r"[А-Яа-яЁё]{2,}", author_name)]


@lru_cache(maxsize=20_000)
def _is_first_name(word: str) -> bool:
    """True when the dictionary knows the word as a first name in the nominative singular, as names are shown
    (OpenCorpora's «Name»): «Татьяна», «Олег», but not «Житель», «Пользователь», «Гость» or a surname
    («Иванов» is also the genitive plural of «Иван»)."""
    return any({"Name", "nomn", "sing"} in p.tag for p in morph().parse(word.lower()))


def first_name(author_name: str | None) -> str | None:
    """The author's first name as it should be written in an answer, or None when the shown name is a
    placeholder («Житель», «Пользователь», «DELETED», «id123») or a nickname without a first name."""
    for word in _name_words(author_name or ""):
        if _is_first_name(word):
            return word[:1].upper() + word[1:].lower()
    return None


@cache
def _name_forms() -> dict[str, frozenset[str]]:
    """Each name in ``lexicons/name_forms.txt`` with the names it stands for: a full name's short forms and a short
    form's full names («саша» → «александр», «александра»; «александр» → «саша», «шура», «саня»)."""
    table: dict[str, set[str]] = {}
    for line in read_lines("name_forms.txt"):
        full, shorts = (part.strip().lower().replace("ё", "е") for part in line.split("|")[:2])
        for short in shorts.split():
            table.setdefault(full, set()).add(short)
            table.setdefault(short, set()).add(full)
    return {name: frozenset(forms) for name, forms in table.items()}


def _with_other_forms(name: str) -> set[str]:
    """The name's full or short forms: «Саша» is addressed by name as «Александр» and the other way round."""
    forms = _name_forms()
    out: set[str] = set()
    for lem in _all_lemmas(name):
        out |= forms.get(lem, frozenset())
    return out


@lru_cache(maxsize=20_000)
def _name_lemmas(word: str) -> frozenset[str]:
    """The lemmas of the word's readings as a first name in the nominative, the form one addresses a person by
    (OpenCorpora's «Name», «nomn»): «Люба» → «люба»; «Любой» (also «любой») → nothing."""
    low = word.lower().replace("ё", "е")
    return frozenset(
        p.normal_form.replace("ё", "е") for p in morph().parse(low) if "Name" in p.tag and "nomn" in p.tag
    )


def _addressed(doc: Any, w: Any) -> bool:
    """The word stands as an address: after a comma or before a comma or «!» («Поля, здравствуйте!», «Здравствуйте,
    Поля!»), not inside a sentence («Здравствуйте! Поля у школы покосят …»)."""
    before = doc.text[: w.start].rstrip()
    after = doc.text[w.end :].lstrip()
    return before.endswith(",") or after.startswith((",", "!")) or not after


def no_name(ctx: Context) -> list[Finding]:
    first = first_name(ctx.author_name)
    if first is None:
        return []  # no first name to address the author by: a placeholder, a nickname, Latin letters
    names = _name_words(ctx.author_name or "")
    own: set[str] = set()  # the author's name as shown, by any of its readings
    wanted: set[str] = set()  # its other forms, by their readings as a first name only (`_name_lemmas`)
    stems: set[str] = set()
    for name in names:
        # The other forms by lemma only: a stem of «Лена» (for «Елена») or «Саня» (for «Александр») would take
        # «Ленинградской», «Санкт-Петербург» for the name.
        own |= _all_lemmas(name)
        for form in _with_other_forms(name):
            wanted |= _name_lemmas(form)
        low = name.lower().replace("ё", "е")
        if len(low) >= 4:
            stems.add(low[: len(low) - 1])
    for w in ctx.doc.words:
        if not w.text[:1].isupper():
            continue
        if _all_lemmas(w.text) & own or any(w.form.startswith(s) for s in stems):
            return []
        # another form of the name (a short or a full one, `name_forms.txt`): as an address only, since several
        # are also common words or other cases of one («Поля» — «поля», «Любой» — «любой»)
        if _name_lemmas(w.text) & wanted and _addressed(ctx.doc, w):
            return []
    g = greeting_span(ctx)
    at = g[0] if g else 0
    return [finding("no_name", at, at, ctx.doc.text, f"Обратитесь по имени: «{first}, здравствуйте!»")]


# ---- politeness -------------------------------------------------------------------------------------------------

_INFORMAL_LEMMAS = {"ты", "твой"}
_CAPS_WORD = re.compile(r"^[А-ЯЁ]{2,}$")
_QUOTED = re.compile(r"«[^«»\n]{1,200}»|„[^„“\n]{1,200}“|\"[^\"\n]{1,200}\"")


def _is_informal_verb(tag: Any) -> bool:
    return bool(tag.POS == "VERB" and tag.number == "sing" and (tag.person == "2per" or tag.mood == "impr"))


@lru_cache(maxsize=20_000)
def _only_informal_verb(word: str) -> bool:
    """A «ты» verb form, whatever else the word could be read as. Every parse must be a «ты» form: «пришли» (they
    came / send!) and «пень» (a stump) are not. An interjection reading does not excuse it: pymorphy3 reads
    «здравствуй» (the «ты» greeting), «слушай», «слышь» as interjections first, and as «ты» imperatives too
    (in OpenCorpora's dictionary these three are the only words read both ways and no other way)."""
    parses = morph().parse(word.lower())
    return any(_is_informal_verb(p.tag) for p in parses) and all(
        p.tag.POS == "INTJ" or _is_informal_verb(p.tag) for p in parses
    )


def impolite(ctx: Context) -> list[Finding]:
    """Words in quotes are not the answer's own voice: a programme or a company's name («Твой бюджет»,
    ООО «СТРОЙ ИНВЕСТ ГРУПП») or the author's words quoted back («Сколько можно ждать?»)."""
    doc = ctx.doc
    quoted = [m.span() for m in _QUOTED.finditer(doc.text)]

    def in_quotes(start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in quoted)

    out = [
        f
        for f in _from_matches("impolite", ctx, lexicon("impolite.txt").find(doc.words))
        if not in_quotes(f.start, f.end)
    ]
    for w in doc.words:
        informal = w.lemma in _INFORMAL_LEMMAS or (w.pos in {"VERB", "INTJ"} and _only_informal_verb(w.text))
        if informal and not in_quotes(w.start, w.end):
            out.append(
                finding(
                    "impolite",
                    w.start,
                    w.end,
                    doc.text,
                    "Обращайтесь к автору на «вы».",
                    "Обращение на «ты» к автору недопустимо.",
                )
            )
    run: list[Token] = []
    tail: list[Token | None] = [*doc.words, None]
    for caps in tail:
        if caps is not None and _CAPS_WORD.match(caps.text) and not in_quotes(caps.start, caps.end):
            run.append(caps)
            continue
        # Three capitalised words, two of them long: not just abbreviations such as «ООО ЖКС».
        if len(run) >= 3 and sum(len(t.text) >= 5 for t in run) >= 2:
            out.append(
                finding(
                    "impolite",
                    run[0].start,
                    run[-1].end,
                    doc.text,
                    "Пишите обычными буквами.",
                    "Текст заглавными буквами читается как крик.",
                )
            )
        run = []
    return out


# ---- bureaucratese and templates ----------------------------------------------------------------------------

# Nouns ending like verbal nouns that name things, not actions: not part of a «chain of verbal nouns».
_NOT_ACTION_NOUNS = frozenset(
    [
        "здание",
        "задание",
        "помещение",
        "растение",
        "население",
        "учреждение",
        "предприятие",
        "мероприятие",
        "управление",
        "отделение",
        "расписание",
        "объявление",
        "заявление",
        "сообщение",
        "обращение",
        "мнение",
        "внимание",
        "собрание",
        "издание",
        "сооружение",
        "ограждение",
        "насаждение",
        "строение",
        "знание",
        "окончание",
        "отопление",
        "освещение",
        "покрытие",
        "состояние",
        "положение",
        "движение",
        "отношение",
        "значение",
        "решение",
        "время",
        "имя",
    ]
)


def _is_verbal_noun(w: Token) -> bool:
    return w.pos == "NOUN" and w.lemma.endswith(("ние", "тие", "ция")) and w.lemma not in _NOT_ACTION_NOUNS


_CHAIN_POS = {"NOUN", "ADJF", "PREP", "PRTF", "NUMR"}


def bureaucratese(ctx: Context) -> list[Finding]:
    doc = ctx.doc
    out = _from_matches("bureaucratese", ctx, lexicon("bureaucratese.txt").find(doc.words))
    words = doc.words
    for i, w in enumerate(words):
        # «данный» as a pointer («данный вопрос», «в данном случае»), not «персональные данные».
        if (
            w.form.startswith("данн")
            and i + 1 < len(words)
            and words[i + 1].pos == "NOUN"
            and not (i > 0 and words[i - 1].pos == "ADJF")
            and words[i + 1].sentence == w.sentence
        ):
            out.append(finding("bureaucratese", w.start, w.end, doc.text, "«этот»"))
    # Chains of verbal nouns: «проведение работ по устранению нарушений».
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and words[j].pos in _CHAIN_POS and words[j].sentence == words[i].sentence:
            j += 1
        verbal = [w for w in words[i:j] if _is_verbal_noun(w)]
        if len(verbal) >= 3:
            out.append(
                finding(
                    "bureaucratese",
                    verbal[0].start,
                    verbal[-1].end,
                    doc.text,
                    "Скажите глаголом: «отремонтируем крышу» вместо «проведение работ по ремонту кровли».",
                    "Цепочка отглагольных существительных — канцелярит.",
                )
            )
        i = max(j, i + 1)
    return out


def template(ctx: Context) -> tuple[list[Finding], list[tuple[int, int]]]:
    """Template findings, and the spans of those without a gap: officialese inside «в рамках компетенции» is
    the template itself, but inside «На Ваше сообщение … по вопросу … сообщаем» it is its own finding."""
    matches = lexicon("template.txt").find(ctx.doc.words)
    words = ctx.doc.words
    solid = [
        (words[m.first].start, words[m.last].end)
        for m in matches
        if not any(kind == "gap" for kind, _ in m.entry.pattern)
    ]
    return _from_matches("template", ctx, matches), solid


# ---- redirection ----------------------------------------------------------------------------------------------

_CONTACT = re.compile(
    r"(?:\+7|\b8)(?:[\s()-]{0,2}\d){10}(?!\d)"  # phone, any area code: 8 (81371) 3-45-67, +7 921 123-45-67
    r"|\b\d{1,3}(?:[-\s]\d{2}){2}\b"  # city phone: 123-45-67, 3-45-67
    r"|https?://|www\.|\b[\w-]+\.(?:ru|рф|su|com|org|net)\b"  # site
    r"|[\w.+-]+@[\w-]+\.\w+|@\w{3,}"  # e-mail, account
    r"|\b(?:так как|потому что|поскольку|т\.\s?к\.|ведь)\b",  # a reason
    re.I,
)
# A contact given after the word that names it: a number after «телефон», «тел.», «номер», «линия» («по телефону
# 112», «тел. 3272909»); an address with a number within 60 characters, past abbreviations («по адресу: ул. Ленина,
# д. 5») but not past a sentence's end.
_NAMED_CONTACT = re.compile(
    r"\b(?:тел\.|телефон\w*|номер\w*|лини[яиюей]\w*)\s*[:№]?\s*\+?\d{2,}"
    r"|\bадрес\w*\s*:?(?:\b[а-яё]{1,4}\.|[^.!?\n]){0,60}?\d",
    re.I,
)
# Words of a reason, or a service the author can reach by its name («через Госуслуги»). A word that only names a
# kind of contact — «по телефону», «по адресу», «на горячую линию», «на сайте», «по почте» — gives none: the
# contact itself (the number, the address, the site) is what _CONTACT and _NAMED_CONTACT look for.
_JUSTIFYING_LEMMAS = frozenset(
    [
        "портал",
        "госуслуга",
        "отвечать",
        "заниматься",
        "ведение",
        "обслуживать",
        "балансодержатель",
        "принадлежать",
        "ответственность",
        "полномочие",
    ]
)


def _justified(ctx: Context, sentence: int) -> bool:
    doc = ctx.doc
    for si in (sentence, sentence + 1):
        if si >= len(doc.sentences):
            continue
        if any(w.lemma in _JUSTIFYING_LEMMAS for w in doc.sentence_words(si)):
            return True
        # A contact that starts in the sentence, read on past its end: the splitter also ends a sentence at the
        # dot of «gosuslugi.ru», «ул.» or «тел.».
        s = doc.sentences[si]
        for pattern in (_CONTACT, _NAMED_CONTACT):
            if any(m.start() < s.end for m in pattern.finditer(doc.text, s.start, s.end + 80)):
                return True
    return False


_AGAIN = frozenset(["повторно", "снова", "вновь"])


def _back_to_us(ctx: Context, m: Match) -> bool:
    """«Просим обратиться к нам повторно», «обратитесь снова»: the author is asked back, not sent elsewhere."""
    words = ctx.doc.words
    sentence = words[m.first].sentence
    near = [w.form for w in words[m.first : m.last + 4] if w.sentence == sentence]
    pairs = set(pairwise(near))
    return bool(_AGAIN & set(near)) or ("к", "нам") in pairs or ("еще", "раз") in pairs


def redirection(ctx: Context) -> list[Finding]:
    doc = ctx.doc
    matches = [
        m
        for m in lexicon("redirection.txt").find(doc.words)
        if not _justified(ctx, doc.words[m.first].sentence) and not _back_to_us(ctx, m)
    ]
    return _from_matches("redirection", ctx, matches)


# ---- off-topic questions --------------------------------------------------------------------------------------

_REQUEST_FORMS = frozenset(
    [
        "укажите",
        "сообщите",
        "пришлите",
        "назовите",
        "уточните",
        "предоставьте",
        "напишите",
        "подскажите",
        "представьте",
    ]
)


def _is_question_or_request(ctx: Context, si: int) -> bool:
    if "?" in ctx.doc.sentence_text(si):
        return True
    return any(w.form in _REQUEST_FORMS for w in ctx.doc.sentence_words(si))


def offtopic_question(ctx: Context) -> list[Finding]:
    doc = ctx.doc
    out: list[Finding] = []
    lex = lexicon("offtopic.txt")
    for si, s in enumerate(doc.sentences):
        if not _is_question_or_request(ctx, si):
            continue
        matches = lex.find(doc.sentence_words(si))
        if matches:
            text = doc.text[s.start : s.end]
            start = s.start + (len(text) - len(text.lstrip()))
            out.append(finding("offtopic_question", start, s.end, doc.text, matches[0].entry.suggestion))
    return out


# ---- substance and measures (R-9 «по существу», R-8.10) -------------------------------------------------------


@cache
def _set(name: str) -> frozenset[str]:
    return frozenset(analyse(w).lemma for line in read_lines(name) for w in line.split())


_DATE = re.compile(r"\d")


def _signals(ctx: Context) -> dict[str, list[Token]]:
    """Evidence of substance, by kind: numbers/dates, time words, places, actions, requests for details
    (computed once per check: no_substance and missing_measures share it)."""
    if ctx._signals is None:
        ctx._signals = _collect_signals(ctx)
    return ctx._signals


def _collect_signals(ctx: Context) -> dict[str, list[Token]]:
    doc = ctx.doc
    time_words = _set("time_words.txt")
    place_words = _set("place_words.txt")
    empty_verbs = _set("empty_verbs.txt")
    progress = _set("progress_words.txt")
    out: dict[str, list[Token]] = {
        "number": [],
        "time": [],
        "place": [],
        "action": [],
        "plan": [],
        "request": [],
        "progress": [],
    }
    prev: Token | None = None
    greeting = greeting_span(ctx) or (0, 0)
    skip: list[tuple[int, int]] = []  # the union of the spans, sorted and disjoint
    for s, e in sorted([*ctx.empty_spans, greeting, *_forwarded_to(doc, place_words)]):
        if skip and s <= skip[-1][1]:
            skip[-1] = (skip[-1][0], max(e, skip[-1][1]))
        else:
            skip.append((s, e))
    k = 0
    for tok in doc.tokens:
        while k < len(skip) and skip[k][1] <= tok.start:
            k += 1
        if k < len(skip) and skip[k][0] <= tok.start and tok.end <= skip[k][1]:
            prev = tok
            continue
        if _DATE.search(tok.text) and not (prev is not None and prev.text in {"№", "N"}):
            out["number"].append(tok)
        elif tok.is_word:
            lem = tok.lemma
            if lem in time_words:
                out["time"].append(tok)
            if lem in place_words or "Geox" in tok.tags:
                out["place"].append(tok)
            if lem in progress:
                out["progress"].append(tok)
            if tok.form in _REQUEST_FORMS:
                out["request"].append(tok)
            elif lem not in empty_verbs and tok.pos in {"VERB", "PRTS", "INFN"}:
                # «будет выполнен», «будут проведены»: a promise, not something done.
                promised = tok.pos == "PRTS" and prev is not None and _is_future_be(prev)
                if promised:
                    out["plan"].append(tok)
                elif "past" in tok.tags or tok.pos == "PRTS":
                    out["action"].append(tok)
                elif "perf" in tok.tags or tok.pos == "INFN":
                    out["plan"].append(tok)
        prev = tok
    # a question to the author («Сколько лет ребёнку?») asks for the details as «Подскажите, …» does
    for si in range(len(doc.sentences)):
        if "?" in doc.sentence_text(si):
            asked = next(
                (w for w in doc.sentence_words(si) if not any(a <= w.start and w.end <= b for a, b in skip)),
                None,
            )
            if asked is not None:
                out["request"].append(asked)
    grounded = {t.sentence for k in ("number", "time", "place") for t in out[k]}
    out["plan"] = [tok for tok in out["plan"] if tok.sentence in grounded or _concrete_plan(doc, tok, skip)]
    return out


_FORWARD_PHRASE_POS = frozenset(["NOUN", "ADJF", "PRTF"])


def _forwarded_to(doc: Doc, place_words: frozenset[str]) -> list[tuple[int, int]]:
    """Spans of the bodies a message was forwarded to: in a sentence with a verb of forwarding, each «в …» phrase
    of nouns and adjectives («в администрацию Выборгского района», «в комитет по дорожному хозяйству») unless it
    starts with a place («в Выборгский район»). The body's name is no place and no evidence of substance."""
    forwarding = _set("forwarding_verbs.txt")
    sentences = {w.sentence for w in doc.words if w.lemma in forwarding}
    by_sentence: dict[int, list[Token]] = {}
    for t in doc.tokens:
        if t.sentence in sentences:
            by_sentence.setdefault(t.sentence, []).append(t)
    spans: list[tuple[int, int]] = []
    for toks in by_sentence.values():
        for k, tok in enumerate(toks):
            if tok.form not in {"в", "во"}:
                continue
            phrase: list[Token] = []
            for nxt in toks[k + 1 :]:
                if nxt.pos in _FORWARD_PHRASE_POS or (nxt.form == "по" and phrase):
                    phrase.append(nxt)
                else:
                    break
            head = next((t for t in phrase if t.pos == "NOUN"), None)
            if head is None or head.lemma in place_words or "Geox" in head.tags:
                continue
            spans.append((phrase[0].start, phrase[-1].end))
    return spans


def _concrete_plan(doc: Doc, tok: Token, skip: list[tuple[int, int]]) -> bool:
    """A planned action in a sentence with no date, time or place is evidence of substance when its verb names the
    work («засыплем», «заменим») or the sentence names a concrete object: «вопрос будет решён», «работы будут
    выполнены», «постараемся решить вопрос» promise nothing in particular (lexicons/vague_verbs.txt,
    vague_objects.txt)."""
    if tok.lemma not in _set("vague_verbs.txt"):
        return True
    vague = _set("vague_objects.txt")
    return any(
        w.pos == "NOUN"
        and w.lemma not in vague
        and not ({"Name", "Surn", "Patr"} & w.tags)
        and not any(s <= w.start and w.end <= e for s, e in skip)
        for w in doc.sentence_words(tok.sentence)
    )


def _is_future_be(tok: Token) -> bool:
    return tok.lemma == "быть" and "futr" in tok.tags


def no_substance(ctx: Context) -> list[Finding]:
    sig = _signals(ctx)
    if any(sig[k] for k in ("number", "time", "place", "action", "plan", "request")):
        return []
    end = len(ctx.doc.text.rstrip())
    return [
        finding(
            "no_substance",
            end,
            end,
            ctx.doc.text,
            "Добавьте суть: что сделано или будет сделано, где и когда.",
        )
    ]


def missing_measures(ctx: Context) -> list[Finding]:
    if not ctx.repeat:
        return []
    sig = _signals(ctx)
    if sig["action"] or sig["progress"] or (sig["plan"] and (sig["time"] or sig["number"])):
        return []
    end = len(ctx.doc.text.rstrip())
    return [
        finding(
            "missing_measures",
            end,
            end,
            ctx.doc.text,
            "Напишите, что уже сделано после прошлого обращения или на каком этапе решение и когда срок.",
        )
    ]


# ---- network format (R-9) ------------------------------------------------------------------------------------


def too_long(ctx: Context) -> list[Finding]:
    text = ctx.doc.text
    n = network_length(text)
    fmt = ctx.fmt
    if n > fmt.max_chars:
        return [
            finding(
                "too_long",
                offset_after(text, fmt.max_chars),
                len(text),
                text,
                f"Сократите до {fmt.max_chars} знаков или разбейте на два ответа.",
                f"{fmt.title}: ответ длиннее {fmt.max_chars} знаков ({n}) — сеть его не примет.",
            )
        ]
    if n > fmt.readable:
        return [
            finding(
                "too_long",
                offset_after(text, fmt.readable),
                len(text),
                text,
                f"Оставьте главное: до {fmt.readable} знаков; подробности — ссылкой.",
                f"{fmt.title}: ответ длиннее {fmt.readable} знаков ({n}); длинный ответ свернут и его не дочитают.",
            )
        ]
    return []


def format_(ctx: Context) -> list[Finding]:
    text = ctx.doc.text
    out: list[Finding] = []
    for rule in markup_rules(ctx.fmt):
        for m in rule.pattern.finditer(text):
            out.append(
                finding(
                    "format",
                    m.start(),
                    m.end(),
                    text,
                    rule.suggestion,
                    f"{ctx.fmt.title} покажет {rule.what} как есть, символами.",
                )
            )
    return out


# ---- profanity -----------------------------------------------------------------------------------------------


@cache
def _profanity_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    bad: list[str] = []
    good: list[str] = []
    for line in read_lines("profanity.txt"):
        (good if line.startswith("!") else bad).append(line.lstrip("!"))
    return re.compile("|".join(f"(?:{p})" for p in bad)), re.compile("|".join(f"(?:{p})" for p in good))


@lru_cache(maxsize=50_000)
def is_profane(word: str) -> bool:
    low = word.lower().replace("ё", "е")
    bad, good = _profanity_patterns()
    return bool(bad.search(low)) and not good.search(low)


def profanity(ctx: Context) -> list[Finding]:
    return [
        finding("profanity", w.start, w.end, ctx.doc.text, "Уберите это слово.")
        for w in ctx.doc.words
        if is_profane(w.text)
    ]
