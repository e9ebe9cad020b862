"""R-8 (every working-time figure an operator checks by hand): `otklik worktime` refuses a wrong command line in
Russian naming the option, as every other `otklik` command does (`otklik.argparse_ru`); before, argparse's English
stood inside the Russian sentence («неверные аргументы: the following arguments are required: --start, --minutes»).
Found by a review (session 19)."""

from __future__ import annotations

import pytest

from otklik.worktime import cli


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["add"], "не указаны обязательные параметры --start, --minutes"),
        (
            ["add", "--start", "2025-04-28T10:00+03:00", "--minutes", "много"],
            "--minutes: ожидается целое число",
        ),
        (["day", "2025-04-28", "--лишнее"], "лишнее в командной строке"),
        (["никакая"], "подкоманда: нет варианта «никакая», возможные: year, add"),
    ],
)
def test_a_wrong_command_line_is_refused_in_russian(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("ошибка: неверные аргументы: ") and expected in err, err
    assert "Использование: " in err
    assert not any(word in err for word in ("required", "invalid", "unrecognized", "usage:")), err
