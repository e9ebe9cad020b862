"""R-4.2–4.3, docs/operations.md § Sessions and signing in: with `OTKLIK_PROXY_COUNT=1` (the installation is behind
nginx) a request that reaches the WSGI server past the proxy — from an address not in `OTKLIK_TRUSTED_PROXIES` — is
counted by its own connection's address, whatever X-Forwarded-For it writes: a stranger who writes a new address
with every guess is locked out after five wrong passwords as without the setting. Found by a review (session 21)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db

STRANGER = "203.0.113.7"  # a computer on the internet, connecting to the WSGI server itself, not to nginx


def test_a_stranger_reaching_the_server_past_the_proxy_is_locked_out_whatever_address_he_writes(
    personas: Personas, settings: Any
) -> None:
    settings.OTKLIK_PROXY_COUNT = 1  # the installation says it is behind one proxy (nginx on 127.0.0.1)
    for n in range(8):  # a new made-up X-Forwarded-For with every guess
        Client().post(
            "/login/",
            {"username": "alice", "password": f"угадываю-{n}"},
            REMOTE_ADDR=STRANGER,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    guessed = Client().post(
        "/login/",
        {"username": "alice", "password": PASSWORD},
        REMOTE_ADDR=STRANGER,
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    # 302: the ninth guess signed him in as Alice; as without the setting, the sixth try should meet
    # «Вход временно заблокирован» (429)
    assert guessed.status_code == 429
