"""R-8.2, R-8.9: the curator replaces a body after it has sent its information; that information does not go on.

Found by a review (session 23): with the parts published one by one, the curator replaced «Здравоохранение» by
«Образование» after Алексеева had sent health's part. The new body and roads sent theirs, and the first part brought
to review was the replaced body's: the curator approved it, Алексеева was given 30 minutes to publish it, and the
late publication of the answer of a body no longer on the case was recorded as her R-8.7 violation and as the
R-8.3 total held up by «Здравоохранение». With the common answer, the composer had the replaced body's information
beside the editor as if it were still to be used.

What a user expects now: the replaced body's part stays in the case's history, marked «не вошла в ответ: орган
заменён»; it is neither reviewed nor published, nor shown to the composer; the timeline says so; Алексеева is told
her information will not be used, and nothing late is recorded on her.

Monday 03.03.2025, default schedule (09:00–18:00, lunch 13:00–13:45)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions, sla
from otklik.cases.models import Case, CaseEvent, Deadline, Draft, Notification, Violation
from otklik.org.models import Body, Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

HEALTH = "Здравствуйте! Поликлиника откроется 1 июня."
ROADS = "Здравствуйте! Дорогу отремонтируют в мае."
SCHOOL = "Здравствуйте! Школа откроется в сентябре."


def _replaced_after_its_part(p: Personas, mode: str) -> tuple[Case, Draft]:
    """Health's part in at 11:00, health replaced by education at 11:30, then roads' part (12:00) and
    education's (12:30)."""
    edu = Body.objects.create(name="Комитет образования", short_name="Образование")
    eve = make_person("eve", edu, Role.Kind.EXECUTOR, last_name="Ершова")
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 3, 3, 10, 0), multi_mode=mode)
    health_part = actions.submit_draft(p.alice, case, "part", HEALTH, now=msk(2025, 3, 3, 11, 0))
    actions.reassign(p.curator, case.assignments.get(body=p.health), edu, now=msk(2025, 3, 3, 11, 30))
    actions.submit_draft(p.dave, case, "part", ROADS, now=msk(2025, 3, 3, 12, 0))
    actions.submit_draft(eve, case, "part", SCHOOL, now=msk(2025, 3, 3, 12, 30))
    case.refresh_from_db()
    return case, health_part


def test_r8_9_a_replaced_bodys_part_is_not_reviewed_nor_published_in_its_turn(personas: Personas) -> None:
    p = personas
    case, health_part = _replaced_after_its_part(p, Case.MultiMode.PARTS_ONE_BY_ONE)
    health_part.refresh_from_db()
    assert health_part.state == Draft.State.WITHDRAWN
    assert health_part.get_state_display() == "не вошла в ответ: орган заменён"
    in_review = case.drafts.get(state=Draft.State.SUBMITTED)
    assert in_review.assignment is not None
    assert str(in_review.assignment.body) == "Образование", "the replaced body's part was brought to review"
    assert in_review.text == SCHOOL
    reassign = CaseEvent.objects.get(case=case, action="reassign")
    assert reassign.reason == (
        "Вместо «Здравоохранение» назначен «Образование»; информация органа «Здравоохранение» в ответ не войдёт"
    )
    told = Notification.objects.get(
        recipient=p.alice, kind=Notification.Kind.WORK, created_at=msk(2025, 3, 3, 11, 30)
    )
    assert told.text == (
        f"Куратор передал обращение № {case.pk} органу «Образование» вместо органа «Здравоохранение» "
        f"(переназначил: {p.curator}). Направленная вами информация в ответ не войдёт."
    )
    # nothing of health's is due any more: no publication term, no violation however late the day goes on
    sla.sweep(now=msk(2025, 3, 5, 12, 0))
    assert not Deadline.objects.filter(case=case, body=p.health, stage=Deadline.Stage.PUBLISH).exists()
    assert not Violation.objects.filter(case=case, body=p.health).exists(), list(
        Violation.objects.filter(case=case, body=p.health).values_list("rid", "note")
    )


def test_r8_9_the_composer_does_not_see_the_replaced_bodys_information(
    client: Client, personas: Personas
) -> None:
    p = personas
    case, _ = _replaced_after_its_part(p, Case.MultiMode.COMMON_BY_LAST)
    assert case.composer is not None and case.composer.username == "eve"
    client.force_login(case.composer)
    page = client.get(reverse("cases:draft", args=[case.pk])).content.decode()
    parts = re.findall(r'<article data-testid="part">(.*?)</article>', page, re.S)
    assert len(parts) == 2, parts
    assert not any(HEALTH in part for part in parts)
    assert any(ROADS in part for part in parts) and any(SCHOOL in part for part in parts)
