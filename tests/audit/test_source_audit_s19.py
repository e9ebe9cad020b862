"""R-4 and the audit log: an administrator switches a source off, or changes its settings, in the admin.

A source switched off stops every message of that community reaching the curator's inbox (R-4, R-7.1 terms count
from receipt). Like the directory, the deadline table and the rating weights, the sources (and the import mappings)
are now in the append-only audit log («Журнал изменений»: `audit.registry.track`, `intake.apps`): a row says who
switched the source off and when, «действует» before and after. The tokens and keys in its settings JSON are masked
as passwords are («••••••», «•••••• (изменён)» when replaced); a reference «env:NAME» is shown as it is.
Found by a review (session 19).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from otklik.audit.context import acting_as
from otklik.audit.models import AuditEntry
from otklik.intake.models import Source
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _page_data(page: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in page.context["adminform"].form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else str(value)
    return data


def test_a_source_switched_off_in_the_admin_is_in_the_audit_log_with_who_did_it(
    client: Client, personas: Personas
) -> None:
    source = Source.objects.create(
        network="feed", kind="feed", title="Новости Гатчины", url="https://example.org/rss"
    )
    p = personas
    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    client.force_login(p.admin)
    url = f"/admin/intake/source/{source.pk}/change/"
    data = _page_data(client.get(url))
    data.pop("is_active", None)  # unticked
    data["config"] = "{}"
    saved = client.post(url, data, follow=True)
    assert saved.redirect_chain, saved.content.decode()[:2000]
    source.refresh_from_db()
    assert source.is_active is False

    rows = AuditEntry.objects.filter(model="intake.Source", object_pk=str(source.pk))
    assert rows.exists(), "switching a source off left no row in the audit log"
    row = rows.latest("id")
    assert row.actor_id == p.admin.pk
    assert (row.before or {}).get("is_active") is True and (row.after or {}).get("is_active") is False


def test_the_tokens_and_keys_in_a_sources_settings_never_reach_the_log(personas: Personas) -> None:
    with acting_as(personas.admin):
        source = Source.objects.create(
            network="ok",
            kind="community",
            title="Группа района",
            external_id="55",
            config={
                "application_key": "CBAPUBLIC",
                "secret_key": "ok-secret-1",
                "token": "ok-token-1",
                "topics": ["1", "2"],
            },
        )
        source.config = {**source.config, "token": "ok-token-2", "topics": ["1"]}
        source.save()
        source.config = {**source.config, "secret_key": "env:OTKLIK_OK_SECRET"}
        source.save()
    created, replaced, to_env = AuditEntry.objects.filter(
        model="intake.Source", object_pk=str(source.pk)
    ).order_by("id")
    logged = " ".join(str(e.before) + str(e.after) for e in (created, replaced, to_env))
    for secret in ("ok-secret-1", "ok-token-1", "ok-token-2"):
        assert secret not in logged
    assert created.after["config"] == {
        "application_key": "CBAPUBLIC",
        "secret_key": "••••••",
        "token": "••••••",
        "topics": ["1", "2"],
    }
    assert replaced.before["config"]["token"] == "••••••"
    assert replaced.after["config"]["token"] == "•••••• (изменён)"
    assert replaced.after["config"]["secret_key"] == "••••••"  # the same key: not said to have changed
    assert replaced.after["config"]["topics"] == ["1"]
    assert to_env.after["config"]["secret_key"] == "env:OTKLIK_OK_SECRET"
    assert all(e.actor == personas.admin for e in (created, replaced, to_env))
