"""R-13: the monthly report is delivered to observers «in the app» (a `Notice` of kind «отчёт»). The observer now
finds it from the header: «Уведомления» counts it in its badge until it is shown, and the page it opens lists it under
«Отчёты и срочные оповещения» with the link to the report (and to the page of all such notices, `/notify/`).

Found by a review (session 18)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from otklik.notify.models import Notice
from otklik.reports.delivery import deliver_monthly
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

TITLE = "Ежемесячный отчёт за октябрь 2025"


def _internal_links(html: str) -> set[str]:
    return {h for h in re.findall(r'href="(/[^"#]*)"', html) if not h.startswith(("/static/", "/admin/"))}


def test_r13_an_observer_finds_the_delivered_monthly_report_in_the_app(
    personas: Personas, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = deliver_monthly(msk(2025, 11, 1, 8, 0))  # 01.11.2025: a Saturday made a working day
    assert run is not None
    assert Notice.objects.filter(recipient=personas.observer, title=TITLE).exists()

    client.force_login(personas.observer)
    home = client.get("/", follow=True).content.decode()
    shown_on = [
        url
        for url in sorted(_internal_links(home) | {"/"})
        if TITLE in client.get(url, follow=True).content.decode()
    ]
    assert shown_on, (
        "the report's in-app notice is on no page the observer can reach from the desktop and the menu "
        f"(pages looked at: {sorted(_internal_links(home))})"
    )
    badge = re.search(r'data-testid="unread"[^>]*>Уведомления <span[^>]*>(\d+)</span>', home)
    assert badge and badge.group(1) == "1", "the header's badge does not count the unread report"
    page = client.get("/cases/notifications/").content.decode()
    assert TITLE in page and 'href="/reports/monthly/?month=2025-10"' in page, page
    assert 'href="/notify/"' in page
    after = client.get("/").content.decode()
    assert 'aria-label="новых:' not in after, "the report shown is still counted as new"
