"""The weekly retraining of the topic model waits on a queue of its own («training», with its own worker started by
`make run`), so the worker that analyses new messages never has a training ahead of them (docs/operations.md
§ Processes)."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from otklik.analysis.tasks import retrain_topics_task

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_retraining_is_queued_apart_from_the_analysis() -> None:
    result = retrain_topics_task.enqueue()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.queue_name == "training"
    # what the analysis worker (`otklik db_worker`, queue «default») would take: not the training
    assert not DBTaskResult.objects.ready().filter(queue_name="default").exists()
