"""R-8.7 (review of bf3ff9c..HEAD): confirming by hand a publication in a case of several authors asks a link of the
answer under each other author's message (`actions.confirm_publication(also=...)`). What staff meet with it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.models import Case
from otklik.intake.models import DeletedHow, Message
from otklik.intake.pipeline import mark_deleted
from tests.cases.helpers import approved
from tests.cases.test_explore_ui import flashes
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте! Крышу дома № 5 отремонтируют до 15 декабря, подрядчик уже на объекте."


def test_r8_7_two_ok_authors_under_one_topic_can_be_confirmed(personas: Personas) -> None:
    """R-8.7: OK gives no link of a single comment: its connector stores every comment of a discussion with the
    discussion's link (`integrations.ok.connector`: https://ok.ru/group/G/topic/T), and that is the only link the
    executor can copy for her reply under each of the two authors. The form refuses it as «та же, что у другого
    ответа», and the case can never be published: it waits in «Публикация» until its deadline is missed."""
    p = personas
    topic = "https://ok.ru/group/53/topic/777"  # as the OK connector stores a comment's link
    first = Message.objects.create(
        network="ok",
        external_id="777:1",
        url=topic,
        author_id="1",
        author_name="Ирина",
        text="Когда починят крышу?",
    )
    other = Message.objects.create(
        network="ok", external_id="777:2", url=topic, author_id="2", author_name="Олег", text="И у нас течёт."
    )
    case, draft = approved(p, [first, other], ANSWER)
    client = Client()
    client.force_login(p.alice)
    url = reverse("cases:publish", args=[case.pk, draft.pk])
    case.refresh_from_db()
    response = client.post(url, {"url": topic, f"also_{other.pk}": topic, "version": case.version})
    assert response.status_code == 302, flashes(response)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_r8_7_a_combined_case_whose_first_comment_was_deleted_asks_no_link_under_it(
    personas: Personas,
) -> None:
    """R-8.7: the first author deleted her comment; the second one is still there. A deleted comment «has nobody to
    answer there» (`by_hand_also` leaves out a deleted other author), but the form still asks the main link «под
    сообщением № <the deleted one>» and, beside it, a different link under the second author's message: the
    executor who answered the one author there is can confirm neither with one link nor with the same link twice."""
    p = personas
    first = Message.objects.create(
        network="vk",
        external_id="-1_1_10",
        url="https://vk.com/wall-1_1?reply=10",
        author_id="10",
        author_name="Ирина",
        text="Когда починят крышу?",
    )
    other = Message.objects.create(
        network="vk",
        external_id="-1_1_11",
        url="https://vk.com/wall-1_1?reply=11",
        author_id="11",
        author_name="Олег",
        text="И у нас течёт.",
    )
    case, draft = approved(p, [first, other], ANSWER)
    mark_deleted("vk", [first.external_id], DeletedHow.FULL_READ)
    client = Client()
    client.force_login(p.alice)
    url = reverse("cases:publish", args=[case.pk, draft.pk])
    form = client.get(url).content.decode()
    assert f"под сообщением № {first.pk}" not in form  # nobody to answer under it

    reply = "https://vk.com/wall-1_1?reply=12"  # the answer under Олег's comment
    case.refresh_from_db()
    response = client.post(url, {"url": reply, "version": case.version})
    assert response.status_code == 302, flashes(response)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
