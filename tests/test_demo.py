"""`otklik demo` loads a real starting directory and demo people, and can run again without duplicates."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from otklik.org.models import Absence, Body, Competence, Municipality, Person, Settlement, Topic, TopicGroup


@pytest.mark.django_db
def test_demo_loads_directory_and_is_idempotent() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    counts = (
        Municipality.objects.count(),
        Settlement.objects.count(),
        TopicGroup.objects.count(),
        Topic.objects.count(),
        Body.objects.count(),
        Competence.objects.count(),
        Person.objects.count(),
    )
    assert counts[0] == 18
    assert counts[2] == 26 and counts[3] == 195
    assert Body.objects.filter(level="municipal").count() == 18
    assert (
        Body.objects.get(is_coordinator=True).name
        == "Управление информационной политики Ленинградской области"
    )
    assert Body.objects.filter(level="oblast", to_verify=True).count() >= 20
    # every topic has at least one competent body
    assert not Topic.objects.filter(competences__isnull=True).exists()
    gatchina = Settlement.objects.get(name="Гатчина")
    assert "гатчине" in gatchina.name_forms
    assert gatchina.municipality.name == "Гатчинский муниципальный район"
    assert Person.objects.get(username="curator").check_password("otklik-demo")

    call_command("demo", stdout=StringIO())
    again = (
        Municipality.objects.count(),
        Settlement.objects.count(),
        TopicGroup.objects.count(),
        Topic.objects.count(),
        Body.objects.count(),
        Competence.objects.count(),
        Person.objects.count(),
    )
    assert again == counts
    absence = Absence.objects.get()
    assert absence.person.username == "health_exec2"
    assert absence.substitute is not None and absence.substitute.username == "health_exec"


@pytest.mark.django_db
def test_demo_adds_cases_in_every_state_once() -> None:
    """R-8: `otklik demo` shows a working office — a case in every state, driven through the real actions."""
    from otklik.cases.models import Case, Violation

    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=StringIO())
    assert set(Case.objects.values_list("status", flat=True)) == set(Case.Status.values)
    # the reports demo (`reports.demo`, messages "demo-q-…") adds its own past quarter on top
    assert Case.objects.exclude(messages__external_id__startswith="demo-q-").count() == 11
    assert Violation.objects.exists()
    # and the burst of heating complaints it stages is caught by the surge detector, once
    from otklik.notify.models import Alert

    assert Alert.objects.filter(kind=Alert.Kind.SURGE).count() == 1
