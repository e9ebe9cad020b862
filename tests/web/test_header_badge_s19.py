"""R-8.4, R-8.5: the header's «Уведомления» counts what is still unread on every page — on the page of
notifications too. Before, that page's own «new on this page» number stood in the header (the view's `unread`
shadowed the header's): with 70 notices unread, the first page of 50 said «50» in the header while 70 were
unread and 20 would still be after it."""

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


def badge(html: str) -> str:
    link = re.search(r'<a [^>]*data-testid="unread"[^>]*>(.*?)</a>', html, re.S)
    assert link is not None, "no «Уведомления» in the header"
    return " ".join(re.sub(r"<[^>]+>", " ", link[1]).split())


def test_the_page_of_notifications_shows_in_the_header_what_is_left_unread(
    client: Client, personas: Personas
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    Notification.objects.filter(recipient=p.alice).delete()
    for i in range(70):
        notify(p.alice, case, Notification.Kind.WORK, f"Уведомление {i}", msk(2025, 4, 28, 10, i % 60))
    client.force_login(p.alice)
    assert badge(client.get(reverse("cases:list")).content.decode()) == "Уведомления 70"
    first = client.get(reverse("cases:notifications")).content.decode()
    assert "Новых на этой странице: 50" in first
    assert badge(first) == "Уведомления 20"  # the 50 shown are read from this showing
    second = client.get(reverse("cases:notifications") + "?page=2").content.decode()
    assert "Новых на этой странице: 20" in second
    assert badge(second) == "Уведомления"
    assert badge(client.get(reverse("cases:list")).content.decode()) == "Уведомления"
