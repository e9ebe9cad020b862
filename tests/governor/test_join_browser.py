"""The post page in a browser (R-7.2): an executor of a second competent body joins a question another body is
already answering, sees both bodies' parts with their own deadlines, and finds the question in her work."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from otklik.governor import service
from tests.conftest import Personas
from tests.e2e.test_login_directory import login
from tests.governor.helpers import ROADS_TOPIC, comment, competence, governor_post, governor_source

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUESTION = "Когда отремонтируют дорогу к поликлинике в Гатчине и появится ли там терапевт?"


def test_second_body_executor_joins_on_the_post_page_and_sees_the_question_in_her_work(
    page: Page, live_server: Any, personas: Personas
) -> None:
    p = personas
    competence(p.roads, *ROADS_TOPIC)
    now = timezone.now()
    post = governor_post(
        governor_source(), now - timedelta(minutes=10), text="Открыли поликлинику в Гатчине."
    )
    msg = comment(post, QUESTION, now - timedelta(minutes=5))
    service.open_watches()
    service.process_comments()
    case = msg.governor_comment.case
    assert case is not None

    base = live_server.url
    login(page, base, "alice")
    page.goto(f"{base}/governor/posts/{post.watch.pk}/")
    question = page.get_by_test_id("question").filter(has_text="терапевт")
    expect(question.get_by_test_id("part")).to_have_count(1)
    expect(question).to_contain_text("Дороги")
    expect(question.get_by_role("button", name="Ответить", exact=True)).to_have_count(0)

    question.get_by_role("button", name="Присоединиться: наш орган тоже отвечает").click()
    expect(page.locator(".messages")).to_contain_text("«Здравоохранение» тоже отвечает на вопрос")
    question = page.get_by_test_id("question").filter(has_text="терапевт")
    parts = question.get_by_test_id("part")
    expect(parts).to_have_count(2)
    mine = question.locator(f"[data-testid=part][data-body='{p.health.pk}']")
    expect(mine).to_contain_text("исполнитель Алексеева")
    expect(mine).to_contain_text("срок")
    expect(mine.get_by_role("button", name="Ответить", exact=True)).to_be_visible()
    other = question.locator(f"[data-testid=part][data-body='{p.roads.pk}']")
    expect(other.get_by_role("button", name="Ответить", exact=True)).to_have_count(0)
    expect(question.get_by_role("button", name="Присоединиться: наш орган тоже отвечает")).to_have_count(0)

    page.goto(f"{base}/cases/mine/")
    expect(page.locator(f"tr[data-case='{case.pk}']")).to_contain_text("дорогу")
