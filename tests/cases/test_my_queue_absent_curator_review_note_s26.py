"""Found by a review (session 26), fixed since. R-6 with R-8.5 (review 67): the curator who dispatched a case is on sick leave with no substitute named.
The executor sends a draft; the review is the office's work now: the notice and the reminders go to every curator
present (`cases.notify.curators_instead_of`), «Мои обращения» of Смирнова, a curator at work, lists the review
(`cases.scoping._curators_covered_by`) and the case page says «сейчас отсутствует; работу выполняет Смирнова»
(`cases.views._deadline_notes`, which asks `sla.curators_doing`).

But the badge beside the review in Смирнова's «Мои обращения» reads

  «Curator Тест: отсутствует — в органе никого нет на месте, нужно решение куратора»

(`cases.views._away_notes` asks `org.duty.on_duty`, whose fallback looks for executors of the office, which has
none) — she is a curator, the review is hers to do, and the page tells her nobody is there and a curator must
decide. Expected: the same words as the case page — «работу выполняете вы».
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Deadline
from otklik.org.models import Absence, Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def test_substitute_curators_queue_does_not_say_a_curator_must_decide_on_her_own_review(
    client: Client, personas: Personas
) -> None:
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    actions.submit_draft(p.alice, case, "answer", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 11, 0))
    review = Deadline.objects.get(case=case, stage=Deadline.Stage.REVIEW, met_at__isnull=True)
    assert review.responsible == p.curator
    Absence.objects.create(
        person=p.curator,
        reason=Absence.Reason.SICK_LEAVE,
        starts_at=msk(2025, 4, 28, 11, 30),
        ends_at=msk(2035, 1, 1, 9, 0),
    )

    client.force_login(smirnova)
    html = client.get(reverse("cases:my_queue")).content.decode()
    assert f'data-case="{case.pk}"' in html  # the review is listed as hers
    badges = re.findall(r'data-testid="away">([^<]*)<', html)
    assert badges, html
    assert not any("нужно решение куратора" in b for b in badges), badges
    assert any("работу выполняете вы" in b for b in badges), badges
