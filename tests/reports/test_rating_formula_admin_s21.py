"""R-13: the rating's formula as the administrator finds and changes it.

On a new installation «Веса составляющих рейтинга» in the admin lists the six components of the default formula
(`rating.DEFAULTS`, written by the migration `reports 0005`; an installation that already had components keeps
them). The rating uses exactly what that table holds: a weight added or changed there changes the formula and
nothing else, and a formula emptied by the administrator stays empty (the rating page says it is not computed, the
admin warns) instead of getting the defaults back unseen. Every such change is in the audit log with who made it,
as the other admin changes are. Before, the defaults were written only when a rating was first built (bulk, not
audited), so the admin's list was empty, a weight added there became the whole formula, and deleting every
component brought the defaults back. Found by a review (session 21)."""

from __future__ import annotations

import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client

from otklik.audit.models import AuditEntry
from otklik.reports import periods, rating
from otklik.reports.models import RatingComponent
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _admin(personas: Personas) -> Client:
    person = personas.admin
    person.is_staff = person.is_superuser = True
    person.save()
    client = Client()
    client.force_login(person)
    return client


def test_the_admin_finds_the_default_formula_before_any_rating_was_opened(personas: Personas) -> None:
    html = _admin(personas).get("/admin/reports/ratingcomponent/").content.decode()
    counter = re.search(r'class="paginator">\s*(\d+)', html)
    assert counter is not None
    assert int(counter.group(1)) == len(rating.DEFAULTS), (
        f"the admin's list of the rating's weights shows {counter.group(1)} components on a new installation; "
        f"the rating would use the {len(rating.DEFAULTS)} of the default formula"
    )


def test_a_weight_added_by_the_administrator_does_not_drop_the_rest_of_the_formula(
    personas: Personas,
) -> None:
    client = _admin(personas)
    # the component is there already: adding it again is refused as a duplicate, and nothing else changes
    response = client.post(
        "/admin/reports/ratingcomponent/add/",
        {
            "metric": RatingComponent.Metric.SCORE,
            "weight": "5",
            "is_active": "on",
            "order": "4",
            "description": "",
        },
    )
    assert response.status_code == 200 and RatingComponent.objects.count() == len(rating.DEFAULTS)
    metrics = {c.metric for c in rating.active_formula()}
    assert metrics == {m for m, _, _ in rating.DEFAULTS}, (
        f"the rating's formula is now {sorted(metrics)} only: the other components of the default formula were "
        "never written"
    )


def test_the_migration_writes_the_defaults_only_into_an_empty_table() -> None:
    seed = importlib.import_module("otklik.reports.migrations.0005_rating_default_formula").seed
    RatingComponent.objects.exclude(metric=RatingComponent.Metric.ON_TIME).delete()
    RatingComponent.objects.update(weight=7)
    seed(apps, None)  # an installation that has its formula keeps it
    assert list(RatingComponent.objects.values_list("metric", "weight")) == [("on_time", Decimal(7))]
    RatingComponent.objects.all().delete()
    seed(apps, None)
    assert [(c.metric, float(c.weight), c.description) for c in RatingComponent.objects.all()] == [
        (m, float(w), d) for m, w, d in rating.DEFAULTS
    ]


def test_a_formula_emptied_in_the_admin_stays_empty_and_every_change_is_audited(
    personas: Personas, client: Client
) -> None:
    admin = _admin(personas)
    on_time = RatingComponent.objects.get(metric=RatingComponent.Metric.ON_TIME)
    admin.post(
        f"/admin/reports/ratingcomponent/{on_time.pk}/change/",
        {"metric": on_time.metric, "weight": "4", "is_active": "on", "order": "1", "description": "x"},
    )
    on_time.refresh_from_db()
    assert on_time.weight == 4
    ids = list(RatingComponent.objects.values_list("pk", flat=True))
    page = admin.post(
        "/admin/reports/ratingcomponent/",
        {"action": "delete_selected", "_selected_action": [str(pk) for pk in ids], "post": "yes"},
        follow=True,
    ).content.decode()
    assert not RatingComponent.objects.exists()
    assert "рейтинг органов не будет рассчитан" in page  # the admin is told at once

    client.force_login(personas.observer)
    html = client.get("/reports/rating/?quarter=2025Q4").content.decode()
    assert "Рейтинг не рассчитан" in html
    assert not RatingComponent.objects.exists(), "opening the rating wrote the default formula back"
    assert rating.build(periods.quarter(2025, 4))["formula"] == []

    log = AuditEntry.objects.filter(model="reports.RatingComponent")
    changed = log.get(action="update", object_pk=str(on_time.pk))
    assert changed.actor == personas.admin and changed.before is not None and changed.after is not None
    assert changed.before["weight"] != changed.after["weight"]
    deleted = log.filter(action="delete")
    assert sorted(int(e.object_pk) for e in deleted) == sorted(ids)
    assert all(e.actor == personas.admin for e in deleted)
