from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.utils import timezone

from otklik.integrations.base import CLOCK_SKEW

from .manual import link_mismatch
from .models import ImportMapping, Network
from .pipeline import EARLIEST
from .text import link_text

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Excel saves tab-separated text («Текст Юникод») as .txt; .tsv is the same format.
IMPORT_EXTENSIONS = (".csv", ".xlsx", ".json", ".jsonl", ".ndjson", ".tsv", ".txt")


class LinkField(forms.URLField):
    """A link without the invisible characters copying it may add (`text.link_text`), before it is checked."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(link_text(value) if isinstance(value, str) else value))


class ManualMessageForm(forms.Form):
    """Bound to the posted data less NUL and controls (`web.typed.posted_text`, `intake.views.manual_entry`)."""

    url = LinkField(label="Ссылка на сообщение", max_length=1000, assume_scheme="https")
    network = forms.ChoiceField(
        label="Сеть", choices=[("", "определить по ссылке"), *Network.choices], required=False
    )
    author_name = forms.CharField(label="Автор", max_length=300, required=False)
    published_at = forms.DateTimeField(label="Дата и время публикации", required=False)
    text = forms.CharField(label="Текст сообщения", widget=forms.Textarea, max_length=20_000)

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"])
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"}:
            raise forms.ValidationError("Укажите ссылку, которая начинается с http:// или https://.")
        # the link is the message's identity (a later entry or fetch finds it by it): a site's main page is none
        if parts.path.strip("/") == "" and not parts.query and not parts.fragment:
            raise forms.ValidationError(
                "Это ссылка на главную страницу сайта, а не на сообщение: откройте сообщение (комментарий, пост) "
                "и скопируйте ссылку на него из адресной строки или из меню «Скопировать ссылку»."
            )
        return url

    def clean_published_at(self) -> datetime | None:
        value: datetime | None = self.cleaned_data.get("published_at")
        if value is not None and value < EARLIEST:  # a typo in the year: the pipeline would not keep it
            raise forms.ValidationError(
                f"Время публикации {timezone.localtime(value):%d.%m.%Y %H:%M} слишком раннее: проверьте год."
            )
        if value is not None and value > timezone.now() + CLOCK_SKEW:
            shown = timezone.localtime(value)
            raise forms.ValidationError(
                f"Время публикации {shown:%d.%m.%Y %H:%M} ещё не наступило: укажите, когда сообщение "
                "было опубликовано."
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        url, network = data.get("url"), data.get("network")
        if url and network:
            problem = link_mismatch(url, network)
            if problem:
                self.add_error("url", problem)
        return data


class ImportForm(forms.Form):
    # The format is told by the file's content (intake.imports.read_rows); the name only has to be one of these.
    file = forms.FileField(label="Файл (CSV, TSV или TXT с разделителями, XLSX, JSON или JSON Lines)")
    mapping = forms.ModelChoiceField(label="Схема колонок", queryset=ImportMapping.objects.all())

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Файл больше 50 МБ")
        if upload.name.lower().endswith(".xls"):
            raise forms.ValidationError(
                "Это книга Excel старого формата (XLS): откройте её в Excel и сохраните как XLSX или CSV"
            )
        if not upload.name.lower().endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError(
                "Поддерживаются файлы CSV, XLSX, JSON и JSON Lines (.jsonl), а также TXT и TSV с "
                "разделителем-табуляцией"
            )
        return upload
