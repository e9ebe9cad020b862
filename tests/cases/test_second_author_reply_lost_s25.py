"""Found by a review (session 25), fixed since. R-8.4 (clause 8.4: the draft is prepared with the author's clarification). The author answers our published
clarification request twice in a row, both times replying to the request itself («Соборная улица.» and, half an
hour later, «Уточняю: дом 5, у самой поликлиники»). The first reply is linked to the case and drafting reopens;
the second one, written in the same thread as a direct reply to our request while the executor is drafting, is not
linked (`cases.author_replies._answers` / `_waiting_by_author` take only a case in «ждёт ответа автора» or after
«без уточнения автора»), nobody drafting is told, and the form «Добавить ответ автора на запрос» is gone from the case
page (`actions.register_author_reply` refuses a case in «подготовка проекта» unless `late_reply_awaited`). The
executor never sees the author's additional details on the case page; they sit in the curator's inbox as a new
unrelated message, which the curator can only dispatch as a second case."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.models import Case, Notification
from tests.cases.test_author_reply_in_thread_s19 import GROUP, REQUEST_TEXT, awaiting, comment, read, source  # noqa: F401
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_the_authors_second_reply_to_the_request_reaches_the_case(
    client: Client,
    personas: Personas,
    source: object,  # noqa: F811
) -> None:
    p = personas
    case = awaiting(p, source)  # type: ignore[arg-type]
    read(source, comment(503, msk(2025, 4, 28, 12, 0), "Соборная улица.", parents=[501], reply_to=502))  # type: ignore[arg-type]
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING  # the first reply linked: drafting reopened

    read(
        source,  # type: ignore[arg-type]
        comment(
            504,
            msk(2025, 4, 28, 12, 30),
            "Уточняю: дом 5, ямы у самого входа в поликлинику.",
            parents=[501],
            reply_to=502,
        ),
    )

    client.force_login(p.alice)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    told = Notification.objects.filter(
        recipient=p.alice, case=case, created_at__gt=msk(2025, 4, 28, 12, 0)
    ).count()
    assert "ямы у самого входа" in page or told >= 2, (
        "the author's second reply to our request (same thread, replying to the request) is neither on the case "
        "page nor told to the executor drafting the answer: it is left in the curator's inbox as a new message"
    )


def test_the_authors_reply_while_the_answer_without_it_is_on_review_reaches_the_case(
    client: Client,
    personas: Personas,
    source: object,  # noqa: F811
) -> None:
    """The same gap one step later: the curator decided to go on «без уточнения автора», the executor sent the
    answer, and while it is on the curator's review the author's reply to our request arrives. It is linked only
    in «подготовка проекта» (`actions.late_reply_awaited`), so the curator approves an answer that ignores the
    author's details, which she never sees on the case page."""
    from otklik.cases import actions

    p = personas
    case = awaiting(p, source)  # type: ignore[arg-type]
    actions.answer_without_author(p.curator, case, now=msk(2025, 4, 28, 14, 0))
    actions.submit_draft(
        p.alice,
        case,
        "answer",
        "Здравствуйте, Ирина! Ремонт дороги к поликлинике включён в план на июнь 2025 года.",
        now=msk(2025, 4, 28, 15, 0),
    )
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW
    read(
        source,  # type: ignore[arg-type]
        comment(503, msk(2025, 4, 28, 15, 10), "Речь о Соборной улице, дом 5.", parents=[501], reply_to=502),
    )

    client.force_login(p.curator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    told = Notification.objects.filter(case=case, text__contains="Автор ответил").exists()
    assert "Соборной улице, дом 5" in page or told, (
        "the author's reply to our request came while the answer prepared without it is on review: it is not on the "
        "case page and the reviewing curator is not told — she approves an answer that ignores it"
    )
