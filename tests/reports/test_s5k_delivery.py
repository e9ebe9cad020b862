"""R-13 delivery as the vice-governor's office sees it: the monthly report and the quarterly rating arrive once, on
the first working day, and a mail server down for the morning does not lose them."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from otklik.notify.models import Mail, Notice
from otklik.notify.services import retry_mail
from otklik.reports.delivery import deliver_monthly, deliver_rating, first_working_day
from otklik.reports.models import ReportRun
from otklik.reports.tasks import deliver_monthly_report
from tests.conftest import Personas, msk
from tests.reports.builders import build_october

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_down(settings: Any) -> None:
    """A real SMTP backend pointed at a loopback port where no mail server listens (connection refused)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    settings.OTKLIK_MAIL_PAUSE_SECONDS = 0


def _observer_with_mail(p: Personas) -> None:
    p.observer.email = "observer@example.org"
    p.observer.save()


def test_r13_the_report_mail_survives_a_mail_server_down_all_morning(
    personas: Personas, smtp_down: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """R-13: the report goes out on the first working day at night (the hourly job after midnight); the mail
    server is down for the next 8 hours (the resend runs every 10 minutes meanwhile). When it is back the
    letter with its files goes out, once — it is not given up after ten quick tries in the first 100 minutes."""
    p = personas
    _observer_with_mail(p)
    build_october(p)
    ReportRun.objects.create(
        kind="monthly", period_key="2025-09", created_at=msk(2025, 10, 1), delivered_at=msk(2025, 10, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_monthly(msk(2025, 11, 1, 0, 5)) is not None
    written = Mail.objects.get().created_at  # the resend task's clock runs from the moment it was written
    now = written + timedelta(minutes=10)
    while now < written + timedelta(hours=8):
        assert retry_mail(now=now) == 0
        now += timedelta(minutes=10)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the server is back
    while now < written + timedelta(hours=10):
        retry_mail(now=now)
        now += timedelta(minutes=10)
    (sent,) = mail.outbox
    assert sent.subject == "Отклик: Ежемесячный отчёт за октябрь 2025"
    assert [a[0] for a in sent.attachments] == ["otklik-monthly-2025-10.xlsx", "otklik-monthly-2025-10.pdf"]
    assert Mail.objects.get().state == Mail.State.SENT


def test_r13_a_letter_is_given_up_a_day_after_it_was_written(
    personas: Personas, smtp_down: None, django_capture_on_commit_callbacks: Any
) -> None:
    """R-13: a mail server down for more than a day: the letter stays in «Письма» with its error, not tried for
    ever."""
    p = personas
    _observer_with_mail(p)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_monthly(msk(2025, 11, 1, 0, 5), force=True) is not None
    written = Mail.objects.get().created_at
    now = written + timedelta(minutes=10)
    while now < written + timedelta(days=2):
        retry_mail(now=now)
        now += timedelta(minutes=10)
    kept = Mail.objects.get()
    attempts = kept.attempts
    assert kept.state == Mail.State.FAILED and kept.error
    retry_mail(now=written + timedelta(days=5))
    kept.refresh_from_db()
    assert kept.attempts == attempts


def test_r13_the_quarterly_rating_is_delivered_once_on_the_first_working_day_of_the_quarter(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """R-13: the quarterly rating of the fourth quarter of 2025 is formed and delivered to the observers on the
    first working day of January 2026, after the New Year holidays (12.01.2026), with XLSX and PDF, once —
    the clock's hourly job before it, and again after it, delivers nothing more."""
    p = personas
    _observer_with_mail(p)
    build_october(p)
    ReportRun.objects.create(
        kind="rating", period_key="2025Q3", created_at=msk(2025, 10, 1), delivered_at=msk(2025, 10, 1)
    )
    assert first_working_day(2026, 1) == msk(2026, 1, 12).date()
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_rating(msk(2026, 1, 9, 23, 0)) is None  # still the holidays
    assert not Notice.objects.exists() and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        run = deliver_rating(msk(2026, 1, 12, 0, 5))
    assert run is not None and run.kind == "rating" and run.period_key == "2025Q4"
    assert {r["body"] for r in run.data["rows"]} == {"Дороги", "Здравоохранение"}
    notice = Notice.objects.get(recipient=p.observer)
    assert "Органов в рейтинге: 2" in notice.text
    assert notice.title == "Квартальный рейтинг органов за 4 квартал 2025"
    assert notice.link == "/reports/rating/?quarter=2025Q4"
    (sent,) = mail.outbox
    assert [a[0] for a in sent.attachments] == ["otklik-rating-2025Q4.xlsx", "otklik-rating-2025Q4.pdf"]
    assert sent.attachments[1][1][:5] == b"%PDF-"
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_rating(msk(2026, 1, 12, 1, 5)) is None
        call_command("report", "deliver", "--rating", "--now", "2026-01-13T09:00:00+03:00")
    assert Notice.objects.filter(recipient=p.observer, title__startswith="Квартальный").count() == 1
    assert len([m for m in mail.outbox if "рейтинг" in m.subject]) == 1


def test_r13_report_deliver_rating_is_the_cron_line_for_the_rating(
    personas: Personas, django_capture_on_commit_callbacks: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """R-13: with cron instead of the clock, `otklik report deliver --rating` run daily delivers the third
    quarter's rating on 01.10.2025 (the first working day of the fourth quarter) and nothing after it, in
    Russian; `otklik report deliver` keeps to the monthly report."""
    ReportRun.objects.create(
        kind="monthly", period_key="2025-09", created_at=msk(2025, 10, 1), delivered_at=msk(2025, 10, 1)
    )
    ReportRun.objects.create(
        kind="rating", period_key="2025Q2", created_at=msk(2025, 7, 1), delivered_at=msk(2025, 7, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("report", "deliver", "--rating", "--now", "2025-09-30T23:00:00+03:00")
        call_command("report", "deliver", "--rating", "--now", "2025-10-01T08:00:00+03:00")
        call_command("report", "deliver", "--rating", "--now", "2025-10-02T08:00:00+03:00")
        call_command("report", "deliver", "--now", "2025-10-02T08:00:00+03:00")
    assert capsys.readouterr().out.splitlines() == [
        "Рассылать нечего.",
        "Рейтинг за 2025Q3 разослан.",
        "Рассылать нечего.",
        "Рассылать нечего.",
    ]


def test_r13_the_clocks_hourly_job_delivers_the_rating_on_the_quarters_first_working_day(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """R-13: the job `otklik clock` enqueues every hour delivers, on 01.10.2025 (the first working day of the
    fourth quarter), September's report and the third quarter's rating; the hour after, nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_monthly_report.call("2025-10-01T00:05:00+03:00") == "2025-09, 2025Q3"
        assert deliver_monthly_report.call("2025-10-01T01:05:00+03:00") == ""
    assert set(ReportRun.objects.values_list("kind", "period_key")) == {
        ("monthly", "2025-09"),
        ("rating", "2025Q3"),
    }
