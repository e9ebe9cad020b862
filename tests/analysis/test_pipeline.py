"""The pipeline task stores suggestions; blocked messages are marked and kept; repeats are found."""

from __future__ import annotations

from typing import Any

import pytest

from otklik.analysis.importance import assess
from otklik.analysis.models import Kind, Suggestion
from otklik.analysis.pipeline import is_blocked, record_decision, suggestions_for
from otklik.analysis.repeats import find_repeats
from otklik.analysis.tasks import annotate_message_task, compress_ids, expand_ids
from otklik.intake.models import Message
from tests.conftest import Personas

from .conftest import make_message


def test_task_stores_every_kind_of_suggestion(directory: None) -> None:
    message = make_message("В Гатчине третий день нет горячей воды во всём доме, дети моются в тазике")
    stored = annotate_message_task.call(message.pk)
    assert stored == 6
    found = suggestions_for(message)
    assert set(found) >= {"moderation", "place", "topic", "body", "importance", "repeat", "blocked"}
    assert found["blocked"] is False
    assert found["place"]["value"]["municipality"] == "Гатчинский муниципальный район"
    assert found["importance"]["value"]["level"] == "high"
    assert found["topic"]["model_version"]
    assert len(found["topic"]["value"]["top"]) == 3
    municipal = [b for b in found["body"]["value"]["bodies"] if b["municipal"]]
    assert all("Гатчинского" in b["body"] for b in municipal)


def test_blocked_message_is_marked_kept_and_can_be_overturned(personas: Personas, directory: None) -> None:
    message = make_message("Глава района — мразь, бл@ть")
    annotate_message_task.call(message.pk)
    assert is_blocked(message)
    assert Message.objects.filter(pk=message.pk).exists()
    kinds = set(Suggestion.objects.filter(message=message).values_list("kind", flat=True))
    assert kinds == {Kind.MODERATION}
    record_decision(message, Kind.MODERATION, {"blocked": False}, personas.curator)
    assert not is_blocked(message)
    assert suggestions_for(message)["moderation"]["decision"]["by"] == personas.curator.pk


def test_repeat_found_with_the_earlier_message_and_similarity(db: None) -> None:
    first = make_message("Во дворе дома 5 на улице Ленина не горят фонари уже неделю", author="u1")
    make_message("Спасибо за новую детскую площадку в парке", author="u2")
    again = make_message("Во дворе дома 5 на ул. Ленина уже неделю не горят фонари!!!", author="u3")
    repeats = find_repeats(again)
    assert repeats and repeats[0].message_id == first.pk
    assert repeats[0].similarity >= 0.75
    assert not repeats[0].same_author
    assert find_repeats(first) == []


def test_importance_reasons() -> None:
    high = assess("Пожар в подъезде, дым на всех этажах")
    assert high.level == "high" and "пожар" in high.reasons
    assert assess("Весь поселок без света второй день").level == "high"
    assert assess("Просим покрасить скамейку у подъезда").level == "normal"
    assert assess("Просим покрасить скамейку", {"views": 5000}).level == "high"


def test_enqueue_annotation_queues_a_task_for_the_new_messages_that_annotates_them(
    directory: None, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from otklik.analysis.pipeline import enqueue_annotation

    first = make_message("В Гатчине третий день нет горячей воды во всём доме")
    second = make_message("Глава района — мразь")
    with django_capture_on_commit_callbacks(execute=True):
        # The queue is this database's table: the task is written in the caller's transaction.
        ids = enqueue_annotation([first.pk, second.pk, first.pk])
    assert len(ids) == 1  # one task per page of new messages, duplicates dropped
    queued = DBTaskResult.objects.filter(task_path__endswith="annotate_messages_task")
    assert [expand_ids(r.args_kwargs["args"][0]) for r in queued] == [[first.pk, second.pk]]
    # Run what was queued as the worker would (the db_worker command itself closes the database
    # connections when it stops, which would end this test's transaction on PostgreSQL).
    for result in queued:
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
    # every kind of suggestion, and no mark of a failed analysis
    every = set(Kind.values) - {Kind.ANALYSIS}
    assert set(Suggestion.objects.filter(message=first).values_list("kind", flat=True)) == every
    assert is_blocked(second)


@pytest.mark.parametrize(
    ("ids", "compressed"),
    [
        ([5, 6, 7, 8], [[5, 8]]),
        ([1, 3, 4, 9], [1, [3, 4], 9]),
        ([10, 2, 3, 2], [[2, 3], 10]),
        ([], []),
    ],
)
def test_task_arguments_carry_runs_of_ids(ids: list[int], compressed: list[object]) -> None:
    assert compress_ids(ids) == compressed
    assert expand_ids(compress_ids(ids)) == sorted(set(ids))
