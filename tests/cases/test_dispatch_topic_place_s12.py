"""R-8.1: the curator sets the topic (or a group of topics) and the place of every message she sends into work: the
dispatch form does not go without them, a message about the oblast as a whole says so, and the reports count such
messages apart from those with no place set."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.analysis.models import Decision, Kind
from otklik.cases.models import Case
from otklik.notify.alerts import mark_significant
from otklik.org.models import Municipality, Settlement, Topic, TopicGroup
from otklik.reports import dashboard, monthly, periods
from tests.cases.helpers import message
from tests.cases.test_explore_ui import flashes
from tests.cases.test_inbox_suggestions import selected, suggest
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory() -> tuple[TopicGroup, Topic, Municipality]:
    group = TopicGroup.objects.create(name="Дороги")
    topic = Topic.objects.create(group=group, name="Ямы на дорогах")
    return group, topic, Municipality.objects.create(name="Гатчинский муниципальный округ")


def test_r8_1_the_form_refuses_a_message_without_topic_or_place_and_keeps_what_was_chosen(
    client: Client, personas: Personas, directory: tuple[TopicGroup, Topic, Municipality]
) -> None:
    _group, topic, gatchina = directory
    m = message("Яма на Соборной в Гатчине")
    client.force_login(personas.curator)
    url = reverse("cases:dispatch", args=[m.pk])
    form = client.get(url).content.decode()
    assert '<select name="topic" required>' in form and '<select name="municipality" required>' in form

    refused = client.post(url, {"body_1": personas.roads.pk, "municipality": gatchina.pk})
    assert refused.status_code == 400
    assert flashes(refused) == [
        "Выберите тему сообщения или, если ни одна не подходит, группу тем целиком (п. 8.1 Положения: тему "
        "определяет куратор)."
    ]
    assert selected(refused.content.decode(), "municipality") == [str(gatchina.pk)]

    refused = client.post(url, {"body_1": personas.roads.pk, "topic": topic.pk, "municipality": ""})
    assert refused.status_code == 400
    assert flashes(refused) == [
        "Укажите место: муниципальное образование или «Ленинградская область в целом», если сообщение не об "
        "одном месте (п. 8.1 Положения)."
    ]
    assert selected(refused.content.decode(), "topic") == [str(topic.pk)]
    assert not Case.objects.exists()

    assert (
        client.post(
            url, {"body_1": personas.roads.pk, "topic": topic.pk, "municipality": gatchina.pk}
        ).status_code
        == 302
    )
    case = Case.objects.get()
    assert (case.topic, case.topic_group, case.municipality, case.whole_oblast) == (
        topic,
        topic.group,
        gatchina,
        False,
    )
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert (
        "тема: Ямы на дорогах" in page
        and '<span data-testid="case-place">Гатчинский муниципальный округ</span>' in page
    )


def test_r8_1_a_group_of_topics_and_the_oblast_as_a_whole(
    client: Client, personas: Personas, directory: tuple[TopicGroup, Topic, Municipality]
) -> None:
    """«тему (группу тем)»: a message no topic fits goes with its group; a message about no one place (the
    salaries of the oblast's doctors) with «Ленинградская область в целом», which the case page and the reports
    show, not «не определено»."""
    group, _topic, _gatchina = directory
    m = message("Когда поднимут зарплаты врачам в области?")
    message("Спасибо всем!")  # not taken into work: its place is not determined
    client.force_login(personas.curator)
    url = reverse("cases:dispatch", args=[m.pk])
    form = client.get(url).content.decode()
    assert f'<option value="group:{group.pk}">(вся группа тем «Дороги»)</option>' in form
    assert '<option value="oblast">Ленинградская область в целом</option>' in form

    response = client.post(
        url, {"body_1": personas.health.pk, "topic": f"group:{group.pk}", "municipality": "oblast"}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.topic, case.topic_group, case.municipality, case.whole_oblast) == (None, group, None, True)
    # the curator's choice is kept as training data with the group and «вся область», not as «nothing chosen»
    chosen = {d.kind: d.value for d in Decision.objects.filter(message=m)}
    assert chosen[Kind.TOPIC] == {"topic": None, "topic_id": None, "group": "Дороги", "group_id": group.pk}
    assert chosen[Kind.PLACE]["whole_oblast"] is True and chosen[Kind.PLACE]["municipality_id"] is None
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "группа тем: Дороги" in page
    # the timeline keeps what the curator set
    assert "; тема: группа тем «Дороги»; место: Ленинградская область в целом" in page
    assert '<span data-testid="case-place">Ленинградская область в целом</span>' in page

    now = timezone.now()
    month = monthly.build(periods.month(timezone.localdate().year, timezone.localdate().month), now=now)
    places = {r["name"]: r["current"] for r in month["dynamics"]["municipality"]["rows"]}
    assert places == {"Ленинградская область в целом": 1, "не определено": 1}
    week = {r["name"]: r["count"] for r in dashboard.overview(now)["by_place"]}
    assert week == {"Ленинградская область в целом": 1, "не определено": 1}


def test_r8_1_the_oblast_as_a_whole_and_a_ticked_settlement_contradict(
    client: Client, personas: Personas, directory: tuple[TopicGroup, Topic, Municipality]
) -> None:
    _group, topic, gatchina = directory
    town = Settlement.objects.create(municipality=gatchina, name="Гатчина", kind="г.")
    m = message("Яма на Соборной в Гатчине")
    client.force_login(personas.curator)
    url = reverse("cases:dispatch", args=[m.pk])
    refused = client.post(
        url, {"body_1": personas.roads.pk, "topic": topic.pk, "municipality": "oblast", "settlement": town.pk}
    )
    assert refused.status_code == 400
    assert (
        "снимите отметку с населённого пункта или выберите его муниципальное образование"
        in flashes(refused)[0]
    )
    assert not Case.objects.exists()
    done = client.post(
        url, {"body_1": personas.roads.pk, "topic": topic.pk, "municipality": "", "settlement": town.pk}
    )
    assert done.status_code == 302
    case = Case.objects.get()
    assert (case.municipality, case.settlement, case.whole_oblast) == (gatchina, town, False)
    assert case.place == "г. Гатчина, Гатчинский муниципальный округ"


def test_r8_10_a_repeat_comes_with_the_topic_and_place_of_the_earlier_case(
    client: Client, personas: Personas, directory: tuple[TopicGroup, Topic, Municipality]
) -> None:
    """R-8.10, R-8.1: a message the machine finds a repeat of an earlier case, with no topic or place of its own
    that it is sure of, comes with the earlier case's — the curator set them there — and the hints say whence."""
    _group, topic, gatchina = directory
    client.force_login(personas.curator)
    first = message("Яма на Соборной в Гатчине")
    client.post(
        reverse("cases:dispatch", args=[first.pk]),
        {"body_1": personas.roads.pk, "topic": topic.pk, "municipality": gatchina.pk},
    )
    earlier = Case.objects.get()
    again = message("Опять та же яма, колесо пробил")
    suggest(
        again,
        Kind.REPEAT,
        {"candidates": [{"message_id": first.pk, "similarity": 0.9, "same_author": False}]},
    )
    form = client.get(reverse("cases:dispatch", args=[again.pk])).content.decode()
    assert selected(form, "topic") == [str(topic.pk)]
    assert selected(form, "municipality") == [str(gatchina.pk)]
    assert form.count(f"выбрано как в обращении № {earlier.pk}") == 2

    other = message("Когда поднимут зарплаты учителям?")  # about the whole oblast, by group
    client.post(
        reverse("cases:dispatch", args=[other.pk]),
        {"body_1": personas.health.pk, "topic": f"group:{topic.group_id}", "municipality": "oblast"},
    )
    oblast = Case.objects.get(case_messages__message=other)
    same = message("Зарплаты учителям когда поднимут?")
    suggest(
        same, Kind.REPEAT, {"candidates": [{"message_id": other.pk, "similarity": 0.9, "same_author": False}]}
    )
    form = client.get(reverse("cases:dispatch", args=[same.pk])).content.decode()
    assert selected(form, "topic") == [f"group:{topic.group_id}"]
    assert selected(form, "municipality") == ["oblast"]
    assert oblast.whole_oblast


def test_r14_an_alert_on_a_case_about_the_whole_oblast_names_the_place(
    client: Client, personas: Personas, directory: tuple[TopicGroup, Topic, Municipality]
) -> None:
    """R-14 (a walk, 2026-11-30): the alert to the Governor's office about a case the curator set to «Ленинградская
    область в целом» had an empty place («Место / аудитория»), as if the place were not known."""
    _group, topic, _gatchina = directory
    m = message("В школах области не хватает учителей математики")
    client.force_login(personas.curator)
    client.post(
        reverse("cases:dispatch", args=[m.pk]),
        {"body_1": personas.health.pk, "topic": topic.pk, "municipality": "oblast"},
    )
    case = Case.objects.get()
    marked = mark_significant(personas.curator, case=case, note="Касается всей области")
    assert marked.alert.place == "Ленинградская область в целом"


def test_r8_1_the_machine_suggests_the_whole_oblast_when_the_text_speaks_of_it(
    client: Client, personas: Personas, directory: tuple[TopicGroup, Topic, Municipality]
) -> None:
    m = message("Когда поднимут зарплаты учителям по всей области?")
    suggest(
        m,
        Kind.PLACE,
        {
            "municipality_id": None,
            "source": "oblast",
            "whole_oblast": True,
            "oblast_words": "по всей области",
        },
        0.6,
    )
    client.force_login(personas.curator)
    form = client.get(reverse("cases:dispatch", args=[m.pk])).content.decode()
    assert selected(form, "municipality") == ["oblast"]
    assert "подсказка: Ленинградская область в целом (в тексте: «по всей области»)" in form
