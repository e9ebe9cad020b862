"""Found by a review (session 23), fixed since. R-3, R-4.2–4.3, R-7.1 (each body agrees its own answers under the Governor's post; each organisation sees only its
own work): who reads a body head's remark on a returned answer is decided by where the head works *now*, not by
whose answer it was.

Scenario. A question under the Governor's post of Friday 01.11.2024 17:30 is answered by two bodies: health (its
answers need its head's approval) and roads, which joined on Tuesday 05.11.2024 09:00. Алексеева (health) sends her
answer at 09:30; at 09:40 the health committee's head Яковлева returns it with the remark «Не пишите «где-то после
праздников»: назовите дату выхода терапевта.» On Monday 11.11.2024 the administrator moves Яковлева to the roads
committee: her responsible official's role is now the roads committee's (her place of work too), as a deputy moving
from one committee to another.

Now: on the case page (/cases/<id>/) the timeline decides whether to show the remark by the returning head's
*current* roles (`cases.views._readable_events`: «actor not in ours»), so
Давыдов (roads) reads, in the timeline («Здравоохранение: Не пишите …»), the health committee's remark about the
health committee's unpublished answer — the case page hides that answer itself from him (`scoping.may_read_draft`),
and before Яковлева moved he did not read the remark either. (The same rule run the other way: a remark by a head
who later takes a role in roads too, or by one given roles in both bodies, shows to roads as well.)

Should: the remark stays the health committee's (the body of the part returned, as `may_read_draft` decides by the
draft's assignment): hidden from roads, shown to health's people, whatever became of the head later.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.models import Case
from otklik.governor import actions, service
from otklik.governor.models import Comment
from otklik.org.models import Person, Role
from tests.conftest import Personas, msk
from tests.governor.helpers import (
    HEALTH_QUESTION,
    HEALTH_TOPIC,
    ROADS_TOPIC,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db

DRAFT = "Здравствуйте! Терапевт, по нашим сведениям, выйдет на работу где-то после праздников, уточняем."
REMARK = "Не пишите «где-то после праздников»: назовите дату выхода терапевта."


def _page(person: Person, case: Case) -> str:
    client = Client()
    client.force_login(person)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _returned_question(p: Personas) -> Case:
    competence(p.health, *HEALTH_TOPIC)
    competence(p.roads, *ROADS_TOPIC)
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30))
    service.open_watches(now=msk(2024, 11, 1, 17, 31))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    case = Comment.objects.get(message=question).case
    assert case is not None and case.origin == Case.Origin.GOVERNOR_POST
    actions.join_question(
        case, p.dave, p.roads, reason="Дорога к поликлинике — наша", now=msk(2024, 11, 5, 9, 0)
    )
    actions.set_require_approval(p.health, p.health_head, True)
    actions.submit_answer(case, p.alice, DRAFT, body=p.health, now=msk(2024, 11, 5, 9, 30))
    actions.return_answer(case, p.health_head, REMARK, body=p.health, now=msk(2024, 11, 5, 9, 40))
    return case


def _move_head_to_roads(p: Personas) -> None:
    """11.11.2024: Яковлева's responsible official's role (and her place of work) moves to the roads committee."""
    Role.objects.filter(person=p.health_head, kind=Role.Kind.RESPONSIBLE).update(body=p.roads)
    Person.objects.filter(pk=p.health_head.pk).update(body=p.roads)


def test_the_other_body_does_not_read_the_remark_after_its_author_moved_there(personas: Personas) -> None:
    p = personas
    case = _returned_question(p)
    assert REMARK not in _page(p.dave, case)  # before the move: health's own
    _move_head_to_roads(p)
    page = _page(p.dave, case)
    assert DRAFT not in page  # the returned answer itself stays hidden from roads (`may_read_draft`)
    assert REMARK not in page, (
        "Давыдов (roads) reads on the case page the remark the health committee's head wrote on the health "
        "committee's unpublished answer, once she has moved to roads"
    )
