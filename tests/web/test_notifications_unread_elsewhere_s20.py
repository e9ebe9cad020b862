"""R-8.4, R-8.5: the page of notifications says how many are still unread beyond it and lists just those on request
(«только непрочитанные»). With the first page read and older notices never shown, the header said «Уведомления 65»
while the page said only «Новых уведомлений на этой странице нет», and nothing pointed to where they were. Found by a
review (session 20)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.models import Notification
from otklik.cases.notify import notify
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_the_unread_notices_beyond_the_first_page_are_pointed_to_and_listed(
    client: Client, personas: Personas
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    Notification.objects.filter(recipient=p.alice).delete()
    for i in range(60):  # the 10 oldest are beyond the first page of 50
        notify(p.alice, case, Notification.Kind.WORK, f"Уведомление {i}", msk(2025, 4, 28, 10, i))
    client.force_login(p.alice)
    url = reverse("cases:notifications")
    client.get(url)  # the first page read: the 50 newest

    page = client.get(url).content.decode()
    assert "Новых уведомлений на этой странице нет." in page
    pointer = re.search(r'<span data-testid="unread-elsewhere">(.*?)</span>', page, re.S)
    assert pointer is not None, "nothing says where the unread notices are"
    assert "Ещё не прочитано: 10" in pointer[1] and 'href="?unread=1"' in pointer[1]

    listed = client.get(url + "?unread=1").content.decode()
    assert "Новых на этой странице: 10" in listed
    shown = re.findall(r"Уведомление (\d+)</a>", listed)
    assert sorted(int(n) for n in shown) == list(range(10))
    assert 'data-testid="unread-elsewhere"' not in client.get(url).content.decode()
