"""R-12: every violation by body and person with the case, stage and how late (working minutes)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from otklik.reports import deficiencies, export, periods
from tests.conftest import Personas, msk
from tests.reports.builders import October, build_october

pytestmark = pytest.mark.django_db

OCTOBER = periods.span(msk(2025, 10, 1).date(), msk(2025, 10, 31).date())


@pytest.fixture
def october(personas: Personas) -> October:
    return build_october(personas)


def test_every_violation_with_person_body_stage_and_working_minutes_late(october: October) -> None:
    data = deficiencies.build(OCTOBER, now=msk(2025, 10, 8, 12, 0))
    got = sorted((r["case"], r["rid"], r["person"], r["body"], r["late_minutes"]) for r in data["violations"])
    o = october
    assert got == sorted(
        [
            (
                o.b.pk,
                "R-8.7",
                "Алексеева Тест",
                "Здравоохранение",
                45,
            ),  # due 12:30, published 14:00, lunch out
            (o.c.pk, "R-8.4", "Давыдов Тест", "Дороги", 60),  # due Mon 12:15, sent 14:00
            (
                o.d.pk,
                "R-8.4",
                "Алексеева Тест",
                "Здравоохранение",
                275,
            ),  # due Tue 16:25, still not sent Wed 12:00
            (o.d.pk, "R-8.3", "Алексеева Тест", "Здравоохранение", 35),  # due Wed 11:25
        ]
    )
    assert [(g["body"], g["violations"], g["late_minutes"], g["cases"]) for g in data["by_body"]] == [
        ("Здравоохранение", 3, 355, [o.b.pk, o.d.pk]),
        ("Дороги", 1, 60, [o.c.pk]),
    ]
    assert [(g["person"], g["violations"]) for g in data["by_person"]] == [
        ("Алексеева Тест", 3),
        ("Давыдов Тест", 1),
    ]
    # a period without them
    assert deficiencies.build(periods.span(msk(2025, 9, 1).date(), msk(2025, 9, 30).date()))["total"] == 0


def test_deficiencies_xlsx_has_its_chart_and_rows(october: October) -> None:
    wb = load_workbook(io.BytesIO(export.violations_xlsx(deficiencies.build(OCTOBER))))
    assert wb.sheetnames == ["По органам", "По сотрудникам", "Все нарушения"]
    assert len(wb["По органам"]._charts) == 1
    assert wb["Все нарушения"].max_row == 5


def test_a_person_sees_their_own_record_and_their_head_sees_it_but_not_a_colleague_elsewhere(
    october: October, personas: Personas, client: Client
) -> None:
    p = personas
    client.force_login(p.alice)
    page = client.get("/reports/my-record/")
    assert page.status_code == 200 and 'data-testid="record-total">3<' in page.content.decode()
    client.force_login(p.health_head)
    assert client.get(f"/reports/people/{p.alice.pk}/record/").status_code == 200
    client.force_login(p.dave)
    assert client.get(f"/reports/people/{p.alice.pk}/record/").status_code == 403
    assert client.get("/reports/violations/?from=2025-10-01&to=2025-10-31").status_code == 403
    client.force_login(p.observer)
    page = client.get("/reports/violations/?from=2025-10-01&to=2025-10-31")
    assert page.status_code == 200 and 'data-testid="violations-total">4<' in page.content.decode()
