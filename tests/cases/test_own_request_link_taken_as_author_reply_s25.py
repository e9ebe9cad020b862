"""Found by a review (session 25), fixed since. R-8.4 (clause 8.4 / 8.8: drafting resumes on the *author's* clarification). The executor publishes the
clarification request under the author's VK comment by hand and confirms its link
(https://vk.com/wall-1_1?reply=502). When adding the author's reply on the case page («Добавить ответ автора на
запрос») she pastes, by mistake, the link of our own published request — the link the system itself holds as the
request's `Publication.url`. The system takes it: the case leaves «ждёт ответа автора», the timeline says «получен
ответ автора», the case page lists our own request's comment as «Ответ автора на запрос», and a new 5-hour draft
term starts although the author has not answered. `actions._check_author_reply` means to refuse «опубликованный
ответ», but recognises it only by `Message.is_official`, which a link entered before the connector read our comment
back does not have; the case's own publications (their ids and links, as `author_replies._request_ids` reads them)
are never compared (src/otklik/cases/actions.py `_check_author_reply`, src/otklik/cases/views.py `author_reply`)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.models import Case, CaseMessage
from tests.cases.test_author_reply_in_thread_s19 import awaiting, source  # noqa: F401
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_the_link_of_our_own_published_request_is_not_taken_as_the_authors_reply(
    client: Client,
    personas: Personas,
    source: object,  # noqa: F811
) -> None:
    p = personas
    case = awaiting(p, source)  # type: ignore[arg-type]
    request_link = case.publications.get().url
    assert request_link == "https://vk.com/wall-1_1?reply=502"

    client.force_login(p.alice)
    client.post(
        reverse("cases:reply", args=[case.pk]),
        {"text": "Соборная улица", "url": request_link, "version": case.version},
    )

    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR, (
        "the link of our own published clarification request was taken as the author's reply: the case left "
        "«ждёт ответа автора» and a new draft term started though the author has not answered"
    )
    assert not CaseMessage.objects.filter(case=case, is_author_reply=True).exists()
