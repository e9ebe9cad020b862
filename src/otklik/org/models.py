from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

# `org.loaders.load_directory` finds each row it loaded by the key of its line in the data (`directory_key`), never by
# its name: a row the administrator renamed is not loaded a second time.
DIRECTORY_KEY_HELP = (
    "Строка начального справочника (otklik demo), из которой загружена запись: по ней повторная загрузка узнаёт "
    "запись и после переименования. Пусто — запись добавлена вручную"
)


def directory_key_field() -> models.CharField[str, str]:
    """The `directory_key` of a municipal formation, a settlement or a body (unique where filled: each model's
    Meta has its constraint)."""
    return models.CharField(
        "ключ в начальном справочнике",
        max_length=100,
        blank=True,
        editable=False,
        help_text=DIRECTORY_KEY_HELP,
    )


class Municipality(models.Model):
    """A top-level municipal formation of Leningrad Oblast (municipal district or city district)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", "муниципальный район"
        CITY_DISTRICT = "city_district", "городской округ"
        MUNICIPAL_OKRUG = "municipal_okrug", "муниципальный округ"

    name = models.CharField("название", max_length=200, unique=True)
    kind = models.CharField("вид", max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    admin_center = models.CharField("административный центр", max_length=100, blank=True)
    population = models.PositiveIntegerField("население", null=True, blank=True)
    name_forms = models.JSONField(
        "формы названия для поиска в тексте",
        default=list,
        blank=True,
        help_text="Словоформы в нижнем регистре: «гатчинский район», «гатчинском районе» …",
    )
    is_active = models.BooleanField("действует", default=True)
    directory_key = directory_key_field()

    class Meta:
        verbose_name = "муниципальное образование"
        verbose_name_plural = "муниципальные образования"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["directory_key"], condition=~Q(directory_key=""), name="municipality_directory_key"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Settlement(models.Model):
    """A settlement (город, посёлок, деревня …) inside a municipal formation, for place matching."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципальное образование",
        on_delete=models.PROTECT,
        related_name="settlements",
    )
    name = models.CharField("название", max_length=200)
    kind = models.CharField("тип", max_length=50, blank=True, help_text="город, посёлок, деревня …")
    name_forms = models.JSONField("формы названия для поиска в тексте", default=list, blank=True)
    is_active = models.BooleanField("действует", default=True)
    directory_key = directory_key_field()

    class Meta:
        verbose_name = "населённый пункт"
        verbose_name_plural = "населённые пункты"
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name", "kind"], name="settlement_unique_name"),
            models.UniqueConstraint(
                fields=["directory_key"], condition=~Q(directory_key=""), name="settlement_directory_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}".strip()


class TopicGroup(models.Model):
    name = models.CharField("группа тем", max_length=200, unique=True)
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        verbose_name = "группа тем"
        verbose_name_plural = "группы тем"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """A topic of the ЦУР taxonomy (editable)."""

    group = models.ForeignKey(
        TopicGroup, verbose_name="группа тем", on_delete=models.PROTECT, related_name="topics"
    )
    name = models.CharField("тема", max_length=300)
    code = models.CharField("код", max_length=50, blank=True, help_text="Идентификатор во внешней таксономии")
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        verbose_name = "тема"
        verbose_name_plural = "темы"
        ordering = ["group__name", "name"]
        constraints = [models.UniqueConstraint(fields=["group", "name"], name="topic_unique_in_group")]

    def __str__(self) -> str:
        return self.name


class Body(models.Model):
    """An executive body of the Oblast or a municipal administration (R-3, R-4.1)."""

    class Level(models.TextChoices):
        OBLAST = "oblast", "орган исполнительной власти области"
        MUNICIPAL = "municipal", "администрация муниципального образования"

    name = models.CharField("полное название", max_length=300, unique=True)
    short_name = models.CharField("краткое название", max_length=100, blank=True)
    level = models.CharField("уровень", max_length=20, choices=Level.choices, default=Level.OBLAST)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципальное образование",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
        help_text="Для администрации муниципального образования",
    )
    is_coordinator = models.BooleanField(
        "координатор (управление информационной политики)",
        default=False,
        help_text="Орган, сотрудники которого выступают кураторами (п. 3 Положения)",
    )
    schedule = models.JSONField(
        "график работы",
        null=True,
        blank=True,
        help_text="Пусто — типовой график: пн–чт 9:00–18:00, пт 9:00–16:45, обед 13:00–13:45",
    )
    email = models.EmailField("электронная почта", blank=True)
    phone = models.CharField("телефон", max_length=50, blank=True)
    to_verify = models.BooleanField(
        "требует проверки",
        default=False,
        help_text="Данные загружены из открытых источников и должны быть сверены с положением об органе",
    )
    is_active = models.BooleanField("действует", default=True)
    directory_key = directory_key_field()

    class Meta:
        verbose_name = "орган"
        verbose_name_plural = "органы"
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["directory_key"], condition=~Q(directory_key=""), name="body_directory_key"
            ),
            models.CheckConstraint(
                condition=Q(level="oblast") | Q(municipality__isnull=False),
                name="municipal_body_has_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.schedule:
            from otklik.worktime.schedule import ScheduleError, WeeklySchedule

            try:
                schedule = WeeklySchedule.from_dict(self.schedule)
            except ScheduleError as exc:
                errors["schedule"] = f"График не принят: {exc}"
            else:
                # Saturdays and Sundays are days off in the production calendar (their hours count only on a
                # working Saturday that takes a weekday's hours): without weekday hours no deadline of the body
                # could be counted, and every dispatch to it would fail.
                if not any(schedule.week[:5]):
                    errors["schedule"] = (
                        "График не принят: нет рабочих часов с понедельника по пятницу. Суббота и воскресенье "
                        "по производственному календарю выходные, и сроки органа по такому графику не посчитать."
                    )
        # The database refuses these too (constraint `municipal_body_has_municipality`), but only with its name.
        if self.level == self.Level.MUNICIPAL and self.municipality_id is None:
            errors["municipality"] = (
                "Для администрации муниципального образования укажите её муниципальное образование."
            )
        elif self.level == self.Level.OBLAST and self.municipality_id is not None:
            errors["municipality"] = (
                "Орган исполнительной власти области не относится к одному муниципальному образованию: "
                "оставьте поле пустым или выберите уровень «администрация муниципального образования»."
            )
        if self.level == self.Level.MUNICIPAL and self.is_coordinator:
            errors["is_coordinator"] = (
                "Координатор — Управление информационной политики области: он направляет обращения органам и видит "
                "все обращения области. Администрация муниципального образования отвечает на обращения своего "
                "муниципального образования: снимите отметку «координатор»."
            )
        if self.level == self.Level.MUNICIPAL and self.pk is not None and "level" not in errors:
            roles = whole_oblast_roles(Role.objects.filter(Q(body_id=self.pk) | Q(person__body_id=self.pk)))
            if roles:
                errors["level"] = (
                    f"У сотрудников органа роли, которые видят все обращения области: {roles}. Администрации "
                    "муниципального образования они не даются — сначала измените эти роли в разделе «Роли», затем "
                    "сохраните орган."
                )
        if self.level == self.Level.MUNICIPAL and self.pk is not None and "municipality" not in errors:
            outside = self._competences_outside()
            if outside:
                errors["municipality"] = (
                    f"Администрация отвечает только за своё муниципальное образование, а в матрице компетенций она "
                    f"указана {outside}. Сначала исправьте или удалите эти строки в «Компетенциях», затем "
                    "сохраните орган."
                )
        if not self.is_active and "is_active" not in errors:
            open_cases = self._open_cases_on_deactivation()
            if open_cases:
                numbers = ", ".join(f"№ {pk}" for pk in open_cases[:10])
                more = f" и ещё {len(open_cases) - 10}" if len(open_cases) > 10 else ""
                errors["is_active"] = (
                    f"Орган нельзя отключить: у него обращения в работе ({numbers}{more}). Их сроки идут, "
                    "а органа не будет в списках. Сначала куратор передаёт их другому органу "
                    "(«Назначить другой орган» в карточке обращения)."
                )
        if errors:
            raise ValidationError(errors)

    def _competences_outside(self) -> str:
        """Where this body, made (or kept) a municipal administration, is competent beyond its municipal formation
        (R-3, R-4.1; `Competence.clean` refuses such rows): «по всей области по теме …», «в «…» по теме …»; ""
        when nowhere. Routing would otherwise offer the administration for another district's messages."""
        if self.municipality_id is None:
            return ""
        rows = (
            Competence.objects.filter(body_id=self.pk)
            .exclude(municipality_id=self.municipality_id)
            .select_related("topic", "municipality")
            .order_by("topic__name")
        )
        said = [
            (f"в «{c.municipality}»" if c.municipality_id else "по всей области") + f" по теме «{c.topic}»"
            for c in rows[:5]
        ]
        more = rows.count() - len(said)
        return "; ".join(said) + (f" (и ещё строк: {more})" if more > 0 else "")

    def _open_cases_on_deactivation(self) -> list[int]:
        """The cases still worked on by this body when an active body is being switched off (R-3)."""
        if self.pk is None or not Body.objects.filter(pk=self.pk, is_active=True).exists():
            return []
        from django.apps import apps

        assignment = apps.get_model("cases", "Assignment")
        case = apps.get_model("cases", "Case")
        return list(
            assignment.objects.filter(body_id=self.pk)
            .exclude(state__in=[*assignment.GONE, assignment.State.DONE])
            .exclude(case__status=case.Status.CLOSED)
            .order_by("case_id")
            .values_list("case_id", flat=True)
            .distinct()
        )


class PersonManager(UserManager["Person"]):
    pass


class Person(AbstractUser):
    """A member of staff who signs in. Roles are held through `Role` rows."""

    middle_name = models.CharField("отчество", max_length=150, blank=True)
    body = models.ForeignKey(
        Body,
        verbose_name="орган",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    position = models.CharField("должность", max_length=300, blank=True)
    phone = models.CharField("телефон", max_length=50, blank=True)
    mail_notices = models.BooleanField(
        "уведомления по обращениям на почту",
        default=True,
        help_text="Напоминания о сроках, нарушения, новая работа: в системе всегда, на почту — если отмечено. "
        "Срочные оповещения (п. 14) и отчёты приходят на почту всегда.",
    )

    objects: ClassVar[PersonManager] = PersonManager()

    class Meta:
        verbose_name = "сотрудник"
        verbose_name_plural = "сотрудники"
        ordering = ["last_name", "first_name", "middle_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def get_short_name(self) -> str:
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.middle_name) if p)
        return f"{self.last_name} {initials}".strip() or self.username

    def clean(self) -> None:
        super().clean()
        # a person moved to a municipal administration keeps no role that reads the whole oblast
        if self.pk is not None and self.body is not None and self.body.level == Body.Level.MUNICIPAL:
            roles = whole_oblast_roles(Role.objects.filter(person_id=self.pk))
            if roles:
                raise ValidationError(
                    {
                        "body": f"У сотрудника роли, которые видят все обращения области: {roles}. "
                        f"{municipal_roles_hint(self.body)} Сначала измените роли в разделе «Роли», затем укажите "
                        "орган."
                    }
                )

    # Role checks used by views and templates. Cached per instance (one query per request).
    def role_kinds(self) -> set[str]:
        cached: set[str] | None = getattr(self, "_role_kinds", None)
        if cached is None:
            cached = set(self.roles.values_list("kind", flat=True)) if self.pk else set()
            if self.is_superuser:
                cached.add(Role.Kind.ADMINISTRATOR)
            self._role_kinds = cached
        return cached

    def has_role(self, *kinds: str) -> bool:
        return bool(self.role_kinds() & set(kinds))

    @property
    def is_administrator(self) -> bool:
        return self.has_role(Role.Kind.ADMINISTRATOR)

    # The role «администратор» is what the admin's pages ask of a person: every model there, as for a superuser
    # (its «статус персонала», the admin's door, comes with the role too: `org.signals`). Taking the role away takes
    # both; Django's own flags and permissions (createsuperuser's account) stay as they were set.
    def has_perm(self, perm: str, obj: models.Model | None = None) -> bool:
        if self.is_active and self.is_administrator:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.is_administrator:
            return True
        return super().has_module_perms(app_label)

    @property
    def is_curator(self) -> bool:
        return self.has_role(Role.Kind.CURATOR)

    @property
    def is_observer(self) -> bool:
        return self.has_role(Role.Kind.OBSERVER)

    def responsible_body_ids(self) -> set[int]:
        return set(self.roles.filter(kind=Role.Kind.RESPONSIBLE).values_list("body_id", flat=True))


class Role(models.Model):
    """A role a person holds; body-bound for responsible officials and executors (R-6)."""

    class Kind(models.TextChoices):
        ADMINISTRATOR = "administrator", "администратор"
        CURATOR = "curator", "куратор"
        RESPONSIBLE = "responsible", "ответственное должностное лицо"
        EXECUTOR = "executor", "исполнитель"
        OBSERVER = "observer", "наблюдатель"

    BODY_BOUND = (Kind.RESPONSIBLE, Kind.EXECUTOR)

    person = models.ForeignKey(
        Person, verbose_name="сотрудник", on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField("роль", max_length=20, choices=Kind.choices)
    body = models.ForeignKey(
        Body,
        verbose_name="орган",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roles",
    )

    class Meta:
        verbose_name = "роль"
        verbose_name_plural = "роли"
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "body"], name="role_unique"),
            # the one above lets a role of no body (curator, observer, administrator) in twice: NULLs differ
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(body__isnull=True),
                name="role_unique_without_body",
                violation_error_message="У сотрудника уже есть эта роль.",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["responsible", "executor"]) | Q(body__isnull=False),
                name="role_body_required",
            ),
        ]

    def __str__(self) -> str:
        suffix = f" ({self.body})" if self.body_id else ""
        return f"{self.person}: {self.get_kind_display()}{suffix}"

    def clean(self) -> None:
        # The database refuses it too (constraint `role_body_required`), but only with its name.
        if self.kind in self.BODY_BOUND and self.body_id is None:
            raise ValidationError({"body": f"Для роли «{self.get_kind_display()}» укажите орган."})
        # –4.3: a curator coordinates for the whole installation (every case is open to her), so the role
        # is the information policy office's; an observer reads the whole installation (the vice-governor's
        # office). Neither is a role of an administration's people, who see their own administration's cases only
        # (decision 0001) — whether the role names the administration or the person's card does.
        # the person's card: the saved person's, or the one being added on the same page (not saved yet)
        person = Role.person.field.get_cached_value(self, None)
        if person is None and self.person_id:
            person = self.person
        card = person.body if isinstance(person, Person) else None
        for where, field in ((self.body, "body"), (card, "kind")):
            if self.kind in WHOLE_OBLAST_ROLES and where is not None and where.level == Body.Level.MUNICIPAL:
                raise ValidationError(
                    {field: f"{WHOLE_OBLAST_ROLES[self.kind]} {municipal_roles_hint(where)}"}
                )
        if self.kind == self.Kind.CURATOR and self.body is not None and not self.body.is_coordinator:
            raise ValidationError(
                {
                    "body": f"{WHOLE_OBLAST_ROLES[self.kind]} Оставьте поле «орган» пустым или выберите управление; "
                    f"сотрудникам «{self.body}» дайте роли «исполнитель» или «ответственное должностное лицо»."
                }
            )


# the roles that read every case of the oblast, with why, for the refusals of the directory
WHOLE_OBLAST_ROLES = {
    "curator": "Роль «куратор» — роль Управления информационной политики: куратор видит все обращения и направляет "
    "их органам.",
    "observer": "Роль «наблюдатель» — роль аппарата вице-губернатора: наблюдатель видит все обращения области.",
}


def municipal_roles_hint(body: Body) -> str:
    return (
        f"Сотрудникам «{body}» (муниципальное образование) дайте роли «исполнитель» или «ответственное должностное "
        "лицо»: они видят обращения своей администрации."
    )


def whole_oblast_roles(roles: models.QuerySet[Role]) -> str:
    """«куратор» (Иванова), «наблюдатель» (Петрова) — the roles of `roles` (a query of Role) that read every case of
    the oblast, for a refusal; "" when none."""
    found = (
        roles.filter(kind__in=list(WHOLE_OBLAST_ROLES)).select_related("person").order_by("kind", "person_id")
    )
    return ", ".join(f"«{r.get_kind_display()}» ({r.person})" for r in found[:5])


class Absence(models.Model):
    """A period when a person is away, with the substitute who does their work (R-6)."""

    class Reason(models.TextChoices):
        SICK_LEAVE = "sick_leave", "больничный"
        VACATION = "vacation", "отпуск"
        BUSINESS_TRIP = "business_trip", "командировка"
        TRAINING = "training", "обучение"
        OTHER = "other", "другое"

    person = models.ForeignKey(
        Person, verbose_name="сотрудник", on_delete=models.CASCADE, related_name="absences"
    )
    starts_at = models.DateTimeField("начало")
    ends_at = models.DateTimeField("окончание")
    reason = models.CharField("причина", max_length=20, choices=Reason.choices)
    substitute = models.ForeignKey(
        Person,
        verbose_name="замещающий",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="substitutions",
    )
    comment = models.CharField("комментарий", max_length=300, blank=True)

    class Meta:
        verbose_name = "отсутствие"
        verbose_name_plural = "отсутствия"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["person", "starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="absence_period_valid"
            ),
            models.CheckConstraint(condition=~Q(substitute=models.F("person")), name="absence_not_self"),
        ]

    def __str__(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{self.person}: {self.get_reason_display()} {start:%d.%m.%Y}–{end:%d.%m.%Y}"


class Competence(models.Model):
    """Topic -> competent body; for municipal bodies optionally per municipality (R-8.1 routing)."""

    topic = models.ForeignKey(
        Topic, verbose_name="тема", on_delete=models.CASCADE, related_name="competences"
    )
    body = models.ForeignKey(Body, verbose_name="орган", on_delete=models.CASCADE, related_name="competences")
    municipality = models.ForeignKey(
        Municipality,
        verbose_name="муниципальное образование",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="competences",
        help_text="Пусто — вся область",
    )

    class Meta:
        verbose_name = "компетенция"
        verbose_name_plural = "компетенции"
        ordering = ["topic__group__name", "topic__name", "body__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "body", "municipality"],
                name="competence_unique_local",
                condition=Q(municipality__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["topic", "body"],
                name="competence_unique_oblast",
                condition=Q(municipality__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        where = f", {self.municipality}" if self.municipality_id else ""
        return f"{self.topic} → {self.body}{where}"

    def clean(self) -> None:
        """A municipal administration is competent in its own municipality only (R-3, R-4.1): routing would
        otherwise offer it for messages from the whole oblast or from another municipality. A pair already in
        the matrix is refused with words, not with the name of a database constraint."""
        if self.body_id is None or self.topic_id is None:
            return
        body = self.body
        # routing offers only bodies and topics in force; a row naming another would promise a body for the
        # topic and suggest none
        if not body.is_active:
            raise ValidationError(
                {"body": f"«{body}» не действует: выберите орган, который сейчас отвечает по этой теме."}
            )
        if not self.topic.is_active:
            raise ValidationError({"topic": f"Тема «{self.topic}» не действует: выберите действующую тему."})
        if body.level == Body.Level.MUNICIPAL and self.municipality_id != body.municipality_id:
            raise ValidationError(
                {
                    "municipality": f"«{body}» отвечает только за своё муниципальное образование: "
                    f"укажите «{body.municipality}»."
                }
            )
        same = Competence.objects.filter(topic_id=self.topic_id, body_id=self.body_id)
        same = (
            same.filter(municipality_id=self.municipality_id)
            if self.municipality_id
            else same.filter(municipality__isnull=True)
        )
        if same.exclude(pk=self.pk).exists():
            where = f"в «{self.municipality}»" if self.municipality_id else "по всей области"
            raise ValidationError(
                {"body": f"«{body}» уже указан компетентным по теме «{self.topic}» {where}."}
            )


class OfficialAccount(models.Model):
    """A body's official group, channel or page in a network (R-5)."""

    class Network(models.TextChoices):
        VK = "vk", "ВКонтакте"
        OK = "ok", "Одноклассники"
        TELEGRAM = "telegram", "Telegram"
        YOUTUBE = "youtube", "YouTube"
        RUTUBE = "rutube", "RUTUBE"
        DZEN = "dzen", "Дзен"
        MAX = "max", "MAX"
        WEBSITE = "website", "Сайт"
        OTHER = "other", "Другое"

    body = models.ForeignKey(Body, verbose_name="орган", on_delete=models.CASCADE, related_name="accounts")
    network = models.CharField("сеть", max_length=20, choices=Network.choices)
    title = models.CharField("название", max_length=300)
    url = models.URLField("ссылка", max_length=500)
    external_id = models.CharField(
        "идентификатор в сети",
        max_length=100,
        blank=True,
        help_text="ВКонтакте: id сообщества числом (200000001); Telegram: id канала или группы числом (-100…), "
        "не @имя; Одноклассники: id группы",
    )
    is_public = models.BooleanField("показывать в открытом списке", default=True)
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        verbose_name = "официальный аккаунт"
        verbose_name_plural = "официальные аккаунты"
        ordering = ["body__name", "network"]
        constraints = [models.UniqueConstraint(fields=["network", "url"], name="account_unique_url")]

    def __str__(self) -> str:
        return f"{self.get_network_display()}: {self.title}"
