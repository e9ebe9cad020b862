"""The author's reply to a clarification request (R-8.4, R-8.8) entered on the case page: a refusal keeps what the
curator pasted, as the page's other forms do (closing keeps its reason, a review its comment)."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.models import Case
from tests.cases.test_author_reply_s7 import awaiting, irina, vk_comment
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

PASTED = "Дом 12 по улице Соборной, подъезд 3, записаться пытаюсь с 1 марта."


def test_a_refused_author_reply_comes_back_with_the_pasted_text_and_link(
    client: Client, personas: Personas
) -> None:
    """The curator pastes a long reply and a link that turns out to be another person's comment. The refusal says
    so — and the page comes back with the «Добавить ответ автора» form empty: the reply must be found and pasted
    again (the view redirects, `cases.views.author_reply`)."""
    p = personas
    case = awaiting(p, irina())
    oleg = vk_comment("Дом 12, у нас тоже не записаться.", "200", "Олег Смирнов")
    client.force_login(p.curator)
    case.refresh_from_db()
    response = client.post(
        reverse("cases:reply", args=[case.pk]),
        {"text": PASTED, "url": oleg.url, "version": case.version},
        follow=True,
    )
    page = html.unescape(response.content.decode())
    assert "написал не автор обращения" in page  # refused, in Russian
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    assert PASTED in page, "the pasted reply is gone from the form after the refusal"
    assert oleg.url in page, "the pasted link is gone from the form after the refusal"
