"""R-12 with R-6: a body's head finds, on the dashboard («Сотрудники органа: нарушения сроков (п. 12)») and on a
person's record, the deadlines missed on the body's cases and only those: the violations recorded for the head's
body (`Violation.body`), whoever they are charged to. A person working for two bodies shows each head that body's
own; a person moved to another body stays on the list of the body whose deadlines they missed, and their record
opens for that body's head with those violations only. The person and the readers of reports see all of them.

Found by a review (session 19).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.cases import actions, sla
from otklik.cases.models import Violation
from otklik.org.models import Role
from tests.cases.helpers import dispatch, message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

TUE = msk(2025, 10, 7, 10, 0)
WED_NOON = msk(
    2025, 10, 8, 12, 0
)  # the R-8.4 (Tue 16:25… ) and terms of a Tuesday 10:00 case have run out


def people_row(html: str, person_pk: int) -> str | None:
    people = html.split('data-testid="body-people"')[1].split("</table>")[0]
    link = f'href="/reports/people/{person_pk}/record/"'
    return next((r for r in people.split("<tr") if link in r), None)


def test_the_roads_head_finds_who_missed_a_roads_deadline_when_that_executor_works_for_two_bodies(
    personas: Personas,
) -> None:
    """Борисов is an executor of health (his body) and of roads. A roads case goes to him and he misses its terms.
    The head of roads, who organises roads' work with the messages (R-6) and takes the disciplinary decision
    (R-12), neither sees him on the dashboard nor may open his record."""
    p = personas
    Role.objects.create(person=p.bob, kind=Role.Kind.EXECUTOR, body=p.roads)
    case = actions.dispatch_case(p.curator, [message()], [actions.Route(p.roads, 1, executor=p.bob)], now=TUE)
    assert case.assignments.get().executor == p.bob
    sla.sweep(now=WED_NOON)
    assert Violation.objects.filter(case=case, person=p.bob, body=p.roads).count() == 2

    head = Client()
    head.force_login(p.roads_head)
    dashboard = head.get("/reports/").content.decode()
    record = head.get(f"/reports/people/{p.bob.pk}/record/")
    assert people_row(dashboard, p.bob.pk) is not None and record.status_code == 200, (
        "the head of roads cannot find who missed roads' deadlines: Борисов is "
        f"{'not ' if people_row(dashboard, p.bob.pk) is None else ''}on the dashboard, his record answers "
        f"{record.status_code}"
    )
    assert re.findall(r'class="num">(\d+)<', people_row(dashboard, p.bob.pk) or "") == ["2"]
    assert '<strong data-testid="record-total">2</strong>' in record.content.decode()


def test_the_health_heads_dashboard_does_not_count_another_bodys_missed_deadlines(personas: Personas) -> None:
    """The same Борисов: his two roads violations are roads' work. The health head's list of «Сотрудники органа:
    нарушения сроков (п. 12)» gives him 2, and his record shows the health head the roads case."""
    p = personas
    Role.objects.create(person=p.bob, kind=Role.Kind.EXECUTOR, body=p.roads)
    case = actions.dispatch_case(p.curator, [message()], [actions.Route(p.roads, 1, executor=p.bob)], now=TUE)
    sla.sweep(now=WED_NOON)
    head = Client()
    head.force_login(p.health_head)
    row = people_row(head.get("/reports/").content.decode(), p.bob.pk)
    assert row is not None
    missed = re.findall(r'class="num">(\d+)<', row)
    assert missed == ["0"], (
        f"the health head is shown {missed} missed deadlines of Борисов, all of them roads'"
    )
    record = head.get(f"/reports/people/{p.bob.pk}/record/").content.decode()
    assert f"№&nbsp;{case.pk}<" not in record, "the health head reads roads' case and its missed terms"


def test_the_health_head_still_finds_a_health_violation_after_the_executor_moved_to_roads(
    personas: Personas,
) -> None:
    """Алексеева misses a health case's terms; then the administrator moves her to roads. The health violation is
    still health's (the deficiencies report lists it under «Здравоохранение»), but the health head can no longer open
    her record, and the roads head now sees it on his dashboard."""
    p = personas
    dispatch(p.curator, p.health, at=TUE)
    sla.sweep(now=WED_NOON)
    assert Violation.objects.filter(person=p.alice, body=p.health).count() == 2
    Role.objects.filter(person=p.alice, body=p.health).update(body=p.roads)
    p.alice.body = p.roads
    p.alice.save(update_fields=["body"])

    health = Client()
    health.force_login(p.health_head)
    status = health.get(f"/reports/people/{p.alice.pk}/record/").status_code
    roads = Client()
    roads.force_login(p.roads_head)
    row = people_row(roads.get("/reports/").content.decode(), p.alice.pk)
    shown_to_roads = re.findall(r'class="num">(\d+)<', row or "")
    assert status == 200 and shown_to_roads == ["0"], (
        f"health head: record answers {status}; roads head's dashboard: Алексеева with {shown_to_roads} missed "
        "deadlines, all of them health's"
    )
    row = people_row(health.get("/reports/").content.decode(), p.alice.pk)
    assert re.findall(r'class="num">(\d+)<', row or "") == ["2"], "the health head's list lost Алексеева"
    record = health.get(f"/reports/people/{p.alice.pk}/record/").content.decode()
    assert '<strong data-testid="record-total">2</strong>' in record
    # the roads head may open her record (she works for roads now) and reads none of health's violations
    record = roads.get(f"/reports/people/{p.alice.pk}/record/").content.decode()
    assert '<strong data-testid="record-total">0</strong>' in record
    # she herself still sees all of hers
    own = Client()
    own.force_login(p.alice)
    assert '<strong data-testid="record-total">2</strong>' in own.get("/reports/my-record/").content.decode()
