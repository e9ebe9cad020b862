"""`make run` runs `otklik demo` on every start. After the administrator renamed bodies and a municipal formation of
the starting directory (the 2024 reform: «Гатчинский муниципальный район» → «…муниципальный округ»; a committee's new
name), the next start goes through: the demo finds its bodies and places by their line in the starting directory
(`directory_key`), not by the old names — it used to stop with `Body.DoesNotExist` once the directory stopped
re-creating the old names. Nothing is duplicated, and the renamed rows keep their new names."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from otklik.org.models import Body, Municipality

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_runs_again_after_its_bodies_and_places_are_renamed() -> None:
    call_command("demo", stdout=StringIO())
    bodies, places = Body.objects.count(), Municipality.objects.count()
    renamed = {
        "health": "Комитет здравоохранения Ленинградской области",
        "roads": "Комитет по дорожному хозяйству и транспорту Ленинградской области",
        "@municipal/6": "Администрация Гатчинского муниципального округа",
        "@coordinator": "Управление информационной политики и массовых коммуникаций",
    }
    for key, name in renamed.items():
        assert Body.objects.filter(directory_key=key).update(name=name) == 1
    assert Municipality.objects.filter(directory_key="6").update(name="Гатчинский муниципальный округ") == 1

    out = StringIO()
    call_command("demo", stdout=out)

    assert (Body.objects.count(), Municipality.objects.count()) == (bodies, places)
    for key, name in renamed.items():
        assert Body.objects.get(directory_key=key).name == name
    assert not Body.objects.filter(name="Комитет по здравоохранению Ленинградской области").exists()
    assert not Municipality.objects.filter(name="Гатчинский муниципальный район").exists()
