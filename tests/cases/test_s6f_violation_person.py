"""R-12 (clause 12 of the regulation: personal responsibility lies with the official who had to act): a missed
deadline is charged to whoever was doing the responsible person's work at the due moment (R-6: the substitute
of an absence, a fallback of the body), with a note saying whose work it was and why; the deficiencies report
and a person's own record show it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from otklik.cases import sla
from otklik.cases.models import Notification, Violation
from otklik.org.models import Absence, Person
from otklik.reports import deficiencies, periods
from tests.cases.helpers import deadline, dispatch, violations
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

# A case reaches the health body on Monday 28.04.2025 09:00 and Alice is its executor: R-8.4 (the draft) is due
# Monday 14:45, R-8.3 (the answer) Tuesday 09:45. The sweep runs on Tuesday at noon.
DISPATCHED = msk(2025, 4, 28, 9, 0)
SWEEP = msk(2025, 4, 29, 12, 0)
APRIL_END = periods.span(msk(2025, 4, 28).date(), msk(2025, 4, 30).date())


def sick_leave(person: Person, substitute: Person | None, starts_at: object) -> Absence:
    return Absence.objects.create(
        person=person,
        substitute=substitute,
        starts_at=starts_at,
        ends_at=msk(2025, 5, 7, 18, 0),
        reason=Absence.Reason.SICK_LEAVE,
    )


def notes(case: object) -> dict[str, str]:
    return {v.rid: v.note for v in Violation.objects.filter(case=case)}


def test_r12_absence_from_midday_before_the_due_moments_charges_the_substitute_with_a_note(
    personas: Personas, client: Client
) -> None:
    """R-12, R-6: Alice falls ill from 11:00 on Monday with Bob as her substitute. Both deadlines fall due while
    Bob does her work, so both violations are Bob's — in the record, in his own page and not in Alice's — and
    each says it was Alice's work and why; the curator's notice says whom it is recorded against."""
    p = personas
    case = dispatch(p.curator, p.health, at=DISPATCHED)
    assert deadline(case, "draft").responsible == p.alice
    sick_leave(p.alice, p.bob, msk(2025, 4, 28, 11, 0))
    assert sla.sweep(now=SWEEP).breached == 2

    assert violations(case) == [("R-8.4", "bob", "Здравоохранение"), ("R-8.3", "bob", "Здравоохранение")]
    for rid, note in notes(case).items():
        assert note.startswith("Вместо ответственного Алексеева Тест к сроку"), (rid, note)
        assert "Алексеева Тест отсутствует до 07.05.2025 18:00" in note, note
        assert "работу выполняет замещающий Борисов Тест" in note, note
    assert "к сроку 28.04.2025 14:45" in notes(case)["R-8.4"]
    curator_notice = Notification.objects.get(recipient=p.curator, kind="breach", deadline__stage="draft")
    assert "Нарушение записано на Борисов Тест." in curator_notice.text, curator_notice.text

    client.force_login(p.bob)
    page = client.get("/reports/my-record/").content.decode()
    assert '<strong data-testid="record-total">2</strong>' in page
    assert "Вместо ответственного Алексеева Тест" in page
    client.force_login(p.alice)
    page = client.get("/reports/my-record/").content.decode()
    assert '<strong data-testid="record-total">0</strong>' in page


def test_r12_an_absence_that_starts_after_a_due_moment_leaves_that_violation_with_the_executor(
    personas: Personas,
) -> None:
    """R-12: Alice falls ill only from 15:00 on Monday. The draft was due at 14:45 while she was at work: that
    violation is hers, with no note, although the notice of the breach now goes to Bob. The answer was due on
    Tuesday at 09:45, while Bob did her work: that one is Bob's."""
    p = personas
    case = dispatch(p.curator, p.health, at=DISPATCHED)
    sick_leave(p.alice, p.bob, msk(2025, 4, 28, 15, 0))
    sla.sweep(now=SWEEP)

    assert violations(case) == [("R-8.4", "alice", "Здравоохранение"), ("R-8.3", "bob", "Здравоохранение")]
    assert notes(case)["R-8.4"] == ""
    assert "Алексеева Тест отсутствует" in notes(case)["R-8.3"]
    # the notice goes to whoever works now, which does not change whom the violation is recorded against
    notice = Notification.objects.get(recipient=p.bob, kind="breach", deadline__stage="draft")
    assert "вместо ответственного" in notice.text and "записано на" not in notice.text, notice.text


def test_r12_a_deactivated_executor_s_violations_go_to_whoever_does_the_body_s_work(
    personas: Personas,
) -> None:
    """R-12, R-6: Alice left the service (her account is switched off) and named no substitute: the body's other
    present executor (by name: Борисов before Чернов) does her work, as `on_duty` names him, and answers for it."""
    p = personas
    case = dispatch(p.curator, p.health, at=DISPATCHED)
    Person.objects.filter(pk=p.alice.pk).update(is_active=False)
    sla.sweep(now=SWEEP)

    assert violations(case) == [("R-8.4", "bob", "Здравоохранение"), ("R-8.3", "bob", "Здравоохранение")]
    for note in notes(case).values():
        assert "Алексеева Тест: учётная запись отключена" in note, note
        assert "работу выполняет другой исполнитель органа: Борисов Тест" in note, note


def test_r12_with_nobody_on_duty_the_violation_is_nobody_s_and_says_so(personas: Personas) -> None:
    """R-12, R-6: Alice is away without a substitute and nobody else of the body is at work: `on_duty` names
    nobody, so the violation is recorded against no person (the body keeps it) and the note says why."""
    p = personas
    case = dispatch(p.curator, p.health, at=DISPATCHED)
    sick_leave(p.alice, None, msk(2025, 4, 28, 11, 0))
    Person.objects.filter(pk__in=[p.bob.pk, p.charlie.pk, p.health_head.pk]).update(is_active=False)
    sla.sweep(now=SWEEP)

    assert violations(case) == [("R-8.4", "", "Здравоохранение"), ("R-8.3", "", "Здравоохранение")]
    for note in notes(case).values():
        assert "Алексеева Тест: замещающий не назначен" in note, note
        assert "в органе не осталось никого на месте — нужно решение куратора" in note, note
    notice = Notification.objects.get(recipient=p.curator, kind="breach", deadline__stage="draft")
    assert "Нарушение записано только на орган: сотрудника на месте не было." in notice.text, notice.text
    rows = deficiencies.build(APRIL_END, now=SWEEP)["violations"]
    assert {(r["person"], r["body"]) for r in rows} == {("не назначен", "Здравоохранение")}


def test_r12_work_done_late_by_the_returning_executor_is_charged_to_the_substitute_of_the_due_moment(
    personas: Personas,
) -> None:
    """R-12: Alice was away at the draft's due moment (Bob substituting) and finished it herself after coming
    back: the late work is a violation of the one who had to act at the due moment, noted as done late."""
    p = personas
    case = dispatch(p.curator, p.health, at=DISPATCHED)
    Absence.objects.create(
        person=p.alice,
        substitute=p.bob,
        starts_at=msk(2025, 4, 28, 11, 0),
        ends_at=msk(2025, 4, 28, 16, 0),
        reason=Absence.Reason.BUSINESS_TRIP,
    )
    draft = deadline(case, "draft")
    sla.finish_deadlines([draft], msk(2025, 4, 28, 16, 30))

    (violation,) = Violation.objects.filter(case=case)
    assert violation.person == p.bob
    assert violation.note.startswith("выполнено после срока. Вместо ответственного Алексеева Тест"), (
        violation.note
    )


def test_r12_the_deficiencies_report_from_the_cli_lists_the_substitute_with_the_note(
    personas: Personas, tmp_path: Path
) -> None:
    """R-12: `otklik report violations --format json` for the vice-governor's office puts both violations on Bob's
    line (not Alice's), and each row carries its note."""
    p = personas
    dispatch(p.curator, p.health, at=DISPATCHED)
    sick_leave(p.alice, p.bob, msk(2025, 4, 28, 11, 0))
    sla.sweep(now=SWEEP)

    out = tmp_path / "violations.json"
    call_command(
        "report",
        "violations",
        "--from",
        "2025-04-28",
        "--to",
        "2025-04-30",
        "--format",
        "json",
        "-o",
        str(out),
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [(g["person"], g["violations"]) for g in data["by_person"]] == [("Борисов Тест", 2)]
    assert {r["person"] for r in data["violations"]} == {"Борисов Тест"}
    assert all("Вместо ответственного Алексеева Тест" in r["note"] for r in data["violations"])

    xlsx = tmp_path / "violations.xlsx"
    call_command("report", "violations", "--from", "2025-04-28", "--to", "2025-04-30", "-o", str(xlsx))
    sheet = load_workbook(xlsx)["Все нарушения"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert {(r["Ответственный"], r["Пояснение"][:37]) for r in rows} == {
        ("Борисов Тест", "Вместо ответственного Алексеева Тест ")
    }
    pdf = tmp_path / "violations.pdf"
    call_command(
        "report",
        "violations",
        "--from",
        "2025-04-28",
        "--to",
        "2025-04-30",
        "--format",
        "pdf",
        "-o",
        str(pdf),
    )
    assert pdf.read_bytes().startswith(b"%PDF")
