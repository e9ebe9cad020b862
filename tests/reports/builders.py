"""A month with known answers: October 2025, built through the real case actions on a controlled clock.

Default schedule: Mon–Thu 09:00–18:00, Fri 09:00–16:45, lunch 13:00–13:45 (no holidays in October 2025).

Case A (health): dispatched Wed 01.10 10:00, draft 11:00, approved 11:30, published 11:50 — all in time;
  working time to the answer 110 min.
Case B (health): Thu 02.10 10:00, draft 11:00, returned 11:10, revised 11:40, approved 12:00, published 14:00
  (R-8.7 due 12:30: late, alice) — answer in 195 min (lunch excluded), R-8.3 met in time.
Case C (roads, ok.ru): Fri 03.10 15:00, draft due Mon 06.10 12:15, sent 14:00 (late, dave); approved 14:30,
  published 14:50 — answer in 105 + 240 + 65 = 410 min, R-8.3 due Mon 17:00 met in time.
Case D (telegram): Tue 07.10 10:00 to roads; dave rejects at 10:30 (within the window), the curator reassigns to
  health at 10:40; alice does nothing; the sweep of Wed 08.10 12:00 records R-8.4 (due Tue 16:25) and R-8.3
  (due Wed 11:25) against alice.
Case E (health, high importance): Mon 13.10 10:00, a repeat of A, still open.
Case F: September (the previous month), roads' draft sent at once (10:02), the case closed by the curator as a
  duplicate (10:05); messages without cases in September,
  October 2025 and October 2024.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

from otklik.cases import actions, sla
from otklik.cases.actions import Route
from otklik.cases.models import Case, Draft
from otklik.intake.demo import message_url
from otklik.intake.models import Message
from otklik.org.models import Municipality, TopicGroup
from tests.conftest import Personas, msk

_seq = itertools.count(1)
TEXT = "Здравствуйте! Спасибо за обращение. Ремонт участка дороги запланирован на июнь, подрядчик определён."


def message(at: datetime, network: str = "vk", text: str = "Когда починят дорогу? Ямы по колено.") -> Message:
    n = next(_seq)
    return Message.objects.create(
        network=network,
        external_id=f"r-{n}",
        url=f"https://example.org/m/{n}",
        author_name="Ирина Петрова",
        text=text,
        published_at=at,
    )


def hot_water_surge(p: Personas, burst: str = "Нет горячей воды в доме {i}") -> None:
    """R-14: a quiet history in «ЖКХ», Гатчинский муниципальный округ (six messages at 11:0x on six working days
    of September 2025, so the usual level of 10:40–11:40 is 6 / 16 = 0.375), then seven messages five minutes
    apart from 11:00 on 08.10.2025: `surges.detect` at 11:40 raises one surge."""
    group = TopicGroup.objects.create(name="ЖКХ")
    place = Municipality.objects.create(name="Гатчинский муниципальный округ")
    for i, day in enumerate((10, 11, 15, 16, 17, 18)):
        at = msk(2025, 9, day, 11, i)
        actions.dispatch_case(
            p.curator, [message(at)], [Route(p.roads)], topic_group=group, municipality=place, now=at
        )
    for i in range(7):
        at = msk(2025, 10, 8, 11, 0) + timedelta(minutes=5 * i)
        actions.dispatch_case(
            p.curator,
            [message(at, text=burst.format(i=i))],
            [Route(p.roads)],
            topic_group=group,
            municipality=place,
            now=at,
        )


def two_bodies(p: Personas, multi_mode: str = Case.MultiMode.COMMON_BY_LAST) -> Case:
    """One message (Wed 01.10.2025 09:00) sent at 10:00 to health and roads at once (R-8.9), each to send its part."""
    return actions.dispatch_case(
        p.curator,
        [message(msk(2025, 10, 1, 9, 0))],
        [Route(p.health, 1), Route(p.roads, 1)],
        now=msk(2025, 10, 1, 10, 0),
        multi_mode=multi_mode,
    )


def publish(person: object, draft: Draft, at: datetime) -> None:
    url = message_url(
        draft.case.network, 700000 + draft.pk
    )  # the answer is in the message's own network
    actions.confirm_publication(person, draft, url=url, now=at)  # type: ignore[arg-type]


@dataclass
class October:
    a: Case
    b: Case
    c: Case
    d: Case
    e: Case
    f: Case
    drafts_health: list[Draft]
    drafts_roads: list[Draft]


def build_october(p: Personas) -> October:
    health_g = TopicGroup.objects.create(name="Здравоохранение")
    roads_g = TopicGroup.objects.create(name="Дороги")
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    kirovsk = Municipality.objects.create(name="Кировский муниципальный район")
    cur = p.curator

    # September: one case closed at once, one message without a case
    f = actions.dispatch_case(
        cur,
        [message(msk(2025, 9, 15, 9, 0))],
        [Route(p.roads)],
        topic_group=roads_g,
        now=msk(2025, 9, 15, 10, 0),
    )
    # roads' executor sends a draft at once (the R-8.4 term met: roads has work to be rated on in Q3, R-13)
    actions.submit_draft(p.dave, f, "answer", TEXT, now=msk(2025, 9, 15, 10, 2))
    actions.close_case(cur, f, "Дубль", now=msk(2025, 9, 15, 10, 5))
    message(msk(2025, 9, 20, 12, 0))
    message(msk(2024, 10, 5, 12, 0))

    a = actions.dispatch_case(
        cur,
        [message(msk(2025, 10, 1, 9, 30))],
        [Route(p.health)],
        topic_group=health_g,
        municipality=gatchina,
        now=msk(2025, 10, 1, 10, 0),
    )
    da = actions.submit_draft(p.alice, a, "answer", TEXT, now=msk(2025, 10, 1, 11, 0))
    actions.approve_draft(cur, da, now=msk(2025, 10, 1, 11, 30))
    publish(p.alice, da, msk(2025, 10, 1, 11, 50))

    b = actions.dispatch_case(
        cur,
        [message(msk(2025, 10, 2, 9, 40))],
        [Route(p.health)],
        topic_group=health_g,
        municipality=kirovsk,
        now=msk(2025, 10, 2, 10, 0),
    )
    db1 = actions.submit_draft(p.alice, b, "answer", "Ответ будет позже", now=msk(2025, 10, 2, 11, 0))
    actions.return_draft(cur, db1, "Поздоровайтесь и ответьте по существу", now=msk(2025, 10, 2, 11, 10))
    db2 = actions.revise_draft(p.alice, db1, TEXT, now=msk(2025, 10, 2, 11, 40))
    actions.approve_draft(cur, db2, now=msk(2025, 10, 2, 12, 0))
    publish(p.alice, db2, msk(2025, 10, 2, 14, 0))

    c = actions.dispatch_case(
        cur,
        [message(msk(2025, 10, 3, 14, 0), network="ok")],
        [Route(p.roads)],
        topic_group=roads_g,
        municipality=gatchina,
        now=msk(2025, 10, 3, 15, 0),
    )
    dc = actions.submit_draft(p.dave, c, "answer", TEXT, now=msk(2025, 10, 6, 14, 0))
    actions.approve_draft(cur, dc, now=msk(2025, 10, 6, 14, 30))
    publish(p.dave, dc, msk(2025, 10, 6, 14, 50))

    d = actions.dispatch_case(
        cur,
        [message(msk(2025, 10, 7, 9, 0), network="telegram")],
        [Route(p.roads)],
        topic_group=roads_g,
        municipality=gatchina,
        now=msk(2025, 10, 7, 10, 0),
    )
    rejected = actions.reject_assignment(
        p.dave, d.assignments.get(), "Это поликлиника", now=msk(2025, 10, 7, 10, 30)
    )
    actions.reassign(cur, rejected, p.health, now=msk(2025, 10, 7, 10, 40))
    sla.sweep(now=msk(2025, 10, 8, 12, 0))

    e = actions.dispatch_case(
        cur,
        [message(msk(2025, 10, 13, 9, 0))],
        [],
        repeat_of=a,
        topic_group=health_g,
        municipality=gatchina,
        importance="high",
        now=msk(2025, 10, 13, 10, 0),
    )
    message(msk(2025, 10, 20, 10, 0), network="telegram")
    message(msk(2025, 10, 21, 10, 0))
    return October(a, b, c, d, e, f, [da, db1, db2], [dc])
