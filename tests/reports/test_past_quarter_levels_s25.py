"""Found by a review (session 25), fixed since. R-13: the rating page of a past quarter changes its places and its «change since the last quarter» after a
body's level is edited in the directory, and then contradicts the next quarter's page.

What the user sees: in the third and fourth quarters of 2025 and the first quarter of 2026 «Здравоохранение» and
«Дороги» are both executive bodies of the oblast; «Здравоохранение» is 1st and «Дороги» 2nd every quarter (the letter
of each quarter says so). Later the directory makes «Здравоохранение» a municipal administration (saved as «Органы»
saves it, in the audit log). Now the page of the first quarter of 2026 says of «Дороги» «место было 2» for the fourth
quarter of 2025 (the previous quarter is ranked by the levels then, `rating._levels_then`), but the page of the fourth
quarter of 2025 itself shows «Дороги» in the 1st place with «место было 2» (a climb it never made) and
«Здравоохранение» «новый в рейтинге» among the administrations, although it was rated in both quarters.

Decision 0004 says «the places read «место было» are those the quarter's own rating gave»; the shown quarter is ranked
by today's levels (`rating._ranked(period, formula)` in `rating.build`, src/otklik/reports/rating.py) while its
previous quarter is ranked by the levels at its end, so two pages of the system give one quarter two rankings.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.org.models import Body, Municipality
from tests.conftest import Personas, msk
from tests.reports.test_rating_executive_bodies_s21 import _answered_after_a_return, _answered_at_once

pytestmark = pytest.mark.django_db


def _places(client: Client, quarter: str) -> dict[str, str]:
    """Each body's row of the executive bodies' table on the page: «место | орган | … | изменение»."""
    html = client.get(f"/reports/rating/?quarter={quarter}").content.decode()
    table = re.search(r'data-testid="rating">(.*?)</table>', html, re.S)
    assert table is not None
    rows = {}
    for tr in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S):
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        if len(cells) > 2:
            rows[cells[1]] = f"{cells[0]} | {cells[-1]}"
    return rows


def test_a_past_quarter_keeps_the_places_the_next_quarter_compares_with(personas: Personas) -> None:
    p = personas
    for day in (msk(2025, 7, 1), msk(2025, 10, 1), msk(2026, 1, 13)):
        _answered_at_once(p, p.health, p.alice, day)
        _answered_after_a_return(p, day.replace(day=day.day + 1))
    client = Client()
    client.force_login(p.observer)
    before = _places(client, "2025Q4")
    assert before["Дороги"].startswith("2 |"), before

    # the directory now lists «Здравоохранение» as an administration (the audit log keeps the change)
    p.health.level, p.health.municipality = (
        Body.Level.MUNICIPAL,
        Municipality.objects.create(name="Тосненский"),
    )
    p.health.save()

    next_quarter = _places(client, "2026Q1")
    assert "место было 2" in next_quarter["Дороги"], next_quarter
    fourth = _places(client, "2025Q4")
    assert fourth.get("Дороги", "").startswith("2 |"), (
        f"the page of the 4th quarter of 2025 now shows «Дороги» as «{fourth.get('Дороги')}» and ranks "
        f"{sorted(fourth)} among the executive bodies, while the page of the 1st quarter of 2026 says of «Дороги» "
        f"«{next_quarter['Дороги']}» for that same quarter; before the directory edit it showed «{before['Дороги']}»"
    )
