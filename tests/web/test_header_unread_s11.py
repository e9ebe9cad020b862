"""R-8.5, R-8.4 (a walk: «nothing in the page header says a notification has arrived» — the draft for approval, new
work, reminders reached only the small «уведомления» link of the desktop): every page's header shows
«Уведомления» with the number not yet read; opening the notices reads them and the number goes."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

ANSWER = "Ирина, здравствуйте! Ремонт дороги на улице Ленина запланирован на июнь."


def badge(html: str) -> str:
    link = re.search(r'<a [^>]*data-testid="unread"[^>]*>(.*?)</a>', html, re.S)
    assert link is not None, "no «Уведомления» in the header"
    return " ".join(re.sub(r"<[^>]+>", " ", link[1]).split())


def test_the_header_counts_unread_notices_on_every_page(client: Client, personas: Personas) -> None:
    p = personas
    client.force_login(p.curator)
    assert badge(client.get(reverse("cases:list")).content.decode()) == "Уведомления"
    for hour in (10, 11):
        case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
        actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, hour, 0))
    for page in ("cases:list", "cases:inbox", "governor:posts"):
        assert badge(client.get(reverse(page)).content.decode()) == "Уведомления 2", page
    client.get(reverse("cases:notifications"))  # read
    assert badge(client.get(reverse("cases:list")).content.decode()) == "Уведомления"


def test_the_admin_pages_ask_for_no_icon_and_keep_their_header(client: Client, personas: Personas) -> None:
    """A walk: every admin page requested /favicon.ico and logged a 404; the site's pages carry an empty icon, and so
    do the admin's now, with the admin's own header and title kept."""
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(personas.admin)
    page = client.get(reverse("admin:index")).content.decode()
    assert '<link rel="icon" href="data:,">' in page
    assert "Отклик — администрирование" in page and 'id="site-name"' in page
    assert client.get(reverse("home")).content.decode().count('rel="icon"') == 1
