"""Found by a review (session 25), fixed since. R-7.1 (the head's desktop figure): a body's head switches approval of its executors' answers off (the post
page's «Согласование ответов» setting) while one executor's answer under the Governor's post still waits for his
approval. The answer is not released — it stays «на согласовании в органе» with its 2-working-hour term on the
head — but the head's home page loses the figure «Ответы под постами Губернатора на вашем согласовании» at once:
nothing tells him that an answer still waits for him while the R-7.2 term runs. Expected: either the waiting answer
goes on to publication once approval is no longer required, or the head's figure keeps counting it.

Cause: src/otklik/web/views.py `_waiting` shows the figure only
`if ... GovernorSettings.objects.filter(body_id__in=heads_of, require_approval=True).exists()`, while
src/otklik/governor/actions.py `set_require_approval` leaves the SUBMITTED drafts of the body as they are."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from otklik.cases.models import Case
from otklik.governor import actions, service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.governor.helpers import (
    HEALTH_QUESTION,
    HEALTH_TOPIC,
    client_for,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db

POST_AT = msk(2024, 11, 5, 10, 0)  # Tuesday


def _figure(html: str) -> list[str] | None:
    found = re.search(r'<a [^>]*data-testid="governor-approval"[^>]*>.*?</a>', html, re.S)
    return None if found is None else re.sub(r"<[^>]+>", " ", found[0]).split()


def test_an_answer_left_waiting_when_approval_is_switched_off_is_still_shown_to_the_head(
    personas: Personas,
) -> None:
    p = personas
    competence(p.health, *HEALTH_TOPIC)
    actions.set_require_approval(p.health, p.health_head, True)
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    msg = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="201")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=msg).case
    assert case is not None and case.assignments.get().body == p.health
    actions.submit_answer(
        case, p.alice, "Здравствуйте! Терапевт начнёт приём 11 ноября.", now=msk(2024, 11, 5, 10, 40)
    )
    head = client_for("health_head")
    assert "1" in (_figure(head.get("/").content.decode()) or [])

    # the head switches approval off on the post's page
    response = head.post(
        reverse("governor:approval", args=[post.watch.pk]),
        {"body": str(p.health.pk), "require_approval": "0"},
    )
    assert response.status_code == 302

    case.refresh_from_db()
    still_waiting = case.status == Case.Status.REVIEW
    words = _figure(head.get("/").content.decode())
    shown = words is not None and "1" in words
    assert not still_waiting or shown, (
        f"the answer still waits for the head's approval (case status «{case.get_status_display()}»), but his home "
        f"page shows no figure of it: {words}"
    )
