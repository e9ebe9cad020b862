# ruff: noqa: F811 (the fixtures are imported by name and taken as arguments)
"""A post the Governor's page deletes is marked «Пост удалён в сети» and its checks stop; its questions still in
work are ended «ответ не нужен: пост удалён в сети: отвечать негде», their terms closed without a violation of the
body (R-7.2, R-7.4, R-12), and their executors told. Found by a review (session 18). Loopback fake VK; the post of
Friday 01.11.2024 17:30, its first window ending on the working Saturday 02.11 at 11:00, the checks at 13:45 and
15:45."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from otklik.cases import sla
from otklik.cases.models import Case, Notification
from otklik.governor import actions
from otklik.governor.models import Comment
from tests.cases.helpers import violations
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401
from tests.governor.helpers import HEALTH_QUESTION, comment, governor_vk
from tests.governor.test_checks_read_post_s18 import DeletingVK, deleting_vk, watched_post  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_question_under_a_post_deleted_in_the_network_is_no_violation_of_the_body(
    p: Personas, deleting_vk: DeletingVK
) -> None:
    """Житель 301 asks the health committee at 14:00 (due 16:00); the check run at 14:05 routes it. At 15:00 the
    Governor's page deletes the post; the check of 15:45 (run at 15:50) finds it gone and stops the checks. There is
    nowhere left to answer, yet at 16:30 Алексеева has a violation of clause 7.2 and the question is still open."""
    source = governor_vk(deleting_vk)
    post = watched_post(deleting_vk, source)
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 2, 14, 0), author="301")
    call_command("governor_checks", "--now", "2024-11-02T14:05:00+03:00")
    case = Comment.objects.get(message=question).case
    assert case is not None
    with deleting_vk.lock:
        deleting_vk.posts = [x for x in deleting_vk.posts if x["id"] != 103]
    call_command("governor_checks", "--now", "2024-11-02T15:50:00+03:00")
    post.watch.refresh_from_db()
    assert post.watch.post_deleted_at is not None

    sla.sweep(now=msk(2024, 11, 2, 16, 30))

    case.refresh_from_db()
    assert violations(case) == [], (
        f"the post was found deleted at 15:50, yet its question is «{case.get_status_display()}» and the body has "
        f"violations {violations(case)}"
    )
    assert case.status == Case.Status.CLOSED
    assert actions.not_needed_reasons(case) == ["пост удалён в сети: отвечать негде"]
    assert Notification.objects.filter(
        case=case, recipient=p.alice, text__contains="пост удалён в сети"
    ).exists()
