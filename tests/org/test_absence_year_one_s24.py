"""Found by a review (session 24), fixed since. R-6 (absences and substitutes): an executor records her leave on «Отсутствия → Добавить» and, typing the
year in the date-and-time box, leaves it at «0001» (one digit typed, the browser pads it): start 01.01.0001
00:00, end 02.01.0001 00:00. The same for a body's head recording an executor's absence and for the
administrator.

Now: a server error page («Внутренняя ошибка сервера»). The form accepts the date (Django's DateTimeField), and
`org.forms.AbsenceForm.clean` → `org.services.validate_absence` → `org.duty.overlapping_absences` puts it into a
query; converting 01.01.0001 00:00 Moscow time to UTC goes before year 1: «OverflowError: date value out of
range». The command line was fixed for the same typo (tests/web/test_audit_bad_input_s7.py, `--now 0001-01-01`)
and the reports' filters refuse years outside `reports.periods.MIN_YEAR…MAX_YEAR`; the absence form was not.

Should be: the form again with what was typed and a Russian message at the date (a year out of range), nothing
saved.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.org.models import Absence, Person
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["alice", "health_head", "admin"])
def test_r6_an_absence_in_year_one_is_refused_in_russian(personas: Personas, who: str) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(Person.objects.get(username=who))
    response = client.post(
        "/directory/absences/new/",
        {
            "person": personas.alice.pk,
            "reason": "vacation",
            "starts_at": "0001-01-01T00:00",
            "ends_at": "0001-01-02T00:00",
            "substitute": personas.bob.pk,
        },
    )
    assert response.status_code == 200, f"{who} got {response.status_code} instead of the form with a message"
    page = response.content.decode()
    errors = " ".join(
        re.sub(r"<[^>]+>", " ", e) for e in re.findall(r'<ul class="errorlist.*?</ul>', page, re.S)
    )
    assert "Проверьте год: отсутствие вносится на 2000–2100 годы." in errors
    assert not Absence.objects.exists()
