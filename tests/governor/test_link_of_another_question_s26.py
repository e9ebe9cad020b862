"""Found by a review (session 26), fixed since. R-7.2, R-8.7: an executor confirming by hand the answer to one question under the Governor's post may give a link
that is not this answer: the link of another resident's question under the same post, or the link already confirmed
as the answer to another question. Both are accepted: the second question shows «ответ дан» and is closed, its term
met, while no answer was ever published under it."""

from __future__ import annotations

import pytest

from otklik.cases.models import Case
from otklik.governor import actions, service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.governor.helpers import HEALTH_QUESTION, answer_link, client_for, comment

pytestmark = pytest.mark.django_db


def _second_question(case: Case) -> Case:
    first = case.case_messages.get().message
    other = comment(first.post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 50), author="303")
    service.process_comments(now=msk(2024, 11, 1, 17, 55))
    second = Comment.objects.get(message=other).case
    assert second is not None and second.pk != case.pk
    return second


def test_link_already_confirmed_for_another_question_is_refused(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    """The executor answers resident A's question and confirms the link of that reply; then confirms the very same
    link for resident B's question. B's question must not be shown «ответ дан»: nothing was published under it."""
    p, _, case, _ = post_with_question
    second = _second_question(case)
    actions.submit_answer(case, p.alice, "Терапевт начнёт приём 11 ноября.", now=msk(2024, 11, 5, 9, 20))
    actions.submit_answer(second, p.alice, "Анализы сдают в Гатчинской КМБ.", now=msk(2024, 11, 5, 9, 25))
    alice = client_for("alice")
    link = answer_link(case, 9101)
    alice.post(f"/governor/questions/{case.pk}/confirm/", {"url": link})
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    page = alice.post(f"/governor/questions/{second.pk}/confirm/", {"url": link}, follow=True)
    second.refresh_from_db()
    assert second.status != Case.Status.CLOSED, "the link confirmed for another question closed this one"
    assert "уже подтверждена" in page.content.decode()


def test_link_of_another_residents_question_is_refused(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    """The executor copies the link of resident A's comment (the question above in the thread) as the answer to
    resident B's question: that link is a resident's comment Otklik stores under the post, not an answer."""
    p, _, case, _ = post_with_question
    second = _second_question(case)
    actions.submit_answer(second, p.alice, "Анализы сдают в Гатчинской КМБ.", now=msk(2024, 11, 5, 9, 25))
    other_residents = case.case_messages.get().message.url
    client_for("alice").post(f"/governor/questions/{second.pk}/confirm/", {"url": other_residents})
    second.refresh_from_db()
    assert second.status != Case.Status.CLOSED, "another resident's comment link taken for the answer"
