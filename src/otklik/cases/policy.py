"""The regulation's durations as data (defaults from order N 148-rg, editable by administrators).

Workflow code never hard-codes a duration: it asks `minutes(key)` / `working_days(key)`. Changing a value
changes new deadlines only; running deadlines keep the due time they were opened with.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

log = logging.getLogger(__name__)

_RID = re.compile(r"R-(\d+(?:\.\d+)*)")


def clause(rid: str, of_regulation: bool = False) -> str:
    """What a person reads for a requirement ID: the project's R-8.3 is clause 8.3 of the regulation, «п. 8.3»
    («п. 8.3 Положения» with `of_regulation`, for a sentence). Code, logs and stored values keep R-IDs; pages,
    exports and alert texts convert them here (and through the `clause` template filter). A value that is no
    R-ID is returned as it is."""
    match = _RID.fullmatch(str(rid or "").strip())
    if match is None:
        return str(rid or "")
    return f"п. {match.group(1)}" + (" Положения" if of_regulation else "")


def with_clause(stage: str, rid: str) -> str:
    """A stage as a person reads it with its clause: «разместить ответ (п. 8.7)» as it is, since the stage's name
    holds its clause; a violation recorded under another clause gets it in front («п. 7.2: направить проект
    (п. 8.4)»). The clause is matched whole: «(п. 8.1)» is not «(п. 8.10)»."""
    c = clause(rid)
    return stage if f"({c})" in stage else f"{c}: {stage}"


@dataclass(frozen=True)
class PolicyDefault:
    key: str
    rid: str
    title: str
    value: int
    unit: str  # "minutes" (working minutes) or "days" (working days)


DEFAULTS: dict[str, PolicyDefault] = {
    d.key: d
    for d in (
        PolicyDefault("reject_window", "R-8.2", "Сообщить куратору о некомпетенции", 60, "minutes"),
        PolicyDefault(
            "overall_normal", "R-8.3", "Подготовить и разместить ответ (обычная важность)", 540, "minutes"
        ),
        PolicyDefault(
            "overall_high", "R-8.3", "Подготовить и разместить ответ (высокая важность)", 240, "minutes"
        ),
        PolicyDefault(
            "draft", "R-8.4", "Направить проект ответа, промежуточного ответа или запроса", 300, "minutes"
        ),
        PolicyDefault("review", "R-8.5", "Согласовать проект или вернуть на доработку", 60, "minutes"),
        PolicyDefault("revise", "R-8.6", "Доработать возвращённый проект", 60, "minutes"),
        PolicyDefault("publish", "R-8.7", "Разместить согласованный ответ", 30, "minutes"),
        PolicyDefault(
            "final_after_interim", "R-8.8", "Окончательный проект после промежуточного ответа", 7, "days"
        ),
        PolicyDefault("part", "R-8.9", "Направить информацию для общего ответа", 300, "minutes"),
        PolicyDefault(
            "compose", "R-8.9", "Подготовить проект общего ответа (по аналогии с п. 8.4)", 300, "minutes"
        ),
        PolicyDefault(
            "gov_first_window", "R-7.2", "Первые рабочие часы мониторинга поста Губернатора", 120, "minutes"
        ),
        PolicyDefault("gov_answer", "R-7.2", "Ответить на вопрос под постом Губернатора", 120, "minutes"),
        PolicyDefault(
            "gov_after_reply", "R-7.3", "Ответить после уточнения автора (пост Губернатора)", 120, "minutes"
        ),
        PolicyDefault(
            "gov_check_every",
            "R-7.4",
            "Проверять новые комментарии под постом Губернатора раз в",
            120,
            "minutes",
        ),
        # R-7.4 "two days" (двое суток) in working time: two standard working days of the 40-hour week, 2 x 8 h.
        PolicyDefault(
            "gov_watch_span",
            "R-7.4",
            "Проверять новые комментарии в течение (двое суток рабочего времени)",
            960,
            "minutes",
        ),
    )
}


class Policy(models.Model):
    """One duration of the regulation, with the clause it comes from."""

    class Unit(models.TextChoices):
        MINUTES = "minutes", "рабочих минут"
        DAYS = "days", "рабочих дней"

    key = models.CharField("ключ", max_length=40, unique=True)
    rid = models.CharField("пункт", max_length=10, help_text="Пункт Положения, из которого взят срок")
    title = models.CharField("что", max_length=200)
    value = models.PositiveIntegerField("значение")
    unit = models.CharField("единица", max_length=10, choices=Unit.choices)

    class Meta:
        verbose_name = "норматив срока"
        verbose_name_plural = "нормативы сроков"
        ordering = ["rid", "key"]

    def __str__(self) -> str:
        return f"{clause(self.rid)} {self.title}: {self.value} {self.get_unit_display()}"

    def clean(self) -> None:
        # A zero term would make every deadline due at the moment it opens (and "0 working days" or
        # "checks every 0 minutes" cannot be computed at all).
        if self.value is not None and self.value < 1:
            raise ValidationError(
                {"value": "Срок должен быть не меньше 1 (ноль или пустой срок не допускается)."}
            )


def _value(key: str) -> int:
    default = DEFAULTS[key]
    stored = Policy.objects.filter(key=key).values_list("value", flat=True).first()
    if stored is not None and int(stored) < 1:  # saved past `clean` (shell, fixture): the regulation's value
        log.error("policy %s has the invalid value %s; using the default %s", key, stored, default.value)
        return default.value
    return int(stored) if stored is not None else default.value


def minutes(key: str) -> int:
    """Working minutes for a minutes-valued policy."""
    assert DEFAULTS[key].unit == "minutes", key
    return _value(key)


def working_days(key: str) -> int:
    assert DEFAULTS[key].unit == "days", key
    return _value(key)


def ensure_defaults() -> int:
    """Create the missing rows from the defaults (used by the data migration and `otklik demo`)."""
    created = 0
    for d in DEFAULTS.values():
        _, was_created = Policy.objects.get_or_create(
            key=d.key, defaults={"rid": d.rid, "title": d.title, "value": d.value, "unit": d.unit}
        )
        created += int(was_created)
    return created
