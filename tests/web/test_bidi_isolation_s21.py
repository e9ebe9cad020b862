"""A citizen's name or text ending with a right-to-left override (U+202E) no longer turns the staff's own words
around it backwards (browser test): the case page's line «Пётр[U+202E] · ВКонтакте · 28.04.2025 09:05» shows the
message's date as written, and the inbox's «источник» link reads left to right. The name and text are kept as the
network gave them (`intake.text.to_str` keeps U+202E); the pages isolate them (`<bdi>`, and in the inbox's message
cell the site's words after the text, `.isolate`). Before, the override ran to the end of the line and the curator
read «22:90 6202.21.10 · еткатноКВ» — a wrong time of the message (R-8.1: the curator reads what came and when).
Found by a review (session 21)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from playwright.sync_api import Page

from otklik.cases import actions
from otklik.intake.models import Message
from otklik.intake.pipeline import upsert
from otklik.integrations.base import ParsedMessage
from tests.conftest import Personas
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RLO = "\u202e"
WRITTEN = datetime(2025, 4, 28, 9, 5, tzinfo=ZoneInfo("Europe/Moscow"))

# Whether the first character of `needle` (inside `selector`) is drawn left of its last one: text of this site is
# written left to right, so it must be, unless something turned it around.
LEFT_TO_RIGHT = """([selector, needle]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at < 0) continue;
    const box = (i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                         return r.getBoundingClientRect(); };
    return box(at).left < box(at + needle.length - 1).left;
  }
  return null;
}"""


def stored(external_id: str, author: str, text: str) -> Message:
    with transaction.atomic():
        upsert(
            [
                ParsedMessage(
                    network="vk",
                    external_id=external_id,
                    url=f"https://vk.com/wall-1_1?reply={external_id.rsplit('_', 1)[1]}",
                    author_name=author,
                    text_raw=text,
                    published_at=WRITTEN,
                )
            ]
        )
    return Message.objects.get(external_id=external_id)


def test_a_name_ending_with_a_right_to_left_override_does_not_reverse_the_messages_date_on_the_case_page(
    page: Page, live_server: Any, personas: Personas
) -> None:
    message = stored("-1_1_901", f"Пётр{RLO}", "Нет света на улице Ленина")
    assert RLO in message.author_name  # intake keeps it: the page must keep it from acting on its own words
    case = actions.dispatch_case(personas.curator, [message], [actions.Route(personas.health, 1)])
    login(page, live_server.url, "curator")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    shown = page.locator("main article p.muted").first
    assert "28.04.2025" in shown.inner_text()
    assert page.evaluate(LEFT_TO_RIGHT, ["main article p.muted", "28.04.2025"]) is True


def test_a_message_ending_with_a_right_to_left_override_does_not_reverse_the_inbox_source_link(
    page: Page, live_server: Any, personas: Personas
) -> None:
    message = stored("-1_1_902", "Ирина Петрова", f"Когда починят дорогу в Гатчине{RLO}")
    login(page, live_server.url, "curator")
    page.goto(f"{live_server.url}/cases/inbox/")
    cell = f"tr[data-message='{message.pk}'] td[data-testid=text]"
    assert page.locator(cell).get_by_role("link", name="источник").count() == 1
    assert page.evaluate(LEFT_TO_RIGHT, [cell, "источник"]) is True
