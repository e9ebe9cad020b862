"""R-13, R-14: a kept letter is claimed with the moment it is claimed, not the moment its periodic resend started
(`Mail.claimed_at`; Telegram's `telegram_claimed_at` likewise). After a mail server outage a `retry_mail` run has many
letters to hand over, one SMTP session each; the letter it reaches 11 minutes after starting used to look claimed 11
minutes ago, past `MAIL_LEASE` (10 min), so the next `resend_alerts` on the other worker took it from the live sender
(«прервана: процесс остановился», untrue) and the Governor's office got the alert twice, and the alerts page offered
to resend it. Now the office gets it once. Found by a review (session 20b).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from otklik.notify.models import Mail
from otklik.notify.services import retry_mail
from tests.fakes.smtp import FakeSMTP, fake_smtp

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp(settings: Any) -> Iterator[FakeSMTP]:
    with fake_smtp(settings) as server:
        yield server


def test_r14_an_alert_letter_reached_late_in_a_long_resend_run_reaches_the_office_once(smtp: Any) -> None:
    started = timezone.now() - timedelta(minutes=11)  # the first worker's resend run began 11 minutes ago
    letter = Mail.objects.create(
        to=["priemnaya@example.org"],
        subject="Отклик: Общественно значимое: сообщение № 7",
        text="Обрушилась кровля школы в Луге",
        created_at=started - timedelta(hours=60),  # written on Friday, the server down over the weekend
        state=Mail.State.FAILED,
        attempts=1,
        error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    smtp.hold.set()

    def first_worker() -> None:
        # the run that started 11 minutes ago (its `now`) reaches this letter only now, after the others
        try:
            retry_mail(now=started)
        finally:
            connections.close_all()

    worker = threading.Thread(target=first_worker)
    worker.start()
    try:
        assert smtp.entered.wait(timeout=60)  # the first worker is handing the letter to the server right now
        retry_mail()  # the next `resend_alerts`, on the second worker, at this very moment
    finally:
        smtp.released.set()
        worker.join(timeout=60)
    letter.refresh_from_db()
    assert len(smtp.letters) == 1, (
        f"the office got the alert {len(smtp.letters)} times; the letter now says "
        f"maybe_sent={letter.maybe_sent}, error={letter.error!r}"
    )


def test_r14_the_alerts_page_does_not_offer_to_resend_a_letter_a_live_resend_run_is_handing_over(
    smtp: Any, personas: Any
) -> None:
    """The same moment seen by the Governor's office: the alerts page says the sending «не завершилась (процесс
    остановился)» for a letter the first worker is handing to the server right now, and its «Отправить письмо
    снова» sends a second copy."""
    from django.test import Client

    from otklik.notify.models import Alert

    started = timezone.now() - timedelta(minutes=11)
    alert = Alert.objects.create(
        kind=Alert.Kind.SIGNIFICANT,
        key="significant:message:7",
        title="Общественно значимое: сообщение № 7",
        text="Обрушилась кровля школы в Луге",
        created_at=started - timedelta(hours=60),
    )
    letter = Mail.objects.create(
        alert=alert,
        to=["priemnaya@example.org"],
        subject="Отклик: Общественно значимое: сообщение № 7",
        text="Обрушилась кровля школы в Луге",
        created_at=alert.created_at,
        state=Mail.State.FAILED,
        attempts=1,
        error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    smtp.hold.set()

    def first_worker() -> None:
        try:
            retry_mail(now=started)
        finally:
            connections.close_all()

    worker = threading.Thread(target=first_worker)
    worker.start()
    office = Client()
    office.force_login(personas.curator)
    try:
        assert smtp.entered.wait(timeout=60)
        page = office.get("/notify/alerts/").content.decode()
        said_stopped = "процесс остановился" in page
        office.post(f"/notify/alerts/{alert.pk}/resend/", {"channel": "email"})
    finally:
        smtp.released.set()
        worker.join(timeout=60)
    letter.refresh_from_db()
    assert not said_stopped, "the page says the sender stopped while it is handing the letter over"
    assert len(smtp.letters) == 1, f"the office got the alert {len(smtp.letters)} times"
