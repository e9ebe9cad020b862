"""Personal data (152-ФЗ spirit, R-6): the reason of a colleague's absence — «больничный» above all, which tells of
their health — is read in the directory only by the people of that colleague's own body, the office and the
administrators (`org.scoping.visible_absences`). What Otklik stores and shows on a case read by every body of it
(R-8.9) — the «Органы» table (`Assignment.duty_note`), the timeline («assignment_started», «hand_to_executor») and a
missed deadline's note — now says «… отсутствует до 08.05.2025 18:00», never why (`org.duty.away_text`): the roads
committee's executor no longer reads that the health committee's executor is on sick leave. Found by a review
(session 20)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.org.models import Absence, Person
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)  # Monday, working hours


def _sick(p: Personas) -> None:
    """Алексеева (health, the body's first executor) is on sick leave; Борисов substitutes her."""
    Absence.objects.create(
        person=p.alice,
        reason=Absence.Reason.SICK_LEAVE,
        starts_at=msk(2025, 4, 27, 0, 0),
        ends_at=msk(2025, 5, 8, 18, 0),
        substitute=p.bob,
    )


def _page(user: str, url: str) -> str:
    c = Client()
    c.force_login(Person.objects.get(username=user))
    response = c.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_roads_executor_does_not_see_the_health_executors_sick_leave_in_the_directory(
    personas: Personas,
) -> None:
    """The rule the case page should keep: the directory hides another body's absences (passes today)."""
    p = personas
    _sick(p)
    html = _page("dave", reverse("absence_list"))
    assert "Алексеева" not in html


def test_the_case_page_of_two_bodies_does_not_tell_the_other_body_that_a_colleague_is_on_sick_leave(
    personas: Personas,
) -> None:
    p = personas
    _sick(p)
    case = dispatch(p.curator, p.health, p.roads, at=MON)
    health = case.assignments.get(body=p.health)
    assert health.executor == p.bob and health.intended_executor == p.alice  # the substitute works
    html = _page("dave", reverse("cases:detail", args=[case.pk]))  # roads' executor, a member of the case
    assert "Борисов" in html  # who does the work is his business (R-8.9: the bodies coordinate)
    assert "больничный" not in html, "another body's executor reads the health executor's sick leave"


def test_the_hand_over_in_the_timeline_does_not_tell_the_other_body_why_the_chosen_executor_is_away(
    personas: Personas,
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=MON)
    health = case.assignments.get(body=p.health)
    assert health.executor == p.alice
    Absence.objects.create(  # Борисов is ill; the head gives him the case all the same, Чернов substitutes
        person=p.bob,
        reason=Absence.Reason.SICK_LEAVE,
        starts_at=msk(2025, 4, 27, 0, 0),
        ends_at=msk(2025, 5, 8, 18, 0),
        substitute=p.charlie,
    )
    actions.hand_to_executor(p.health_head, health, p.bob, now=msk(2025, 4, 28, 10, 30))
    html = _page("dave", reverse("cases:detail", args=[case.pk]))
    assert "больничный" not in html, "another body's executor reads the health executor's sick leave"


def test_a_missed_deadline_on_the_case_page_does_not_tell_the_other_body_why_its_executor_was_away(
    personas: Personas,
) -> None:
    """R-12: the health part is missed while Алексеева is ill and Борисов does her work; the violation's note
    («Вместо ответственного …: … отсутствует до …») is listed on the case page for the roads body too, without why."""
    from otklik.cases import sla

    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=MON)
    assert case.assignments.get(body=p.health).executor == p.alice
    Absence.objects.create(  # she falls ill after the case came
        person=p.alice,
        reason=Absence.Reason.SICK_LEAVE,
        starts_at=msk(2025, 4, 28, 11, 0),
        ends_at=msk(2025, 5, 8, 18, 0),
        substitute=p.bob,
    )
    sla.sweep(now=msk(2025, 4, 29, 17, 0))  # the parts (5 working hours) are overdue
    assert case.violations.filter(body=p.health, note__contains="отсутствует до").exists()
    html = _page("dave", reverse("cases:detail", args=[case.pk]))
    assert "больничный" not in html, "another body's executor reads the health executor's sick leave"
