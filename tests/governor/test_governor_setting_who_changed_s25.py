"""Found by a review (session 25), fixed since. R-7.1: the setting «ответы исполнителей согласует ответственный органа» changed in the administration site keeps
naming the body's head as «кто изменил», and the change leaves no trace in the journal of changes.

What the user sees: the head of «Здравоохранение» requires approval of the executors' answers under the Governor's
posts (R-7.1: the body's responsible official decides). An administrator then switches it off in «Настройки органов
для постов Губернатора». The list now reads «изменено: <just now>», «кто изменил: Яковлева» — the head, who did not
make that change — and «Журнал изменений» has no entry of it: nobody can tell who lifted the approval.

Cause: `GovernorSettingsAdmin` (src/otklik/governor/admin.py) offers «кто изменил» as an ordinary field of the form,
pre-filled with the previous author, and never sets it to the person saving (`save_model`); the model is not
registered with `audit.registry.track` either (src/otklik/governor/apps.py).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.audit.models import AuditEntry
from otklik.governor import actions
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_the_administrators_change_is_not_the_heads(personas: Personas) -> None:
    p = personas
    row = actions.set_require_approval(p.health, p.health_head, True)
    assert row.updated_by == p.health_head

    client = Client()
    client.force_login(p.admin)  # an administrator: admin access comes with the role
    url = f"/admin/governor/governorsettings/{row.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.content.decode()
    # the form as the browser sends it back: every field as shown, approval unticked
    chosen = re.search(r'name="updated_by"[^>]*>.*?<option value="(\d+)"[^>]*selected', form, re.S)
    data = {"body": str(p.health.pk), "_save": "Сохранить"}
    if chosen:
        data["updated_by"] = chosen.group(1)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert row.require_approval is False

    logged = AuditEntry.objects.filter(model="governor.GovernorSettings").exists()
    assert row.updated_by == p.admin or logged, (
        f"the administrator {p.admin} lifted the approval of «{p.health}», but «кто изменил» still reads "
        f"«{row.updated_by}» in the list of the settings, and the journal of changes has no entry of it"
    )
