"""R-4, R-8.1: a message deleted in the network is kept and shown marked «Удалено автором в сети <дата>» on the
pages that show it (dispatch, case, message list), and it stays in the curator's inbox."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.intake.models import DeletedHow, Message
from otklik.intake.pipeline import mark_deleted
from tests.cases.helpers import message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MARK = 'data-testid="deleted-in-network"'


def deleted_message() -> Message:
    m = message("Когда отремонтируют дорогу в Гатчине? Ямы по колено.")
    Message.objects.filter(pk=m.pk).update(author_id="1111111")
    mark_deleted(
        "vk", [m.external_id], DeletedHow.EVENT, by={m.external_id: "1111111"}, at=msk(2026, 3, 2, 10, 15)
    )
    m.refresh_from_db()
    return m


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_dispatch_page_and_the_message_list_show_the_mark(personas: Personas) -> None:
    m = deleted_message()
    other = message("Во дворе на Советской, 5 не убран снег")
    client = Client()
    client.force_login(personas.curator)
    html = page(client, reverse("cases:dispatch", args=[m.pk]))
    assert "Удалено автором в сети 02.03.2026 10:15" in html
    assert "Когда отремонтируют дорогу в Гатчине?" in html  # the text is kept
    assert MARK not in page(client, reverse("cases:dispatch", args=[other.pk]))
    listing = page(client, reverse("intake:message_list"))
    assert listing.count(MARK) == 1 and "Удалено автором в сети 02.03.2026 10:15" in listing
    # Still in the inbox, marked there too: the curator may answer it by a post.
    inbox = page(client, reverse("cases:inbox"))
    assert f'data-message="{m.pk}"' in inbox
    assert inbox.count(MARK) == 1 and "Удалено автором в сети 02.03.2026 10:15" in inbox


def test_the_case_page_shows_the_mark(personas: Personas) -> None:
    m = deleted_message()
    case = actions.dispatch_case(personas.curator, [m], [actions.Route(personas.health, 1)])
    client = Client()
    client.force_login(personas.alice)
    html = page(client, reverse("cases:detail", args=[case.pk]))
    assert "Удалено автором в сети 02.03.2026 10:15" in html


def test_a_deletion_by_a_moderator_is_named_so(personas: Personas) -> None:
    m = message()
    Message.objects.filter(pk=m.pk).update(author_id="1111111")
    mark_deleted(
        "vk", [m.external_id], DeletedHow.EVENT, by={m.external_id: "-200000001"}, at=msk(2026, 3, 2, 10, 15)
    )
    client = Client()
    client.force_login(personas.curator)
    html = page(client, reverse("cases:dispatch", args=[m.pk]))
    assert "Удалено в сети 02.03.2026 10:15 модератором сообщества, не автором" in html
    assert "Удалено автором" not in html
