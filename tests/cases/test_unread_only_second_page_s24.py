"""Found by a review (session 24), fixed since. R-8.4, R-8.5, R-12 (notices of new work, reminders, breaches): «только непрочитанные» on the page of
notifications skips a whole page of unread notices when the person turns to the next page.

Scenario: the executor Алексеева has 120 unread notices about a case (28.04.2025, 10:00 … 12:00). She opens
«Уведомления» → «только непрочитанные»: the 50 newest are shown (and from this showing count as read). She clicks
«вперёд →» (`?unread=1&page=2`). The list of unread ones has meanwhile lost the 50 she just read, so the offset 50
now skips the next 50 unread notices: page 2 shows only the 20 oldest, and the notices 21–70 (counting from the
oldest) are never shown on it — the page has no «вперёд →», she believes she has seen every new notice, while the
header's badge still counts 50 unread.

Expected: page 2 of the unread list shows the next unread notices after those of page 1 (the 50 that follow them),
so turning the pages shows each unread notice once."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.models import Notification
from otklik.cases.notify import notify
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_second_page_of_unread_notices_continues_after_the_first(client: Client, personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    Notification.objects.filter(recipient=p.alice).delete()
    for i in range(120):  # Уведомление 0 is the oldest, 119 the newest
        at = msk(2025, 4, 28, 10, 0) + timedelta(minutes=i)
        notify(p.alice, case, Notification.Kind.WORK, f"Уведомление {i}", at)
    client.force_login(p.alice)
    url = reverse("cases:notifications")

    first = client.get(url + "?unread=1").content.decode()
    shown_first = [int(n) for n in re.findall(r"Уведомление (\d+)</a>", first)]
    assert shown_first == list(range(119, 69, -1))  # the 50 newest
    assert 'rel="next"' in first

    following = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert following is not None
    second = client.get(url + html.unescape(following.group(1))).content.decode()
    shown_second = [int(n) for n in re.findall(r"Уведомление (\d+)</a>", second)]
    # the next 50 unread after those of page 1: 69 … 20
    assert shown_second == list(range(69, 19, -1)), (
        f"page 2 of the unread notices shows {shown_second[:3]}…{shown_second[-3:]} ({len(shown_second)}): "
        f"the unread notices {sorted(set(range(20, 70)) - set(shown_second))[:3]}… were skipped"
    )
    following = re.search(r'<a rel="next" href="([^"]+)"', second)
    assert following is not None
    third = client.get(url + html.unescape(following.group(1))).content.decode()
    assert [int(n) for n in re.findall(r"Уведомление (\d+)</a>", third)] == list(range(19, -1, -1))
    assert 'rel="next"' not in third
    assert not Notification.objects.filter(recipient=p.alice, read_at__isnull=True).exists()
