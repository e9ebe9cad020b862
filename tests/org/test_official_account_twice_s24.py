"""Found by a review (session 24), fixed since. R-5: a registry of the official accounts of each body per network, whose links are published (the public list
«Официальные аккаунты органов», no sign-in). The registry refuses the same link of a network twice
(`account_unique_url`, «Официальный аккаунт с такими значениями полей Сеть и Ссылка уже существует.») — but only
the very same characters.

Scenario: the health committee's VK community is in the registry: «https://vk.com/club200000001», «идентификатор в
сети» 200000001. A second curator, not seeing it among the accounts, adds it again for the same body, with the link
copied from the browser's address bar — «https://vk.com/club200000001/» (a trailing slash) — and the same
identifier 200000001.

Now: accepted; the registry holds the one community twice, and the public list shows «ВКонтакте: Минздрав 47»
twice under «Комитет по здравоохранению»; the same happens with «https://m.vk.com/club200000001» or
«https://VK.com/club200000001».
Should: the second entry is refused in Russian as the account already registered (the same network and identifier
in the network, or the same link up to such spelling), and the public list shows the community once.

Suspected: `org.forms.OfficialAccountForm.clean` (and `OfficialAccount.Meta.constraints`) compare the link as typed
and never the account's identifier in the network.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org.models import OfficialAccount
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

COMMUNITY = "https://vk.com/club200000001"


@pytest.mark.parametrize(
    ("url", "external_id"),
    [
        (COMMUNITY + "/", "200000001"),  # the same identifier
        ("https://m.vk.com/club200000001", ""),  # the link of the mobile site, no identifier
        ("http://VK.com/club200000001/", ""),
    ],
)
def test_the_same_community_is_not_registered_twice(
    personas: Personas, client: Client, url: str, external_id: str
) -> None:
    p = personas
    OfficialAccount.objects.create(
        body=p.health, network="vk", title="Минздрав 47", url=COMMUNITY, external_id="200000001"
    )
    client.force_login(p.curator)
    refused = client.post(
        reverse("account_create"),
        {
            "body": p.health.pk,
            "network": "vk",
            "title": "Минздрав 47",
            "url": url,
            "external_id": external_id,
            "is_public": "on",
            "is_active": "on",
        },
    )

    assert OfficialAccount.objects.filter(network="vk").count() == 1
    assert refused.status_code == 200
    assert "Этот аккаунт уже есть в реестре: «Минздрав 47»" in refused.content.decode()
    public = Client().get(reverse("public_accounts")).content.decode()
    assert public.count("Минздрав 47") == 1, "the public list shows the same community twice"
