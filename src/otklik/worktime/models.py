"""Administrators' corrections of the production calendar, layered over the packaged one by `service`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from .calendar import CalendarDataError, DayKind, DayOverride, ProductionCalendar


class CalendarOverride(models.Model):
    """One day changed by an administrator (a late decree, a regional day off)."""

    class Kind(models.TextChoices):
        OFF = "off", "выходной"
        WORKING = "working", "рабочий"
        SHORTENED = "shortened", "сокращённый (предпраздничный)"

    date = models.DateField("дата", unique=True)
    kind = models.CharField("вид дня", max_length=20, choices=Kind.choices)
    hours_like = models.PositiveSmallIntegerField(
        "часы как в день недели",
        null=True,
        blank=True,
        help_text="Для рабочей субботы или воскресенья: 0 — понедельник … 4 — пятница",
    )
    note = models.CharField("основание", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "исправление календаря"
        verbose_name_plural = "исправления календаря"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}: {self.get_kind_display()}"

    def as_override(self) -> DayOverride:
        return DayOverride(kind=DayKind(self.kind), hours_like=self.hours_like, note=self.note)

    def clean(self) -> None:
        if self.hours_like is not None and self.hours_like > 6:
            raise ValidationError({"hours_like": "День недели задаётся числом от 0 (пн) до 6 (вс)."})
        if self.date is not None:
            from .service import current_calendar

            calendar = current_calendar()
            if not calendar.covers(self.date):
                raise ValidationError(
                    {
                        "date": f"Календарь загружен на {calendar.first_year}–{calendar.last_year} годы: "
                        f"сначала добавьте производственный календарь на {self.date.year} год "
                        "(«Годы производственного календаря»)."
                    }
                )


class CalendarYear(models.Model):
    """A year added (or replaced) by an administrator, in the packaged data format."""

    year = models.PositiveSmallIntegerField("год", unique=True)
    data = models.JSONField(
        "данные года",
        help_text='{"off": {"MM-DD": "праздник"}, "shortened": ["MM-DD"], "working_weekend": {"MM-DD": 0}}',
    )
    source = models.CharField("источник (постановление)", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "год производственного календаря"
        verbose_name_plural = "годы производственного календаря"
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.year is None or self.data is None:
            return  # the form's own «Обязательное поле.» says what is missing
        if not isinstance(self.data, dict):
            raise ValidationError(
                {
                    "data": 'Данные года не приняты: нужен объект JSON {"off": {"ММ-ДД": "праздник"}, '
                    '"shortened": ["ММ-ДД"], "working_weekend": {"ММ-ДД": день недели}}.'
                }
            )
        # validated together with the other stored years: 2029 can follow a stored 2028
        others = {
            int(y.year): y.data for y in CalendarYear.objects.exclude(pk=self.pk).exclude(year=self.year)
        }
        try:
            ProductionCalendar.from_package(extra_years={**others, int(self.year): self.data})
        except (CalendarDataError, ValueError, TypeError, KeyError) as exc:
            raise ValidationError({"data": f"Данные года не приняты: {exc}"}) from exc


class BodySchedule(models.Model):
    """A schedule a body worked by before its hours were changed (`worktime.signals`): the moments up to
    `valid_until` are counted by these hours for ever after (`service.worktime_then`), so a report already sent, a
    violation's lateness and the time taken to answer do not change with the body's new hours. The body's current
    schedule is `Body.schedule`, in force from its last row's `valid_until` (from the beginning without rows)."""

    body = models.ForeignKey(
        "org.Body", verbose_name="орган", on_delete=models.CASCADE, related_name="earlier_schedules"
    )
    schedule = models.JSONField("график работы", null=True, blank=True, help_text="Пусто — типовой график")
    valid_from = models.DateTimeField(
        "действовал с", null=True, blank=True, help_text="Пусто — с начала работы"
    )
    valid_until = models.DateTimeField("действовал до")

    class Meta:
        verbose_name = "прежний график работы органа"
        verbose_name_plural = "прежние графики работы органов"
        ordering = ["body", "valid_until", "id"]
        indexes = [models.Index(fields=["body", "valid_until"], name="body_schedule_until")]

    def __str__(self) -> str:
        since = f"с {self.valid_from:%d.%m.%Y %H:%M} " if self.valid_from else ""
        return f"{self.body}: {since}до {self.valid_until:%d.%m.%Y %H:%M}"
