from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableAuditError("Записи журнала изменений нельзя изменять.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableAuditError("Записи журнала изменений нельзя удалять.")


class ImmutableAuditError(Exception):
    """Raised on any attempt to change or delete an audit row."""


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "создание"
        UPDATE = "update", "изменение"
        DELETE = "delete", "удаление"

    at = models.DateTimeField("когда", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField("кто (имя на момент изменения)", max_length=300, blank=True)
    action = models.CharField("действие", max_length=10, choices=Action.choices)
    model = models.CharField("объект (тип)", max_length=100, db_index=True)
    object_pk = models.CharField("объект (id)", max_length=64, db_index=True)
    object_repr = models.CharField("объект", max_length=300)
    before = models.JSONField("было", null=True, blank=True)
    after = models.JSONField("стало", null=True, blank=True)
    reason = models.CharField("основание", max_length=300, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "запись журнала изменений"
        verbose_name_plural = "журнал изменений"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%d.%m.%Y %H:%M} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableAuditError("Записи журнала изменений нельзя изменять.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableAuditError("Записи журнала изменений нельзя удалять.")

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
