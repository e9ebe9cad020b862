"""Spans of working time as the lists and reports write them (R-8.3 deadlines, R-12 lateness): under an hour in
minutes only — «просрочено на 11 мин», not «0 ч 11 мин» (seen on the violations report and «Мои обращения»)."""

from __future__ import annotations

import pytest

from otklik.reports.monthly import fmt_minutes
from otklik.web.numbers import hours_minutes, no_break


@pytest.mark.parametrize(
    ("minutes", "text"),
    [(0, "0 мин"), (11, "11 мин"), (59, "59 мин"), (60, "1 ч 00 мин"), (185, "3 ч 05 мин")],
)
def test_r12_a_span_under_an_hour_is_minutes_only(minutes: int, text: str) -> None:
    assert hours_minutes(minutes) == text
    assert fmt_minutes(minutes) == text  # the reports' «Опоздание», median and 90th percentile


def test_r12_a_clause_or_a_number_keeps_its_figure_on_its_line() -> None:
    assert no_break("направить проект (п. 8.4), № 171") == "направить проект (п.\u00a08.4), №\u00a0171"
    assert no_break("п. а, № б") == "п. а, № б"  # only before a figure
