# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""The Governor's post page reads the viewer's own responsible roles and the questions' «ответ не нужен» decisions
once per load, not once per question: a popular post has some 200 comments, and the bodies keep its page open
(R-7.1, R-7.4). Found by a review (session 18)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from otklik.cases.models import Case
from otklik.governor import service
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import HEALTH_QUESTION, client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def _queries(n: int) -> list[str]:
    """The SQL of one load of the post page by the roads committee's head, with `n` health questions on it."""
    Case.objects.all().delete()
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    for i in range(n):
        comment(post, f"{HEALTH_QUESTION} Дом {i}.", msk(2024, 11, 5, 10, 20 + i), author=str(300 + i))
    service.process_comments(now=msk(2024, 11, 5, 10, 45))
    client = client_for("roads_head")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/governor/posts/{post.watch.pk}/").status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_the_post_page_does_not_read_the_viewers_roles_and_the_not_needed_events_once_per_question(
    p: Personas,
) -> None:
    few, many = _queries(2), _queries(7)

    def roles(sql: list[str]) -> int:
        return sum('FROM "org_role"' in s and "responsible" in s for s in sql)

    def events(sql: list[str]) -> int:
        return sum('FROM "cases_caseevent"' in s and "gov_not_needed" in s for s in sql)

    assert (roles(many), events(many)) == (roles(few), events(few)), (
        f"2 questions: {roles(few)} reads of the viewer's responsible roles, {events(few)} of «ответ не нужен» "
        f"events; 7 questions: {roles(many)} and {events(many)}"
    )
