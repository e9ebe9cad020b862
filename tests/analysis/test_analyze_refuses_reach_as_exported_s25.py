"""Found by a review (session 25), fixed since. `otklik analyze` refuses a message whose reach is written as a monitoring export writes it («25 000»), which
the product's own pipeline reads and rates (issue 6 contract: `analyze` agrees with the pipeline; R-14 importance).

A monitoring export (CSV) gives the reach cell as text, «25 000» with a space between thousands. The product
imports it as it is (`intake.imports`: `metrics={"reach": reach}`) and the importance rules read it
(`analysis.importance._count`: «a counter as a monitoring export writes it («1520», «12 400», «1,5»)»): the
stored importance says «большой охват … 25 000». The analyst who feeds the same message to `otklik analyze`
with the same `metrics` gets no analysis at all for it, only «поле «metrics.reach» должно быть неотрицательным
числом, а не "25 000"» — and a file where every line is so fails with exit code 1.

Cause: `otklik.analysis.cli._analyze_field_error` accepts only JSON numbers in `metrics` counters, while
`analysis.importance._count` (used by both the pipeline and the CLI) is written to read such strings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from otklik.analysis.models import Kind, Suggestion
from otklik.analysis.place import reset_gazetteer
from otklik.analysis.repeats import reset_repeat_index
from otklik.analysis.tasks import annotate_messages_task
from otklik.analysis.topics import reload_topic_model
from otklik.intake.models import Message
from otklik.intake.pipeline import upsert
from otklik.integrations.base import ParsedMessage
from otklik.org.loaders import load_directory

OTKLIK = Path(sys.executable).with_name("otklik")
ROOT = Path(__file__).resolve().parents[2]
TEXT = "В Тосно на улице Боярова третий день нет воды"
METRICS = {"reach": "25 000"}  # as the monitoring export's CSV cell gives it


@pytest.fixture
def var_dir(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.VAR_DIR = tmp_path / "product"
    reset_gazetteer()
    reset_repeat_index()
    load_directory()
    reload_topic_model()
    yield tmp_path
    reload_topic_model()
    reset_gazetteer()
    reset_repeat_index()


@pytest.mark.django_db
def test_analyze_rates_a_reach_written_as_the_export_writes_it(
    var_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        upsert([ParsedMessage(network="vk", external_id="imp_1", text_raw=TEXT, metrics=METRICS)])
    message = Message.objects.get(external_id="imp_1")
    annotate_messages_task.call([message.pk])
    stored = Suggestion.objects.filter(message=message, kind=Kind.IMPORTANCE).latest("created_at").value
    assert "большой охват" in json.dumps(stored, ensure_ascii=False), stored  # the product read «25 000»

    stdin = json.dumps({"id": 1, "text": TEXT, "metrics": METRICS}, ensure_ascii=False) + "\n"
    env = {**os.environ, "OTKLIK_VAR_DIR": str(var_dir / "cli")}
    done = subprocess.run(
        [str(OTKLIK), "analyze"],
        input=stdin.encode(),
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=300,
        check=False,
    )
    [answer] = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert "error" not in answer, answer["error"]
    assert answer["importance"] == stored, (answer["importance"], stored)
    assert done.returncode == 0, done.stderr.decode()[-400:]
