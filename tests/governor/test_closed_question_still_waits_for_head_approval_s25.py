"""Found by a review (session 25), fixed since. R-7.1 (the head's desktop figure): a question under the Governor's post whose answer waits for the head's
approval is ended «ответ не нужен» (here by the curator: the comment turned out to be a copy of another question;
the same happens when the author deletes the comment and the system ends it). The question is closed and there is
nothing left to approve — yet the head's home page keeps showing «Ответы под постами Губернатора на вашем
согласовании: 1», linking to a post where no answer waits. The figure never goes back to 0.

Cause: src/otklik/web/views.py `_waiting` counts every `Draft` in state SUBMITTED of a Governor's-post case of the
head's bodies, whatever the part's or the case's state; `governor.actions.end_question` leaves the pending draft
SUBMITTED when it closes the part."""

from __future__ import annotations

import re

import pytest

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


def _figure(html: str) -> list[str]:
    found = re.search(r'<a [^>]*data-testid="governor-approval"[^>]*>.*?</a>', html, re.S)
    assert found is not None, html
    return re.sub(r"<[^>]+>", " ", found[0]).split()


def test_a_question_ended_while_its_answer_waits_is_no_longer_on_the_heads_approval_figure(
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
    assert "1" in _figure(head.get("/").content.decode())  # waiting for the head, as it should

    actions.end_question(case, p.curator, "копия другого вопроса", now=msk(2024, 11, 5, 10, 50))
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED

    words = _figure(head.get("/").content.decode())
    assert "0" in words, (
        f"the question is closed «ответ не нужен», nothing waits for approval, but the head's figure says: "
        f"{' '.join(words)}"
    )
