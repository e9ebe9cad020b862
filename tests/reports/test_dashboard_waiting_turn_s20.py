"""R-8.9 on the curators' dashboard: a case sent to health, then roads, in that order is open for both, and the
row of roads says that it is still waiting its turn («из них ждут очереди»): roads has nothing to do on it until
health's part is in, so a curator reading «Открыто» by body is not misled into chasing it."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.cases import actions
from otklik.reports import dashboard
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_a_body_waiting_its_turn_is_shown_as_such_on_the_dashboard(
    personas: Personas, client: Client
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0))
    rows = {r["body"]: r for r in dashboard.overview(msk(2025, 4, 28, 11, 0))["by_body"]}
    assert (rows["Здравоохранение"]["open"], rows["Здравоохранение"]["waiting"]) == (1, 0)
    assert (rows["Дороги"]["open"], rows["Дороги"]["waiting"]) == (1, 1)

    client.force_login(p.curator)
    html = client.get("/reports/").content.decode()
    assert "из них ждут очереди" in html

    # health's part is in: roads' turn has come
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 30))
    rows = {r["body"]: r for r in dashboard.overview(msk(2025, 4, 28, 12, 0))["by_body"]}
    assert (rows["Дороги"]["open"], rows["Дороги"]["waiting"]) == (1, 0)
