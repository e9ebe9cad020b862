"""Found by a review (session 23), fixed since. R-14: an observer who has not opened the alerts page for a month finds more new alerts than the page lists,
and the desktop's «Новые срочные оповещения» never comes down.

Scenario: the Governor's office observer reads the alerts in the Telegram chat and does not open the alerts page
for a month (or is away, R-6); meanwhile 105 alerts are raised — docs/quality.md counts about 23 surge alerts a
week on real data, before any significant mark, so 100 are a month's. Then the observer's desktop
says «Новые срочные оповещения: 105»; the observer opens the alerts page (following any «next page» link it
offers) and reads every alert it shows.

Now: the alerts page shows only the newest 100 alerts and has no way to the other 5; those 5 are never marked
seen (`notify.views._alerts_page` marks only the alerts on the page), so the desktop says «Новые срочные
оповещения: 5» for good — opening the page again shows no alert marked «новое», and the figure stays at 5.

Should be: after the observer has opened the alerts page (all of its pages), every alert the desktop counted as
new can be found there marked «новое», and the figure then comes down to 0 — or the page offers the older alerts.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otklik.notify.alerts import raise_alert
from otklik.notify.models import Alert
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _new_alerts_figure(html: str) -> int:
    found = re.search(r'data-testid="new-alerts"[^>]*><span>[^<]+</span> <strong>(\d+)</strong>', html)
    assert found, "no «Новые срочные оповещения» on the observer's desktop"
    return int(found.group(1))


def test_r14_every_new_alert_counted_on_the_desktop_can_be_read_and_then_is_no_longer_new(
    personas: Personas, client: Client, settings: Any
) -> None:
    settings.OTKLIK_ALERT_TELEGRAM = None
    start = msk(2025, 10, 1, 9, 0)
    for i in range(105):
        raise_alert(
            Alert.Kind.SURGE,
            f"surge:review23g:{i}",
            f"Всплеск активности: ЖКХ — поселение № {i + 1}",
            f"Сообщений за час: {10 + i}",
            now=start + timedelta(hours=3 * i),
        )
    client.force_login(personas.observer)
    assert _new_alerts_figure(client.get(reverse("home")).content.decode()) == 105

    # the observer reads the alerts page, and every further page it leads to
    url: str | None = reverse("notify:alerts")
    marked_new = 0
    pages = 0
    while url and pages < 10:
        html = client.get(url).content.decode()
        marked_new += html.count(">новое<")
        pages += 1
        nxt = re.search(r'<a rel="next" href="([^"]+)"', html)  # a pager, as the other lists have one
        url = None
        if nxt:
            href = nxt.group(1).replace("&amp;", "&")
            url = reverse("notify:alerts") + href if href.startswith("?") else href

    left = _new_alerts_figure(client.get(reverse("home")).content.decode())
    assert marked_new == 105, (
        f"the alerts page showed {marked_new} of the 105 new alerts; the desktop still says {left}"
    )
    assert _new_alerts_figure(client.get(reverse("home")).content.decode()) == 0
