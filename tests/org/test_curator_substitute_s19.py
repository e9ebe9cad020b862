"""R-6 with R-8.5: the administrator recording a curator's leave names another curator as her substitute on the
absence form; her approvals go to that curator while she is away, and a review missed then is that curator's
violation (`cases.notify.curator_duty`, `sla._answerable_curator`). Before, the form offered only executors and
responsible officials and `validate_absence` refused a curator («Замещающим может быть только исполнитель…»).
Found by a review (session 19)."""

from __future__ import annotations

import pytest

from otklik.org.models import Absence, Role
from tests.conftest import Personas, make_person, msk
from tests.org.test_stale_forms_s7 import errors, login, opened

pytestmark = pytest.mark.django_db

NEW = "/directory/absences/new/"


def test_the_administrator_can_name_another_curator_to_approve_while_the_curator_is_on_leave(
    personas: Personas,
) -> None:
    p = personas
    second = make_person("curator2", p.office, Role.Kind.CURATOR, last_name="Смирнов")
    client = login(p.admin)
    form = opened(client, NEW)
    form.update(
        person=str(p.curator.pk),
        reason=Absence.Reason.VACATION,
        starts_at="2025-04-28T12:00",
        ends_at="2025-05-05T18:00",
        substitute=str(second.pk),
    )
    response = client.post(NEW, form)
    assert response.status_code == 302, errors(response)
    absence = Absence.objects.get(person=p.curator)
    assert absence.substitute == second and absence.starts_at == msk(2025, 4, 28, 12, 0)


def test_an_executor_is_still_refused_as_a_curators_substitute(personas: Personas) -> None:
    p = personas
    client = login(p.admin)
    form = opened(client, NEW)
    form.update(
        person=str(p.curator.pk),
        reason=Absence.Reason.VACATION,
        starts_at="2025-04-28T12:00",
        ends_at="2025-05-05T18:00",
        substitute=str(p.alice.pk),
    )
    response = client.post(NEW, form)
    assert response.status_code == 200
    assert "Замещающим куратора может быть другой куратор" in response.content.decode()
    assert not Absence.objects.filter(person=p.curator).exists()
