"""Machine suggestions and the curator's decisions (ARCHITECTURE.md: "Analysis suggests, people decide")."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    MODERATION = "moderation", "модерация"
    TOPIC = "topic", "тема"
    BODY = "body", "орган"
    PLACE = "place", "место"
    IMPORTANCE = "importance", "важность"
    REPEAT = "repeat", "повтор"
    # not a suggestion: the mark of an analysis that failed on the message (`analysis.failures`)
    ANALYSIS = "analysis", "анализ не выполнен"


class Suggestion(models.Model):
    """One machine suggestion for a message, with its confidence and the model that made it (R-8.1, R-10)."""

    message = models.ForeignKey(
        "intake.Message", verbose_name="сообщение", on_delete=models.CASCADE, related_name="suggestions"
    )
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    value = models.JSONField("значение", default=dict)
    confidence = models.FloatField("уверенность", default=0.0)
    model_version = models.CharField("версия модели", max_length=100, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)

    class Meta:
        verbose_name = "подсказка анализа"
        verbose_name_plural = "подсказки анализа"
        ordering = ["message", "kind", "-created_at"]
        indexes = [
            models.Index(fields=["message", "kind", "-created_at"]),
            # the few messages the moderation ever blocked: where «Исключённые (модерация)» starts looking
            # (cases.views.inbox), instead of testing every unrouted message
            models.Index(
                fields=["message"],
                name="suggestion_blocked",
                condition=models.Q(kind="moderation", value__blocked=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Decision(models.Model):
    """The curator's final choice for a message: the training data for the next model."""

    message = models.ForeignKey(
        "intake.Message", verbose_name="сообщение", on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    value = models.JSONField("значение", default=dict)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто решил",
        null=True,
        on_delete=models.SET_NULL,
        related_name="analysis_decisions",
    )
    decided_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "решение куратора"
        verbose_name_plural = "решения куратора"
        ordering = ["message", "kind", "-decided_at"]
        indexes = [models.Index(fields=["kind", "-decided_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"
