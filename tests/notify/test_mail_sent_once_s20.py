"""R-13, R-14: a kept letter the mail server did not take at first (the monthly report with its XLSX and PDF, an
alert) goes out once, on SQLite (the default installation) as on PostgreSQL. While one sender hands it to a slow
mail server — the periodic resend (`notify.tasks.resend_alerts`, every 10 minutes, on one worker or two), or the
send after the commit — the letter is «отправляется»: the administrator's «Отправить ещё раз» in «Письма» is told
another attempt is sending it and sends no second copy, and a second resend leaves it alone. Before, the claim only
counted the attempt (the state stayed «ошибка отправки», and only PostgreSQL held a row lock), so the second sender
claimed the next attempt and the vice-governor got the report twice. A sender whose process stopped mid-send leaves
the letter «отправляется» for at most `MAIL_LEASE`: then it is recorded as interrupted and sent again, saying it may
be a repeat (an alert or a report is not lost for fear of a copy). Found by a review (session 20)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connections
from django.test import Client
from django.utils import timezone

from otklik.notify.models import MAIL_INTERRUPTED, MAIL_LEASE, Mail
from otklik.notify.services import MAYBE_SENT_NOTE, retry_mail, send_again
from otklik.org.models import Person
from tests.fakes.smtp import FakeSMTP, fake_smtp

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp(settings: Any) -> Iterator[FakeSMTP]:
    with fake_smtp(settings) as server:
        yield server


def test_r13_a_report_letter_resent_by_hand_while_the_periodic_resend_is_sending_it_arrives_once(
    smtp: Any,
) -> None:
    # the letter as the mail server left it, down when it was written: one failed attempt behind it
    kept = Mail.objects.create(
        to=["vice-governor@example.org"],
        subject="Отклик: Ежемесячный отчёт за октябрь 2026",
        text="Отчёт во вложении.",
        created_at=timezone.now(),
        state=Mail.State.FAILED,
        attempts=1,
        error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    smtp.hold.set()
    results: list[int] = []

    def periodic() -> None:
        try:
            results.append(retry_mail(now=kept.created_at + timedelta(minutes=10)))
        finally:
            connections.close_all()

    worker = threading.Thread(target=periodic)
    worker.start()
    try:
        assert smtp.entered.wait(timeout=60)  # the periodic resend is handing the letter to the server
        assert Mail.objects.get(pk=kept.pk).get_state_display() == "отправляется"
        by_hand = send_again([kept.pk])  # the administrator's «Отправить ещё раз» at that moment
        assert (by_hand.sent, [m.pk for m in by_hand.sending], by_hand.failed) == (0, [kept.pk], [])
        assert retry_mail(now=kept.created_at + timedelta(minutes=15)) == 0  # a second worker's resend
    finally:
        smtp.released.set()
        worker.join(timeout=60)
    assert len(smtp.letters) == 1, f"the vice-governor got the report {len(smtp.letters)} times"
    assert results == [1]
    kept.refresh_from_db()
    assert (kept.state, kept.attempts, kept.error, kept.claimed_at) == (Mail.State.SENT, 2, "", None)
    assert not kept.maybe_sent and "Возможно, это письмо уже приходило".encode() not in smtp.letters[0]


def test_r13_the_administrator_is_told_a_letter_is_being_sent_and_it_is_not_sent_twice(
    settings: Any, client: Client
) -> None:
    """«Отправить ещё раз» in «Письма» on a letter another attempt has in hand says so in Russian."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    now = timezone.now()
    busy = Mail.objects.create(
        to=["vice-governor@example.org"], subject="Отклик: Ежемесячный отчёт за октябрь 2026", text="Отчёт.",
        created_at=now - timedelta(minutes=11), state=Mail.State.SENDING, attempts=2, claimed_at=now,
        error="ConnectionRefusedError: [Errno 111] Connection refused",
    )  # fmt: skip
    client.force_login(Person.objects.create_superuser("root", "root@example.org", "x"))
    page = client.post(
        "/admin/notify/mail/", {"action": "send_again", "_selected_action": [str(busy.pk)]}, follow=True
    ).content.decode()
    assert "уже отправляется другой попыткой" in page and "второй раз оно не отправлено" in page, page
    assert "» не отправлено." not in page  # no failure reported
    assert mail.outbox == []
    busy.refresh_from_db()
    assert (busy.state, busy.attempts) == (Mail.State.SENDING, 2)


def test_r14_a_letter_whose_sender_stopped_mid_send_is_sent_again_saying_it_may_be_a_repeat(
    settings: Any,
) -> None:
    """The worker was killed while the mail server had the alert letter: whether the server took it is unknown.
    Within `MAIL_LEASE` the letter is left to that attempt; after it, the periodic resend records the interrupted
    attempt and sends the letter again, its text saying it may be a repeat, under the same Message-ID."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    written = timezone.now() - timedelta(minutes=30)
    letter = Mail.objects.create(
        to=["priemnaya@example.org"], subject="Отклик: Общественно значимое: сообщение № 7",
        text="Обрушилась кровля школы в Луге", created_at=written, state=Mail.State.SENDING, attempts=1,
        claimed_at=written,
    )  # fmt: skip
    assert retry_mail(now=written + MAIL_LEASE - timedelta(minutes=1)) == 0  # maybe still being sent
    assert mail.outbox == []
    assert retry_mail(now=written + MAIL_LEASE + timedelta(minutes=1)) == 1
    letter.refresh_from_db()
    assert (letter.state, letter.attempts, letter.maybe_sent) == (Mail.State.SENT, 2, True)
    [copy] = mail.outbox
    assert copy.body.startswith(MAYBE_SENT_NOTE) and "Обрушилась кровля школы в Луге" in copy.body
    assert (
        copy.extra_headers["Message-ID"]
        == f"<otklik-mail-{letter.pk}-{int(written.timestamp())}@"
        + (copy.extra_headers["Message-ID"].split("@", 1)[1])
    )

    # one left so on its last automatic attempt is shown to the administrator with the Russian reason
    stuck = Mail.objects.create(
        to=["priemnaya@example.org"], subject="Отклик: Всплеск активности", text="Всплеск в Гатчине",
        created_at=written - timedelta(days=5), state=Mail.State.SENDING, attempts=60,
        claimed_at=written - timedelta(days=1),
    )  # fmt: skip
    assert retry_mail(now=written + MAIL_LEASE + timedelta(minutes=11)) == 0
    stuck.refresh_from_db()
    assert (stuck.state, stuck.error, stuck.maybe_sent) == (Mail.State.FAILED, MAIL_INTERRUPTED, True)
    assert stuck.problem.startswith("Попытка отправки прервана"), stuck.problem
    assert stuck.problem.endswith("отправьте письмо действием «Отправить ещё раз».")
    outcome = send_again([stuck.pk])
    assert outcome.sent == 1 and mail.outbox[-1].body.startswith(MAYBE_SENT_NOTE)
