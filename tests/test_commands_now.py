"""`--now` of the commands that take one: a mistyped moment is a clear Russian error, not a traceback; a moment
without an offset is Moscow time."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from otklik.cli import moment
from tests.conftest import msk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "args", [["sweep_deadlines"], ["governor_checks", "--no-fetch"], ["report", "deliver"], ["demo"]]
)
def test_a_mistyped_now_is_named_in_russian(args: list[str]) -> None:
    with pytest.raises(CommandError, match=r"ожидается дата и время ISO 8601.*«вчера»"):
        call_command(*args, "--now", "вчера", stdout=StringIO())


def test_a_moment_without_an_offset_is_moscow_time() -> None:
    assert moment("2026-11-29T07:40") == msk(2026, 11, 29, 7, 40)
    assert moment("2026-11-29T04:40+00:00") == msk(2026, 11, 29, 7, 40)


def test_the_sweep_runs_at_the_given_moment() -> None:
    out = StringIO()
    call_command("sweep_deadlines", "--now", "2026-11-30T10:00", stdout=out)
    assert out.getvalue().startswith("Нарушений: 0")


def test_now_passed_by_call_command_is_parsed_the_same_way() -> None:
    out = StringIO()
    call_command("sweep_deadlines", now="2026-11-30T10:00", stdout=out)
    assert out.getvalue().startswith("Нарушений: 0")
    with pytest.raises(CommandError, match=r"--now: ожидается дата и время ISO 8601"):
        call_command("sweep_deadlines", now="вчера", stdout=StringIO())
