"""R-8.10 «повторное сообщение по ранее рассмотренному вопросу»: a message about the same problem at the same place
in other words is found as a repeat — the same topic as the earlier case's (the curator's choice) on the same street
— where the text similarity alone finds nothing. Found on a walk: «Опять нет света на улице Чкалова…» had no repeat
hint though the case list held a closed case «на улице Чкалова не горят фонари»; and the hint pointed to a case
still open rather than the one answered."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.analysis.models import Kind, Suggestion
from otklik.analysis.pipeline import annotate_message
from otklik.analysis.repeats import find_repeats
from otklik.cases import actions
from otklik.cases.models import Case
from otklik.intake.models import Message
from otklik.org.models import Municipality, Topic
from tests.conftest import Personas

from .conftest import make_message

pytestmark = pytest.mark.django_db

FIRST = "В Гатчине на улице Чкалова не горят фонари, дети ходят в школу в темноте."
AGAIN = "Гатчина, опять нет света на улице Чкалова. Третий вечер подряд не горят фонари."


def value(message: Message, kind: str) -> dict[str, object]:
    return Suggestion.objects.filter(message=message, kind=kind).latest("created_at").value


def handled(p: Personas, text: str, days_ago: int, *, close: bool) -> Case:
    """A message annotated as it arrives, then sent by the curator with the suggested topic and Gatchina."""
    m = make_message(text)
    annotate_message(m)
    topic = Topic.objects.get(name=value(m, Kind.TOPIC)["topic"])
    case = actions.dispatch_case(
        p.curator,
        [m],
        [actions.Route(p.health, executor=p.alice)],
        topic=topic,
        municipality=Municipality.objects.get(name="Гатчинский муниципальный район"),
        now=timezone.now() - timedelta(days=days_ago),
    )
    if close:
        actions.close_case(
            p.curator, case, "Фонари заменены", now=timezone.now() - timedelta(days=days_ago - 1)
        )
    return case


def candidates(message: Message) -> list[dict[str, object]]:
    return value(message, Kind.REPEAT)["candidates"]  # type: ignore[return-value]


def by_place(message: Message) -> list[dict[str, object]]:
    """The candidates found as the same topic on the same street (`same_issue`)."""
    return [c for c in candidates(message) if c.get("same_place")]


def test_the_same_topic_on_the_same_street_is_a_repeat_in_other_words(
    personas: Personas, directory: None
) -> None:
    p = personas
    earlier = handled(p, FIRST, days_ago=20, close=True)
    again = make_message(AGAIN)
    assert find_repeats(again) == []  # the wording alone: not similar enough
    annotate_message(again)
    found = candidates(again)
    assert [c["message_id"] for c in found] == [earlier.messages.get().pk], found
    assert found[0]["same_place"] is True

    client = Client()
    client.force_login(p.curator)
    inbox = client.get(reverse("cases:inbox")).content.decode()
    row = inbox[inbox.index(f'data-message="{again.pk}"') :]
    row = re.sub(r"<[^>]+>", " ", row[: row.index("</tr>")])
    assert f"похоже на обращение № {earlier.pk}: та же тема на той же улице" in " ".join(row.split())


def test_another_town_or_another_topic_on_a_street_of_that_name_is_no_repeat(
    personas: Personas, directory: None
) -> None:
    """A street of the same name elsewhere — another district (Всеволожск), another town of the same district
    (Коммунар), or no town named at all (every town has its улица Чкалова) — or another problem on it (a pothole)
    is not the issue."""
    handled(personas, FIRST, days_ago=20, close=True)
    kommunar = make_message("В Коммунаре на улице Чкалова третий вечер не горят фонари, темно.")
    annotate_message(kommunar)
    assert value(kommunar, Kind.PLACE)["settlement"] == "Коммунар"
    assert by_place(kommunar) == []
    nowhere = make_message("На улице Чкалова третий вечер не горят фонари, темно.")
    annotate_message(nowhere)
    assert by_place(nowhere) == []
    elsewhere = make_message("Во Всеволожске на улице Чкалова не горят фонари третий вечер подряд.")
    annotate_message(elsewhere)
    assert value(elsewhere, Kind.PLACE)["municipality"] == "Всеволожский муниципальный район"
    assert by_place(elsewhere) == []
    pothole = make_message("В Гатчине на улице Чкалова огромная яма на дороге, машины объезжают по встречке.")
    annotate_message(pothole)
    assert value(pothole, Kind.TOPIC)["topic"] != value(elsewhere, Kind.TOPIC)["topic"]
    assert by_place(pothole) == []


def test_the_hint_names_the_case_handled_before_rather_than_one_still_open(
    personas: Personas, directory: None
) -> None:
    """Two earlier cases of the problem: one closed 20 days ago, one sent 2 days ago and still in work. The new
    message is a repeat of the issue handled before: the inbox and the dispatch form point to the closed case."""
    p = personas
    closed = handled(p, FIRST, days_ago=20, close=True)
    still_open = handled(p, "Гатчина, улица Чкалова: фонари не горят, темно.", days_ago=2, close=False)
    again = make_message(AGAIN)
    annotate_message(again)
    assert {c["message_id"] for c in candidates(again)} == {
        closed.messages.get().pk,
        still_open.messages.get().pk,
    }
    client = Client()
    client.force_login(p.curator)
    form = client.get(reverse("cases:dispatch", args=[again.pk])).content.decode()
    assert re.search(rf'name="repeat_of"[^>]*value="{closed.pk}"', form), re.findall(
        r'name="repeat_of"[^>]*>', form
    )


def test_the_hint_gives_the_similarity_of_the_case_it_names(personas: Personas, directory: None) -> None:
    """A message similar in wording (85 %) to a case still open and on the same street as a closed one: the hint
    names the closed case, as found by topic and street — not with the open case's 85 %."""
    from otklik.analysis.pipeline import suggestions_for
    from otklik.cases import suggest
    from tests.cases.helpers import dispatch

    p = personas
    still_open = dispatch(p.curator, p.health, at=timezone.now() - timedelta(days=1))
    closed = handled(p, FIRST, days_ago=20, close=True)
    again = make_message(AGAIN)
    candidates = [
        {"message_id": still_open.messages.get().pk, "similarity": 0.85, "same_author": False},
        {
            "message_id": closed.messages.get().pk,
            "similarity": 0.41,
            "same_author": False,
            "same_place": True,
        },
    ]
    Suggestion.objects.create(
        message=again, kind=Kind.REPEAT, value={"candidates": candidates}, confidence=0.85, model_version="t"
    )
    found = suggestions_for(again)
    repeat = suggest.repeat_cases({again.pk: found})[again.pk]
    assert repeat == suggest.RepeatOf(closed.pk, 0.41, True)
    assert suggest.hints(found, [], repeat)["repeat"] == (
        f"похоже на обращение № {closed.pk}: та же тема на той же улице"
    )
    open_by_wording = suggest.RepeatOf(still_open.pk, 0.85, False)
    assert (
        suggest.hints(found, [], open_by_wording)["repeat"] == f"похоже на обращение № {still_open.pk} (85 %)"
    )


def test_a_reworded_complaint_the_topic_model_is_unsure_of_is_still_found(
    personas: Personas, directory: None
) -> None:
    """«В Гатчине опять нет света на улице Чкалова»: the topic model is unsure of the reworded complaint (the right
    topic leads at about a third), yet the earlier case's topic is among its three likeliest: found by the street."""
    earlier = handled(personas, FIRST, days_ago=20, close=True)
    again = make_message("В Гатчине опять нет света на улице Чкалова")
    annotate_message(again)
    top = value(again, Kind.TOPIC)["top"]
    assert earlier.topic is not None and earlier.topic.name in [t["topic"] for t in top]  # type: ignore[index,union-attr]
    assert [c["message_id"] for c in by_place(again)] == [earlier.messages.get().pk], candidates(again)
