"""Bad input to `otklik worktime` (docs/worktime.md: bad input → «ошибка: …» in Russian on stderr, exit 2)."""

from __future__ import annotations

import pytest
from django.core.management import ManagementUtility

from otklik.org.models import Body
from otklik.worktime import cli


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["otklik", "worktime", *args]).execute()
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out.strip(), err.strip()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        # an OverflowError traceback before
        (["year", "99999999999999999999"], "год 99999999999999999999 вне допустимого диапазона"),
        # «year -4 is out of range» before: English, and the wrong year
        (["year", "-5"], "год -5 вне допустимого диапазона"),
        # «invalid fromisoformat value» before
        (["day", "2025-02-30"], "нет такой даты: '2025-02-30'"),
    ],
)
def test_impossible_years_and_dates_are_refused_in_russian(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("ошибка: ") and expected in err


@pytest.mark.django_db
def test_body_given_as_body_equals_id_uses_the_bodys_schedule(capsys: pytest.CaptureFixture[str]) -> None:
    """R-8 deadlines run in the body's working time: `--body=ID` (argparse's other spelling) used to be
    refused with «--body требует базы данных: запустите через команду Django» — from the Django command."""
    body = Body.objects.create(
        name="Администрация с коротким днём",
        schedule={"week": {d: [["08:00", "12:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}},
    )
    start = "2025-03-12T11:00:00+03:00"
    code, out, err = run_cli(capsys, "add", "--start", start, "--minutes", "120", f"--body={body.pk}")
    assert (code, out, err) == (0, "2025-03-13T09:00:00+03:00", "")
    code, _, err = run_cli(capsys, "add", "--start", start, "--minutes", "120", "--body=999999")
    assert code == 2 and "орган с ID '999999' не найден" in err
