"""Found by a review (session 27), fixed since. R-14 review: a surge alert's evidence (its sample messages) should show the people the surge counts, one message
per author, as the count does — not one person's row of repeated posts."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import pytest

from otklik.analysis import surges
from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.intake.models import Message
from otklik.notify.models import Alert
from otklik.org.models import Municipality, TopicGroup
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

_seq = itertools.count(1)


def _message(at: datetime, author: str, text: str) -> Message:
    n = next(_seq)
    return Message.objects.create(
        network="vk",
        external_id=f"rv7-{n}",
        url=f"https://example.org/rv7/{n}",
        author_id=author,
        author_name=f"Житель {author}",
        text=text,
        published_at=at,
    )


def _send(p: Personas, group: TopicGroup, place: Municipality, at: datetime, author: str, text: str) -> None:
    actions.dispatch_case(
        p.curator,
        [_message(at, author, text)],
        [Route(p.roads)],
        topic_group=group,
        municipality=place,
        now=at,
    )


def test_r14_surge_samples_are_the_people_counted_not_one_persons_repeats(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """Seven neighbours write about hot water in Gatchina between 11:00 and 11:30 (a quiet history: one message
    at 11:0x on six working days of September); the seventh then posts five more times within ten minutes. The
    surge counts seven people («Сообщений за окно: 7»), but its five sample messages — in the alert's text sent to
    the Governor's office and in its evidence — are all the seventh person's repeats: the office reads one
    person's row, not the seven people the surge is about."""
    p = personas
    group = TopicGroup.objects.create(name="ЖКХ")
    place = Municipality.objects.create(name="Гатчинский муниципальный округ")
    for i, day in enumerate((10, 11, 15, 16, 17, 18)):
        _send(p, group, place, msk(2025, 9, day, 11, i), f"h{i}", "Когда починят дорогу?")
    for i in range(7):
        _send(
            p,
            group,
            place,
            msk(2025, 10, 8, 11, 0) + timedelta(minutes=5 * i),
            f"n{i}",
            f"Нет горячей воды в доме {i}, ул. Соборная",
        )
    for j in range(5):
        _send(
            p,
            group,
            place,
            msk(2025, 10, 8, 11, 31) + timedelta(minutes=2 * j),
            "n6",
            f"Да когда же дадут воду?! ({j + 1})",
        )
    at = msk(2025, 10, 8, 11, 30)
    while at <= msk(2025, 10, 8, 12, 0):
        with django_capture_on_commit_callbacks(execute=True):
            surges.detect(at)
        at += timedelta(minutes=5)
    alert = Alert.objects.get(kind=Alert.Kind.SURGE)
    ids = [s["id"] for s in alert.evidence["samples"]]
    authors = list(Message.objects.filter(pk__in=ids).values_list("author_id", flat=True))
    assert alert.evidence["count"] == 7, alert.evidence
    assert len(set(authors)) == len(authors), (
        f"the surge counts {alert.evidence['count']} people, but its samples are {len(authors)} messages of "
        f"{len(set(authors))} author(s): {alert.text}"
    )
