"""R-6 with R-8.9 (the curator composes): since 090e510 the ill composing curator's R-8.8 term is reminded to, and
answered for by, the curator present (`sla.told_about` / `_answerable_curator` → `curators_instead_of`). The case page's
deadline table (`views._deadline_notes`, views.py:1291-1296) still asks `on_duty` for the office's executors and
says «сейчас отсутствует; в органе никого нет на месте — нужно решение куратора» — whereas Смирнова does it and is
being reminded. Monday 28.04.2025.
Found by a review (session 17) and fixed; the text above tells what was wrong before the fix."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case, Deadline
from otklik.org.models import Absence, Role
from tests.cases.helpers import COMMON_INTERIM, dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)


def test_case_page_names_the_curator_present_for_the_ill_curators_final_answer(personas: Personas) -> None:
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    case = dispatch(p.curator, p.health, p.roads, at=MON, multi_mode=Case.MultiMode.COMMON_BY_CURATOR)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 12, 0))
    interim = actions.submit_draft(p.curator, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 28, 13, 0))
    actions.approve_draft(smirnova, interim, now=msk(2025, 4, 28, 13, 10))
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=90", now=msk(2025, 4, 28, 13, 20)
    )
    assert Deadline.objects.get(case=case, stage=Deadline.Stage.FINAL).responsible == p.curator
    # ill from now on, for long
    Absence.objects.create(
        person=p.curator,
        reason="sick_leave",
        starts_at=msk(2025, 4, 28, 14, 0),
        ends_at=msk(2035, 1, 1, 9, 0),
    )
    client = Client()
    client.force_login(smirnova)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    row = page.split('<tr data-stage="final">', 1)[1].split("</tr>", 1)[0]
    assert "нужно решение куратора" not in row and f"работу выполняет {smirnova}" in row, row
