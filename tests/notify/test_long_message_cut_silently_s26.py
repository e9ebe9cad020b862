"""Found by a review (session 26), fixed since. R-14: a long message marked socially significant reaches the Governor's office cut off mid-word, with no sign
that anything is missing.

Scenario: a citizen writes a long post (about 2 000 characters: the background first, the emergency and the
address at the end — «…Без воды и отопления остаются 40 квартир дома 12 по ул. Ленина, среди жильцов лежачие
больные»). The curator marks it as socially significant.

Now: `alerts.mark_significant` takes `message.text[:1500]` (src/otklik/notify/alerts.py, the `text = …` line
before `raise_alert`) and the in-app notice, the e-mail and the alert page carry those 1 500 characters ending
in the middle of a word, with no «…» or note that the text was shortened; the end of the post — here the very
emergency and its address — is gone and the office reads the fragment as the whole message (Telegram's own cut
to 4 096 characters does add «…»).

Should be: a shortened text says so (at least «…», better «текст сокращён, полностью — по ссылке»), or the whole
text goes in the letter and the notice.
"""

from __future__ import annotations

from typing import Any

import pytest

from otklik.intake.models import Message
from otklik.notify.alerts import mark_significant
from otklik.notify.models import Alert, Mail, Notice
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_r14_a_long_message_is_not_cut_silently_in_the_alert(
    personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.OTKLIK_ALERT_TELEGRAM = None
    settings.OTKLIK_ALERT_EMAILS = "priemnaya@example.org"
    background = (
        "Пишу уже не первый раз про состояние теплотрассы у нас в посёлке. " * 25
    )  # ~1 650 characters
    emergency = (
        "Сегодня ночью трубу прорвало: без воды и отопления остаются 40 квартир дома 12 по ул. Ленина."
    )
    message = Message.objects.create(
        network="vk",
        external_id="wall-1_300",
        url="https://vk.com/wall-1_300",
        author_name="Анна",
        text=background + emergency,
        published_at=msk(2025, 12, 1, 7, 0),
    )
    with django_capture_on_commit_callbacks(execute=False):
        marked = mark_significant(personas.curator, message=message, now=msk(2025, 12, 1, 9, 0))
    alert = Alert.objects.get(pk=marked.alert.pk)
    notice = Notice.objects.get(recipient=personas.observer)
    letter = Mail.objects.get()
    for shown in (alert.text, notice.text, letter.text):
        whole = emergency in shown
        marked_cut = "…" in shown or "сокращ" in shown
        assert whole or marked_cut, f"cut silently, ends with: {shown[:1500][-60:]!r}"
