"""Numbers given to the operator's commands: a word, a negative number or a zero where none makes sense is
refused before anything runs, in Russian, naming the option and the value (R-4: ingestion of the sources and
the Telegram webhook; R-8.1: the classifier behind the curator's suggestions)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from otklik.intake.models import Source

pytestmark = pytest.mark.django_db


def run(*argv: str) -> str:
    out = io.StringIO()
    call_command(*argv, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refusal(*argv: str) -> str:
    with pytest.raises(CommandError) as info:
        run(*argv)
    return str(info.value)


# ----------------------------------------------------------------------------------- otklik ingest


@pytest.mark.parametrize("value", ["-1", "abc", "1.5", "٣"])
def test_r4_ingest_passes_that_is_not_a_whole_number_is_refused_in_russian(value: str) -> None:
    """R-4: `otklik ingest --loop 60 --passes -1` stopped after the first pass (any non-zero number ended the
    loop once reached, and -1 is reached at once); `--passes abc` was refused in English («invalid int
    value»)."""
    text = refusal("ingest", "--loop", "0.01", "--passes", value)
    assert "--passes" in text and "целое число проходов" in text and f"«{value}»" in text
    assert "invalid" not in text


def test_r4_ingest_passes_of_zero_or_more_is_taken() -> None:
    """R-4: `--passes 0` is the documented «do not stop» and stays allowed; 2 stops after two passes."""
    assert run("ingest", "--loop", "0.01", "--passes", "2") == ""


def test_r4_ingest_passes_without_a_loop_is_refused() -> None:
    """R-4: `otklik ingest --passes 3` (the loop forgotten) read the sources once and said nothing about the
    other two passes."""
    text = refusal("ingest", "--passes", "3")
    assert "--passes" in text and "--loop" in text


@pytest.mark.parametrize("value", ["abc", "0", "-3", "12a"])
def test_r4_ingest_source_that_is_not_a_source_id_is_refused_in_russian(value: str) -> None:
    """R-4: `otklik ingest --source abc` was refused in English («invalid int value: 'abc'»)."""
    text = refusal("ingest", "--source", value)
    assert "--source" in text and "id источника" in text and f"«{value}»" in text
    assert "invalid" not in text


@pytest.mark.parametrize("value", ["999", "99999999999999999999"])
def test_r4_ingest_source_of_a_number_is_still_looked_up(value: str) -> None:
    """R-4: an id that is a number goes on to the check that the source is there; one beyond any id the
    database can hold was an OverflowError traceback."""
    assert f"источник {value} не найден" in refusal("ingest", "--source", value)


def test_r4_the_operator_reads_the_refusal_in_russian_on_the_command_line(tmp_path: Path) -> None:
    """R-4: what the operator sees in the terminal: the option, the value and what is expected, in Russian,
    and exit code 2 (a usage error)."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-m", "otklik", "ingest", "--loop", "60", "--passes", "abc"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert "--passes: ожидается целое число проходов" in done.stderr and "«abc»" in done.stderr
    assert "invalid int value" not in done.stderr


# --------------------------------------------------------------------------------- otklik webhook


@pytest.mark.parametrize("value", ["abc", "0", "-12"])
def test_r4_webhook_source_that_is_not_a_source_id_is_refused_in_russian(value: str) -> None:
    """R-4: `otklik webhook info --source abc` was refused in English."""
    text = refusal("webhook", "info", "--source", value)
    assert "--source" in text and "id источника" in text and f"«{value}»" in text


@pytest.mark.parametrize("value", ["999", "99999999999999999999"])
def test_r4_webhook_source_of_a_number_is_still_looked_up(value: str) -> None:
    Source.objects.create(network="vk", kind=Source.Kind.COMMUNITY, title="Дороги")
    assert f"Источник {value} не найден" in refusal("webhook", "info", "--source", value)


# ------------------------------------------------------------------------------ otklik classifier


@pytest.mark.parametrize("value", ["abc", "0", "-1"])
def test_r8_1_classifier_top_that_is_not_a_positive_number_is_refused_in_russian(value: str) -> None:
    """R-8.1: `otklik classifier predict --top abc` was refused in English; `--top 0` (or -1) quietly gave one
    variant each."""
    text = refusal("classifier", "predict", "--model", "нет-такого-каталога", "--top", value)
    assert "--top" in text and "больше нуля" in text and f"«{value}»" in text
    assert "invalid" not in text
