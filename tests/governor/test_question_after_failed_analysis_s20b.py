"""R-7.1 with R-8.1: a question under the Governor's post whose analysis failed (an installation topic model that
loads but fails on use) is kept as a question with no body — counted «Без органа» where the bodies and the curators
look — and, once the analysis's retry succeeds (`analysis.failures`), the next run of the checks triages it again and
routes it to the competent body with its term (`governor.service.ANALYSIS_PENDING`). Since the analysis stopped
raising on a failure (it records the moderation and the mark instead), the comment stayed without a body for good.
Found by a review (session 20b)."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from otklik.analysis.place import reset_gazetteer
from otklik.analysis.repeats import reset_repeat_index
from otklik.analysis.tasks import annotate_messages_task
from otklik.analysis.topics import default_model_dir, reload_topic_model
from otklik.governor import service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.governor.helpers import (
    HEALTH_QUESTION,
    HEALTH_TOPIC,
    ROADS_TOPIC,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.VAR_DIR = tmp_path
    reset_gazetteer()
    reset_repeat_index()
    reload_topic_model()
    yield tmp_path
    reload_topic_model()
    reset_gazetteer()
    reset_repeat_index()


def _model_failing_on_use(var_dir: Path) -> Path:
    """An installation model whose files read, but whose list of topics does not match its weights."""
    target = var_dir / "models" / "topics-installation-20241101030000"
    shutil.copytree(default_model_dir(), target)
    with gzip.open(target / "model.json.gz", "rt", encoding="utf-8") as fh:
        head = json.load(fh)
    head["version"], head["classes"] = "topics-installation-20241101030000", []
    with gzip.open(target / "model.json.gz", "wt", encoding="utf-8") as fh:
        json.dump(head, fh, ensure_ascii=False)
    return target


def _run_queued_analysis() -> None:
    """What `otklik db_worker` does with the queued analysis tasks once they are due."""
    for row in DBTaskResult.objects.filter(task_path__endswith="annotate_messages_task", status="READY"):
        annotate_messages_task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])
        row.status = "SUCCESSFUL"
        row.save(update_fields=["status"])


def test_r7_a_governor_question_is_routed_to_its_body_once_its_failed_analysis_succeeds(
    personas: Personas, var_dir: Path
) -> None:
    competence(personas.health, *HEALTH_TOPIC)
    competence(personas.roads, *ROADS_TOPIC)
    broken = _model_failing_on_use(var_dir)
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30))
    service.open_watches(now=msk(2024, 11, 1, 17, 31))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    # the Governor's check run, as the task worker runs it: the failed analysis does not fail the run
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    first = Comment.objects.filter(message=question).first()
    # today: saved as a question with no body, its analysis marked failed and queued again
    assert first is not None and first.case_id is None and first.kind == Comment.Kind.QUESTION

    shutil.rmtree(broken)  # the administrator removes the model the log names
    _run_queued_analysis()  # the retry, 10 minutes later: the analysis now names the health body

    service.process_comments(now=msk(2024, 11, 1, 18, 0))  # the Governor's checks go on
    later = Comment.objects.get(message=question)
    assert later.case is not None, (
        "the question under the Governor's post stays without a body and without a term after its analysis "
        f"succeeded: {later.get_kind_display()}, «{later.reason}»"
    )
    assert later.case.assignments.filter(body=personas.health).exists()
