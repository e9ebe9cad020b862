"""R-6 (clause 6 of the regulation: while an employee is away their work goes to the substitute): the absence
form and list as an executor who records their own absence sees them.

Found on a walk through the demo as the only executor of a municipal administration: the form offered him as his
own substitute (and then refused the choice); a future absence read in the list as if he were away now, with
«никого» doing his work; and the list declined his name wrongly («замещающий для Кузнецов …»)."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from otklik.cases.models import CaseEvent, Notification
from otklik.cases.sla import sweep
from otklik.org.models import Absence, Body, Person, Role
from tests.cases.helpers import deadline, dispatch
from tests.conftest import Personas, make_person, msk
from tests.org.test_stale_forms_s7 import errors, login, opened

pytestmark = pytest.mark.django_db

NEW = "/directory/absences/new/"
LIST = "/directory/absences/"
NOBODY_TO_SUBSTITUTE = "В органе нет других сотрудников, которые могут замещать"


def substitute_options(page: str) -> list[str]:
    """The names the «Замещающий» select offers (without the empty choice); [] when there is no such select."""
    match = re.search(r'<select name="substitute".*?</select>', page, re.S)
    if match is None:
        return []
    options = re.findall(r'<option value="(\d+)"[^>]*>(.*?)</option>', match.group(0), re.S)
    return [html.unescape(label).strip() for _value, label in options]


def text(page: str) -> str:
    """The page's words as a reader sees them: no tags, one space between words."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def row_of(page: str, name: str) -> str:
    """The words of the list's row that names `name` first."""
    rows = re.findall(r"<tr>.*?</tr>", page, re.S)
    found = [text(r) for r in rows if name in html.unescape(r)]
    assert found, f"no row for {name}"
    return found[0]


def local(at: datetime) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%dT%H:%M")


def shown(at: datetime) -> str:
    return timezone.localtime(at).strftime("%d.%m.%Y %H:%M")


@pytest.fixture
def gatchina(personas: Personas) -> Person:
    """A municipal administration with one employee, its executor and responsible official at once (as the
    demo's gatchina_exec)."""
    body = Body.objects.create(name="Администрация Гатчинского муниципального района", short_name="Гатчина")
    return make_person("gatchina_exec", body, Role.Kind.EXECUTOR, Role.Kind.RESPONSIBLE, last_name="Кузнецов")


def record_own_absence(
    person: Person, starts: datetime, ends: datetime, substitute: Person | None = None
) -> None:
    """The person opens «Новое отсутствие», fills in the dates (and a substitute) and saves, as in a browser."""
    client = login(person)
    form = opened(client, NEW)
    form.update(reason=Absence.Reason.VACATION, starts_at=local(starts), ends_at=local(ends))
    if substitute is not None:
        form["substitute"] = str(substitute.pk)
    response = client.post(NEW, form)
    assert response.status_code == 302, errors(response)


# ---------------------------------------------------------------------------------------- 1. who is offered


def test_r6_an_executor_is_not_offered_as_their_own_substitute(personas: Personas) -> None:
    """R-6: Alice records her own absence. The «Замещающий» list offers her colleagues who can do her work and
    not herself (choosing herself could only be refused: «Сотрудник не может замещать сам себя»)."""
    p = personas
    page = login(p.alice).get(NEW).content.decode()
    offered = substitute_options(page)
    assert not [o for o in offered if str(p.alice) in o], offered
    for colleague in (p.bob, p.charlie, p.health_head):
        assert f"{colleague} ({p.health})" in offered, offered


def test_r6_the_only_employee_of_a_body_is_told_nobody_can_substitute_and_can_still_save(
    gatchina: Person,
) -> None:
    """R-6: the only executor (and responsible official) of a municipal administration opens «Новое отсутствие».
    There is nobody to name as his substitute: the page says so, and what happens to the work meanwhile,
    instead of a select whose only choice is himself; the absence is saved without a substitute."""
    client = login(gatchina)
    page = client.get(NEW).content.decode()
    assert substitute_options(page) == []
    words = text(page)
    assert NOBODY_TO_SUBSTITUTE in words, words
    assert "работа никому не перейдёт" in words, words

    starts = msk(2030, 12, 9, 9, 0)
    record_own_absence(gatchina, starts, starts + timedelta(days=4, hours=9))
    absence = Absence.objects.get()
    assert (absence.person, absence.substitute) == (gatchina, None)


def test_r6_what_the_form_says_about_the_work_of_a_lone_employee_is_what_happens(
    personas: Personas, gatchina: Person
) -> None:
    """R-6, R-12: what the form tells the lone employee comes true. A message sent to his body while he is away
    gets no executor (the case's timeline says nobody is at work); a case he had before stays his; when its
    deadline is missed the curator is told, and the violation is the body's, not a substitute's."""
    p = personas
    body = gatchina.body
    assert body is not None
    before = dispatch(p.curator, body, at=msk(2025, 4, 25, 10, 0))  # Friday, he is at work
    record_own_absence(gatchina, msk(2025, 4, 28, 9, 0), msk(2025, 5, 7, 18, 0))
    during = dispatch(p.curator, body, at=msk(2025, 4, 28, 10, 0))

    assert during.assignments.get().executor is None
    started = CaseEvent.objects.get(case=during, action="assignment_started")
    assert "никого нет на месте" in started.reason
    assert deadline(before, "overall").responsible == gatchina

    sweep(now=msk(2025, 4, 29, 12, 0))
    assert Notification.objects.filter(recipient=p.curator, case=during, kind="breach").exists()
    assert not Notification.objects.filter(case=during).exclude(recipient=p.curator).exists()


# ---------------------------------------------------------------------------------- 2. a future absence


def test_r6_a_future_absence_reads_as_future_in_the_list(personas: Personas) -> None:
    """R-6: Alice records a vacation that starts in a week, with no substitute. She is at work now: the list
    says she will be away from … to …, and who will do her work then — not that she is away and who works
    «фактически» now."""
    p = personas
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(days=7)
    ends = starts + timedelta(days=4)
    record_own_absence(p.alice, starts, ends)

    page = login(p.alice).get(LIST).content.decode()
    row = row_of(page, str(p.alice))
    assert f"{p.alice} будет отсутствовать с {shown(starts)} по {shown(ends)}" in row, row
    assert f"{p.alice} отсутствует" not in row, row
    assert "работу будет выполнять другой исполнитель органа" in row, row
    assert str(p.bob) in row, row
    assert "Кто фактически работает" not in text(page)
    assert "Кто выполняет работу в период отсутствия" in text(page)


def test_r6_a_future_absence_of_a_lone_employee_does_not_say_nobody_works_now(gatchina: Person) -> None:
    """R-6: the lone employee's future vacation: the list says he will be away and that then nobody of the body
    will be at work — not «никого» as if nobody worked now."""
    starts = timezone.now().replace(second=0, microsecond=0) + timedelta(days=7)
    ends = starts + timedelta(days=4)
    record_own_absence(gatchina, starts, ends)

    row = row_of(login(gatchina).get(LIST).content.decode(), str(gatchina))
    assert f"{gatchina} будет отсутствовать с {shown(starts)} по {shown(ends)}" in row, row
    assert "в органе не останется никого на месте" in row, row
    assert f"{gatchina} отсутствует" not in row, row


def test_r6_a_current_absence_still_reads_as_now(personas: Personas) -> None:
    """R-6: an absence that has begun reads as now: who does the work at this moment and why."""
    p = personas
    now = timezone.now().replace(second=0, microsecond=0)
    record_own_absence(p.alice, now - timedelta(days=1), now + timedelta(days=3), substitute=p.charlie)

    row = row_of(login(p.bob).get(LIST).content.decode(), str(p.alice))
    assert f"Сейчас {p.alice} отсутствует до {shown(now + timedelta(days=3))}" in row, row
    assert "работу выполняет замещающий" in row, row
    assert str(p.charlie) in row, row


# ---------------------------------------------------------------------------------------- 3. the wording


def test_r6_the_list_names_a_missing_substitute_without_declining_the_name(personas: Personas) -> None:
    """R-6: an absence without a substitute: the list says «замещающий не назначен», not «замещающий для
    Алексеева Тест не назначен» (a name in the nominative after «для»)."""
    p = personas
    now = timezone.now().replace(second=0, microsecond=0)
    record_own_absence(p.alice, now - timedelta(hours=1), now + timedelta(days=3))

    row = row_of(login(p.alice).get(LIST).content.decode(), str(p.alice))
    assert "замещающий для" not in row, row
    assert "замещающий не назначен" in row, row


def test_r6_an_absence_that_has_ended_says_so_among_past_ones(personas: Personas) -> None:
    """R-6: «показать прошедшие» lists an absence that has ended as ended, not as if the person were away now or
    anybody did their work now."""
    p = personas
    now = timezone.now().replace(second=0, microsecond=0)
    record_own_absence(p.alice, now - timedelta(days=5), now - timedelta(days=2), substitute=p.bob)

    row = row_of(login(p.alice).get(LIST + "?all=1").content.decode(), str(p.alice))
    assert "Отсутствие закончилось" in row, row
    assert "отсутствует" not in row and "работу выполняет" not in row, row
