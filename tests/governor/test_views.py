"""The post page and its forms through the Django test client (R-7.1, R-7.4): who sees what, who may act."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.cases.models import Case
from otklik.governor import actions
from otklik.governor.models import Comment, GovernorSettings
from tests.conftest import Personas, make_person, msk
from tests.governor.helpers import (
    HEALTH_QUESTION,
    THANKS,
    answer_link,
    client_for,
)

pytestmark = pytest.mark.django_db


def test_post_page_needs_a_login_and_a_workflow_role(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    _, watch_pk, _, _ = post_with_question
    url = f"/governor/posts/{watch_pk}/"
    assert Client().get(url).status_code == 302
    make_person("nobody", None)
    assert client_for("nobody").get(url).status_code == 404
    page = client_for("dave").get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Проверки новых комментариев (п. 7.4)" in text and THANKS in text
    # in the words of the office: every 2 working hours for two working days (16 h), not in minutes
    assert "Каждые 2 ч рабочего времени в течение 16 ч рабочего времени (двое суток)" in text
    assert "просрочен" in text  # the 2024 question is long overdue by the real clock


def test_another_bodys_executor_cannot_answer_but_can_take_with_a_record(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    p, _, case, thanks = post_with_question
    dave = client_for("dave")
    dave.post(f"/governor/questions/{case.pk}/answer/", {"text": "Не наш ответ"})
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING and not case.drafts.exists()
    dave.post(f"/governor/comments/{Comment.objects.get(case=case).pk}/take/", {"body": p.roads.pk})
    assert case.assignments.exclude(state="replaced").get().body == p.roads
    dave.post(f"/governor/comments/{thanks.pk}/take/", {"body": p.roads.pk})
    thanks.refresh_from_db()
    assert thanks.case is not None and thanks.case.origin == Case.Origin.GOVERNOR_POST


def test_only_the_responsible_official_switches_approval(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    p, watch_pk, _, _ = post_with_question
    url = f"/governor/posts/{watch_pk}/approval/"
    assert client_for("alice").post(url, {"body": p.health.pk, "require_approval": "1"}).status_code == 404
    assert client_for("curator").post(url, {"body": p.health.pk, "require_approval": "1"}).status_code == 404
    client_for("health_head").post(url, {"body": p.health.pk, "require_approval": "1"})
    assert GovernorSettings.objects.get(body=p.health).require_approval is True


def test_the_case_page_of_a_governor_question_leads_to_the_post_page(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    _, watch_pk, case, _ = post_with_question
    page = client_for("alice").get(f"/cases/{case.pk}/").content.decode()
    assert "Вопрос под постом Губернатора (п. 7 Положения)" in page
    assert f'href="/governor/posts/{watch_pk}/"' in page
    # the body works the question without the curator; whoever opened it is not called «куратор» (and
    # after a hand-over it is another body's anyway)
    assert "в работе органа, без куратора (п. 7.1)" in page
    assert f"куратор {case.dispatched_by}" not in page


def test_a_curator_case_page_names_its_curator(personas: Personas) -> None:
    from tests.cases.helpers import dispatch

    case = dispatch(personas.curator, personas.health, at=msk(2025, 3, 12, 10, 0))
    page = client_for("alice").get(f"/cases/{case.pk}/").content.decode()
    assert f"куратор {personas.curator}" in page


def test_a_curator_case_page_has_no_governor_link(personas: Personas) -> None:
    from tests.cases.helpers import dispatch

    case = dispatch(personas.curator, personas.health, at=msk(2025, 3, 12, 10, 0))
    page = client_for("alice").get(f"/cases/{case.pk}/").content.decode()
    assert "Вопрос под постом Губернатора" not in page


def test_the_answer_is_confirmed_only_by_a_link_in_the_posts_network(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    """R-7.2: the answer goes under the comment, so a link to another network does not close the question."""
    p, _, case, _ = post_with_question
    actions.submit_answer(case, p.alice, "Терапевт начнёт приём 11 ноября.", now=msk(2024, 11, 2, 11, 20))
    alice = client_for("alice")
    page = alice.post(
        f"/governor/questions/{case.pk}/confirm/", {"url": "https://t.me/somechannel/5"}, follow=True
    )
    assert "ВКонтакте, а ссылка ведёт на t.me" in page.content.decode()
    case.refresh_from_db()
    assert case.status != Case.Status.CLOSED
    # under this post, not under another of the Governor's posts
    page = alice.post(
        f"/governor/questions/{case.pk}/confirm/",
        {"url": "https://vk.com/wall-1_999999?reply=9"},
        follow=True,
    )
    assert "Ссылка ведёт на другой пост ВКонтакте" in page.content.decode()
    case.refresh_from_db()
    assert case.status != Case.Status.CLOSED
    alice.post(f"/governor/questions/{case.pk}/confirm/", {"url": answer_link(case, 9)})
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_the_post_page_marks_comments_deleted_in_the_network(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    """R-4, R-7.4: a question and an ordinary comment the authors deleted in the network stay on the post page,
    marked «Удалено автором в сети <дата>»."""
    from otklik.intake.models import DeletedHow
    from otklik.intake.pipeline import mark_deleted

    _, watch_pk, case, thanks = post_with_question
    question = case.case_messages.get().message
    for m in (question, thanks.message):
        mark_deleted(
            m.network,
            [m.external_id],
            DeletedHow.EVENT,
            by={m.external_id: m.author_id},
            at=msk(2024, 11, 1, 18, 5),
        )
    text = client_for("dave").get(f"/governor/posts/{watch_pk}/").content.decode()
    assert text.count('data-testid="deleted-in-network"') == 2
    assert "Удалено автором в сети 01.11.2024 18:05" in text
    assert HEALTH_QUESTION in text and THANKS in text


def test_the_case_page_of_a_governor_question_offers_no_clause_8_actions(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    """R-7.1: a question under a Governor's post is answered on the post page without the curator; its case
    page offers neither the executor's clause-8 forms (refusal to the curator, a draft for the curator) nor the
    curator's (reassign, close), which would all be refused."""
    personas, _, case, _ = post_with_question
    executor = client_for("alice").get(f"/cases/{case.pk}/").content.decode()
    assert "Вопрос под постом Губернатора (п. 7 Положения)" in executor
    assert f"/cases/{case.pk}/assignments/" not in executor  # «Не наша компетенция» → the curator
    assert f"/cases/{case.pk}/draft/" not in executor
    curator = Client()
    curator.force_login(personas.curator)
    page = curator.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/close/" not in page and f"/cases/{case.pk}/assignments/" not in page


def test_the_questions_case_number_opens_the_case_for_those_who_may_open_it(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    """R-7.1: on the post page the question's case number is a link to the case for its body and the curator; an
    executor of another body, who may read the post page but not the case, sees the number only."""
    _, watch_pk, case, _ = post_with_question
    url = f"/governor/posts/{watch_pk}/"
    link = f'<a href="/cases/{case.pk}/" data-testid="case-link">№ {case.pk}</a>'
    for username in ("alice", "curator"):
        page = client_for(username).get(url).content.decode()
        assert link in page, username
        assert client_for(username).get(f"/cases/{case.pk}/").status_code == 200
    page = client_for("dave").get(url).content.decode()
    assert link not in page and f"Обращение № {case.pk}" in page
    assert client_for("dave").get(f"/cases/{case.pk}/").status_code == 404


def test_a_notice_of_a_governor_question_leads_to_the_question_on_the_post_page(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    """R-7.1: the question is answered and approved on the post page, so its notices («Вопрос под постом
    Губернатора № …», «… ждёт согласования») lead there, to the question; other notices lead to the case."""
    _, watch_pk, case, _ = post_with_question
    question = Comment.objects.get(case=case)
    page = client_for("alice").get("/cases/notifications/").content.decode()
    assert (
        f'<a href="/governor/posts/{watch_pk}/#comment-{question.pk}">Вопрос под постом Губернатора № {case.pk}'
        in page
    )
    assert f'href="/cases/{case.pk}/"' not in page


def test_the_post_list_counts_the_questions_in_work_and_those_of_ones_own_body(
    post_with_question: tuple[Personas, int, Case, Comment],
) -> None:
    """R-7.1, R-7.2: an executor sees at once under which posts questions wait, and which are her body's: the
    health question counts for health (1 of 1) and not for roads (0 of 1); the curator, of no body, sees the
    total; the thank-you is no question; an answered question no longer counts."""
    p, watch_pk, case, _ = post_with_question

    def cell(username: str) -> str:
        page = client_for(username).get("/governor/").content.decode()
        row = page[page.index(f'<tr data-watch="{watch_pk}">') :]
        found = re.search(r'data-testid="open-questions">(.*?)</td>', row, re.S)
        assert found, row[:500]
        return re.sub(r"<[^>]+>", "", found.group(1)).strip()

    assert (cell("alice"), cell("dave"), cell("curator")) == ("1 (1)", "1 (0)", "1")
    actions.submit_answer(case, p.alice, "Терапевт начнёт приём 11 ноября.", now=msk(2024, 11, 2, 11, 20))
    actions.confirm_publication(
        case, method="manual", url=answer_link(case, 9), actor=p.alice, now=msk(2024, 11, 2, 11, 21)
    )
    assert (cell("alice"), cell("curator")) == ("0 (0)", "0")
