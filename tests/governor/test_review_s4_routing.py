"""Review of the several-bodies triage (R-7.1, R-7.2): which bodies a Governor's question is opened for.

The analysis routes a comment that asks two things by two strong topics (`analysis.routing.topics_to_route`)
and lists each competent body once, with the most probable topic that brought it (`analysis.routing.route`).
A body competent for both topics therefore appears only under the first one, and the second topic's row names
another body. The question goes to a second body only when the first one cannot answer that part.
"""

from __future__ import annotations

import pytest

from otklik.analysis.models import Kind, Suggestion
from otklik.analysis.routing import route
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case, Deadline
from otklik.governor import actions, service
from otklik.governor.models import Comment
from otklik.intake.models import Message
from otklik.org.models import Body
from tests.conftest import Personas, make_person, msk
from tests.governor.helpers import (
    HEALTH_TOPIC,
    ROADS_TOPIC,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db

POST_AT = msk(2024, 11, 1, 17, 30)
SNOW_TOPIC = ("ЖКХ", "Уборка снега во дворах")
ROADS_AND_SNOW = "Когда отремонтируют дорогу в Гатчине и когда уберут снег во дворе на улице Чехова?"
ROADS_AND_CLINIC = "Когда отремонтируют дорогу к поликлинике в Гатчине и когда там появится терапевт?"


def _route(message: Message, *topics: tuple[str, float]) -> None:
    """The body suggestion as `analysis.pipeline.annotate_message` stores it, from the real competence matrix."""
    bodies = route(list(topics), None)
    Suggestion.objects.create(
        message=message,
        kind=Kind.BODY,
        value={"bodies": [b.as_dict() for b in bodies]},
        confidence=bodies[0].confidence if bodies else 0.0,
        model_version="test+competence",
    )


def test_a_topic_the_first_body_also_answers_does_not_bring_a_second_body(personas: Personas) -> None:
    """R-7.2: the roads committee is competent for the road and for the snow in the yard, so it answers the
    whole comment; the housing committee, also competent for snow, is not given a duplicate part. A comment
    whose second topic the first body cannot answer still reaches the second topic's body."""
    p = personas
    housing = Body.objects.create(name="Комитет по жилищно-коммунальному хозяйству", short_name="ЖКХ")
    make_person("henry", housing, "executor", last_name="Гусев")
    competence(p.roads, *ROADS_TOPIC)
    competence(p.roads, *SNOW_TOPIC)
    competence(housing, *SNOW_TOPIC)
    competence(p.health, *HEALTH_TOPIC)

    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    snow = comment(post, ROADS_AND_SNOW, msk(2024, 11, 2, 12, 10))
    clinic = comment(post, ROADS_AND_CLINIC, msk(2024, 11, 2, 12, 10), author="102")
    _route(snow, (ROADS_TOPIC[1], 0.6), (SNOW_TOPIC[1], 0.4))
    _route(clinic, (ROADS_TOPIC[1], 0.6), (HEALTH_TOPIC[1], 0.4))
    # The matrix lists the roads committee once, under the road; the snow's row names the housing committee.
    rows = Suggestion.objects.get(message=snow).value["bodies"]
    assert [(r["body_id"], r["topic"]) for r in rows] == [
        (p.roads.pk, ROADS_TOPIC[1]),
        (housing.pk, SNOW_TOPIC[1]),
    ]

    service.process_comments(now=msk(2024, 11, 2, 12, 15))

    case = Comment.objects.get(message=snow).case
    assert case is not None
    assert [a.body for a in actions.parts_of(case)] == [p.roads]
    assert list(Deadline.objects.filter(case=case).values_list("body__name", flat=True)) == [p.roads.name]

    both = Comment.objects.get(message=clinic).case
    assert both is not None
    assert [a.body for a in actions.parts_of(both)] == [p.roads, p.health]


def test_a_link_already_confirmed_for_another_answer_does_not_close_a_second_part(personas: Personas) -> None:
    """R-7.2: each body's answer is its own reply under the comment. Health cannot confirm its part with the
    link of the reply roads published: its deadline stays open and the question is not closed; its own
    reply's link is accepted."""
    p = personas
    post = governor_post(governor_source(), POST_AT)
    asked = comment(post, ROADS_AND_CLINIC, msk(2024, 11, 5, 10, 0))
    case = actions.open_question(
        asked, p.roads, started_at=msk(2024, 11, 5, 10, 0), now=msk(2024, 11, 5, 10, 5), also=[p.health]
    )
    actions.submit_answer(case, p.dave, "Дорогу отремонтируют в мае 2025 года.", now=msk(2024, 11, 5, 10, 20))
    roads_link = f"{post.url}?reply=501"
    actions.confirm_publication(
        case, method="manual", url=roads_link, actor=p.dave, now=msk(2024, 11, 5, 10, 25)
    )
    actions.submit_answer(case, p.alice, "Терапевт принимает с 11 ноября.", now=msk(2024, 11, 5, 10, 30))

    with pytest.raises(ActionRefused, match="уже подтверждена") as refused:
        actions.confirm_publication(
            case, method="manual", url=f" {roads_link} ", actor=p.alice, now=msk(2024, 11, 5, 10, 35)
        )
    assert "Дороги" in refused.value.message
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING
    health_deadline = Deadline.objects.get(case=case, body=p.health)
    assert health_deadline.met_at is None
    assert case.publications.count() == 1

    actions.confirm_publication(
        case, method="manual", url=f"{post.url}?reply=502", actor=p.alice, now=msk(2024, 11, 5, 10, 40)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert Deadline.objects.get(pk=health_deadline.pk).met_at == msk(2024, 11, 5, 10, 40)
