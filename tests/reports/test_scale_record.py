"""A person's record and the office dashboard at a year's scale (R-12, R-13; figures in docs/benchmarks.md
"Staff pages"): the record shows one page of violations, newest first, while its totals count every violation;
the dashboard's week counts Moscow days without a per-row date function. Same figures as before, same number
of queries whatever the number of rows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from otklik.cases.models import Case, Deadline, Violation
from otklik.cases.paging import PAGE_SIZE
from otklik.intake.models import Message
from otklik.org.models import Body, Person
from otklik.reports import dashboard, deficiencies, periods
from otklik.reports.monthly import fmt_minutes
from tests.cases.helpers import dispatch, message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MANY = 2 * PAGE_SIZE + 5
MONDAY = msk(2025, 10, 6, 10, 0)


def breach(case: Case, person: Person, body: Body, k: int, *, cancelled: bool = False) -> Violation:
    """The k-th missed deadline of the person: due k hours after Monday 10:00, done (or dropped) 35 + k
    minutes later, detected two hours after the due time."""
    due = MONDAY + timedelta(hours=k)
    done = due + timedelta(minutes=35 + k)
    d = Deadline.objects.create(
        case=case,
        stage=Deadline.Stage.DRAFT,
        rid="R-8.4",
        responsible=person,
        body=body,
        started_at=due - timedelta(hours=4),
        due_at=due,
        met_at=None if cancelled else done,
        cancelled_at=done if cancelled else None,
        breached_at=due,
    )
    return Violation.objects.create(
        deadline=d,
        case=case,
        stage=d.stage,
        rid=d.rid,
        person=person,
        body=body,
        due_at=due,
        detected_at=due + timedelta(hours=2),
    )


def breaches(p: Personas, n: int, start: int = 0) -> list[Violation]:
    """Alice's violations: most in health, every seventh from her time in roads (another body's schedule),
    every fifth deadline dropped rather than met."""
    case = dispatch(p.curator, p.health, at=msk(2025, 10, 3, 9, 0))
    return [
        breach(case, p.alice, p.roads if k % 7 == 0 else p.health, k, cancelled=k % 5 == 0)
        for k in range(start, start + n)
    ]


def record(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), response.content.decode()


def total_of(html: str) -> int:
    found = re.search(r'data-testid="record-total">(\d+)<', html)
    assert found, html
    return int(found[1])


def late_of(html: str) -> str:
    found = re.search(r'data-testid="record-late">([^<]+)<', html)
    assert found, html
    return found[1]


def cases_shown(html: str) -> int:
    return len(re.findall(r'<td><a href="/cases/\d+/">№&nbsp;\d+</a></td>', html))


def test_a_persons_record_pages_its_violations_newest_first_and_totals_them_all(
    client: Client, personas: Personas
) -> None:
    """R-12: a person with hundreds of violations opens the record: one page of rows (latest due first), while
    «Всего нарушений» and the total lateness count every violation exactly as the violations report's rows do
    (each in its body's working minutes). The page runs the same queries with 3 violations or with more than
    two pages of them."""
    breaches(personas, 3)
    client.force_login(personas.alice)
    client.get("/reports/my-record/")
    few, html = record(client, "/reports/my-record/")
    assert total_of(html) == 3 and cases_shown(html) == 3 and 'rel="next"' not in html

    breaches(personas, MANY - 3, start=3)
    many, html = record(client, "/reports/my-record/")
    assert many == few
    everything = deficiencies.rows(Violation.objects.filter(person=personas.alice))
    assert len(everything) == MANY
    late = sum(r["late_minutes"] for r in everything)
    assert late > 0
    assert total_of(html) == MANY and late_of(html) == fmt_minutes(late)
    assert cases_shown(html) == PAGE_SIZE and 'rel="next"' in html and "страница 1" in html
    newest = (MONDAY + timedelta(hours=MANY - 1)).strftime("%d.%m.%Y %H:%M")
    oldest = MONDAY.strftime("%d.%m.%Y %H:%M")
    assert html.index(newest) < html.index((MONDAY + timedelta(hours=MANY - 2)).strftime("%d.%m.%Y %H:%M"))
    assert oldest not in html

    # the last page: the oldest, the same totals, a way back and none further
    _, last = record(client, "/reports/my-record/?page=3")
    assert cases_shown(last) == MANY - 2 * PAGE_SIZE and oldest in last and newest not in last
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert total_of(last) == MANY and late_of(last) == fmt_minutes(late)
    # every row of all the pages is there once, with the lateness the report gives it
    shown = []
    for n in (1, 2, 3):
        _, page = record(client, f"/reports/my-record/?page={n}")
        shown += re.findall(r"<td>((?:\d+ ч )?\d\d? мин)</td></tr>", page)
    assert len(shown) == MANY
    by_due = sorted(everything, key=lambda r: r["id"], reverse=True)
    assert shown == [fmt_minutes(r["late_minutes"]) for r in by_due]


def test_the_record_of_a_period_counts_what_the_violations_report_counts_for_the_person(
    client: Client, personas: Personas
) -> None:
    """R-12: the record filtered by days of detection gives the person's line of the violations report for the
    same days (the number and the lateness); the pages keep the filter; a wrong date is a Russian message."""
    breaches(personas, MANY)
    first, last = "2025-10-08", "2025-10-10"
    period = periods.parse_span(first, last)
    mine = [r for r in deficiencies.build(period)["by_person"] if r["person"] == "Алексеева Тест"]
    assert len(mine) == 2  # her rows in health and in roads
    count = sum(r["violations"] for r in mine)
    assert PAGE_SIZE < count < MANY
    # a head reads only the body's own line (`tests/reports/test_head_record_bodies_s19.py`)
    head = Client()
    head.force_login(personas.health_head)
    (health,) = [r for r in mine if r["body"] == "Здравоохранение"]
    _, theirs = record(head, f"/reports/people/{personas.alice.pk}/record/?from={first}&to={last}")
    assert total_of(theirs) == health["violations"] < count
    assert late_of(theirs) == fmt_minutes(health["late_minutes"])
    client.force_login(personas.observer)
    url = f"/reports/people/{personas.alice.pk}/record/?from={first}&to={last}"
    _, html = record(client, url)
    assert total_of(html) == count
    assert late_of(html) == fmt_minutes(sum(r["late_minutes"] for r in mine))
    assert "08.10.2025 — 10.10.2025" in html and cases_shown(html) == PAGE_SIZE
    assert f'href="?from={first}&to={last}&page=2"' in html
    _, second = record(client, url + "&page=2")
    assert cases_shown(second) == count - PAGE_SIZE and total_of(second) == count

    # only one end given: up to today, or from the first day the reports know
    _, since = record(client, f"/reports/people/{personas.alice.pk}/record/?from={first}")
    before = deficiencies.build(periods.parse_span("2000-01-01", "2025-10-07"))["by_person"]
    earlier = sum(r["violations"] for r in before if r["person"] == "Алексеева Тест")
    assert total_of(since) == MANY - earlier

    bad = client.get(f"/reports/people/{personas.alice.pk}/record/?from=2025-10-32")
    assert bad.status_code == 400
    assert "Такой даты нет: «2025-10-32»." in bad.content.decode()
    reversed_ = client.get(f"/reports/people/{personas.alice.pk}/record/?from={last}&to={first}")
    assert reversed_.status_code == 400 and "Конец периода раньше начала." in reversed_.content.decode()


def test_a_violation_recorded_between_the_totals_and_the_page_gets_its_lateness(personas: Personas) -> None:
    """R-12: the sweep may record a violation while the record is being built; its row still shows its
    lateness (the page never fails on a row the totals did not see)."""
    breaches(personas, 3)
    now = msk(2025, 10, 20, 12, 0)
    late = deficiencies.lateness(Violation.objects.filter(person=personas.alice), now)
    breaches(personas, 1, start=3)
    qs = deficiencies.with_relations(Violation.objects.filter(person=personas.alice)).order_by(
        "-due_at", "-id"
    )
    shown = deficiencies.rows_of(list(qs), now, late)
    expected = {r["id"]: r["late_minutes"] for r in deficiencies.rows(Violation.objects.all(), now)}
    assert len(shown) == 4 and {r["id"]: r["late_minutes"] for r in shown} == expected


# ---------------------------------------------------------------------------------------------- the dashboard
def at(published: object, *, received: object = None, official: bool = False) -> Message:
    m = message("Сообщение для недельного графика")
    Message.objects.filter(pk=m.pk).update(
        published_at=published, received_at=received or published or m.received_at, is_official=official
    )
    return m


NOW = msk(2025, 10, 13, 12, 0)  # Monday; the week is Tue 07.10 … Mon 13.10 up to noon


def week_of_messages() -> None:
    at(msk(2025, 10, 6, 23, 59))  # the day before the week
    at(msk(2025, 10, 7, 0, 0))  # the week's first moment
    at(msk(2025, 10, 7, 23, 59, 59))  # still Tuesday in Moscow (20:59 UTC)
    at(msk(2025, 10, 8, 10, 0), official=True)  # our own answer read back: not a citizen's message
    at(None, received=msk(2025, 10, 9, 2, 0))  # no publication time: received Thursday 02:00 (Wed in UTC)
    at(msk(2025, 10, 9, 9, 0), received=msk(2025, 10, 13, 9, 0))  # published Thursday, read Monday
    at(msk(2025, 10, 10, 1, 0))  # Friday 01:00 in Moscow, Thursday 22:00 UTC
    at(msk(2025, 10, 13, 11, 59))  # today before noon
    at(msk(2025, 10, 13, 12, 0))  # now: not yet
    at(msk(2025, 10, 13, 15, 0))  # later today: not yet


def test_the_weeks_trend_counts_moscow_days_without_a_per_row_date_function(personas: Personas) -> None:
    """R-13: the office dashboard's week counts each message on its Moscow day (by publication, by receipt
    when the network gave none; not the government's own; not after now), today's bar is today's incoming,
    and the counting needs no date function run on every row (SQLite runs `TruncDate` in Python: 570 ms over
    a year of messages) nor more queries for more messages."""
    week_of_messages()
    with CaptureQueriesContext(connection) as ctx:
        o = dashboard.overview(NOW)
    few = len(ctx.captured_queries)
    assert [(t["day"].isoformat(), t["count"]) for t in o["trend"]] == [
        ("2025-10-07", 2),
        ("2025-10-08", 0),
        ("2025-10-09", 2),
        ("2025-10-10", 1),
        ("2025-10-11", 0),
        ("2025-10-12", 0),
        ("2025-10-13", 1),
    ]
    assert o["incoming_today"] == o["trend"][-1]["count"]
    assert sum(r["count"] for r in o["by_place"]) == sum(t["count"] for t in o["trend"])
    assert [t["pct"] for t in o["trend"]] == [100, 0, 100, 50, 0, 0, 50]
    per_row_date = "django_datetime_cast_date" if connection.vendor == "sqlite" else "AT TIME ZONE"
    assert not [q["sql"] for q in ctx.captured_queries if per_row_date in q["sql"]]

    week_of_messages()
    with CaptureQueriesContext(connection) as ctx:
        o = dashboard.overview(NOW)
    assert len(ctx.captured_queries) == few
    assert [t["count"] for t in o["trend"]] == [4, 0, 4, 2, 0, 0, 2]
