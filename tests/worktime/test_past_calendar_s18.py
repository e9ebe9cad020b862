"""Past the calendar's last year (working time, R-8.3). The packaged calendar ends with 2027; the application counts
the next year (2028) provisionally by the Labour Code so that «a deadline over New Year must not fail a dispatch»
(docs/worktime.md). A term that runs past that year cannot be counted (`CalendarRangeError`).

What a person sees now: the action is refused with a page in Russian (503) — «Производственный календарь на 2028
год не загружен — обратитесь к администратору» — instead of the server's error page, and the log has an ERROR line
naming the request, the person and the year to add (`web.middleware.CalendarRangeMiddleware`). Administrators are
warned ahead: from 60 days before the last loaded year ends, their home page, the admin's index and the list of
calendar years say which year to load and where (`worktime.service.calendar_warning`). Found by a review
(session 18)."""

from __future__ import annotations

import logging
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.cases.helpers import classified, message
from tests.conftest import Personas, msk

from otklik.cases.models import Case, CaseMessage
from otklik.worktime.calendar import statutory_year_data
from otklik.worktime.models import CalendarYear

pytestmark = pytest.mark.django_db

MISSING = "Производственный календарь на 2028 год не загружен — обратитесь к администратору"


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    """The pages read the real clock: Django's clock is set to `moment`."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _dispatch(client: Client, personas: Personas) -> tuple[int, str, int]:
    m = message("Когда отремонтируют дорогу в Гатчине? Ямы по колено.")
    response = client.post(
        reverse("cases:dispatch", args=[m.pk]), {"body_1": personas.health.pk, **classified()}
    )
    return response.status_code, response.content.decode(), m.pk


def test_a_message_sent_on_the_last_working_days_of_the_provisional_year_gets_a_clear_answer(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Friday 29.12.2028 15:00. R-8.3's 9 working hours run past that day (105 minutes to 16:45) into January 2029,
    which no calendar covers. The curator gets a page saying that the 2028 calendar is missing and to go to the
    administrator, not a 500; nothing was made of the message, which stays in the inbox; the log says what and
    why at ERROR."""
    _at(monkeypatch, msk(2028, 12, 29, 15, 0))
    client = Client(raise_request_exception=False)
    client.force_login(personas.curator)
    with caplog.at_level(logging.ERROR, logger="otklik.web.middleware"):
        status, page, message_pk = _dispatch(client, personas)
    assert status == 503, page[:3000]
    assert MISSING in page
    assert "Назад" in page  # what she typed: the browser's back button, the form is not saved
    assert "Годы производственного календаря" not in page  # the administrator's instructions are not hers
    assert not Case.objects.exists()
    assert not CaseMessage.objects.filter(message_id=message_pk).exists()
    records = [r for r in caplog.records if r.name == "otklik.web.middleware"]
    assert [r.levelno for r in records] == [logging.ERROR]
    line = records[0].getMessage()
    assert f"POST {reverse('cases:dispatch', args=[message_pk])} by curator refused" in line
    assert "loaded 2013-2027, provisional 2028: the 2028 calendar must be added" in line


def test_once_the_administrator_adds_the_year_the_same_dispatch_goes_through(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's advice works: with 2028 loaded, 2029 is the provisional year and the term is counted."""
    CalendarYear.objects.create(year=2028, data=statutory_year_data(2028), source="постановление")
    _at(monkeypatch, msk(2028, 12, 29, 15, 0))
    client = Client()
    client.force_login(personas.curator)
    status, _, _ = _dispatch(client, personas)
    assert status == 302
    assert Case.objects.count() == 1


def _admin_client(personas: Personas) -> Client:
    """Signed in after the clock is set (a session from the real today would have expired)."""
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client = Client()
    client.force_login(personas.admin)
    return client


def test_administrators_are_warned_sixty_days_before_the_calendar_ends(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Monday 15.11.2027, 46 days before the loaded calendar (2013–2027) ends: the administrator's home page, the
    admin's index and the list of calendar years say so and how to load 2028; the curator's home page does not.
    On 15.10.2027 (77 days ahead) nothing is said, and after 2028 is loaded nothing either."""
    _at(monkeypatch, msk(2027, 11, 15, 10, 0))
    admin_client = _admin_client(personas)
    home = admin_client.get("/").content.decode()
    assert "Производственный календарь загружен только до 31.12.2027" in home
    assert "Загрузите календарь на 2028 год" in home
    assert "Годы производственного календаря" in home and "xmlcalendar.ru" in home
    assert 'data-testid="calendar-warning"' in admin_client.get("/admin/").content.decode()
    assert "до 31.12.2027" in admin_client.get("/admin/worktime/calendaryear/").content.decode()
    curator = Client()
    curator.force_login(personas.curator)
    assert "calendar-warning" not in curator.get("/").content.decode()

    _at(monkeypatch, msk(2027, 10, 15, 10, 0))
    assert "calendar-warning" not in admin_client.get("/").content.decode()

    _at(monkeypatch, msk(2027, 11, 15, 10, 0))
    CalendarYear.objects.create(year=2028, data=statutory_year_data(2028), source="постановление")
    assert "calendar-warning" not in admin_client.get("/").content.decode()
    assert "calendar-warning" not in admin_client.get("/admin/").content.decode()


def test_in_the_provisional_year_the_warning_says_the_year_is_missing(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1 February 2028 without the 2028 calendar: the administrator is told the deadlines are provisional now."""
    _at(monkeypatch, msk(2028, 2, 1, 10, 0))
    home = _admin_client(personas).get("/").content.decode()
    assert "Производственный календарь на 2028 год не загружен: сроки считаются предварительно" in home
