"""New messages are handed to the analysis (R-8.1, R-10) with their page, atomically; repeats are not."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from otklik.analysis.tasks import expand_ids
from otklik.intake.models import Message
from otklik.intake.pipeline import upsert
from otklik.integrations.base import ParsedMessage

pytestmark = pytest.mark.django_db


def parsed(external_id: str, text: str) -> ParsedMessage:
    return ParsedMessage(network="vk", external_id=external_id, text_raw=text)


def queued_ids() -> list[int]:
    rows = DBTaskResult.objects.filter(task_path="otklik.analysis.tasks.annotate_messages_task").order_by(
        "id"
    )
    return [pk for r in rows for pk in expand_ids(r.args_kwargs["args"][0])]


def test_new_messages_are_queued_for_analysis_with_their_page_or_not_at_all(
    django_capture_on_commit_callbacks: Any,
) -> None:
    class Crash(Exception):
        pass

    with pytest.raises(Crash), transaction.atomic():  # the page fails after its messages were written
        upsert([parsed("1_10", "В Гатчине нет воды"), parsed("1_11", "Когда починят дорогу?")])
        raise Crash
    assert queued_ids() == [] and not Message.objects.exists()  # no task for messages that do not exist
    with django_capture_on_commit_callbacks(execute=True):
        report = upsert([parsed("1_10", "В Гатчине нет воды"), parsed("1_11", "Когда починят дорогу?")])
    assert report.created == 2
    assert sorted(queued_ids()) == sorted(Message.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        again = upsert([parsed("1_10", "В Гатчине нет воды"), parsed("1_11", "Когда починят дорогу?")])
    assert again.updated == 2
    assert len(queued_ids()) == 2  # the same text delivered again is not analysed again
    with django_capture_on_commit_callbacks(execute=True):
        edited = upsert([parsed("1_10", "В Гатчине нет воды (изм.)")])
    assert edited.updated == 1
    # the author's edit is analysed as it reads now (R-10; session 18)
    first = Message.objects.get(external_id="1_10").pk
    assert sorted(queued_ids()) == sorted([*Message.objects.values_list("pk", flat=True), first])
