"""The Governor's posts: watches with their R-7.4 checks, analysed comments, the bodies' approval setting."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class GovernorSettings(models.Model):
    """R-7.1: the body's responsible official (not the curator) may require approval of its executors'
    answers under the Governor's posts."""

    body = models.OneToOneField(
        "org.Body", verbose_name="орган", on_delete=models.CASCADE, related_name="governor_settings"
    )
    require_approval = models.BooleanField(
        "ответы исполнителей согласует ответственный органа", default=False
    )
    updated_at = models.DateTimeField("изменено", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кто изменил",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "настройка органа для постов Губернатора"
        verbose_name_plural = "настройки органов для постов Губернатора"

    def __str__(self) -> str:
        return f"{self.body}: {'согласование' if self.require_approval else 'без согласования'}"


class Watch(models.Model):
    """The watch of one Governor's post: the first window (R-7.2) and the check schedule (R-7.4).

    A post the network no longer has (a check found it deleted: `post_deleted_at`) keeps its page, marked so;
    its checks still due are `Check.State.STOPPED`.

    Deadlines and checks never start before Otklik could see the post (`first_read_at`): a post first read
    after its whole R-7.4 span had ended is history (`Mode.HISTORY`: no checks, no deadlines, its comments are
    kept and shown on the post page, not triaged); a post whose dates the production calendar cannot handle
    gets none either (`Mode.OUT_OF_CALENDAR`, `note` says why). A post read late within its span is watched:
    the checks whose time (until the next check's moment) ran out before it was read are `Check.State.UNSEEN`,
    not missed, and its questions' deadlines count from `first_read_at` at the earliest (`question_start`)."""

    class Mode(models.TextChoices):
        WATCHED = "watched", "наблюдается"
        HISTORY = "history", "опубликован до начала наблюдения"
        OUT_OF_CALENDAR = "calendar", "даты вне производственного календаря"

    post = models.OneToOneField(
        "intake.Post", verbose_name="пост", on_delete=models.CASCADE, related_name="watch"
    )
    started_at = models.DateTimeField("выход поста")
    first_window_end = models.DateTimeField("конец первых двух рабочих часов (п. 7.2)", null=True, blank=True)
    every_minutes = models.PositiveIntegerField("интервал проверок, рабочих минут")
    span_minutes = models.PositiveIntegerField("период проверок, рабочих минут")
    opened_at = models.DateTimeField("наблюдение открыто")
    first_read_at = models.DateTimeField(
        "Отклик впервые прочитал пост",
        null=True,
        blank=True,
        help_text="Сроки и проверки не начинаются раньше; пусто у наблюдений, открытых до этого поля",
    )
    mode = models.CharField("наблюдение", max_length=10, choices=Mode.choices, default=Mode.WATCHED)
    note = models.CharField("пояснение", max_length=500, blank=True)
    post_deleted_at = models.DateTimeField(
        "пост удалён в сети",
        null=True,
        blank=True,
        help_text="Когда проверка узнала, что поста в сети больше нет: проверки после этого не требуются",
    )

    class Meta:
        verbose_name = "наблюдение за постом"
        verbose_name_plural = "наблюдения за постами"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Пост {self.post} от {timezone.localtime(self.started_at):%d.%m.%Y %H:%M}"

    @property
    def is_watched(self) -> bool:
        return self.mode == self.Mode.WATCHED

    def span_end(self) -> datetime | None:
        """R-7.4: the end of the post's two days of checks (its last check's moment; the first window's end when it
        has no checks): a question that appears after it is no clause 7 work (`Comment.Kind.AFTER_WATCH`)."""
        last = self.checks.order_by("-number").values_list("due_at", flat=True).first()
        return last if last is not None else self.first_window_end

    def question_start(self, published: datetime) -> datetime:
        """R-7.2: when the answer deadline of a comment published at `published` counts from: the post's time
        for a comment of the first window, the comment's own after it; never before Otklik first read the
        post (a post read late after registration or an outage)."""
        first_end = self.first_window_end
        start = self.started_at if first_end is not None and published <= first_end else published
        if self.first_read_at is not None and start < self.first_read_at:
            return self.first_read_at
        return start


class Check(models.Model):
    """One R-7.4 check moment: done when a check read the post's comments between its moment and the next one,
    else missed; not required (`UNSEEN`) when its time, until the next check's moment, ran out before Otklik first
    read the post, nor (`STOPPED`) once the post is deleted in the network."""

    class State(models.TextChoices):
        DUE = "due", "предстоит"
        DONE = "done", "выполнена"
        MISSED = "missed", "пропущена"
        UNSEEN = "unseen", "не требовалась"
        STOPPED = "stopped", "не требуется: пост удалён"

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="checks")
    number = models.PositiveSmallIntegerField("№")
    due_at = models.DateTimeField("момент проверки", db_index=True)
    grace_until = models.DateTimeField("выполнить до")
    state = models.CharField("состояние", max_length=10, choices=State.choices, default=State.DUE)
    ran_at = models.DateTimeField("выполнена", null=True, blank=True)
    new_comments = models.PositiveIntegerField("новых комментариев", default=0)
    note = models.CharField("пояснение", max_length=500, blank=True)

    class Meta:
        verbose_name = "проверка комментариев"
        verbose_name_plural = "проверки комментариев"
        ordering = ["watch", "number"]
        constraints = [models.UniqueConstraint(fields=["watch", "number"], name="governor_check_unique")]
        indexes = [models.Index(fields=["state", "due_at"], name="governor_check_state_due")]

    def __str__(self) -> str:
        return (
            f"№ {self.number} {timezone.localtime(self.due_at):%d.%m.%Y %H:%M} ({self.get_state_display()})"
        )


class Comment(models.Model):
    """A comment under a Governor's post after analysis: a question goes to a body as a case (R-7.1); the rest
    is kept and shown on the post page. A question written after the post's two days of checks
    (`Watch.span_end`) is kept as `AFTER_WATCH`: no case and no term; a body may take it in work."""

    class Kind(models.TextChoices):
        QUESTION = "question", "вопрос"
        OTHER = "other", "не вопрос"
        BLOCKED = "blocked", "исключено модерацией (п. 10)"
        CLARIFICATION = "clarification", "уточнение автора (п. 7.3)"
        # clause 7 has the bodies watch a post for two days; a question written after them gets no term
        AFTER_WATCH = "after_watch", "вопрос после двух суток наблюдения (п. 7.4), без срока"
        REPEAT = "repeat", "повтор вопроса того же автора"

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="comments")
    message = models.OneToOneField(
        "intake.Message",
        on_delete=models.CASCADE,
        related_name="governor_comment",
        verbose_name="комментарий",
    )
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    reason = models.CharField("почему", max_length=300, blank=True)
    body = models.ForeignKey(
        "org.Body",
        verbose_name="орган по анализу",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="обращение",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    in_first_window = models.BooleanField("в первые два рабочих часа", default=False)
    processed_at = models.DateTimeField("разобран")
    triaged_text = models.TextField(
        "разобранный текст",
        blank=True,
        help_text="Текст комментария, по которому он разобран: правка текста до того, как комментарий взят в "
        "работу, разбирается заново",
    )

    class Meta:
        verbose_name = "комментарий под постом Губернатора"
        verbose_name_plural = "комментарии под постами Губернатора"
        ordering = ["message__published_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message_id}"


def question_pages(case_ids: Iterable[int]) -> dict[int, str]:
    """R-7.1: a question under the Governor's post is answered and approved on the post's page: for each of these
    cases that is such a question, the path of the question on that page (one query). Notices and letters about
    the case lead there."""
    from django.urls import reverse

    from otklik.cases.models import Case

    return {
        case_id: reverse("governor:post", args=[watch_id]) + f"#comment-{pk}"
        for case_id, watch_id, pk in Comment.objects.filter(
            case_id__in=set(case_ids), case__origin=Case.Origin.GOVERNOR_POST
        ).values_list("case_id", "watch_id", "pk")
    }
