# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""A question under the Governor's post that the checks' run ended «ответ не нужен: комментарий удалён автором в
сети» is in work again when its author restores the comment in VK (`wall_reply_restore` → the deletion mark
cleared): the next run gives its body a new 2 working hours from then and tells the executor (R-7.2). Found by a
review (session 18). Tuesday 05.11.2024, the post at 10:00."""

from __future__ import annotations

import pytest
from django.utils import timezone

from otklik.cases.models import Case, Notification
from otklik.governor import service
from otklik.governor.models import Comment
from otklik.intake.models import DeletedHow
from otklik.intake.pipeline import clear_deleted, mark_deleted
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import HEALTH_QUESTION, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def test_a_question_its_author_restored_is_in_work_again(p: Personas) -> None:
    """Житель 301 asks at 10:20, deletes his comment at 10:30 and restores it at 10:37 (the checks' run at 10:35 had
    ended the question in between). At 10:40 the comment is in the network and Otklik knows it, but its question is
    closed «ответ не нужен»."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=question).case
    assert case is not None
    mark_deleted(
        "vk",
        [question.external_id],
        DeletedHow.EVENT,
        by={question.external_id: "301"},
        at=msk(2024, 11, 5, 10, 30),
    )
    assert service.run_checks(now=msk(2024, 11, 5, 10, 35), fetch=False).withdrawn == 1

    clear_deleted("vk", [question.external_id])  # VK wall_reply_restore
    service.run_checks(now=msk(2024, 11, 5, 10, 40), fetch=False)

    question.refresh_from_db()
    case.refresh_from_db()
    assert question.deleted_at is None
    assert case.status in Case.OPEN_STATUSES, (
        f"the restored question is «{case.get_status_display()}»: nobody answers it"
    )
    running = case.deadlines.filter(met_at__isnull=True, cancelled_at__isnull=True)
    assert [timezone.localtime(d.due_at) for d in running] == [msk(2024, 11, 5, 12, 40)]
    told = Notification.objects.filter(case=case, recipient=p.alice, text__contains="снова в работе")
    assert told.exists()
    assert case.events.filter(action="gov_restored").count() == 1
    service.run_checks(now=msk(2024, 11, 5, 10, 45), fetch=False)
    assert case.events.filter(action="gov_restored").count() == 1, "reopened once"
