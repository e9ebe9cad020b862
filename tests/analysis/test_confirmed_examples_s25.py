"""R-8.1 / R-10: the weekly retraining (`otklik retrain_topics`) learns from the curators' confirmed topics, leaving
out the messages excluded from work — and reads them in a fixed number of queries, not one pair of queries per
confirmed message (an installation confirms thousands a month).

The bulk rule (`analysis.pipeline.blocked_ids`) is the one `is_blocked` applies message by message: the curator's
latest moderation decision if there is one, else the machine's latest suggestion."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from otklik.analysis import training
from otklik.analysis.models import Decision, Kind, Suggestion
from otklik.analysis.pipeline import blocked_ids, is_blocked
from otklik.intake.models import Message
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def confirmed(text: str, topic: str, by: object) -> Message:
    m = message(text)
    Decision.objects.create(message=m, kind=Kind.TOPIC, value={"topic": topic}, decided_by=by)
    return m


def moderated(m: Message, blocked: bool, *, by: object = None, later: int = 0) -> None:
    at = timezone.now() + timedelta(minutes=later)
    if by is None:
        Suggestion.objects.create(
            message=m,
            kind=Kind.MODERATION,
            value={"blocked": blocked, "reasons": []},
            model_version="t",
            created_at=at,
        )
    else:
        Decision.objects.create(
            message=m, kind=Kind.MODERATION, value={"blocked": blocked}, decided_by=by, decided_at=at
        )


def test_the_retraining_reads_the_confirmed_topics_in_a_fixed_number_of_queries(personas: Personas) -> None:
    curator = personas.curator
    clean = confirmed("Яма на дороге у школы в Гатчине", "Ремонт дорог", curator)
    moderated(clean, False)
    machine_blocked = confirmed("Эти уроды опять не чистят снег", "Уборка снега", curator)
    moderated(machine_blocked, True)
    returned = confirmed("Глава — позор района, дороги не чинят", "Ремонт дорог", curator)
    moderated(returned, True)
    moderated(returned, False, by=curator, later=1)  # the curator returned it to work
    excluded = confirmed("Когда починят свет во дворе", "Освещение", curator)
    moderated(excluded, False)
    moderated(excluded, True, by=curator, later=1)  # …and this one the curator excluded
    assert (
        blocked_ids([clean.pk, machine_blocked.pk, returned.pk, excluded.pk])
        == {m.pk for m in (clean, machine_blocked, returned, excluded) if is_blocked(m)}
        == {machine_blocked.pk, excluded.pk}
    )

    def examples() -> tuple[list[tuple[str, str]], int]:
        with CaptureQueriesContext(connection) as queries:
            found = sorted((e.text, e.topic) for e in training.confirmed_examples())
        return found, len(queries)

    few, queries_few = examples()
    assert few == sorted([(clean.text, "Ремонт дорог"), (returned.text, "Ремонт дорог")])
    for n in range(30):
        moderated(confirmed(f"Не вывозят мусор на улице Ленина, дом {n}", "Вывоз мусора", curator), False)
    many, queries_many = examples()
    assert len(many) == 32
    assert queries_many == queries_few, (
        f"{queries_few} queries for 4 confirmed messages, {queries_many} for 34"
    )
