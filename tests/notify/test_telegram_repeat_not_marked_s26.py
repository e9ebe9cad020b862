"""Found by a review (session 26), fixed since. R-14: after Telegram took an alert but its answer was lost (a 502 from a proxy, a read timeout), the automatic
retry posts the same alert again in the Governor's office chat, and nothing says it is a repeat.

Scenario: the curator marks a message as socially significant; Telegram posts the alert in the office's chat, but
the answer comes back as «502 Bad Gateway» (the fake's `after=True`). The alert is kept «ошибка отправки» and the
resend task sends it again ten minutes later.

Now: the chat holds two identical messages «⚠ Общественно значимое: …» ten minutes apart
(`alerts.send_telegram` treats any non-200 as «not delivered» and the retry sends `telegram_text(alert)`
unchanged). The office reads them as two alerts (a second event, or a worsening); the letters in the same
situation say «Возможно, это письмо уже приходило…» (`services.MAYBE_SENT_NOTE`), the chat copy says nothing.

Should be: a resend after an answer that does not prove a refusal (5xx, a timeout, a cut answer) says in the chat
that it may be a repeat of the message above (as the letters do), so the office does not take it for a new event.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from otklik.notify.alerts import raise_alert, retry_alerts, telegram_text
from otklik.notify.models import Alert
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.django_db

CHAT = -1002003004005


@pytest.fixture
def telegram(settings: Any) -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {"base_url": fake.url, "token": fake.token, "chat_id": str(CHAT)}
        yield fake


def test_r14_a_resend_after_a_lost_answer_says_it_may_be_a_repeat(
    telegram: FakeTelegram, django_capture_on_commit_callbacks: Any
) -> None:
    telegram.fail("sendMessage", after=True)  # posted in the chat; the answer is a 502 page
    with django_capture_on_commit_callbacks(execute=True):
        alert = raise_alert(
            "significant",
            "significant:message:8",
            "Общественно значимое: сообщение № 8",
            "Прорыв теплотрассы",
        )
    assert alert is not None
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.FAILED
    retry_alerts(now=alert.created_at + timedelta(minutes=10))
    alert.refresh_from_db()
    assert alert.telegram_state == Alert.Delivery.SENT
    texts = [str(r.params.get("text", "")) for r in telegram.calls("sendMessage")]
    assert len(texts) == 2  # the chat now holds both
    assert texts[1] != texts[0], "the second copy in the office's chat is identical to the first"
    assert "повтор" in texts[1].lower() or "уже приходил" in texts[1], texts[1]
    # delivered: a later resend by hand is no repeat of a lost attempt
    assert telegram_text(alert).startswith("⚠ Общественно значимое")
