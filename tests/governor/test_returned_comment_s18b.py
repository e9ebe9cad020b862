# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""A Governor's-post comment the moderation excluded in error and a curator returns after the post's two days of
checks is a question of those two days when it was written within them: it goes to the competent body (or is
counted «Без органа» when none is found) with its term counted from the return (nobody could answer it before),
not «после двух суток наблюдения, без срока» (R-7.1, R-7.2, R-7.4, R-10). Found by a review (session 18).
Tuesday 05.11.2024, the post at 10:00."""

from __future__ import annotations

import pytest
from django.urls import reverse

from otklik.governor import service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db

ABUSIVE = "Глава района — мразь, когда в поликлинике Гатчины появится терапевт?"


def test_a_question_returned_by_the_curator_after_the_two_days_goes_to_a_body(p: Personas) -> None:
    """Written at 10:20 on Tuesday, excluded by the moderation; the curator reads the post page on Friday 08.11 at
    10:00 (the two days of checks ended on Thursday) and returns it «вопрос о терапевте по существу, ответить».
    The next run (10:05) keeps it as «вопрос после двух суток наблюдения … без срока»: the health committee never
    learns of it and it is not counted «Без органа»."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0), "Провели совещание по школам области.")
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    question = comment(post, ABUSIVE, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    found = Comment.objects.get(message=question)
    assert found.kind == Comment.Kind.BLOCKED
    assert post.watch.span_end() < msk(2024, 11, 8, 10, 0)

    client_for("curator").post(
        reverse("cases:moderation", args=[found.message_id]),
        {"decision": "unblock", "reason": "Вопрос о терапевте по существу, ответить"},
    )
    service.process_comments(now=msk(2024, 11, 8, 10, 5))

    found.refresh_from_db()
    assert found.kind == Comment.Kind.QUESTION, (
        f"the returned question is «{found.get_kind_display()}»: {found.reason}"
    )
    # the words the moderation excluded leave the place and topic to people: no body found, so it is counted
    # «Без органа» where the bodies and the curators look, and a body takes it from there
    assert found.case is not None or service.unrouted_questions().filter(pk=found.pk).exists()
