"""Manual entry by link (R-4), as a curator types it; each case here was once accepted and lost or overwrote a
message (review, session 17). The link is the message's identity: a later entry or fetch finds it by it."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.cases import actions
from otklik.intake.models import Message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

URL = "/intake/messages/new/"
LINK = "https://vk.com/wall-1_2"
THREAD = "https://forum.gatchina.example/topic/512"  # a forum thread: people copy the thread's address


@pytest.mark.parametrize("typed", ["12.05.1024 14:30", "01.01.1999 10:00"])
def test_a_publication_time_before_2000_is_refused_in_russian(
    client: Client, personas: Personas, typed: str
) -> None:
    """A typo in the year («1024» for «2024»): the form refuses it beside the field (it said «Сообщение добавлено.»
    and the pipeline dropped the time, noting it in English where curators never look)."""
    client.force_login(personas.curator)
    response = client.post(URL, {"url": LINK, "text": "Не горят фонари на Чкалова", "published_at": typed})
    page = response.content.decode()
    assert response.status_code == 200 and not Message.objects.exists()
    assert f"Время публикации {typed} слишком раннее: проверьте год." in page
    assert "Не горят фонари на Чкалова" in page  # what was typed stays in the form


def test_a_second_entry_with_a_mistyped_year_keeps_the_stored_time(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.curator)
    data = {"url": LINK, "text": "Не горят фонари на Чкалова"}
    assert client.post(URL, {**data, "published_at": "12.05.2024 14:30"}).status_code == 302
    first = Message.objects.get().published_at
    assert first is not None
    assert client.post(URL, {**data, "published_at": "12.05.1024 14:30"}).status_code == 200
    assert Message.objects.get().published_at == first


@pytest.mark.parametrize(
    ("url", "network"),
    [
        ("https://vk.com/", "vk"),
        ("https://t.me", ""),
        ("https://ok.ru/", "ok"),
        ("https://www.youtube.com/", ""),
    ],
)
def test_a_networks_main_page_is_not_taken_as_a_message(
    client: Client, personas: Personas, url: str, network: str
) -> None:
    """The curator pasted the network's address instead of the comment's: refused in Russian (it was stored as
    the message «url:vk.com», no answer could be published under it, R-8.7, and every later entry with the same
    slip replaced its text)."""
    client.force_login(personas.curator)
    response = client.post(URL, {"url": url, "network": network, "text": "Когда откроют мост?"})
    assert response.status_code == 200 and not Message.objects.exists()
    assert "Это ссылка на главную страницу сайта, а не на сообщение" in response.content.decode()


def test_a_message_under_a_link_already_in_work_is_not_rewritten(client: Client, personas: Personas) -> None:
    """Ирина's forum message, entered by the thread's link, went to the health committee. A colleague enters Олег's
    message from the same thread under the same link: the form says which case has that link and keeps what was
    typed; the case's message still reads Ирина's (it read Олег's, and the body would have answered a complaint
    it was never sent)."""
    p = personas
    client.force_login(p.curator)
    first = {
        "url": THREAD,
        "network": "forum",
        "author_name": "Ирина",
        "text": "В поликлинике нет терапевта.",
    }
    assert client.post(URL, first).status_code == 302
    m = Message.objects.get()
    case = actions.dispatch_case(p.curator, [m], [actions.Route(p.health)])
    second = {**first, "author_name": "Олег", "text": "Когда починят дорогу на Киевской?"}
    response = client.post(URL, second)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Сообщение с этой ссылкой уже в работе — обращение № {case.pk}, его данные не изменены." in page
    assert "Когда починят дорогу на Киевской?" in page  # Олег's text is still in the form
    m.refresh_from_db()
    assert (m.text, m.author_name) == ("В поликлинике нет терапевта.", "Ирина")
