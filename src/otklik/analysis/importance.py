"""Importance (R-8.1, R-8.3): high or normal, with the reasons a curator can check and override."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .text import lemma, tokens

# Lemmas that signal danger to life or health, children, emergencies.
DANGER_LEMMAS = {
    "авария": "авария",
    "аварийный": "авария",
    "пожар": "пожар",
    "гореть": "пожар",
    "загореться": "пожар",
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
    "провал": "провал грунта",
    "чс": "чрезвычайная ситуация",
    "эвакуация": "эвакуация",
}
CHILD_LEMMAS = {"ребенок", "дети", "детский", "школьник", "малыш", "младенец", "школа", "садик", "сад"}
UTILITIES = r"(?:отоплени\w*|тепла|света|электричеств\w*|воды|газа|водоснабжени\w*|газоснабжени\w*)"
NO_UTILITY = re.compile(
    rf"\b(?:нет|без|отключ\w*|отсутств\w*|не дают|не подают)\s+(?:\w+\s+){{0,2}}{UTILITIES}\b"
)
MANY_PEOPLE = re.compile(
    r"\b(?:весь|всего|всем|целый|целого|несколько|многоквартирн\w*)\s+(?:дом\w*|поселк\w*|посел\w*|деревн\w*|"
    r"район\w*|улиц\w*|микрорайон\w*|квартал\w*)|\bсотни\b|\bтысяч\w*\b|\bвсе жители\b|\bжители\b"
)
LARGE_AUDIENCE = 1000


@dataclass
class Importance:
    level: str  # high | normal
    reasons: list[str] = field(default_factory=list)
    confidence: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "reasons": self.reasons}


def _reach(metrics: dict[str, Any] | None) -> int:
    if not metrics:
        return 0
    total = 0
    for key in ("views", "likes", "reposts", "comments", "shares", "audience", "followers"):
        value = metrics.get(key)
        if isinstance(value, int | float):
            total = (
                max(total, int(value)) if key in {"views", "audience", "followers"} else total + int(value)
            )
    return total


def assess(text: str, metrics: dict[str, Any] | None = None, *, governor: bool = False) -> Importance:
    """High importance: danger to life or health, children at risk, no heat, water, power or gas, for many
    people, emergencies, a large audience or the Governor's account."""
    low = text.lower().replace("ё", "е")
    lems = {lemma(t.norm) for t in tokens(text)}
    reasons: list[str] = []
    for lem, reason in DANGER_LEMMAS.items():
        if lem in lems and reason not in reasons:
            reasons.append(reason)
    no_utility = NO_UTILITY.search(low)
    if no_utility:
        reasons.append(f"нет коммунальной услуги: «{no_utility.group()}»")
    children = bool(CHILD_LEMMAS & lems)
    if children and (reasons or "безопасн" in low):
        reasons.append("дети")
    if MANY_PEOPLE.search(low) and (reasons or no_utility):
        reasons.append("затронуто много людей")
    reach = _reach(metrics)
    if reach >= LARGE_AUDIENCE:
        reasons.append(f"большой охват ({reach})")
    if governor:
        reasons.append("сообщение в аккаунте Губернатора")
    level = "high" if reasons else "normal"
    confidence = min(0.95, 0.6 + 0.1 * len(reasons)) if reasons else 0.7
    return Importance(level, reasons, confidence)
