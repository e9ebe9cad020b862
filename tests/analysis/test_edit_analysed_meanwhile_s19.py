"""R-4, R-10 with two task workers (docs/operations.md: «A busy office can start a second `otklik db_worker`»): the
author cleans up an abusive comment while the first worker is still analysing the page the comment came in; the
second worker analyses the edited text first. The first worker's verdict on the text as it was is dropped (the
text is read again under the row lock before storing), so the comment that reads clean is in the curator's inbox.
The interleaving is driven step by step with the real pipeline and the real task. Found by a review (session 19)."""

from __future__ import annotations

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from otklik.analysis.pipeline import annotate_message, is_blocked
from otklik.analysis.tasks import annotate_messages_task, expand_ids
from otklik.intake.models import Message
from otklik.intake.pipeline import upsert
from otklik.integrations.base import ParsedMessage

pytestmark = pytest.mark.django_db

ABUSIVE = "Когда починят эту х*ёвую дорогу на Соборной улице в Гатчине, уроды? Ямы по колено."
CLEAN = "Когда починят дорогу на Соборной улице в Гатчине? Ямы по колено."


def _deliver(text: str, revision: int, capture: Any) -> None:
    with capture(execute=True):
        upsert(
            [
                ParsedMessage(
                    network="vk",
                    external_id="-1_5_77",
                    text_raw=text,
                    author_id="77",
                    author_name="Пётр Иванов",
                    revision=revision,
                )
            ]
        )


def _queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path__endswith="annotate_messages_task").order_by("id"))


def test_a_comment_cleaned_up_while_its_page_was_analysed_is_not_left_excluded(
    django_capture_on_commit_callbacks: Any,
) -> None:
    _deliver(ABUSIVE, 1_700_000_000, django_capture_on_commit_callbacks)
    [first_task] = _queued()
    # worker A takes the page's task and reads its messages (as `annotate_messages_task` does) …
    ids = expand_ids(first_task.args_kwargs["args"][0])
    read_by_a = list(Message.objects.select_related("source", "post").filter(pk__in=ids).order_by("pk"))
    # … meanwhile the author's edit is stored and worker B analyses it
    _deliver(CLEAN, 1_700_000_600, django_capture_on_commit_callbacks)
    # the task ids are UUIDs: the edit's task is the one that is not the first
    [second_task] = [t for t in _queued() if t.pk != first_task.pk]
    annotate_messages_task.call(*second_task.args_kwargs["args"])
    message = Message.objects.get(external_id="-1_5_77")
    assert message.text == CLEAN and not is_blocked(message)
    # worker A gets to the message it read
    for m in read_by_a:
        annotate_message(m)
    assert not is_blocked(message), (
        "the comment reads clean now but the verdict on its earlier abusive text, stored last, excludes it"
    )
