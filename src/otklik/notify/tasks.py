"""Background tasks of the alerts (django-tasks; the worker is `otklik db_worker`)."""

from __future__ import annotations

import logging
from datetime import datetime

from django_tasks import task

from .alerts import retry_alerts
from .services import retry_mail

logger = logging.getLogger(__name__)


@task()
def detect_surges(now: str | None = None) -> int:
    """R-14: run every few minutes; raises one alert per new surge."""
    from otklik.analysis.surges import detect

    return len(detect(datetime.fromisoformat(now) if now else None))


@task()
def resend_alerts() -> int:
    """R-14, R-13: resend alerts whose Telegram delivery failed and e-mails the mail server did not take. The two
    are independent: a failure of one (logged) never keeps the other from running."""
    sent = 0
    for retry in (retry_alerts, retry_mail):
        try:
            sent += retry()
        except Exception:
            logger.exception("%s failed; the other resends of this run went on", retry.__name__)
    return sent
