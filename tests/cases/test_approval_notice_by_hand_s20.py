"""R-8.7: an approved answer that Otklik cannot publish itself (a message entered by hand or from a file, a network
with no publishing connector) is published by the executor. The approval's notice says where — under the author's
message, with its link — that the link must then be confirmed on the case page, and why it is by hand; it used to
say only «разместите его»."""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.models import Notification
from tests.cases.helpers import message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

ANSWER = "Уважаемая Ирина! Ремонт дороги на ул. Соборной в Гатчине запланирован на май 2025 года. Контакт: 8 (81371) 2-00-00."


def _approval_notice(p: Personas, network: str) -> str:
    msg = message(network=network)
    case = actions.dispatch_case(p.curator, [msg], [actions.Route(p.health, 1)], now=msk(2025, 4, 22, 10, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 22, 11, 0))
    actions.approve_draft(p.curator, draft, now=msk(2025, 4, 22, 11, 30))
    note = Notification.objects.filter(recipient=p.alice, case=case, text__contains="согласован").get()
    return note.text


def test_a_message_entered_by_hand_in_vk_is_published_by_hand_with_its_link_and_the_reason(
    personas: Personas,
) -> None:
    text = _approval_notice(personas, "vk")
    assert "разместите его вручную под сообщением автора (https://vk.com/wall-1_1?reply=" in text, text
    assert "укажите ссылку на опубликованный ответ на странице обращения" in text
    assert "внесено вручную или из файла" in text


def test_a_forum_message_is_published_by_hand_because_otklik_does_not_publish_there(
    personas: Personas,
) -> None:
    text = _approval_notice(personas, "forum")
    assert "разместите его вручную под сообщением автора" in text, text
    assert "Отклик ответы не публикует" in text and "«Форум»" in text
