"""R-8.9, R-11: the score stored with a body's information for a common answer does not count a greeting the author
never reads; where parts are published one by one each part is scored as an answer."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.answers.checker import check_answer
from otklik.cases import actions
from otklik.cases.models import Case, Draft
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db
PART = "Яму на Соборной заделали 3 мая, работы принял отдел дорожного хозяйства."


@pytest.mark.parametrize(
    ("mode", "greeted"),
    [
        (Case.MultiMode.COMMON_BY_LAST, False),
        (Case.MultiMode.COMMON_BY_CURATOR, False),
        (Case.MultiMode.PARTS_ONE_BY_ONE, True),
    ],
)
def test_r8_9_r11_a_part_is_scored_as_what_the_author_will_read(
    personas: Personas, mode: str, greeted: bool
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=msk(2024, 11, 5, 10), multi_mode=mode)
    part = actions.submit_draft(p.alice, case, Draft.Kind.PART, PART, now=msk(2024, 11, 5, 11))
    assert check_answer(PART, network="vk", to_author=False).score == 100  # nothing else to say of the text
    if greeted:  # an answer to the author, who is not greeted: it loses for it
        assert part.score == actions.answer_score(case, PART, Draft.Kind.ANSWER) < 100
    else:
        assert part.score == 100


def test_r8_9_a_part_published_to_the_author_is_named_so_in_the_editor(
    client: Client, personas: Personas
) -> None:
    """Where parts are published one by one, the editor's «Вид» says the part goes to the author as an answer
    (it said «информация для общего ответа» beside a note telling to write it as an answer)."""
    p = personas
    one_by_one = dispatch(
        p.curator, p.health, p.roads, at=msk(2024, 11, 5, 10), multi_mode=Case.MultiMode.PARTS_ONE_BY_ONE
    )
    common = dispatch(
        p.curator, p.health, p.roads, at=msk(2024, 11, 5, 10), multi_mode=Case.MultiMode.COMMON_BY_LAST
    )
    client.force_login(p.alice)
    page = client.get(reverse("cases:draft", args=[one_by_one.pk])).content.decode()
    assert '<option value="part" selected>ответ органа (публикуется автору отдельно)</option>' in page
    page = client.get(reverse("cases:draft", args=[common.pk])).content.decode()
    assert '<option value="part" selected>информация для общего ответа</option>' in page
