"""R-14: what must reach the Governor at once — a message or case the curator marks as socially significant, and
a surge of activity (`otklik.analysis.surges`) — in the app, by e-mail and in a Telegram chat through the Bot API.

One alert per event (a unique key), so a double click or a surge that goes on does not alert twice. The Telegram
message is sent after the transaction commits; a failure is kept on the alert and retried by `retry_alerts`.

Settings (or environment): OTKLIK_ALERT_TELEGRAM = {"base_url": "https://api.telegram.org", "token": "…",
"chat_id": "…"} (env OTKLIK_ALERT_TELEGRAM_BASE_URL, OTKLIK_ALERT_TELEGRAM_TOKEN, OTKLIK_ALERT_TELEGRAM_CHAT_ID);
OTKLIK_ALERT_EMAILS: extra addresses of the Governor's office.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Literal

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from otklik.analysis.models import Kind, Suggestion
from otklik.analysis.moderation import hide_obscene
from otklik.cases.models import WHOLE_OBLAST, Case
from otklik.intake.models import Message
from otklik.org.models import Person, Role

from .models import INTERRUPTED, MAX_ATTEMPTS, MIGRATED, Alert, Notice, due_again
from .services import STALE_PENDING, notify_people, observers

logger = logging.getLogger(__name__)


class AlertRefused(Exception):
    pass


@dataclass(frozen=True)
class Marked:
    """What marking as significant did: `new` — the alert was raised now; otherwise it had been raised before
    and `note` tells what became of the curator's comment: added to the alert's record, already there, or none."""

    alert: Alert
    new: bool
    note: Literal["added", "known", "none"] = "none"


@dataclass(frozen=True)
class TelegramConfig:
    base_url: str
    token: str
    chat_id: str


def _setting(conf: dict[str, Any], key: str, env: str) -> str:
    """One Telegram setting, its surrounding whitespace dropped: a line of an environment file saved with Windows
    line ends carries a «\r» that would make the bot's address invalid."""
    return str(conf.get(key) or os.environ.get(env) or "").strip()


def telegram_config() -> TelegramConfig | None:
    conf: dict[str, Any] = dict(getattr(settings, "OTKLIK_ALERT_TELEGRAM", None) or {})
    base = _setting(conf, "base_url", "OTKLIK_ALERT_TELEGRAM_BASE_URL") or "https://api.telegram.org"
    token = _setting(conf, "token", "OTKLIK_ALERT_TELEGRAM_TOKEN")
    chat = _setting(conf, "chat_id", "OTKLIK_ALERT_TELEGRAM_CHAT_ID")
    if not token or not chat:
        return None
    return TelegramConfig(base.rstrip("/"), token, chat)


def extra_emails() -> list[str]:
    """The office's addresses, separated by commas (a semicolon or a space, as mail programs write them, too)."""
    value = getattr(settings, "OTKLIK_ALERT_EMAILS", None) or os.environ.get("OTKLIK_ALERT_EMAILS", "")
    if isinstance(value, str):
        value = re.split(r"[,;\s]+", value)
    return [v.strip() for v in value if v and v.strip()]


ALERT_TEXT = 1500  # characters of the marked message an alert carries (the link has it all)
TELEGRAM_LIMIT = 4096  # characters of a sendMessage text, as the Bot API counts them (code points)


# the first line of a resend after an attempt whose outcome is unknown (`MAYBE_SENT`), as the letters say it
MAYBE_SENT_LINE = "Возможно, это оповещение уже приходило в чат выше: предыдущая отправка прервалась."
MAYBE_SENT = (
    "telegram_maybe_sent"  # in `Alert.evidence`: an attempt ended with no answer that proves a refusal
)


def telegram_text(alert: Alert) -> str:
    """The alert as plain text (no parse_mode: a citizen's «<», «&», «_», «*» are shown as written). A text too
    long for Telegram is cut, never the place, the audience or the link the office acts on. After an attempt
    that may have delivered it (`MAYBE_SENT`), it says it may be a repeat."""
    head = f"⚠ {alert.title}"
    if isinstance(alert.evidence, dict) and alert.evidence.get(MAYBE_SENT):
        head = f"{MAYBE_SENT_LINE}\n{head}"
    tail = [
        x
        for x in (
            f"Место: {alert.place}" if alert.place else "",
            f"Аудитория: {alert.audience}" if alert.audience else "",
            # plain text: the address after the name keeps the link working in the chat
            *(f"{named.label}: {named.url}" for named in alert.named_links),
        )
        if x
    ]
    room = TELEGRAM_LIMIT - len("\n".join([head, "", *tail]))
    text = alert.text
    if len(text) > room:
        text = text[: max(room - 1, 0)].rstrip() + "…"
    return "\n".join([head, text, *tail])[:TELEGRAM_LIMIT]


def _migrated_chat(chat_id: str) -> str | None:
    """The supergroup the configured group chat was upgraded to, as Telegram told an earlier send."""
    earlier = (
        Alert.objects.filter(evidence__telegram_migrated_from=chat_id)
        .order_by("-id")
        .values_list("evidence", flat=True)
        .first()
    )
    return (
        str(earlier["telegram_chat"]) if isinstance(earlier, dict) and earlier.get("telegram_chat") else None
    )


def _post(conf: TelegramConfig, chat_id: str, text: str) -> tuple[bool, str, dict[str, Any]]:
    """One sendMessage: (delivered, the error as Telegram gave it, the answer's `parameters`; `MAYBE_SENT` in them
    when the answer is not Telegram's «ok»: false — a gateway's error page, a cut answer —, so it may have been
    posted)."""
    response = httpx.post(
        f"{conf.base_url}/bot{conf.token}/sendMessage",
        json={"chat_id": chat_id, "text": text, "link_preview_options": {"is_disabled": True}},
        timeout=10,
    )
    try:
        body = response.json() if "json" in response.headers.get("content-type", "") else {}
    except ValueError:  # a proxy's page or a cut answer: a failure with what came, not a crash
        body = {}
    if not isinstance(body, dict):
        body = {}
    if response.status_code == 200 and body.get("ok"):
        return True, "", {}
    parameters = body.get("parameters")
    told = dict(parameters) if isinstance(parameters, dict) else {}
    if "ok" not in body:  # not Telegram's own word (a gateway's 502, a cut answer): it may have been posted
        told[MAYBE_SENT] = True
    return False, f"{response.status_code}: {body.get('description', response.text[:200])}", told


# An attempt claimed this long ago and not finished was lost with its process (a send itself gives up after
# seconds: `_post`'s timeout): another sender may take the alert over.
SENDING_STALE = timedelta(minutes=5)


def lost_claim(now: datetime) -> Q:
    """Alerts claimed by a sender that did not finish within `SENDING_STALE`: its process stopped."""
    return Q(telegram_state=Alert.Delivery.SENDING) & (
        Q(telegram_claimed_at__lt=now - SENDING_STALE) | Q(telegram_claimed_at__isnull=True)
    )


def retried_later(attempts: int, created_at: datetime, now: datetime) -> bool:
    """Whether the periodic resend may still take an alert with `attempts` behind it, on this run or a later one:
    fewer than `MAX_ATTEMPTS` and the day of `models.due_again` not over (one try at least if never tried)."""
    return attempts < MAX_ATTEMPTS and due_again(min(attempts, 1), created_at, now)


def claimable(now: datetime, *, by_hand: bool = False) -> Q:
    """The alerts a sender may claim now: not delivered and not being sent by another sender (a claim older than
    `SENDING_STALE` was lost). `by_hand`: the office's resend also takes an alert raised while Telegram was not
    configured (the automatic resend does not send those: they may be long past)."""
    states = [Alert.Delivery.PENDING, Alert.Delivery.FAILED]
    if by_hand:
        states.append(Alert.Delivery.OFF)
    return Q(telegram_state__in=states) | lost_claim(now)


def send_telegram(alert_id: int, *, by_hand: bool = False, now: datetime | None = None) -> str:
    """Send one alert to the Governor's office chat; returns the delivery state (SENDING: another sender has it
    in hand right now, nothing was sent by this call).

    A group chat upgraded to a supergroup (400 with `migrate_to_chat_id`) gets the alert in the supergroup at
    once; later alerts go there directly, and every alert sent so says so (Russian on the alerts page) until
    the setting names the new chat."""
    now = now or timezone.now()
    conf = telegram_config()
    alert = Alert.objects.get(pk=alert_id)
    if alert.telegram_state == Alert.Delivery.SENT:
        return alert.telegram_state
    if conf is None:
        Alert.objects.filter(
            pk=alert_id, telegram_state__in=[Alert.Delivery.PENDING, Alert.Delivery.FAILED]
        ).update(telegram_state=Alert.Delivery.OFF)
        return str(Alert.objects.values_list("telegram_state", flat=True).get(pk=alert_id))
    # Claim this attempt: of two senders at once (the send after the commit, the periodic resend, the office's
    # resend by hand), only the one whose conditional update marks the alert SENDING sends; the others see the
    # claim and leave the alert to it until it ends (or is lost: `SENDING_STALE`).
    attempts = alert.telegram_attempts + 1
    claimed = Alert.objects.filter(
        claimable(now, by_hand=by_hand), pk=alert_id, telegram_attempts=alert.telegram_attempts
    ).update(
        telegram_attempts=attempts,
        telegram_state=Alert.Delivery.SENDING,
        telegram_claimed_at=max(now, timezone.now()),
    )  # the claim's moment, not the run's
    if not claimed:
        return str(Alert.objects.values_list("telegram_state", flat=True).get(pk=alert_id))
    error = ""
    chat = _migrated_chat(conf.chat_id) or conf.chat_id
    text = telegram_text(alert)
    try:
        delivered, error, parameters = _post(conf, chat, text)
        moved = parameters.get("migrate_to_chat_id")
        if not delivered and moved:
            logger.error(
                "Telegram chat %s was upgraded to supergroup %s: alert %s is sent there; "
                "set OTKLIK_ALERT_TELEGRAM_CHAT_ID to %s",
                chat,
                moved,
                alert_id,
                moved,
            )
            chat = str(moved)
            delivered, error, parameters = _post(conf, chat, text)
        state = Alert.Delivery.SENT if delivered else Alert.Delivery.FAILED
        maybe = bool(parameters.get(MAYBE_SENT))
    except Exception as e:
        # whatever failed (the network, a bad setting: httpx.InvalidURL is no HTTPError), the failure is kept on the
        # alert with its reason, never left «отправляется» or raised into the curator's request or the resend task
        state, error = Alert.Delivery.FAILED, f"{type(e).__name__}: {e}"
        # the request went out and its answer was lost: it may have been posted
        maybe = isinstance(e, httpx.ReadTimeout | httpx.ReadError | httpx.RemoteProtocolError)
        if not isinstance(e, httpx.HTTPError):
            logger.exception("alert %s: sending to Telegram raised %s", alert_id, type(e).__name__)
    if maybe or (
        state == Alert.Delivery.SENT and isinstance(alert.evidence, dict) and MAYBE_SENT in alert.evidence
    ):
        # set while the last outcome is unknown; gone once delivered (a later resend by hand is no repeat of a lost
        # attempt)
        with transaction.atomic():
            locked = Alert.objects.select_for_update().get(pk=alert_id)
            evidence = dict(locked.evidence) if isinstance(locked.evidence, dict) else {}
            if maybe:
                evidence[MAYBE_SENT] = True
            else:
                evidence.pop(MAYBE_SENT, None)
            locked.evidence = evidence
            locked.save(update_fields=["evidence"])
    if state == Alert.Delivery.SENT and chat != conf.chat_id:
        error = f"{MIGRATED} {conf.chat_id} -> {chat}"
        with transaction.atomic():
            locked = Alert.objects.select_for_update().get(pk=alert_id)
            evidence = locked.evidence if isinstance(locked.evidence, dict) else {}
            locked.evidence = {**evidence, "telegram_chat": chat, "telegram_migrated_from": conf.chat_id}
            locked.save(update_fields=["evidence"])
    ours = Alert.objects.filter(pk=alert_id, telegram_attempts=attempts)
    if not ours.update(telegram_state=state, telegram_error=error[:1000], telegram_claimed_at=None):
        # the claim was taken over as lost meanwhile: the other sender writes its outcome; a delivery is the truth
        logger.warning("alert %s: attempt %d outlived its claim (%s)", alert_id, attempts, state)
        if state == Alert.Delivery.SENT:
            Alert.objects.filter(pk=alert_id).update(telegram_state=state, telegram_error=error[:1000])
    if state == Alert.Delivery.FAILED:
        logger.warning("alert %s: Telegram delivery failed, attempt %d: %s", alert_id, attempts, error)
    elif attempts > 1:
        logger.info("alert %s: delivered to Telegram on attempt %d", alert_id, attempts)
    return state


def retry_alerts(now: datetime | None = None) -> int:
    """Resend alerts whose Telegram delivery failed (the task runs every few minutes): 10 quick tries, then one an
    hour until a day after the alert (`models.due_again`); then the office resends by hand (`views.resend`).

    A claim lost with its process on an attempt no other follows (the last one, or the day over) is recorded as a
    failure (`INTERRUPTED`): else the alert would stay «отправляется» for good, with no problem shown."""
    now = now or timezone.now()
    lost = Alert.objects.filter(lost_claim(now)).only("pk", "created_at", "telegram_attempts")
    for alert in [a for a in lost if not retried_later(a.telegram_attempts, a.created_at, now)]:
        # conditional: a sender that claimed it meanwhile (the office's resend) or a late outcome keeps it
        if Alert.objects.filter(
            lost_claim(now), pk=alert.pk, telegram_attempts=alert.telegram_attempts
        ).update(telegram_state=Alert.Delivery.FAILED, telegram_error=INTERRUPTED, telegram_claimed_at=None):
            logger.warning(
                "alert %s: attempt %d was lost with its process (claimed over %s ago, no outcome written)",
                alert.pk,
                alert.telegram_attempts,
                SENDING_STALE,
            )
            _given_up(alert.pk, alert.telegram_attempts)
    # A pending alert of the last minutes is being sent after its commit: it is not taken from that send.
    fresh = now - STALE_PENDING
    candidates = (
        Alert.objects.filter(claimable(now), telegram_attempts__lt=MAX_ATTEMPTS)
        .exclude(telegram_state=Alert.Delivery.PENDING, telegram_attempts=0, created_at__gt=fresh)
        .only("pk", "created_at", "telegram_attempts")
    )
    sent = 0
    for alert in [a for a in candidates if due_again(a.telegram_attempts, a.created_at, now)]:
        state = send_telegram(alert.pk, now=now)
        if state == Alert.Delivery.SENT:
            sent += 1
        elif state == Alert.Delivery.FAILED and alert.telegram_attempts + 1 >= MAX_ATTEMPTS:
            _given_up(alert.pk, alert.telegram_attempts + 1)
    return sent


def _given_up(alert_id: int, attempts: int) -> None:
    logger.error(
        "alert %s: Telegram delivery given up after %d attempts over a day; the office can resend it "
        "on the alerts page",
        alert_id,
        attempts,
    )


def raise_alert(
    kind: str,
    key: str,
    title: str,
    text: str,
    *,
    link: str = "",
    place: str = "",
    audience: str = "",
    evidence: dict[str, Any] | None = None,
    message: Message | None = None,
    case: Case | None = None,
    created_by: Person | None = None,
    now: datetime | None = None,
) -> Alert | None:
    """Record the alert once (by `key`) and deliver it; returns None when it was already raised."""
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                alert = Alert.objects.create(
                    kind=kind,
                    key=key[:200],
                    title=title[:300],
                    text=text,
                    link=link,
                    place=place[:300],
                    audience=audience[:300],
                    evidence=evidence or {},
                    message=message,
                    case=case,
                    created_by=created_by,
                    created_at=now,
                )
        except IntegrityError:
            return None
        body = "\n".join(
            x
            for x in (text, f"Место: {place}" if place else "", f"Аудитория: {audience}" if audience else "")
            if x
        )
        # the letter carries the links too (the notice shows them on its title): the office acts from it alone
        links = "\n".join(f"{named.label}: {named.url}" for named in alert.named_links)
        notify_people(
            observers(),
            Notice.Kind.ALERT,
            title,
            body,
            now,
            link=link,
            extra_emails=extra_emails(),
            mail_text="\n".join(x for x in (body, links) if x),
            alert=alert,
        )
        # robust: whatever the send raises is logged, never turned into a 500 of the request that raised the alert
        transaction.on_commit(partial(send_telegram, alert.pk), robust=True)
    return alert


def _audience(message: Message | None) -> str:
    if message is None:
        return ""
    labels = {
        "views": "просмотров",
        "likes": "отметок «нравится»",
        "reposts": "репостов",
        "comments": "комментариев",
    }
    metrics = message.metrics if isinstance(message.metrics, dict) else {}
    parts = [f"{labels[k]}: {metrics[k]}" for k in labels if metrics.get(k) not in (None, "")]
    return ", ".join(parts)


FOUND_BY_ANALYSIS = "(определено по тексту автоматически)"


def _place(case: Case | None, message: Message | None = None) -> str:
    """The place the curator set on the case (`Case.place`): «Ленинградская область в целом» too (R-8.1). A message
    in no case yet (marked on its dispatch page), or a case with no place set, has the place the analysis found for
    the message (its settlement, municipal formation and street), said to be the machine's."""
    if case is not None and case.place:
        return case.place
    if message is None:
        return ""
    found = (
        Suggestion.objects.filter(message=message, kind=Kind.PLACE)
        .order_by("-created_at", "-id")
        .values_list("value", flat=True)
        .first()
    )
    value = found if isinstance(found, dict) else {}
    parts = [
        str(value[k]).strip()
        for k in ("settlement", "municipality", "street")
        if str(value.get(k) or "").strip()
    ]
    if parts:
        return f"{', '.join(parts)} {FOUND_BY_ANALYSIS}"
    if value.get("whole_oblast"):
        return f"{WHOLE_OBLAST} {FOUND_BY_ANALYSIS}"
    return ""


def mark_significant(
    curator: Person,
    *,
    message: Message | None = None,
    case: Case | None = None,
    note: str = "",
    base_url: str = "",
    now: datetime | None = None,
) -> Marked:
    """R-14: the curator marks a message or a case as socially significant; the Governor's office is told at once
    with the text, the link, the place and the audience. Marking the same thing again sends nothing; a new comment
    then is kept on the alert's record (`evidence["notes"]`), not sent."""
    now = now or timezone.now()
    if not curator.has_role(Role.Kind.CURATOR):
        raise AlertRefused("Отметить сообщение как общественно значимое может только куратор.")
    if (message is None) == (case is None):
        raise AlertRefused("Укажите сообщение или обращение.")
    if case is None and message is not None:
        link_case = Case.objects.filter(case_messages__message=message).first()
    else:
        link_case = case
    if message is None and case is not None:
        message = Message.objects.filter(case_link__case=case).order_by("id").first()
    subject = f"обращение № {case.pk}" if case is not None else f"сообщение № {message.pk}"  # type: ignore[union-attr]
    # One key per event: a message in a case is marked under its case, so two curators marking the message and
    # its case at the same moment meet at the unique key (`raise_alert`), not in two alerts.
    key = f"significant:case:{link_case.pk}" if link_case is not None else f"significant:message:{message.pk}"  # type: ignore[union-attr]
    existing = _marked_before(key, message, link_case)
    if existing is not None:
        return Marked(existing, new=False, note=add_note(existing, curator, note, now))
    whole = message.text if message else (case.summary if case else "")
    text = without_obscenities(
        # a long post is cut, and says so: its end (often the place and what happened) is behind the link
        f"{whole[:ALERT_TEXT].rstrip()}… (текст сокращён, полностью — по ссылке)"
        if len(whole) > ALERT_TEXT
        else whole
    )
    if note.strip():
        text = f"{text}\n\nКомментарий куратора: {note.strip()}"
    links = [message.url] if message and message.url else []
    if link_case is not None:
        links.append(f"{base_url}/cases/{link_case.pk}/")
    alert = raise_alert(
        Alert.Kind.SIGNIFICANT,
        key,
        f"Общественно значимое: {subject}",
        text,
        link=" ".join(links),
        place=_place(link_case, message),
        audience=_audience(message),
        evidence={
            "network": message.network if message else "",
            "author": message.author_name if message else "",
        },
        message=message,
        case=link_case,
        created_by=curator,
        now=now,
    )
    if alert is None:  # raised by someone else in the meantime
        existing = Alert.objects.get(key=key)
        return Marked(existing, new=False, note=add_note(existing, curator, note, now))
    return Marked(alert, new=True)


OBSCENITIES_HIDDEN = "(нецензурные слова скрыты)"


def without_obscenities(text: str) -> str:
    """The text with its obscene words hidden (`moderation.hide_obscene`: «б…») and a line saying so: an abusive
    message marked significant reaches the Governor's office, its letters and its Telegram chat, readable but not
    as written. The message itself, behind the link, is unchanged."""
    hidden, any_ = hide_obscene(text)
    return f"{hidden}\n{OBSCENITIES_HIDDEN}" if any_ else text


def _marked_before(key: str, message: Message | None, case: Case | None) -> Alert | None:
    """The significant alert already raised for this event: for this very key, or for the same case or message
    under the other key (a message marked, then its case; a case marked, then one of its messages)."""
    same = Q(key=key)
    if message is not None:
        same |= Q(message=message)
    if case is not None:
        same |= Q(case=case) | Q(message__case_link__case=case)
    return Alert.objects.filter(same, kind=Alert.Kind.SIGNIFICANT).order_by("id").first()


def add_note(alert: Alert, curator: Person, note: str, now: datetime) -> Literal["added", "known", "none"]:
    """Keep a curator's later comment on an alert already sent: on its record and its page, not sent again (one
    alert per event). The same comment twice, or the one the alert was sent with, is kept once."""
    note = note.strip()
    if not note:
        return "none"
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        evidence = locked.evidence if isinstance(locked.evidence, dict) else {}
        notes = list(evidence.get("notes", []))
        if f"Комментарий куратора: {note}" in locked.text or any(n.get("text") == note for n in notes):
            return "known"
        notes.append({"at": now.isoformat(), "by": curator.pk, "by_name": str(curator), "text": note[:2000]})
        locked.evidence = {**evidence, "notes": notes}
        locked.save(update_fields=["evidence"])
    alert.evidence = locked.evidence
    logger.info("alert %s: note of person %s added to its record (not sent again)", alert.pk, curator.pk)
    return "added"
