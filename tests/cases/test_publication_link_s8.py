"""R-8.7: the published answer stands in the network and under the post where the message was written. A link
to another VK post (a colleague's answer elsewhere, a wrong tab copied) no longer closes the case as answered."""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case
from otklik.integrations.links import vk_post
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "post"),
    [
        ("https://vk.com/wall-1_1002", (-1, 1002)),
        ("https://m.vk.com/wall-1_1002?reply=5", (-1, 1002)),
        ("https://vk.com/club1?w=wall-1_1002_r5", (-1, 1002)),
        ("https://vk.ru/wall123_4/", (123, 4)),
        ("https://vk.com/club1", None),
        ("https://t.me/lenobl/12", None),
    ],
)
def test_the_post_of_a_vk_link(url: str, post: tuple[int, int] | None) -> None:
    assert vk_post(url) == post


def approved(p: Personas) -> tuple[Case, object]:
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))  # a comment under vk.com/wall-1_1
    draft = actions.submit_draft(
        p.alice, case, "answer", "Здравствуйте, Ирина! Ямы заделают к 5 мая.", now=msk(2025, 4, 28, 10, 0)
    )
    actions.approve_draft(p.curator, draft, now=msk(2025, 4, 28, 10, 20))
    return case, draft


def test_r8_7_a_link_to_another_vk_post_does_not_close_the_case(personas: Personas) -> None:
    case, draft = approved(personas)
    with pytest.raises(ActionRefused, match=r"другой пост ВКонтакте.*vk\.com/wall-1_1\b"):
        actions.confirm_publication(
            personas.alice, draft, url="https://vk.com/wall-5_999?reply=1", now=msk(2025, 4, 28, 10, 30)
        )
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING and not case.publications.exists()
    # the answer under the message's own post, in VK's «?w=» form, is taken
    actions.confirm_publication(
        personas.alice, draft, url="https://vk.com/club1?w=wall-1_1_r77", now=msk(2025, 4, 28, 10, 31)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
