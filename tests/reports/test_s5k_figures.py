"""R-13 figures after the common answer changed hands (R-8.9 with R-8.3): the curator who composes the common
answer is one body in every table of the monthly report, on the page, in JSON and in XLSX."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from otklik.cases import actions
from otklik.cases.models import Case
from tests.conftest import Personas, msk
from tests.reports.builders import TEXT, publish, two_bodies

pytestmark = pytest.mark.django_db

OFFICE = "Управление информационной политики"


def test_r13_the_curators_common_answer_is_the_office_draft_where_its_deadline_is(
    personas: Personas, client: Client
) -> None:
    """R-13, R-8.9: health and roads send their parts, the curator composes the common answer and carries the
    R-8.3 total (the office's row in the timeliness table). The quality table puts the curator's draft under
    the same office — not under «без органа» — in the JSON and the XLSX alike."""
    p = personas
    case = two_bodies(p, Case.MultiMode.COMMON_BY_CURATOR)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 10, 1, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 10, 1, 12, 0))
    case.refresh_from_db()
    common = actions.submit_draft(p.curator, case, "answer", TEXT, now=msk(2025, 10, 1, 14, 0))
    actions.return_draft(p.curator, common, "Добавьте сроки", now=msk(2025, 10, 1, 14, 10))
    revised = actions.revise_draft(p.curator, common, TEXT + " Сроки — июнь.", now=msk(2025, 10, 1, 14, 20))
    actions.approve_draft(p.curator, revised, now=msk(2025, 10, 1, 14, 30))
    publish(p.curator, revised, msk(2025, 10, 1, 14, 40))

    client.force_login(p.observer)
    data = client.get("/reports/monthly/?month=2025-10&format=json").json()
    timeliness = {r["body"] for r in data["timeliness"]["rows"] if r["answer_deadlines"]}
    assert OFFICE in timeliness
    quality = {r["body"]: r for r in data["quality"]["rows"]}
    assert "без органа" not in quality
    assert (quality[OFFICE]["drafts"], quality[OFFICE]["returns"]) == (1, 1)
    sheet = load_workbook(io.BytesIO(client.get("/reports/monthly/?month=2025-10&format=xlsx").content))
    xlsx = {r[0]: r for r in sheet["Качество"].iter_rows(min_row=2, values_only=True)}
    assert xlsx[OFFICE][1:3] == (1, 1) and "без органа" not in xlsx
