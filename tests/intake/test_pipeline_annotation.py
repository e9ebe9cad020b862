"""New messages are handed to the analysis (R-8.1, R-10) once their page is committed; repeats are not."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from otklik.intake.pipeline import upsert
from otklik.integrations.base import ParsedMessage

pytestmark = pytest.mark.django_db


def parsed(external_id: str, text: str) -> ParsedMessage:
    return ParsedMessage(network="vk", external_id=external_id, text_raw=text)


def queued_ids() -> list[int]:
    rows = DBTaskResult.objects.filter(task_path="otklik.analysis.tasks.annotate_messages_task").order_by(
        "id"
    )
    return [pk for r in rows for pk in r.args_kwargs["args"][0]]


def test_new_messages_are_queued_for_analysis_after_commit(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        report = upsert([parsed("1_10", "В Гатчине нет воды"), parsed("1_11", "Когда починят дорогу?")])
        assert queued_ids() == []  # not before the commit
    assert report.created == 2
    assert len(queued_ids()) == 2
    with django_capture_on_commit_callbacks(execute=True):
        again = upsert([parsed("1_10", "В Гатчине нет воды (изм.)")])
    assert again.updated == 1
    assert len(queued_ids()) == 2  # an update is not analysed again
