"""Behind the TLS proxy (nginx in front of the WSGI server, `OTKLIK_PROXY_COUNT=1`), five wrong passwords typed
under a colleague's name from another computer lock only that computer out: the colleague still signs in from her
own (the sign-in lockout of R-4.2–4.3 is per name and client address, the address read from the X-Forwarded-For
entry the installation's own proxy appended, `web.client_address`). Without the setting every request carried the
proxy's address, so anybody — the site is reachable from outside for the networks' webhooks — could keep any
colleague locked out by typing wrong passwords under her name.
Found by a review (session 21)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"  # nginx in front of the WSGI server, on the same machine


def through_proxy(client_address: str) -> dict[str, str]:
    return {
        "REMOTE_ADDR": PROXY,
        "HTTP_X_FORWARDED_FOR": client_address,
        "HTTP_X_FORWARDED_PROTO": "https",
    }


def test_a_colleagues_wrong_passwords_from_another_computer_do_not_lock_alice_out(
    personas: Personas, settings: Any
) -> None:
    settings.OTKLIK_PROXY_COUNT = 1  # the installation says it is behind one proxy
    stranger = Client()
    for _ in range(5):
        stranger.post(
            "/login/", {"username": "alice", "password": "угадываю"}, **through_proxy("203.0.113.7")
        )
    alice = Client()
    signed_in = alice.post(
        "/login/", {"username": "alice", "password": PASSWORD}, **through_proxy("10.20.30.40")
    )
    # 429 «Вход временно заблокирован»: locked by the stranger's tries, her own right password refused
    assert signed_in.status_code == 302
    assert "Рабочий стол" in alice.get("/").content.decode()


def test_the_stranger_is_locked_out_from_his_own_address(personas: Personas, settings: Any) -> None:
    settings.OTKLIK_PROXY_COUNT = 1
    stranger = Client()
    for _ in range(5):
        stranger.post(
            "/login/", {"username": "alice", "password": "угадываю"}, **through_proxy("203.0.113.7")
        )
    refused = stranger.post(
        "/login/", {"username": "alice", "password": PASSWORD}, **through_proxy("203.0.113.7")
    )
    assert refused.status_code == 429


def test_an_address_the_client_put_in_front_of_the_proxys_is_not_believed(
    personas: Personas, settings: Any
) -> None:
    """nginx appends the connection's address to what the client sent: only the last entry is the proxy's word, so a
    stranger cannot slip past the lock by sending a new X-Forwarded-For with every try."""
    settings.OTKLIK_PROXY_COUNT = 1
    stranger = Client()
    for n in range(5):
        stranger.post(
            "/login/",
            {"username": "alice", "password": "угадываю"},
            **through_proxy(f"198.51.100.{n}, 203.0.113.7"),
        )
    refused = stranger.post(
        "/login/", {"username": "alice", "password": PASSWORD}, **through_proxy("198.51.100.99, 203.0.113.7")
    )
    assert refused.status_code == 429


def test_without_the_setting_the_connections_address_is_the_clients(
    personas: Personas, settings: Any
) -> None:
    """A site reached directly (no proxy): X-Forwarded-For is whatever a client wrote, and never read."""
    settings.OTKLIK_PROXY_COUNT = 0
    for n in range(5):
        Client().post(
            "/login/",
            {"username": "alice", "password": "угадываю"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    refused = Client().post("/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
