# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""R-7.2, R-4: a question under the Governor's post its author deleted in the network needs no answer — there is
nobody to answer under it (clause 8 says so of a deleted message: «ответ под ним не опубликован и не нужен»). When
VK names the author as the deleter, the next run of the checks (`otklik governor_checks`, every few minutes) ends
the question «ответ не нужен: комментарий удалён автором в сети» and its term closes without a violation; a
comment deleted by a community moderator is ended so by the body's head or a curator, with why. A term that ran
out before the decision stays a violation (R-12). Tuesday 05.11.2024, the post at 10:00, the first two working
hours until 12:00. Found by a review (session 18)."""

from __future__ import annotations

import pytest

from otklik.cases import sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case, Notification
from otklik.governor import actions, service
from otklik.governor.models import Comment
from otklik.intake.models import DeletedHow, Message, Post
from otklik.intake.pipeline import mark_deleted
from tests.cases.helpers import violations
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import HEALTH_QUESTION, client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def asked(p: Personas) -> tuple[Post, Message, Case]:
    """Житель 301's health question of 10:20 under the post of 10:00, in the health committee's work."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=question).case
    assert case is not None
    return post, question, case


def test_r7_2_a_question_deleted_by_its_author_is_not_a_violation_of_the_body(p: Personas) -> None:
    """Житель 301 asks at 10:20 and deletes his comment himself at 10:40 (VK's `wall_reply_delete` names him as
    the deleter). The checks' run at 10:45 ends the question: «ответ не нужен», Алексеева is told, and at 12:30
    neither the health committee nor she has a violation of clause 7.2."""
    post, question, case = asked(p)
    mark_deleted(
        "vk",
        [question.external_id],
        DeletedHow.EVENT,
        by={question.external_id: "301"},
        at=msk(2024, 11, 5, 10, 40),
    )
    assert service.run_checks(now=msk(2024, 11, 5, 10, 45), fetch=False).withdrawn == 1

    sla.sweep(now=msk(2024, 11, 5, 12, 30))

    case.refresh_from_db()
    page = client_for("alice").get(f"/governor/posts/{post.watch.pk}/").content.decode()
    assert "Удалено автором в сети" in page
    assert "Ответ не нужен</strong>: комментарий удалён автором в сети" in page
    assert case.status == Case.Status.CLOSED and violations(case) == [], (
        f"{case.get_status_display()}, violations {violations(case)}"
    )
    assert Notification.objects.filter(recipient=p.alice, case=case, kind=Notification.Kind.CLOSED).exists()


def test_r7_2_a_question_a_moderator_deleted_is_ended_by_the_bodys_head(p: Personas) -> None:
    """A community moderator deletes the comment at 10:40: it is not closed by itself (the body may still answer
    under the post). Яковлева, the health committee's head, ends it at 11:00 «удалён модератором сообщества»: no
    violation at 12:30."""
    _post, question, case = asked(p)
    mark_deleted(
        "vk",
        [question.external_id],
        DeletedHow.EVENT,
        by={question.external_id: "999"},
        at=msk(2024, 11, 5, 10, 40),
    )
    assert service.run_checks(now=msk(2024, 11, 5, 10, 45), fetch=False).withdrawn == 0
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING

    actions.end_question(case, p.health_head, "удалён модератором сообщества", now=msk(2024, 11, 5, 11, 0))
    sla.sweep(now=msk(2024, 11, 5, 12, 30))

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and violations(case) == []


def test_r7_2_a_curator_ending_a_question_after_its_term_leaves_the_violation(p: Personas) -> None:
    """Nobody answered by 12:00; a curator ends the question at 12:10 «ответ есть в самом посте». The question is
    closed, but the term that ran out before the decision is the committee's violation: «ответ не нужен» does not
    erase lateness."""
    _post, _question, case = asked(p)
    actions.end_question(case, p.curator, "ответ есть в самом посте", now=msk(2024, 11, 5, 12, 10))
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert violations(case) == [("R-7.2", "alice", "Здравоохранение")]
    with pytest.raises(ActionRefused, match="пока на вопрос не ответили"):
        actions.end_question(case, p.curator, "ещё раз", now=msk(2024, 11, 5, 12, 11))
