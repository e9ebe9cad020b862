"""Found by a review (session 23), fixed since. R-8.2, R-13 (dashboard «Сводка» of the curators and the vice-governor's office): a case whose only body refused
it is counted among the open cases but is in no row of the table «Открытые и просроченные по органам».

Scenario (default schedule): Mon 06.10.2025 10:00 the curator sends a message to «Здравоохранение» alone;
10:20 Алексеева refuses it as not the body's competence (R-8.2, inside the 60-minute window). The case is
«нужен новый исполнитель» (REROUTING): open, waiting for the curator to name another body. Nothing else is open.

An observer opens «Сводка» at 11:00 and reads now:
- «Открытых обращений: 1»,
- and right below, in «Открытые и просроченные по органам», «Открытых обращений нет.»
The table drops every assignment that refused or was replaced (`dashboard.overview`, `DONE_OR_GONE`), and a case
with no body left has no row at all — though the overdue figures of the same table keep a row «без органа» so that
every case of the total is found in it.

By hand: open cases 1 (this one); rows of the table that count it: 0 now; expected 1 (a row for the case waiting for
a new body, e.g. «без органа»), and never «Открытых обращений нет.» under «Открытых обращений: 1».
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.cases.models import Case
from otklik.reports import dashboard
from tests.conftest import Personas, msk
from tests.reports.builders import message

pytestmark = pytest.mark.django_db


def test_a_case_refused_by_its_only_body_is_found_in_the_dashboards_table(
    personas: Personas, client: Client
) -> None:
    p = personas
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 6, 9, 0))], [Route(p.health)], now=msk(2025, 10, 6, 10, 0)
    )
    actions.reject_assignment(
        p.alice, case.assignments.get(), "Это вопрос дорожного комитета", now=msk(2025, 10, 6, 10, 20)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.REROUTING

    o = dashboard.overview(msk(2025, 10, 6, 11, 0))
    assert o["open_total"] == 1
    assert sum(r["open"] for r in o["by_body"]) == 1, (
        f"«Открытых обращений: 1», but the table by body counts none: {o['by_body']}"
    )

    client.force_login(p.observer)
    html = client.get("/reports/").content.decode()
    assert re.search(r'data-testid="open-total">1<', html)
    table = re.search(r'<table data-testid="by-body">.*?</table>', html, re.S)
    assert table is not None
    assert "Открытых обращений нет." not in table.group(0), (
        "the table says nothing is open under «Открытых: 1»"
    )
