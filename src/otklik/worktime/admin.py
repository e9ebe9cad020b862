import logging
import re
import xml.etree.ElementTree as ET
from typing import Any
from xml.parsers import expat

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone

from .calendar import CalendarDataError, ProductionCalendar, missing_statutory_holidays
from .models import CalendarOverride, CalendarYear
from .recount import move_open_deadlines, move_other_moments
from .service import calendar_warning, working_calendar
from .xmlcalendar import parse_xmlcalendar


class RecountingAdmin(admin.ModelAdmin[Any]):
    """Every change of the calendar made here moves the open deadlines it touches and the checks still ahead
    under the Governor's posts (`recount`), and says how many moved."""

    def describe(self, obj: Any) -> str:
        return str(obj)

    def _recount(self, request: HttpRequest, before: ProductionCalendar, reason: str) -> None:
        moved = move_open_deadlines(before, reason)
        if moved:
            self.message_user(
                request,
                f"Открытые сроки пересчитаны по изменённому календарю: перенесено {moved}; "
                "в истории обращений указано, с какого времени и на какое.",
                messages.WARNING,
            )
        checks = move_other_moments(before, reason)
        if checks:
            self.message_user(
                request,
                f"Проверки комментариев под постами Губернатора пересчитаны по изменённому календарю: перенесено "
                f"{checks}; на странице поста у каждой указано, с какого времени.",
                messages.WARNING,
            )

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool) -> None:
        before = working_calendar()
        super().save_model(request, obj, form, change)
        self._recount(request, before, self.describe(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before = working_calendar()
        reason = f"удалено: {self.describe(obj)}"
        super().delete_model(request, obj)
        self._recount(request, before, reason)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        before = working_calendar()
        reason = "удалено: " + "; ".join(self.describe(obj) for obj in queryset)
        super().delete_queryset(request, queryset)
        self._recount(request, before, reason)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(RecountingAdmin):
    list_display = ("date", "kind", "hours_like", "note")

    def describe(self, obj: Any) -> str:
        note = f" — {obj.note}" if obj.note else ""
        return f"{obj.date:%d.%m.%Y}: {obj.get_kind_display()}{note}"


MAX_XML_BYTES = 200_000  # a year's calendar.xml is about 2 KB

logger = logging.getLogger(__name__)

# expat's errors of a file that ends before its markup does: a download cut short
_CUT_SHORT = {
    expat.errors.codes[message]
    for message in (
        expat.errors.XML_ERROR_NO_ELEMENTS,
        expat.errors.XML_ERROR_UNCLOSED_TOKEN,
        expat.errors.XML_ERROR_PARTIAL_CHAR,
        expat.errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
    )
}


def unreadable_reason(content: bytes, exc: ET.ParseError | ValueError) -> str:
    """Why an uploaded calendar file does not read, in Russian for the administrator (the parser's own English
    words go to the log): not XML at all, cut short, broken markup at a line, or `parse_xmlcalendar`'s reason (a
    year, a day or a month that is not a number)."""
    if isinstance(exc, ValueError):
        return re.sub(r"^xmlcalendar( \d+)?: ", "", str(exc))
    line, column = getattr(exc, "position", (0, 0))
    code = getattr(exc, "code", None)
    if not content.strip():
        return "файл пуст"
    if code in _CUT_SHORT:
        return f"файл оборван в строке {line}: разметка XML не закончена (скачан не до конца?)"
    if (line, column) == (1, 0) or not content.lstrip().startswith(b"<"):
        return "это не XML (текст или страница с ошибкой вместо календаря)"
    return f"разметка XML нарушена в строке {line}, позиция {column + 1}"


class CalendarYearForm(forms.ModelForm[CalendarYear]):
    """An administrator types or pastes a whole year: besides the format (`CalendarYear.clean`), the year must
    have every public holiday of art. 112 of the Labour Code as a day off. A year entered without them (an
    empty "off", a year with only the transfers) would make the New Year holidays working days and count
    deadlines through them."""

    xml = forms.FileField(
        label="или файл календаря (XML с xmlcalendar.ru)",
        required=False,
        help_text="calendar.xml года: данные года заполнятся из файла (праздники, переносы, сокращённые дни)",
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "data", "source"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["data"].required = False  # or the file
        self.fields["year"].required = False  # or the file's

    def _from_file(self, data: dict[str, Any]) -> None:
        """The year's data from an uploaded xmlcalendar.ru file (`worktime.xmlcalendar`), in place of typed data;
        the year is the file's, and a different year typed beside it is refused."""
        upload = data.get("xml")
        if upload is None and self.has_error("xml"):
            return  # an empty file (Django's «Отправленный файл пуст.»): the file was meant to give the year
        if upload is None:
            if not data.get("data") and not self.has_error("data"):
                self.add_error("data", "Вставьте данные года или загрузите файл календаря.")
            if data.get("year") is None and not self.has_error("year"):
                self.add_error("year", "Укажите год или загрузите файл календаря: год возьмётся из файла.")
            return
        content = upload.read(MAX_XML_BYTES + 1)
        if len(content) > MAX_XML_BYTES:
            self.add_error("xml", "Файл слишком большой для календаря одного года: нужен calendar.xml года.")
            return
        try:
            parsed = parse_xmlcalendar(content)
        except (ValueError, ET.ParseError) as exc:
            logger.warning("calendar file %r refused: %s: %s", upload.name, type(exc).__name__, exc)
            self.add_error(
                "xml",
                f"Файл календаря не прочитан: {unreadable_reason(content, exc)}. "
                "Нужен calendar.xml с xmlcalendar.ru.",
            )
            return
        if data.get("year") not in (None, parsed.year):
            self.add_error("year", f"В файле календарь на {parsed.year} год, а указан {data['year']}.")
            return
        data["year"], data["data"] = parsed.year, parsed.to_year_data()
        self.errors.pop("data", None)
        self.errors.pop("year", None)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._from_file(data)
        year, days = data.get("year"), data.get("data")
        if year is None or not isinstance(days, dict) or self.has_error("data") or self.has_error("year"):
            return data
        others = {
            int(y.year): y.data for y in CalendarYear.objects.exclude(pk=self.instance.pk).exclude(year=year)
        }
        try:
            calendar = ProductionCalendar.from_package(extra_years={**others, int(year): days})
        except (CalendarDataError, ValueError, TypeError, KeyError):
            return data  # the model's own check names the problem
        missing = missing_statutory_holidays(calendar, int(year))
        if missing:
            listed = ", ".join(f"{day:%d.%m.%Y} ({name})" for day, name in missing)
            self.add_error(
                "data",
                f"Данные года не приняты: рабочими получились дни {listed}. Это нерабочие праздничные дни "
                "по ст. 112 Трудового кодекса, в производственном календаре они всегда выходные: укажите их "
                'в "off" — год вносится целиком, со всеми праздниками и переносами из постановления '
                "Правительства.",
            )
        return data


@admin.register(CalendarYear)
class CalendarYearAdmin(RecountingAdmin):
    form = CalendarYearForm
    list_display = ("year", "source", "updated")

    def describe(self, obj: Any) -> str:
        source = f" ({obj.source})" if obj.source else ""
        return f"календарь на {obj.year} год{source}"

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        warning = calendar_warning(timezone.localdate()) if request.method == "GET" else ""
        if warning:  # the years list is where the next one is added: say here too that it is due
            self.message_user(request, warning, messages.WARNING)
        return super().changelist_view(request, extra_context)

    @admin.display(description="обновлено", ordering="updated_at")
    def updated(self, year: CalendarYear) -> object:
        return year.updated_at
