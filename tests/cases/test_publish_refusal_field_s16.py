"""R-8.7 with the accessibility of refusals: a refused confirmation of a publication by hand marks the link it is
about (`data-field`, focused and given the reason beside it by otklik.js) — the main link, or the link under the
other author's message in a case of several authors — as the dispatch form and the draft editor do."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case, Draft
from otklik.intake.models import Message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _marked_field(html: str) -> str:
    found = re.search(r'<ul class="messages"[^>]*data-field="([^"]*)"', html)
    return found.group(1) if found else ""


def _vk(reply: int, author: str) -> Message:
    return Message.objects.create(
        network="vk",
        external_id=f"-1_1_{reply}",
        url=f"https://vk.com/wall-1_1?reply={reply}",
        author_id=str(reply),
        author_name=author,
        text="Когда починят крышу дома № 5?",
    )


def _approved(p: Personas, messages: list[Message]) -> tuple[Case, Draft]:
    with transaction.atomic():
        case = actions.dispatch_case(p.curator, messages, [actions.Route(p.health, 1)])
        draft = actions.submit_draft(
            p.alice, case, "answer", "Здравствуйте! Крышу отремонтируют до 15 декабря."
        )
        actions.approve_draft(p.curator, draft)
    case.refresh_from_db()
    return case, draft


def _refused(p: Personas, case: Case, draft: Draft, **links: str) -> str:
    client = Client()
    client.force_login(p.alice)
    response = client.post(
        reverse("cases:publish", args=[case.pk, draft.pk]), {"version": case.version, **links}
    )
    assert response.status_code == 400
    return response.content.decode()


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("https://ok.ru/group/53/topic/777", "Ответ размещается в той же сети"),
        ("https://vk.com/wall-1_2?reply=99", "Ссылка ведёт на другой пост ВКонтакте"),
        ("vk.com wall", "Укажите ссылку на опубликованный ответ"),
    ],
    ids=["another-network", "another-post", "no-link"],
)
def test_r8_7_a_refused_link_is_marked(personas: Personas, link: str, reason: str) -> None:
    case, draft = _approved(personas, [_vk(10, "Ирина")])
    page = _refused(personas, case, draft, url=link)
    assert reason in page
    assert _marked_field(page) == "url"


def test_r8_7_a_refused_link_under_the_other_author_marks_that_link_not_the_first(personas: Personas) -> None:
    """The main link is right; the one under Олег's message leads to another network: his field is marked."""
    first, other = _vk(10, "Ирина"), _vk(11, "Олег")
    case, draft = _approved(personas, [first, other])
    page = _refused(
        personas,
        case,
        draft,
        url="https://vk.com/wall-1_1?reply=20",
        **{f"also_{other.pk}": "https://ok.ru/group/53/topic/777"},
    )
    assert "Ответ размещается в той же сети" in page
    assert _marked_field(page) == f"also_{other.pk}"
    page = _refused(personas, case, draft, url="https://vk.com/wall-1_1?reply=20")  # his link left out
    assert f"Укажите ссылку на ответ под сообщением № {other.pk}" in page
    assert _marked_field(page) == f"also_{other.pk}"
