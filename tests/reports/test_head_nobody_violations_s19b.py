"""R-12 with R-6: a deadline missed while nobody of the body was on duty (its executor and its head away, no
substitute) is recorded «только на орган»: a violation naming no person (`cases.sla._answerable`). The body's head
now finds it: the dashboard's «Сотрудники органа: нарушения сроков (п. 12)» has a row «Никто не назначен (нарушение
органа)» with their count, leading to the list of those violations (`/reports/my-record/?nobody=1`, the record
page's filter, paging and totals). Another body's head sees neither; an executor may not open the list; the
readers of reports see every body's.

Found by a review (session 19, second round).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.cases import actions, sla
from otklik.cases.models import Violation
from otklik.org.models import Absence, Person
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

NOBODY_LIST = "/reports/my-record/?nobody=1"


def _get(person: Person, url: str) -> tuple[int, str]:
    client = Client()
    client.force_login(person)
    response = client.get(url)
    return response.status_code, response.content.decode()


def _nobody_row(html: str) -> str | None:
    people = html.split('data-testid="body-people"')[1].split("</table>")[0]
    return next((r for r in people.split("<tr") if "Никто не назначен" in r), None)


def _roads_missed_with_nobody_on_duty(p: Personas) -> int:
    """The second body in the curator's order, «Дороги», has everybody away when its turn comes: its part's
    deadline runs out with nobody named (tests/cases/test_nobody_on_duty_s19.py)."""
    for person in (p.dave, p.roads_head):
        Absence.objects.create(
            person=person,
            reason="business_trip",
            starts_at=msk(2025, 4, 28, 0, 0),
            ends_at=msk(2025, 5, 3, 0, 0),
        )
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0))
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    sla.sweep(now=msk(2025, 4, 28, 17, 30))
    missed = Violation.objects.filter(case=case, body=p.roads, person__isnull=True)
    assert missed.exists()
    return case.pk


def test_the_head_finds_the_bodys_violations_with_nobody_named(personas: Personas) -> None:
    p = personas
    case_pk = _roads_missed_with_nobody_on_duty(p)
    count = Violation.objects.filter(body=p.roads, person__isnull=True).count()

    status, dashboard = _get(p.roads_head, "/reports/")
    assert status == 200
    row = _nobody_row(dashboard)
    assert row is not None, "the head of «Дороги» does not see the body's violation recorded on nobody"
    assert "Никто не назначен (нарушение органа)" in row and NOBODY_LIST.replace("&", "&amp;") in row
    assert re.findall(r'class="num">(\d+)<', row) == [str(count)]

    status, page = _get(p.roads_head, NOBODY_LIST)
    assert status == 200
    assert f'<strong data-testid="record-total">{count}</strong>' in page
    assert f"/cases/{case_pk}/" in page and "никто не назначен" in page
    assert '<input type="hidden" name="nobody" value="1">' in page  # the filter by days keeps to the list

    # the readers of reports see every body's
    status, page = _get(p.observer, NOBODY_LIST)
    assert status == 200 and f'<strong data-testid="record-total">{count}</strong>' in page


def test_another_bodys_head_and_an_executor_do_not_see_them(personas: Personas) -> None:
    p = personas
    _roads_missed_with_nobody_on_duty(p)

    status, dashboard = _get(p.health_head, "/reports/")
    assert status == 200 and _nobody_row(dashboard) is None
    status, page = _get(p.health_head, NOBODY_LIST)
    assert status == 200 and '<strong data-testid="record-total">0</strong>' in page

    status, _ = _get(p.alice, NOBODY_LIST)
    assert status == 403
