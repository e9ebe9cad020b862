"""In-app notices and R-14 alerts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

# Kept in `Alert.telegram_error` of an alert delivered to the supergroup its configured group chat became.
MIGRATED = "sent to the upgraded chat:"
# Errors of a bad Telegram setting (a character a URL cannot hold, an address without its scheme), as
# `alerts.send_telegram` keeps them («InvalidURL: …»): retrying does not help until the setting is fixed.
SETTING_ERRORS = ("InvalidURL", "UnsupportedProtocol")
# The error of an attempt whose process stopped before Telegram answered and that will not be retried
# (`alerts.retry_alerts`).
INTERRUPTED = "попытка отправки прервана (процесс остановился)"


class NamedLink(NamedTuple):
    """A link of an alert as a person reads it: «Обращение № 182» (`ours`: a page of this site) or «Сообщение в
    сети», and its address."""

    label: str
    url: str
    ours: bool


def named_links(link: str, case_id: int | None) -> list[NamedLink]:
    """R-14: the alert's space-separated links named: the address of the alert's case page is «Обращение № N»,
    the others are messages in the networks («Сообщение в сети», numbered when there are several)."""
    urls = link.split()
    case_path = reverse("cases:detail", args=[case_id]) if case_id else None

    def is_case(url: str) -> bool:
        try:
            return case_path is not None and urlsplit(url).path == case_path
        except ValueError:  # e.g. an unbalanced "[" in the host
            return False

    several = sum(not is_case(u) for u in urls) > 1
    out, number = [], 0
    for url in urls:
        if is_case(url):
            out.append(NamedLink(f"Обращение № {case_id}", url, True))
        else:
            number += 1
            out.append(NamedLink(f"Сообщение в сети {number}" if several else "Сообщение в сети", url, False))
    return out


class Notice(models.Model):
    """An in-app notice to a person that is not about one case (a report is ready, an R-14 alert)."""

    class Kind(models.TextChoices):
        REPORT = "report", "отчёт"
        ALERT = "alert", "срочное оповещение"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField("вид", max_length=10, choices=Kind.choices)
    title = models.CharField("заголовок", max_length=300)
    text = models.TextField("текст", blank=True)
    # the space-separated links (an alert's: a message's address, up to 1000 characters, and its case page's), never
    # cut: a long percent-encoded forum address must not push the case's link out
    link = models.TextField("ссылка", blank=True)
    created_at = models.DateTimeField("создано")
    read_at = models.DateTimeField("прочитано", null=True, blank=True)

    class Meta:
        verbose_name = "оповещение в системе"
        verbose_name_plural = "оповещения в системе"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_unread"),
            # a person's notices, newest first (notify.views.notices)
            models.Index(fields=["recipient", "-created_at", "-id"], name="notice_recent"),
            models.Index(fields=["-created_at", "-id"], name="notice_all_recent"),  # the admin's list
        ]

    def __str__(self) -> str:
        return self.title


# A delivery the other side did not take (an alert's Telegram message, an e-mail) is tried again on each run of the
# resend task (every 10 minutes) this many times …
QUICK_ATTEMPTS = 10
# … then once an hour until a day after it was written: a Telegram outage, a bot kicked and added back, a mail
# server down for a night or a morning must not lose the Governor's alert or the monthly report.
SLOW_ATTEMPTS = 24
MAX_ATTEMPTS = QUICK_ATTEMPTS + SLOW_ATTEMPTS


def due_again(attempts: int, written_at: datetime, now: datetime) -> bool:
    """Whether a failed delivery with `attempts` behind it is tried again on this run (`QUICK_ATTEMPTS`,
    `SLOW_ATTEMPTS`); a day after it was written it is given up (also what an earlier version gave up on, and after
    a long outage)."""
    return _retry_due(attempts, written_at, now, late_attempts=0, until=timedelta(hours=SLOW_ATTEMPTS + 1))


def _retry_due(
    attempts: int, written_at: datetime, now: datetime, *, late_attempts: int, until: timedelta
) -> bool:
    """The retry schedule of kept deliveries: ten quick tries (every run), then one an hour for `SLOW_ATTEMPTS`
    hours, then `late_attempts` more one every `LATE_EVERY`; none from `until` after it was written."""
    if attempts == 0:
        return True  # never tried (its process stopped before the send): once at least, however late
    if now >= written_at + until:
        return False
    if attempts < QUICK_ATTEMPTS:
        return True
    extra = attempts - QUICK_ATTEMPTS + 1
    if extra > SLOW_ATTEMPTS + late_attempts:
        return False
    if extra <= SLOW_ATTEMPTS:
        return now >= written_at + timedelta(hours=extra)
    return now >= written_at + timedelta(hours=SLOW_ATTEMPTS) + (extra - SLOW_ATTEMPTS) * LATE_EVERY


# E-mails (`Mail`) are kept trying longer than alerts' Telegram messages, which the office resends by hand on the
# alerts page: a mail server down from Friday evening to Monday morning, or over a holiday of a few days, must not
# lose the Governor's alert letter or the monthly report. After the first day, one try every `LATE_EVERY` …
LATE_EVERY = timedelta(hours=2)
# … until this long after the letter was written; then the administrator sends it again («Письма»).
MAIL_KEPT = timedelta(days=4)
LATE_ATTEMPTS = (MAIL_KEPT - timedelta(hours=SLOW_ATTEMPTS)) // LATE_EVERY
MAIL_MAX_ATTEMPTS = MAX_ATTEMPTS + LATE_ATTEMPTS


def mail_due_again(attempts: int, written_at: datetime, now: datetime) -> bool:
    """Whether a kept e-mail with `attempts` behind it is tried again on this run: as `due_again` for the first day
    (ten quick tries, then one an hour), then one every `LATE_EVERY` until `MAIL_KEPT` after it was written; then
    given up (the administrator sends it again by hand)."""
    return _retry_due(attempts, written_at, now, late_attempts=LATE_ATTEMPTS, until=MAIL_KEPT + LATE_EVERY)


class Alert(models.Model):
    """An immediate report to the Governor's office (R-14) with its evidence and its delivery."""

    class Kind(models.TextChoices):
        SIGNIFICANT = "significant", "общественно значимое"
        SURGE = "surge", "всплеск активности"

    class Delivery(models.TextChoices):
        PENDING = "pending", "ожидает отправки"
        SENDING = "sending", "отправляется"
        SENT = "sent", "отправлено"
        FAILED = "failed", "ошибка отправки"
        OFF = "off", "канал не настроен"

    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    key = models.CharField("ключ (одно оповещение на событие)", max_length=200, unique=True)
    title = models.CharField("заголовок", max_length=300)
    text = models.TextField("текст")
    # the message's address (up to 1000 characters, `Message.url`), or a surge's samples', and the case page's,
    # joined by a space (`named_links`): kept whole, so the case's link is never cut off
    link = models.TextField("ссылка", blank=True)
    place = models.CharField("место", max_length=300, blank=True)
    audience = models.CharField("аудитория", max_length=300, blank=True)
    evidence: models.JSONField[Any, Any] = models.JSONField("доказательства", default=dict, blank=True)
    message = models.ForeignKey(
        "intake.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="сообщение",
    )
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="обращение",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("создано", db_index=True)
    telegram_state = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.PENDING)
    telegram_attempts = models.PositiveSmallIntegerField(default=0)
    telegram_error = models.TextField(blank=True)
    # When the current attempt claimed the alert (state SENDING): another sender leaves it alone until the claim
    # is older than `alerts.SENDING_STALE` (its process stopped mid-send), then takes it over.
    telegram_claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "срочное оповещение (п. 14)"
        verbose_name_plural = "срочные оповещения (п. 14)"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def named_links(self) -> list[NamedLink]:
        """The alert's links by name («Обращение № 182», «Сообщение в сети»), for the page, the letter, Telegram."""
        return named_links(self.link, self.case_id)

    @property
    def telegram_problem(self) -> str:
        """What the administrator must know of the Telegram delivery, in Russian (empty when all is well)."""
        error = self.telegram_error
        if error.startswith(MIGRATED):
            old, _, new = error.removeprefix(MIGRATED).strip().partition(" -> ")
            return (
                f"Группа Telegram {old} преобразована в супергруппу {new}: оповещение отправлено туда. "
                f"Укажите {new} в настройке OTKLIK_ALERT_TELEGRAM_CHAT_ID."
            )
        if not error or self.telegram_state != self.Delivery.FAILED:
            return ""
        if error == INTERRUPTED:
            return (
                "Попытка отправки прервана: процесс остановился, не дождавшись ответа Telegram. Автоматических "
                "попыток больше не будет: отправьте оповещение снова кнопкой ниже."
            )
        low = error.lower()
        name = error.partition(":")[0]
        transport = getattr(httpx, name, None)
        if name in SETTING_ERRORS:
            reason = (
                "Настройка Telegram для оповещений неверна: адрес Bot API, токен бота или идентификатор чата "
                "содержат недопустимые символы. Исправьте OTKLIK_ALERT_TELEGRAM_BASE_URL, "
                "OTKLIK_ALERT_TELEGRAM_TOKEN и OTKLIK_ALERT_TELEGRAM_CHAT_ID и перезапустите службы: "
                "оповещение будет отправлено повторно автоматически."
            )
        elif not error[:1].isdigit() and not (
            isinstance(transport, type) and issubclass(transport, httpx.TransportError)
        ):
            reason = (
                "Отправка в Telegram не удалась из-за внутренней ошибки системы (подробности в журнале): "
                "оповещение будет отправлено повторно автоматически."
            )
        elif "kicked" in low or "not a member" in low:
            reason = "Бот исключён из чата аппарата Губернатора: добавьте бота в чат снова."
        elif "blocked" in low:
            reason = "Бот заблокирован в чате аппарата Губернатора: разблокируйте бота."
        elif "chat not found" in low:
            reason = (
                "Чат не найден: проверьте идентификатор чата (OTKLIK_ALERT_TELEGRAM_CHAT_ID) "
                "и что бот добавлен в этот чат."
            )
        elif low.startswith("403"):
            reason = (
                "Боту запрещено писать в чат аппарата Губернатора: дайте боту право отправлять сообщения."
            )
        elif low.startswith("401") or low.startswith("404"):
            reason = "Telegram не принял токен бота: проверьте OTKLIK_ALERT_TELEGRAM_TOKEN."
        elif low.startswith("429"):
            reason = (
                "Telegram временно ограничил отправку: оповещение будет отправлено повторно автоматически."
            )
        elif low.startswith(("4",)):
            reason = "Telegram отклонил сообщение."
        else:
            reason = (
                "Нет связи с Telegram или он не ответил: оповещение будет отправлено повторно автоматически."
            )
        if self.telegram_attempts >= MAX_ATTEMPTS:
            reason = reason.replace(
                "оповещение будет отправлено повторно автоматически",
                "автоматические попытки за сутки закончились, отправьте оповещение снова кнопкой ниже",
            )
        return f"{reason} Ответ Telegram: {error}"


# The errors of a mail server that was not reached or went away (`services._unreachable`), as `Mail.error` keeps
# them («ConnectionRefusedError: [Errno 111] …»).
MAIL_UNREACHABLE = (
    "ConnectionRefusedError",
    "ConnectionResetError",
    "ConnectionAbortedError",
    "ConnectionError",
    "TimeoutError",
    "gaierror",
    "OSError",
    "SMTPConnectError",
    "SMTPServerDisconnected",
)


# The addresses and codes in the error of a refused letter as `services.send_kept_mail` keeps it:
# «SMTPRecipientsRefused: {'priemnaya@example.org': (550, b'5.1.1 no such user')}».
REFUSED_ADDRESS = re.compile(r"'([^'\s]+@[^'\s]+)': \((\d{3})")
# The error of a letter whose attempt was interrupted with its process while the mail server had it
# (`services.retry_mail`): whether the server took it is unknown.
MAIL_INTERRUPTED = "attempt interrupted: the process stopped while the mail server had the letter"
# A letter's claim older than this was lost with its process: a send gives up within minutes (`EMAIL_TIMEOUT` a
# step), so the letter is then sent again (once the next attempt is due) or by hand.
MAIL_LEASE = timedelta(minutes=10)


class Mail(models.Model):
    """An e-mail of a notice (a report, an R-14 alert), kept until the mail server has taken it: a server that is
    down loses nothing, the message is retried by the `resend_alerts` task and its last error is shown here."""

    class State(models.TextChoices):
        PENDING = "pending", "ожидает отправки"
        SENDING = "sending", "отправляется"
        SENT = "sent", "отправлено"
        FAILED = "failed", "ошибка отправки"

    to: models.JSONField[Any, Any] = models.JSONField("адресаты", default=list)
    subject = models.CharField("тема", max_length=400)
    text = models.TextField("текст", blank=True)
    attachments: models.JSONField[Any, Any] = models.JSONField(
        "вложения", default=list, blank=True, help_text="Имя, тип и содержимое (base64) каждого файла"
    )
    created_at = models.DateTimeField("создано", db_index=True)
    state = models.CharField("состояние", max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    error = models.TextField("последняя ошибка", blank=True)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    # When the current attempt claimed the letter (state SENDING, `services.send_kept_mail`): every other sender
    # leaves it to that attempt until the claim is older than `MAIL_LEASE` (its process stopped mid-send).
    claimed_at = models.DateTimeField("начало текущей попытки отправки", null=True, blank=True)
    # An attempt was interrupted with its process while the mail server had the letter: the server may have taken
    # it, so every later copy says it may be a repeat (`services.MAYBE_SENT_NOTE`).
    maybe_sent = models.BooleanField("возможно, уже доставлено", default=False)
    # the alert this letter carries (`services.notify_people`), whose page shows its delivery beside Telegram's
    alert = models.ForeignKey(
        Alert,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mails",
        verbose_name="срочное оповещение",
    )

    class Meta:
        verbose_name = "письмо"
        verbose_name_plural = "письма"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "attempts"], name="mail_to_send")]

    def __str__(self) -> str:
        return self.subject

    @property
    def given_up(self) -> bool:
        """No automatic try is left (`mail_due_again`): the administrator sends it again by hand."""
        return self.attempts >= MAIL_MAX_ATTEMPTS or (
            self.attempts > 0 and timezone.now() >= self.created_at + MAIL_KEPT + LATE_EVERY
        )

    @property
    def problem(self) -> str:
        """Why the letter has not gone and what comes next, in Russian, for the administrator in «Письма» (empty
        when it went or was never tried); the precise error stays beside it (`error`)."""
        reason = self.reason
        if not reason:
            return ""
        if self.given_up:
            then = "Автоматические попытки закончились: отправьте письмо действием «Отправить ещё раз»."
        else:
            then = self.retried_until
        return f"{reason} {then}"

    @property
    def problem_on_alerts_page(self) -> str:
        """R-14: the same for the office and the curators on the alerts page, whose button sends it again."""
        reason = self.reason
        if not reason:
            return ""
        if self.given_up:
            then = "Автоматические попытки закончились: отправьте письмо снова кнопкой ниже."
        else:
            then = f"{self.retried_until} Можно отправить его снова кнопкой ниже."
        return f"{reason} {then}"

    @property
    def retried_until(self) -> str:
        until = timezone.localtime(self.created_at + MAIL_KEPT)
        return f"Письмо будет отправлено повторно автоматически (попытки до {until:%d.%m.%Y %H:%M} мск)."

    @property
    def reason(self) -> str:
        """Why the letter has not gone, in Russian (empty when it went, is being sent or was never tried)."""
        if self.state in (self.State.SENT, self.State.SENDING) or not self.error:
            return ""
        name = self.error.partition(":")[0]
        if self.error == MAIL_INTERRUPTED:
            reason = (
                "Попытка отправки прервана: процесс остановился, пока почтовый сервер принимал письмо, и "
                "неизвестно, принял ли он его. Следующая копия начнётся словами «Возможно, это письмо уже "
                "приходило»."
            )
        elif name in MAIL_UNREACHABLE:
            reason = (
                "Почтовый сервер недоступен (не отвечает или отказал в соединении): проверьте, что он работает, "
                "и настройки EMAIL_HOST, EMAIL_PORT."
            )
        elif name == "SMTPAuthenticationError":
            reason = "Почтовый сервер не принял имя пользователя или пароль: проверьте EMAIL_HOST_USER и EMAIL_HOST_PASSWORD."
        elif name == "SMTPRecipientsRefused":
            refused = ", ".join(
                f"{address} (ответ {code})" for address, code in REFUSED_ADDRESS.findall(self.error)
            )
            reason = (
                f"Почтовый сервер отказался принять письмо для адресов {refused}: проверьте адреса."
                if refused
                else "Почтовый сервер отказался принять письмо для этих адресатов: проверьте адреса."
            )
        elif name == "SMTPSenderRefused":
            reason = "Почтовый сервер не принял адрес отправителя: проверьте DEFAULT_FROM_EMAIL."
        elif name.startswith("SMTP"):
            reason = "Почтовый сервер отказался принять письмо."
        else:
            reason = "Письмо не отправлено из-за ошибки при передаче почтовому серверу."
        return reason


class RunLock(models.Model):
    """A periodic job that must not run twice at once (R-14: the surge detector, `analysis.surges.detect`, which
    every worker and clock may start): its run locks this row (`services.hold_run_lock`) for the part that reads
    and writes alerts, so a second run at the same moment waits and then finds the first one's alerts."""

    name = models.CharField("задача", max_length=50, unique=True)
    ran_at = models.DateTimeField("последний запуск", null=True, blank=True)

    class Meta:
        verbose_name = "блокировка запуска"
        verbose_name_plural = "блокировки запуска"

    def __str__(self) -> str:
        return self.name
