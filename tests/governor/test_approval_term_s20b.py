"""R-6, R-7.1, R-7.2, R-12: the Governor's answer waiting for the body head's approval. While it waits, its running
term is the head's: the sweep's reminders and, when the term runs out, the violation reach whoever does his work at
that moment — his substitute while he is away, himself once he is back — never the substitute after the absence
ended, nor the executor who sent the answer and could do nothing more. A term whose due moment has passed is
never moved: the violation is of whoever held it then, whether the answer went to the head or the head's approval
came back to the executor after it.

1. Романов away 09:00–11:00 with Зайцев named; Давыдов sends the answer at 10:20. From 11:00 the reminders and
   the 12:00 violation are Романов's, not Зайцев's (refused the approval since).
2. Давыдов sends the answer at 12:00:30, after the 2 working hours ended at 12:00 but before the clock's next
   sweep: the violation is Давыдов's, not the head's who got the answer late.
3. Романов away 09:00–11:00 with nobody named: the answer sent at 10:20 waits for him, and the 12:00 violation is
   his, not Давыдов's.
4. Романов approves at 12:00:30, before the sweep: the violation is his, not Давыдов's.

Found by a review (session 20b)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from otklik.cases import sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case, Deadline, Notification, Violation
from otklik.governor import actions, service
from otklik.governor.models import Comment
from otklik.org.models import Absence, Role
from otklik.org.services import save_absence
from tests.conftest import Personas, make_person, msk
from tests.governor.helpers import (
    ROADS_QUESTION,
    ROADS_TOPIC,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db

POST_AT = msk(2024, 11, 5, 10, 0)  # Tuesday; the question's 2 working hours end at 12:00


@pytest.fixture
def p(personas: Personas) -> Personas:
    competence(personas.roads, *ROADS_TOPIC)
    actions.set_require_approval(personas.roads, personas.roads_head, True)
    return personas


def _question() -> Case:
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    question = comment(post, ROADS_QUESTION, msk(2024, 11, 5, 10, 0), author="103")
    service.process_comments(now=msk(2024, 11, 5, 10, 0))
    case = Comment.objects.get(message=question).case
    assert case is not None
    return case


def _charged(case: Case) -> list[str]:
    return [v.person.username if v.person else "" for v in Violation.objects.filter(case=case)]


def test_the_head_back_from_leave_answers_for_the_approval_not_his_former_substitute(p: Personas) -> None:
    deputy = make_person("zaitsev", p.roads, Role.Kind.EXECUTOR, last_name="Зайцев")
    save_absence(
        Absence(
            person=p.roads_head,
            reason=Absence.Reason.BUSINESS_TRIP,
            starts_at=msk(2024, 11, 5, 9, 0),
            ends_at=msk(2024, 11, 5, 11, 0),
            substitute=deputy,
        )
    )
    case = _question()
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 5, 10, 20))
    # Романов is back at 11:00: the approval is his again, Зайцев can no longer give it
    with pytest.raises(ActionRefused):
        actions.approve_answer(case, deputy, now=msk(2024, 11, 5, 11, 30))
    assert actions.may_approve(p.roads_head, p.roads, msk(2024, 11, 5, 11, 30))
    assert sla.sweep(now=msk(2024, 11, 5, 11, 40)).reminders == 1
    reminded = list(
        Notification.objects.filter(case=case, kind=Notification.Kind.REMINDER).values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == ["roads_head"], (
        f"the reminder at 11:40 went to {reminded}, not Романов, back since 11:00"
    )
    sla.sweep(now=msk(2024, 11, 5, 12, 5))
    charged = _charged(case)
    assert charged == ["roads_head"], (
        f"the violation is charged to {charged}: Зайцев, who stopped substituting at 11:00 and was refused the "
        "approval since, not Романов, back at work and the only one who could approve at 12:00"
    )


def test_an_answer_sent_after_the_term_ran_out_leaves_the_violation_with_its_executor(p: Personas) -> None:
    case = _question()
    due = msk(2024, 11, 5, 12, 0)
    # Давыдов sends the answer half a minute after the 2 working hours ran out, before the clock's next sweep
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=due + timedelta(seconds=30))
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW
    sla.sweep(now=due + timedelta(seconds=60))
    charged = _charged(case)
    assert charged == ["dave"], (
        f"the violation is charged to {charged}: the head received the answer after the term had run out in "
        "Давыдов's hands (the term was moved to him before the sweep recorded it)"
    )


def test_the_head_back_from_leave_without_a_substitute_answers_for_the_approval_not_the_executor(
    p: Personas,
) -> None:
    """The same, with nobody named: Романов away 09:00–11:00, roads has no other head. Давыдов sends the answer
    at 10:20 while nobody who approves is at work; the term is Романов's all the same, and once he is back at 11:00
    and leaves the answer unapproved, the violation is his, not Давыдов's."""
    save_absence(
        Absence(
            person=p.roads_head,
            reason=Absence.Reason.BUSINESS_TRIP,
            starts_at=msk(2024, 11, 5, 9, 0),
            ends_at=msk(2024, 11, 5, 11, 0),
        )
    )
    case = _question()
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 5, 10, 20))
    assert actions.may_approve(p.roads_head, p.roads, msk(2024, 11, 5, 11, 30))
    sla.sweep(now=msk(2024, 11, 5, 12, 5))
    charged = _charged(case)
    assert charged == ["roads_head"], (
        f"the violation is charged to {charged}: Давыдов, whose answer waited since 10:20 for Романов, back at "
        "work from 11:00"
    )


def test_an_approval_after_the_term_ran_out_leaves_the_violation_with_the_head(p: Personas) -> None:
    """Романов approves Давыдов's answer (sent at 10:20) half a minute after the 2 working hours ran out, before
    the clock's next sweep: the term stays his — the violation is Романов's, in whose hands it ran out, and the
    answer goes to publishing."""
    case = _question()
    due = msk(2024, 11, 5, 12, 0)
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 5, 10, 20))
    term = Deadline.objects.get(case=case, stage=Deadline.Stage.GOV_ANSWER)
    assert term.responsible == p.roads_head
    actions.approve_answer(case, p.roads_head, now=due + timedelta(seconds=30))
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING
    term.refresh_from_db()
    assert term.responsible == p.roads_head
    sla.sweep(now=due + timedelta(seconds=60))
    charged = _charged(case)
    assert charged == ["roads_head"], (
        f"the violation is charged to {charged}: Давыдов got the approved answer back after the term had run out "
        "in Романов's hands"
    )


def test_an_approval_in_time_hands_the_term_back_to_the_executor(p: Personas) -> None:
    """Романов approves at 11:00, within the term: it is Давыдов's again, who publishes; a breach after that is his."""
    case = _question()
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 5, 10, 20))
    actions.approve_answer(case, p.roads_head, now=msk(2024, 11, 5, 11, 0))
    assert Deadline.objects.get(case=case, stage=Deadline.Stage.GOV_ANSWER).responsible == p.dave
    sla.sweep(now=msk(2024, 11, 5, 12, 5))
    assert _charged(case) == ["dave"]


def test_of_several_heads_the_term_is_the_one_whose_work_is_being_done(p: Personas) -> None:
    """Roads has two responsible officials, Андреев and Романов, both away at 10:20: Андреев with nobody named,
    Романов with Зайцев doing his work. The term is Романов's (the first head present, else the first whose work a
    substitute does, else the first by name): its reminder reaches Зайцев, who can approve, not a present executor
    of roads doing Андреев's work, who cannot."""
    other_head = make_person("andreev", p.roads, Role.Kind.RESPONSIBLE, last_name="Андреев")
    deputy = make_person("zaitsev", p.roads, Role.Kind.EXECUTOR, last_name="Зайцев")
    for head, substitute in ((other_head, None), (p.roads_head, deputy)):
        save_absence(
            Absence(
                person=head,
                reason=Absence.Reason.BUSINESS_TRIP,
                starts_at=msk(2024, 11, 5, 9, 0),
                ends_at=msk(2024, 11, 5, 18, 0),
                substitute=substitute,
            )
        )
    case = _question()
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае.", now=msk(2024, 11, 5, 10, 20))
    assert Deadline.objects.get(case=case, stage=Deadline.Stage.GOV_ANSWER).responsible == p.roads_head
    assert sla.sweep(now=msk(2024, 11, 5, 11, 5)).reminders == 1
    reminded = list(
        Notification.objects.filter(case=case, kind=Notification.Kind.REMINDER).values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == ["zaitsev"], reminded
