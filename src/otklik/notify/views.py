"""Notices and R-14 alerts in the app."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from otklik.cases.models import Case
from otklik.cases.paging import page_of
from otklik.intake.models import Message
from otklik.org.models import Person, Role
from otklik.web.numbers import record_number
from otklik.web.templatetags.otklik_tags import web_urls
from otklik.web.typed import posted_text

from .alerts import AlertRefused, Marked, lost_claim, mark_significant, send_telegram, telegram_config
from .models import Alert, Mail, Notice
from .services import lost_mail_claim, mark_reports_shown, send_again, unseen_alerts

logger = logging.getLogger(__name__)
ALERTS_PAGE = 100


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    items = list(Notice.objects.filter(recipient_id=request.user.pk)[:100])
    mark_reports_shown(items)  # a report shown here is read
    # an alert's notice names its links as the alert does («Обращение № 182»); its alert is the one raised
    # with it (the same title and moment, `alerts.raise_alert`)
    moments = {n.created_at for n in items if n.kind == Notice.Kind.ALERT}
    alerts = (
        {(a.title, a.created_at): a for a in Alert.objects.filter(created_at__in=moments)} if moments else {}
    )
    for n in items:
        alert = alerts.get((n.title, n.created_at)) if n.kind == Notice.Kind.ALERT else None
        names = {named.url: named.label for named in alert.named_links} if alert is not None else {}
        n.links = [  # type: ignore[attr-defined]
            (url, names.get(url, f"ссылка {i}")) for i, url in enumerate(web_urls(n.link), start=1)
        ]
    return render(request, "notify/notices.html", {"items": items})


def _may_see_alerts(user: Person) -> bool:
    return bool({Role.Kind.CURATOR, Role.Kind.OBSERVER, Role.Kind.ADMINISTRATOR} & set(user.role_kinds()))


def _alerts_page(
    request: HttpRequest,
    me: Person,
    *,
    error: str = "",
    status: int = 200,
    form: dict[str, str] | None = None,
) -> HttpResponse:
    # the alerts new to this person (their notice of it unread) are marked «новое» and, shown now, seen; the
    # notices are read before the alerts, so an alert raised meanwhile stays new (notice and alert commit together)
    unseen = list(unseen_alerts(me).values_list("pk", "title", "created_at"))
    # 100 a page, newest first; the older ones a page further (`page`): an alert past the first page is marked
    # seen when its page is shown, so the desktop's count of new ones comes down to 0 as the pages are read
    page = page_of(request, Alert.objects.select_related("created_by"), ALERTS_PAGE)
    items: list[Alert] = list(page.object_list)
    now = timezone.now()
    fresh = {(title, at) for _, title, at in unseen}
    new = {a.pk for a in items if (a.title, a.created_at) in fresh}
    on_page = {(a.title, a.created_at) for a in items}
    seen = [pk for pk, title, at in unseen if (title, at) in on_page]  # not an alert of another page
    if seen:
        Notice.objects.filter(pk__in=seen, read_at__isnull=True).update(read_at=now)
    telegram_on = telegram_config() is not None
    # the button «Отправить в Telegram снова» (`resend`): a failure, a claim lost with its sender (`lost_claim`, as the
    # senders judge it), an alert raised while Telegram was not configured once it is
    shown = Q(telegram_state=Alert.Delivery.FAILED) | lost_claim(now)
    if telegram_on:
        shown |= Q(telegram_state=Alert.Delivery.OFF)
    resendable = set(Alert.objects.filter(shown, pk__in=[a.pk for a in items]).values_list("pk", flat=True))
    # each alert's letter with its delivery (sent, being sent, retrying, failed with the reason in Russian);
    # the button «Отправить письмо снова» for a letter the server did not take or whose sender stopped
    letters: dict[int, list[Mail]] = defaultdict(list)
    kept = Mail.objects.filter(alert_id__in=[a.pk for a in items]).defer("text", "attachments")
    lost = set(kept.filter(lost_mail_claim(now)).values_list("pk", flat=True))  # as the senders judge it
    for letter in kept.order_by("id"):
        letter.resendable = letter.state == Mail.State.FAILED or letter.pk in lost  # type: ignore[attr-defined]
        letters[letter.alert_id or 0].append(letter)
    for a in items:
        a.letters = letters.get(a.pk, [])  # type: ignore[attr-defined]
        a.mail_resendable = any(m.resendable for m in a.letters)  # type: ignore[attr-defined]
    context = {
        "items": items,
        "page_obj": page,
        "new_elsewhere": len(unseen) - len(seen),
        "resendable": resendable,
        "new": new,
        "tracks_new": me.is_observer,
        "is_curator": me.has_role(Role.Kind.CURATOR),
        "error": error,
        "form": form or {},
    }
    return render(request, "notify/alerts.html", context, status=status)


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """R-14: the alerts sent to the Governor's office; curators mark significant messages and cases here."""
    me: Person = request.user  # type: ignore[assignment]
    if not _may_see_alerts(me):
        raise PermissionDenied("Срочные оповещения видят кураторы и наблюдатели.")
    return _alerts_page(request, me)


@login_required
@require_POST
def resend(request: HttpRequest, pk: int) -> HttpResponse:
    """R-14: the office sends an alert whose Telegram delivery failed again, now (after fixing the chat or the
    bot, or when the automatic attempts have ended), or one raised while Telegram was not configured; one attempt,
    claimed as the automatic ones are (an alert another sender has in hand is not sent twice)."""
    me: Person = request.user  # type: ignore[assignment]
    if not _may_see_alerts(me):
        raise PermissionDenied("Срочные оповещения видят кураторы и наблюдатели.")
    alert = Alert.objects.filter(pk=pk).first()
    if alert is None:
        messages.error(request, f"Оповещения № {pk} нет.")
    elif request.POST.get("channel") == "email":
        _resend_mail(request, me, alert)
    elif alert.telegram_state == Alert.Delivery.SENT:
        messages.info(request, f"Оповещение «{alert.title}» уже доставлено в Telegram.")
    else:
        state = send_telegram(alert.pk, by_hand=True)
        alert.refresh_from_db()
        if state == Alert.Delivery.SENT:
            logger.info("alert %s: resent to Telegram by %s", alert.pk, me.username)
            messages.success(request, f"Оповещение «{alert.title}» доставлено в Telegram.")
        elif state == Alert.Delivery.SENDING:
            messages.info(
                request,
                f"Оповещение «{alert.title}» уже отправляется в Telegram другой попыткой (автоматической или "
                "другого сотрудника); второй раз оно не отправлено. Обновите страницу через минуту, чтобы увидеть результат.",
            )
        elif state == Alert.Delivery.OFF:
            messages.error(request, "Telegram для оповещений не настроен (OTKLIK_ALERT_TELEGRAM_*).")
        else:
            problem = alert.telegram_problem or "Telegram не принял сообщение."
            messages.error(request, f"Оповещение «{alert.title}» не доставлено: {problem}")
    return redirect("notify:alerts")


def _resend_mail(request: HttpRequest, me: Person, alert: Alert) -> None:
    """R-14: the office or a curator sends the alert's letter again now (the address fixed, or the automatic
    attempts over): one attempt, claimed as the automatic ones are (a letter being sent is not sent twice)."""
    letters = list(alert.mails.exclude(state=Mail.State.SENT).values_list("pk", flat=True))
    if not letters:
        if alert.mails.exists():
            messages.info(request, f"Письмо оповещения «{alert.title}» уже отправлено.")
        else:
            messages.error(
                request, f"У оповещения «{alert.title}» нет письма: адреса для оповещений не указаны."
            )
        return
    outcome = send_again(letters)
    logger.info(
        "alert %s: letters %s sent again by %s: %d sent, %d being sent, %d not",
        alert.pk,
        letters,
        me.username,
        outcome.sent,
        len(outcome.sending),
        len(outcome.failed),
    )
    if outcome.sent:
        messages.success(request, f"Письмо оповещения «{alert.title}» отправлено.")
    if outcome.sending:
        messages.info(
            request,
            f"Письмо оповещения «{alert.title}» уже отправляется другой попыткой (автоматической или другого "
            "сотрудника); второй раз оно не отправлено. Обновите страницу через минуту, чтобы увидеть результат.",
        )
    for letter in outcome.failed:
        messages.error(
            request, f"Письмо оповещения «{alert.title}» не отправлено: {letter.problem_on_alerts_page}"
        )


class _NotFound(Exception):
    pass


R = TypeVar("R", Message, Case)


def _row(model: type[R], typed: str, what: str) -> R:
    """The message or case with the number the curator typed; a Russian reason when there is none."""
    try:
        pk = record_number(typed)
    except ValueError:
        raise _NotFound("Номер указывается цифрами.") from None
    row = model.objects.filter(pk=pk).first() if pk else None
    if row is None:
        raise _NotFound(f"{what} № {typed} не найдено.")
    return row


def _find(message_id: str, case_id: str) -> tuple[Message | None, Case | None]:
    """The message (it wins when both numbers are given) or the case the curator typed; a Russian reason if none."""
    if message_id:
        return _row(Message, message_id, "Сообщение"), None
    if case_id:
        return None, _row(Case, case_id, "Обращение")
    return None, None  # `mark_significant` says what is missing


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", "»")) else f"{text}."


def _telegram_said(alert: Alert) -> str:
    """How the alert's Telegram delivery stands, as the curator is told it."""
    state = Alert.Delivery(alert.telegram_state)
    if state == Alert.Delivery.FAILED:
        return _sentence(
            f"В Telegram не доставлено: {alert.telegram_problem or 'Telegram не принял сообщение'}"
        )
    return {
        Alert.Delivery.PENDING: "В Telegram ожидает отправки.",
        Alert.Delivery.SENDING: "В Telegram отправляется.",
        Alert.Delivery.SENT: "В Telegram доставлено.",
        Alert.Delivery.OFF: "Telegram не настроен.",
    }[state]


def _mail_said(alert: Alert) -> str:
    """How the alert's letter stands (`Mail`), as the curator is told it."""
    letters = list(alert.mails.order_by("id"))
    if not letters:
        return "Письмо не отправлялось: адреса для оповещений не указаны."
    said = []
    for letter in letters:
        state = Mail.State(letter.state)
        if state == Mail.State.FAILED:
            then = (
                "Автоматические попытки закончились: его можно отправить снова на странице «Срочные оповещения»."
                if letter.given_up
                else letter.retried_until
            )
            said.append(_sentence(f"Письмо не доставлено: {letter.reason} {then}"))
        else:
            said.append(
                {
                    Mail.State.PENDING: "Письмо ожидает отправки.",
                    Mail.State.SENDING: "Письмо отправляется.",
                    Mail.State.SENT: "Письмо отправлено.",
                }[state]
            )
    return " ".join(said)


def _delivery(alert: Alert) -> tuple[str, bool]:
    """R-14: what became of the alert in each channel — in the app (the observers' notices), by e-mail, in
    Telegram — in sentences, and whether any channel failed."""
    alert.refresh_from_db(fields=["telegram_state", "telegram_error", "telegram_attempts"])
    in_app = Notice.objects.filter(
        kind=Notice.Kind.ALERT, title=alert.title, created_at=alert.created_at
    ).count()
    failed = (
        alert.telegram_state == Alert.Delivery.FAILED or alert.mails.filter(state=Mail.State.FAILED).exists()
    )
    app = f"В системе — наблюдателям: {in_app}." if in_app else "В системе наблюдателей нет."
    return f"{app} {_mail_said(alert)} {_telegram_said(alert)}", failed


def _delivered(alert: Alert, failed: bool) -> tuple[str, bool]:
    """How the alert's delivery to the Governor's office stands: "delivered" (some channel took it), "going" (none
    failed and one is still sending) or "lost" (no channel took it and none is still sending: no observers, no
    addresses, Telegram not set up, or every channel failed), and whether it is told as a problem. `failed`: a
    channel failed (`_delivery`, which the caller has read)."""
    if (
        Notice.objects.filter(kind=Notice.Kind.ALERT, title=alert.title, created_at=alert.created_at).exists()
        or alert.telegram_state == Alert.Delivery.SENT
        or alert.mails.filter(state=Mail.State.SENT).exists()
    ):
        return "delivered", failed
    going = {Alert.Delivery.PENDING, Alert.Delivery.SENDING}
    if not failed and (
        alert.telegram_state in going
        or alert.mails.filter(state__in=[Mail.State.PENDING, Mail.State.SENDING]).exists()
    ):
        return "going", failed
    return "lost", True


def _marked_now(marked: Marked, *, stamped: bool = False) -> tuple[str, bool]:
    """The curator's message after a new mark: the alert went to the Governor's office as far as any channel took
    it (or is being sent), and each channel's outcome, a failure with its reason in Russian. `stamped`: the title
    says when it was marked (a mark answered in place, on a page that goes on showing it)."""
    alert = marked.alert
    said, failed = _delivery(alert)
    title = alert.title
    if stamped:
        title += " — отмечено " + timezone.localtime(alert.created_at).strftime("%d.%m.%Y %H:%M")
    state, failed = _delivered(alert, failed)
    head = {
        "delivered": f"Оповещение отправлено в аппарат Губернатора: {title}.",
        "going": f"Оповещение отправляется в аппарат Губернатора: {title}.",
        # said as a problem, as a failed channel is
        "lost": f"Оповещение «{title}» записано, но в аппарат Губернатора не доставлено.",
    }[state]
    return f"{head} {said}", failed


def _already_marked(subject: str, marked: Marked) -> tuple[str, bool]:
    """The truth about a second mark: when the alert went, how its delivery stands (a problem when no channel took
    it or one failed, as after the first mark), what became of the comment."""
    alert = marked.alert
    when = timezone.localtime(alert.created_at).strftime("%d.%m.%Y %H:%M")
    delivery, failed = _delivery(alert)
    state, failed = _delivered(alert, failed)
    how = {
        "delivered": "оповещение было отправлено",
        "going": "оповещение отправляется",
        "lost": "в аппарат Губернатора оповещение не доставлено",
    }[state]
    note = {
        "added": " Новый комментарий добавлен к оповещению на странице «Оповещения», "
        "в аппарат Губернатора он не отправлялся.",
        "known": " Этот комментарий в оповещении уже есть.",
        "none": "",
    }[marked.note]
    return f"{subject} уже отмечено как общественно значимое {when}; {how}. {delivery}{note}", failed


def _next_or_alerts(request: HttpRequest) -> HttpResponse:
    """Back where the curator came from, if that is this site; anything else goes to the alerts page."""
    target = request.POST.get("next", "").strip()
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)  # a path, never read as a view's name
    return redirect("notify:alerts")


@login_required
@require_POST
def significant(request: HttpRequest) -> HttpResponse:
    me: Person = request.user  # type: ignore[assignment]
    if not me.has_role(Role.Kind.CURATOR):
        raise PermissionDenied("Отметить сообщение как общественно значимое может только куратор.")
    # less NUL and the controls a clipboard carries: PostgreSQL refuses NUL in the alert's text and its JSON
    form = {k: posted_text(request, k).strip() for k in ("message", "case", "note")}
    try:
        message, case = _find(form["message"], form["case"])
        marked = mark_significant(
            me,
            message=message,
            case=case,
            note=form["note"],
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except (_NotFound, AlertRefused) as e:
        if request.htmx:  # type: ignore[attr-defined]
            return _in_place(str(e), "error")
        return _alerts_page(request, me, error=str(e), status=400, form=form)
    if marked.new:
        said, failed = _marked_now(marked, stamped=bool(request.htmx))  # type: ignore[attr-defined]
        level = "warning" if failed else "success"
    else:
        subject = f"Сообщение № {message.pk}" if message is not None else f"Обращение № {case.pk}"  # type: ignore[union-attr]
        said, failed = _already_marked(subject, marked)
        level = "warning" if failed else "info"
    if request.htmx:  # type: ignore[attr-defined]
        # a channel failed: told as a problem in place; the text says when it was marked (the second mark's too)
        return _in_place(said, "error" if level == "warning" else level)
    kind = {"success": messages.SUCCESS, "warning": messages.WARNING}.get(level, messages.INFO)
    messages.add_message(request, kind, said)
    return _next_or_alerts(request)


def _in_place(text: str, level: str) -> HttpResponse:
    """The answer to a mark sent from a page with a form of its own (the dispatch form, R-8.1): said in place, so
    the page is not reloaded and what the curator typed there stays. A refusal is answered 200 too, as htmx swaps
    only those."""
    role = "alert" if level == "error" else "status"
    return HttpResponse(
        format_html('<p class="said {}" data-testid="said"><span role="{}">{}</span></p>', level, role, text)
    )
