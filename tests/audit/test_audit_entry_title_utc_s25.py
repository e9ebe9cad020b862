"""Found by a review (session 25), fixed since. The audit log's entry, opened in the administration site, is titled with the time in UTC, three hours off the
Moscow time the same page shows in «Когда».

What the administrator sees: after changing a weight of the rating's formula (R-13) at 11:50 Moscow time, the entry
«Просмотреть запись журнала изменений» is headed «02.12.2026 08:50 изменение доля ответов в срок (п. 8.3) × 2»
(its breadcrumbs and the browser's title too), while «Когда:» on that page says «11:50»; who changed what and when is
the whole point of the log, and the system's time is Moscow time («Working time»: time zone Europe/Moscow).

Cause: `AuditEntry.__str__` (src/otklik/audit/models.py) formats `self.at`, an aware moment in UTC, without
converting it to the local time (as `CaseEvent.__str__` does with `timezone.localtime`).
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.utils import timezone

from otklik.audit.models import AuditEntry
from otklik.reports.models import RatingComponent
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_the_audit_entry_page_is_titled_with_moscow_time(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.admin)  # an administrator: admin access comes with the role
    weight = RatingComponent.objects.get(metric=RatingComponent.Metric.ON_TIME)
    response = client.post(
        f"/admin/reports/ratingcomponent/{weight.pk}/change/",
        {
            "metric": weight.metric,
            "weight": "2",
            "description": weight.description,
            "is_active": "on",
            "order": str(weight.order),
            "_save": "Сохранить",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(model="reports.RatingComponent", action=AuditEntry.Action.UPDATE)

    page = html.unescape(client.get(f"/admin/audit/auditentry/{entry.pk}/change/").content.decode())
    moscow = f"{timezone.localtime(entry.at):%d.%m.%Y %H:%M}"
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title is not None
    assert moscow in title.group(1), (
        f"the entry of a change made at {moscow} Moscow time is titled «{title.group(1).strip()}» in the "
        "administration site (UTC)"
    )
