"""The post page in a browser as a body's executor sees it (R-7.1, R-7.2, R-7.4): the schedule of checks, her
body's question with the answer form, another body's question she may only take, the other comments; her
answer is checked as she types (R-11), published under the comment (in the loopback fake VK) and the question shows
as answered."""

from __future__ import annotations

import copy
import time
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from otklik.governor import service
from otklik.intake.models import Message, Post
from tests.conftest import Personas
from tests.e2e.test_login_directory import login
from tests.fakes.vk import FakeVK
from tests.governor.helpers import (
    HEALTH_QUESTION,
    HEALTH_TOPIC,
    ROADS_QUESTION,
    ROADS_TOPIC,
    THANKS,
    competence,
    governor_vk,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OWNER = -200000001


def test_executor_sees_the_post_page_answers_her_question_and_it_lands_under_the_comment(
    page: Page,
    live_server: Any,
    personas: Personas,
    fake_vk: FakeVK,
) -> None:
    p = personas
    competence(p.health, *HEALTH_TOPIC)
    competence(p.roads, *ROADS_TOPIC)
    source = governor_vk(fake_vk)
    fake_post = copy.deepcopy(fake_vk.posts[0])
    fake_post.update(id=103, date=int(time.time()) - 600, text="Открыли поликлинику в Гатчине.")
    fake_vk.posts.append(fake_post)
    now = timezone.now()
    post = Post.objects.create(
        network="vk",
        external_id=f"{OWNER}_103",
        source=source,
        url=f"https://vk.com/wall{OWNER}_103",
        text="Открыли поликлинику в Гатчине.",
        published_at=now - timedelta(minutes=10),
        is_governor=True,
    )
    for author, text in ((3333333, HEALTH_QUESTION), (5555555, ROADS_QUESTION), (4444444, THANKS)):
        cid = fake_vk.add_comment(103, text, from_id=author)
        Message.objects.create(
            network="vk",
            external_id=f"{OWNER}_103_{cid}",
            source=source,
            url=f"https://vk.com/wall{OWNER}_103?reply={cid}",
            author_id=str(author),
            author_name=f"Житель {author}",
            text=text,
            published_at=now - timedelta(minutes=5),
            post=post,
        )
    service.open_watches()
    service.process_comments()
    health_cid = fake_vk.comments[-3]["id"]

    base = live_server.url
    login(page, base, "alice")
    page.goto(f"{base}/governor/")
    page.get_by_role("link", name="Открыли поликлинику в Гатчине.").click()
    expect(page.get_by_role("heading", name="Пост Губернатора")).to_be_visible()
    expect(page.get_by_test_id("first-window")).to_contain_text("Первые два рабочих часа")
    expect(page.locator("[data-testid=checks] tbody tr")).to_have_count(8)
    expect(page.locator("[data-testid=checks] tbody tr[data-state=due]")).to_have_count(8)

    questions = page.get_by_test_id("question")
    expect(questions).to_have_count(2)
    mine = questions.filter(has_text="терапевт")
    other = questions.filter(has_text="дорогу")
    expect(mine).to_contain_text("Здравоохранение")
    expect(mine.get_by_test_id("question-state")).to_have_text("новый")
    expect(other).to_contain_text("Дороги")
    # Another body's question: she may take it, not answer it.
    expect(other.get_by_role("button", name="Ответить")).to_have_count(0)
    expect(other.get_by_role("button", name="Взять в работу")).to_be_visible()
    expect(page.get_by_test_id("others")).to_contain_text(THANKS)

    mine.get_by_label("Ответ под комментарием").fill("Терапевт принимает с 11 ноября, запись открыта.")
    # the answer checker reads the answer as it is typed, as in the draft editor
    expect(mine.get_by_test_id("answer-score")).to_have_text("85")
    expect(mine.locator("li[data-code=no_greeting]")).to_contain_text("Нет приветствия")
    mine.get_by_role("button", name="Ответить").click()
    expect(page.locator(".messages")).to_contain_text("Ответ опубликован под комментарием.")
    mine = page.get_by_test_id("question").filter(has_text="терапевт")
    expect(mine.get_by_test_id("question-state")).to_have_text("ответ дан")
    expect(mine.get_by_role("link", name="https://vk.com/wall-200000001_103")).to_be_visible()

    [call] = fake_vk.calls("wall.createComment")
    assert call.params["reply_to_comment"] == str(health_cid)
