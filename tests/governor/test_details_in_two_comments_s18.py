# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""R-7.3: the author's details after an interim answer, as the executor reads them on the post page. People send
details in a burst of comments; every comment of the author written within 15 minutes of the previous part of the
details, while the body has not yet sent its answer, is part of them: shown in the question's card under «Ответ
автора на запрос», recorded on the timeline and told to the executor, with no new term (the answer stays due 2
working hours after the first part). Tuesday 05.11.2024: the post at 10:00, the question at 10:20, the interim
answer asking which clinic published through the API at 10:41. Found by a review (session 18)."""

from __future__ import annotations

import pytest

from otklik.cases.models import CaseEvent, Deadline, Notification
from otklik.governor import actions, service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import HEALTH_QUESTION, client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def interim_asked(p: Personas):  # type: ignore[no-untyped-def]
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=question).case
    actions.submit_answer(
        case,
        p.alice,
        "Здравствуйте! Уточните, пожалуйста, какая поликлиника и какой адрес?",
        interim=True,
        now=msk(2024, 11, 5, 10, 40),
    )
    actions.confirm_publication(case, method="api", external_id="-1_1_r1", now=msk(2024, 11, 5, 10, 41))
    return post, question, case


def test_r7_3_details_sent_in_two_comments_both_stand_in_the_questions_card(p: Personas) -> None:
    """The author answers in two comments, as people do: «Поликлиника № 2.» at 11:10 and «Адрес: Гатчина,
    Соборная, 5.» at 11:12. Both stand in the question's card as the author's answer to the request; the answer is
    due 2 working hours after the first, and Алексеева is told of the addition."""
    post, question, case = interim_asked(p)
    comment(post, "Поликлиника № 2.", msk(2024, 11, 5, 11, 10), author="301", reply_to=question)
    comment(post, "Адрес: Гатчина, Соборная, 5.", msk(2024, 11, 5, 11, 12), author="301", reply_to=question)
    service.process_comments(now=msk(2024, 11, 5, 11, 15))
    assert Deadline.objects.get(case=case, stage=Deadline.Stage.GOV_AFTER_REPLY).started_at == msk(
        2024, 11, 5, 11, 10
    )

    page = client_for("alice").get(f"/governor/posts/{post.watch.pk}/").content.decode()
    card = page.split(f'id="comment-{Comment.objects.get(message=question).pk}"')[1].split("</article>")[0]
    assert "Поликлиника № 2." in card
    assert "Соборная, 5" in card, "the second part of the author's details is not in the question's card"

    assert Comment.objects.filter(case=case, kind=Comment.Kind.CLARIFICATION).count() == 2
    assert Notification.objects.filter(
        recipient=p.alice, case=case, text__contains="Автор дополнил уточнение"
    ).exists()
    assert CaseEvent.objects.filter(case=case, action="gov_details", reason__contains="Соборная").exists()


def test_r7_3_a_comment_long_after_the_details_or_after_the_answer_is_not_part_of_them(p: Personas) -> None:
    """«Поликлиника № 2.» at 11:10; at 11:40, half an hour later, the same author writes something else — not part
    of the details. After Алексеева sends the answer at 12:00, a comment of his at 12:05 is not either."""
    post, question, case = interim_asked(p)
    comment(post, "Поликлиника № 2.", msk(2024, 11, 5, 11, 10), author="301", reply_to=question)
    service.process_comments(now=msk(2024, 11, 5, 11, 15))
    later = comment(post, "А дороги у вас тоже чинят?", msk(2024, 11, 5, 11, 40), author="301")
    service.process_comments(now=msk(2024, 11, 5, 11, 45))
    assert Comment.objects.get(message=later).kind != Comment.Kind.CLARIFICATION

    comment(post, "Адрес: Соборная, 5.", msk(2024, 11, 5, 11, 50), author="301", reply_to=question)
    actions.submit_answer(
        case, p.alice, "Здравствуйте! Терапевт принимает с 11 ноября.", now=msk(2024, 11, 5, 12, 0)
    )
    after = comment(post, "Спасибо!", msk(2024, 11, 5, 12, 5), author="301", reply_to=question)
    service.process_comments(now=msk(2024, 11, 5, 12, 10))
    assert Comment.objects.get(message=after).kind == Comment.Kind.OTHER


def test_r7_3_details_written_before_a_hand_posted_interim_answer_was_confirmed_are_taken_whole(
    p: Personas,
) -> None:
    """The interim answer is posted by hand at 10:41 and its link confirmed only at 11:20; meanwhile the author wrote
    «Поликлиника № 2.» (11:10) and «Адрес: Гатчина, Соборная, 5.» (11:12). At the confirmation both are taken as his
    details."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=question).case
    actions.submit_answer(
        case,
        p.alice,
        "Здравствуйте! Уточните, пожалуйста, какая поликлиника и какой адрес?",
        interim=True,
        now=msk(2024, 11, 5, 10, 40),
    )
    first = comment(post, "Поликлиника № 2.", msk(2024, 11, 5, 11, 10), author="301", reply_to=question)
    second = comment(
        post, "Адрес: Гатчина, Соборная, 5.", msk(2024, 11, 5, 11, 12), author="301", reply_to=question
    )
    service.process_comments(now=msk(2024, 11, 5, 11, 15))
    actions.confirm_publication(
        case, method="manual", url=f"{post.url}?reply=77", actor=p.alice, now=msk(2024, 11, 5, 11, 20)
    )

    kinds = {Comment.objects.get(message=m).kind for m in (first, second)}
    assert kinds == {Comment.Kind.CLARIFICATION}
    assert set(case.case_messages.filter(is_author_reply=True).values_list("message_id", flat=True)) == {
        first.pk,
        second.pk,
    }
