"""R-8.1, R-8.2: the machine's body suggestion follows the competence matrix as it is now. A curator who corrects
the matrix on «Компетенции органов» (takes a body off a topic, adds the competent one) sees the correction at once
on every message still waiting in the inbox: the dispatch form fills in, and the hints of the form and of the
inbox name, the body the matrix now gives for the message's stored topic and place — never the one taken off,
which would refuse the work and lose the hour of R-8.2. The inbox reads the matrix for its whole page in one
query. Found by a review (session 20)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from otklik.analysis.models import Kind, Suggestion
from otklik.analysis.routing import route
from otklik.intake.models import Message
from otklik.org.models import Competence, Topic, TopicGroup
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)" selected>', select[1])


def body_hint(html: str) -> str:
    """The dispatch form's hint next to «Органы и очерёдность»."""
    legend = re.search(r"<legend>Органы и очерёдность[^<]*(?:<small[^>]*>([^<]*)</small>)?", html)
    assert legend, "no bodies' legend"
    return legend[1] or ""


def analysed(text: str, topic: Topic) -> Message:
    """A message analysed as `analysis.pipeline.annotate_message` stores it: the topic and the bodies the matrix
    gave then (`analysis.routing.route`)."""
    m = message(text)
    Suggestion.objects.create(
        message=m,
        kind=Kind.MODERATION,
        value={"blocked": False, "reasons": [], "score": 0.01},
        confidence=0.99,
    )
    Suggestion.objects.create(
        message=m,
        kind=Kind.TOPIC,
        value={"top": [], "topic": topic.name, "group": topic.group.name},
        confidence=0.9,
        model_version="test-1",
    )
    bodies = route([(topic.name, 0.9)], None)
    Suggestion.objects.create(
        message=m,
        kind=Kind.BODY,
        value={"bodies": [b.as_dict() for b in bodies]},
        confidence=0.9,
        model_version="test-1+competence",
    )
    return m


def wrong_matrix(p: Personas) -> tuple[Topic, Competence]:
    group = TopicGroup.objects.create(name="Дороги")
    topic = Topic.objects.create(group=group, name="Ремонт дороги")
    return topic, Competence.objects.create(topic=topic, body=p.health)


def correct(client: Client, p: Personas, topic: Topic, wrong: Competence) -> None:
    """The curator, on «Компетенции органов», deletes health's row and adds roads."""
    client.force_login(p.curator)
    client.post(reverse("competence_delete", args=[wrong.pk]))
    client.post(reverse("competence_create"), {"topic": topic.pk, "body": p.roads.pk, "municipality": ""})
    assert list(Competence.objects.filter(topic=topic).values_list("body", flat=True)) == [p.roads.pk]


def test_a_body_taken_out_of_the_matrix_is_not_prefilled_for_a_message_that_waited_in_the_inbox(
    personas: Personas, client: Client
) -> None:
    """R-8.1, R-8.2: «Ремонт дороги» was wrongly in health's competence. A message about a pothole arrives and is
    analysed: the machine names health. Before the curator dispatches it, she corrects the matrix: deletes
    health's row and adds roads. The waiting message's dispatch form now fills in roads and its hint names roads
    alone; health, no longer competent, is neither filled in nor named."""
    p = personas
    topic, wrong = wrong_matrix(p)
    m = analysed("На улице Соборной яма на дороге, уже третий месяц не ремонтируют", topic)
    assert [b["body_id"] for b in Suggestion.objects.get(message=m, kind=Kind.BODY).value["bodies"]] == [
        p.health.pk
    ]

    correct(client, p, topic, wrong)

    form = client.get(reverse("cases:dispatch", args=[m.pk])).content.decode()
    assert selected(form, "body_1") == [str(p.roads.pk)], (
        "the dispatch form fills in health, whose competence for «Ремонт дороги» the curator has just deleted"
    )
    hint = body_hint(form)
    assert str(p.roads) in hint and str(p.health) not in hint, hint
    # what the machine said then stays stored as it was (the training data, «Analysis suggests, people decide»)
    assert [b["body_id"] for b in Suggestion.objects.get(message=m, kind=Kind.BODY).value["bodies"]] == [
        p.health.pk
    ]


def inbox_hints(client: Client) -> tuple[int, dict[int, str]]:
    """The inbox's queries and each row's «Органы: …» hint by message id."""
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("cases:inbox")).content.decode()
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    out: dict[int, str] = {}
    for row in rows:
        number = re.search(r'data-testid="message-number">№ (\d+)', row)
        hint = re.search(r"Органы: ([^<]*)<br>", row)
        if number and hint:
            out[int(number[1])] = hint[1]
    return len(ctx.captured_queries), out


def test_the_inbox_names_the_body_the_matrix_gives_now_in_one_query_for_the_page(
    personas: Personas, client: Client
) -> None:
    """R-8.1: the inbox's «Органы:» hint of a waiting message follows the corrected matrix too, and reading it
    costs the page one query whatever the number of rows (no query per row)."""
    p = personas
    topic, wrong = wrong_matrix(p)
    first = analysed("Яма на дороге у школы", topic)
    correct(client, p, topic, wrong)

    client.get(reverse("cases:inbox"))  # warm the per-process caches
    few, hints = inbox_hints(client)
    assert hints.get(first.pk, "").startswith(str(p.roads)), hints
    assert str(p.health) not in hints[first.pk]

    others = [analysed(f"Ещё одна яма на дороге № {i}", topic) for i in range(12)]
    many, hints = inbox_hints(client)
    assert many == few, f"{few} queries with one analysed message, {many} with 13 (a query per row?)"
    assert all(hints.get(m.pk, "").startswith(str(p.roads)) for m in [first, *others]), hints
