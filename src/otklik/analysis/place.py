"""Place (R-8.1): settlement and municipal formation of Leningrad Oblast named in a message.

The gazetteer is the directory in the database (``Settlement.name_forms``, ``Municipality.name_forms``, built by
``org.gazetteer`` with pymorphy3), turned into a dictionary of token n-grams so that a message is matched in
one pass over its tokens: «в Гатчине», «из Всеволожска», «в Кудрово», «Мурино», «во Всеволожском районе».
When the text names no place, the source's own territory (a district's community) is used.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import DatabaseError

from .streets import StreetMention, find_streets
from .text import Token, morph, norm, tokens

MAX_NGRAM = 4
# Words after which a lower-case ambiguous name («в луге», «в отрадном») is taken as a place.
PLACE_MARKERS = {
    "в",
    "во",
    "из",
    "под",
    "до",
    "около",
    "возле",
    "г",
    "гор",
    "город",
    "города",
    "городе",
    "пос",
    "п",
    "пгт",
    "гп",
    "поселок",
    "поселке",
    "поселка",
    "д",
    "дер",
    "деревня",
    "деревне",
    "деревни",
    "село",
    "селе",
    "с",
}


@dataclass(frozen=True)
class Entry:
    kind: str  # settlement | municipality
    id: int | None  # None: from the shipped directory, the database has none yet
    name: str
    municipality_id: int | None
    municipality: str
    ambiguous: bool


@dataclass(frozen=True)
class PlaceMention:
    entry: Entry
    text: str
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.entry.kind,
            "id": self.entry.id,
            "name": self.entry.name,
            "municipality_id": self.entry.municipality_id,
            "municipality": self.entry.municipality,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class PlaceResult:
    municipality_id: int | None
    municipality: str
    settlement_id: int | None
    settlement: str
    source: str  # text | source | none; the analysis pipeline adds reply | post (read in the text answered)
    confidence: float
    mentions: list[PlaceMention]
    streets: list[StreetMention] = field(default_factory=list)
    oblast_words: str = ""  # source «oblast»: the words that speak of the oblast as a whole

    @property
    def street(self) -> str:
        """The first street named, with its house: «улица Бабушкина, 59»."""
        if not self.streets:
            return ""
        first = self.streets[0]
        return f"{first.street}, {first.house}" if first.house else first.street

    def as_dict(self) -> dict[str, Any]:
        return {
            "municipality_id": self.municipality_id,
            "municipality": self.municipality,
            "settlement_id": self.settlement_id,
            "settlement": self.settlement,
            "street": self.street,
            "source": self.source,
            "mentions": [m.as_dict() for m in self.mentions],
            "streets": [m.as_dict() for m in self.streets],
            **({"whole_oblast": True, "oblast_words": self.oblast_words} if self.source == "oblast" else {}),
        }


def _is_common_word(form: str) -> bool:
    """True when a one-word name is also an ordinary word («луга», «отрадное», «никольское»)."""
    if " " in form or "-" in form:
        return False
    for p in morph().parse(form):
        if p.is_known and not (
            {"Geox", "Name", "Surn", "Patr"} & set(str(p.tag).replace(" ", ",").split(","))
        ):
            return True
    return False


def _is_ambiguous(name: str) -> bool:
    """A name that is also ordinary words: «Луга», «Отрадное», and any two-word name («Сосновый Бор» is also a
    pine forest)."""
    return _is_common_word(norm(name)) or " " in name


# Nouns after which a settlement's adjective-like name is still the settlement: «в Никольском поселении».
SETTLEMENT_NOUNS = frozenset(["поселение", "поселок", "пгт", "сельсовет", "село", "деревня", "город", "мо"])
# Words of a district: an adjective before them that is not one of the oblast's districts names another city's
# district, even when it is also a form of a settlement: «в Приморском районе» (Saint Petersburg), not Приморск.
DISTRICT_WORDS = frozenset(
    ["район", "районе", "района", "районом", "округ", "округе", "округа", "р-н", "р-не"]
)
# Saint Petersburg as written: a district of the same name as the oblast's next to it is the city's
# («Кировский район Петербурга», «СПб, Выборгский р-н»).
SPB_PREFIXES = ("петербург", "санкт", "питер", "спб", "с-пб")  # «Санкт-Петербург» is read part by part
# Words before a name that make it a river, not the town on it: «река Луга в Кингисеппе», «на реке Волхов».
RIVER_WORDS = frozenset(["река", "реки", "реке", "реку", "рекой", "р", "речка", "речки", "речке", "речку"])
# The writer's home, not the problem's place, when another place is named: «Пишу из Луги, но проблема в
# Кингисеппе», «Сама я из Бокситогорска, а мама живёт в Тихвине».
HOME_BEFORE = re.compile(
    r"(?:\b(?:я|мы|сам|сама|сами)\s+(?:\w+\s+)?(?:из|с)"
    r"|\b(?:живу|живем|живём|проживаю|прописан\w*)\s+(?:\w+\s+)?(?:в|во)"
    r"|\b(?:пишу|родом)\s+(?:\w+\s+)?(?:из|с))\s*$",
    re.IGNORECASE,
)
# The longest a `HOME_BEFORE` match can be, with room to spare: two words, a preposition and spaces.
HOME_WINDOW = 120


@lru_cache(maxsize=50_000)
def _adjective_of(word: str, following: str) -> bool:
    """True when ``word`` reads as an adjective agreeing with the noun ``following`` («советский союз»)."""
    nouns = [p for p in morph().parse(following) if p.tag.POS == "NOUN"]
    if not nouns or norm(nouns[0].normal_form) in SETTLEMENT_NOUNS:
        return False
    for a in morph().parse(word):
        if a.tag.POS != "ADJF":
            continue
        for noun in nouns:
            if (
                a.tag.case == noun.tag.case
                and a.tag.number == noun.tag.number
                and (a.tag.number == "plur" or a.tag.gender == noun.tag.gender)
            ):
                return True
    return False


def _extra_forms(name: str, forms: list[str]) -> list[str]:
    extra: list[str] = []
    for f in forms:
        if " район" in f:
            # «Всеволожский р-н», «во всеволожском р-не»
            extra.append(f.replace(" муниципальный", "").replace(" муниципального", ""))
            extra.append(f.split(" район")[0].split(" муниципальн")[0] + " р-н")
    base = norm(name)
    if "-" in base and base.rsplit("-", 1)[1].isdigit():
        extra.append(base.rsplit("-", 1)[0])  # «Янино-1» is written «Янино»
        base = extra[-1]
    words = base.split()
    if " район" not in base and "округ" not in base:
        last = _noun_forms(words[-1])
        if len(words) == 2 and words[0].endswith(tuple(ADJ_ENDINGS)):
            # «Большая Ижора» → «в Большой Ижоре», «Новое Девяткино» → «в Новом Девяткино(е)»
            adjective = _adjective_forms(words[0])
            extra += [f"{a} {n}" for a in adjective for n in last]
        elif len(words) == 1:
            extra += last
    return [e for e in dict.fromkeys(extra) if e not in forms]


ADJ_ENDINGS = {
    "ая": ["ая", "ой", "ую"],
    "яя": ["яя", "ей", "юю"],
    "ый": ["ый", "ого", "ому", "ым", "ом"],
    "ой": ["ой", "ого", "ому", "ым", "им", "ом"],
    "ий": ["ий", "его", "ему", "им", "ем", "ого", "ому", "ом"],
    "ое": ["ое", "ого", "ому", "ым", "ом"],
    "ее": ["ее", "его", "ему", "им", "ем"],
}


def _adjective_forms(word: str) -> list[str]:
    for ending, forms in ADJ_ENDINGS.items():
        if word.endswith(ending):
            return [word[: -len(ending)] + f for f in forms]
    return [word]


def _noun_forms(word: str) -> list[str]:
    """Case forms by the ending, for names pymorphy does not know (Громово, Важины, Кикерино)."""
    stem = word[:-1]
    if word.endswith("бор"):  # «в Сосновом Бору», «в Красном Бору»
        return [word, word + "а", word + "у", word + "ом", word + "е"]
    if word.endswith(("ши", "жи", "чи", "щи")):  # «из Колтушей», «из Кириш»
        return [word, stem, stem + "ей", stem + "ам", stem + "ами", stem + "ах"]
    if word.endswith("ья"):  # «в Рахье»
        return [word, stem + "и", stem + "е", stem + "ю", stem + "ей"]
    if word.endswith(("ово", "ево", "ино", "ыно", "ёво", "но", "цо")):  # «в Тосне», «из Сельца»
        return [word, stem + "а", stem + "у", stem + "ом", stem + "е"]
    if word.endswith(("ицы", "ины", "ары", "ры")):
        return [word, stem, stem + "ам", stem + "ами", stem + "ах"]
    if word.endswith("а"):
        return (
            [word, stem + "ы", stem + "е", stem + "у", stem + "ой"]
            if stem[-1:] not in "гкхжшчщ"
            else [
                word,
                stem + "и",
                stem + "е",
                stem + "у",
                stem + "ой",
            ]
        )
    return [word]


@lru_cache(maxsize=1)
def gazetteer() -> dict[tuple[str, ...], list[Entry]]:
    """Token n-gram → places. Rebuilt when the directory changes (see ``apps.AnalysisConfig.ready``)."""
    from otklik.org.gazetteer import ALIASES, name_forms
    from otklik.org.models import Municipality, Settlement

    index: dict[tuple[str, ...], list[Entry]] = {}

    def add(form: str, entry: Entry) -> None:
        key = tuple(t.norm for t in tokens(form))
        if not key or len(key) > MAX_NGRAM:
            return
        bucket = index.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    municipalities: list[tuple[int | None, str, list[str]]] = []
    settlements: list[tuple[int | None, str, list[str], int | None, str]] = []
    try:
        for m in Municipality.objects.filter(is_active=True):
            municipalities.append((m.pk, m.name, list(m.name_forms or [m.name])))
        for s in Settlement.objects.filter(is_active=True).select_related("municipality"):
            settlements.append(
                (s.pk, s.name, list(s.name_forms or [s.name]), s.municipality_id, s.municipality.name)
            )
    except DatabaseError:  # not migrated yet: the CLI still works from the shipped directory
        municipalities, settlements = [], []
    if not municipalities:
        municipalities, settlements = _shipped_directory()

    for m_id, m_name, m_forms in municipalities:
        forms = [norm(f) for f in m_forms]
        for form in forms + _extra_forms(m_name, forms):
            add(form, Entry("municipality", m_id, m_name, m_id, m_name, False))
    for s_id, s_name, s_forms, s_mid, s_mname in settlements:
        forms = [norm(f) for f in s_forms]
        ambiguous = _is_ambiguous(s_name)
        for form in forms + _extra_forms(s_name, forms):
            add(form, Entry("settlement", s_id, s_name, s_mid, s_mname, ambiguous))
        # Everyday names («Девяткино», «Кузьмолово»), each ambiguous or not by itself.
        for alias in (*ALIASES.get(s_name, ()), *_everyday_names().get(s_name, ())):
            alias_entry = Entry("settlement", s_id, s_name, s_mid, s_mname, _is_ambiguous(alias))
            # pymorphy does not decline every everyday name («Кудры» → «в Кудрах»): the ending does
            extra = _noun_forms(norm(alias)) if " " not in alias else []
            for form in dict.fromkeys([*map(norm, name_forms(alias)), *extra]):
                add(form, alias_entry)
    return index


@lru_cache(maxsize=1)
def _everyday_names() -> dict[str, tuple[str, ...]]:
    """Settlement → everyday names from ``data/place_aliases.tsv`` («Кудры» for Кудрово)."""
    from importlib import resources

    text = resources.files("otklik.analysis").joinpath("data", "place_aliases.tsv").read_text("utf-8")
    names: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            settlement, alias = line.split("\t")
            names[settlement] = (*names.get(settlement, ()), alias.strip())
    return names


def _shipped_directory() -> tuple[
    list[tuple[int | None, str, list[str]]], list[tuple[int | None, str, list[str], int | None, str]]
]:
    """The directory shipped with ``org`` (no ids): a fresh installation whose directory is not loaded yet."""
    import csv
    import json
    from importlib import resources

    from otklik.org.gazetteer import municipality_forms, name_forms

    data = resources.files("otklik.org").joinpath("data")
    rows = csv.DictReader(data.joinpath("municipal_formations.csv").read_text("utf-8").splitlines())
    municipalities: list[tuple[int | None, str, list[str]]] = [
        (None, row["name"], municipality_forms(row["name"])) for row in rows
    ]
    directory = json.loads(data.joinpath("directory.json").read_text("utf-8"))
    settlements: list[tuple[int | None, str, list[str], int | None, str]] = [
        (None, name, name_forms(name), None, m_name)
        for m_name, items in directory["settlements"].items()
        for _, name in items
    ]
    return municipalities, settlements


def reset_gazetteer(**_: Any) -> None:
    from .repeats import reset_places

    gazetteer.cache_clear()
    reset_places()


def find_places(text: str) -> list[PlaceMention]:
    """Every place named in the text, longest match first, left to right."""
    index = gazetteer()
    toks = []
    for t in tokens(text):
        # «Всеволожск-Гатчина»: a hyphenated pair of names that is not itself a name is read part by part.
        if "-" in t.norm and (t.norm,) not in index:
            pos = t.start
            for part in t.text.split("-"):
                if part:
                    toks.append(Token(part, norm(part), pos, pos + len(part)))
                pos += len(part) + 1
        else:
            toks.append(t)
    mentions: list[PlaceMention] = []
    i = 0
    while i < len(toks):
        for n in range(min(MAX_NGRAM, len(toks) - i), 0, -1):
            key = tuple(t.norm for t in toks[i : i + n])
            entries = index.get(key)
            if not entries:
                continue
            first = toks[i]
            written = text[first.start : toks[i + n - 1].end]
            marked = i > 0 and toks[i - 1].norm in PLACE_MARKERS
            chosen = [e for e in entries if not e.ambiguous or written[0].isupper() or marked]
            if n == 1 and i + 1 < len(toks) and _adjective_of(first.norm, toks[i + 1].norm):
                # «Советский Союз», «Никольское кладбище»: an adjective of the next noun, not a place;
                # «в Приморском районе», «в Кировском районе» when no oblast district is so named: another city's
                chosen = [e for e in chosen if not e.ambiguous and toks[i + 1].norm not in DISTRICT_WORDS]
            if i > 0 and toks[i - 1].norm in RIVER_WORDS:
                chosen = [e for e in chosen if e.kind != "settlement"]
            if any(e.kind == "municipality" for e in chosen) and _next_to_spb(toks, i, i + n):
                chosen = [e for e in chosen if e.kind != "municipality"]
            if not chosen:
                continue
            # A settlement is more precise than a district of the same name form.
            chosen.sort(key=lambda e: e.kind != "settlement")
            mentions.append(PlaceMention(chosen[0], written, first.start, toks[i + n - 1].end))
            i += n - 1
            break
        i += 1
    return mentions


def _next_to_spb(toks: list[Token], start: int, end: int) -> bool:
    """True when Saint Petersburg is named right before or after the tokens ``start:end``: «Кировский район
    Петербурга», «в Выборгском районе г. Санкт-Петербурга», «СПб, Выборгский р-н»."""
    after = [t.norm for t in toks[end : end + 3] if t.norm not in {"г", "гор", "города", "городе"}][:1]
    before = [t.norm for t in toks[max(0, start - 2) : start] if t.norm not in {"г", "в", "во"}][-1:]
    return any(word.startswith(SPB_PREFIXES) for word in after + before)


def _writer_home(text: str, mention: PlaceMention) -> bool:
    """True when the mention is where the writer lives or writes from: «я из Луги», «живу в Гатчине». Only the words
    just before the mention are read (`HOME_WINDOW`; the pattern ends at the mention): reading the whole text
    before every mention made a long text's place take minutes."""
    return bool(HOME_BEFORE.search(text, max(0, mention.start - HOME_WINDOW), mention.start))


def _street_adjective(mention: PlaceMention, streets: list[StreetMention]) -> bool:
    """True when the mention is the adjective of a street's name: «на Приозерском шоссе» (not Приозерск),
    «на Кировском проспекте» (not Кировск); «дорога Лодейное Поле — Вознесенье» still names the town."""
    return any(s.start == mention.start and mention.end < s.end for s in streets)


# The oblast as a whole named in a text that names no place in it («по всей области», «в Ленобласти», «жителям
# Ленинградской области»), not as part of a title or an organisation's name («Губернатору Ленинградской области»,
# «ГУ МВД по Ленинградской области», «Комитет по здравоохранению Ленинградской области»): the words just before it
# are read for one (`_OWNER_BEFORE`).
_OBLAST = re.compile(
    r"(?<![а-яё])(?:(?:по|во|для) всей (?:ленинградской )?област(?:и|ь|ью)|по (?:ленинградской )?област(?:и|ью)"
    r"|ленинградск(?:ой|ая|ую) област(?:и|ь|ью|я)|ленобласт(?:и|ь|ью)?)(?![а-яё])",
    re.IGNORECASE,
)
_OWNER_BEFORE = re.compile(
    r"(?<![а-яё])(?:губернатор|правительств|администрац|комитет|инспекц|госжилинспекц|управлени|департамент"
    r"|министерств|мвд|умвд|гу|гку|гбу|гау|гуп|росреестр|роспотребнадзор|прокуратур|собрани|суд|служб|фонд"
    r"|центр|отделени|филиал|агентств|палат|совет|дум|уполномоченн|инспектор|полици|фнс|пфр|сфр)[а-яё]*",
    re.IGNORECASE,
)


def whole_oblast_words(text: str) -> str:
    """The words by which a text that names no place speaks of the oblast as a whole, or "" (the oblast named in a
    title or an organisation's name — up to four words before it — is no place)."""
    for found in _OBLAST.finditer(text or ""):
        before = " ".join(
            re.findall(r"[а-яёa-z]+", text[max(0, found.start() - 60) : found.start()], re.I)[-4:]
        )
        if not _OWNER_BEFORE.search(before):
            return found.group(0)
    return ""


def extract_place(text: str, source_municipality: Any = None) -> PlaceResult:
    """The place of a message: from the text, else from its source's territory, else the oblast as a whole when the
    text speaks of it (`source` «oblast»; R-8.1 suggestion)."""
    streets = find_streets(text)
    mentions = [m for m in find_places(text) if not _street_adjective(m, streets)]
    if mentions:
        # The problem's place before the writer's home: «пишу из Луги, но проблема в Кингисеппе».
        chosen = [m for m in mentions if not _writer_home(text, m)] or mentions
        settlement = next((m.entry for m in chosen if m.entry.kind == "settlement"), None)
        main = settlement or chosen[0].entry
        municipalities = {m.entry.municipality_id for m in mentions}
        confidence = 0.9 if len(municipalities) == 1 else 0.6
        if main.ambiguous and not any(m.entry.kind == "municipality" for m in mentions):
            confidence -= 0.15
        return PlaceResult(
            municipality_id=main.municipality_id,
            municipality=main.municipality,
            settlement_id=settlement.id if settlement else None,
            settlement=settlement.name if settlement else "",
            source="text",
            confidence=confidence,
            mentions=mentions,
            streets=streets,
        )
    if source_municipality is not None:
        return PlaceResult(
            municipality_id=source_municipality.pk,
            municipality=source_municipality.name,
            settlement_id=None,
            settlement="",
            source="source",
            confidence=0.6,
            mentions=[],
            streets=streets,
        )
    words = whole_oblast_words(text)
    if words and not streets:
        return PlaceResult(None, "", None, "", "oblast", 0.6, [], streets, oblast_words=words)
    return PlaceResult(None, "", None, "", "none", 0.0, [], streets)
