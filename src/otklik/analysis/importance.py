"""Importance (R-8.1, R-8.3): high or normal, with the reasons a curator can check and override."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .text import Token, lemma, morph, tokens

# Lemmas that signal danger to life or health, children, emergencies.
DANGER_LEMMAS = {
    "авария": "авария",
    "аварийный": "авария",
    "пожар": "пожар",
    "задымление": "пожар",
    "взрыв": "взрыв",
    "обрушение": "обрушение",
    "обрушиться": "обрушение",
    "рухнуть": "обрушение",
    "угроза": "угроза жизни или здоровью",
    "опасность": "угроза жизни или здоровью",
    "опасный": "угроза жизни или здоровью",
    "погибнуть": "гибель людей",
    "гибель": "гибель людей",
    "умереть": "гибель людей",
    "смерть": "гибель людей",
    "пострадать": "пострадавшие",
    "травма": "пострадавшие",
    "госпитализировать": "пострадавшие",
    "утечка": "утечка",
    "затопление": "затопление",
    "затопить": "затопление",
    "потоп": "затопление",
    "прорыв": "прорыв трубы",
    "прорвать": "прорыв трубы",
    "пораниться": "пострадавшие",
    "травмироваться": "пострадавшие",
    "покалечиться": "пострадавшие",
    "искрить": "угроза жизни или здоровью",
    "провал": "провал грунта",
    "чс": "чрезвычайная ситуация",
    "эвакуация": "эвакуация",
    "отравиться": "пострадавшие",
    "отравление": "пострадавшие",
    "перелом": "пострадавшие",
    "покусать": "пострадавшие",
    "укусить": "пострадавшие",
    # «собаки нападают на детей», «на женщину напал»
    "напасть": "угроза жизни или здоровью",
    "нападать": "угроза жизни или здоровью",
    "нападение": "угроза жизни или здоровью",
}
# Danger denied: «угрозы жизни нет», «газом не пахнет», «никто не пострадал», «без травм» («чуть не погиб» is
# danger).
DENIAL_BEFORE = frozenset(["не", "ни", "нет", "без", "никакой", "никакого", "никаких", "никакая", "никакую"])
NEAR_MISS = frozenset(["чуть", "едва"])
# «Чтобы не пострадали люди», «пока никто не погиб», «как бы не рухнуло»: a «не» of a fear, not a denial.
FEARED = frozenset(["чтобы", "чтоб", "пока", "бы", "иначе"])
# Danger words in figures of speech: «взрыв эмоций», «умер со смеху», «горят сроки», «горит дедлайн».
FIGURATIVE_AFTER = {
    # «отравление почвы (плодородного слоя, газонов)»: harm to plants and soil, not to people
    "отравление": frozenset(["почва", "слой", "газон", "дерево", "растение", "кустарник", "земля", "грунт"]),
    "взрыв": frozenset(
        [
            "эмоция",
            "возмущение",
            "негодование",
            "недовольство",
            "смех",
            "хохот",
            "восторг",
            "гнев",
            "ярость",
            "радость",
            "интерес",
            "популярность",
            "активность",
            "негатив",
            "критика",
        ]
    ),
}
FIGURATIVE_NEAR = {
    # «напала тоска (лень, зевота)»
    "напасть": frozenset(
        ["тоска", "грусть", "лень", "хандра", "зевота", "икота", "смех", "сон", "паника", "ступор"]
    ),
    "умереть": frozenset(["смеху", "смеха", "скуки", "стыда", "тоски"]),
    "смерть": frozenset(["смеху", "смеха", "скуки", "стыда", "тоски"]),
}
FIGURATIVE_BURN = frozenset(
    [
        "срок",
        "дедлайн",
        "план",
        "отчет",
        "проект",
        "заказ",
        "задание",
        "путевка",
        "билет",
        "глаз",
        "душа",
        "сердце",
        "ухо",
        "щека",
        "лицо",
    ]
)
# An event told as past in its clause is no danger now: «в прошлом году был пожар», «год назад прорвало трубу».
PAST_TIME = re.compile(
    r"\b(?:в прошлом (?:году|месяце)|в позапрошлом году|прошл(?:ой|ым) (?:зимой|летом|осенью|весной)"
    r"|(?:\d+|год|месяц|несколько|пару|два|три|пять) (?:\w+ )?(?:лет|года?|месяц\w*) назад|год назад|давным-давно)"
)
# «Горит» is a fire unless lights are meant: «не горят фонари», «фонари горят днём», «горит красный на светофоре».
FIRE_VERBS = frozenset(["гореть", "загореться"])
LIGHT_LEMMAS = frozenset(
    [
        "фонарь",
        "лампа",
        "лампочка",
        "свет",
        "светофор",
        "освещение",
        "светильник",
        "прожектор",
        "подсветка",
        "гирлянда",
        "иллюминация",
        "табло",
        "вывеска",
        "фара",
        "светодиод",
        "окно",
        # «горит красный (зелёный, жёлтый)»: a traffic light
        "красный",
        "зеленый",
        "желтый",
        "сигнал",
        "плафон",
        "кнопка",
        "кнопочка",
        "индикатор",
        "секция",
        # how a lamp burns: «тускло горит», «горит в пол накала», «то горит, то гаснет»
        "тускло",
        "тусклый",
        "слабо",
        "накал",
        "гаснуть",
        "мигать",
        "светить",
        "перегореть",
    ]
)
# Words that make «горит» a fire even next to a lamp: «горит свет и идёт дым» is still read as a fire.
# «Пожарная лестница», «огни» and «угроза возгорания» are no evidence.
FIRE_EVIDENCE = frozenset(["дым", "пламя", "мчс", "гарь", "задымление"])
_NOT_SUBJECT = {"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"}
_CLAUSE_BREAK = re.compile(r"[.,;:!?\n…()—]")
_SENTENCE_BREAK = re.compile(r"[.;!?\n…]")
CHILD_LEMMAS = {"ребенок", "дети", "детский", "школьник", "малыш", "младенец", "школа", "садик", "сад"}
UTILITIES = r"(?:отоплени\w*|тепла|света|электричеств\w*|воды|газа|водоснабжени\w*|газоснабжени\w*)"
# The same said the other way round, as people write: «воды нет», «свет отключили», «вода не идёт», «газ пропал».
UTILITY_GENITIVE = r"(?:отопления|тепла|света|электричества|воды|газа|водоснабжения|газоснабжения)"
UTILITY_NOMINATIVE = r"(?:отопление|тепло|свет|электричество|вода|воду|газ|водоснабжение|газоснабжение)"
CUT_AFTER = (
    r"(?:отключ(?:ил\w*|ат|ают|ено|ен[аы]?)\b|пропал\w*|не (?:дают|подают)|так и не (?:дали|появил\w*))"
)
NO_UTILITY = re.compile(
    rf"\b(?:нет|без|отключ\w*|отсутств\w*|не дают|не подают)\s+(?:\w+\s+){{0,2}}{UTILITIES}\b"
    r"|\b(?:отключ\w*|пропал\w*)\s+(?:\w+\s+){0,2}(?:свет|вода|воду|газ|тепло|электричество|отопление)\b"
    rf"|\b{UTILITY_GENITIVE}\s+(?:\w+\s+){{0,2}}(?:нет|не было|отсутству\w*)\b"
    rf"|\b{UTILITY_NOMINATIVE}\s+(?:\w+\s+){{0,2}}{CUT_AFTER}"
    r"|\b(?:вода|газ|тепло|отопление)\s+(?:\w+\s+){0,2}не (?:идет|идут|течет|поступает|бежит)\b"
)
# A utility word that belongs to another noun is no cut: «стока воды нет», «на радиаторе отопления отсутствует
# заглушка», «для воды нет» (of «нет … воды» said the other way round).
UTILITY_HEADS = frozenset(
    [
        "сток",
        "радиатор",
        "батарея",
        "труба",
        "стояк",
        "счетчик",
        "регулятор",
        "прибор",
        "кран",
        "система",
        "слив",
        "колонка",
        "напор",
        "качество",
        "температура",
        "лужа",
        "уровень",
        "запах",
        "источник",
        "трубопровод",
    ]
)
UTILITY_PREPOSITIONS = frozenset(["для", "от", "из", "до", "после", "вместо", "без"])
# Room for the four words before a utility word that `_depends_on_noun` reads.
WORDS_WINDOW = 200
_WORD_CHAR = re.compile(r"\w")
# «Нет света» is street or stairwell lighting, not a power cut, when lamps are what the message is about
# («нет света на улице, не горят фонари») or the dark place is outdoors or a common part of a building («нет
# света в подъезде», «на 3 этаже»), unless homes are said to be without power («нет света в домах»,
# «холодильники разморозились», «весь подъезд без света»).
LIGHTING_CONTEXT = re.compile(
    r"\b(?:фонар\w*|освещени\w*|светофор\w*|ламп\w*|светильник\w*|прожектор\w*|плафон\w*)"
)
# Common parts of a building and yards, where «нет света» means a lamp: «нет света на 3 этаже», «в тамбуре».
COMMON_AREA = re.compile(
    r"\b(?:подъезд\w*|парадн\w*|этаж\w*|лестни\w*|коридор\w*|тамбур\w*|холл\w*|в лифте|арк[аеиу]|"
    r"козыр\w*|вход\w*|фасад\w*|двор[еау]?|во дворах)\b"
)
# Right after or right before «нет света», on the text as written: «на улице» outdoors, but not «на улице
# Садовой» (the street's houses).
_DARK = (
    r"(?i:на улице(?!\s+[А-ЯЁ])|во дворе|в подъезде|в парадной|на лестниц\w*|в лифте|на дорог\w*|"
    r"на трасс\w*|в парке|в сквере|на остановк\w*|на (?:детской )?площадке|на тротуар\w*|на переходе)"
)
DARK_PLACE_AFTER = re.compile(rf"\s+{_DARK}")
DARK_PLACE_BEFORE = re.compile(rf"{_DARK}\s+(?:\w+\s+)?$")
# The longest a `DARK_PLACE_BEFORE` match can be, with room to spare: a place («на детской площадке»), a word and
# spaces.
DARK_WINDOW = 120
POWER_CUT = re.compile(
    r"\b(?:во? (?:\w+\s+){0,2}(?:доме|домах|квартир\w*|частн\w*)|квартир\w*|лифт\w*|у всех\b|электричеств\w*|электроэнерги\w*|электроснабжени\w*|"
    r"холодильник\w*|подстанци\w*|поселк\w*|поселени\w*|деревн\w*|сел[еао]\b|снт\b|садоводств\w*|"
    r"весь дом|всем дом\w*|весь подъезд|всем подъезд\w*|обогрев\w*|котел\w*|насос\w*)"
)
MANY_PEOPLE = re.compile(
    r"\b(?:весь|всего|всем|целый|целого|несколько|многоквартирн\w*)\s+(?:дом\w*|поселк\w*|посел\w*|деревн\w*|"
    r"район\w*|улиц\w*|микрорайон\w*|квартал\w*)|\bсотни\b|\bтысяч\w*\b|\bвсе жители\b|\bжители\b"
)
# Danger said in a phrase, not a word: a smell of gas, a near miss, a fallen wire, an open manhole.
DANGER_PHRASES = [
    (
        re.compile(
            r"\b(?:запах\w* газа|газом (?:\w+\s+)?(?:пахнет|пахло|воняет|воняло)|(?:пахнет|пахло|воняет|воняло) газом)"
        ),
        "утечка газа",
    ),
    (
        re.compile(r"\bсломал\w*\s+(?:\w+\s+)?(?:ногу|ноги|руку|руки|ребра|ребро|позвоночник|шейку бедра)\b"),
        "пострадавшие",
    ),
    (
        re.compile(
            r"\b(?:чуть|едва) не\s+(?:\w+\s+)?(?:сбил\w*|задавил\w*|убил\w*|убило|погиб\w*|утонул\w*|"
            r"придавил\w*|пришиб\w*|ударило|ударил\w*|упал\w* на)"
        ),
        "угроза жизни или здоровью",
    ),
    (
        re.compile(r"\bоборва\w*\s+(?:\w+\s+)?провод|\bпровод\w*\s+(?:\w+\s+)?оборва|\bоголенн?\w* провод"),
        "угроза жизни или здоровью",
    ),
    (
        re.compile(
            r"\bоткрыт\w* (?:люк|колод\w*)|\b(?:люк|колод\w*)\s+(?:\w+\s+)?(?:открыт|без крышки)"
            r"|\b(?:люк|колод)\w*[^.!?\n]{0,40}\bкрышк\w* нет\b"
        ),
        "угроза жизни или здоровью",
    ),
    # «увезли в больницу», «попал в реанимацию», «доставили в травмпункт»
    (
        re.compile(
            r"\b(?:увез\w*|забрал\w*|доставил\w*|попал\w*|положил\w*|отвез\w*)\s+(?:\w+\s+){0,2}в "
            r"(?:больниц\w*|реанимаци\w*|травмпункт\w*|травматологи\w*|стационар\w*)"
        ),
        "пострадавшие",
    ),
]
# Danger said with a «не» of its own, which is no denial: the ambulance that does not come («скорая не
# приехала», «скорую ждём третий час»). «Если скорая не приедет» is a fear, not an event.
NEGATIVE_DANGER_PHRASES = [
    (
        re.compile(
            r"\bскор(?:ая|ую|ой)\b(?:\s+помощ\w*)?\s+(?:\w+\s+){0,3}?(?:так и )?не (?:приехал\w*|едет|приезжа\w*|"
            r"доехал\w*|прибыл\w*|пришл\w*)"
            r"|\b(?:не (?:\w+\s+)?дожд\w*|ждем|ждали|ждала|ждал|ждут)\s+(?:\w+\s+){0,2}скор(?:ую|ой)\b"
        ),
        "угроза жизни или здоровью",
    ),
]
IF_BEFORE = frozenset(["если", "вдруг", "когда", "случае", "чтобы", "чтоб"])
# Something heavy falling onto a person: «сосулька упала на женщину», «дерево рухнуло на прохожего», «с крыши
# на ребёнка свалилась глыба льда» (onto a car is damage to property, not to people).
FALL_VERBS = frozenset(
    ["упасть", "падать", "рухнуть", "свалиться", "обрушиться", "обвалиться", "слететь", "сорваться", "сойти"]
)
PERSON_PRONOUNS = frozenset(["меня", "нас", "тебя", "вас", "людей", "человека"])
# Adjectives used as nouns for a person: «на прохожего», «на пожилую».
PASSERS_BY = frozenset(["прохожий", "пожилой", "пешеход"])
# No heating said in everyday words: «не топят», «перестали топить», «отопление так и не включили»,
# «батареи не греют», «холодные батареи». A cold radiator on a stairwell is the stairwell's temperature, not
# homes left without heat (as «нет света» in a stairwell is a lamp).
HEATING_VERBS = frozenset(["топить", "отапливать", "отапливаться"])
HEATERS = frozenset(["отопление", "батарея", "радиатор", "котельная", "котел"])
HEATER_ON = frozenset(
    [
        "включить",
        "включать",
        "дать",
        "давать",
        "подать",
        "подавать",
        "греть",
        "работать",
        "запустить",
        "начать",
    ]
)
COLD_WORDS = re.compile(r"^(?:холодн|ледян)")
STAIRWELL = re.compile(
    r"\b(?:подъезд\w*|парадн\w*|лестни\w*|коридор\w*|тамбур\w*|холл\w*|чердак\w*|подвал\w*)"
)
# Where people live, learn or are treated (not «дом», which every address has).
HOMES = re.compile(
    r"\b(?:квартир\w*|комнат\w*|школ\w*|детск\w* сад\w*|садик\w*|больниц\w*|поликлиник\w*|общежити\w*)"
)
LARGE_AUDIENCE = 1000


@dataclass
class Importance:
    level: str  # high | normal
    reasons: list[str] = field(default_factory=list)
    confidence: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "reasons": self.reasons}


REACH_MAX = frozenset({"views", "audience", "followers", "reach"})  # the largest of these is the reach
REACH_SUM = ("likes", "reposts", "comments", "shares")  # these add up


def counter_value(value: Any) -> int | None:
    """A counter as a network gives it (a number) or a monitoring export writes it («1520», «12 400», «1,5»)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if value >= 0 else None
    if isinstance(value, str):
        text = re.sub(r"\s", "", value)  # «12 400» with any space, no-break and narrow no-break included
        # «1,520» / «1.520» is a thousands separator (a counter has no fractions); «1,5» is a decimal comma
        text = re.sub(r"[,.](?=\d{3}(?:\D|$))", "", text).replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if 0 <= number < float("inf") else None
    return None


def _reach(metrics: dict[str, Any] | None) -> int:
    if not metrics:
        return 0
    total = 0
    for key in (*REACH_MAX, *REACH_SUM):
        value = counter_value(metrics.get(key))
        if value is not None:
            total = max(total, value) if key in REACH_MAX else total + value
    return total


def _is_subject_noun(word: str) -> bool:
    """A common noun, most probably, that can be in the nominative: who or what «горит» («горит дом», «фонари
    горят»); not «красный» (an adjective first) nor «Чкалова» (a surname or a place)."""
    parses = morph().parse(word)
    return parses[0].tag.POS == "NOUN" and any(
        p.tag.POS == "NOUN" and "nomn" in p.tag and not (_NOT_SUBJECT & set(p.tag.grammemes)) for p in parses
    )


def _clauses(text: str) -> list[tuple[int, list[Token]]]:
    """Tokens grouped into clauses, each with its sentence's number: a comma starts a new clause, a full stop
    or a line break a new sentence."""
    out: list[tuple[int, list[Token]]] = []
    sentence = 0
    end = 0
    for tok in tokens(text):
        gap = text[end : tok.start]
        if _SENTENCE_BREAK.search(gap):
            sentence += 1
        if not out or _CLAUSE_BREAK.search(gap):
            out.append((sentence, []))
        out[-1][1].append(tok)
        end = tok.end
    return out


def _after_preposition(clause: list[Token], j: int) -> bool:
    """True when the noun at ``j`` follows a preposition, adjectives aside: «в дневное время», «на столбе»."""
    for k in range(j - 1, -1, -1):
        pos = morph().parse(clause[k].norm)[0].tag.POS
        if pos == "PREP":
            return True
        if pos not in {"ADJF", "PRTF", "NUMR"} and not clause[k].norm.isdigit():
            return False
    return False


def _subject(clause: list[Token], i: int) -> int | None:
    """The nearest noun of the clause that can be who or what «горит» at ``i`` («горит дом», «фонари горят»,
    «горит тусклым светом фонарь»), or None."""
    for j in sorted(range(len(clause)), key=lambda j: abs(j - i)):
        if j != i and _is_subject_noun(clause[j].norm) and not _after_preposition(clause, j):
            return j
    return None


def _negated(clause: list[Token], i: int) -> bool:
    """«Не горит», «не горят уже», «ни один не горит»: what does not burn is no fire."""
    return bool({"не", "ни"} & {t.norm for t in clause[max(0, i - 2) : i]})


def _is_lights(clause: list[Token], i: int, sentence_lemmas: set[str]) -> bool:
    """True when «горит» at ``clause[i]`` is about lights, not a fire: its subject is a lamp («светофор горит
    красным»), or it has no subject and the sentence is about lamps («он то горит, то гаснет»)."""
    subject = _subject(clause, i)
    if subject is not None:
        return lemma(clause[subject].norm) in LIGHT_LEMMAS
    return bool(LIGHT_LEMMAS & sentence_lemmas)


def _fire(clauses: list[tuple[int, list[Token]]]) -> bool:
    """«Горит», «загорелось» meaning a fire; «не горят фонари» is a broken street light. Smoke, flames or
    firefighters in the message make it a fire whatever is said of lamps."""
    sentences: dict[int, set[str]] = {}
    for n, clause in clauses:
        sentences.setdefault(n, set()).update(lemma(t.norm) for t in clause)
    evidence = any(FIRE_EVIDENCE & lems for lems in sentences.values())
    for n, clause in clauses:
        past = _past(clause)
        for i, tok in enumerate(clause):
            if lemma(tok.norm) not in FIRE_VERBS or _negated(clause, i) or past:
                continue
            if evidence:
                return True
            subject = _subject(clause, i)
            if subject is not None and lemma(clause[subject].norm) in FIGURATIVE_BURN:
                continue  # «горят сроки», «глаза горят»
            if not _is_lights(clause, i, sentences[n]):
                return True
    return False


def _past(clause: list[Token]) -> bool:
    """The clause tells of the past: «в прошлом году был пожар», «год назад прорвало трубу»."""
    return bool(PAST_TIME.search(" ".join(t.norm for t in clause)))


def _denied(words: list[str], i: int) -> bool:
    """The danger word at ``i`` is denied: «никто не пострадал», «без травм», «нет угрозы», «угрозы жизни нет»,
    «опасности нет»; not «чуть не погиб»."""
    before = words[max(0, i - 2) : i]
    earlier = set(words[max(0, i - 6) : i])
    # «не пострадал», «не было пожара», «нет угрозы», «никакой опасности», «без травм» — the denial right
    # before the word; «не хватает травмы» denies another word
    denial = bool(before) and (before[-1] in DENIAL_BEFORE or before == ["не", "было"])
    if before and before[-1] == "без" and "не" in earlier:
        denial = False  # «не подняться без травм»
    if denial and not NEAR_MISS & earlier and not FEARED & earlier:
        return True
    after = words[i + 1 : i + 3]
    if not after or not any("gent" in p.tag for p in morph().parse(words[i])):
        return False
    # «угрозы нет», «угрозы жизни нет»: the genitive of negation, with at most one word depending on it
    return after[0] == "нет" or (
        len(after) == 2 and after[1] == "нет" and morph().parse(after[0])[0].tag.POS == "NOUN"
    )


def _figurative(words: list[str], i: int) -> bool:
    """«Взрыв эмоций», «чуть со смеху не умер»: a danger word in a figure of speech."""
    lem = lemma(words[i])
    after = FIGURATIVE_AFTER.get(lem)
    if after and {lemma(w) for w in words[i + 1 : i + 4]} & after:
        return True
    near = FIGURATIVE_NEAR.get(lem)
    return bool(near and near & set(words[max(0, i - 3) : i + 4]))


def _dangers_said(clauses: list[tuple[int, list[Token]]]) -> set[str]:
    """Lemmas of danger words said of now: not denied, not past, not in a figure of speech."""
    said: set[str] = set()
    for _, clause in clauses:
        words = [t.norm for t in clause]
        past = None
        for i, word in enumerate(words):
            lem = lemma(word)
            if lem not in DANGER_LEMMAS or lem in said:
                continue
            if past is None:
                past = _past(clause)
            if not (past or _denied(words, i) or _figurative(words, i)):
                said.add(lem)
    return said


def _phrase_denied(low: str, m: re.Match[str]) -> bool:
    """A danger phrase denied: «газом не пахнет», «запаха газа нет», «никакого запаха газа»."""
    if re.search(r"\b(?:чуть|едва) не\b", m.group()):
        return False  # a near miss is danger: «чуть не сбили ребенка»
    if re.search(r"\bне\b", m.group()):
        return True
    before = re.findall(r"\w+", low[max(0, m.start() - 60) : m.start()])[-5:]
    if FEARED & set(before):
        return False
    after = low[m.end() : m.end() + 12]
    return bool(before and before[-1] in DENIAL_BEFORE) or bool(
        re.match(r"\s+(?:нет|не было|не чувству)", after)
    )


def _negative_danger(low: str) -> bool:
    """`NEGATIVE_DANGER_PHRASES`, unless a condition or a purpose comes first: «если скорая не приедет»."""
    for rx, _ in NEGATIVE_DANGER_PHRASES:
        for m in rx.finditer(low):
            before = re.findall(r"\w+", low[max(0, m.start() - 40) : m.start()])[-4:]
            if not IF_BEFORE & set(before):
                return True
    return False


def _onto_person(clause: list[Token], i: int) -> bool:
    """After a falling verb at ``i``: «на» and then a person it fell on, adjectives aside («на женщину», «на
    пожилую женщину», «на прохожего», «на меня»)."""
    for j in range(i + 1, min(len(clause), i + 3)):
        if clause[j].norm != "на":
            continue
        for k in range(j + 1, min(len(clause), j + 4)):
            word = clause[k].norm
            if word in PERSON_PRONOUNS or lemma(word) in PASSERS_BY:
                return True
            parses = morph().parse(word)
            if any(
                p.tag.POS == "NOUN"
                and "anim" in p.tag
                and "accs" in p.tag
                and not (_NOT_SUBJECT & set(p.tag.grammemes))
                for p in parses
            ):
                return True
            if parses[0].tag.POS not in {"ADJF", "PRTF", "NUMR"}:
                break
    return False


def _fell_on_person(clauses: list[tuple[int, list[Token]]]) -> bool:
    """«Сосулька упала на женщину», «дерево рухнуло на прохожего»: not told as past years ago, not denied."""
    for _, clause in clauses:
        for i, tok in enumerate(clause):
            fell = lemma(tok.norm) in FALL_VERBS and not _negated(clause, i)
            if fell and _onto_person(clause, i) and not _past(clause):
                return True
    return False


def _no_heating(text: str, clauses: list[tuple[int, list[Token]]], low: str) -> str | None:
    """Homes (a school, a kindergarten) without heat said in everyday words, as written in the text: «не
    топят», «отопление так и не включили», «батареи не греют», «холодные батареи»; None when not said, or said
    of a stairwell and no home («в парадной холодные батареи»)."""
    if STAIRWELL.search(low) and not HOMES.search(low):
        return None
    for _, clause in clauses:
        if _past(clause):
            continue
        lems = [lemma(t.norm) for t in clause]
        heaters = [i for i, lem in enumerate(lems) if lem in HEATERS]
        for i, lem in enumerate(lems):
            if lem in HEATING_VERBS and (_negated(clause, i) or (i > 0 and lems[i - 1] == "перестать")):
                return text[clause[_negation_start(clause, i)].start : clause[i].end]
            if not heaters:
                continue
            cold = bool(COLD_WORDS.match(clause[i].norm)) and not _negated(clause, i)
            off = lem in HEATER_ON and _negated(clause, i)
            near = min(heaters, key=lambda h: abs(h - i))
            if (cold or off) and abs(near - i) <= 4:
                a = min(near, _negation_start(clause, i) if off else i)
                return text[clause[a].start : clause[max(near, i)].end]
    return None


def _negation_start(clause: list[Token], i: int) -> int:
    """Where the negation of the word at ``i`` begins: «не топят» → the «не», «перестали топить» → «перестали»."""
    for k in range(i - 1, max(-1, i - 3), -1):
        if clause[k].norm in {"не", "ни"} or lemma(clause[k].norm) == "перестать":
            return k
    return i


def _no_utility(text: str, low: str) -> re.Match[str] | None:
    """The first «нет света/воды/тепла/газа» that is a cut of a utility, skipping dark streets and stairwells."""
    # What the whole text says of lamps and homes is read once, not for every «нет света».
    lighting: bool | None = None
    lighting_read = False
    for m in NO_UTILITY.finditer(low):
        if any(w.startswith("свет") for w in m.group().split()):
            if not lighting_read:
                lighting, lighting_read = _lighting_said(low), True
            if _street_lighting(text, low, m, lighting):
                continue
        if re.match(UTILITY_GENITIVE, m.group()) and _depends_on_noun(low, m.start()):
            continue
        return m
    return None


def _depends_on_noun(low: str, start: int) -> bool:
    """True when the word before ``start`` (adjectives skipped) is a noun or a preposition the utility word
    depends on: «стока (ливневой) воды нет», «для воды нет»."""
    for word in reversed(_words_before(low, start, 4)):
        if word in UTILITY_PREPOSITIONS or lemma(word) in UTILITY_HEADS:
            return True
        if morph().parse(word)[0].tag.POS not in {"ADJF", "PRTF"}:
            return False
    return False


def _words_before(low: str, start: int, n: int) -> list[str]:
    """The last ``n`` words before ``start``, read from the `WORDS_WINDOW` characters before it (a word the window
    cuts is left out): reading the whole text before every utility word made a long text take minutes."""
    begin = max(0, start - WORDS_WINDOW)
    words = re.findall(r"\w+", low[begin:start])
    if words and begin > 0 and _WORD_CHAR.match(low, begin - 1) and _WORD_CHAR.match(low, begin):
        words = words[1:]
    return words[-n:]


def _lighting_said(low: str) -> bool | None:
    """What the whole text says of «нет света»: False when homes are without power (it is a power cut), True when
    lamps or a common part of a building are what it is about (it is lighting), None when neither (the place right
    next to each «нет света» decides)."""
    if POWER_CUT.search(low):
        return False
    if LIGHTING_CONTEXT.search(low) or COMMON_AREA.search(low):
        return True
    return None


def _street_lighting(text: str, low: str, m: re.Match[str], said: bool | None) -> bool:
    """Whether «нет света» at ``m`` is street or stairwell lighting; ``said`` is `_lighting_said` of the text. The
    dark place before it is looked for in the `DARK_WINDOW` characters before it, not in the whole text."""
    if said is not None:
        return said
    written = text if len(text) == len(low) else low  # offsets of ``low`` are the text's (ё → е keeps them)
    return bool(
        DARK_PLACE_AFTER.match(written, m.end())
        or DARK_PLACE_BEFORE.search(written, max(0, m.start() - DARK_WINDOW), m.start())
    )


def assess(text: str, metrics: dict[str, Any] | None = None, *, governor: bool = False) -> Importance:
    """High importance: danger to life or health, children at risk, no heat, water, power or gas, for many
    people, emergencies, a large audience or the Governor's account."""
    low = text.lower().replace("ё", "е")
    clauses = _clauses(text)  # tokenised once for every rule below
    lems = {lemma(t.norm) for _, clause in clauses for t in clause}
    reasons: list[str] = []
    if _fire(clauses):
        reasons.append("пожар")
    said = _dangers_said(clauses)
    for lem, reason in DANGER_LEMMAS.items():
        if lem in said and reason not in reasons:
            reasons.append(reason)
    for rx, reason in DANGER_PHRASES:
        if reason not in reasons and any(not _phrase_denied(low, m) for m in rx.finditer(low)):
            reasons.append(reason)
    danger = "угроза жизни или здоровью"
    if danger not in reasons and (_negative_danger(low) or _fell_on_person(clauses)):
        reasons.append(danger)
    match = _no_utility(text, low)
    no_utility = match.group() if match else _no_heating(text, clauses, low)
    if no_utility:
        reasons.append(f"нет коммунальной услуги: «{no_utility}»")
    children = bool(CHILD_LEMMAS & lems)
    if children and (reasons or "безопасн" in low):
        reasons.append("дети")
    if MANY_PEOPLE.search(low) and (reasons or no_utility):
        reasons.append("затронуто много людей")
    reach = _reach(metrics)
    if reach >= LARGE_AUDIENCE:
        # what the number counts, so the curator can weigh it (the largest of views, audience, followers and
        # reach, plus reactions)
        reasons.append(f"большой охват (просмотры или аудитория и реакции: {reach:,})".replace(",", "\u00a0"))
    if governor:
        reasons.append("сообщение в аккаунте Губернатора")
    level = "high" if reasons else "normal"
    confidence = min(0.95, 0.6 + 0.1 * len(reasons)) if reasons else 0.7
    return Importance(level, reasons, confidence)
