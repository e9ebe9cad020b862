"""Exploratory findings under the Governor's posts, as a body's executor and head live them (R-7.1 … R-7.3).

The post comes out on Friday 01.11.2024 at 17:30 (after hours); the first window ends on the working Saturday
02.11.2024 at 11:00 (09:00 + 2 h). Times below were counted by hand from that calendar (lunch 13:00–13:45).
"""

from __future__ import annotations

import pytest

from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case, Deadline
from otklik.governor import actions, service
from otklik.governor.models import Comment
from otklik.governor.questions import detect
from tests.conftest import Personas, msk
from tests.governor.helpers import (
    HEALTH_QUESTION,
    ROADS_QUESTION,
    client_for,
    comment,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db

POST_AT = msk(2024, 11, 1, 17, 30)


@pytest.mark.parametrize(
    "text",
    [
        "Просьба разобраться с освещением на улице Ленина",
        "Хотелось бы узнать сроки ремонта дороги в Гатчине",
        "Обращаюсь к вам с просьбой отремонтировать крышу школы",
        "Проверьте, пожалуйста, школу № 3 в Кировске",
        "Хочу узнать сроки открытия бассейна",
    ],
)
def test_common_ways_of_asking_without_a_question_mark_are_questions(text: str) -> None:
    """R-7.2: an appeal written as «Просьба …», «Хотелось бы узнать …» must reach a body, not be lost among
    the «other» comments."""
    assert detect(text).is_question is True


@pytest.mark.parametrize(
    "text",
    [
        "Как хорошо, спасибо!",
        "Прекрасно, как всегда",
        "Когда-нибудь и до нас дойдут",
        "Где-то я это уже видел",
        "Кое-как, но сделали",
    ],
)
def test_praise_and_indefinite_pronouns_are_not_questions(text: str) -> None:
    """R-7.2: a thank-you must not become a body's work with a 2-hour deadline (and a violation if nobody
    answers a compliment)."""
    assert detect(text).is_question is False


@pytest.mark.parametrize("text", ["Как записаться к терапевту в Гатчине", "Когда откроют поликлинику"])
def test_real_questions_without_a_question_mark_still_are(text: str) -> None:
    assert detect(text).is_question is True


def test_an_official_accounts_reply_under_the_post_is_nobodys_work(p: Personas) -> None:
    """R-7.1: a body's answer published by hand comes back with the next fetch (marked `is_official` by
    intake); asking the author for details («Сообщите адрес?») must not open a question for a body."""
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    ours = comment(post, "Сообщите, пожалуйста, адрес дома?", msk(2024, 11, 2, 9, 40), author="-1")
    ours.is_official = True
    ours.save(update_fields=["is_official"])
    service.process_comments(now=msk(2024, 11, 2, 9, 45))
    row = Comment.objects.get(message=ours)
    assert row.case is None
    assert not Case.objects.exists()
    with pytest.raises(ActionRefused, match="официального аккаунта"):
        service.take_comment(row, p.alice, p.health, now=msk(2024, 11, 2, 9, 50))

    page = client_for("alice").get(f"/governor/posts/{post.watch.pk}/").content.decode()
    assert "Вопросы (0)" in page and "Другие комментарии (1)" in page
    assert "официальный аккаунт" in page
    assert f"/governor/comments/{row.pk}/take/" not in page


def test_the_head_cannot_return_an_answer_without_saying_what_to_fix(p: Personas) -> None:
    """R-7.1: a return with an empty remark leaves the executor guessing while the 2 hours run; the head is
    told to write the remark and the answer stays on approval."""
    actions.set_require_approval(p.health, p.health_head, True)
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    msg = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    case = Comment.objects.get(message=msg).case
    assert case is not None
    actions.submit_answer(case, p.alice, "Черновик ответа.", now=msk(2024, 11, 2, 9, 10))

    head = client_for(p.health_head.username)
    page = head.post(
        f"/governor/questions/{case.pk}/review/", {"decision": "return", "comment": "  "}, follow=True
    )
    assert page.status_code == 200
    assert "Напишите замечание: что исправить в ответе." in page.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW

    with pytest.raises(ActionRefused, match="замечание"):
        actions.return_answer(case, p.health_head, "", now=msk(2024, 11, 2, 9, 20))
    actions.return_answer(case, p.health_head, "Назовите дату.", now=msk(2024, 11, 2, 9, 20))
    case.refresh_from_db()
    assert case.status == Case.Status.REVISION


def test_details_written_before_the_interim_link_is_confirmed_are_the_clarification(p: Personas) -> None:
    """R-7.3: the executor posts the interim answer by hand at 12:30 and confirms the link at 13:50; the author
    answered at 12:40 and the 12:45 triage saw nothing waiting for him. His details are still the
    clarification: the answer is due 2 working hours after 12:40 (12:40–13:00 + 13:45–15:25)."""
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    question = comment(post, ROADS_QUESTION, msk(2024, 11, 2, 12, 10), author="103")
    service.process_comments(now=msk(2024, 11, 2, 12, 15))
    case = Comment.objects.get(message=question).case
    assert case is not None
    actions.submit_answer(
        case, p.dave, "Уточните, пожалуйста, улицу и дом.", interim=True, now=msk(2024, 11, 2, 12, 30)
    )
    details = comment(post, "Улица Соборная, дом 5.", msk(2024, 11, 2, 12, 40), author="103")
    service.process_comments(now=msk(2024, 11, 2, 12, 45))
    assert Comment.objects.get(message=details).kind == Comment.Kind.OTHER  # nothing was waiting yet

    actions.confirm_publication(
        case, method="manual", url=f"{post.url}?reply=77", actor=p.dave, now=msk(2024, 11, 2, 13, 50)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    row = Comment.objects.get(message=details)
    assert (row.kind, row.case) == (Comment.Kind.CLARIFICATION, case)
    d = Deadline.objects.get(case=case, stage="gov_after_reply")
    assert (d.started_at, d.due_at, d.responsible) == (
        msk(2024, 11, 2, 12, 40),
        msk(2024, 11, 2, 15, 25),
        p.dave,
    )
