"""R-8.10: «тот же автор» is an author of the same network. An author id means one person only within its network:
VK's user 301 and Telegram's user 301 are two people, and a Telegram message must not be offered to the curator as
the VK user's repeat (nor found at the lower bar the same author's messages get), by the scan of recent messages
and by the LSH index used at a million messages alike (`analysis.repeats.author_key`)."""

from __future__ import annotations

import pytest

from otklik.analysis.repeats import find_repeats, find_repeats_indexed
from otklik.intake.models import Message, Network

from .conftest import make_message

pytestmark = pytest.mark.django_db

EARLIER = "Во дворе дома 5 на улице Ленина не горят фонари уже неделю, дети ходят в темноте"
LATER = "Фонари у дома 5 так и не горят"  # in other words: found only at the same author's lower bar


def telegram(text: str, author: str) -> Message:
    return Message.objects.create(
        network=Network.TELEGRAM,
        external_id=f"-1001_{author}_{len(text)}",
        text=text,
        text_raw=text,
        author_id=author,
    )


@pytest.mark.parametrize("search", [find_repeats, find_repeats_indexed], ids=["scan", "index"])
def test_the_same_author_id_in_another_network_is_another_author(search: object) -> None:
    first = make_message(EARLIER, author="301")  # VK user 301
    same_person = make_message(LATER, author="301")  # VK user 301 again
    found = search(same_person)  # type: ignore[operator]
    assert [(r.message_id, r.same_author) for r in found] == [(first.pk, True)]

    stranger = telegram(LATER, "301")  # Telegram user 301: someone else
    found = search(stranger)  # type: ignore[operator]
    assert [r for r in found if r.same_author] == [], (
        "a Telegram user is shown as the same author as a VK user with the same number"
    )
    assert first.pk not in [r.message_id for r in found]
