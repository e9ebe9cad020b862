"""R-7.2, R-8.7: confirming by hand the answer under a comment of the Governor's post refuses the comment's own link
(the link of the question, copied by mistake instead of the reply's): the executor reads «Это ссылка на сообщение
автора, а не на ваш ответ …» and the question stays open; the reply's own link under the post closes it. The rule is
the cases' `check_publication_link`, which the Governor's confirmation calls. Found by a review (session 20)."""

from __future__ import annotations

import pytest

from otklik.cases.models import Case
from otklik.governor import actions
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.governor.helpers import answer_link, client_for

pytestmark = pytest.mark.django_db


def test_the_questions_own_link_is_not_taken_for_the_answer(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    p, _, case, _ = post_with_question
    actions.submit_answer(case, p.alice, "Терапевт начнёт приём 11 ноября.", now=msk(2024, 11, 2, 11, 20))
    question = case.case_messages.get().message
    alice = client_for("alice")
    page = alice.post(f"/governor/questions/{case.pk}/confirm/", {"url": question.url}, follow=True)
    assert "Это ссылка на сообщение автора, а не на ваш ответ" in page.content.decode()
    case.refresh_from_db()
    assert case.status != Case.Status.CLOSED and not case.publications.exists()
    alice.post(f"/governor/questions/{case.pk}/confirm/", {"url": answer_link(case, 9001)})
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
