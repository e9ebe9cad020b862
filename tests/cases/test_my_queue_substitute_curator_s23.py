"""Found by a review (session 23), fixed since. R-6 with R-8.9 (the curator composes the common answer): «Мои обращения» of the curator who does the work of an
absent colleague does not list that colleague's common answer to compose.

Scenario (Monday 28.04.2025 … Tuesday 29.04.2025, Moscow time): the curator (Куратор) sends a message at 10:00 to
health and roads, the common answer to be composed by the curator (`common_by_curator`). Both parts come in (11:00,
12:00): the R-8.9 composing term and the whole answer's R-8.3 term are now the curator's. From Tuesday 09:00 she
is on sick leave for a long time and names Смирнова, a curator at work, as her substitute. From then on Смирнова
is the one reminded of the common answer and charged with it when it is late (`sla.told_about`, `sla._answerable_curator`
→ `notify.curators_instead_of`); the case page says «работу выполняет Смирнова».

Now: Смирнова opens «Мои обращения» (`cases.views.my_queue` → `scoping.my_deadlines` → `scoping.duties_of`, which
takes a curator's deadlines only where `responsible` is she herself) and the list says «Открытых сроков нет.» —
the case whose answer she must compose, and will be charged for, is not there, although the page has its own
badge «…: отсутствует — работу выполняете вы» made for exactly such rows (`_away_notes`).
Expected: the case is listed in her «Мои обращения», with the note that she does the absent curator's work."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.models import Case, Deadline
from otklik.cases.sla import curators_doing
from otklik.org.models import Absence, Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def test_substitute_curator_sees_the_absent_curators_common_answer_in_my_queue(
    client: Client, personas: Personas
) -> None:
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    case = dispatch(
        p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0), multi_mode=Case.MultiMode.COMMON_BY_CURATOR
    )
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 12, 0))
    compose = Deadline.objects.get(case=case, stage=Deadline.Stage.COMPOSE, met_at__isnull=True)
    assert compose.responsible == p.curator  # the common answer is the curator's to write
    Absence.objects.create(
        person=p.curator,
        reason="sick_leave",
        starts_at=msk(2025, 4, 29, 9, 0),
        ends_at=msk(2035, 1, 1, 9, 0),
        substitute=smirnova,
    )
    # she is the one reminded of it and charged with it now
    assert curators_doing(compose, timezone.now())[0] == [smirnova]

    client.force_login(smirnova)
    html = client.get(reverse("cases:my_queue")).content.decode()
    listed = {int(n) for n in re.findall(r'<tr data-case="(\d+)"', html)}
    assert case.pk in listed, "«Мои обращения» of the substitute curator: " + (
        "«Открытых сроков нет»" if "Открытых сроков нет" in html else f"cases {sorted(listed)}"
    )
    assert "работу выполняете вы" in html
