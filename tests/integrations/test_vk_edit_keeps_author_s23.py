"""Found by a review (session 23), fixed since. R-4 («nothing lost»), R-8.1, R-8.7: an author's edit of a VK comment already in a case must not erase who wrote it.

Scenario. The health committee's community is read by polling and by the Callback API (the setup docs/operations.md
describes). The poll stores Павел Козлов's comment 1002 under post 101 with his name (wall.getComments gives the
profiles); the curator sends it to the committee (a case). Павел then edits his comment; VK pushes
`wall_reply_edit`. The callback reads the comment back (`vk.views._current`) — and VK answers that read with error 6
«Too many requests per second» (the read-back is not retried on 6, `retries_on_6=0`), so the event is stored as it
came. A Callback API comment object carries `from_id` but no profiles.

Now: the edit's delivery replaces the stored row wholesale (`intake.pipeline` upsert: `author_name = excluded`), so
the message in the case loses its author's name: the case page and the inbox say «автор не указан»/nothing, the
answer checker no longer knows whom to greet, and the name is gone until some later poll happens to re-read the
comment (an old comment may never be re-read).

Expected: the edit changes the text; the author's name the network gave before stays (a field the delivery leaves
blank keeps what was stored, as the pipeline already does for a hand entry a delivery takes over).
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.intake.models import Message, Source
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.fakes.base import load_fixture
from tests.fakes.vk import FakeVK

pytestmark = pytest.mark.django_db

OWNER = -200000001
EDITED = "В Лукашах до сих пор нет врача, ездим в Гатчину. Когда будет врач?"


def _edit_event(comment: dict[str, Any]) -> dict[str, Any]:
    event = copy.deepcopy(load_fixture("vk", "callback_wall_reply_new.json"))
    obj = {k: comment[k] for k in ("id", "from_id", "date", "post_id", "owner_id", "parents_stack")}
    event.update(type="wall_reply_edit", event_id="edit-1002", object={**obj, "text": EDITED})
    return event


def test_an_edit_event_keeps_the_authors_name_of_a_message_in_a_case(
    personas: Personas,
    vk_source: Source,
    fake_vk: FakeVK,
) -> None:
    p = personas
    assert run_source(vk_source).error == ""
    message = Message.objects.get(network="vk", external_id=f"{OWNER}_101_1002")
    assert message.author_name == "Павел Козлов"
    case = actions.dispatch_case(p.curator, [message], [actions.Route(p.health)])

    fake_vk.fail("wall.getComment", code=6)  # VK's rate limit on the read-back
    comment = next(c for c in load_fixture("vk", "comments.json")["items"] if c["id"] == 1002)
    response = Client().post(
        "/integrations/vk/callback/", data=json.dumps(_edit_event(comment)), content_type="application/json"
    )
    assert response.content == b"ok"

    message.refresh_from_db()
    assert message.text == EDITED  # the edit is taken
    assert message.author_name == "Павел Козлов", (
        f"the author's edit erased his name: the message of case № {case.pk} now has author {message.author_name!r}"
    )
    client = Client()
    client.force_login(p.curator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Павел Козлов" in page
