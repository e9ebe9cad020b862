"""R-8.7 with the accessibility of refusals: a refused confirmation of a publication by hand marks the link it is
about (`data-field`, focused and given the reason beside it by otklik.js) — the main link, or the link under the
other author's message in a case of several authors — as the dispatch form and the draft editor do."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.models import Case, Draft
from tests.cases.helpers import approved, marked_field, vk_comment
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


ANSWER = "Здравствуйте! Крышу отремонтируют до 15 декабря."


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
    case, draft = approved(personas, [vk_comment(10, "Ирина")], ANSWER)
    page = _refused(personas, case, draft, url=link)
    assert reason in page
    assert marked_field(page) == "url"


def test_r8_7_a_refused_link_under_the_other_author_marks_that_link_not_the_first(personas: Personas) -> None:
    """The main link is right; the one under Олег's message leads to another network: his field is marked."""
    first, other = vk_comment(10, "Ирина"), vk_comment(11, "Олег")
    case, draft = approved(personas, [first, other], ANSWER)
    page = _refused(
        personas,
        case,
        draft,
        url="https://vk.com/wall-1_1?reply=20",
        **{f"also_{other.pk}": "https://ok.ru/group/53/topic/777"},
    )
    assert "Ответ размещается в той же сети" in page
    assert marked_field(page) == f"also_{other.pk}"
    page = _refused(personas, case, draft, url="https://vk.com/wall-1_1?reply=20")  # his link left out
    assert f"Укажите ссылку на ответ под сообщением № {other.pk}" in page
    assert marked_field(page) == f"also_{other.pk}"
