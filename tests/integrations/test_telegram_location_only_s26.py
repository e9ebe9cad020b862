"""Found by a review (session 26), fixed since. R-4 (nothing is lost, what cannot be read is flagged): a Telegram comment that holds only a location (or a poll,
a contact, a venue) is stored as a blank message with nothing telling the curator what the citizen sent."""

from __future__ import annotations

import pytest

from otklik.intake.models import Message, Source
from otklik.intake.pipeline import run_source
from tests.fakes.telegram import FakeTelegram
from tests.integrations.conftest import fake_telegram, telegram_source  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_telegram_comment_with_only_a_location_is_not_a_blank_message(
    telegram_source: Source,  # noqa: F811
    fake_telegram: FakeTelegram,  # noqa: F811
) -> None:
    """Under the body's channel post a resident answers «где яма?» by sending the place on the map (Telegram
    «Геопозиция»: a message with `location` and no text). Otklik stores the message, but with an empty text, no
    attachment and no parse flag: the curator opens a blank message from «Анна» and cannot know that a place was
    sent (only the raw JSON, not shown anywhere, keeps the coordinates). R-4 says such a message is kept and
    flagged, never silently emptied."""
    sent = fake_telegram.comment("", location={"latitude": 59.5706, "longitude": 30.1283})
    run_source(telegram_source)
    chat_id = sent["chat"]["id"]
    stored = Message.objects.get(network="telegram", external_id=f"{chat_id}:{sent['message_id']}")
    assert stored.raw.get("location")  # the payload is kept …
    # … but nothing the staff can see says what it was
    assert stored.text or stored.attachments or stored.parse_error, (
        f"stored as a blank message: text={stored.text!r}, attachments={stored.attachments!r}, "
        f"parse_error={stored.parse_error!r}"
    )
    # what the curator reads: the place, with a map link
    assert stored.text.startswith(
        "Геопозиция: 59.570600, 30.128300 (https://yandex.ru/maps/?pt=30.128300,59.570600"
    )


def test_telegram_comment_with_only_a_poll_says_what_it_asks(
    telegram_source: Source,  # noqa: F811
    fake_telegram: FakeTelegram,  # noqa: F811
) -> None:
    poll = {
        "id": "1",
        "question": "Где поставить остановку?",
        "options": [{"text": "У школы"}, {"text": "У почты"}],
    }
    sent = fake_telegram.comment("", poll=poll)
    run_source(telegram_source)
    stored = Message.objects.get(network="telegram", external_id=f"{sent['chat']['id']}:{sent['message_id']}")
    assert stored.text == "Опрос: Где поставить остановку? (У школы; У почты)"


def test_telegram_live_location_reads_the_same_as_it_moves(
    telegram_source: Source,  # noqa: F811
    fake_telegram: FakeTelegram,  # noqa: F811
) -> None:
    """A live location is edited with every move for hours: its text stays the same, so the message is not taken
    for a new edit each time."""
    spot = {"latitude": 59.5706, "longitude": 30.1283, "live_period": 3600}
    sent = fake_telegram.comment("", location=spot)
    run_source(telegram_source)
    stored = Message.objects.get(network="telegram", external_id=f"{sent['chat']['id']}:{sent['message_id']}")
    assert stored.text == "Трансляция геопозиции — откройте сообщение в Telegram"
