"""Found by a review (session 25), fixed since. `otklik demo` run on a working day at noon: the demo's executors prepare, the curator approves and the executors
publish answers at 06:20–07:44 in the morning, before the working day (09:00) — «closed», «clarification
published» and «interim answer» cases (cases 7 and 9 of the demo: dispatched 6 and 30 calendar hours back). The
December monthly report (R-13) a newcomer opens then shows the Health Committee answering with «Медиана до ответа
0 мин», «90-й процентиль 0 мин» — zero working minutes from receipt to the published answer, an impossible
figure for a realistic office. The quarter and the Governor's demo drive their clocks in working time
(`wt.add`), the eleven showcase cases do not.

Cause: src/otklik/cases/demo.py `load_demo_cases` — `at(hours_ago)` is `now - timedelta(hours=hours_ago)`, calendar
hours, so with «now» at midday every step more than ~3 hours back lands before 09:00 (or at night, on a day off);
the steps should be placed in working time (e.g. `worktime_for(None)` and going back in working minutes)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from otklik.org.models import Person
from otklik.worktime.service import worktime_for
from tests.conftest import msk

NOW = msk(2026, 12, 2, 12, 20)  # Wednesday, working hours


@pytest.mark.django_db
def test_r13_demo_answers_are_published_in_working_time(client: Client) -> None:
    from otklik.cases.models import Publication

    call_command("demo", now=NOW.isoformat(), stdout=StringIO())

    wt = worktime_for(None)
    outside = sorted(
        timezone.localtime(p.published_at).strftime("%d.%m %H:%M")
        for p in Publication.objects.filter(
            case__case_messages__message__external_id__startswith="demo-wall-"
        )
        if not wt.is_working(p.published_at)
    )

    client.force_login(Person.objects.get(username="observer"))
    report = json.loads(client.get("/reports/monthly/?month=2026-12&format=json").content)
    health = next(r for r in report["timeliness"]["rows"] if r["body"] == "Комитет по здравоохранению")
    assert health["answered"] > 0
    assert health["median_minutes"] > 0, "answers «in 0 working minutes»: published before the working day"
    assert outside == []
