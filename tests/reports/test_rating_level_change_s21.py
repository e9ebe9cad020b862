"""R-13, docs/decisions/0004-rating-of-executive-bodies.md: «The change since the last quarter is measured in the
body's own ranking: its place and score in the same ranking of the previous quarter (a body that changed level is
«новый в рейтинге» in its new one)».

What a user now sees: a district administration is rated among the administrations in the third quarter of 2025; in
the fourth quarter the directory makes it an executive body of the oblast (its level changed in «Органы», recorded in
the audit log as every change of a body is). The fourth quarter's rating reads the third quarter's rankings as they
were (each body's level then, `rating._levels_then`): the former administration is «новый в рейтинге» among the
executive bodies, and «Дороги», 2nd in the third quarter's ranking of the executive bodies, reads «место было 2» —
not «место было 1» for the administration and «3» for «Дороги», as the third quarter recomputed with today's levels
gave. Found by a review (session 21)."""

from __future__ import annotations

import pytest

from otklik.org.models import Body
from otklik.reports import periods, rating
from tests.conftest import Personas, msk
from tests.reports.test_rating_executive_bodies_s21 import (
    _administration,
    _answered_after_a_return,
    _answered_at_once,
)

pytestmark = pytest.mark.django_db


def test_a_body_that_became_an_executive_body_is_new_in_the_executive_ranking(personas: Personas) -> None:
    p = personas
    administration, clerk = _administration()
    for day in (msk(2025, 7, 1), msk(2025, 10, 1)):
        _answered_at_once(p, p.health, p.alice, day)
        _answered_at_once(p, administration, clerk, day.replace(day=3))
        _answered_after_a_return(p, day.replace(day=2))

    third = rating.build(periods.quarter(2025, 3))
    published = {r["body"]: r["rank"] for r in third["rows"]}
    assert published == {"Здравоохранение": 1, "Дороги": 2}
    assert [r["body"] for r in third["municipal_rows"]] == ["Администрация Гатчины"]

    # the directory now lists it as an executive body of the oblast (saved as «Органы» saves it: the audit log keeps
    # the change; a bare queryset update, which no page of the system makes, would leave no trace of the level then)
    administration.level, administration.municipality = Body.Level.OBLAST, None
    administration.save()

    # read while the fourth quarter runs (a quarter that has ended is ranked by the levels at its end: session 25)
    fourth = rating.build(periods.quarter(2025, 4), msk(2025, 12, 15, 12, 0))
    rows = {r["body"]: r for r in fourth["rows"]}
    moved = rows["Администрация Гатчины"]
    assert moved["previous_rank"] is None and moved["score_change"] is None, (
        f"the former administration reads «место было {moved['previous_rank']}» among the executive bodies in "
        "the third quarter, where it was ranked among the administrations; decision 0004 says «новый в рейтинге»"
    )
    assert rows["Дороги"]["previous_rank"] == published["Дороги"], (
        f"«Дороги» reads «место было {rows['Дороги']['previous_rank']}»; the third quarter's rating of the "
        f"executive bodies placed it {published['Дороги']}"
    )
