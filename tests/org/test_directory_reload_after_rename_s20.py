"""R-3, R-4.1: the starting directory loaded again (`otklik demo`, run by `make run` on every start) leaves what the
administrator changed as she left it. A municipal formation renamed by the 2024 reform («Гатчинский муниципальный
район» → «…муниципальный округ»), a committee renamed in a reorganisation, a settlement whose name she corrected, a
body she switched off: each is found by the key of its line in the data (`directory_key`), not by its name, so no
second formation with a second copy of its settlements, no second, active, empty body on the dispatch list, and
nothing switched on again. A directory loaded before the keys gets them, from the next load or the migration.
Found by a review (session 20)."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from otklik.org.loaders import administration_name, load_directory
from otklik.org.models import Body, Municipality, Settlement

pytestmark = pytest.mark.django_db

ROADS = "Комитет по дорожному хозяйству Ленинградской области"


def counts() -> tuple[int, int, int]:
    return Body.objects.count(), Municipality.objects.count(), Settlement.objects.count()


def test_loading_the_directory_again_does_not_bring_back_a_municipal_formation_renamed_by_the_administrator(
    db: None,
) -> None:
    """R-4.1: the administrator renames «Гатчинский муниципальный район» to «Гатчинский муниципальный округ»
    (kind «муниципальный округ») and its administration accordingly. The next start loads the directory again: it
    adds no formation, no settlement and no body, and place matching still has one Gatchina."""
    load_directory()
    before = counts()
    old = "Гатчинский муниципальный район"
    gatchina = Municipality.objects.get(name=old)
    gatchina.name, gatchina.kind = "Гатчинский муниципальный округ", Municipality.Kind.MUNICIPAL_OKRUG
    gatchina.save()
    administration = Body.objects.get(name=administration_name(old))
    administration.name = "Администрация Гатчинского муниципального округа"
    administration.save()

    report = load_directory()

    assert counts() == before, "loading the directory again re-created what the administrator renamed"
    assert (report.municipalities, report.settlements, report.bodies) == (0, 0, 0)
    assert not Municipality.objects.filter(name=old).exists()
    assert not Body.objects.filter(name=administration_name(old)).exists()
    assert list(Settlement.objects.filter(name="Гатчина").values_list("municipality__name", flat=True)) == [
        "Гатчинский муниципальный округ"
    ]
    gatchina.refresh_from_db()
    assert gatchina.kind == Municipality.Kind.MUNICIPAL_OKRUG


def test_loading_the_directory_again_does_not_bring_back_a_body_renamed_by_the_administrator(
    db: None,
) -> None:
    """R-3: the committee is renamed in the admin (a reorganisation); the next start adds no body beside it."""
    load_directory()
    bodies = Body.objects.count()
    roads = Body.objects.get(name=ROADS)
    roads.name = "Комитет по дорожному хозяйству и транспорту Ленинградской области"
    roads.save()

    load_directory()

    assert Body.objects.count() == bodies, sorted(
        Body.objects.filter(name__startswith="Комитет по дорожному").values_list("name", "is_active")
    )


def test_loading_again_neither_switches_on_nor_copies_what_the_administrator_changed(db: None) -> None:
    """R-3, R-4.1: a body renamed and switched off stays off and single; a settlement whose name and kind she
    corrected («город Пикалёво» → «город Пикалево») is not loaded a second time under the data's spelling."""
    load_directory()
    before = counts()
    Body.objects.filter(name=ROADS).update(name="Комитет по дорогам (упразднён)", is_active=False)
    Settlement.objects.filter(name="Пикалёво").update(name="Пикалево", kind="город")

    load_directory()

    assert counts() == before
    assert not Body.objects.filter(name=ROADS).exists()
    assert Body.objects.get(name="Комитет по дорогам (упразднён)").is_active is False
    assert not Settlement.objects.filter(name="Пикалёво").exists()


def test_a_directory_loaded_before_the_keys_gets_them_and_is_not_loaded_twice(db: None) -> None:
    """A database loaded before the keys: the migration gives every row it can recognise its key — by the name it
    was loaded under, a formation renamed already by its administrative centre and its administration as the
    formation's one municipal body — and the next load adds nothing, after a rename either; what the migration
    could not recognise the next load takes by its name."""
    load_directory()
    before = counts()
    for model in (Body, Municipality, Settlement):
        model.objects.update(directory_key="")
    old = "Гатчинский муниципальный район"
    Municipality.objects.filter(name=old).update(name="Гатчинский муниципальный округ")
    Body.objects.filter(name=administration_name(old)).update(name="Администрация Гатчинского округа")

    import_module("otklik.org.migrations.0005_directory_key").key_loaded_rows(apps, None)

    for model in (Body, Municipality, Settlement):
        assert not model.objects.filter(directory_key="").exists(), model
    Body.objects.filter(name=ROADS).update(name="Комитет по дорожному хозяйству и транспорту")
    load_directory()
    assert counts() == before

    Settlement.objects.filter(name="Гатчина").update(directory_key="")  # not recognised by the migration
    load_directory()
    assert counts() == before
    assert Settlement.objects.get(name="Гатчина").directory_key
