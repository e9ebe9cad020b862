"""R-8.4, R-8.3 (clauses 8.3–8.4): the e-mail to an executor about a new case says by when and where: the nearest
deadline (its stage and due time, Moscow time) and the case's address on the site (`OTKLIK_SITE_URL`).

Before: the letter was only «Новое обращение № 182 для органа «…».» — no deadline and no link; the executor had
to sign in and look for the case to learn when its draft was due."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.cases.models import Deadline
from otklik.intake.models import Message
from otklik.notify.services import case_letter
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _message() -> Message:
    return Message.objects.create(
        network="vk",
        external_id="wall-1_3182",
        url="https://vk.com/wall-1_3182",
        author_name="Анна",
        text="Когда починят лифт в доме 5 на Садовой?",
        published_at=msk(2025, 10, 1, 8, 0),
    )


def _dispatched(p: Personas, django_capture_on_commit_callbacks: Any) -> Any:
    p.alice.email = "alice@example.org"
    p.alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        return actions.dispatch_case(
            p.curator, [_message()], [Route(p.health, executor=p.alice)], now=msk(2025, 10, 1, 9, 0)
        )


def test_r8_4_the_new_case_letter_has_the_nearest_deadline_and_the_link(
    personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """R-8.4: dispatched on Wednesday 1 October 2025 at 9:00, the draft is due 5 working hours later; the letter
    says so in Moscow time and gives the case's absolute address."""
    settings.OTKLIK_SITE_URL = "https://otklik.example/"
    case = _dispatched(personas, django_capture_on_commit_callbacks)
    (letter,) = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    draft = Deadline.objects.get(case=case, stage=Deadline.Stage.DRAFT)
    due = draft.due_at.astimezone(ZoneInfo("Europe/Moscow"))
    assert due.date() == msk(2025, 10, 1).date()  # the same working day, not a window like the one of п. 8.2
    assert f"Новое обращение № {case.pk}" in letter.body
    assert f"Срок: направить проект (п. 8.4) — до {due:%d.%m.%Y %H:%M} (мск)" in letter.body
    assert f"Обращение № {case.pk}: https://otklik.example/cases/{case.pk}/" in letter.body


def test_r8_4_the_letter_names_the_recipients_own_nearest_open_deadline(
    personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """R-8.4, R-8.2: the window to refuse (п. 8.2) is no obligation and is not «the deadline»; a met deadline is
    not the nearest any more; without a site address the letter still names the case with its path."""
    settings.OTKLIK_SITE_URL = ""
    case = _dispatched(personas, django_capture_on_commit_callbacks)
    draft = Deadline.objects.get(case=case, stage=Deadline.Stage.DRAFT)
    draft.met_at = msk(2025, 10, 1, 10, 0)
    draft.save()
    overall = Deadline.objects.get(case=case, stage=Deadline.Stage.OVERALL)
    text = case_letter(case, "Текст", personas.alice)
    due = overall.due_at.astimezone(ZoneInfo("Europe/Moscow"))
    assert f"Срок: подготовка и размещение ответа (п. 8.3) — до {due:%d.%m.%Y %H:%M} (мск)" in text
    assert f"Обращение № {case.pk}: /cases/{case.pk}/" in text
    # a person with no deadline of the case gets the link only
    assert "Срок:" not in case_letter(case, "Текст", personas.dave)


def test_r7_1_a_letter_about_a_question_under_the_governors_post_leads_to_the_post(
    personas: Personas, settings: Any
) -> None:
    """R-7.1: a question under the Governor's post is answered on the post's page; the letter about it links there,
    to the question, as the in-app notice does — not to the case page."""
    from otklik.governor import service
    from otklik.governor.models import Comment
    from tests.governor.helpers import (
        HEALTH_QUESTION,
        HEALTH_TOPIC,
        comment,
        competence,
        governor_post,
        governor_source,
    )

    settings.OTKLIK_SITE_URL = "https://otklik.example"
    competence(personas.health, *HEALTH_TOPIC)
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30))
    service.open_watches(now=msk(2024, 11, 1, 17, 31))
    asked = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    question = Comment.objects.get(message=asked)
    case, watch_pk = question.case, question.watch_id
    assert case is not None
    letter = case_letter(case, "Новый вопрос", personas.alice)
    assert letter.endswith(
        f"{case}: https://otklik.example/governor/posts/{watch_pk}/#comment-{question.pk}"
    ), letter
