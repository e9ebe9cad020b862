"""A missed deadline charged to the substitute who did the work, as the people read it in a browser (R-12, R-6):
the case page, the deficiencies report and the substitute's own record say whose work it was."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.cases import sla
from otklik.org.models import Absence
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk
from tests.e2e.test_case_workflow import logout
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTE = "Вместо ответственного Алексеева Тест к сроку 28.04.2025 14:45"


def test_the_substitute_s_violation_says_whose_work_it_was_on_every_page(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-12: the case reaches health on Monday 28.04.2025 09:00 (draft due 14:45); Алексеева falls ill at 11:00
    with Борисов as her substitute. The violations are Борисов's, and each page that lists them says it was
    Алексеева's work and why."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    Absence.objects.create(
        person=p.alice,
        substitute=p.bob,
        reason=Absence.Reason.SICK_LEAVE,
        starts_at=msk(2025, 4, 28, 11, 0),
        ends_at=msk(2025, 5, 7, 18, 0),
    )
    assert sla.sweep(now=msk(2025, 4, 29, 12, 0)).breached == 2
    base = live_server.url

    # the observer reads the deficiencies report for those days, then opens the case
    login(page, base, "observer")
    page.get_by_role("link", name="Отчёты", exact=True).click()
    page.get_by_role("link", name="недостатки (нарушения сроков)").click()
    page.get_by_label("С", exact=True).fill("2025-04-28")
    page.get_by_label("По", exact=True).fill("2025-04-30")
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_test_id("violations-total")).to_have_text("2")
    draft_row = page.get_by_role("row").filter(has_text="п. 8.4")
    expect(draft_row).to_contain_text("Борисов Тест")
    expect(draft_row.get_by_test_id("violation-note")).to_contain_text(NOTE)
    expect(draft_row.get_by_test_id("violation-note")).to_contain_text(
        "работу выполняет замещающий Борисов Тест"
    )
    draft_row.get_by_role("link", name=f"№ {case.pk}").click()
    expect(page.get_by_role("heading", name=f"Обращение № {case.pk}")).to_be_visible()
    violations = page.get_by_role("listitem").filter(has_text="срок 28.04.2025 14:45")
    expect(violations).to_contain_text("Борисов Тест")
    expect(violations).to_contain_text(NOTE)
    logout(page)

    # Борисов's own record holds both, with the note; Алексеева's holds none
    login(page, base, "bob")
    page.get_by_role("link", name="Мои нарушения").click()
    expect(page.get_by_test_id("record-total")).to_have_text("2")
    expect(page.get_by_test_id("violation-note").first).to_contain_text(
        "Вместо ответственного Алексеева Тест"
    )
    logout(page)
    login(page, base, "alice")
    page.get_by_role("link", name="Мои нарушения").click()
    expect(page.get_by_test_id("record-total")).to_have_text("0")
