from __future__ import annotations

from typing import Any

from django import forms

from .models import ImportMapping, Network

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class ManualMessageForm(forms.Form):
    url = forms.URLField(label="Ссылка на сообщение", max_length=1000, assume_scheme="https")
    network = forms.ChoiceField(
        label="Сеть", choices=[("", "определить по ссылке"), *Network.choices], required=False
    )
    author_name = forms.CharField(label="Автор", max_length=300, required=False)
    published_at = forms.DateTimeField(label="Дата и время публикации", required=False)
    text = forms.CharField(label="Текст сообщения", widget=forms.Textarea, max_length=20_000)


class ImportForm(forms.Form):
    file = forms.FileField(label="Файл (CSV, XLSX или JSON)")
    mapping = forms.ModelChoiceField(label="Схема колонок", queryset=ImportMapping.objects.all())

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Файл больше 50 МБ")
        if not upload.name.lower().endswith((".csv", ".xlsx", ".json")):
            raise forms.ValidationError("Поддерживаются файлы CSV, XLSX и JSON")
        return upload
