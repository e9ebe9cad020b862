# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""R-10 with R-7.1: a comment under the Governor's post that the moderation excluded is kept and marked, and the
curator can return it. The post page shows her the excluded text with «Вернуть (исключено ошибочно)»; returned with a
reason, the comment is triaged again by the next run of the checks, as an edited comment is, and becomes a question
for a body (or one «Без органа» for the office to route), its term counted from then. Found by a review (session 18):
the post page showed only «скрыто модерацией (п. 10)», the curator's «Исключённые» list leaves the Governor's posts
out, and the return form answered 404 for such a comment."""

from __future__ import annotations

import pytest
from django.urls import reverse

from otklik.analysis.pipeline import is_blocked
from otklik.governor import service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db

ABUSIVE = "Глава района — мразь, когда в поликлинике Гатчины появится терапевт?"


def _triaged(text: str) -> Comment:
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0), "Провели совещание по школам области.")
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    question = comment(post, text, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    return Comment.objects.get(message=question)


def test_r10_the_curator_sees_an_excluded_governor_comment_with_a_way_back(p: Personas) -> None:
    found = _triaged(ABUSIVE)
    assert found.kind == Comment.Kind.BLOCKED
    page = client_for("curator").get(reverse("governor:post", args=[found.watch_id])).content.decode()
    assert reverse("cases:moderation", args=[found.message_id]) in page
    assert "мразь" in page  # the curator reads what was excluded
    executor_page = client_for("alice").get(reverse("governor:post", args=[found.watch_id])).content.decode()
    assert (
        "мразь" not in executor_page
        and reverse("cases:moderation", args=[found.message_id]) not in executor_page
    )


def test_r10_a_returned_governor_comment_is_triaged_again_as_a_question(p: Personas) -> None:
    found = _triaged(ABUSIVE)
    response = client_for("curator").post(
        reverse("cases:moderation", args=[found.message_id]),
        {"decision": "unblock", "reason": "Вопрос о терапевте по существу, ответить"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("governor:post", args=[found.watch_id])
    assert not is_blocked(found.message)
    service.process_comments(now=msk(2024, 11, 5, 10, 40))
    found.refresh_from_db()
    assert found.kind == Comment.Kind.QUESTION, found.get_kind_display()
    assert found.case is not None or service.unrouted_questions().filter(pk=found.pk).exists()


def test_the_return_form_needs_a_reason(p: Personas) -> None:
    found = _triaged(ABUSIVE)
    client_for("curator").post(reverse("cases:moderation", args=[found.message_id]), {"decision": "unblock"})
    assert is_blocked(found.message)
