"""R-5: «Официальные аккаунты органов» (the directory's form and the Django admin's) refuses an account whose link
is in another network than the one chosen — «ВКонтакте» with a t.me link, «Telegram» with a vk.com one, «Дзен»
with a vk.com one — saying in Russian, beside «Ссылка», where the link leads and which network to choose; and an
«Идентификатор в сети» that is not what the field's help asks for (a Telegram @имя, a VK «club…»). The form comes
back with what was typed. Before, such an account was saved without a word: the public list showed «ВКонтакте: …»
leading to Telegram, and `intake.official` (which reads the accounts of the network chosen) never marked the body's
own comments as official, so they came to the curator's inbox as residents' messages. The host rule is manual
entry's (`intake.manual.on_network`, «ссылка не из выбранной сети» there).
Found by a review (session 20): «Минздрав ЛО в Telegram» saved as a VK account."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org.models import OfficialAccount
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def account_form(personas: Personas, **typed: str) -> dict[str, Any]:
    return {
        "body": personas.health.pk,
        "network": "vk",
        "title": "Минздрав ЛО",
        "url": "https://vk.com/club200000001",
        "external_id": "",
        "is_public": "on",
        "is_active": "on",
        "seen": "",
        **typed,
    }


def as_admin(personas: Personas) -> Client:
    admin = Client()
    admin.force_login(personas.admin)
    return admin


@pytest.mark.parametrize(
    ("network", "url", "said"),
    [
        ("vk", "https://t.me/minzdrav_lo", "Ссылка ведёт на t.me, а выбрана сеть «ВКонтакте»"),
        ("telegram", "https://vk.com/club200000001", "Ссылка ведёт на vk.com, а выбрана сеть «Telegram»"),
        (
            "dzen",
            "https://vk.com/minzdrav_lo",
            "Ссылка ведёт в сеть «ВКонтакте» (vk.com), а выбрана сеть «Дзен»",
        ),
    ],
)
def test_an_account_whose_link_is_in_another_network_is_not_saved(
    personas: Personas, network: str, url: str, said: str
) -> None:
    response = as_admin(personas).post(
        reverse("account_create"), account_form(personas, network=network, url=url)
    )
    # Before: saved (302 to the list), the network and the link disagreeing.
    assert not OfficialAccount.objects.exists(), "saved with its link in another network"
    assert response.status_code == 200  # the form again, with what was typed and the reason
    page = html.unescape(response.content.decode())
    assert said in page
    assert f'value="{url}"' in page


@pytest.mark.parametrize(
    ("network", "url", "external_id"),
    [
        ("telegram", "https://t.me/minzdrav_lo", "@minzdrav_lo"),
        ("telegram", "https://t.me/minzdrav_lo", "https://t.me/minzdrav_lo"),
        ("vk", "https://vk.com/minzdrav_lo", "minzdrav_lo"),
        ("ok", "https://ok.ru/group/53038939046008", "minzdrav"),
    ],
)
def test_an_identifier_not_as_the_help_says_is_not_saved(
    personas: Personas, network: str, url: str, external_id: str
) -> None:
    response = as_admin(personas).post(
        reverse("account_create"), account_form(personas, network=network, url=url, external_id=external_id)
    )
    assert not OfficialAccount.objects.exists(), "saved with an identifier the network's help refuses"
    assert response.status_code == 200
    assert f"Идентификатор в сети «{external_id}» не подходит" in html.unescape(response.content.decode())


@pytest.mark.parametrize(
    ("network", "url", "external_id"),
    [
        ("vk", "https://vk.com/club200000001", "200000001"),
        ("vk", "https://m.vk.com/minzdrav_lo", "-200000001"),
        ("telegram", "https://t.me/minzdrav_lo", "-1001234567890"),
        ("ok", "https://ok.ru/group/53038939046008", "53038939046008"),
        ("youtube", "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv", ""),
        ("website", "https://health.lenobl.ru/", ""),
    ],
)
def test_an_account_of_the_network_chosen_is_saved(
    personas: Personas, network: str, url: str, external_id: str
) -> None:
    response = as_admin(personas).post(
        reverse("account_create"), account_form(personas, network=network, url=url, external_id=external_id)
    )
    assert response.status_code == 302, response.content.decode()
    assert OfficialAccount.objects.get().external_id == external_id


def test_the_admin_page_refuses_the_link_of_another_network_too(personas: Personas) -> None:
    admin = Client()
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    admin.force_login(personas.admin)
    response = admin.post(
        reverse("admin:org_officialaccount_add"), account_form(personas, url="https://t.me/minzdrav_lo")
    )
    assert response.status_code == 200
    assert not OfficialAccount.objects.exists()
    assert "Ссылка ведёт на t.me, а выбрана сеть «ВКонтакте»" in html.unescape(response.content.decode())
