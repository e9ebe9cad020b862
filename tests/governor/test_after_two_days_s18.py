# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""R-7.4 («в течение двух суток»): a question written under the Governor's post after its two days of checks is no
clause 7 work. It is shown on the post page, marked «вопрос после двух суток наблюдения (п. 7.4), без срока», with
no term and no violation, and is not counted «Без органа»; a body may take it in work, its 2 working hours then
counting from taking it (docs/decisions/0002-governor-posts.md). The post comes out on Tuesday 05.11.2024 at 10:00;
its first two working hours end at 12:00 and its eight checks run until Thursday 07.11 (the last at 11:30). Found by
a review (session 18)."""

from __future__ import annotations

import pytest

from otklik.cases import sla
from otklik.cases.models import Deadline, Violation
from otklik.governor import service
from otklik.governor.models import Comment
from tests.cases.helpers import violations
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import HEALTH_QUESTION, client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def test_r7_4_a_question_written_two_weeks_after_the_post_is_no_clause_7_violation(p: Personas) -> None:
    """On Tuesday 19.11.2024 at 10:00, two weeks after the post and twelve days after its last check, a resident
    asks a health question under it. It is shown on the post page as a question after the two days, with no term:
    at 15:00 the health committee and its executor have no violation of clause 7.2, and the office's «Без органа»
    does not count it."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    assert post.watch.checks.order_by("-number").first().due_at == msk(2024, 11, 7, 11, 30)
    late = comment(post, HEALTH_QUESTION, msk(2024, 11, 19, 10, 0), author="301")
    service.process_comments(now=msk(2024, 11, 19, 10, 5))
    triaged = Comment.objects.get(message=late)
    assert (triaged.kind, triaged.case) == (Comment.Kind.AFTER_WATCH, None), triaged.reason

    sla.sweep(now=msk(2024, 11, 19, 15, 0))

    assert not Violation.objects.exists()
    assert not service.unrouted_questions().exists()
    page = client_for("alice").get(f"/governor/posts/{post.watch.pk}/").content.decode()
    assert "вопрос после двух суток наблюдения (п. 7.4), без срока" in page
    assert "орган может взять его в работу" in page


def test_r7_4_a_body_that_takes_a_question_after_the_two_days_has_two_working_hours_from_taking_it(
    p: Personas,
) -> None:
    """Алексеева sees the question of 19.11 10:00 and takes it for health at 14:00: the question is in health's
    work with its answer due at 16:00 (2 working hours from taking it), not overdue since 12:00."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    late = comment(post, HEALTH_QUESTION, msk(2024, 11, 19, 10, 0), author="301")
    service.process_comments(now=msk(2024, 11, 19, 10, 5))

    case = service.take_comment(
        Comment.objects.get(message=late), p.alice, p.health, now=msk(2024, 11, 19, 14, 0)
    )

    deadline = Deadline.objects.get(case=case)
    assert (deadline.started_at, deadline.due_at) == (msk(2024, 11, 19, 14, 0), msk(2024, 11, 19, 16, 0))
    sla.sweep(now=msk(2024, 11, 19, 15, 0))
    assert violations(case) == []
    page = client_for("alice").get(f"/governor/posts/{post.watch.pk}/").content.decode()
    assert (
        f'id="comment-{Comment.objects.get(message=late).pk}"' in page
    )  # among the questions, with its form


def test_r7_2_a_question_before_the_last_check_still_has_its_term(p: Personas) -> None:
    """A question written on Thursday 07.11 at 11:00, before the last check (11:30), is within the two days: it
    goes to health with its 2 working hours."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    inside = comment(post, HEALTH_QUESTION, msk(2024, 11, 7, 11, 0), author="301")
    service.process_comments(now=msk(2024, 11, 7, 11, 5))
    triaged = Comment.objects.get(message=inside)
    assert triaged.kind == Comment.Kind.QUESTION and triaged.case is not None
