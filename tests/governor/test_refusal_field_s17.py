"""R-7.1, R-7.2: a refused form on the Governor's post page marks the field the refusal is about.

The page holds a form of each kind for every question and every body answering it, so a refusal names its
field by id («#answer-<case>-<body>»): after the redirect the page focuses that field, marks it and says why
beside it (base.html `data-field`, otklik.js), and what was typed there comes back in it.
"""

from __future__ import annotations

import re

import pytest

from otklik.cases.models import Case
from otklik.governor import actions, service
from otklik.governor.models import Comment, GovernorSettings
from tests.cases.helpers import marked_field
from tests.conftest import Personas, msk
from tests.governor.helpers import client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db

Setup = tuple[Personas, int, Case, Comment]


def _field(html: str, field_id: str) -> str:
    """The element of the page with this id (its opening tag), «» when there is none."""
    found = re.search(rf'<(?:input|textarea)[^>]*\bid="{re.escape(field_id)}"[^>]*>', html)
    return found.group(0) if found else ""


def test_an_answer_of_spaces_marks_the_answer_of_that_question(post_with_question: Setup) -> None:
    p, _, case, _ = post_with_question
    page = client_for("alice").post(f"/governor/questions/{case.pk}/answer/", {"text": "   "}, follow=True)
    html = page.content.decode()
    assert "Текст ответа пуст." in html
    field = f"answer-{case.pk}-{p.health.pk}"
    assert marked_field(html) == f"#{field}"
    assert _field(html, field).startswith("<textarea")


def test_an_answer_too_long_for_the_network_marks_the_answer_and_keeps_it(post_with_question: Setup) -> None:
    p, _, case, _ = post_with_question
    text = "Терапевт начнёт приём в поликлинике Гатчины 11 ноября. " * 400  # VK takes 16 384 characters
    page = client_for("alice").post(f"/governor/questions/{case.pk}/answer/", {"text": text}, follow=True)
    html = page.content.decode()
    assert "Сеть не примет такой ответ" in html
    assert marked_field(html) == f"#answer-{case.pk}-{p.health.pk}"
    assert text.strip()[:200] in html  # the typed answer is back in its form
    case.refresh_from_db()
    assert not case.drafts.exists()


def test_a_return_without_a_remark_marks_the_remark(post_with_question: Setup) -> None:
    p, _, case, _ = post_with_question
    GovernorSettings.objects.create(body=p.health, require_approval=True, updated_by=p.health_head)
    actions.submit_answer(case, p.alice, "Терапевт начнёт приём 11 ноября.", now=msk(2024, 11, 2, 11, 20))
    head = client_for("health_head")
    page = head.post(
        f"/governor/questions/{case.pk}/review/", {"decision": "return", "comment": " "}, follow=True
    )
    html = page.content.decode()
    assert "Напишите замечание" in html
    field = f"return-comment-{case.pk}-{p.health.pk}"
    assert marked_field(html) == f"#{field}" and _field(html, field)
    # approving needs no remark: nothing refused, nothing marked
    page = head.post(f"/governor/questions/{case.pk}/review/", {"decision": "approve"}, follow=True)
    assert marked_field(page.content.decode()) == ""


def test_a_link_to_another_network_marks_the_link_and_keeps_it(post_with_question: Setup) -> None:
    p, _, case, _ = post_with_question
    actions.submit_answer(case, p.alice, "Терапевт начнёт приём 11 ноября.", now=msk(2024, 11, 2, 11, 20))
    page = client_for("alice").post(
        f"/governor/questions/{case.pk}/confirm/", {"url": "https://t.me/somechannel/5"}, follow=True
    )
    html = page.content.decode()
    assert "ссылка ведёт на t.me" in html
    field = f"confirm-url-{case.pk}-{p.health.pk}"
    assert marked_field(html) == f"#{field}"
    assert 'value="https://t.me/somechannel/5"' in _field(html, field)
    # shown once: the next visit of the page has neither the mark nor the link
    again = client_for("alice").get(page.redirect_chain[-1][0]).content.decode()
    assert marked_field(again) == "" and "t.me/somechannel" not in again


def test_a_hand_over_without_a_reason_marks_the_reason(post_with_question: Setup) -> None:
    p, _, case, _ = post_with_question
    page = client_for("alice").post(
        f"/governor/questions/{case.pk}/handover/", {"body": p.roads.pk, "reason": "  "}, follow=True
    )
    html = page.content.decode()
    assert "Укажите, почему вопрос передаётся." in html
    field = f"handover-reason-{case.pk}-{p.health.pk}"
    assert marked_field(html) == f"#{field}" and _field(html, field)


def test_a_refusal_about_no_field_marks_none(post_with_question: Setup) -> None:
    """Another body's executor may not answer: the message says so, and no field of the page is hers to mend."""
    _, _, case, _ = post_with_question
    page = client_for("dave").post(
        f"/governor/questions/{case.pk}/answer/", {"text": "Не наш ответ"}, follow=True
    )
    html = page.content.decode()
    assert 'class="error"' in html and marked_field(html) == ""


@pytest.mark.usefixtures("personas")
def test_no_reason_why_no_answer_is_needed_marks_that_questions_reason() -> None:
    post = governor_post(governor_source(), msk(2024, 11, 5, 9, 0))
    service.open_watches(now=msk(2024, 11, 5, 9, 1))
    first = comment(post, "Когда откроют библиотеку в Сиверском?", msk(2024, 11, 5, 10, 0))
    second = comment(
        post, "А почему бы не открыть библиотеку и в Вырице?", msk(2024, 11, 5, 10, 5), author="102"
    )
    service.process_comments(now=msk(2024, 11, 5, 10, 10))
    one, two = (Comment.objects.get(message=m) for m in (first, second))
    assert one.case is None and two.case is None  # no body is competent: the curator decides
    page = client_for("curator").post(f"/governor/comments/{two.pk}/dismiss/", {"reason": "  "}, follow=True)
    html = page.content.decode()
    assert "Напишите, почему ответ органа не нужен." in html
    assert marked_field(html) == f"#dismiss-reason-{two.pk}"
    assert _field(html, f"dismiss-reason-{two.pk}") and _field(html, f"dismiss-reason-{one.pk}")


REQUEST = "Уточните, пожалуйста, адрес поликлиники, в которой вам отказали в записи к терапевту."


def _answer_form(html: str, case: Case, body_id: int) -> str:
    """The answer form of the body's part of the question (from its textarea back to its <form>, on to </form>)."""
    textarea = html.index(f'id="answer-{case.pk}-{body_id}"')
    start = html.rindex("<form", 0, textarea)
    return html[start : html.index("</form>", textarea)]


def test_an_interim_answer_refused_as_stale_comes_back_still_marked_interim(
    post_with_question: Setup,
) -> None:
    """R-7.3: an executor's request for the author's details is refused (the page went stale meanwhile). It comes
    back in its form with «Промежуточный ответ» still ticked: sent again as it came back, it is still a request
    for details, not a final answer that would close the question without them."""
    p, watch_pk, case, _ = post_with_question
    GovernorSettings.objects.create(body=p.health, require_approval=True, updated_by=p.health_head)
    alice = client_for("alice")
    page = alice.get(f"/governor/posts/{watch_pk}/").content.decode()
    seen = re.search(r'name="seen" value="(\d+)"', page)
    assert seen is not None
    # meanwhile a colleague answers and the head returns that answer: alice's page is now stale
    actions.submit_answer(case, p.bob, "Терапевт начнёт приём 11 ноября.", now=msk(2024, 11, 1, 17, 50))
    actions.return_answer(case, p.health_head, "Уточните у автора адрес.", now=msk(2024, 11, 1, 17, 55))

    refused = alice.post(
        f"/governor/questions/{case.pk}/answer/",
        {"text": REQUEST, "interim": "1", "seen": seen.group(1), "part": p.health.pk},
        follow=True,
    )
    html = refused.content.decode()
    assert "изменил другой сотрудник" in html and "сохранён в поле ответа" in html  # refused as stale
    form = _answer_form(html, case, p.health.pk)
    assert REQUEST in form  # the text is kept …
    checkbox = re.search(r'<input type="checkbox" name="interim"[^>]*>', form)
    assert checkbox is not None
    assert "checked" in checkbox.group(0), "a request for details came back as a final answer"
