"""Data for case tests, built through the real actions."""

from __future__ import annotations

import itertools
from datetime import datetime

from otklik.cases import actions
from otklik.cases.models import Case, Deadline, Draft, Violation
from otklik.intake.models import Message
from otklik.org.models import Body, Person, TopicGroup

_seq = itertools.count(1)


def message(
    text: str = "Когда отремонтируют дорогу в Гатчине? Ямы по колено.", network: str = "vk"
) -> Message:
    n = next(_seq)
    return Message.objects.create(
        network=network,
        external_id=f"wall-1_{n}",
        url=f"https://vk.com/wall-1_1?reply={n}",  # comments under one post: answers link under it
        author_name="Ирина Петрова",
        text=text,
    )


def classified() -> dict[str, str]:
    """What the dispatch form requires beside the body (R-8.1: the curator sets topic and place): here a group of
    topics and the oblast as a whole."""
    group, _ = TopicGroup.objects.get_or_create(name="Прочее")
    return {"topic": f"group:{group.pk}", "municipality": "oblast"}


def dispatch(curator: Person, *bodies: Body, at: datetime, **kwargs: object) -> Case:
    routes = [actions.Route(body, order) for order, body in enumerate(bodies, start=1)]
    return actions.dispatch_case(curator, [message()], routes, now=at, **kwargs)  # type: ignore[arg-type]


def deadline(case: Case, stage: str, *, open_only: bool = False) -> Deadline:
    qs = Deadline.objects.filter(case=case, stage=stage)
    if open_only:
        qs = qs.filter(met_at__isnull=True, cancelled_at__isnull=True)
    return qs.order_by("-started_at", "-id").first()  # type: ignore[return-value]


def violations(case: Case) -> list[tuple[str, str, str]]:
    """(R-ID, person username, body short name) of every violation of the case."""
    return [
        (v.rid, v.person.username if v.person else "", str(v.body) if v.body else "")
        for v in Violation.objects.filter(case=case).select_related("person", "body").order_by("due_at", "id")
    ]


def current_draft(case: Case) -> Draft:
    return case.drafts.order_by("-id").first()  # type: ignore[return-value]
