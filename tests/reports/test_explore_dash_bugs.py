"""Bugs found by exploratory testing of the dashboards and report pages as a body's head and as the
vice-governor's office (R-12, R-13, R-7.2): a body's part already answered, an overdue duty without a body,
the monthly PDF's time, a head's people and the head's list of cases."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from otklik.cases import actions, sla
from otklik.cases.actions import Route
from otklik.governor import actions as governor
from otklik.org.models import Body, Municipality, Role
from otklik.reports import dashboard, periods
from tests.conftest import Personas, make_person, msk
from tests.governor.helpers import comment, governor_post, governor_source
from tests.reports.builders import TEXT, message

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _two_body_question(p: Personas) -> int:
    """R-7.2: a comment under the Governor's post asks about a road and a clinic: roads answers, health joins;
    health's answer is published at 09:55, roads still drafts (and is late from 11:10)."""
    post = governor_post(governor_source(), msk(2025, 10, 8, 9, 0))
    asked = comment(
        post, "Когда починят дорогу к поликлинике и когда там будет терапевт?", msk(2025, 10, 8, 9, 10)
    )
    case = governor.open_question(
        asked, p.roads, started_at=msk(2025, 10, 8, 9, 10), now=msk(2025, 10, 8, 9, 15)
    )
    governor.join_question(case, p.alice, p.health, now=msk(2025, 10, 8, 9, 30))
    governor.submit_answer(case, p.alice, TEXT, now=msk(2025, 10, 8, 9, 50))
    governor.confirm_publication(
        case, method="api", external_id="h1", actor=p.alice, now=msk(2025, 10, 8, 9, 55)
    )
    return case.pk


def test_r7_2_a_body_that_published_its_part_no_longer_has_the_question_open(
    personas: Personas, client: Client
) -> None:
    """R-7.2, R-13: health has published its answer to its part of a two-body question; roads has not. The
    office's table counts the question open (and late) for roads only; health's head no longer sees it among
    the body's open cases (it has no deadline left there: «—»)."""
    p = personas
    pk = _two_body_question(p)
    now = msk(2025, 10, 8, 15, 0)
    sla.sweep(now=now)
    o = dashboard.overview(now)
    assert o["open_total"] == 1 and o["overdue_total"] == 1
    assert [(r["body"], r["open"], r["overdue"]) for r in o["by_body"]] == [("Дороги", 1, 1)]
    assert dashboard.body_cases({p.health.pk}, now) == []
    assert [r["case"].pk for r in dashboard.body_cases({p.roads.pk}, now)] == [pk]
    client.force_login(p.health_head)
    assert f"№ {pk}</a>" not in client.get("/reports/").content.decode()
    client.force_login(p.roads_head)
    assert f"№ {pk}</a>" in client.get("/reports/").content.decode()


def test_an_overdue_review_of_a_curator_without_a_body_is_a_row_of_the_table(
    personas: Personas, client: Client
) -> None:
    """R-8.5, R-13: a curator who belongs to no body is late with the review; «С нарушенным сроком: 1» must be
    found in the table by body (as «без органа»), not only in the total."""
    p = personas
    curator = make_person("curator2", None, Role.Kind.CURATOR, last_name="Кузнецова")
    case = actions.dispatch_case(
        curator, [message(msk(2025, 10, 8, 9, 0))], [Route(p.health)], now=msk(2025, 10, 8, 10, 0)
    )
    actions.submit_draft(p.alice, case, "answer", TEXT, now=msk(2025, 10, 8, 11, 0))
    now = msk(2025, 10, 8, 12, 30)  # the review was due 12:00; health's own deadlines run
    o = dashboard.overview(now)
    assert o["overdue_total"] == 1
    rows = {r["body"]: (r["open"], r["overdue"]) for r in o["by_body"]}
    assert rows == {"Здравоохранение": (1, 0), "без органа": (0, 1)}
    assert sum(r["overdue"] for r in o["by_body"]) == o["overdue_total"]


def test_r13_the_monthly_pdf_says_when_it_was_made_in_moscow_time(
    personas: Personas, client: Client, tmp_path: Path
) -> None:
    """R-13: the PDF downloaded from the page says «Сформирован ДД.ММ.ГГГГ ЧЧ:ММ» in Moscow time (the page and
    every other time of the reports are Moscow time), not in UTC three hours earlier."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (scripts/ensure-system-deps.sh)")
    client.force_login(personas.observer)
    before = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    pdf = client.get("/reports/monthly/?month=2025-10&format=pdf")
    after = timezone.localtime().replace(tzinfo=None)
    path = tmp_path / "monthly.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout
    found = re.search(r"Сформирован (\d\d\.\d\d\.\d{4} \d\d:\d\d)", text)
    assert found, text[:300]
    made = datetime.strptime(found[1], "%d.%m.%Y %H:%M")
    assert before <= made <= after


def test_r12_a_head_sees_the_people_of_the_body_with_their_records(
    personas: Personas, client: Client
) -> None:
    """R-12: the head of health finds on the dashboard the people of the body with their missed deadlines and
    opens a person's record from there; the people of another body are not listed."""
    p = personas
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 7, 9, 0))], [Route(p.health)], now=msk(2025, 10, 7, 10, 0)
    )
    sla.sweep(now=msk(2025, 10, 8, 12, 0))  # alice: missed
    assert case.violations.filter(person=p.alice).count() == 2
    client.force_login(p.health_head)
    html = client.get("/reports/").content.decode()
    people = html.split('data-testid="body-people"')[1].split("</table>")[0]
    record = f'href="/reports/people/{p.alice.pk}/record/"'
    assert record in people
    row = next(r for r in people.split("<tr") if record in r)
    assert "Алексеева" in row and ">2<" in row
    assert "Давыдов" not in people and "Борисов" in people
    page = client.get(f"/reports/people/{p.alice.pk}/record/")
    assert page.status_code == 200
    assert re.search(r'data-testid="record-total">2<', page.content.decode())


def test_a_heads_list_says_how_many_cases_are_open_and_overdue(personas: Personas, client: Client) -> None:
    """The head of roads: three open cases of the body, one of them overdue (the curator's sweep of Thursday);
    the heading of the list gives the same figures as the office's row for roads."""
    p = personas
    late = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 7, 9, 0))], [Route(p.roads)], now=msk(2025, 10, 7, 10, 0)
    )
    for day in (9, 9):
        actions.dispatch_case(
            p.curator, [message(msk(2025, 10, day, 9, 0))], [Route(p.roads)], now=msk(2025, 10, day, 10, 0)
        )
    now = msk(2025, 10, 9, 11, 0)
    row = next(r for r in dashboard.overview(now)["by_body"] if r["body"] == "Дороги")
    totals = dashboard.body_totals({p.roads.pk}, now)
    assert (row["open"], row["overdue"]) == (3, 1) == (totals["open"], totals["overdue"])
    assert [r["case"].pk for r in dashboard.body_cases({p.roads.pk}, now) if r["overdue"]] == [late.pk]
    client.force_login(p.roads_head)
    text = _text(client.get("/reports/").content.decode())
    assert "Открыто: 3" in text


def test_r13_the_period_arrows_offer_only_periods_that_can_be_shown(
    personas: Personas, client: Client
) -> None:
    """R-13 period pickers: the month arrows lead to months the report is built for — the next month only once
    it has begun (as the rating's quarters), nothing before 2000-01 or after 2100-12 (which answer with an
    error), and every offered month opens; the rating offers no quarter before 2000Q1."""
    client.force_login(personas.observer)
    today = timezone.localdate()
    this = periods.month(today.year, today.month)
    last = periods.previous_month(this)
    following = periods.month(this.end.year, this.end.month)
    html = client.get(f"/reports/monthly/?month={last.key}").content.decode()
    assert f'href="?month={this.key}"' in html and "следующий месяц" in html
    html = client.get(f"/reports/monthly/?month={this.key}").content.decode()
    assert f'href="?month={following.key}"' not in html and "следующий месяц" not in html
    for month, gone in (("2000-01", "1999-12"), ("2100-12", "2101-01")):
        html = client.get(f"/reports/monthly/?month={month}").content.decode()
        assert f"?month={gone}" not in html
        for offered in re.findall(r'href="\?month=(\d{4}-\d\d)"', html):
            assert client.get(f"/reports/monthly/?month={offered}").status_code == 200
    html = client.get("/reports/rating/?quarter=2000Q1").content.decode()
    assert "?quarter=1999Q4" not in html
    for offered in re.findall(r'href="\?quarter=(\d{4}Q\d)"', html):
        assert client.get(f"/reports/rating/?quarter={offered}").status_code == 200


def test_r13_the_weeks_messages_by_municipal_formation_add_up_to_the_trend(personas: Personas) -> None:
    """R-13 dashboard: messages of the week in 18 municipal formations (as many as the oblast has) and one
    message not taken into work: every formation is a row, none is cut off, and the rows add up to the week's
    trend."""
    p = personas
    for i in range(18):
        place = Municipality.objects.create(name=f"Муниципальное образование {i + 1:02d}")
        for _ in range(1 + (i == 0)):
            actions.dispatch_case(
                p.curator,
                [message(msk(2025, 10, 8, 9, i))],
                [Route(p.roads)],
                municipality=place,
                now=msk(2025, 10, 8, 10, 0),
            )
    message(msk(2025, 10, 9, 9, 0))
    o = dashboard.overview(msk(2025, 10, 10, 12, 0))
    assert len(o["by_place"]) == 19
    assert o["by_place"][0] == {"name": "Муниципальное образование 01", "count": 2}
    assert {"name": "не определено", "count": 1} in o["by_place"]
    assert sum(r["count"] for r in o["by_place"]) == sum(t["count"] for t in o["trend"]) == 20


def test_r4_1_a_municipal_administration_sees_only_its_own_work(personas: Personas, client: Client) -> None:
    """R-3, R-4.1: the head of Gatchina's administration sees the administration's case and people only; its
    executor gets no office reports (403, not a server error); an observer reads every body's row."""
    p = personas
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    admin = Body.objects.create(
        name="Администрация Гатчинского муниципального округа",
        short_name="Администрация Гатчины",
        level=Body.Level.MUNICIPAL,
        municipality=gatchina,
    )
    head = make_person("gatchina_head", admin, Role.Kind.RESPONSIBLE, last_name="Гусева")
    clerk = make_person("gatchina_clerk", admin, Role.Kind.EXECUTOR, last_name="Громов")
    ours = actions.dispatch_case(
        p.curator,
        [message(msk(2025, 10, 8, 9, 0))],
        [Route(admin)],
        municipality=gatchina,
        now=msk(2025, 10, 8, 10, 0),
    )
    theirs = actions.dispatch_case(
        p.curator,
        [message(msk(2025, 10, 8, 9, 5))],
        [Route(p.roads)],
        municipality=gatchina,
        now=msk(2025, 10, 8, 10, 0),
    )
    client.force_login(head)
    html = client.get("/reports/").content.decode()
    assert f"№ {ours.pk}</a>" in html and f"№ {theirs.pk}</a>" not in html
    people = html.split('data-testid="body-people"')[1].split("</table>")[0]
    assert "Громов" in people and "Давыдов" not in people and "Алексеева" not in people
    assert client.get(f"/reports/people/{p.dave.pk}/record/").status_code == 403
    assert client.get("/reports/monthly/").status_code == 403
    client.force_login(clerk)
    for url in ("/reports/", "/reports/monthly/", "/reports/rating/", "/reports/violations/"):
        assert client.get(url).status_code == 403
    assert client.get("/reports/my-record/").status_code == 200
    client.force_login(p.observer)
    html = client.get("/reports/").content.decode()
    assert "Администрация Гатчины" in html and "Дороги" in html
    assert 'data-testid="body-people"' not in html
