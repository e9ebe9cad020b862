"""R-8.4, R-8.8 after a request for clarification. The executor's request is published under the author's VK comment;
the case waits «ждёт ответа автора». The author answers in the thread, replying to our request, and the answer comes
in with the next read of the thread (`intake.pipeline`): it now goes to the case at once — the timeline says
«система · получен ответ автора», drafting (and its 5 working hours) resumes, whoever drafts is told — and not to
the curator's inbox. The same author's message in another thread, or one written before the request went out,
stays in the inbox; a message that fits two waiting cases is linked to neither, and the curator is told it may be
the reply to them. Found by a review (session 19)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from otklik.cases import actions
from otklik.cases.inbox import unrouted_messages
from otklik.cases.models import Case, CaseMessage, Notification
from otklik.intake.models import Message, Source
from otklik.intake.pipeline import ingest_payloads
from otklik.integrations.base import Payload
from otklik.integrations.vk.connector import parse_payload
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

IRINA = 501501
GROUP = 1  # the health committee's community: its comments are our own (official) ones


def comment(
    cid: int,
    at: datetime,
    text: str,
    *,
    by: int = IRINA,
    post: int = 1,
    thread: list[dict[str, Any]] | None = None,
    parents: list[int] | None = None,
    reply_to: int | None = None,
) -> dict[str, Any]:
    """A comment as VK's wall.getComments lists it (with the thread's replies nested in it)."""
    item: dict[str, Any] = {
        "id": cid,
        "owner_id": -GROUP,
        "post_id": post,
        "from_id": by,
        "date": int(at.timestamp()),
        "text": text,
    }
    if parents:
        item["parents_stack"] = parents
    if reply_to:
        item["reply_to_comment"] = reply_to
    if thread:
        item["thread"] = {"count": len(thread), "items": thread}
    return item


def read(source: Source, *items: dict[str, Any]) -> None:
    """The intake's read of VK comments, as `otklik ingest` stores a page (the real pipeline)."""
    directory = {
        "profiles": [{"id": IRINA, "first_name": "Ирина", "last_name": "Петрова"}],
        "groups": [{"id": GROUP, "name": "Комитет по здравоохранению"}],
    }
    payloads = [
        Payload(
            "comment", {"owner_id": -GROUP, "post_id": item["post_id"], "item": item, "_directory": directory}
        )
        for item in items
    ]
    ingest_payloads("vk", payloads, parse_payload, source=source)


@pytest.fixture
def source() -> Source:
    return Source.objects.create(
        network="vk",
        kind="community",
        title="Здравоохранение",
        external_id=str(GROUP),
        config={"group_id": GROUP},
    )


QUESTION = comment(501, msk(2025, 4, 28, 9, 0), "Когда отремонтируют дорогу к поликлинике? Ямы по колено.")
REQUEST_TEXT = "Здравствуйте, Ирина! Уточните, пожалуйста, о какой улице речь?"


def awaiting(p: Personas, source: Source, question: dict[str, Any] = QUESTION, reply: int = 502) -> Case:
    """A case of Irina's comment whose clarification request is published by hand under it at 11:30."""
    read(source, question)
    message = Message.objects.get(
        network="vk", external_id=f"-{GROUP}_{question['post_id']}_{question['id']}"
    )
    case = actions.dispatch_case(p.curator, [message], [actions.Route(p.health)], now=msk(2025, 4, 28, 10, 0))
    request = actions.submit_draft(p.alice, case, "clarification", REQUEST_TEXT, now=msk(2025, 4, 28, 11, 0))
    actions.approve_draft(p.curator, request, now=msk(2025, 4, 28, 11, 20))
    actions.confirm_publication(
        p.alice,
        request,
        url=f"https://vk.com/wall-{GROUP}_{question['post_id']}?reply={reply}",
        now=msk(2025, 4, 28, 11, 30),
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    return case


def in_inbox(external_id: str) -> bool:
    return unrouted_messages().filter(external_id=external_id).exists()


def test_the_authors_reply_to_a_published_request_reaches_the_case_not_only_the_inbox(
    personas: Personas, source: Source
) -> None:
    p = personas
    case = awaiting(p, source)
    # the next read of the thread: our request (the community's comment) and the author's answer to it
    read(
        source,
        comment(
            501,
            msk(2025, 4, 28, 9, 0),
            QUESTION["text"],
            thread=[
                comment(502, msk(2025, 4, 28, 11, 28), REQUEST_TEXT, by=-GROUP, parents=[501]),
                comment(
                    503,
                    msk(2025, 4, 28, 12, 0),
                    "Улица Соборная, от дома 5 до поликлиники.",
                    parents=[501],
                    reply_to=502,
                ),
            ],
        ),
    )

    case.refresh_from_db()
    told = Notification.objects.filter(case=case, recipient=p.alice, created_at__gt=msk(2025, 4, 28, 11, 30))
    assert told.exists() and not in_inbox("-1_1_503"), (
        "the author answered the published request, but the executor is not told and the answer sits in the "
        "curator's inbox as a new message: the case keeps «ждёт ответа автора»"
    )
    assert case.status == Case.Status.DRAFTING
    assert CaseMessage.objects.filter(
        case=case, message__external_id="-1_1_503", is_author_reply=True
    ).exists()
    event = case.events.filter(action="register_author_reply").get()
    assert event.actor is None and "Улица Соборная" in event.reason
    assert Message.objects.get(external_id="-1_1_502").is_official  # our own request: nobody's work


def test_a_reply_that_arrives_before_our_request_is_read_back_is_found_by_the_requests_link(
    personas: Personas, source: Source
) -> None:
    """VK's Callback API pushes the author's reply alone; it names our request (reply_to_comment 502), read from the
    link the executor confirmed."""
    p = personas
    case = awaiting(p, source)
    read(source, comment(503, msk(2025, 4, 28, 12, 0), "Соборная улица.", parents=[501], reply_to=502))
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    assert not in_inbox("-1_1_503")


def test_the_same_authors_message_in_another_thread_stays_in_the_inbox(
    personas: Personas, source: Source
) -> None:
    p = personas
    case = awaiting(p, source)
    read(source, comment(701, msk(2025, 4, 28, 12, 0), "А когда уберут снег во дворе на Ленина, 3?", post=2))

    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    assert in_inbox(f"-{GROUP}_2_701")
    assert not case.events.filter(action="register_author_reply").exists()


def test_a_reply_written_before_the_request_was_published_is_not_linked(
    personas: Personas, source: Source
) -> None:
    """Irina added to her question at 11:05, before the request was approved (11:20) and published: it is no answer
    to it, though it is read only now."""
    p = personas
    case = awaiting(p, source)
    read(
        source, comment(504, msk(2025, 4, 28, 11, 5), "И ещё: фонари не горят.", parents=[501], reply_to=501)
    )

    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    assert in_inbox("-1_1_504")


def test_a_message_that_fits_two_waiting_cases_is_linked_to_neither_and_the_curator_is_told(
    personas: Personas, source: Source
) -> None:
    p = personas
    first = awaiting(p, source)
    second = awaiting(
        p, source, comment(601, msk(2025, 4, 28, 9, 30), "И освещения нет на Садовой."), reply=602
    )
    # a new comment under the same post, answering neither comment in particular
    read(source, comment(603, msk(2025, 4, 28, 12, 0), "Соборная улица и Садовая, у дома 5."))

    for case in (first, second):
        case.refresh_from_db()
        assert case.status == Case.Status.AWAITING_AUTHOR
    assert in_inbox("-1_1_603")
    message = Message.objects.get(external_id="-1_1_603")
    told = Notification.objects.filter(recipient=p.curator, text__contains=f"Сообщение № {message.pk}")
    assert told.count() == 1
    assert f"№ {first.pk}" in told.get().text and f"№ {second.pk}" in told.get().text


def test_a_late_reply_joins_an_answer_prepared_without_it_and_the_drafter_is_told(
    personas: Personas, source: Source
) -> None:
    p = personas
    case = awaiting(p, source)
    actions.answer_without_author(p.alice, case, now=msk(2025, 4, 28, 14, 0))
    read(source, comment(503, msk(2025, 4, 28, 15, 0), "Соборная улица.", parents=[501], reply_to=502))

    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    assert CaseMessage.objects.filter(
        case=case, message__external_id="-1_1_503", is_author_reply=True
    ).exists()
    assert Notification.objects.filter(
        recipient=p.alice, case=case, text__contains="учтите его ответ"
    ).exists()
    assert not in_inbox("-1_1_503")
