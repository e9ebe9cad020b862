# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""A resident's live question under the Governor's post is not swallowed by the «повтор» or «дополнение к
уточнению» rules: a comment whose original is deleted in the network is the question (and a «повтор» kept while
the original was there is triaged again as the question once the original is ended as deleted); the same words
with another photo are another question; a question of its own written right after the author's details goes to
its body (R-7.1, R-7.2, R-7.3). Found by a review (session 18). Tuesday 05.11.2024, the Governor's post at
10:00."""

from __future__ import annotations

import pytest

from otklik.cases.models import Case
from otklik.governor import actions, service
from otklik.governor.models import Comment
from otklik.intake.models import DeletedHow
from otklik.intake.pipeline import mark_deleted
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import HEALTH_QUESTION, ROADS_QUESTION, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def test_a_question_the_author_deleted_and_wrote_again_still_reaches_a_body(p: Personas) -> None:
    """Житель 301 asks at 10:20 (the health committee gets it). At 10:30 he deletes his comment himself and at 10:31
    writes the very same words again (people re-post a question to bring it up, or to fix where it stands). The
    next run of the checks (10:35) takes the new comment for «повтор» of the first (still open at that moment) and
    then ends the first «ответ не нужен: комментарий удалён автором». The live comment is left with no case, no
    term and no body — and nothing to answer under the deleted one."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    first = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 21))
    assert Comment.objects.get(message=first).case is not None
    mark_deleted(
        "vk",
        [first.external_id],
        DeletedHow.EVENT,
        by={first.external_id: "301"},
        at=msk(2024, 11, 5, 10, 30),
    )
    again = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 31), author="301")

    service.run_checks(now=msk(2024, 11, 5, 10, 35), fetch=False)

    live = Comment.objects.get(message=again)
    assert live.case is not None, (
        f"the re-posted question is «{live.get_kind_display()}» ({live.reason}) with no case: nobody answers the "
        "resident"
    )
    assert live.case.status in Case.OPEN_STATUSES
    assert Comment.objects.get(message=first).case.status == Case.Status.CLOSED


def test_a_repeat_kept_while_its_original_was_there_is_the_question_once_the_author_deletes_the_original(
    p: Personas,
) -> None:
    """Житель 301 sends the same words twice (10:20 and 10:21: the second kept as «повтор»), then deletes the first
    at 10:30. The checks' run at 10:35 ends the first «ответ не нужен» and the copy still in the network becomes
    the question, with 2 working hours from then (nobody was to answer it before)."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    first = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    copy = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 21), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    assert Comment.objects.get(message=copy).kind == Comment.Kind.REPEAT
    mark_deleted(
        "vk",
        [first.external_id],
        DeletedHow.EVENT,
        by={first.external_id: "301"},
        at=msk(2024, 11, 5, 10, 30),
    )

    assert service.run_checks(now=msk(2024, 11, 5, 10, 35), fetch=False).withdrawn == 1

    live = Comment.objects.get(message=copy)
    assert live.kind == Comment.Kind.QUESTION and live.case is not None, (
        f"{live.get_kind_display()}: {live.reason}"
    )
    assert [a.body for a in actions.parts_of(live.case)] == [p.health]
    assert live.case.deadlines.get().due_at == msk(2024, 11, 5, 12, 35)


def test_a_copy_of_a_question_a_moderator_deleted_is_the_question_to_answer(p: Personas) -> None:
    """A community moderator deletes Житель 301's comment of 10:20 at 10:30 (say, for a phone number in it); at 10:31
    he writes the same words again. The only comment left in the network to answer under is the new one, yet it is
    kept as «повтор» with no case: the health committee's case still points at the deleted comment, so its answer
    cannot be published under anything the resident sees."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    first = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 21))
    mark_deleted(
        "vk",
        [first.external_id],
        DeletedHow.EVENT,
        by={first.external_id: "999"},
        at=msk(2024, 11, 5, 10, 30),
    )
    again = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 31), author="301")

    service.process_comments(now=msk(2024, 11, 5, 10, 35))

    live = Comment.objects.get(message=again)
    assert live.kind == Comment.Kind.QUESTION and live.case is not None, (
        f"the live comment is kept as «{live.get_kind_display()}» ({live.reason}); its original was deleted"
    )


def test_a_new_question_for_another_body_right_after_the_details_reaches_that_body(p: Personas) -> None:
    """Health asks Житель 301 for details (interim answer 10:41). He answers «Поликлиника № 2, Соборная, 5.» at
    11:10 and at 11:13 asks something else entirely: «Когда отремонтируют дорогу в Гатчине? Ямы по колено.» That is
    the road committee's question (R-7.1, R-7.2), but the 15-minute «details burst» takes it for a part of the
    health details: the road committee never gets it, it has no term, and health is only told «автор дополнил
    уточнение»."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=question).case
    assert case is not None
    actions.submit_answer(
        case,
        p.alice,
        "Здравствуйте! Уточните, пожалуйста, какая поликлиника?",
        interim=True,
        now=msk(2024, 11, 5, 10, 40),
    )
    actions.confirm_publication(case, method="api", external_id="-1_1_r1", now=msk(2024, 11, 5, 10, 41))
    comment(post, "Поликлиника № 2, Соборная, 5.", msk(2024, 11, 5, 11, 10), author="301", reply_to=question)
    service.process_comments(now=msk(2024, 11, 5, 11, 11))
    roads = comment(post, ROADS_QUESTION, msk(2024, 11, 5, 11, 13), author="301")

    service.process_comments(now=msk(2024, 11, 5, 11, 15))

    asked = Comment.objects.get(message=roads)
    bodies = [a.body for a in actions.parts_of(asked.case)] if asked.case is not None else []
    assert p.roads in bodies, (
        f"the roads question is «{asked.get_kind_display()}» ({asked.reason}) of health's case № {case.pk}; "
        f"bodies answering it: {bodies}"
    )


def test_the_same_words_with_another_photo_are_not_a_repeat(p: Personas) -> None:
    """Residents ask with a photo and few words. Житель 301 writes «Когда отремонтируют эту яму?» at 10:20 with a photo
    of a pothole on Соборная, and at 11:05 the same words with a photo of another pothole (Чкалова). The second is
    another place — a question of its own — but `_copy_of` compares the words only and keeps it as «повтор» of the
    first, with no case: the second pothole is never answered."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    words = "Когда отремонтируют эту яму?"
    first = comment(post, words, msk(2024, 11, 5, 10, 20), author="301")
    first.attachments = [{"type": "photo", "url": "https://sun9-1.userapi.com/sobornaya.jpg"}]
    first.save(update_fields=["attachments"])
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    second = comment(post, words, msk(2024, 11, 5, 11, 5), author="301")
    second.attachments = [{"type": "photo", "url": "https://sun9-1.userapi.com/chkalova.jpg"}]
    second.save(update_fields=["attachments"])

    service.process_comments(now=msk(2024, 11, 5, 11, 10))

    other = Comment.objects.get(message=second)
    assert other.kind == Comment.Kind.QUESTION, f"«{other.get_kind_display()}»: {other.reason}"
