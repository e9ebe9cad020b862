from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.html import format_html

from otklik.intake.manual import NETWORK_DOMAINS, host_of, network_of, on_network
from otklik.integrations.links import link_key
from otklik.worktime.schedule import FIELDS, KEYS_EXPLAINED, WEEKDAY_KEYS

from .duty import substitute_candidates
from .models import Absence, Competence, OfficialAccount, Person
from .services import validate_absence


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


STALE_CARD = (
    "Карточку уже изменил другой сотрудник, пока она была открыта у вас, и ваши изменения не сохранены: "
    "откройте её заново, чтобы увидеть, что изменилось, и внесите свои изменения ещё раз."
)


def saved_state(instance: models.Model, names: Iterable[str]) -> str:
    """A digest of the saved values of the fields a directory form edits: what the card looked like. Names that
    are not the model's (the form's own `seen`, listed among the admin's fields) do not count."""
    values = {}
    for name in sorted(names):
        try:
            field = instance._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete:
            values[name] = field.value_to_string(instance)  # type: ignore[union-attr]
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]


_Card = TypeVar("_Card", bound=models.Model)


class SeenCardForm(forms.ModelForm[_Card]):
    """A directory form that refuses to overwrite a card changed since the page was opened.

    The page carries, in a hidden field, a digest of the card's saved values of the form's fields as the page
    showed them; on saving, the card as it is now (read and locked by the view) must give the same digest. Only
    the form's own fields count, so a change nobody edits here (a person's last sign-in) refuses nothing. A
    post without the field (a page opened before this check existed) is not checked, as case forms without a
    version. The refused form keeps what was typed and the digest it was opened with: it is refused until the
    card is opened again."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    not_compared: tuple[str, ...] = ()  # fields of the form that change by themselves (a last sign-in)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        compared = [name for name in self.fields if name not in self.not_compared]
        self.saved_state = saved_state(self.instance, compared) if self.instance.pk else ""
        self.fields["seen"].initial = self.saved_state

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen = data.get("seen") or ""
        if self.saved_state and seen and seen != self.saved_state:
            raise ValidationError(STALE_CARD, code="stale")
        return data


def _with_body(person: Person) -> str:
    return f"{person} ({person.body})" if person.body_id else str(person)


# What happens to the work of a body's only executor while they are away with no substitute: `on_duty` names
# nobody, so a case sent to the body then gets no executor (`cases.actions._start_assignment`), the cases already
# theirs stay theirs (`cases.actions.doer`) and a missed deadline is reported to the curator (`cases.sla`).
NOBODY_TO_SUBSTITUTE = (
    "В органе нет других сотрудников, которые могут замещать (исполнителей или ответственных должностных лиц), "
    "поэтому замещающего назначить нельзя. На время отсутствия работа никому не перейдёт: новые обращения, "
    "направленные в орган, останутся без исполнителя, начатые останутся за отсутствующим, а о нарушенных "
    "сроках узнает куратор — решение о них примет он. Добавить органу исполнителя может администратор."
)


class SubstituteSelect(forms.Select):
    """The «Замещающий» select of a form on which the absent person can be chosen (R-6): the option of the person
    chosen as absent stays in the page, so that the page's script can offer it again when another person is
    chosen, but it is shown as not to be chosen (hidden and disabled) and never as the current choice."""

    absent: str = ""  # the pk of the person chosen as absent, as the page sends it

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(*args, **kwargs)
        if self.absent and str(option["value"]) == self.absent:
            option["selected"] = False
            option["attrs"].pop("selected", None)
            option["attrs"].update(disabled=True, hidden=True)
        return option


class AbsenceForm(SeenCardForm[Absence]):
    # Declared, not left to the model: the Django admin (which uses this form) turns a model's date and time
    # into its split widget's field, and with this widget that field showed UTC and refused every save.
    starts_at = forms.DateTimeField(label="Начало", widget=DateTimeLocalInput())
    ends_at = forms.DateTimeField(label="Окончание", widget=DateTimeLocalInput())

    class Meta:
        model = Absence
        fields = ["person", "reason", "starts_at", "ends_at", "substitute", "comment"]

    def __init__(self, *args: Any, people: Any = None, substitutes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Said instead of the «Замещающий» select when nobody can be named, else "".
        self.substitute_note = ""
        if people is not None:
            self.fields["person"].queryset = people  # type: ignore[attr-defined]
        if substitutes is None:  # the admin: anyone who works for some body; the body is checked on saving
            substitutes = substitute_candidates().select_related("body")
        absent = list(people[:2]) if people is not None else []
        if len(absent) == 1:
            # The absent person cannot be changed on this form (an executor records their own absence): never
            # offer them as their own substitute, which could only be refused.
            substitutes = substitutes.exclude(pk=absent[0].pk)
            if not substitutes.exists():
                self.substitute_note = NOBODY_TO_SUBSTITUTE
                self.fields["substitute"].widget = forms.HiddenInput()
                self.initial["substitute"] = None  # an old choice cannot be kept: saving clears it
        elif people is not None:
            # The absent person can be changed on this form (a responsible official records her own absence or a
            # colleague's): the one chosen — opened, sent back with errors — is not offered as their own
            # substitute; the page's script follows a new choice, and `validate_absence` refuses what is sent.
            widget = SubstituteSelect()
            chosen = self["person"].value()
            widget.absent = str(getattr(chosen, "pk", chosen)) if chosen not in (None, "") else ""
            self.fields["substitute"].widget = widget
        self.fields["substitute"].queryset = substitutes  # type: ignore[attr-defined]
        # Only executors and responsible officials of the absent person's body may substitute: name the body.
        self.fields["substitute"].label_from_instance = _with_body  # type: ignore[attr-defined]
        self.fields["substitute"].help_text = (
            "Исполнитель или ответственное должностное лицо того же органа, что и отсутствующий сотрудник; "
            "для куратора — другой куратор."
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


class PersonForm(SeenCardForm[Person]):
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


# «Идентификатор в сети» as `intake.official` compares it with a message's author (the field's help text): the
# pattern and what to type instead, per network; networks not named here take any identifier.
_ACCOUNT_IDS: dict[str, tuple[re.Pattern[str], str]] = {
    OfficialAccount.Network.VK: (
        re.compile(r"-?\d+"),
        "для ВКонтакте — id сообщества числом, например 200000001 (из ссылки vk.com/club200000001)",
    ),
    OfficialAccount.Network.TELEGRAM: (
        re.compile(r"-\d+"),
        "для Telegram — id канала или группы числом со знаком минус, например -1001234567890",
    ),
    OfficialAccount.Network.OK: (re.compile(r"\d+"), "для Одноклассников — id группы числом"),
    OfficialAccount.Network.YOUTUBE: (
        re.compile(r"UC[\w-]+"),
        "для YouTube — id канала, начинающийся с UC (из ссылки youtube.com/channel/UC…)",
    ),
}


def account_link_problem(url: str, network: str) -> str:
    """Why an official account's link cannot be of ``network`` (a Russian sentence naming the field), or "".

    The host rule is manual entry's (`intake.manual`: a network with its own domains takes links on them only);
    a link on one of those domains is refused for any other network too, since `intake.official` looks accounts
    up by the network chosen and the account's own comments would come to the curator as residents'."""
    detected = network_of(url)
    label = OfficialAccount.Network(network).label
    host = host_of(url) or "неизвестный адрес"
    if not on_network(url, network):
        hint = (
            f" или выберите сеть «{OfficialAccount.Network(detected).label}»"
            if detected in OfficialAccount.Network.values and detected != OfficialAccount.Network.OTHER
            else ""
        )
        return (
            f"Ссылка ведёт на {host}, а выбрана сеть «{label}»: укажите ссылку на аккаунт в этой сети "
            f"({', '.join(NETWORK_DOMAINS[network])}){hint}."
        )
    if network not in NETWORK_DOMAINS and detected in NETWORK_DOMAINS:
        return (
            f"Ссылка ведёт в сеть «{OfficialAccount.Network(detected).label}» ({host}), а выбрана сеть «{label}»: "
            f"выберите сеть «{OfficialAccount.Network(detected).label}»."
        )
    return ""


def account_id_problem(external_id: str, network: str) -> str:
    """Why «идентификатор в сети» is not what ``network`` needs (a Russian sentence naming the field), or ""."""
    rule = _ACCOUNT_IDS.get(network)
    if rule is None or rule[0].fullmatch(external_id):
        return ""
    return f"Идентификатор в сети «{external_id}» не подходит: {rule[1]}, не @имя и не ссылка."


class OfficialAccountForm(SeenCardForm[OfficialAccount]):
    """R-5: an official account whose link and identifier are of the network chosen — the one `intake.official`
    reads it for."""

    class Meta:
        model = OfficialAccount
        fields = ["body", "network", "title", "url", "external_id", "is_public", "is_active"]

    def clean_external_id(self) -> str:
        return str(self.cleaned_data.get("external_id") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        network, url, external_id = data.get("network"), data.get("url"), data.get("external_id")
        if network and url and "url" not in self.errors:
            problem = account_link_problem(url, network)
            if problem:
                self.add_error("url", problem)
        if network and external_id and "external_id" not in self.errors:
            problem = account_id_problem(external_id, network)
            if problem:
                self.add_error("external_id", problem)
        if network and not self.errors:
            self._refuse_registered(network, url or "", external_id or "")
        return data

    def _refuse_registered(self, network: str, url: str, external_id: str) -> None:
        """R-5: one account, one entry — the same identifier in the network, or the same link written otherwise
        (a trailing slash, «m.», «www.», capitals, http), is the account already registered."""
        others = OfficialAccount.objects.filter(network=network).exclude(pk=self.instance.pk)
        same = others.filter(external_id=external_id).first() if external_id else None
        field = "external_id"
        if same is None:
            key = _link_key(url)
            same = next((a for a in others.only("url", "title", "body") if _link_key(a.url) == key), None)
            field = "url"
        if same is not None:
            self.add_error(
                field,
                f"Этот аккаунт уже есть в реестре: «{same.title}» ({same.body}), {same.url}. "
                "Измените ту запись вместо новой.",
            )


def _link_key(url: str) -> str:
    """An account's link as the same account's other spellings give it: the links' own key
    (`integrations.links.link_key`: host without «www.»/«m.», path without a trailing slash, the scheme and
    tracking parameters ignored), letters' case ignored too."""
    try:
        return link_key(url).lower()
    except ValueError:  # a link `urlsplit` cannot read: compared as written
        return url.strip().lower()


# A body's working hours in the admin (`Body.schedule`, read by `worktime.schedule.WeeklySchedule.from_dict`). The
# example is an ordinary one a body may have — copied into the box it is accepted as it is.
SCHEDULE_EXAMPLE = """{"week": {
  "mon": [["08:00", "12:00"], ["12:45", "17:00"]],
  "tue": [["08:00", "12:00"], ["12:45", "17:00"]],
  "wed": [["08:00", "12:00"], ["12:45", "17:00"]],
  "thu": [["08:00", "12:00"], ["12:45", "17:00"]],
  "fri": [["08:00", "12:00"], ["12:45", "15:45"]]
}}"""

SCHEDULE_HELP = format_html(
    "Пусто — типовой график: пн–чт 9:00–18:00, пт 9:00–16:45, обед 13:00–13:45.<br>"
    'Другой график записывается в JSON: в <code>"week"</code> для каждого рабочего дня недели ({}) — список '
    'промежутков работы <code>["начало", "конец"]</code> по московскому времени; время — ЧЧ:ММ в прямых '
    "двойных кавычках, обед — разрыв между промежутками, день без списка — нерабочий. Образец (пн–чт "
    "8:00–17:00, пт 8:00–15:45, обед 12:00–12:45) — скопируйте и поправьте часы:<pre>{}</pre>"
    "Суббота и воскресенье считаются, только когда производственный календарь делает их рабочими. "
    'Необязательно: <code>"preholiday_cut_minutes": 60</code> — на сколько минут короче предпраздничный '
    'день (по умолчанию на 60), <code>"timezone": "Europe/Moscow"</code> — часовой пояс.',
    KEYS_EXPLAINED,
    SCHEDULE_EXAMPLE,
)

# What Python's JSON reader says, in words an administrator reads (the start of its message).
_JSON_PROBLEMS = (
    (
        "Expecting property name enclosed in double quotes",
        "название поля нужно взять в прямые двойные кавычки",
    ),
    ("Expecting ',' delimiter", "не хватает запятой между значениями (или лишняя скобка)"),
    ("Expecting ':' delimiter", "после названия поля нужно двоеточие"),
    ("Expecting value", "здесь ожидается значение: время в кавычках, список в [ ] или объект в { }"),
    ("Unterminated string", "не закрыты кавычки"),
    ("Invalid control character", "внутри кавычек перенос строки или другой служебный символ"),
    ("Invalid \\escape", "обратная косая черта «\\» внутри кавычек"),
    ("Extra data", "после графика лишний текст (или лишняя закрывающая скобка)"),
)


def _json_problem(exc: json.JSONDecodeError, text: str) -> str:
    why = next((ru for en, ru in _JSON_PROBLEMS if exc.msg.startswith(en)), "запись не по правилам JSON")
    line = text.splitlines()[exc.lineno - 1] if 0 < exc.lineno <= len(text.splitlines()) else ""
    near = line.strip()[:60]
    message = f"График не прочитан: строка {exc.lineno}, знак {exc.colno} — {why}"
    if near:
        message += f" («{near}»)"
    if any(q in text for q in "«»“”„'"):
        message += ". Кавычки нужны прямые двойные \", а не «», “” или '"
    return message + ". Образец — под полем."


def _weekday_order(item: tuple[str, Any]) -> int:
    """Monday first, as a person reads a week (PostgreSQL's jsonb keeps the keys in its own order)."""
    return WEEKDAY_KEYS.index(item[0]) if item[0] in WEEKDAY_KEYS else len(WEEKDAY_KEYS)


class ScheduleField(forms.JSONField):
    """`Body.schedule` in the admin: an empty box for the standard schedule (not «null»), the stored hours one day
    a line, and what is wrong with a typed schedule said in Russian — where the JSON breaks here, which day and
    which time in `Body.clean` (`WeeklySchedule.from_dict`'s messages)."""

    widget = forms.Textarea(attrs={"rows": 9, "cols": 70, "spellcheck": "false"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", SCHEDULE_HELP)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if value is None or value == "":
            return ""
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        if isinstance(value, dict) and isinstance(value.get("week"), dict) and set(value) <= set(FIELDS):
            days = ",\n".join(
                f"  {json.dumps(day)}: {json.dumps(hours, ensure_ascii=False)}"
                for day, hours in sorted(value["week"].items(), key=_weekday_order)
            )
            rest = "".join(
                f",\n{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                for k, v in value.items()
                if k != "week"
            )
            return f'{{"week": {{\n{days}\n}}{rest}}}'
        return json.dumps(value, ensure_ascii=False, indent=2)

    def bound_data(self, data: Any, initial: Any) -> Any:
        """A refused page shows the box as it was typed (not reformatted), for the administrator to correct."""
        if isinstance(data, str) and not self.disabled:
            return forms.fields.InvalidJSONInput(data)
        return super().bound_data(data, initial)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None  # a box left empty (or with a line break): the standard schedule
        if isinstance(value, str):
            try:
                json.loads(value, cls=self.decoder)
            except json.JSONDecodeError as exc:
                raise ValidationError(_json_problem(exc, value), code="invalid") from None
        return super().to_python(value)
