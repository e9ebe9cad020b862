"""R-3, R-4.1: a database whose administrator renamed a committee, or corrected a settlement's name, before the upgrade
that gave the starting directory's rows their keys (migration org 0005). The migration recognises such a row by what
else identifies it surely — an oblast body by its unchanged short name where the loader put it, any body or settlement
by its place in the order the loader created them (between the rows of its neighbouring lines, of its line's kind and
formation) — and the next `otklik demo` (every `make run`) loads no second, active, empty «Комитет по здравоохранению»
onto the dispatch list, nor a second Коммунар beside the corrected one. A database whose migration ran before these
rules has them applied by the next load. A row none of the rules recognises surely is never keyed by a guess.
Found by a review (session 20b).

The tests build a database of before the keys as the review reproduced it on ff2823f's code (`otklik demo`, the
renames, today's `otklik migrate`): the directory loaded, its keys cleared, the renames, then the migration's step.
"""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from otklik.org.loaders import load_directory
from otklik.org.models import Body, Municipality, Settlement

pytestmark = pytest.mark.django_db

HEALTH = "Комитет по здравоохранению Ленинградской области"
RENAMED = "Комитет здравоохранения Ленинградской области"


def before_the_keys() -> None:
    """The directory as a database loaded before the keys holds it."""
    load_directory()
    for model in (Body, Municipality, Settlement):
        model.objects.update(directory_key="")


def migrate() -> None:
    import_module("otklik.org.migrations.0005_directory_key").key_loaded_rows(apps, None)


def test_a_committee_renamed_before_the_upgrade_is_not_loaded_a_second_time(db: None) -> None:
    before_the_keys()
    bodies = Body.objects.count()
    Body.objects.filter(name=HEALTH).update(name=RENAMED)

    migrate()
    load_directory()

    doubles = list(Body.objects.filter(name__in=[HEALTH, RENAMED]))
    assert Body.objects.count() == bodies, (
        f"the next load added {Body.objects.count() - bodies} body: {[(b.pk, b.name) for b in doubles]}"
    )
    assert Body.objects.get(name=RENAMED).directory_key == "health"


def test_a_settlement_renamed_before_the_upgrade_is_not_loaded_a_second_time(db: None) -> None:
    before_the_keys()
    settlements = Settlement.objects.count()
    Settlement.objects.filter(name="Коммунар").update(name="г. Коммунар")

    migrate()
    load_directory()

    assert Settlement.objects.count() == settlements, list(
        Settlement.objects.filter(name__contains="Коммунар").values_list("name", flat=True)
    )
    assert Settlement.objects.get(name="г. Коммунар").directory_key == "6/Коммунар"


def test_a_committee_renamed_with_its_short_name_is_recognised_by_its_place(db: None) -> None:
    """Name and short name both changed: the row between those of «Управление информационной политики» and the
    social committee, an oblast body, is the health committee's."""
    before_the_keys()
    bodies = Body.objects.count()
    Body.objects.filter(name=HEALTH).update(name=RENAMED, short_name="Комздрав")

    migrate()
    load_directory()

    assert Body.objects.count() == bodies
    assert Body.objects.get(name=RENAMED).directory_key == "health"


def test_a_database_migrated_before_these_rules_is_mended_by_the_next_load(db: None) -> None:
    """Migration 0005 ran before it recognised renamed rows (the rows stayed without a key): the next load
    recognises them by the same rules instead of loading the committee and the settlement a second time."""
    before_the_keys()
    counts = Body.objects.count(), Settlement.objects.count()
    Body.objects.filter(name=HEALTH).update(name=RENAMED)
    Settlement.objects.filter(name="Коммунар").update(name="г. Коммунар")

    load_directory()

    assert (Body.objects.count(), Settlement.objects.count()) == counts
    assert Body.objects.get(name=RENAMED).directory_key == "health"
    assert Settlement.objects.get(name="г. Коммунар").directory_key == "6/Коммунар"


def test_a_row_the_administrator_added_is_never_taken_for_a_line(db: None) -> None:
    """The administrator deleted the loaded Коммунар and the health committee and entered a town and a committee by
    hand, of the same kind, formation and short name: neither lies where the loader made the lines' rows, so neither
    gets their key, and the next load brings the lines back (a deleted row is loaded again, docs/operations.md)."""
    before_the_keys()
    gatchina = Municipality.objects.get(name="Гатчинский муниципальный район")
    Settlement.objects.filter(name="Коммунар").delete()
    Body.objects.filter(name=HEALTH).delete()
    town = Settlement.objects.create(municipality=gatchina, name="Новый Коммунар", kind="город")
    committee = Body.objects.create(name=RENAMED, short_name="Комитет по здравоохранению")

    migrate()
    town.refresh_from_db()
    committee.refresh_from_db()
    assert (town.directory_key, committee.directory_key) == ("", "")

    load_directory()
    town.refresh_from_db()
    committee.refresh_from_db()
    assert (town.directory_key, committee.directory_key) == ("", "")
    assert Settlement.objects.get(name="Коммунар").directory_key == "6/Коммунар"
    assert Body.objects.get(name=HEALTH).directory_key == "health"
