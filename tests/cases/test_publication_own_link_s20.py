"""R-8.7: «Подтвердить публикацию» refuses the link of the author's own message — the «открыть в источнике» link of
the case page, easily copied by mistake — and of any other message of the case: the executor reads «Это ссылка на
сообщение автора, а не на ваш ответ …», the case stays in «Публикация» and nothing is recorded as published. In VK
(a comment or a post), Telegram and YouTube every message has a link of its own, so the answer's link differs; in OK
the comments of a discussion share its link, and the same link stays accepted there. Found by a review (session 20):
on case № 4 (a VK post https://vk.com/wall-1_1003) its own link was accepted and the case closed «опубликовано»."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case
from otklik.intake.models import Message
from tests.cases.helpers import approved, vk_comment
from tests.cases.test_explore_ui import flashes
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте, Ирина! Крышу дома № 5 отремонтируют до 15 мая, подрядчик приступил к работе."
REFUSED = "Это ссылка на сообщение автора, а не на ваш ответ"


def a_post() -> Message:
    """A VK post of a resident's own (the message is the post, its answers are comments under it)."""
    return Message.objects.create(
        network="vk",
        external_id="-1_1003",
        url="https://vk.com/wall-1_1003",
        author_id="77",
        author_name="Сергей Павлов",
        text="Скорая в Луге ехала к отцу больше часа. Почему так долго?",
    )


@pytest.mark.parametrize("kind", ["a comment under a post", "a post"])
def test_the_link_of_the_authors_own_message_is_not_taken_for_the_published_answer(
    personas: Personas, kind: str
) -> None:
    message = vk_comment(5, "Ирина Петрова") if kind == "a comment under a post" else a_post()
    case, draft = approved(personas, [message], ANSWER)
    assert case.status == Case.Status.PUBLISHING

    executor = Client()
    executor.force_login(personas.alice)
    url = reverse("cases:publish", args=[case.pk, draft.pk])
    response = executor.post(url, {"url": message.url, "version": case.version})
    case.refresh_from_db()
    # Before: «Публикация подтверждена.», the case closed and the author's own message recorded as our answer.
    assert response.status_code == 400
    assert [m for m in flashes(response) if m.startswith(REFUSED) and f"№ {message.pk}" in m], flashes(
        response
    )
    assert case.status == Case.Status.PUBLISHING
    assert not case.publications.exists()

    # the answer's own link under the message is taken
    answer = f"{message.url.split('?')[0]}?reply=901"
    response = executor.post(url, {"url": answer, "version": case.version})
    assert response.status_code == 302, flashes(response)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert list(case.publications.values_list("url", flat=True)) == [answer]


@pytest.mark.parametrize(
    "form",
    [
        "https://m.vk.com/wall-1_1?reply=5",
        "https://vk.com/club1?w=wall-1_1_r5",
        "https://vk.ru/wall-1_1?reply=5&thread=5",
    ],
)
def test_the_messages_link_in_another_of_vks_forms_is_refused_too(personas: Personas, form: str) -> None:
    case, draft = approved(personas, [vk_comment(5, "Ирина Петрова")], ANSWER)
    with pytest.raises(ActionRefused, match=REFUSED):
        actions.confirm_publication(personas.alice, draft, url=form, expected_version=case.version)


def test_another_authors_message_is_no_answer_under_it_either(personas: Personas) -> None:
    """Two authors under one VK post: neither's own link stands for the answer, the main one or under the other."""
    first, other = vk_comment(5, "Ирина Петрова"), vk_comment(6, "Олег Смирнов")
    case, draft = approved(personas, [first, other], ANSWER)
    with pytest.raises(ActionRefused, match=f"{REFUSED}: сообщение № {other.pk}"):
        actions.confirm_publication(
            personas.alice, draft, url=other.url, also={other.pk: "https://vk.com/wall-1_1?reply=902"}
        )
    with pytest.raises(ActionRefused, match=f"{REFUSED}: сообщение № {other.pk}") as refused:
        actions.confirm_publication(
            personas.alice, draft, url="https://vk.com/wall-1_1?reply=901", also={other.pk: other.url}
        )
    assert refused.value.field == f"also_{other.pk}"
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING and not case.publications.exists()


def test_in_ok_the_discussions_link_shared_by_its_comments_is_still_taken(personas: Personas) -> None:
    """OK gives no link of a single comment (`integrations.ok.connector` stores the discussion's): the answer under
    the message has the same link, and that is what the executor confirms."""
    topic = "https://ok.ru/group/53/topic/777"
    message = Message.objects.create(
        network="ok",
        external_id="777:1",
        url=topic,
        author_id="1",
        author_name="Ирина",
        text="Когда починят крышу?",
    )
    case, draft = approved(personas, [message], ANSWER)
    actions.confirm_publication(personas.alice, draft, url=topic, expected_version=case.version)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
