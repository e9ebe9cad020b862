"""Found by a review (session 25), fixed since. R-8.2: «Здравоохранение» says the message is not its competence; the curator names «Дороги»; «Дороги» refuses
too. On the case page the «Переназначить» list of the «Дороги» row offers «Комитет по здравоохранению» again, and
choosing it sends the case straight back to the body that refused this very message an hour earlier: its executor
gets «Новое обращение № N для органа «Здравоохранение»» with a fresh 60-minute window, the ping-pong the rule is
meant to stop. The project's rule (docs/requirements.md, R-8.2: a refused case goes «never back to the body that
refused it»; the action's refusal «Орган … сообщил, что вопрос не относится к его компетенции. Выберите другой
орган.») is kept only against the body of the row being replaced. Expected: a body with a refusal on record in the
case is neither offered nor accepted as the new body.
Place: src/otklik/cases/actions.py, `reassign` (the check `old.rejected_at is not None and body.pk == old.body_id`
looks at `old` alone; the «already working» check excludes GONE rows), and the dropdown of
src/otklik/cases/templates/cases/detail.html (`{% if not a.rejected_at or b.pk != a.body_id %}`)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Assignment
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_a_case_does_not_go_back_to_the_body_that_refused_it(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    health = case.assignments.get()
    actions.reject_assignment(p.alice, health, "Дорога — не здравоохранение", now=msk(2025, 4, 28, 10, 20))
    roads = actions.reassign(p.curator, health, p.roads, now=msk(2025, 4, 28, 10, 40))
    actions.reject_assignment(p.dave, roads, "Это территория поликлиники", now=msk(2025, 4, 28, 11, 0))
    case.refresh_from_db()

    curator = Client()
    curator.force_login(p.curator)
    page = curator.get(reverse("cases:detail", args=[case.pk])).content.decode()
    form = page[page.index(reverse("cases:reassign", args=[case.pk, roads.pk])) :]
    select = form[form.index('<select name="body"') : form.index("</select>")]
    offered = re.findall(r'<option value="(\d+)"', select)
    assert str(p.health.pk) not in offered, (
        "the «Переназначить» list offers «Здравоохранение», which refused this message at 10:20"
    )

    response = curator.post(
        reverse("cases:reassign", args=[case.pk, roads.pk]),
        {"body": p.health.pk, "version": case.version},
        follow=True,
    )
    assert not case.assignments.filter(body=p.health, state=Assignment.State.ACTIVE).exists(), (
        "the case went back to «Здравоохранение», which had said it is not its competence"
    )
    assert "не относится к его компетенции" in response.content.decode()
