"""R-8.8 in a browser: the author does not answer the clarification request, and the executor prepares the final
answer without his details from the case page, so the 7 working days after the interim answer can be met."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.cases import actions
from otklik.cases.models import Case, Draft
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk
from tests.e2e.test_case_workflow import open_case
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

INTERIM = "Здравствуйте, Ирина! Мы запросили сведения у подрядчика и ответим, как только их получим."
ANSWER = "Здравствуйте, Ирина! Ремонт участка улицы Соборной в Гатчине запланирован на июнь."


def published(actor: Any, draft: Draft, at: Any, n: int) -> None:
    actions.approve_draft(actor.curator, draft, now=at)
    actions.confirm_publication(actor.alice, draft, url=f"https://vk.com/wall-1_1?reply={n}", now=at)


def test_executor_prepares_the_final_answer_without_the_author_s_details(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-8.8, R-8.4: an interim answer (03.03.2025) and a clarification request (05.03) are published; the author
    stays silent. Алексеева presses «Готовить ответ без уточнения автора»: the case is drafted again, the history
    says why, and her final answer goes to the curator."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 3, 3, 10, 0))
    interim = actions.submit_draft(p.alice, case, "interim", INTERIM, now=msk(2025, 3, 3, 11, 0))
    published(p, interim, msk(2025, 3, 3, 11, 20), 1)
    ask = actions.submit_draft(
        p.alice, case, "clarification", "Уточните номер дома.", now=msk(2025, 3, 5, 10, 0)
    )
    published(p, ask, msk(2025, 3, 5, 10, 20), 2)
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR

    login(page, live_server.url, "alice")
    open_case(page, live_server.url, "Мои обращения", case.pk)
    expect(page.get_by_test_id("case-status")).to_have_text("ждёт ответа автора")
    expect(page.get_by_role("button", name="Подготовить проект")).to_have_count(0)
    expect(page.get_by_text("окончательный нужен до 12.03.2025 18:00 (п. 8.8 Положения)")).to_be_visible()
    page.get_by_role("button", name="Готовить ответ без уточнения автора").click()

    expect(page.locator("ul.messages")).to_contain_text(
        "Подготовка ответа продолжается без уточнения автора."
    )
    expect(page.get_by_test_id("case-status")).to_have_text("подготовка проекта")
    expect(page.get_by_role("button", name="Готовить ответ без уточнения автора")).to_have_count(0)
    expect(page.get_by_test_id("timeline")).to_contain_text("ответ готовится без уточнения автора")
    expect(page.locator("tr[data-stage=draft]").last.get_by_test_id("deadline-state")).to_contain_text("идёт")

    page.get_by_role("button", name="Подготовить проект").click()
    page.get_by_label("Текст").fill(ANSWER)
    page.get_by_role("button", name="Направить куратору").click()
    expect(page.get_by_test_id("case-status")).to_have_text("на согласовании")
    assert case.drafts.filter(kind=Draft.Kind.ANSWER, text=ANSWER).exists()
