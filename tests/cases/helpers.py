"""Data for case tests, built through the real actions."""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from otklik.cases import actions
from otklik.cases.models import Case, Deadline, Draft, Violation
from otklik.intake.models import Message
from otklik.org.models import Body, Person, TopicGroup

if TYPE_CHECKING:
    from tests.conftest import Personas

# the messages' numbers in their links: far above the comment numbers tests write by hand («?reply=9» for a published
# answer), so that no message of one test has the link another test's answer is confirmed with, whatever ran before
_seq = itertools.count(1_000_001)

# the interim and the final common answer of the two-body scenarios (`parts_in`)
COMMON_INTERIM = (
    "Здравствуйте, Ирина! Мы запросили сведения у поликлиники и подрядчика и ответим, как только их получим."
)
COMMON_ANSWER = "Здравствуйте, Ирина! Поликлиника откроется 1 июня, дорогу к ней отремонтируют в мае."


def message(
    text: str = "Когда отремонтируют дорогу в Гатчине? Ямы по колено.",
    network: str = "vk",
    author: str = "Ирина Петрова",
) -> Message:
    n = next(_seq)
    return Message.objects.create(
        network=network,
        external_id=f"wall-1_{n}",
        url=f"https://vk.com/wall-1_1?reply={n}",  # comments under one post: answers link under it
        author_name=author,
        text=text,
    )


def vk_comment(reply: int, author: str, text: str = "Когда починят крышу дома № 5?") -> Message:
    """An author's comment under one VK post (`wall-1_1`), the comment id `reply` (R-8.7: each author's own)."""
    return Message.objects.create(
        network="vk",
        external_id=f"-1_1_{reply}",
        url=f"https://vk.com/wall-1_1?reply={reply}",
        author_id=str(reply),
        author_name=author,
        text=text,
    )


def approved(p: Personas, messages: list[Message], text: str) -> tuple[Case, Draft]:
    """A case of `messages` sent to the health body, its executor's answer `text` approved by the curator: the case
    waits for the publication (R-8.7)."""
    with transaction.atomic():
        case = actions.dispatch_case(p.curator, messages, [actions.Route(p.health, 1)])
        draft = actions.submit_draft(p.alice, case, "answer", text)
        actions.approve_draft(p.curator, draft)
    case.refresh_from_db()
    return case, draft


def marked_field(html: str) -> str:
    """The field a refused form marks for the person (`data-field` of the messages, focused by otklik.js); «» when
    none."""
    found = re.search(r'<ul class="messages"[^>]*data-field="([^"]*)"', html)
    return found.group(1) if found else ""


def classified() -> dict[str, str]:
    """What the dispatch form requires beside the body (R-8.1: the curator sets topic and place): here a group of
    topics and the oblast as a whole."""
    group, _ = TopicGroup.objects.get_or_create(name="Прочее")
    return {"topic": f"group:{group.pk}", "municipality": "oblast"}


def dispatch(curator: Person, *bodies: Body, at: datetime, **kwargs: object) -> Case:
    routes = [actions.Route(body, order) for order, body in enumerate(bodies, start=1)]
    return actions.dispatch_case(curator, [message()], routes, now=at, **kwargs)  # type: ignore[arg-type]


def parts_in(p: Personas, mode: str) -> Case:
    """R-8.9: a message sent on Monday 28.04.2025 10:00 to health, then roads (the curator's order); health's part
    comes at 11:00, roads' at 16:00, and the common answer is next, composed as `mode` says."""
    from tests.conftest import msk

    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0), multi_mode=mode)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 16, 0))
    case.refresh_from_db()
    return case


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
