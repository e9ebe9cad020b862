"""Found by a review (session 24), fixed since. R-8.1 (the curator sends the message to the competent body; the machine suggests it): the body the dispatch form
fills in must be competent for the place the same form fills in. A municipal administration is competent only in its
own municipal formation (`analysis.routing.route`: «a municipal administration only for the message's own
municipality»).

Scenario (as in tests/cases/test_settlement_moved_prefill_s23.py): on 2025-04-28 at 09:00 the message «Во Всеволожске
третий день нет горячей воды» is analysed; its place suggestion names the settlement «Всеволожск» and, as the
directory then had it, «Лужский муниципальный район» (the settlement had been loaded under the wrong district). At
09:30 the administrator corrects the directory: «Всеволожск» lies in «Всеволожский муниципальный район». The topic
«Отсутствие горячей воды» is, in the competence matrix, the municipal administrations' — each in its own formation.
At 10:00 the curator opens the dispatch form.

Now: the form selects «Всеволожский муниципальный район» and ticks «Всеволожск» as the place (fixed in session 23),
but as «Орган 1» it selects «Администрация Лужского муниципального района», and the hint next to the bodies names
it: the body suggestion is routed again over the matrix as it is now (`analysis.pipeline.route_now`) but with the
formation stored at 09:00, not the one the settlement lies in now. One click on «Направить в работу» sends a
Vsevolozhsk hot-water complaint to the Luga administration, which loses its time refusing it (R-8.2).
Expected: the administration of the formation the form shows — «Администрация Всеволожского муниципального района» —
is selected and named in the hint; the Luga administration is neither."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.models import Kind, Suggestion
from otklik.org.models import Body, Competence, Municipality, Role, Settlement, Topic, TopicGroup
from tests.cases.helpers import message
from tests.cases.test_inbox_suggestions import selected
from tests.conftest import Personas, make_person

pytestmark = pytest.mark.django_db


def _suggest(m: object, kind: str, value: dict[str, object], confidence: float, version: str) -> None:
    Suggestion.objects.create(message=m, kind=kind, value=value, confidence=confidence, model_version=version)


def test_r8_1_the_prefilled_administration_is_that_of_the_prefilled_formation(
    client: Client, personas: Personas
) -> None:
    group = TopicGroup.objects.create(name="ЖКХ")
    topic = Topic.objects.create(group=group, name="Отсутствие горячей воды")
    luga = Municipality.objects.create(name="Лужский муниципальный район")
    vsevolozhsky = Municipality.objects.create(name="Всеволожский муниципальный район")
    luga_admin = Body.objects.create(
        name="Администрация Лужского муниципального района", level=Body.Level.MUNICIPAL, municipality=luga
    )
    vsev_admin = Body.objects.create(
        name="Администрация Всеволожского муниципального района",
        level=Body.Level.MUNICIPAL,
        municipality=vsevolozhsky,
    )
    make_person("luga_exec", luga_admin, Role.Kind.EXECUTOR)
    make_person("vsev_exec", vsev_admin, Role.Kind.EXECUTOR)
    Competence.objects.create(topic=topic, body=luga_admin, municipality=luga)
    Competence.objects.create(topic=topic, body=vsev_admin, municipality=vsevolozhsky)
    town = Settlement.objects.create(municipality=luga, name="Всеволожск", kind="г.")

    m = message("Во Всеволожске третий день нет горячей воды")
    # what `analysis.pipeline.annotate_message` stored at 09:00
    guess = {"topic": topic.name, "group": group.name, "probability": 0.9}
    _suggest(m, Kind.TOPIC, {"top": [guess], "topic": topic.name, "group": group.name}, 0.9, "topics-test")
    _suggest(
        m,
        Kind.PLACE,
        {
            "municipality_id": luga.pk,
            "municipality": luga.name,
            "settlement_id": town.pk,
            "settlement": town.name,
            "source": "text",
        },
        0.9,
        "rules-1",
    )
    routed = {"body_id": luga_admin.pk, "body": luga_admin.name, "topic": topic.name, "municipal": True}
    _suggest(m, Kind.BODY, {"bodies": [{**routed, "confidence": 0.9}]}, 0.9, "topics-test+competence")
    Settlement.objects.filter(pk=town.pk).update(
        municipality=vsevolozhsky
    )  # the directory corrected at 09:30

    client.force_login(personas.curator)
    form = client.get(reverse("cases:dispatch", args=[m.pk])).content.decode()
    assert selected(form, "municipality") == [str(vsevolozhsky.pk)]  # the place: Vsevolozhsky district
    assert selected(form, "body_1") == [str(vsev_admin.pk)], (
        "the form sends a Vsevolozhsk complaint to the Luga administration: the body is routed by the formation "
        "stored at the analysis, while the place field shows the one the settlement lies in now"
    )
    bodies_hint = form[form.index("Органы и очерёдность") :]
    bodies_hint = bodies_hint[: bodies_hint.index("</legend>")]
    assert luga_admin.name not in bodies_hint
