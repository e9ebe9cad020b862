"""Figures of the reports checked by hand on the awkward cases of a real month (R-12, R-13): an interim answer and
a final one, the common answer of several bodies, the government's own answers read back from the network, a
body that refused a case, bodies and people of the same name, a rating formula without weights, and a case
dispatched on the last working day of October and answered after the November holidays."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from otklik.cases import actions, sla
from otklik.cases.actions import Route
from otklik.cases.models import Case, Draft
from otklik.intake.models import Message
from otklik.org.models import Body, Role
from otklik.reports import dashboard, deficiencies, export, monthly, periods, rating
from otklik.reports.models import RatingComponent
from tests.conftest import Personas, make_person, msk
from tests.reports.builders import TEXT, message, publish, two_bodies

pytestmark = pytest.mark.django_db
OCTOBER = periods.month(2025, 10)
Q4 = periods.quarter(2025, 4)


def _row(rows: list[dict], body: str) -> dict:
    return next(r for r in rows if r["body"] == body)


def _health_quality(client: Client) -> dict:
    """The health body's quality row as the page, the JSON and the XLSX give it."""
    page = client.get("/reports/monthly/?month=2025-10")
    assert page.status_code == 200
    data = client.get("/reports/monthly/?month=2025-10&format=json").json()
    sheet = load_workbook(io.BytesIO(client.get("/reports/monthly/?month=2025-10&format=xlsx").content))
    xlsx = {r[0]: r for r in sheet["Качество"].iter_rows(min_row=2, values_only=True)}
    return {
        "html": page.content.decode(),
        "json": _row(data["quality"]["rows"], "Здравоохранение"),
        "xlsx": xlsx,
    }


# ------------------------------------------------------------------ returns per draft: a draft is not a case's Nth
def test_r13_an_interim_and_a_final_answer_are_two_drafts_of_which_one_was_returned(
    personas: Personas, client: Client
) -> None:
    """R-13, R-8.8: interim answer (not returned), then the final answer returned once and revised: two drafts,
    one return — 0,5 returns per draft, not 1 (the final answer is the case's second draft, not a revision)."""
    p = personas
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 1, 9, 0))], [Route(p.health)], now=msk(2025, 10, 1, 10, 0)
    )
    interim = actions.submit_draft(p.alice, case, "interim", TEXT, now=msk(2025, 10, 1, 11, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 10, 1, 11, 10))
    publish(p.alice, interim, msk(2025, 10, 1, 11, 20))
    final = actions.submit_draft(p.alice, case, "answer", TEXT, now=msk(2025, 10, 6, 10, 0))
    actions.return_draft(p.curator, final, "Уточните сроки", now=msk(2025, 10, 6, 10, 10))
    revised = actions.revise_draft(p.alice, final, TEXT + " Срок — июнь.", now=msk(2025, 10, 6, 10, 30))
    actions.approve_draft(p.curator, revised, now=msk(2025, 10, 6, 10, 40))
    publish(p.alice, revised, msk(2025, 10, 6, 10, 50))

    q = monthly.build(OCTOBER)["quality"]
    health = _row(q["rows"], "Здравоохранение")
    assert (health["drafts"], health["returns"], health["returns_per_draft"]) == (2, 1, 0.5)
    assert health["scored"] == 3  # every version: interim, final, revised final
    assert (q["total"]["drafts"], q["total"]["returns_per_draft"]) == (2, 0.5)
    # the working time to the answer is to the interim answer (the first published one): 10:00 → 11:20
    t = _row(monthly.build(OCTOBER)["timeliness"]["rows"], "Здравоохранение")
    assert (t["answered"], t["median_minutes"], t["p90_minutes"]) == (1, 80.0, 80)
    # the page, the JSON and the XLSX say the same
    client.force_login(p.observer)
    shown = _health_quality(client)
    assert (shown["json"]["drafts"], shown["json"]["returns_per_draft"]) == (2, 0.5)
    assert shown["xlsx"]["Здравоохранение"][1:4] == (2, 1, 0.5)
    assert (
        '<td>Здравоохранение</td><td class="num">2</td><td class="num">1</td><td class="num">0,50</td>'
        in (shown["html"])
    )


def test_r13_a_draft_returned_twice_is_one_draft_with_two_returns(personas: Personas) -> None:
    """R-13, R-8.6: versions 1, 2, 3 of one draft, two returns: 2 returns per draft; «without returns» is 0."""
    p = personas
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 2, 9, 0))], [Route(p.health)], now=msk(2025, 10, 2, 10, 0)
    )
    d = actions.submit_draft(p.alice, case, "answer", TEXT, now=msk(2025, 10, 2, 11, 0))
    for i, at in enumerate((11, 12)):
        actions.return_draft(p.curator, d, "Ещё раз", now=msk(2025, 10, 2, at, 10))
        d = actions.revise_draft(p.alice, d, f"{TEXT} Правка {i + 1}.", now=msk(2025, 10, 2, at, 30))
    actions.approve_draft(p.curator, d, now=msk(2025, 10, 2, 14, 0))
    publish(p.alice, d, msk(2025, 10, 2, 14, 10))
    health = _row(monthly.build(OCTOBER)["quality"]["rows"], "Здравоохранение")
    assert (health["drafts"], health["returns"], health["returns_per_draft"], health["scored"]) == (
        1,
        2,
        2.0,
        3,
    )
    assert rating.components(Q4)[p.health.pk][1][RatingComponent.Metric.NO_RETURNS] == 0.0


def test_r13_the_common_answer_of_several_bodies_is_a_draft_of_its_composer(personas: Personas) -> None:
    """R-13, R-8.9: health and roads send their parts, roads' executor composes the common answer, it is returned
    once: roads has one draft and one return (1,0 per draft), so its rating component «without returns» is 0 —
    the return is not lost because the common answer is the case's third draft."""
    p = personas
    case = two_bodies(p)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется в июне.", now=msk(2025, 10, 1, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 10, 1, 11, 30))
    case.refresh_from_db()
    common = actions.submit_draft(p.dave, case, "answer", TEXT, now=msk(2025, 10, 1, 12, 0))
    actions.return_draft(p.curator, common, "Добавьте про поликлинику", now=msk(2025, 10, 1, 12, 10))
    revised = actions.revise_draft(
        p.dave, common, TEXT + " Поликлиника — в июне.", now=msk(2025, 10, 1, 12, 20)
    )
    actions.approve_draft(p.curator, revised, now=msk(2025, 10, 1, 12, 30))
    publish(p.dave, revised, msk(2025, 10, 1, 12, 40))

    q = monthly.build(OCTOBER)["quality"]
    roads = _row(q["rows"], "Дороги")
    assert (roads["drafts"], roads["returns"], roads["returns_per_draft"]) == (1, 1, 1.0)
    # each body's timeliness (R-8.3 with R-8.9): health's share is its part, 10:00 → 11:00 = 60 min; roads'
    # executor composed, so roads' deadline ran to the common answer, 10:00 → 12:40 = 160 min
    t = monthly.build(OCTOBER)["timeliness"]
    assert [(r["body"], r["on_time_share"], r["median_minutes"]) for r in t["rows"] if r["cases"]] == [
        ("Дороги", 1.0, 160.0),
        ("Здравоохранение", 1.0, 60.0),
    ]
    values = rating.components(Q4)[p.roads.pk][1]
    assert values[RatingComponent.Metric.NO_RETURNS] == 0.0


def test_r13_parts_reviewed_one_by_one_count_as_drafts(personas: Personas) -> None:
    """R-13, R-8.9: parts published one by one go to review like answers: health's part returned once is one
    draft with one return."""
    p = personas
    case = two_bodies(p, Case.MultiMode.PARTS_ONE_BY_ONE)
    part = actions.submit_draft(p.alice, case, "part", TEXT, now=msk(2025, 10, 1, 11, 0))
    actions.submit_draft(p.dave, case, "part", TEXT, now=msk(2025, 10, 1, 11, 30))
    part.refresh_from_db()
    assert part.state == Draft.State.SUBMITTED  # brought to review first
    actions.return_draft(p.curator, part, "Поздоровайтесь", now=msk(2025, 10, 1, 11, 40))
    health = _row(monthly.build(OCTOBER)["quality"]["rows"], "Здравоохранение")
    assert (health["drafts"], health["returns"], health["returns_per_draft"]) == (1, 1, 1.0)


# ------------------------------------------------------------------ messages: the government's own are not counted
def test_r13_our_own_answers_read_back_are_not_citizens_messages(personas: Personas, client: Client) -> None:
    """R-13 (clause 13, «динамика сообщений из открытых источников»): a published answer read back from the network
    and an official account's post (`is_official`) are not messages of the dynamics nor today's incoming."""
    citizen = message(msk(2025, 10, 14, 9, 0))
    ours = message(msk(2025, 10, 14, 9, 30))
    official = message(msk(2025, 10, 14, 9, 40), network="telegram")
    Message.objects.filter(pk__in=[ours.pk, official.pk]).update(is_official=True)
    d = monthly.build(OCTOBER)["dynamics"]
    assert d["total"]["current"] == 1
    assert [(r["name"], r["current"]) for r in d["network"]["rows"]] == [("ВКонтакте", 1)]
    o = dashboard.overview(msk(2025, 10, 14, 12, 0))
    assert o["incoming_today"] == 1 and o["by_network"] == [{"name": "ВКонтакте", "count": 1}]
    assert o["trend"][-1]["count"] == 1
    client.force_login(personas.observer)
    data = client.get("/reports/monthly/?month=2025-10&format=json").json()
    assert data["dynamics"]["total"]["current"] == 1
    assert citizen.pk  # the citizen's message is the one counted


# ------------------------------------------------------------------ dashboards
def _refused_and_reassigned(p: Personas) -> Case:
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 7, 9, 0))], [Route(p.roads)], now=msk(2025, 10, 7, 10, 0)
    )
    refused = actions.reject_assignment(
        p.dave, case.assignments.get(), "Это поликлиника", now=msk(2025, 10, 7, 10, 30)
    )
    actions.reassign(p.curator, refused, p.health, now=msk(2025, 10, 7, 10, 40))
    return case


def test_dashboard_a_body_that_refused_a_case_has_it_no_longer_open(
    personas: Personas, client: Client
) -> None:
    """R-8.2: roads refused case 1 in time and health got it; only case 2 (roads and health together) is open for
    roads. Both cases are overdue (sweep of Thursday): two overdue cases, not three (case 2 is late for both
    bodies)."""
    p = personas
    refused = _refused_and_reassigned(p)
    both = actions.dispatch_case(
        p.curator,
        [message(msk(2025, 10, 7, 9, 0))],
        [Route(p.roads, 1), Route(p.health, 1)],
        now=msk(2025, 10, 7, 10, 0),
    )
    now = msk(2025, 10, 9, 12, 0)
    sla.sweep(now=now)
    o = dashboard.overview(now)
    assert o["open_total"] == 2 and o["overdue_total"] == 2
    assert [(r["body"], r["open"], r["overdue"]) for r in o["by_body"]] == [
        ("Здравоохранение", 2, 2),
        ("Дороги", 1, 1),
    ]
    # roads' head sees only case 2; its nearest deadline is roads' own (R-8.9 part due 07.10 15:45)
    rows = dashboard.body_cases({p.roads.pk}, now)
    assert [(r["case"].pk, r["overdue"]) for r in rows] == [(both.pk, True)]
    assert rows[0]["next_due"] == msk(2025, 10, 7, 15, 45)
    client.force_login(p.roads_head)
    html = client.get("/reports/").content.decode()
    assert f"№ {both.pk}</a>" in html and f"№ {refused.pk}</a>" not in html
    client.force_login(p.observer)
    html = client.get("/reports/").content.decode()
    assert re.search(r'data-testid="overdue-total">2<', html) and re.search(
        r'data-testid="open-total">2<', html
    )


def test_dashboard_a_heads_case_is_not_overdue_for_the_curators_review(personas: Personas) -> None:
    """The head of health: the draft is sent in time; the curator's review (R-8.5) is overdue, which is not the
    body's deadline — the case shows health's own next deadline (R-8.3) and is not marked overdue."""
    p = personas
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 8, 9, 0))], [Route(p.health)], now=msk(2025, 10, 8, 10, 0)
    )
    actions.submit_draft(p.alice, case, "answer", TEXT, now=msk(2025, 10, 8, 11, 0))
    now = msk(2025, 10, 8, 12, 30)  # review was due 12:00
    rows = dashboard.body_cases({p.health.pk}, now)
    # 9 working hours from Wed 10:00 = Thu 10:45
    assert [(r["case"].pk, r["next_due"], r["overdue"]) for r in rows] == [
        (case.pk, msk(2025, 10, 9, 10, 45), False)
    ]


# ------------------------------------------------------------------ the rating
def test_r13_two_bodies_with_the_same_short_name_are_both_rated(personas: Personas) -> None:
    """R-13: two municipal administrations with the same short name are two rows of the rating, each with its own
    figures (neither disappears), and the change is matched by the body, not the name."""
    p = personas
    gatchina = Body.objects.create(name="Администрация Гатчинского района", short_name="Администрация района")
    kirovsk = Body.objects.create(name="Администрация Кировского района", short_name="Администрация района")
    g = make_person("gatchina_exec", gatchina, Role.Kind.EXECUTOR)
    make_person("kirovsk_exec", kirovsk, Role.Kind.EXECUTOR)
    # Gatchina answers in time; Kirovsk never answers (the sweep records)
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 7, 9, 0))], [Route(gatchina)], now=msk(2025, 10, 7, 10, 0)
    )
    d = actions.submit_draft(g, case, "answer", TEXT, now=msk(2025, 10, 7, 11, 0))
    actions.approve_draft(p.curator, d, now=msk(2025, 10, 7, 11, 10))
    publish(g, d, msk(2025, 10, 7, 11, 20))
    actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 7, 9, 0))], [Route(kirovsk)], now=msk(2025, 10, 7, 10, 0)
    )
    sla.sweep(now=msk(2025, 10, 9, 12, 0))
    rows = rating.build(Q4)["rows"]
    assert [(r["body"], r["body_id"], r["rank"]) for r in rows] == [
        ("Администрация района", gatchina.pk, 1),
        ("Администрация района", kirovsk.pk, 2),
    ]
    assert rows[1]["components"][RatingComponent.Metric.ON_TIME] == 0.0
    _header, cells = rating.table(rating.build(Q4))
    assert len(cells) == 2


def test_r13_a_formula_without_weights_says_so_instead_of_no_cases(
    personas: Personas, client: Client
) -> None:
    """R-13: when an administrator sets every weight to 0, the rating cannot be computed: the page and the PDF say
    why, not «За квартал нет обращений»; one weight of 0 only switches its component off."""
    p = personas
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 7, 9, 0))], [Route(p.roads)], now=msk(2025, 10, 7, 10, 0)
    )
    sla.sweep(
        now=msk(2025, 10, 8, 12, 0)
    )  # roads sent no draft: breached, roads has work to be rated on
    assert case.deadlines.filter(breached_at__isnull=False).exists()
    RatingComponent.objects.update(weight=0)
    data = rating.build(Q4)
    assert data["rows"] == [] and data["formula_problem"] == rating.NO_FORMULA
    client.force_login(p.observer)
    html = client.get("/reports/rating/?quarter=2025Q4").content.decode()
    assert "Рейтинг не рассчитан: ни у одной учитываемой составляющей" in html
    assert "За квартал нет обращений" not in html
    assert rating.formula_text(data) == rating.NO_FORMULA
    # one component at weight 1, the others 0: only «без отказа» is weighed, and roads refused nothing — nothing
    # the formula weighs shows its work (session 26: it ranked 100 on «no refusals» alone, late on everything); the
    # empty ranking says which components are not counted
    RatingComponent.objects.filter(metric=RatingComponent.Metric.NO_REJECTIONS).update(weight=1)
    data = rating.build(Q4)
    assert data["rows"] == []
    assert "нет отказа по компетенции (составляющие с весом 0 не учитываются: " in rating.empty_text(data)


def test_r13_the_formula_in_the_pdf_says_what_it_divides_by(personas: Personas) -> None:
    """R-13: a body without drafts has no «without returns» and no checker score: its score divides by the
    weights it has data for, and the formula printed in the PDF says so (hand check: roads refused nothing, its
    only case is open, its draft (R-8.4, due Tue 07.10 15:00) not sent by the sweep of Wed 08.10 12:00, the answer
    (R-8.3, due Wed 08.10 10:45) late too: on time 0 of 1 (weight 3), stages 0 of 2 (1), no violations 0 of 1
    case (1), no rejections 1 (1) → 100 × (3·0 + 1·0 + 1·0 + 1·1) ÷ 6 = 16,7)."""
    p = personas
    actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 7, 9, 0))], [Route(p.roads)], now=msk(2025, 10, 7, 10, 0)
    )
    sla.sweep(now=msk(2025, 10, 8, 12, 0))
    data = rating.build(Q4)
    assert [(r["body"], r["score"]) for r in data["rows"]] == [("Дороги", 16.7)]
    text = rating.formula_text(data)
    assert "÷ сумма весов составляющих, по которым у органа есть данные (при всех данных — 10)" in text
    assert export.rating_pdf(data).startswith(b"%PDF")


# ------------------------------------------------------------------ deficiencies
def test_r12_two_people_of_the_same_name_are_two_rows(personas: Personas) -> None:
    """R-12: the deficiencies report identifies people for disciplinary decisions: two executors of health with
    the same full name are two rows by person, each with their own case."""
    p = personas
    twin = make_person("alice2", p.health, Role.Kind.EXECUTOR, last_name="Алексеева")
    c1 = actions.dispatch_case(
        p.curator,
        [message(msk(2025, 10, 7, 9, 0))],
        [Route(p.health, executor=p.alice)],
        now=msk(2025, 10, 7, 10, 0),
    )
    c2 = actions.dispatch_case(
        p.curator,
        [message(msk(2025, 10, 7, 9, 0))],
        [Route(p.health, executor=twin)],
        now=msk(2025, 10, 7, 10, 0),
    )
    sla.sweep(now=msk(2025, 10, 7, 16, 0))  # 10:00 + 300 working minutes (lunch 13:00–13:45) = 15:45
    data = deficiencies.build(OCTOBER)
    assert [(g["person"], g["cases"], g["violations"]) for g in data["by_person"]] == [
        ("Алексеева Тест", [c1.pk], 1),
        ("Алексеева Тест", [c2.pk], 1),
    ]
    assert [(g["body"], g["violations"]) for g in data["by_body"]] == [("Здравоохранение", 2)]


# ------------------------------------------------------------------ across the month and the November holidays
def test_r12_r13_dispatched_on_the_last_working_day_answered_after_the_holidays(personas: Personas) -> None:
    """R-13, R-12, working time: dispatched Fri 31.10.2025 15:00 (the last working day of October), answered Wed
    05.11.2025 10:00, after the working Saturday 01.11 (shortened, 09:00–17:00) and the days off 03–04.11.

    Hand count (default schedule, lunch 13:00–13:45): Fri 15:00–16:45 = 105; Sat 09:00–17:00 less lunch = 435;
    Wed 09:00–10:00 = 60 → 600 working minutes to the answer. R-8.3 (540) was due Sat 17:00, R-8.4 (300) Sat
    12:15; the draft went in Wed 09:20: late by 45 + 195 + 20 = 260 min, the answer by 60 min.
    October counts the case and its late answer (by dispatch); November counts the two violations (detected by
    the sweep of Sat 17:01)."""
    p = personas
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 31, 14, 0))], [Route(p.health)], now=msk(2025, 10, 31, 15, 0)
    )
    sla.sweep(now=msk(2025, 11, 1, 17, 1))
    d = actions.submit_draft(p.alice, case, "answer", TEXT, now=msk(2025, 11, 5, 9, 20))
    actions.approve_draft(p.curator, d, now=msk(2025, 11, 5, 9, 40))
    publish(p.alice, d, msk(2025, 11, 5, 10, 0))

    october = _row(monthly.build(OCTOBER)["timeliness"]["rows"], "Здравоохранение")
    assert (october["cases"], october["answer_deadlines"], october["answer_late"]) == (1, 1, 1)
    assert (october["median_minutes"], october["p90_minutes"], october["violations"]) == (600.0, 600, 0)
    november = monthly.build(periods.month(2025, 11))["timeliness"]
    assert november["rows"] == [] or all(r["cases"] == 0 for r in november["rows"])
    assert november["total"]["violations"] == 2
    v = deficiencies.build(periods.month(2025, 11))["violations"]
    assert [(r["rid"], r["due_at"], r["done_at"], r["late_minutes"]) for r in v] == [
        ("R-8.4", "01.11.2025 12:15", "05.11.2025 09:20", 260),
        ("R-8.3", "01.11.2025 17:00", "05.11.2025 10:00", 60),
    ]
    assert deficiencies.build(OCTOBER)["total"] == 0
    # the executor's own record shows the same two violations and late minutes
    mine = deficiencies.rows(p.alice.violations.all())
    assert sum(r["late_minutes"] for r in mine) == 320


def test_r13_a_negative_weight_is_refused_in_russian() -> None:
    from decimal import Decimal

    from django.core.exceptions import ValidationError

    from otklik.reports.models import RatingComponent

    component = RatingComponent(metric="on_time", weight=Decimal("-1"))
    with pytest.raises(ValidationError) as refused:
        component.full_clean()
    assert "Вес не может быть отрицательным" in str(refused.value)
