"""The htmx endpoint and the staff page of the answer checker: login required, findings escaped and marked."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case
from otklik.org.models import Body
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_check_endpoint_needs_login(client: Client) -> None:
    response = client.post(reverse("answers:check"), {"text": "Настоящим сообщаем"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_page_needs_login(client: Client) -> None:
    response = client.get(reverse("answers:page"))
    assert response.status_code == 302


def test_fragment_marks_findings_in_the_escaped_text(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    text = "<script>alert(1)</script> Настоящим сообщаем, что яму заделали 3 мая."
    response = client.post(reverse("answers:check"), {"text": text, "network": "vk", "author_name": "Анна"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert '<mark data-code="template"' in html
    assert ">Настоящим сообщаем</mark>" in html
    assert 'data-score="' in html
    assert "Нет приветствия" in html


def test_fragment_suggests_greeting_the_real_author_r11(client: Client, personas: Personas) -> None:
    """R-11: the author is Татьяна, so the hint greets Татьяна, not a fixed «Анна»."""
    client.force_login(personas.alice)
    response = client.post(
        reverse("answers:check"),
        {"text": "Яму заделали 3 мая.", "network": "vk", "author_name": "Татьяна Кузнецова"},
    )
    html = response.content.decode()
    assert "Начните с приветствия: «Здравствуйте, Татьяна!» или «Добрый день!»" in html
    assert "Анна" not in html


def test_fragment_does_not_take_a_placeholder_for_a_name_r11(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    response = client.post(
        reverse("answers:check"),
        {"text": "Здравствуйте! Яму заделали 3 мая.", "network": "vk", "author_name": "Житель"},
    )
    html = response.content.decode()
    assert "Автор не назван по имени" not in html
    assert "Житель, здравствуйте" not in html
    assert "Замечаний нет" in html


def test_fragment_for_a_good_answer_says_there_are_no_remarks(client: Client, personas: Personas) -> None:
    client.force_login(personas.bob)
    response = client.post(
        reverse("answers:check"),
        {"text": "Анна, здравствуйте! Яму заделали 3 мая.", "network": "ok", "author_name": "Анна"},
    )
    html = response.content.decode()
    assert 'data-score="100"' in html
    assert "Замечаний нет" in html


def test_unknown_network_does_not_block_the_editor(client: Client, personas: Personas) -> None:
    client.force_login(personas.alice)
    response = client.post(reverse("answers:check"), {"text": "Здравствуйте!", "network": "myspace"})
    assert response.status_code == 200
    assert "неизвестная сеть" in response.content.decode()


def test_page_shows_the_form_and_is_in_the_menu(client: Client, personas: Personas) -> None:
    client.force_login(personas.dave)
    response = client.get(reverse("answers:page"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Проверка ответа" in html
    assert 'hx-post="' + reverse("answers:check") + '"' in html
    assert "keyup changed delay:400ms" in html
    assert f'href="{reverse("answers:page")}"' in html


def test_an_empty_editor_gets_no_score_but_a_hint(client: Client, personas: Personas) -> None:
    """R-11: the draft editor runs the checker on load; with nothing typed there is no answer to score (it showed
    «55 из 100» and a list of faults of an empty text)."""
    client.force_login(personas.alice)
    for text in ("", "  \n "):
        html = client.post(reverse("answers:check"), {"text": text, "network": "vk"}).content.decode()
        assert "answer-score" not in html and "Нет приветствия" not in html
        assert "Напишите ответ — здесь появится его проверка" in html


PART = "Яму на Соборной заделали 3 мая, работы принял отдел дорожного хозяйства."


def test_r8_9_r11_a_part_for_a_common_answer_is_not_asked_for_a_greeting(
    client: Client, personas: Personas
) -> None:
    """R-8.9, R-11: a body's information for a common answer goes to the executor (or curator) who composes the
    answer; the author never reads it as it is, so the editor does not ask it to greet the author by name. Where
    parts are published one by one each is an answer to the author, checked as one. Each editor is checked with
    what its form sends along with the text."""
    p = personas
    client.force_login(p.alice)

    def checked(case: Case) -> str:
        editor = client.get(reverse("cases:draft", args=[case.pk])).content.decode()
        start = editor.index(
            '<form method="post" enctype="multipart/form-data">'
        )  # the editor's, not the header's
        form = editor[start : editor.index("</form>", start)]
        sent = dict(
            re.findall(r'<input type="hidden" name="(network|author_name|to_author)" value="([^"]*)"', form)
        )
        return client.post(reverse("answers:check"), {**sent, "text": PART}).content.decode()

    def case_of(*bodies: Body, mode: str) -> Case:
        return actions.dispatch_case(
            p.curator,
            [message("?", author="Татьяна Кузнецова")],
            [actions.Route(b, n) for n, b in enumerate(bodies, start=1)],
            multi_mode=mode,
        )

    part = checked(case_of(p.health, p.roads, mode=Case.MultiMode.COMMON_BY_LAST))
    assert "Нет приветствия" not in part and "Автор не назван по имени" not in part
    assert "приветствие и обращение по имени не проверяются" in part

    published = checked(case_of(p.health, p.roads, mode=Case.MultiMode.PARTS_ONE_BY_ONE))
    assert "Нет приветствия" in published and "Автор не назван по имени" in published
    answer = checked(case_of(p.health, mode=Case.MultiMode.COMMON_BY_LAST))
    assert "Нет приветствия" in answer
    assert "не проверяются" not in answer
