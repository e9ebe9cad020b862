"""People read the regulation's clause numbers, not the project's requirement IDs (R-8.1, R-8.3, R-8.9, R-8.10,
R-9, R-10, R-12, R-13, R-14): the main pages, as each role sees them with real data, show «п. 8.3», never
«R-8.3»; so do the XLSX reports. Stored values keep the R-IDs (`Violation.rid`), and so does the JSON export,
which gains the clause beside it."""

from __future__ import annotations

import html
import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from otklik.analysis import surges
from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.cases.models import Violation
from otklik.org.models import Person
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk
from tests.reports.builders import October, build_october, hot_water_surge, message

pytestmark = pytest.mark.django_db
R_ID = re.compile(r"R-\d")


def login(username: str) -> Client:
    client = Client()
    client.force_login(Person.objects.get(username=username))
    return client


def visible(response: Any, status: int = 200) -> str:
    """What a person reads on the page: the text without scripts, styles, comments, tags and attributes."""
    assert response.status_code == status, response.status_code
    page = response.content.decode()
    page = re.sub(r"<(script|style)\b.*?</\1\s*>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<!--.*?-->", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page))


def no_requirement_ids(text: str) -> None:
    found = [text[max(m.start() - 60, 0) : m.end() + 20] for m in R_ID.finditer(text)]
    assert not found, found


@pytest.fixture
def october(personas: Personas) -> October:
    return build_october(personas)


def test_curator_pages_show_clauses(personas: Personas, october: October) -> None:
    """R-8.1, R-8.9, R-10, R-12, R-14: the curator's inbox, the dispatch form of a new message, the review queue
    and a case with violations speak of «п. 8.1», «пп. 8.1, 8.9», «п. 12»; the menu says «Срочные
    оповещения»."""
    curator = login("curator")
    inbox = visible(curator.get(reverse("cases:inbox")))
    no_requirement_ids(inbox)
    assert "ещё не направленные в работу (п. 8.1 Положения)" in inbox

    fresh = message(msk(2025, 10, 22, 10, 0))
    form = visible(curator.get(reverse("cases:dispatch", args=[fresh.pk])))
    no_requirement_ids(form)
    assert "Органы и очерёдность (пп. 8.1, 8.9)" in form
    assert "Исключить из работы (п. 10)" in form and "Общественно значимое (п. 14)" in form

    no_requirement_ids(visible(curator.get(reverse("cases:review_queue"))))

    case = visible(curator.get(reverse("cases:detail", args=[october.d.pk])))
    no_requirement_ids(case)
    assert "Нарушения сроков (п. 12)" in case
    assert "направить проект (п. 8.4) — Алексеева Тест" in case
    assert "подготовка и размещение ответа (п. 8.3)" in case


def test_executor_pages_show_clauses(personas: Personas, october: October) -> None:
    """R-8.3, R-8.9, R-8.10, R-9: the executor's case page and draft editor of a repeated message name the clauses
    (deadline stages «(п. 8.3)», the measures «(п. 8.10: …)», the photos «(п. 9: …)»)."""
    p = personas
    repeat = actions.dispatch_case(
        p.curator,
        [message(msk(2025, 10, 14, 9, 0))],
        [Route(p.health)],
        repeat_of=october.a,
        now=msk(2025, 10, 14, 10, 0),
    )
    alice = login("alice")
    case = visible(alice.get(reverse("cases:detail", args=[repeat.pk])))
    no_requirement_ids(case)
    assert "подготовка и размещение ответа (п. 8.3)" in case
    editor = visible(alice.get(reverse("cases:draft", args=[repeat.pk])))
    no_requirement_ids(editor)
    assert "Принятые меры или ход решения (п. 8.10: обращение повторное — обязательно)" in editor
    assert "Фото или видео (п. 9: подтверждение выполненных работ)" in editor
    assert "Обращение повторное (п. 8.10 Положения)" in editor
    assert "направить проект (п. 8.4)" in editor

    sent = alice.post(
        reverse("cases:draft", args=[repeat.pk]), {"kind": "answer", "text": "Здравствуйте! Сделаем."}
    )
    refusal = visible(sent, 400)  # refused when sent, not at the curator's approval
    no_requirement_ids(refusal)
    assert (
        "Повторное обращение (п. 8.10 Положения): заполните поле «Принятые меры или ход решения»" in refusal
    )
    assert not repeat.drafts.exists()


def test_reports_and_dashboards_show_clauses(personas: Personas, october: October) -> None:
    """R-12, R-13: the observer's dashboard, monthly report and violations report, and a body head's dashboard,
    show «п. 8.3», «п. 12» and the violations' stages with their clauses."""
    observer = login("observer")
    dashboard = visible(observer.get(reverse("reports:dashboard")))
    no_requirement_ids(dashboard)
    assert "Срочные оповещения" in dashboard  # the menu
    monthly = visible(observer.get(reverse("reports:monthly") + "?month=2025-10"))
    no_requirement_ids(monthly)
    assert "Ответ в срок (п. 8.3)" in monthly
    violations = visible(observer.get(reverse("reports:violations") + "?from=2025-10-01&to=2025-10-31"))
    no_requirement_ids(violations)
    assert "Каждое нарушение срока (п. 12 Положения)" in violations
    assert "направить проект (п. 8.4)" in violations and "разместить ответ (п. 8.7)" in violations
    rating = visible(observer.get(reverse("reports:rating") + "?quarter=2025Q4"))
    no_requirement_ids(rating)
    assert "доля ответов в срок (п. 8.3)" in rating

    head = visible(login("health_head").get(reverse("reports:dashboard")))
    no_requirement_ids(head)
    assert "Сотрудники органа: нарушения сроков (п. 12)" in head


def test_alerts_page_shows_clauses(personas: Personas) -> None:
    """R-14: the observer's alerts page with a raised surge alert is titled with «п. 14 Положения»."""
    hot_water_surge(personas)
    assert surges.detect(msk(2025, 10, 8, 11, 40))
    page = visible(login("observer").get(reverse("notify:alerts")))
    no_requirement_ids(page)
    assert "Срочные оповещения Губернатору (п. 14 Положения)" in page


def test_violations_xlsx_and_json_show_clauses(personas: Personas, october: October) -> None:
    """R-12: every cell of the violations workbook reads «п. 8.4», never «R-8.4»; the JSON keeps the stored
    requirement ID and adds the clause."""
    assert set(Violation.objects.values_list("rid", flat=True)) >= {"R-8.3", "R-8.4", "R-8.7"}  # stored as is
    observer = login("observer")
    url = reverse("reports:violations") + "?from=2025-10-01&to=2025-10-31"
    book = load_workbook(io.BytesIO(observer.get(url + "&format=xlsx").content))
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    no_requirement_ids(" | ".join(cells))
    rows = list(book["Все нарушения"].iter_rows(values_only=True))
    stage_column = rows[0].index("Этап (пункт Положения)")
    assert {row[stage_column].split("(")[-1] for row in rows[1:]} >= {"п. 8.3)", "п. 8.4)", "п. 8.7)"}

    monthly = load_workbook(
        io.BytesIO(observer.get(reverse("reports:monthly") + "?month=2025-10&format=xlsx").content)
    )
    monthly_cells = [
        str(v)
        for s in monthly.worksheets
        for row in s.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]
    no_requirement_ids(" | ".join(monthly_cells))
    assert "Ответ в срок (п. 8.3), %" in monthly_cells

    data = json.loads(observer.get(url + "&format=json").content)
    assert {(v["rid"], v["clause"]) for v in data["violations"]} >= {("R-8.4", "п. 8.4"), ("R-8.3", "п. 8.3")}


def test_breach_and_reminder_texts_and_the_admins_terms_speak_of_clauses(
    personas: Personas, client: Client
) -> None:
    """R-12, R-8.4: the notice of a missed deadline (in the app and in the letter) names the stage with its
    clause and no R-ID; the administrator's list of the regulation's terms shows «п. 8.4» and does not let the
    clause be edited."""
    from otklik.cases import sla
    from otklik.cases.models import Notification
    from otklik.cases.policy import Policy, ensure_defaults

    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    sla.sweep(now=msk(2025, 4, 28, 11, 0))  # a reminder of the draft's 5 hours, at least
    sla.sweep(now=msk(2025, 4, 29, 12, 0))  # the draft and the whole term are missed
    texts = [n.text for n in Notification.objects.filter(case=case)]
    assert any("Нарушен срок по обращению" in t and "(п. 8.4)" in t for t in texts), texts
    for t in texts:
        no_requirement_ids(t)
    ensure_defaults()
    admin = Person.objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    listing = visible(client.get("/admin/cases/policy/"))
    assert "п. 8.4" in listing
    no_requirement_ids(listing)
    draft = Policy.objects.get(key="draft")
    change = client.get(f"/admin/cases/policy/{draft.pk}/change/").content.decode()
    assert 'name="rid"' not in change and "п. 8.4" in change
