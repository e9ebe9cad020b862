"""Fixtures for the working-time engine tests (no Django needed: run with ``-p no:django``)."""

from __future__ import annotations

import pytest

from otklik.worktime import ProductionCalendar, WeeklySchedule, WorkTime, default_worktime


@pytest.fixture(scope="session")
def wt() -> WorkTime:
    return default_worktime()


@pytest.fixture(scope="session")
def wt_decree() -> WorkTime:
    return default_worktime(include_decree_nonworking=True)


@pytest.fixture(scope="session")
def calendar() -> ProductionCalendar:
    return ProductionCalendar.from_package()


@pytest.fixture(scope="session")
def schedule() -> WeeklySchedule:
    return WeeklySchedule.default()
