"""The Governor's post page in a browser (R-7.3): after an interim answer the body's executor gives the answer under
the comment without waiting for the author's details; the question waiting for the author cannot be handed over."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.cases.models import Case
from otklik.governor import actions, service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.e2e.test_case_workflow import open_case
from tests.e2e.test_login_directory import login
from tests.governor.helpers import (
    HEALTH_QUESTION,
    HEALTH_TOPIC,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

POST_AT = msk(2024, 11, 5, 10, 0)
ANSWER = "Здравствуйте! Терапевт начнёт приём в поликлинике Гатчины 11 ноября."


def test_the_body_answers_after_an_interim_answer_without_the_author_s_details(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-7.3: Алексеева's interim answer (05.11.2024 10:45, published by hand) asks the author nothing; the clinic
    answers, and she gives the answer from the post's page: the form is still there, the hand-over, offered while
    she drafted, is not, and the question ends «ответ дан»."""
    p = personas
    competence(p.health, *HEALTH_TOPIC)
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    msg = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="201")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=msg).case
    assert case is not None
    login(page, live_server.url, "alice")
    open_case(page, live_server.url, "Мои обращения", case.pk)
    page.get_by_test_id("governor-post-link").click()
    question = page.get_by_test_id("question").filter(has_text="терапевт")
    expect(question.get_by_text("Передать другому органу")).to_be_visible()  # while drafting

    interim = "Здравствуйте! Запросили поликлинику, ответим в течение недели."
    actions.submit_answer(case, p.alice, interim, interim=True, now=msk(2024, 11, 5, 10, 40))
    actions.confirm_publication(
        case, method="manual", url=f"{post.url}?reply=9", actor=p.alice, now=msk(2024, 11, 5, 10, 45)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR

    page.reload()
    question = page.get_by_test_id("question").filter(has_text="терапевт")
    expect(question.get_by_test_id("question-state")).to_have_text("ждёт ответа автора")
    expect(question).to_contain_text(interim)
    expect(question.get_by_text("другому органу")).to_have_count(0)
    question.get_by_label("Ответ под комментарием").fill(ANSWER)
    question.get_by_role("button", name="Ответить").click()

    # no API to publish through: the executor places it by hand and gives the link
    expect(page.locator(".messages")).to_contain_text("опубликуйте вручную и укажите ссылку")
    question = page.get_by_test_id("question").filter(has_text="терапевт")
    expect(question).to_contain_text(ANSWER)
    question.get_by_placeholder("Ссылка на опубликованный ответ").fill(f"{post.url}?reply=10")
    question.get_by_role("button", name="Подтвердить публикацию").click()
    expect(page.locator(".messages")).to_contain_text("Публикация подтверждена.")
    question = page.get_by_test_id("question").filter(has_text="терапевт")
    expect(question.get_by_test_id("question-state")).to_have_text("ответ дан")
    expect(question.get_by_role("button", name="Ответить")).to_have_count(0)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
