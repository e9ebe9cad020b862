"""The engine inside the application: administrators' calendar corrections and bodies' schedules are used,
and `otklik worktime` reads them (working time applies to every R- duration)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import ManagementUtility
from tests.conftest import msk

from otklik.org.models import Body
from otklik.worktime.models import CalendarOverride, CalendarYear
from otklik.worktime.service import worktime_for

pytestmark = pytest.mark.django_db


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["otklik", "worktime", *args]).execute()
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out.strip(), err.strip()


def test_override_of_a_day_changes_deadlines() -> None:
    start = msk(2025, 3, 12, 17, 0)  # Wednesday
    assert worktime_for().add(start, 120) == msk(2025, 3, 13, 10, 0)
    CalendarOverride.objects.create(date=date(2025, 3, 13), kind="off", note="региональный выходной")
    assert worktime_for().add(start, 120) == msk(2025, 3, 14, 10, 0)


def test_added_year_is_used(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "year", "2028")
    assert code == 2 and "2028" in err
    CalendarYear.objects.create(
        year=2028,
        data={"off": {"01-03": "Новогодние каникулы"}, "shortened": [], "working_weekend": {}},
        source="проверка",
    )
    code, out, _ = run_cli(capsys, "year", "2028")
    assert code == 0
    result = json.loads(out)
    assert result["year"] == 2028
    assert result["working_days"] == 260 - 1  # 2028 has 260 weekdays; one made a day off


def test_bad_year_data_is_refused_in_russian() -> None:
    with pytest.raises(ValidationError) as exc:
        CalendarYear.objects.create(year=2029, data={"off": "не список"})
    assert "Данные года не приняты" in str(exc.value)


def test_body_schedule_is_used_by_cli_and_service(capsys: pytest.CaptureFixture[str]) -> None:
    body = Body.objects.create(
        name="Администрация с коротким днём",
        schedule={"week": {d: [["08:00", "12:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}},
    )
    body.full_clean()
    start = "2025-03-12T11:00:00+03:00"
    code, out, _ = run_cli(capsys, "add", "--start", start, "--minutes", "120", "--body", str(body.pk))
    assert (code, out) == (0, "2025-03-13T09:00:00+03:00")
    assert worktime_for(body).add(msk(2025, 3, 12, 11, 0), 120) == msk(2025, 3, 13, 9, 0)
    code, out, _ = run_cli(capsys, "add", "--start", start, "--minutes", "150")
    assert out == "2025-03-12T14:15:00+03:00"  # default schedule: 11-13, lunch 13:00-13:45, then 30 min


def test_invalid_body_schedule_is_refused() -> None:
    body = Body(name="Орган", schedule={"week": {"mon": [["18:00", "09:00"]]}})
    with pytest.raises(ValidationError) as exc:
        body.full_clean()
    assert "График не принят" in str(exc.value)


def test_unknown_body_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(
        capsys, "between", "2025-03-12T11:00:00+03:00", "2025-03-13T11:00:00+03:00", "--body", "999999"
    )
    assert code == 2
    assert "орган с ID '999999' не найден" in err
