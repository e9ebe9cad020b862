# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""A body that takes a comment kept as «повтор вопроса того же автора» (or one not taken for a question) after the
term it would have had ran out gets its own 2 working hours from taking it, as a body joining a question late or
taking one written after the two days does: it is not late the moment it takes it (R-7.2, R-12). Found by a review
(session 18). Tuesday 05.11.2024, the post at 10:00, its first two working hours until 12:00."""

from __future__ import annotations

import pytest
from django.utils import timezone

from otklik.cases import sla
from otklik.governor import service
from otklik.governor.models import Comment
from tests.cases.helpers import violations
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import HEALTH_QUESTION, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def test_a_body_taking_a_repeat_is_not_late_the_moment_it_takes_it(p: Personas) -> None:
    """Житель 301 asks at 10:20 and sends the same words again at 10:21 (kept as «повтор»). At 12:30 Алексеева
    takes the copy to answer under it too. Her term is found already due at 12:01 (2 working hours from when Otklik
    first read the post), and the sweep at 12:31 records her violation."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    copy = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 21), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    repeat = Comment.objects.get(message=copy)
    assert repeat.kind == Comment.Kind.REPEAT

    case = service.take_comment(repeat, p.alice, p.health, now=msk(2024, 11, 5, 12, 30))
    sla.sweep(now=msk(2024, 11, 5, 12, 31))

    due = case.deadlines.get().due_at
    assert violations(case) == [], (
        f"taken at 12:30, due {timezone.localtime(due):%H:%M}: violations {violations(case)}"
    )
    assert timezone.localtime(due) == msk(
        2024, 11, 5, 15, 15
    )  # 2 working hours from 12:30, the lunch break aside


def test_a_body_taking_a_repeat_in_time_keeps_the_questions_term(p: Personas) -> None:
    """Taken at 11:00, while the term it would have had (12:01) still runs: due then, as the question's would be."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    copy = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 21), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = service.take_comment(
        Comment.objects.get(message=copy), p.alice, p.health, now=msk(2024, 11, 5, 11, 0)
    )
    assert timezone.localtime(case.deadlines.get().due_at) == msk(2024, 11, 5, 12, 1)
