"""R-7.1, R-7.2 (review of bf3ff9c..HEAD): a question under the Governor's post whose competent body has nobody in
it (`governor.actions.open_question`), and a curator sending a question no body has to a body
(`governor.service.route_comment`) while a body takes it («Взять в работу», `take_comment`)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from otklik.cases.actions import ActionRefused
from otklik.cases.models import CaseEvent, CaseMessage, Notification
from otklik.governor import actions as gov_actions
from otklik.governor import service
from otklik.governor.models import Comment
from otklik.org.models import Body
from tests.conftest import Personas, msk
from tests.governor.helpers import HEALTH_QUESTION, comment, governor_post, governor_source

POST_AT = msk(2024, 11, 1, 17, 30)
QUESTION = "Когда в Сиверском откроют новую библиотеку?"  # no body of the personas is competent for it


@pytest.mark.django_db
def test_r7_2_a_competent_body_with_nobody_in_it_is_not_dropped_unseen(personas: Personas) -> None:
    """R-7.2: the question is in two bodies' competence; the first one has nobody in it yet. The question goes to
    the second body alone, and the first body's part of it is dropped where nobody looks: not «Без органа»
    (the comment has a case), not on the case's timeline, no notice to the curators — only a log line. For one
    body without staff the same change keeps the question «Без органа» for a curator to send."""
    p = personas
    empty = Body.objects.create(name="Комитет по культуре и туризму", short_name="Культура")
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    msg = comment(post, HEALTH_QUESTION + " И когда откроют библиотеку?", msk(2024, 11, 1, 17, 40))
    case = gov_actions.open_question(
        msg, empty, started_at=msk(2024, 11, 1, 17, 40), now=msk(2024, 11, 1, 17, 45), also=[p.health]
    )
    assert [a.body for a in case.assignments.all()] == [p.health]
    said = [e.reason for e in CaseEvent.objects.filter(case=case)] + [
        n.text for n in Notification.objects.filter(recipient=p.curator)
    ]
    assert any("Культура" in s or str(empty) in s for s in said), said


@pytest.mark.django_db(transaction=True)
def test_r7_2_a_curator_routing_while_a_body_takes_the_question_gets_a_clear_refusal(
    personas: Personas,
) -> None:
    """R-7.2 under real concurrency (PostgreSQL): the curator presses «Направить органу» while the body's executor
    presses «Взять в работу» on the same question. `route_comment` locks the comment, `take_comment` does not:
    both pass `open_question`'s «уже в работе» check, and the second insert of the comment's `CaseMessage`
    fails with an IntegrityError (in some runs PostgreSQL detects a deadlock instead) — a server error page instead of «Этот комментарий уже в работе»."""
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need a server database")
    p = personas
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    rounds = 5
    msgs = [comment(post, QUESTION, msk(2024, 11, 5, 10, n), author=str(200 + n)) for n in range(rounds)]
    service.process_comments(now=msk(2024, 11, 5, 10, 30))
    errors: list[str] = []
    for msg in msgs:
        row = Comment.objects.get(message=msg)
        assert row.case is None and row.kind == Comment.Kind.QUESTION
        barrier = threading.Barrier(2)

        def act(kind: str, row: Comment = row, barrier: threading.Barrier = barrier) -> None:
            from django.db import connections

            try:
                barrier.wait()
                if kind == "route":
                    service.route_comment(row, p.curator, p.health, now=msk(2024, 11, 5, 11, 0))
                else:
                    service.take_comment(row, p.alice, p.health, now=msk(2024, 11, 5, 11, 0))
            except ActionRefused:
                pass
            except Exception as exc:  # what the person would see as a server error
                errors.append(f"{kind}: {type(exc).__name__}: {exc}")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=act, args=(k,)) for k in ("route", "take")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert CaseMessage.objects.filter(message=msg).count() == 1
    assert errors == []
