"""R-14, R-13: a kept e-mail (an alert's letter, the monthly report) is now retried for four days, with a growing
pause (ten quick tries, hourly for the first day, then every two hours: `notify.models.mail_due_again`): a mail
server down from Friday evening to Monday morning no longer loses the Governor's alert letter — it goes within two
hours of the server being back. The administrator's «Письма» shows a Russian reason beside the precise error and
offers «Отправить ещё раз» for a letter whose automatic tries are over.

Found by a review (session 18)."""

from __future__ import annotations

import re
import socket
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from otklik.notify.alerts import raise_alert
from otklik.notify.models import MAIL_MAX_ATTEMPTS, Mail
from otklik.notify.services import retry_mail
from otklik.org.models import Person
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_r14_an_alert_letter_kept_over_a_weekend_outage_can_still_reach_the_office(
    personas: Personas, settings: Any, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    settings.OTKLIK_ALERT_TELEGRAM = None
    settings.OTKLIK_ALERT_EMAILS = "priemnaya@example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()  # nobody listens: refused
    settings.OTKLIK_MAIL_PAUSE_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        raise_alert("significant", "significant:message:1", "Прорыв трубы в Кировске", "Затоплена школа №2")
    letter = Mail.objects.get()
    assert letter.state == Mail.State.FAILED
    written = letter.created_at

    # the resend task every 10 minutes, as the clock runs it, through Saturday and Sunday
    at = written
    while at < written + timedelta(hours=60):
        at += timedelta(minutes=10)
        retry_mail(at)
    letter.refresh_from_db()
    assert letter.state == Mail.State.FAILED

    assert letter.problem.startswith("Почтовый сервер недоступен"), letter.problem
    assert "будет отправлено повторно автоматически" in letter.problem
    assert letter.error.startswith("ConnectionRefusedError")  # the precise error stays

    # Monday morning: the mail server is back; the resend task every 10 minutes
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for minutes in range(10, 130, 10):
        retry_mail(at + timedelta(minutes=minutes))
    delivered = [m for m in mail.outbox if "priemnaya@example.org" in m.to]
    assert len(delivered) == 1, (
        f"the office's letter was not sent once the mail server was back (state {letter.state}, attempts "
        f"{letter.attempts}, error «{letter.error}»)"
    )
    letter.refresh_from_db()
    assert letter.state == Mail.State.SENT

    # a letter whose automatic tries are over (the server was down for days): the administrator sends it again
    old = Mail.objects.create(
        to=["priemnaya@example.org"], subject="Отклик: Всплеск активности", text="Всплеск в Гатчине",
        created_at=written - timedelta(days=5), state=Mail.State.FAILED, attempts=MAIL_MAX_ATTEMPTS,
        error="ConnectionRefusedError: [Errno 111] Connection refused",
    )  # fmt: skip
    retry_mail(at + timedelta(hours=3))
    old.refresh_from_db()
    assert old.state == Mail.State.FAILED and old.problem.endswith(
        "Автоматические попытки закончились: отправьте письмо действием «Отправить ещё раз»."
    ), old.problem

    admin = Person.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    response = client.get("/admin/notify/mail/")
    html = response.content.decode()
    assert response.status_code == 200 and "Прорыв трубы в Кировске" in html
    assert "Почтовый сервер недоступен" in html  # the reason in Russian beside the error
    options = re.findall(r'<option value="(\w+)"', html)
    assert "send_again" in options, options
    assert "Отправить ещё раз" in html
    response = client.post(
        "/admin/notify/mail/",
        {"action": "send_again", "_selected_action": [str(old.pk), str(letter.pk)]},
        follow=True,
    )
    page = response.content.decode()
    assert "Отправлено писем: 1." in page and "Уже были отправлены раньше: 1." in page, page
    old.refresh_from_db()
    assert old.state == Mail.State.SENT
    assert len([m for m in mail.outbox if "priemnaya@example.org" in m.to]) == 2
