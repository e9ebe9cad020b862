import logging
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import Alert, Mail, Notice

logger = logging.getLogger(__name__)


class TelegramStateFilter(admin.ChoicesFieldListFilter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = "доставка в Telegram"


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin[Alert]):
    list_display = ("created_at", "kind", "title", "telegram_delivery", "telegram_note")
    list_filter = ("kind", ("telegram_state", TelegramStateFilter))
    raw_id_fields = ("message", "case", "created_by")
    show_full_result_count = False

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["labels"] = {
            "created_by": "кто создал",
            "telegram_state": "доставка в Telegram",
            "telegram_attempts": "попыток отправки в Telegram",
            "telegram_error": "последняя ошибка Telegram",
            "telegram_claimed_at": "начало текущей попытки отправки в Telegram",
        }
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description="доставка в Telegram", ordering="telegram_state")
    def telegram_delivery(self, alert: Alert) -> str:
        return alert.get_telegram_state_display()

    @admin.display(description="что с доставкой в Telegram")
    def telegram_note(self, alert: Alert) -> str:
        return alert.telegram_problem


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    list_display = ("created_at", "recipient_name", "kind", "title", "read_at")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    show_full_result_count = False

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        kwargs["labels"] = {"recipient": "получатель"}
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description="получатель", ordering="recipient")
    def recipient_name(self, notice: Notice) -> str:
        return str(notice.recipient)


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin[Mail]):
    """E-mails of notices and alerts with their delivery: what the mail server has not taken is retried for four
    days (`models.mail_due_again`); «Отправить ещё раз» sends the chosen letters now (`services.send_again`)."""

    list_display = ("created_at", "subject", "state", "attempts", "problem", "error", "sent_at")
    list_filter = ("state",)
    search_fields = ("subject__folded",)
    show_full_result_count = False
    exclude = ("attachments",)
    readonly_fields = (
        "to",
        "subject",
        "text",
        "created_at",
        "state",
        "attempts",
        "problem",
        "error",
        "sent_at",
        "claimed_at",
        "maybe_sent",
        "alert",
    )
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="причина")
    def problem(self, mail: Mail) -> str:
        return mail.problem

    @admin.action(description="Отправить ещё раз", permissions=["change"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Mail]) -> None:
        chosen = list(queryset.values_list("pk", "state"))
        done = [pk for pk, state in chosen if state == Mail.State.SENT]
        outcome = services.send_again(pk for pk, state in chosen if state != Mail.State.SENT)
        logger.info(
            "mail %s sent again by %s: %d sent, %d being sent by another attempt, %d not",
            [pk for pk, _ in chosen],
            getattr(request.user, "username", "?"),
            outcome.sent,
            len(outcome.sending),
            len(outcome.failed),
        )
        if outcome.sent:
            self.message_user(request, f"Отправлено писем: {outcome.sent}.", messages.SUCCESS)
        if done:
            self.message_user(request, f"Уже были отправлены раньше: {len(done)}.", messages.INFO)
        for mail in outcome.sending:
            self.message_user(
                request,
                f"Письмо «{mail.subject}» уже отправляется другой попыткой (автоматической или другого "
                "сотрудника); второй раз оно не отправлено. Обновите список через минуту, чтобы увидеть результат.",
                messages.INFO,
            )
        for mail in outcome.failed:
            self.message_user(
                request,
                f"Письмо «{mail.subject}» не отправлено. {mail.problem} Ошибка: {mail.error}",
                messages.ERROR,
            )
