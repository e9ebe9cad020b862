"""Exploratory findings under the Governor's posts over several days (R-7.3, R-7.4), as the office staff, the
bodies' executors and heads live them.

The post comes out on Tuesday 05.11.2024 at 10:00; the first window ends at 12:00; the R-7.4 checks are at 14:45,
16:45, Wednesday 09:45 … (lunch 13:00–13:45, Tuesday–Thursday 09:00–18:00). Times were counted by hand.
"""

from __future__ import annotations

import copy
import time

import pytest
from django.core.management import call_command

from otklik.cases.models import Case, Deadline, Publication
from otklik.governor import actions, service
from otklik.governor.models import Check, Comment
from otklik.intake.models import DeletedHow, Message
from otklik.intake.pipeline import run_source
from tests.conftest import Personas, msk
from tests.fakes.vk import FakeVK
from tests.governor.helpers import (
    HEALTH_QUESTION,
    ROADS_QUESTION,
    THANKS,
    client_for,
    comment,
    governor_post,
    governor_source,
    governor_vk,
)

pytestmark = pytest.mark.django_db

POST_AT = msk(2024, 11, 5, 10, 0)
OWNER = -200000001


def test_what_the_author_wrote_while_the_interim_answer_awaited_approval_is_not_his_clarification(
    p: Personas,
) -> None:
    """R-7.3, R-7.1: roads requires approval. Dave writes the interim answer asking for the street at 10:20; the
    author, who has seen nothing yet, writes «Жду ответа» at 10:30; the head approves at 11:30 and the answer is
    published through the API. The 10:30 comment cannot answer a question the author had not been asked: the
    question waits for the author's details with no clock running, and his details at 11:50 restart the clock
    (due 13:50 + lunch = 14:35)."""
    actions.set_require_approval(p.roads, p.roads_head, True)
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    question = comment(post, ROADS_QUESTION, msk(2024, 11, 5, 10, 10), author="103")
    service.process_comments(now=msk(2024, 11, 5, 10, 15))
    case = Comment.objects.get(message=question).case
    assert case is not None
    actions.submit_answer(
        case, p.dave, "Уточните, пожалуйста, улицу.", interim=True, now=msk(2024, 11, 5, 10, 20)
    )
    waiting = comment(post, "Жду ответа", msk(2024, 11, 5, 10, 30), author="103")
    service.process_comments(now=msk(2024, 11, 5, 10, 35))
    actions.approve_answer(case, p.roads_head, now=msk(2024, 11, 5, 11, 30))
    actions.confirm_publication(
        case,
        method="api",
        external_id=f"{post.external_id}_r1",
        actor=p.roads_head,
        now=msk(2024, 11, 5, 11, 30),
    )

    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    assert service.question_state(case, msk(2024, 11, 5, 11, 31)) == "waiting"
    assert (Comment.objects.get(message=waiting).kind, Comment.objects.get(message=waiting).case) == (
        Comment.Kind.OTHER,
        None,
    )
    assert not Deadline.objects.filter(case=case, stage="gov_after_reply").exists()

    details = comment(post, "Улица Соборная, дом 5.", msk(2024, 11, 5, 11, 50), author="103")
    service.process_comments(now=msk(2024, 11, 5, 11, 55))
    assert Comment.objects.get(message=details).kind == Comment.Kind.CLARIFICATION
    d = Deadline.objects.get(case=case, stage="gov_after_reply")
    assert (d.started_at, d.due_at) == (msk(2024, 11, 5, 11, 50), msk(2024, 11, 5, 14, 35))


def test_details_written_after_the_approval_count_for_an_interim_answer_posted_by_hand(p: Personas) -> None:
    """R-7.3: the same, but the head approves at 11:30 and the executor posts the answer by hand, confirming its
    link at 12:10: the author's «Жду ответа» of 10:30 (before the approval) is not his details, his 11:40 reply
    (after it, before the link was confirmed) is: due 2 working hours after 11:40 (11:40–13:00 + 13:45–14:25)."""
    actions.set_require_approval(p.roads, p.roads_head, True)
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    question = comment(post, ROADS_QUESTION, msk(2024, 11, 5, 10, 10), author="103")
    service.process_comments(now=msk(2024, 11, 5, 10, 15))
    case = Comment.objects.get(message=question).case
    assert case is not None
    actions.submit_answer(
        case, p.dave, "Уточните, пожалуйста, улицу.", interim=True, now=msk(2024, 11, 5, 10, 20)
    )
    waiting = comment(post, "Жду ответа", msk(2024, 11, 5, 10, 30), author="103")
    service.process_comments(now=msk(2024, 11, 5, 10, 35))
    actions.approve_answer(case, p.roads_head, now=msk(2024, 11, 5, 11, 30))
    details = comment(post, "Улица Соборная, дом 5.", msk(2024, 11, 5, 11, 40), author="103")
    service.process_comments(now=msk(2024, 11, 5, 11, 45))
    actions.confirm_publication(
        case, method="manual", url=f"{post.url}?reply=77", actor=p.dave, now=msk(2024, 11, 5, 12, 10)
    )

    assert Comment.objects.get(message=waiting).kind == Comment.Kind.OTHER
    assert (Comment.objects.get(message=details).kind, Comment.objects.get(message=details).case) == (
        Comment.Kind.CLARIFICATION,
        case,
    )
    d = Deadline.objects.get(case=case, stage="gov_after_reply")
    assert (d.started_at, d.due_at) == (msk(2024, 11, 5, 11, 40), msk(2024, 11, 5, 14, 25))


def test_a_check_counts_the_comments_new_since_the_previous_check_though_triaged_before_it(
    p: Personas,
) -> None:
    """R-7.4: the clock triages new comments every 5 minutes, so by the 14:45 check the 12:30 question and the
    13:50 thank-you are already triaged. The check still found two new comments since the first window ended,
    and the 16:45 check one more (the 15:10 comment), not the ones counted before; an official account's comment
    (a body's answer posted by hand) is not a new comment. The post page shows the same figures."""
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    comment(post, ROADS_QUESTION, msk(2024, 11, 5, 12, 30), author="103")
    service.run_checks(now=msk(2024, 11, 5, 12, 35), fetch=False)
    comment(post, THANKS, msk(2024, 11, 5, 13, 50), author="104")
    service.run_checks(now=msk(2024, 11, 5, 13, 55), fetch=False)
    assert service.run_checks(now=msk(2024, 11, 5, 14, 50), fetch=False).done == 1

    comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 15, 10), author="105")
    ours = comment(post, "Здравствуйте! Ремонт в мае.", msk(2024, 11, 5, 15, 20), author="-1")
    Message.objects.filter(pk=ours.pk).update(is_official=True)
    service.run_checks(now=msk(2024, 11, 5, 15, 25), fetch=False)
    assert service.run_checks(now=msk(2024, 11, 5, 16, 50), fetch=False).done == 1

    checks = list(post.watch.checks.order_by("number")[:3])
    assert [(c.due_at, c.state, c.ran_at, c.new_comments) for c in checks] == [
        (msk(2024, 11, 5, 14, 45), Check.State.DONE, msk(2024, 11, 5, 14, 50), 2),
        (msk(2024, 11, 5, 16, 45), Check.State.DONE, msk(2024, 11, 5, 16, 50), 1),
        (msk(2024, 11, 6, 9, 45), Check.State.DUE, None, 0),
    ]
    page = client_for("dave").get(f"/governor/posts/{post.watch.pk}/").content.decode()
    row1 = page.split('data-check="1"')[1].split("</tr>")[0]
    row2 = page.split('data-check="2"')[1].split("</tr>")[0]
    assert row1.rstrip().endswith("<td>2</td>") and row2.rstrip().endswith("<td>1</td>")


def vk_question(fake: FakeVK) -> tuple[Comment, int]:
    """The Governor's VK community with a fresh post and a health question under it, read and triaged."""
    source = governor_vk(fake)
    post = copy.deepcopy(fake.posts[0])
    post.update(id=103, date=int(time.time()) - 600, text="Губернатор: открыли поликлинику в Гатчине.")
    fake.posts.append(post)
    question_id = fake.add_comment(103, HEALTH_QUESTION, from_id=3333333)
    assert run_source(source).error == ""
    call_command("governor_checks", "--no-fetch")
    triaged = Comment.objects.get(message__external_id=f"{OWNER}_103_{question_id}")
    assert triaged.case is not None
    return triaged, question_id


def answer_on_the_page(c: Comment, body_pk: int) -> list[str]:
    response = client_for("alice").post(
        f"/governor/questions/{c.case_id}/answer/",
        {"text": "Терапевт принимает с 11 ноября.", "seen": "0", "part": str(body_pk)},
        follow=True,
    )
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


def test_an_answer_to_a_question_deleted_in_vk_is_explained_in_russian_and_the_comment_marked(
    p: Personas, fake_vk: FakeVK
) -> None:
    """R-7.2, R-4: the author deleted the question in VK before the executor answered; VK refuses the reply. The
    executor is told in Russian that the comment is deleted (not VK's English error), the question is marked
    deleted on the post page, and the answer waits to be published by hand with its link."""
    c, question_id = vk_question(fake_vk)
    fake_vk.delete_comment(question_id)

    [said] = answer_on_the_page(c, p.health.pk)
    assert said == (
        "Ответ не опубликован автоматически (комментарий удалён в сети): опубликуйте вручную и укажите ссылку."
    )
    question = Message.objects.get(pk=c.message_id)
    assert question.deleted_at is not None and question.deleted_how == DeletedHow.PUBLISH
    assert not Publication.objects.filter(case_id=c.case_id).exists()
    page = client_for("alice").get(f"/governor/posts/{c.watch_id}/").content.decode()
    assert "Удалено в сети" in page and "Подтвердить публикацию" in page


def test_a_vk_refusal_of_the_reply_is_told_in_russian(p: Personas, fake_vk: FakeVK) -> None:
    """R-7.2: VK refuses the reply (error 15, access denied): the executor reads in Russian that the network
    refused, and publishes by hand."""
    c, _ = vk_question(fake_vk)
    fake_vk.fail("wall.createComment", code=15)

    [said] = answer_on_the_page(c, p.health.pk)
    assert said == (
        "Ответ не опубликован автоматически (сеть «ВКонтакте» отказала в публикации): опубликуйте вручную и "
        "укажите ссылку."
    )
    assert Message.objects.get(pk=c.message_id).deleted_at is None
