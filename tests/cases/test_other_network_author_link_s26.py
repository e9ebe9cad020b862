"""Found by a review (session 26), fixed since. R-8.7: a case the curator made of two people's messages in different networks (a VK comment first, a Telegram
comment of another person second) is answered under each of them, each in its own network — the approval's notice
asks for it and `check_length` holds the answer to both networks' limits. Published by hand, the form asks a link
«под сообщением № <the Telegram one>»; the executor gives the link of her reply in Telegram, and it is refused as
being in the wrong network: `check_publication_link` checks every link against `case.network` (VK), not against the
network of the message it answers (`_also_links` and `confirm_also` pass `under`, which it ignores for this)."""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case
from otklik.intake.models import Message
from tests.cases.helpers import approved
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

ANSWER = (
    "Здравствуйте! Крышу дома № 5 на Соборной улице отремонтируют до 15 декабря, подрядчик уже на объекте."
)


def test_reply_under_a_telegram_authors_message_is_confirmed_with_its_telegram_link(
    personas: Personas,
) -> None:
    """The executor published the answer under the VK comment and under the Telegram comment and gives both links:
    she reads «Ответ размещается в той же сети, где написано сообщение (п. 8.7): ВКонтакте, а ссылка ведёт на t.me»
    for the Telegram one — the only place that author can be answered — and the case can never be confirmed: it
    waits in «Публикация» past its 30 minutes (R-8.7)."""
    p = personas
    in_vk = Message.objects.create(
        network="vk",
        external_id="-200000001_101_1001",
        url="https://vk.com/wall-200000001_101?reply=1001",
        author_id="5001",
        author_name="Ирина Петрова",
        text="Когда починят крышу дома 5 на Соборной?",
    )
    in_telegram = Message.objects.create(
        network="telegram",
        external_id="-1001777:55",
        url="https://t.me/lenobl_health/55",
        author_id="9001",
        author_name="Олег Смирнов",
        text="У нас в доме 5 на Соборной тоже течёт крыша.",
    )
    case, draft = approved(p, [in_vk, in_telegram], ANSWER)
    assert [m.pk for m in actions.by_hand_also(case, draft)] == [in_telegram.pk]  # the form asks its link
    try:
        actions.confirm_publication(
            p.alice,
            draft,
            url="https://vk.com/wall-200000001_101?reply=1200&thread=1001",
            also={in_telegram.pk: "https://t.me/lenobl_health/56"},
        )
    except ActionRefused as exc:
        pytest.fail(
            f"the Telegram link of the reply under the Telegram author's message is refused: {exc.message}"
        )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
