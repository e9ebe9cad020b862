"""The lists a curator and an executor work from: «Обращения» with the bodies, the nearest deadline and
«просрочено», filters and search; «Мои обращения» saying whose turn it is; «Уведомления» with new ones marked
and a filter by kind. R-8.1 … R-8.9 (deadlines in working time), R-4.2–4.3 (who sees which case)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.models import Case, Deadline, Notification
from otklik.cases.paging import PAGE_SIZE
from otklik.org.models import Body, Person
from tests.cases.helpers import dispatch, message
from tests.conftest import Personas, msk
from tests.web.test_home_s7 import figure

pytestmark = pytest.mark.django_db
ANSWER = "Здравствуйте, Ирина! Ремонт запланирован на июнь."


def page(client: Client, who: Person, url: str) -> str:
    client.force_login(who)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, case: Case) -> str:
    """The table row of `case` in a list."""
    found = re.search(rf'<tr data-case="{case.pk}"[^>]*>(.*?)</tr>', html, re.S)
    assert found, f"case {case.pk} is not in the list"
    return found.group(1)


def listed(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'<tr data-case="(\d+)"', html)}


# ---------------------------------------------------------------------------------------------- «Обращения»
def test_case_list_shows_bodies_the_nearest_deadline_and_overdue(client: Client, personas: Personas) -> None:
    """R-8.3, R-8.4: each row names the bodies working on the case and its nearest open deadline in working
    time; a case past it is marked «просрочено» with how late it is, a fresh one says how much is left."""
    p = personas
    old = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 9, 0), importance="high")
    fresh = dispatch(p.curator, p.roads, at=timezone.now())
    html = page(client, p.curator, reverse("cases:list"))
    assert "Органы" in html and "Ближайший срок" in html
    late = row(html, old)
    assert "Здравоохранение" in late and "Дороги" in late
    assert "просрочено" in late and re.search(
        r"просрочено</span> <span class=\"nowrap\">на \d+ ч \d\d мин", late
    )
    assert 'class="overdue"' in html
    on_time = row(html, fresh)
    assert "Дороги" in on_time and "Здравоохранение" not in on_time
    assert "просрочено" not in on_time and re.search(r"осталось \d+ ч \d\d мин", on_time)


def test_case_list_filters_by_body_overdue_and_importance(client: Client, personas: Personas) -> None:
    """R-8.1: the curator narrows the list to one body, to overdue cases, to high importance; an executor's
    list stays their body's cases whatever the link says (R-4.2)."""
    p = personas
    late_high = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0), importance="high")
    late_roads = dispatch(p.curator, p.roads, at=msk(2025, 4, 28, 9, 5))
    fresh = dispatch(p.curator, p.health, at=timezone.now())
    url = reverse("cases:list")
    assert listed(page(client, p.curator, url)) == {late_high.pk, late_roads.pk, fresh.pk}
    assert listed(page(client, p.curator, url + "?overdue=1")) == {late_high.pk, late_roads.pk}
    assert listed(page(client, p.curator, url + "?importance=high")) == {late_high.pk}
    assert listed(page(client, p.curator, url + f"?body={p.roads.pk}")) == {late_roads.pk}
    both = page(client, p.curator, url + f"?body={p.health.pk}&overdue=1")
    assert listed(both) == {late_high.pk}, both
    assert "Орган: <strong>Здравоохранение</strong>" in both, both[both.find("<h1>") : both.find("<table>")]
    # the bodies in the rows are the links that filter
    assert f'href="?body={p.roads.pk}"' in page(client, p.observer, url)
    assert listed(page(client, p.alice, url + f"?body={p.roads.pk}")) == {late_high.pk, fresh.pk}


def test_case_list_search_by_number_and_words(client: Client, personas: Personas) -> None:
    """R-8.1: «183» or «№ 183» opens that case; words find cases by their summary or their messages, whatever
    the case of the letters; a number of a case the person may not open opens nothing (R-4.3)."""
    p = personas
    roads = dispatch(p.curator, p.roads, at=msk(2025, 4, 28, 9, 0))  # «…дорогу в Гатчине…»
    m = message("В поликлинике Тосно нет терапевта")
    health = actions.dispatch_case(p.curator, [m], [actions.Route(p.health, 1)], now=msk(2025, 4, 28, 9, 5))
    url = reverse("cases:list")
    client.force_login(p.curator)
    for typed in (str(roads.pk), f"№ {roads.pk}", f"№{roads.pk}"):
        response = client.get(url, {"q": typed})
        assert response.status_code == 302 and response["Location"] == reverse(
            "cases:detail", args=[roads.pk]
        )
    assert listed(page(client, p.curator, url + "?q=гатчине")) == {roads.pk}
    assert listed(page(client, p.curator, url + "?q=ТЕРАПЕВТА")) == {health.pk}
    assert listed(page(client, p.curator, url + "?q=нет+такого+слова")) == set()
    client.force_login(p.alice)
    response = client.get(url, {"q": str(roads.pk)})
    assert response.status_code == 200 and listed(response.content.decode()) == set()
    assert "нет среди тех, что вам доступны" in response.content.decode()


def test_filtered_case_list_runs_a_fixed_number_of_queries(
    client: Client, personas: Personas, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    """The list with its new columns and every filter runs the same queries with 3 rows or a full page of
    many bodies and schedules (no query per row), and counts nothing; the pager keeps the filters."""
    p = personas
    evening = Body.objects.create(
        name="Комитет с вечерним графиком",
        short_name="Вечерний",
        schedule={"week": {d: [["12:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}},
    )

    def build(n: int) -> None:
        for i in range(n):
            extra = Body.objects.create(name=f"Администрация № {Body.objects.count()}")
            bodies = (p.health, extra) if i % 2 else (p.health, evening)
            dispatch(p.curator, *bodies, at=msk(2025, 4, 28, 9, i % 50), importance="high")

    url = reverse("cases:list") + f"?overdue=1&importance=high&body={p.health.pk}&status=drafting"
    build(3)
    client.force_login(p.curator)
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    build(PAGE_SIZE + 5)
    with django_assert_max_num_queries(len(few)), CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many) == len(few)
    assert not any("COUNT(" in q["sql"].upper() and '"CASES_' in q["sql"].upper() for q in many)
    assert len(listed(html)) == PAGE_SIZE and "Вечерний" in html
    nxt = re.search(r'rel="next" href="\?([^"]+)"', html)
    assert nxt and "overdue=1" in nxt.group(1) and f"body={p.health.pk}" in nxt.group(1)


def test_case_list_gives_a_deadline_days_away_as_a_date_and_working_days(
    client: Client, personas: Personas
) -> None:
    """R-8.3: as «Мои обращения», the case list gives a deadline more than a working day away as its date and
    «≈ N раб. дн.», not «осталось 56 ч 30 мин»."""
    p = personas
    case = dispatch(p.curator, p.health, at=timezone.now())
    Deadline.objects.filter(case=case).update(due_at=timezone.now() + timedelta(days=14))
    late = row(page(client, p.curator, reverse("cases:list")), case)
    assert re.search(r"≈ \d+ раб\. дн\.", late) and "осталось" not in late, late


# ---------------------------------------------------------------------------------------------- «Мои обращения»
def test_my_queue_says_whose_turn_and_gives_long_deadlines_as_dates(
    client: Client, personas: Personas
) -> None:
    """R-8.3, R-8.5: the executor's queue shows each case's state (a draft on the curator's approval is
    «на согласовании», not the executor's work); a deadline more than a working day away shows its date and
    «≈ N раб. дн.», not dozens of hours."""
    p = personas
    waiting = dispatch(p.curator, p.health, at=timezone.now())
    actions.submit_draft(p.alice, waiting, "answer", ANSWER, now=timezone.now())
    drafting = dispatch(p.curator, p.health, at=timezone.now())
    html = page(client, p.alice, reverse("cases:my_queue"))
    assert "Состояние" in html
    assert "на согласовании" in row(html, waiting)
    assert "подготовка проекта" in row(html, drafting)
    assert re.search(
        r"до \d\d\.\d\d \d\d:\d\d</span> <span class=\"muted due\">≈ \d+ раб\. дн\.</span>", html
    ), html
    hours = [int(h) for h in re.findall(r"осталось (\d+) ч", html)]
    assert all(h < 8 for h in hours), hours


def test_my_queue_lists_a_case_once_with_each_of_its_deadlines(client: Client, personas: Personas) -> None:
    """R-8.3, R-8.4: a case sent to health has two open deadlines at once, the draft's (5 working hours) and the
    whole answer's (9). «Мои обращения» lists the case once, naming both stages with their due times, overdue
    first in the list; the home page counts it as one overdue case. A case of another body is not there."""
    p = personas
    late = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    other = dispatch(p.curator, p.roads, at=msk(2025, 4, 28, 9, 0))
    fresh = dispatch(p.curator, p.health, at=timezone.now())
    html = page(client, p.alice, reverse("cases:my_queue"))
    assert html.count(f'<tr data-case="{late.pk}"') == 1 and other.pk not in listed(html)
    stages = re.findall(r'<li data-stage="(\w+)">(.*?)</li>', row(html, late), re.S)
    assert {stage for stage, _ in stages} == {"draft", "overall"}
    assert all(
        re.search(r"до \d\d\.04\.2025 \d\d:\d\d.*просрочено на \d+ ч", text, re.S) for _, text in stages
    )
    for _, text in stages:  # over 3,000 working hours late: also said in working days, 8 hours each
        found = re.search(r"просрочено на (\d+) ч (\d\d) мин \(≈ (\d+) раб\. дн\.\)", text)
        assert found, text
        # half a day up, as people round (Python's round() would take 394.5 to 394, «≈ 394 раб. дн.»)
        assert int(found[3]) == math.floor((int(found[1]) * 60 + int(found[2])) / 480 + 0.5)
    assert "направить проект (п.\u00a08.4)" in row(html, late) and "подготовка и размещение ответа" in row(
        html, late
    )
    assert re.findall(r'<tr data-case="(\d+)"', html) == [str(late.pk), str(fresh.pk)]  # overdue first
    assert (
        row(html, late).count(str(p.alice)) == 1
    )  # one person answers for both: named once, not on each line
    assert figure(page(client, p.alice, "/"), "overdue-deadlines") == (
        1,
        reverse("cases:my_queue") + "?show=overdue",
    )


# ---------------------------------------------------------------------------------------------- «Уведомления»
def notify(who: Person, case: Case, kind: str, text: str) -> Notification:
    return Notification.objects.create(
        recipient=who, case=case, kind=kind, text=text, created_at=timezone.now()
    )


def test_notifications_mark_the_new_ones_and_filter_by_kind(client: Client, personas: Personas) -> None:
    """R-12 (reminders and breaches of `cases.sla.sweep`), R-8.1: new notifications are marked «новое» the first time they are shown and are read from then on;
    the list can be narrowed to one kind (reminders, breaches, new work)."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    Notification.objects.filter(recipient=p.curator).delete()
    breach = notify(p.curator, case, Notification.Kind.BREACH, "Нарушен срок согласования")
    notify(p.curator, case, Notification.Kind.REMINDER, "Осталось 30 минут")
    url = reverse("cases:notifications")
    only = page(client, p.curator, url + "?kind=breach")
    assert "Нарушен срок согласования" in only and "Осталось 30 минут" not in only
    assert only.count(">новое<") == 1 and "Новых на этой странице: 1" in only
    breach.refresh_from_db()
    assert breach.read_at is not None
    everything = page(client, p.curator, url)
    assert "Нарушен срок согласования" in everything and "Осталось 30 минут" in everything
    assert everything.count(">новое<") == 1  # the reminder; the breach was seen
    again = page(client, p.curator, url)
    assert ">новое<" not in again and "прочитано" in again
    assert not Notification.objects.filter(recipient=p.curator, read_at__isnull=True).exists()


def test_case_list_shows_each_body_its_own_deadline_of_a_shared_case(
    client: Client, personas: Personas
) -> None:
    """R-8.9, R-4.2: in a case sent to two bodies, the roads committee's part is overdue and health's is not. The
    roads executor sees «просрочено» and finds the case among the overdue ones; the health executor sees the time
    her own body has left, and her «только просроченные» does not hold the case; so does the curator's list
    filtered by health, while her whole list shows the case overdue."""
    p = personas
    routes = [actions.Route(p.health, 1), actions.Route(p.roads, 1)]  # both at once
    shared = actions.dispatch_case(p.curator, [message()], routes, now=timezone.now())
    roads_open = shared.deadlines.filter(body=p.roads, met_at__isnull=True, cancelled_at__isnull=True)
    health_open = shared.deadlines.filter(body=p.health, met_at__isnull=True, cancelled_at__isnull=True)
    assert roads_open.exists() and health_open.exists()
    assert not shared.deadlines.filter(body__isnull=True, met_at__isnull=True).exists()
    roads_open.update(due_at=timezone.now() - timedelta(hours=2))
    url = reverse("cases:list")

    assert "просрочено" in row(page(client, p.dave, url), shared)
    assert listed(page(client, p.dave, url + "?overdue=1")) == {shared.pk}
    own = row(page(client, p.alice, url), shared)
    assert "просрочено" not in own and re.search(r"осталось \d+ ч \d\d мин", own)
    assert listed(page(client, p.alice, url + "?overdue=1")) == set()
    assert "просрочено" in row(page(client, p.curator, url), shared)
    health = page(client, p.curator, url + f"?body={p.health.pk}")
    assert "просрочено" not in row(health, shared)
    assert listed(page(client, p.curator, url + f"?body={p.health.pk}&overdue=1")) == set()


def test_a_deadline_passed_after_the_working_day_says_when_it_ran_out(personas: Personas) -> None:
    """R-8.3: lateness is counted in working time; in the evening after a deadline that fell at the end of the
    working day no working minute has passed, so the page says when the term ran out, not «просрочено на 0 ч
    00 мин»; the next morning it is late by the working minutes since."""
    from otklik.cases.models import Deadline
    from otklik.cases.views import remaining_text
    from otklik.worktime.service import worktime_for

    wt = worktime_for(personas.health)
    morning = msk(2025, 4, 28, 9, 0)  # a Monday
    end_of_day = wt.add(morning, wt.between(morning, msk(2025, 4, 28, 23, 0)))
    deadline = Deadline(due_at=end_of_day, body=personas.health)
    left, text = remaining_text(deadline, msk(2025, 4, 28, 21, 30))
    assert left == 0 and text == f"срок истёк {timezone.localtime(end_of_day):%d.%m.%Y %H:%M}"
    left, text = remaining_text(deadline, wt.add(end_of_day, 75))
    assert left == -75 and text == "просрочено на 1 ч 15 мин"


def test_digits_that_are_no_case_of_the_persons_are_searched_as_words(
    client: Client, personas: Personas
) -> None:
    """R-8.1: «4521» opens case 4521 when the person may open it; when there is no such case of theirs, the
    digits are looked for in the cases' words (a house number, a phone) and the page says so; «№ 4521» is meant
    as a number only."""
    p = personas
    first = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    house = str(first.pk + 1000)  # no case has this number yet
    m = message(f"Во дворе дома {house} по улице Кирова не убран снег")
    health = actions.dispatch_case(p.curator, [m], [actions.Route(p.health, 1)], now=msk(2025, 4, 28, 9, 5))
    url = reverse("cases:list")
    found = page(client, p.alice, url + f"?q={house}")
    assert listed(found) == {health.pk}
    assert (
        f"Обращения с номером {house} нет среди тех, что вам доступны; ниже — обращения, где встречается"
        in found
    )
    sign = page(client, p.alice, url + f"?q=№{house}")
    assert listed(sign) == set() and "нет среди тех, что вам доступны." in sign
