"""Untrusted message text is shown as text, never run as markup (R-4 reliability, browser test)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from playwright.sync_api import Dialog, Page, expect

from otklik.intake.models import Message
from otklik.intake.pipeline import upsert
from otklik.integrations.base import ParsedMessage
from tests.conftest import Personas
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_script_in_a_message_is_shown_escaped(page: Page, live_server: Any, personas: Personas) -> None:
    with transaction.atomic():
        upsert(
            [
                ParsedMessage(
                    network="vk",
                    external_id="-1_2_3",
                    author_name="<b>Хакер</b>",
                    # Entity-escaped markup decodes to a literal "<script>" in the plain text.
                    text_raw="Вопрос &lt;script&gt;window.__pwned = 1&lt;/script&gt; про дороги",
                ),
                ParsedMessage(
                    network="vk", external_id="-1_2_4", text_raw="<script>window.__pwned = 2</script>Привет"
                ),
            ]
        )
    # Text written straight into the column, bypassing the sanitiser: the template must still escape it.
    Message.objects.create(
        network="other", external_id="raw-1", text='<img src=x onerror="window.__pwned = 3">снимок'
    )
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    login(page, live_server.url, "curator")
    page.goto(f"{live_server.url}/intake/messages/")
    expect(page.get_by_role("heading", name="Поступившие сообщения")).to_be_visible()
    first = page.locator("tr", has_text="про дороги")
    expect(first.locator(".message-text")).to_contain_text(
        "Вопрос <script>window.__pwned = 1</script> про дороги"
    )
    expect(first).to_contain_text("Хакер")
    expect(page.locator("tr", has_text="Привет").locator(".message-text")).to_have_text("Привет")
    expect(page.locator("tr", has_text="снимок").locator(".message-text")).to_contain_text(
        '<img src=x onerror="window.__pwned = 3">'
    )
    assert page.locator("td.message-text script, td.message-text img, td b").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
