"""Generated reports and the rating formula (R-13)."""

from __future__ import annotations

from typing import Any

from django.core.validators import MinValueValidator
from django.db import models


class ReportRun(models.Model):
    """A report generated for a period (the monthly report on the first working day; once per period)."""

    class Kind(models.TextChoices):
        MONTHLY = "monthly", "ежемесячный отчёт"
        RATING = "rating", "квартальный рейтинг"

    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    period_key = models.CharField("период", max_length=30)
    created_at = models.DateTimeField("сформирован")
    data: models.JSONField[Any, Any] = models.JSONField("показатели", default=dict)
    delivered_at = models.DateTimeField("разослан", null=True, blank=True)

    class Meta:
        verbose_name = "сформированный отчёт"
        verbose_name_plural = "сформированные отчёты"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["kind", "period_key"], name="report_run_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_key}"


class RatingComponent(models.Model):
    """One component of the quarterly rating's formula with its weight (R-13), editable by administrators."""

    class Metric(models.TextChoices):
        ON_TIME = "on_time", "доля ответов в срок (п. 8.3)"
        STAGES_ON_TIME = "stages_on_time", "доля сроков этапов, выполненных вовремя"
        NO_RETURNS = "no_returns", "проекты без возврата на доработку"
        SCORE = "score", "средняя оценка проверки ответа (п. 11), из 100"
        NO_VIOLATIONS = "no_violations", "обращения без нарушений сроков"
        NO_REJECTIONS = "no_rejections", "обращения без отказа по компетенции"

    metric = models.CharField("показатель", max_length=30, choices=Metric.choices, unique=True)
    weight = models.DecimalField(
        "вес",
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[
            MinValueValidator(0, "Вес не может быть отрицательным: 0 — составляющая не учитывается.")
        ],
    )
    description = models.CharField("как считается", max_length=500, blank=True)
    is_active = models.BooleanField("учитывается", default=True)
    order = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        # a masculine name: the admin's own words agree with it («Выберите вес … для изменения», «был изменен»)
        verbose_name = "вес составляющей рейтинга"
        verbose_name_plural = "веса составляющих рейтинга"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} × {self.weight}"
