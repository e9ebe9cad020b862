"""Found by a review (session 25), fixed since. `otklik analyze` disagrees with the product's own pipeline for the same message text (issue 6 contract; R-8.1,
R-10).

An analyst feeds `otklik analyze` the texts of VK comments exactly as the network delivered them (the export or
the API's `text`): a reply that starts with VK's mention markup «[id123|Иван], …», a text with an HTML entity
(`&nbsp;` between «ул.» and the street's name, a letter written as `&#1080;` to slip past a word filter). The
product stores and analyses the same comment as it is shown (markup and entities resolved by
`otklik.intake.text.plain_text` / `vk_mentions` in `intake.pipeline._build_row`), so its suggestions differ from
what the CLI says: another topic for the mention, no street for `&nbsp;`, and an obscene comment the product
excludes from work (R-10) reported by the CLI as not blocked.

Cause: `otklik.analysis.cli.parse_lines` / `Analyzer.analyze_batch` (and `moderate_lines`) analyse the raw
`text` field; they never apply the intake's text normalisation (`plain_text`, and VK mentions as names) that
every stored message goes through before `analysis.pipeline._annotate` reads `message.text`.
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

TEXTS = {
    # a VK reply as VK delivers it: the product reads «Иван, в Тосно …»
    "mention": "[id123|Иван], в Тосно опять не вывезли мусор",
    # an HTML entity between «ул.» and the street: the product finds улица Победы
    "nbsp": "В Луге на ул.&nbsp;Победы нет света",
    # an obscene word with one letter as an entity: the product excludes the comment
    "entity": "Это п&#1080;здец, в Тосно нет воды",
}


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


def _product(django_capture_on_commit_callbacks: Any) -> dict[str, dict[str, Any]]:
    """Each text as a VK comment received by the connector and analysed by the task worker: the stored
    suggestions by kind."""
    with django_capture_on_commit_callbacks(execute=True):
        upsert([ParsedMessage(network="vk", external_id=f"c_{k}", text_raw=t) for k, t in TEXTS.items()])
    ids = list(Message.objects.filter(external_id__startswith="c_").values_list("pk", flat=True))
    annotate_messages_task.call(ids)
    out: dict[str, dict[str, Any]] = {}
    for key in TEXTS:
        message = Message.objects.get(external_id=f"c_{key}")
        rows = Suggestion.objects.filter(message=message).order_by("created_at", "id")
        out[key] = {row.kind: row.value for row in rows}
    return out


def _cli(tmp_path: Path) -> dict[str, dict[str, Any]]:
    stdin = "".join(json.dumps({"id": k, "text": t}, ensure_ascii=False) + "\n" for k, t in TEXTS.items())
    env = {**os.environ, "OTKLIK_VAR_DIR": str(tmp_path / "cli")}
    done = subprocess.run(
        [str(OTKLIK), "analyze"],
        input=stdin.encode(),
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()[-800:]
    return {o["id"]: o for o in map(json.loads, done.stdout.decode().splitlines())}


@pytest.mark.django_db
def test_analyze_agrees_with_the_pipeline_for_texts_as_the_network_delivers_them(
    var_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    product = _product(django_capture_on_commit_callbacks)
    cli = _cli(var_dir)
    assert product["mention"][Kind.TOPIC]["topic"] == cli["mention"]["topic"], (
        product["mention"][Kind.TOPIC]["topic"],
        cli["mention"]["topic"],
    )
    assert product["nbsp"][Kind.PLACE]["street"] == "улица Победы"
    assert cli["nbsp"]["street"] == "улица Победы", cli["nbsp"]["street"]
    assert product["entity"][Kind.MODERATION]["blocked"] is True
    assert cli["entity"]["blocked"] is True, cli["entity"]["moderation"]
