"""R-12, R-13 (and every `otklik` command an operator runs): a mistake on the command line is explained in Russian,
naming the option and what it takes — «не указан обязательный параметр --month», «--format: нет варианта «csv»,
возможные: xlsx, pdf, json», «лишнее в командной строке …: --bogus» — with the usage and exit code 2 in the
terminal, a `CommandError` from `call_command`, and argparse's English original in the log at DEBUG only. It was
argparse's English: «Error: the following arguments are required: --month, -o/--output», «argument --format:
invalid choice: 'csv' (choose from 'xlsx', 'pdf', 'json')» (`otklik.commandline`). Django's own commands keep
Django's parser.

Found by a review (session 19).
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, get_commands, load_command_class
from django.core.management.base import CommandParser

from otklik.commandline import RussianCommandParser

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r"\b(the following arguments are required|invalid choice|choose from|argument|Error)\b")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["report", "monthly", "-o", "x.xlsx"],
            "не указан обязательный параметр --month",
        ),  # the month forgotten
        (  # the last day forgotten
            ["report", "violations", "--from", "2025-10-01", "-o", "x.xlsx"],
            "не указан обязательный параметр --to",
        ),
        (  # no such format
            ["report", "monthly", "--month", "2025-10", "--format", "csv", "-o", "x.csv"],
            "--format: нет варианта «csv», возможные: xlsx, pdf, json",
        ),
    ],
)
def test_a_mistake_on_the_report_command_line_is_explained_in_russian(
    args: list[str], said: str, tmp_path: Path
) -> None:
    with pytest.raises(CommandError) as refused:
        call_command(*args)
    text = str(refused.value)
    assert not ENGLISH.search(text), f"`otklik {' '.join(args)}` answers: {text}"
    assert said in text and refused.value.returncode == 2


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["report"], "не указана подкоманда: одна из monthly, rating, violations, deliver"),
        (
            ["report", "yearly"],
            "подкоманда: нет варианта «yearly», возможные: monthly, rating, violations, deliver",
        ),
        (["report", "monthly", "--month"], "--month: после параметра нужно значение"),
        (["report", "monthly", "--month", "2025-10", "-o", "x", "extra"], "лишнее в командной строке"),
        (
            ["ingest", "--bogus"],
            "лишнее в командной строке (такого параметра нет или значение без параметра): --bogus",
        ),
        (
            ["webhook"],
            "не указан аргумент action (одно из: set, delete, info); не указан обязательный параметр --source",
        ),
        (["backup"], "не указан обязательный параметр --out"),
    ],
)
def test_other_mistakes_of_the_commands_are_russian_too(args: list[str], said: str) -> None:
    with pytest.raises(CommandError) as refused:
        call_command(*args)
    text = str(refused.value)
    assert said in text and not ENGLISH.search(text), text


def test_the_english_original_is_only_in_the_log_at_debug(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="otklik.commandline"), pytest.raises(CommandError):
        call_command("report", "monthly", "--month", "2025-10", "--format", "csv", "-o", "x.csv")
    (record,) = [r for r in caplog.records if r.name == "otklik.commandline"]
    assert record.levelno == logging.DEBUG and "invalid choice: 'csv'" in record.getMessage()


def test_every_otklik_command_refuses_in_russian_and_djangos_own_stay_as_shipped() -> None:
    ours = {name for name, app in get_commands().items() if app.startswith("otklik.")}
    assert {"report", "ingest", "sweep_deadlines", "demo", "backup", "clock"} <= ours
    for name in sorted(ours):
        parser = load_command_class(get_commands()[name], name).create_parser("otklik", name)
        assert type(parser) is RussianCommandParser, name
    assert (
        type(load_command_class("django.core", "migrate").create_parser("otklik", "migrate")) is CommandParser
    )


def test_the_operator_reads_it_in_russian_in_the_terminal_with_exit_code_2(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-m", "otklik", "report", "monthly", "--format", "csv", "-o", "x.csv"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    said = [line for line in done.stderr.splitlines() if "report monthly" in line]
    assert said[0].startswith("Использование: ") and "--format {xlsx,pdf,json}" in done.stderr, done.stderr
    assert said[-1].endswith(
        " report monthly: ошибка: --format: нет варианта «csv», возможные: xlsx, pdf, json"
    )
    assert not ENGLISH.search(done.stderr), done.stderr
