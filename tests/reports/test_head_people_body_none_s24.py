"""Found by a review (session 24), fixed since. R-12 with R-6, the head's dashboard («Сводка» → «Сотрудники органа: нарушения сроков (п. 12)»): a person with
no place of work of their own shows «None» in the column «Орган».

Scenario: the administrator enters Иванов Иван as an executor of health and of roads at once (a person may work
for two bodies, `org.duty.work_body_ids`) and leaves «Место работы» empty — the admin fills it in from the role
only when there is exactly one (`org.admin.PersonAdmin.save_related`), so it stays empty. The head of health
opens /reports/ on Wed 08.10.2025.

Now: Иванов's row reads «Иванов Иван | None | 0» — Python's «None», an English technical word, in a Russian table.
Expected: the column says nothing technical («—» or the bodies he works for), never «None».
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.org.models import Person, Role
from tests.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db


def test_r12_a_person_without_a_place_of_work_is_not_shown_as_none(personas: Personas) -> None:
    p = personas
    ivanov = Person.objects.create_user(
        username="ivanov", password=PASSWORD, last_name="Иванов", first_name="Иван", body=None
    )
    Role.objects.create(person=ivanov, kind=Role.Kind.EXECUTOR, body=p.health)
    Role.objects.create(person=ivanov, kind=Role.Kind.EXECUTOR, body=p.roads)

    head = Client()
    head.force_login(p.health_head)
    html = head.get("/reports/").content.decode()
    table = html.split('data-testid="body-people"')[1].split("</table>")[0]
    row = next(r for r in table.split("<tr>") if "Иванов" in r)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[0] == "Иванов Иван"
    assert cells[1] == "не указан", cells  # no place of work on the card: said, not «None»
