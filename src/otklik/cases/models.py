"""The case workflow of clause 8: cases, assignments, drafts, reviews, publications, events, deadlines and
violations (R-8.1 … R-8.10, R-12). State changes happen only in `otklik.cases.actions`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .policy import Policy, clause

__all__ = [
    "Assignment",
    "Case",
    "CaseEvent",
    "CaseMessage",
    "Deadline",
    "Draft",
    "Notification",
    "Policy",
    "Publication",
    "Review",
    "Violation",
]

OPEN_DEADLINE = Q(met_at__isnull=True, cancelled_at__isnull=True)


# the place of a message about the oblast as a whole, in the dispatch form, the case page and the reports
WHOLE_OBLAST = "Ленинградская область в целом"


# what a body's part is called where the parts are published one by one (`Case.parts_published`)
BODY_ANSWER = "ответ органа"


class Case(models.Model):
    """One unit of work built from one or more messages (инцидент / обращение), R-8.1."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", "подготовка проекта"
        REROUTING = "rerouting", "нужен новый исполнитель"
        REVIEW = "review", "на согласовании"
        REVISION = "revision", "на доработке"
        PUBLISHING = "publishing", "согласован, ждёт публикации"
        AWAITING_AUTHOR = "awaiting_author", "ждёт ответа автора"
        CLOSED = "closed", "закрыто"

    class Importance(models.TextChoices):
        NORMAL = "normal", "обычная"
        HIGH = "high", "высокая"

    class Origin(models.TextChoices):
        """Where the case came from: the curator's dispatch (clause 8) or a question under a Governor's post
        that goes straight to the competent body (clause 7, R-7.1)."""

        CURATOR = "curator", "направлено куратором"
        GOVERNOR_POST = "governor_post", "комментарий под постом Губернатора"

    class MultiMode(models.TextChoices):
        """R-8.9: how the answer of several bodies is put together."""

        COMMON_BY_LAST = "common_by_last", "общий ответ готовит последний исполнитель"
        COMMON_BY_CURATOR = "common_by_curator", "общий ответ готовит куратор"
        PARTS_ONE_BY_ONE = "parts_one_by_one", "ответы публикуются последовательно"

    OPEN_STATUSES = (
        Status.DRAFTING,
        Status.REROUTING,
        Status.REVIEW,
        Status.REVISION,
        Status.PUBLISHING,
        Status.AWAITING_AUTHOR,
    )

    status = models.CharField("состояние", max_length=20, choices=Status.choices, default=Status.DRAFTING)
    origin = models.CharField("происхождение", max_length=20, choices=Origin.choices, default=Origin.CURATOR)
    version = models.PositiveIntegerField("версия", default=1, help_text="Растёт при каждом изменении")
    messages: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "intake.Message", through="CaseMessage", related_name="cases", verbose_name="сообщения"
    )
    topic = models.ForeignKey(
        "org.Topic", verbose_name="тема", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topic_group = models.ForeignKey(
        "org.TopicGroup",
        verbose_name="группа тем",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    municipality = models.ForeignKey(
        "org.Municipality",
        verbose_name="муниципальное образование",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    settlement = models.ForeignKey(
        "org.Settlement",
        verbose_name="населённый пункт",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    whole_oblast = models.BooleanField(
        "вся область",
        default=False,
        help_text="Куратор указал, что сообщение касается Ленинградской области в целом, а не одного места (п. 8.1)",
    )
    importance = models.CharField(
        "важность", max_length=10, choices=Importance.choices, default=Importance.NORMAL
    )
    shortened_minutes = models.PositiveIntegerField(
        "сокращённый срок, рабочих минут",
        null=True,
        blank=True,
        help_text="п. 8.1 Положения: срок, заданный куратором",
    )
    multi_mode = models.CharField(
        "порядок ответа нескольких органов",
        max_length=20,
        choices=MultiMode.choices,
        default=MultiMode.COMMON_BY_LAST,
    )
    composer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="готовит общий ответ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    repeat_of = models.ForeignKey(
        "self",
        verbose_name="повтор обращения",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    network = models.CharField("сеть", max_length=20, blank=True)
    summary = models.CharField("кратко", max_length=300, blank=True)
    dispatched_at = models.DateTimeField("направлено", db_index=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="куратор", on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField("закрыто", null=True, blank=True)

    class Meta:
        verbose_name = "обращение"
        verbose_name_plural = "обращения"
        ordering = ["-dispatched_at", "-id"]
        indexes = [models.Index(fields=["status", "dispatched_at"], name="case_status_dispatched")]

    def __str__(self) -> str:
        return f"Обращение № {self.pk}"

    @property
    def is_multi(self) -> bool:
        return self.assignments.exclude(state__in=Assignment.GONE).count() > 1

    @property
    def parts_published(self) -> bool:
        """R-8.9: each body's part goes to the author as that body's own answer (`BODY_ANSWER`), not into one."""
        return self.multi_mode == self.MultiMode.PARTS_ONE_BY_ONE

    @property
    def place(self) -> str:
        """The place the curator set (R-8.1): «Гатчина, Гатчинский муниципальный округ», the municipal formation,
        «Ленинградская область в целом», or "" when none was set."""
        parts = [str(x) for x in (self.settlement, self.municipality) if x is not None]
        if parts:
            return ", ".join(parts)
        return WHOLE_OBLAST if self.whole_oblast else ""


class CaseMessage(models.Model):
    """A message belongs to at most one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_messages")
    message = models.OneToOneField("intake.Message", on_delete=models.PROTECT, related_name="case_link")
    is_author_reply = models.BooleanField("ответ автора на запрос", default=False)
    added_at = models.DateTimeField("добавлено")

    class Meta:
        verbose_name = "сообщение обращения"
        verbose_name_plural = "сообщения обращения"

    def __str__(self) -> str:
        return f"{self.case}: {self.message_id}"


class Assignment(models.Model):
    """A body's share of a case (R-8.1, R-8.9) with the intended and the actual executor (R-6)."""

    class State(models.TextChoices):
        WAITING = "waiting", "ждёт очереди"
        ACTIVE = "active", "в работе"
        PART_SUBMITTED = "part_submitted", "информация направлена"
        REJECTED = "rejected", "отказ: не компетенция"
        REPLACED = "replaced", "заменён куратором"
        DONE = "done", "выполнено"

    GONE = (State.REJECTED, State.REPLACED)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    body = models.ForeignKey("org.Body", verbose_name="орган", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField("очерёдность", default=1)
    state = models.CharField("состояние", max_length=20, choices=State.choices, default=State.ACTIVE)
    intended_executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="назначенный исполнитель",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="исполнитель фактически",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_assignments",
    )
    duty_note = models.CharField("кто выполняет и почему", max_length=500, blank=True)
    received_at = models.DateTimeField("поступило исполнителю", null=True, blank=True)
    rejected_at = models.DateTimeField("отказ", null=True, blank=True)
    reject_reason = models.TextField("причина отказа", blank=True)

    class Meta:
        verbose_name = "назначение"
        verbose_name_plural = "назначения"
        ordering = ["order", "id"]
        indexes = [
            models.Index(fields=["body", "state"], name="assignment_body_state"),
            models.Index(fields=["executor", "state"], name="assignment_executor_state"),
        ]

    def __str__(self) -> str:
        return f"{self.body} ({self.get_state_display()})"


class Draft(models.Model):
    """A draft of an answer, interim answer, clarification request or a body's part (R-8.4, R-8.9)."""

    class Kind(models.TextChoices):
        ANSWER = "answer", "ответ"
        INTERIM = "interim", "промежуточный ответ"
        CLARIFICATION = "clarification", "запрос (уточнение)"
        PART = "part", "информация для общего ответа"

    class State(models.TextChoices):
        SUBMITTED = "submitted", "на согласовании"
        RETURNED = "returned", "возвращён на доработку"
        REVISED = "revised", "заменён доработанным"
        APPROVED = "approved", "согласован"
        PUBLISHED = "published", "опубликован"
        RECEIVED = "received", "информация принята"
        WITHDRAWN = "withdrawn", "не вошла в ответ: орган заменён"
        UNDECIDED = "undecided", "не рассмотрен: обращение закрыто"

    PUBLISHABLE = (Kind.ANSWER, Kind.INTERIM, Kind.CLARIFICATION)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="drafts")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.PROTECT, related_name="drafts"
    )
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    state = models.CharField("состояние", max_length=20, choices=State.choices, default=State.SUBMITTED)
    text = models.TextField("текст")
    measures = models.TextField(
        "принятые меры / ход решения",
        blank=True,
        help_text="п. 8.10 Положения: обязательно для повторного обращения",
    )
    attachments = models.JSONField("вложения", default=list, blank=True)
    version = models.PositiveSmallIntegerField("версия", default=1)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="предыдущая"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="автор", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("направлен")
    score = models.PositiveSmallIntegerField("оценка проверки (п. 11)", null=True, blank=True)

    class Meta:
        verbose_name = "проект"
        verbose_name_plural = "проекты"
        ordering = ["submitted_at", "id"]
        # the monthly report's quality figures read the drafts sent in the month (`reports.monthly._quality`)
        indexes = [models.Index(fields=["submitted_at"], name="draft_submitted")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def kind_label(self) -> str:
        """The kind as people are told it: a body's part of a case whose parts are published one by one is that
        body's own answer to the author (R-8.9), not «информация для общего ответа»."""
        if self.kind == self.Kind.PART and self.case.parts_published:
            return BODY_ANSWER
        return str(self.get_kind_display())


class Review(models.Model):
    """The curator's decision on a draft (R-8.5)."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "согласовано"
        RETURN = "return", "возвращено на доработку"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField("решение", max_length=10, choices=Decision.choices)
    comment = models.TextField("комментарий", blank=True)
    created_at = models.DateTimeField("когда")

    class Meta:
        verbose_name = "решение по проекту"
        verbose_name_plural = "решения по проектам"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.draft}"


class Publication(models.Model):
    """A published answer (R-8.7): through the network's API (issue 5) or confirmed by hand."""

    class Method(models.TextChoices):
        API = "api", "через API сети"
        MANUAL = "manual", "подтверждено вручную"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="publications")
    draft = models.OneToOneField(Draft, on_delete=models.PROTECT, related_name="publication")
    network = models.CharField("сеть", max_length=20)
    url = models.URLField("ссылка на опубликованный ответ", max_length=1000, blank=True)
    external_id = models.CharField("идентификатор в сети", max_length=300, blank=True)
    published_at = models.DateTimeField("опубликовано")
    method = models.CharField("способ", max_length=10, choices=Method.choices)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "публикация"
        verbose_name_plural = "публикации"
        ordering = ["published_at", "id"]

    def __str__(self) -> str:
        return self.url or self.external_id


class CaseEvent(models.Model):
    """Append-only timeline of a case: who, when, from which state to which, why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("когда")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("действие", max_length=40)
    from_status = models.CharField("из состояния", max_length=20, blank=True)
    to_status = models.CharField("в состояние", max_length=20, blank=True)
    reason = models.TextField("описание", blank=True)

    class Meta:
        verbose_name = "событие обращения"
        verbose_name_plural = "события обращений"
        ordering = ["at", "id"]

    LABELS = {
        "dispatch_case": "направлено куратором",
        "calendar_changed": "срок перенесён по календарю",
        "assignment_started": "поступило исполнителю",
        "reject_assignment": "отказ: не компетенция органа",
        "reassign": "переназначено",
        "submit_part": "информация для общего ответа",
        "parts_complete": "все части поступили",
        "total_held_up": "срок ответа — на органе, задержавшем ответ",
        "submit_draft": "проект направлен на согласование",
        "approve_draft": "проект согласован",
        "return_draft": "проект возвращён на доработку",
        "revise_draft": "доработанный проект направлен",
        "confirm_publication": "опубликовано",
        "part_published": "часть ответа опубликована",
        "published_also": "опубликовано под сообщением другого автора",
        "api_publish_failed": "автоматическая публикация не удалась",
        "register_author_reply": "получен ответ автора",
        "answer_without_author": "ответ готовится без уточнения автора",
        "close_case": "закрыто куратором",
        "hand_to_executor": "передано другому исполнителю органа",
        "provisional_deadline": "срок по предварительному календарю",
    }

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%d.%m.%Y %H:%M} {self.action}"

    @property
    def label(self) -> str:
        if self.action == "submit_part" and self.case.parts_published:
            return BODY_ANSWER  # published to the author as it is (R-8.9, `Draft.kind_label`)
        return self.LABELS.get(self.action, self.action)

    @property
    def to_label(self) -> str:
        return Case.Status(self.to_status).label if self.to_status else ""


class Deadline(models.Model):
    """A running limit of the regulation, computed in working time from the policy (R-8.2 … R-8.9)."""

    class Stage(models.TextChoices):
        OVERALL = "overall", "подготовка и размещение ответа (п. 8.3)"
        REJECT_WINDOW = "reject_window", "сообщить о некомпетенции (п. 8.2)"
        DRAFT = "draft", "направить проект (п. 8.4)"
        PART = "part", "направить информацию для общего ответа (п. 8.9)"
        COMPOSE = "compose", "подготовить общий ответ (п. 8.9)"
        REVIEW = "review", "согласовать или вернуть проект (п. 8.5)"
        REVISE = "revise", "доработать проект (п. 8.6)"
        PUBLISH = "publish", "разместить ответ (п. 8.7)"
        FINAL = "final", "окончательный ответ после промежуточного (п. 8.8)"
        GOV_ANSWER = "gov_answer", "ответить на вопрос под постом Губернатора (п. 7.2)"
        GOV_AFTER_REPLY = "gov_after_reply", "ответить после уточнения автора (п. 7.3)"

    RID = {
        Stage.OVERALL: "R-8.3",
        Stage.REJECT_WINDOW: "R-8.2",
        Stage.DRAFT: "R-8.4",
        Stage.PART: "R-8.9",
        Stage.COMPOSE: "R-8.9",
        Stage.REVIEW: "R-8.5",
        Stage.REVISE: "R-8.6",
        Stage.PUBLISH: "R-8.7",
        Stage.FINAL: "R-8.8",
        Stage.GOV_ANSWER: "R-7.2",
        Stage.GOV_AFTER_REPLY: "R-7.3",
    }
    # A window is not an obligation: it expires quietly; only acting after it is a violation.
    WINDOWS = (Stage.REJECT_WINDOW,)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines"
    )
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    stage = models.CharField("этап", max_length=20, choices=Stage.choices)
    rid = models.CharField("пункт", max_length=10)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ответственный",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
    )
    body = models.ForeignKey(
        "org.Body", verbose_name="орган", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField("начало")
    due_at = models.DateTimeField("срок")
    working_minutes = models.PositiveIntegerField("рабочих минут", default=0)
    # A term that ran past the production calendar is held at its last working moment (`sla.open_deadline` under
    # `hold_past_calendar`); its full length — working minutes, or working days for the final answer — is
    # kept here until the next year's calendar is loaded and counts it to its end (`worktime.recount`).
    held_length = models.PositiveIntegerField("полный срок (до загрузки календаря)", null=True, blank=True)
    met_at = models.DateTimeField("выполнено", null=True, blank=True)
    cancelled_at = models.DateTimeField("снято", null=True, blank=True)
    breached_at = models.DateTimeField("нарушен", null=True, blank=True)
    reminder_level = models.PositiveSmallIntegerField("отправлено напоминаний", default=0)
    next_reminder_at = models.DateTimeField("следующее напоминание", null=True, blank=True)

    class Meta:
        verbose_name = "срок"
        verbose_name_plural = "сроки"
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["due_at"], name="deadline_open_due", condition=OPEN_DEADLINE),
            models.Index(
                fields=["next_reminder_at"],
                name="deadline_open_remind",
                condition=OPEN_DEADLINE & Q(next_reminder_at__isnull=False),
            ),
            models.Index(fields=["case", "due_at"], name="deadline_case_due", condition=OPEN_DEADLINE),
            # the executor's queue: open deadlines of one body, nearest first (views.my_queue)
            models.Index(
                fields=["body", "due_at", "id"], name="deadline_open_body_due", condition=OPEN_DEADLINE
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} до {timezone.localtime(self.due_at):%d.%m.%Y %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.met_at is None and self.cancelled_at is None

    @property
    def state_label(self) -> str:
        if self.cancelled_at is not None and self.breached_at is None:
            if self.stage not in self.WINDOWS:
                return "снят"
            # A window closed before its end because it was no longer needed (the draft went in, the
            # case closed): nothing ran out.
            return "не понадобился" if self.cancelled_at < self.due_at else "истёк"
        if self.met_at is not None:
            return "выполнен с нарушением" if self.breached_at else "выполнен в срок"
        return "нарушен" if self.breached_at else "идёт"


class Violation(models.Model):
    """A missed deadline with the person and body responsible (R-12)."""

    deadline = models.OneToOneField(Deadline, on_delete=models.CASCADE, related_name="violation")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="violations")
    stage = models.CharField("этап", max_length=20, choices=Deadline.Stage.choices)
    rid = models.CharField("пункт", max_length=10)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ответственный",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    body = models.ForeignKey(
        "org.Body", verbose_name="орган", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField("срок", db_index=True)  # the reports' period (R-12, R-13)
    detected_at = models.DateTimeField("выявлено", db_index=True)
    # R-12 with R-6: the work was given to another executor after the term ran out; the person charged is late
    # until then, the body until the work is done (`reports.deficiencies`)
    handed_over_at = models.DateTimeField("передано другому исполнителю", null=True, blank=True)
    note = models.CharField("пояснение", max_length=500, blank=True)

    class Meta:
        verbose_name = "нарушение срока"
        verbose_name_plural = "нарушения сроков"
        ordering = ["-detected_at"]

    def __str__(self) -> str:
        return f"{clause(self.rid)}: {self.person or self.body}"


class Notification(models.Model):
    """An in-app notice (reminder before a deadline, breach, new work); e-mailed too when possible."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", "напоминание"
        BREACH = "breach", "нарушение срока"
        WORK = "work", "новая работа"
        CLOSED = "closed", "обращение закрыто"  # by the curator's decision: the work is not needed

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_notifications"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    deadline = models.ForeignKey(Deadline, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            # the list of a person's notifications, newest first (cases.views.notifications)
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recent"),
        ]

    def __str__(self) -> str:
        return self.text


class InboxFloor(models.Model):
    """One row: a time before which every message is already in a case (the inbox's lower bound).

    The inbox lists messages not yet in a case, newest first. Almost every message of a million is in a case,
    so without a bound the database would walk the whole message index to prove there is nothing older to
    show (every request when the inbox is short). Messages get `received_at` = now on arrival, and a message
    once in a case leaves the inbox, so the floor only moves up; `cases.inbox.floor` moves it from the
    previous floor (a short walk) and recomputes it from the beginning once a day.
    """

    received_at = models.DateTimeField("все сообщения до этого времени распределены", null=True, blank=True)
    checked_at = models.DateTimeField("проверено")
    full_at = models.DateTimeField("полная проверка")

    class Meta:
        verbose_name = "граница входящих"
        verbose_name_plural = "граница входящих"

    def __str__(self) -> str:
        return f"{self.received_at}"
