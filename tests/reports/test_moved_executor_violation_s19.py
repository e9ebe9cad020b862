"""R-12 (clause 12): a missed deadline is charged to the official who had to act at the due moment — the same person
the reminders and the breach notice reached, whichever finds the breach first (the sweep or the late work itself).

Алексеева (health) is transferred to roads by the administrator (her executor's role moves) while a health case's
R-8.4 draft deadline is hers: the health executor who does the work (Борисов) is told and charged, and her own
record stays clean. A curator made an observer is not charged by name for a review the office's curators were
told of. Before, the sweep's shortcut (present at the due moment → charged) skipped who did the work.
Found by a review (session 19)."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.cases import actions, sla
from otklik.cases.models import Deadline, Notification, Violation
from otklik.org.models import Role
from otklik.reports import deficiencies, periods
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)


def _move_alice_to_roads(p: Personas) -> None:
    Role.objects.filter(person=p.alice, body=p.health).update(body=p.roads)
    p.alice.body = p.roads
    p.alice.save(update_fields=["body"])


def test_the_violation_found_by_the_sweep_names_who_did_the_moved_executors_work(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    assert case.assignments.get().executor == p.alice
    _move_alice_to_roads(p)

    # the draft deadline (5 working hours: due 15:45) passes; the sweep of 16:00 records it
    sla.sweep(now=msk(2025, 4, 28, 16, 0))
    draft_deadline = Deadline.objects.get(case=case, stage=Deadline.Stage.DRAFT)
    violation = Violation.objects.get(deadline=draft_deadline)
    told = {
        n.recipient.username
        for n in Notification.objects.filter(case=case, kind=Notification.Kind.BREACH).select_related(
            "recipient"
        )
    }
    # the system told Борисов (who does Алексеева's health work), not her ...
    assert "bob" in told and "alice" not in told, told
    # ... and so he, not Алексеева (now in roads), is the one the deficiencies report names for it
    row = deficiencies.build(periods.span(MON.date(), MON.date()))["violations"][0]
    assert violation.person == p.bob, (
        f"the violation is charged to {row['person']} («{row['note']}»), who was told nothing about it; "
        f"the health executor who got the reminders and the breach notice was {p.bob}"
    )


def test_the_same_missed_deadline_is_charged_alike_whether_the_sweep_or_the_late_draft_finds_it(
    personas: Personas,
) -> None:
    """Two equal cases; in one the sweep records the breach, in the other the late draft itself (no sweep ran).
    The person charged must not depend on which of the two found it first."""
    p = personas
    swept = dispatch(p.curator, p.health, at=MON)
    late = dispatch(p.curator, p.health, at=MON)
    _move_alice_to_roads(p)
    # only `swept`'s deadline goes through the sweep: `late`'s is met (late) by the draft before any sweep
    actions.submit_draft(
        p.bob, late, "answer", "Здравствуйте! Ответ по существу.", now=msk(2025, 4, 28, 16, 0)
    )
    sla.sweep(now=msk(2025, 4, 28, 16, 0))
    by_sweep = Violation.objects.get(case=swept, stage=Deadline.Stage.DRAFT).person
    by_action = Violation.objects.get(case=late, stage=Deadline.Stage.DRAFT).person
    assert by_sweep == by_action, (
        f"the same missed R-8.4 term is charged to {by_sweep} when the sweep finds it and to {by_action} "
        "when the late draft does"
    )


def test_the_moved_executors_own_record_does_not_list_the_old_bodys_missed_deadline(
    personas: Personas,
) -> None:
    p = personas
    dispatch(p.curator, p.health, at=MON)
    _move_alice_to_roads(p)
    sla.sweep(now=msk(2025, 4, 28, 16, 0))
    client = Client()
    client.force_login(p.alice)
    page = client.get("/reports/my-record/").content.decode()
    assert 'data-testid="record-total">0<' in page, "Алексеева's own record charges her a health deadline"


def test_a_review_missed_after_the_curator_left_the_office_is_not_charged_to_her(personas: Personas) -> None:
    """R-8.5, R-12: the same shortcut for the curator's approval. The case's curator stops being a curator (the
    administrator makes her an observer); the draft waits; the breach notice goes to the two curators of the office
    (`curators_instead_of`: «any curator may act on it»), yet the violation is recorded on her by name."""
    from tests.conftest import make_person

    p = personas
    make_person("curator2", p.office, Role.Kind.CURATOR, last_name="Васильева")
    make_person("curator3", p.office, Role.Kind.CURATOR, last_name="Григорьева")
    case = dispatch(p.curator, p.health, at=MON)
    actions.submit_draft(
        p.alice, case, "answer", "Здравствуйте! Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 10, 30)
    )
    Role.objects.filter(person=p.curator, kind=Role.Kind.CURATOR).update(kind=Role.Kind.OBSERVER)
    sla.sweep(now=msk(2025, 4, 28, 12, 0))  # the review's working hour ran out at 11:30
    told = {
        n.recipient.username
        for n in Notification.objects.filter(case=case, kind=Notification.Kind.BREACH).select_related(
            "recipient"
        )
    }
    violation = Violation.objects.get(case=case, stage=Deadline.Stage.REVIEW)
    assert "curator" not in told
    assert violation.person != p.curator, (
        f"the missed approval is charged to {violation.person}, no longer a curator, while {sorted(told)} were told"
    )
