"""R-14: marking a message or a case as socially significant from the alerts page — a wrong number, a second
mark, and where the page sends the curator afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.intake.models import Message
from otklik.notify.models import Alert, Notice
from tests.conftest import Personas, msk
from tests.fakes.telegram import FakeTelegram

pytestmark = pytest.mark.django_db


@pytest.fixture
def telegram(settings: Any) -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        settings.OTKLIK_ALERT_TELEGRAM = {"base_url": fake.url, "token": fake.token, "chat_id": "-100777"}
        yield fake


def _message() -> Message:
    return Message.objects.create(
        network="vk",
        external_id="wall-1_190",
        url="https://vk.com/wall-1_190",
        author_name="Анна",
        text="В Кировске прорвало трубу, затоплена школа №2",
        published_at=msk(2025, 10, 1, 8, 0),
    )


@pytest.mark.parametrize(
    ("field", "shown"),
    [
        ("message", "Сообщение № 999999 не найдено"),
        ("case", "Обращение № 999999 не найдено"),
        ("message", "Сообщение № 99999999999999999999999 не найдено"),  # beyond the database's integers
    ],
)
def test_r14_an_unknown_number_shows_the_alerts_page_with_the_reason(
    personas: Personas, client: Client, field: str, shown: str
) -> None:
    client.force_login(personas.curator)
    number = shown.split("№ ")[1].split()[0]
    response = client.post("/notify/significant/", {field: number, "note": "Срочно"})
    assert response.status_code == 400
    html = response.content.decode()
    assert shown in html and "Страница не найдена" not in html
    assert "Отметить как общественно значимое" in html  # the form is there again ...
    assert 'value="Срочно"' in html and f'value="{number}"' in html  # ... with what the curator typed
    assert not Alert.objects.exists()


def test_r14_a_number_in_letters_shows_the_alerts_page_with_the_reason(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.curator)
    response = client.post("/notify/significant/", {"message": "сто"})
    assert response.status_code == 400 and "Номер указывается цифрами" in response.content.decode()


def test_r14_a_second_mark_says_it_was_marked_before_and_keeps_the_new_comment(
    personas: Personas, client: Client, telegram: FakeTelegram, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    msg = _message()
    client.force_login(p.curator)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            "/notify/significant/", {"message": str(msg.pk), "note": "Нужна реакция"}, follow=True
        )
    assert "Оповещение отправлено в аппарат Губернатора" in first.content.decode()
    alert = Alert.objects.get()
    when = alert.created_at.astimezone(msk(2025, 1, 1).tzinfo).strftime("%d.%m.%Y %H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(
            "/notify/significant/", {"message": str(msg.pk), "note": "Уже 30 квартир без воды"}, follow=True
        )
    html = again.content.decode()
    assert "Оповещение отправлено в аппарат Губернатора" not in html
    assert f"Сообщение № {msg.pk} уже отмечено как общественно значимое {when}" in html
    assert "оповещение было отправлено" in html
    assert "комментарий добавлен к оповещению" in html and "в аппарат Губернатора он не отправлялся" in html
    # nothing new went out, and the comment is not lost: it is on the alert's record and on the page
    assert len(telegram.calls("sendMessage")) == 1
    assert Notice.objects.filter(recipient=p.observer).count() == 1
    alert.refresh_from_db()
    assert [n["text"] for n in alert.evidence["notes"]] == ["Уже 30 квартир без воды"]
    assert alert.evidence["notes"][0]["by"] == p.curator.pk
    assert "Уже 30 квартир без воды" in html
    # the same comment twice (a double click) is kept once; a mark without a comment adds nothing
    client.post("/notify/significant/", {"message": str(msg.pk), "note": "Уже 30 квартир без воды"})
    client.post("/notify/significant/", {"message": str(msg.pk), "note": ""})
    alert.refresh_from_db()
    assert len(alert.evidence["notes"]) == 1


def test_r14_a_second_mark_without_a_comment_of_a_case_says_so(
    personas: Personas, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    case = actions.dispatch_case(p.curator, [_message()], [Route(p.health)], now=msk(2025, 10, 1, 9, 0))
    client.force_login(p.curator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/notify/significant/", {"case": str(case.pk)})
        html = client.post("/notify/significant/", {"case": str(case.pk)}, follow=True).content.decode()
    assert f"Обращение № {case.pk} уже отмечено как общественно значимое" in html
    assert "комментарий" not in html.split("уже отмечено", 1)[1].split("</li>", 1)[0]
    assert Alert.objects.count() == 1


@pytest.mark.parametrize(
    "target", ["https://evil.example/phish", "//evil.example/phish", "http://testserver.evil.example/"]
)
def test_r14_next_goes_only_to_this_site(personas: Personas, client: Client, target: str) -> None:
    """The open redirect: after marking, `next` to another site leads to the alerts page instead."""
    p = personas
    case = actions.dispatch_case(p.curator, [_message()], [Route(p.health)], now=msk(2025, 10, 1, 9, 0))
    client.force_login(p.curator)
    response = client.post("/notify/significant/", {"case": str(case.pk), "next": target})
    assert response.status_code == 302 and response["Location"] == "/notify/alerts/"


def test_r14_next_on_this_site_is_followed(personas: Personas, client: Client) -> None:
    p = personas
    case = actions.dispatch_case(p.curator, [_message()], [Route(p.health)], now=msk(2025, 10, 1, 9, 0))
    client.force_login(p.curator)
    response = client.post("/notify/significant/", {"case": str(case.pk), "next": f"/cases/{case.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"


def test_r14_a_number_typed_with_its_sign_is_found_as_on_the_case_pages(
    personas: Personas, client: Client, telegram: FakeTelegram
) -> None:
    msg = _message()
    client.force_login(personas.curator)
    response = client.post("/notify/significant/", {"message": f"№ {msg.pk}"})
    assert response.status_code == 302
    assert Alert.objects.get().message == msg
    for typed in ("+5", "1_000"):  # int() takes these; a person did not mean a number by them
        page = client.post("/notify/significant/", {"case": typed})
        assert page.status_code == 400 and "Номер указывается цифрами." in page.content.decode()
