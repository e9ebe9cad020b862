"""The executor starts a draft from the body's earlier published answer to a similar message (R-9, R-11):
«Взять за основу» puts the text into the editor without sending it; typed text is replaced only when she agrees."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Dialog, Page, expect

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.cases.models import Case
from tests.cases.helpers import message
from tests.conftest import Personas
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EARLIER = "Когда отремонтируют дорогу в Гатчине? Ямы огромные, машины ломаются."
NOW = "Когда отремонтируют дорогу в Гатчине? Ямы по колено."
ANSWER = "Здравствуйте, Ирина!\nРемонт участка улицы Соборной в Гатчине запланирован на июнь."


def test_the_executor_takes_an_earlier_answer_as_the_basis_and_submits(
    page: Page, live_server: Any, personas: Personas
) -> None:
    p = personas
    t = (timezone.localtime() - timedelta(days=20)).replace(hour=10, minute=0, second=0, microsecond=0)
    earlier = actions.dispatch_case(p.curator, [message(EARLIER)], [Route(p.health)], now=t)
    draft = actions.submit_draft(p.alice, earlier, "answer", ANSWER, now=t + timedelta(hours=1))
    actions.approve_draft(p.curator, draft, now=t + timedelta(hours=2))
    actions.confirm_publication(
        p.alice, draft, url="https://vk.com/wall-1_1?reply=901", now=t + timedelta(hours=2, minutes=10)
    )
    case = actions.dispatch_case(p.curator, [message(NOW)], [Route(p.health)], now=t + timedelta(days=5))

    login(page, live_server.url, "alice")
    page.get_by_role("link", name="Мои обращения", exact=True).click()
    page.get_by_role("link", name=f"№ {case.pk}").first.click()
    page.get_by_role("button", name="Подготовить проект").click()
    offered = page.get_by_test_id("similar-answer")
    expect(offered).to_have_count(1)
    expect(offered).to_contain_text(f"обращение № {earlier.pk}")
    expect(offered).to_contain_text("Ямы огромные, машины ломаются.")
    expect(offered).to_contain_text(re.compile(r"Сходство \d+ %"))

    text = page.get_by_label("Текст")
    text.fill("Мой черновик")
    # typed text is not lost unless the executor agrees to replace it
    page.once("dialog", lambda dialog: dialog.dismiss())
    offered.get_by_role("button", name="Взять за основу").click()
    expect(text).to_have_value("Мой черновик")
    asked: list[str] = []

    def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    offered.get_by_role("button", name="Взять за основу").click()
    expect(text).to_have_value(ANSWER)
    assert asked == ["Заменить набранный текст текстом этого ответа?"]
    # nothing was sent; the checker looks at the new text
    expect(page.get_by_role("button", name="Направить куратору")).to_be_visible()
    assert Case.objects.get(pk=case.pk).status == Case.Status.DRAFTING
    expect(page.locator("#check")).to_contain_text("Оценка ответа")

    text.fill(ANSWER.replace("июнь", "июль"))
    page.get_by_role("button", name="Направить куратору").click()
    expect(page.get_by_test_id("case-status")).to_have_text("на согласовании")
    # the browser sends line breaks as CR LF (HTML form encoding)
    assert case.drafts.get().text.replace("\r\n", "\n") == ANSWER.replace("июнь", "июль")
