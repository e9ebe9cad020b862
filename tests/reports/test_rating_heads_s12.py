"""R-13: the quarterly rating ranks the bodies by the quality of their work; a body's head now reads it (the rank
and what each component gave) from the menu's «Рейтинг органов». The monthly report to the vice-governor and
other bodies' people's deficiencies stay with the observers, curators and administrators; an executor reads
neither."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_r13_a_bodys_head_reads_the_rating_not_the_monthly_report(personas: Personas, client: Client) -> None:
    client.force_login(personas.roads_head)
    home = client.get("/").content.decode()
    assert '<a href="/reports/rating/">Рейтинг органов</a>' in home
    rating = client.get("/reports/rating/?quarter=2025Q3")
    assert rating.status_code == 200
    assert "Рейтинг" in rating.content.decode()
    assert client.get("/reports/rating/?quarter=2025Q3&format=xlsx").status_code == 200
    assert client.get("/reports/monthly/?month=2025-10").status_code == 403
    assert client.get("/reports/violations/?from=2025-10-01&to=2025-10-31").status_code == 403

    client.force_login(personas.alice)  # an executor
    assert client.get("/reports/rating/?quarter=2025Q3").status_code == 403
    assert "Рейтинг органов" not in client.get("/").content.decode()
