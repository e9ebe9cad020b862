from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from .duty import substitute_candidates
from .models import Absence, Competence, OfficialAccount, Person
from .services import validate_absence


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _with_body(person: Person) -> str:
    return f"{person} ({person.body})" if person.body_id else str(person)


class AbsenceForm(forms.ModelForm[Absence]):
    class Meta:
        model = Absence
        fields = ["person", "reason", "starts_at", "ends_at", "substitute", "comment"]
        widgets = {"starts_at": DateTimeLocalInput(), "ends_at": DateTimeLocalInput()}

    def __init__(self, *args: Any, people: Any = None, substitutes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people  # type: ignore[attr-defined]
        if substitutes is None:  # the admin: anyone who works for some body; the body is checked on saving
            substitutes = substitute_candidates().select_related("body")
        self.fields["substitute"].queryset = substitutes  # type: ignore[attr-defined]
        # Only executors and responsible officials of the absent person's body may substitute: name the body.
        self.fields["substitute"].label_from_instance = _with_body  # type: ignore[attr-defined]
        self.fields[
            "substitute"
        ].help_text = (
            "Исполнитель или ответственное должностное лицо того же органа, что и отсутствующий сотрудник."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, start, end = data.get("person"), data.get("starts_at"), data.get("ends_at")
        if person and start and end:
            try:
                validate_absence(person, start, end, data.get("substitute"), exclude_pk=self.instance.pk)
            except ValidationError as exc:
                for field_name, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(None if field_name == "__all__" else field_name, message)
        return data


class PersonForm(forms.ModelForm[Person]):
    class Meta:
        model = Person
        fields = ["last_name", "first_name", "middle_name", "position", "email", "phone", "body", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Answers, deadlines and violations name a person by the card; without these the login would show.
        self.fields["last_name"].required = True
        self.fields["first_name"].required = True


class CompetenceForm(forms.ModelForm[Competence]):
    class Meta:
        model = Competence
        fields = ["topic", "body", "municipality"]


class OfficialAccountForm(forms.ModelForm[OfficialAccount]):
    class Meta:
        model = OfficialAccount
        fields = ["body", "network", "title", "url", "external_id", "is_public", "is_active"]
