"""Found by a review (session 26), fixed since. R-12 with R-6 on the head's dashboard: a body's head who also reads the reports (an observer's or a curator's
role besides the head's: the vice-governor's office staff often hold both) sees in «Сотрудники органа: нарушения
сроков» the row «Никто не назначен (нарушение органа)» with the count of *their body's* violations recorded on
nobody, but the list that row leads to (`/reports/my-record/?nobody=1`) shows every body's: the figure and the list
it links to disagree, and the head reads another body's violations as their own."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from otklik.cases import actions, sla
from otklik.cases.actions import Route
from otklik.cases.models import Violation
from otklik.org.models import Absence, Role
from tests.conftest import Personas, msk
from tests.reports.builders import message
from tests.reports.test_head_nobody_violations_s19b import _nobody_row, _roads_missed_with_nobody_on_duty

pytestmark = pytest.mark.django_db


def _health_missed_with_nobody_on_duty(p: Personas) -> None:
    """«Здравоохранение» too has everybody away (28.04–03.05.2025): its case's deadlines run out on nobody."""
    for person in (p.alice, p.bob, p.charlie, p.health_head):
        Absence.objects.create(
            person=person,
            reason="business_trip",
            starts_at=msk(2025, 4, 28, 0, 0),
            ends_at=msk(2025, 5, 3, 0, 0),
        )
    actions.dispatch_case(
        p.curator, [message(msk(2025, 4, 28, 9, 0))], [Route(p.health)], now=msk(2025, 4, 28, 10, 0)
    )
    sla.sweep(now=msk(2025, 4, 29, 17, 30))


def test_the_nobody_row_of_a_head_who_also_reads_reports_leads_to_their_bodys_violations(
    personas: Personas,
) -> None:
    """The roads head (also an observer) sees «Никто не назначен (нарушение органа): N» for «Дороги»; the
    link must list those N, not the violations of «Здравоохранение» as well (R-12, R-6)."""
    p = personas
    Role.objects.create(person=p.roads_head, kind=Role.Kind.OBSERVER)
    _roads_missed_with_nobody_on_duty(p)
    _health_missed_with_nobody_on_duty(p)
    roads = Violation.objects.filter(body=p.roads, person__isnull=True).count()
    assert roads and Violation.objects.filter(body=p.health, person__isnull=True).exists()

    client = Client()
    client.force_login(p.roads_head)
    row = _nobody_row(client.get("/reports/").content.decode())
    assert row is not None and re.findall(r'class="num">(\d+)<', row) == [str(roads)]

    link = re.search(r'href="([^"]*nobody=1[^"]*)"', row)
    assert link is not None
    page = client.get(html.unescape(link.group(1))).content.decode()
    total = re.search(r'<strong data-testid="record-total">(\d+)</strong>', page)
    assert total is not None
    assert int(total.group(1)) == roads, (
        f"the dashboard says {roads} of «Дороги», the list it leads to shows {total.group(1)}"
    )
