# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""R-7.1, R-7.2: an answer the network refuses after the body's head approved it (loopback fake VK). As in clause 8
(`cases.publishing.on_outbox_failed`), the executor who publishes the body's answers is told — a notice in the
system and by mail — that the approved answer was not published and must be posted by hand, and the question's
timeline records the failed publication with the network's reason; the approved text is kept. Found by a review
(session 18)."""

from __future__ import annotations

import pytest

from otklik.cases.models import Case, CaseEvent, Draft, Notification
from otklik.governor import actions
from tests.conftest import Personas
from tests.fakes.vk import FakeVK
from tests.governor.conftest import fake_vk, p  # noqa: F401 (the Governor's tests' own fixtures)
from tests.governor.helpers import client_for
from tests.governor.test_s5e_findings import vk_question

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте! Терапевт начнёт приём в поликлинике Гатчины 11 ноября."


def approved_by_the_head_and_refused_by_vk(p: Personas, fake: FakeVK) -> tuple[Case, list[str]]:
    """Health requires approval; Алексеева answers on the post page; VK refuses the reply (error 15) when the
    head, Яковлева, approves it. Returns the case and what Яковлева was shown."""
    actions.set_require_approval(p.health, p.health_head, True)
    c, _ = vk_question(fake)
    alice = client_for("alice")
    alice.post(
        f"/governor/questions/{c.case_id}/answer/",
        {"text": ANSWER, "seen": "0", "part": str(p.health.pk)},
    )
    case = Case.objects.get(pk=c.case_id)
    assert case.drafts.get().state == Draft.State.SUBMITTED
    fake.fail("wall.createComment", code=15)
    response = client_for("health_head").post(
        f"/governor/questions/{case.pk}/review/",
        {"decision": "approve", "part": str(p.health.pk)},
        follow=True,
    )
    assert response.status_code == 200
    case.refresh_from_db()
    return case, [str(m) for m in response.context["messages"]]


def test_r7_2_the_executor_learns_that_the_approved_answer_was_not_published(
    p: Personas, fake_vk: FakeVK
) -> None:
    """The head's page says «Согласовано; опубликуйте вручную…», and Алексеева, who wrote the answer and publishes
    by hand, gets a notice: the answer was approved but not published and is to be posted by hand, with the link
    confirmed on the post page."""
    case, said = approved_by_the_head_and_refused_by_vk(p, fake_vk)
    assert case.drafts.get().state == Draft.State.APPROVED  # the text is kept
    assert any("опубликуйте вручную" in s for s in said)
    notices = list(Notification.objects.filter(recipient=p.alice, case=case).values_list("text", flat=True))
    told = [t for t in notices if "Автоматическая публикация не удалась" in t]
    assert len(told) == 1, notices
    assert "отказала в публикации" in told[0] and "опубликуйте его вручную" in told[0], told
    assert not Notification.objects.filter(recipient=p.health_head, case=case, text__contains="не удалась")


def test_r7_2_the_failed_publication_is_recorded_on_the_question(p: Personas, fake_vk: FakeVK) -> None:
    """The question's history (the case page, read by the office and the head) shows the failed publication after
    «ответ согласован»: «Автоматическая публикация не удалась (сеть «ВКонтакте» отказала в публикации)…»."""
    case, _ = approved_by_the_head_and_refused_by_vk(p, fake_vk)
    failed = CaseEvent.objects.get(case=case, action="api_publish_failed")
    assert "Автоматическая публикация не удалась" in failed.reason, failed.reason
    assert "отказала в публикации" in failed.reason and "вручную" in failed.reason, failed.reason
    page = client_for("health_head").get(f"/cases/{case.pk}/").content.decode()
    assert "Автоматическая публикация не удалась" in page


def test_r7_2_the_executor_who_pressed_the_button_reads_it_on_the_page_not_twice(
    p: Personas, fake_vk: FakeVK
) -> None:
    """Without approval Алексеева's own «Ответить» publishes at once; VK refuses it and the page tells her so. The
    timeline records it; no second notice repeats what she has just read."""
    c, _ = vk_question(fake_vk)
    fake_vk.fail("wall.createComment", code=15)
    response = client_for("alice").post(
        f"/governor/questions/{c.case_id}/answer/",
        {"text": ANSWER, "seen": "0", "part": str(p.health.pk)},
        follow=True,
    )
    assert any("опубликуйте вручную" in str(m) for m in response.context["messages"])
    assert CaseEvent.objects.filter(case_id=c.case_id, action="api_publish_failed").count() == 1
    assert not Notification.objects.filter(recipient=p.alice, text__contains="не удалась").exists()
