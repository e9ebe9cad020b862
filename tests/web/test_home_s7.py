"""The home page says what is waiting, by role, and each figure opens the list it counts (R-8.1, R-8.5, R-15);
the monthly report and the rating are readable: figures and their headings right-aligned, a body's name whole,
the answer check's score «из 100» (R-13)."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.models import OPEN_DEADLINE, Deadline
from otklik.reports.periods import MSK
from tests.cases.helpers import dispatch, message
from tests.conftest import Personas
from tests.reports.builders import build_october

pytestmark = pytest.mark.django_db

TEXT = "Здравствуйте! Ремонт участка дороги запланирован на июнь, подрядчик определён."


def figure(html: str, key: str) -> tuple[int, str]:
    """The number shown under `data-testid=key` on the home page and where its link goes."""
    found = re.search(
        rf'<a [^>]*href="([^"]+)"[^>]*data-testid="{key}"[^>]*>.*?<strong>(\d+)</strong>', html, re.S
    )
    assert found, f"no figure {key!r} on the page"
    return int(found[2]), found[1]


def shown_number(html: str, key: str) -> int:
    found = re.search(rf'data-testid="{key}"[^>]*>(\d+)<', html)
    assert found, key
    return int(found[1])


@pytest.fixture
def work(personas: Personas) -> dict[str, object]:
    """Two unrouted messages; an old case of health (its deadlines long overdue) with a draft on review; a new
    case of health with an open deadline moved to later today."""
    now = timezone.now()
    inbox = [message(), message("Во дворе не вывозят мусор вторую неделю.")]
    old = dispatch(personas.curator, personas.health, at=now - timedelta(days=20))
    actions.submit_draft(personas.alice, old, "answer", TEXT, now=now - timedelta(days=19))
    new = dispatch(personas.curator, personas.health, at=now)
    tomorrow = datetime.combine(now.astimezone(MSK).date() + timedelta(days=1), time(), MSK)
    # the calendar decides when a deadline falls; for the test one of the new case's falls later today
    first = Deadline.objects.filter(OPEN_DEADLINE, case=new).exclude(stage__in=Deadline.WINDOWS).first()
    assert first is not None
    Deadline.objects.filter(pk=first.pk).update(due_at=now + (tomorrow - now) / 2)
    return {"inbox": inbox, "old": old, "new": new}


def test_curator_sees_new_messages_drafts_to_approve_and_overdue_cases(
    work: dict[str, object], personas: Personas, client: Client
) -> None:
    """R-8.1, R-8.5: the figures are those of the inbox, the review queue and the dashboard they link to."""
    client.force_login(personas.curator)
    html = client.get("/").content.decode()
    count, url = figure(html, "inbox-new")
    assert (count, url) == (2, "/cases/inbox/")
    inbox = client.get(url).content.decode()
    assert "Во дворе не вывозят мусор" in inbox
    count, url = figure(html, "review-waiting")
    assert (count, url) == (1, "/cases/review/")
    assert f"№ {work['old'].pk}" in client.get(url).content.decode()  # type: ignore[attr-defined]
    count, url = figure(html, "overdue-cases")
    assert url == "/reports/"
    assert count == shown_number(client.get(url).content.decode(), "overdue-total") == 1


def test_executor_sees_their_bodys_deadlines_due_today_and_overdue(
    work: dict[str, object], personas: Personas, client: Client
) -> None:
    """The executor's figures count the cases of «Мои обращения» (one row a case, each with its deadlines):
    overdue ones carry a deadline marked «просрочено», today's a deadline dated today and still running."""
    client.force_login(personas.alice)
    html = client.get("/").content.decode()
    overdue, url = figure(html, "overdue-deadlines")
    today, url_today = figure(html, "due-today")
    assert (url, url_today) == ("/cases/mine/?show=overdue", "/cases/mine/?show=today")
    queue = client.get("/cases/mine/").content.decode()
    rows = re.findall(r"<tr data-case=.*?</tr>", queue, re.S)
    assert len(rows) == len(set(re.findall(r'<tr data-case="(\d+)"', queue)))  # a case is one row
    deadlines = {
        case: re.findall(r"<li data-stage=.*?</li>", r, re.S)
        for case, r in zip(re.findall(r'<tr data-case="(\d+)"', queue), rows, strict=True)
    }
    late = {c for c, r in deadlines.items() if any("просрочено на" in d for d in r)}
    date_today = timezone.localdate().strftime("%d.%m")
    running_today = {
        c for c, r in deadlines.items() if any("просрочено" not in d and f"до {date_today} " in d for d in r)
    }
    assert overdue == len(late) >= 1
    assert today == len(running_today) >= 1
    in_work, url_all = figure(html, "in-work")  # every case of the queue, whenever it is due
    assert url_all == "/cases/mine/" and in_work == len(deadlines) >= len(late | running_today)
    # each figure opens the queue with just the cases it counts, and says so
    for link, cases, said in (
        (url, late, "с просроченным сроком"),
        (url_today, running_today, "истекающим сегодня"),
    ):
        page = client.get(link).content.decode()
        assert set(re.findall(r'<tr data-case="(\d+)"', page)) == cases
        assert said in page and 'href="/cases/mine/">показать все</a>' in page
    assert "inbox-new" not in html and "incoming-today" not in html  # not the curator's, not the observer's
    client.force_login(personas.dave)  # roads: nothing of health's
    html = client.get("/").content.decode()
    assert figure(html, "overdue-deadlines")[0] == 0 and figure(html, "due-today")[0] == 0


def test_observer_sees_todays_incoming_and_overdue_as_the_dashboard(
    work: dict[str, object], personas: Personas, client: Client
) -> None:
    client.force_login(personas.observer)
    html = client.get("/").content.decode()
    incoming, url = figure(html, "incoming-today")
    overdue, url2 = figure(html, "observer-overdue")
    assert url == url2 == "/reports/"
    dashboard = client.get(url).content.decode()
    assert incoming == shown_number(dashboard, "incoming-today") >= 1
    assert overdue == shown_number(dashboard, "overdue-total") == 1


def test_r13_rating_shows_the_check_score_out_of_100_not_as_a_percentage(
    personas: Personas, client: Client
) -> None:
    build_october(personas)
    client.force_login(personas.observer)
    html = client.get("/reports/rating/?quarter=2025Q4").content.decode()
    table = html[html.index('data-testid="rating"') :]
    assert re.search(r"\d+,\d из 100<", table), "the check's score is a score out of 100"
    assert not re.search(r"[\d,]+ из 100 %", table)
    # figures' headings sit over the figures; a body's name is kept whole
    assert '<th class="num">Балл</th>' in table and '<td class="name">Здравоохранение</td>' in table


def test_monthly_report_headings_of_figures_are_right_aligned(personas: Personas, client: Client) -> None:
    build_october(personas)
    client.force_login(personas.observer)
    html = client.get("/reports/monthly/?month=2025-10").content.decode()
    assert (
        '<th class="num">Обращений</th>' in html and '<table class="report" data-testid="timeliness">' in html
    )
