"""What the checker returns: findings with spans, and the result with its score."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One remark on an answer. ``start``/``end`` are character offsets into the answer as given; a finding
    about something missing (no greeting, no substance …) has an empty span at the place where it belongs."""

    code: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CheckResult:
    score: int
    findings: list[Finding] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"score": self.score, "findings": [f.as_dict() for f in self.findings]}

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}


# Finding codes and the short Russian explanation each shows.
MESSAGES: dict[str, str] = {
    "no_greeting": "Нет приветствия: ответ должен начинаться с приветствия (п. 11 Положения).",
    "no_name": "Автор не назван по имени, хотя имя известно.",
    "impolite": "Невежливо по отношению к автору (п. 11 Положения).",
    "bureaucratese": "Канцелярит: так не говорят в соцсетях (п. 11 Положения).",
    "template": "Шаблонная фраза, которая ничего не сообщает (п. 11 Положения).",
    "redirection": "Автора отправляют в другое место без объяснения причины и без контакта (п. 11 Положения).",
    "offtopic_question": "Уточняющий вопрос не относится к сути обращения (п. 11 Положения).",
    "no_substance": "Нет сути: ни факта, ни даты, ни действия, ни места (п. 9 Положения).",
    "missing_measures": "Повторное обращение: не сказано, что сделано или как идёт решение (п. 8.10 Положения).",
    "too_long": "Слишком длинный ответ для этой сети.",
    "format": "Эта сеть покажет разметку как есть, символами.",
    "profanity": "Нецензурное или грубое слово в ответе.",
}
CODES = tuple(MESSAGES)
