"""R-6, R-8.5: the list of absences names the curator substitute named on a curator's absence as the one who does
her work, and so do the absent curator's own home page (`org.duty.on_duty`) and the warning shown when an absence
is saved with a substitute away for part of it (`org.duty.substitute_away`) — no longer «никто … нужно решение
куратора» because the substitute holds no executor's role in a body.

Found by a review (session 20)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org.duty import DutyReason, on_duty, substitute_away
from otklik.org.models import Absence, Role
from otklik.org.services import save_absence
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def test_absence_list_names_the_substitute_curator_who_approves_while_the_curator_is_on_leave(
    personas: Personas, client: Client
) -> None:
    """R-6, R-8.5: the administrator records the curator's leave with another curator, Соколова, as substitute
    (the form offers her and the save takes her, `may_substitute`); the drafts go to Соколова while the curator is
    away (`cases.notify.curators_instead_of`). The list of absences — the page the office and the bodies read to
    know who does the work — says for that leave «никто … в органе не останется никого на месте — нужно решение
    куратора» instead of naming Соколова."""
    p = personas
    sokolova = make_person("sokolova", p.office, Role.Kind.CURATOR, last_name="Соколова")
    client.force_login(p.admin)
    start, end = msk(2031, 6, 2, 9, 0), msk(2031, 6, 16, 18, 0)
    response = client.post(
        reverse("absence_create"),
        {
            "person": p.curator.pk,
            "reason": Absence.Reason.VACATION,
            "starts_at": "2031-06-02T09:00",
            "ends_at": "2031-06-16T18:00",
            "substitute": sokolova.pk,
            "comment": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    absence = Absence.objects.get(person=p.curator)
    assert (absence.starts_at, absence.ends_at, absence.substitute) == (start, end, sokolova)

    page = client.get(reverse("absence_list")).content.decode()
    cell = re.search(r'<td data-testid="duty">(.*?)</td>', page, re.S)
    assert cell, page
    said = " ".join(re.sub(r"<[^>]+>", " ", cell[1]).split())
    assert "нужно решение куратора" not in said, said
    assert str(sokolova) in said, said
    duty = on_duty(p.curator, msk(2031, 6, 3, 10, 0))
    assert (duty.person, duty.reason) == (sokolova, DutyReason.SUBSTITUTE), duty.explanation


def test_the_warning_on_saving_names_the_curator_who_stands_in_for_an_away_substitute(
    personas: Personas,
) -> None:
    """R-6: the curator's substitute Соколова is herself away for two days of the leave, with Иванова, a curator
    too, named on her absence: the warning shown on saving the curator's leave says Иванова does the work then."""
    p = personas
    sokolova = make_person("sokolova", p.office, Role.Kind.CURATOR, last_name="Соколова")
    ivanova = make_person("ivanova", p.office, Role.Kind.CURATOR, last_name="Иванова")
    save_absence(
        Absence(
            person=sokolova,
            reason=Absence.Reason.TRAINING,
            starts_at=msk(2031, 6, 9, 9, 0),
            ends_at=msk(2031, 6, 10, 18, 0),
            substitute=ivanova,
        )
    )
    leave = save_absence(
        Absence(
            person=p.curator,
            reason=Absence.Reason.VACATION,
            starts_at=msk(2031, 6, 2, 9, 0),
            ends_at=msk(2031, 6, 16, 18, 0),
            substitute=sokolova,
        )
    )
    warning = substitute_away(leave)
    assert "нужно решение куратора" not in warning and "никого нет" not in warning, warning
    assert warning.endswith(f"Работу в это время выполняет {ivanova}."), warning
