"""Found by a review (session 27), fixed since. R-10: a message the system excluded again by itself (its author edited it into abuse after a curator returned it
to work; the Decision has no `decided_by`) is described to curators as «исключено из работы куратором …» —
in the inbox's note on a ticked message left out of the form, and in the dispatch refusal. No curator excluded it:
the system did, on the moderation's verdict on the new text."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.pipeline import EDITED_AFTER_RETURN, is_blocked
from otklik.analysis.repeats import reset_repeat_index
from otklik.cases import actions
from otklik.cases.actions import ActionRefused, Route
from otklik.intake.models import Message
from tests.conftest import Personas
from tests.intake.helpers import deliver_vk_comment, run_queued_analysis

pytestmark = pytest.mark.django_db

QUOTED = (
    "Сосед из квартиры 12 в доме 5 на улице Чехова в Гатчине опять пьяный кричит в подъезде на детей «суки», дети "
    "боятся выходить."
)
EDITED = QUOTED + " А глава администрации Гатчины — вор и мразь, сдохни, тварь."


@pytest.fixture(autouse=True)
def _fresh_repeat_index() -> None:
    reset_repeat_index()


def _returned_then_edited(client: Client, personas: Personas, capture: Any) -> Message:
    done: set[int] = set()
    message = deliver_vk_comment(QUOTED, 1_700_000_000, capture, author="88", author_name="Ольга Смирнова")
    run_queued_analysis(done)
    assert is_blocked(message)
    client.force_login(personas.curator)
    client.post(
        reverse("cases:moderation", args=[message.pk]),
        {"decision": "unblock", "reason": "Ругательство — слова соседа, а не автора"},
    )
    assert not is_blocked(message)
    message = deliver_vk_comment(EDITED, 1_700_000_600, capture, author="88", author_name="Ольга Смирнова")
    run_queued_analysis(done)
    assert is_blocked(message)
    return message


def test_r10_dispatch_refusal_does_not_blame_a_curator_for_the_systems_exclusion(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    message = _returned_then_edited(client, personas, django_capture_on_commit_callbacks)
    with pytest.raises(ActionRefused) as refused:
        actions.dispatch_case(personas.curator, [message], [Route(personas.health)])
    said = str(refused.value)
    assert EDITED_AFTER_RETURN[:40] in said
    assert "куратором" not in said, (
        f"the refusal says a curator excluded the message, but the system did after the author's edit: {said}"
    )


def test_r10_inbox_note_on_a_ticked_message_does_not_blame_a_curator_for_the_systems_exclusion(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    message = _returned_then_edited(client, personas, django_capture_on_commit_callbacks)
    other = Message.objects.create(
        network="vk",
        external_id="-1_9_1",
        url="https://vk.com/wall-1_9?reply=1",
        author_id="5",
        author_name="Пётр",
        text="Во дворе дома 3 на улице Чехова в Гатчине яма на дороге.",
    )
    client.force_login(personas.curator)
    page = client.get(
        reverse("cases:inbox") + f"?pick={message.pk}&pick={other.pk}&combine=1", follow=True
    ).content.decode()
    assert f"Сообщение № {message.pk} " in page
    note = page[page.index(f"Сообщение № {message.pk} ") :][:400]
    assert "куратором" not in note, (
        f"the inbox says a curator excluded the message, but the system did after the author's edit: {note}"
    )


def _reasons_cell(page: str, pk: int) -> str:
    row = page[page.index(f'data-message="{pk}"') :]
    cell = row[row.index('data-testid="reasons"') :]
    return cell[: cell.index("</td>")]


def test_r10_excluded_list_does_not_call_the_systems_exclusion_a_curators_decision(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    message = _returned_then_edited(client, personas, django_capture_on_commit_callbacks)
    client.force_login(personas.curator)
    page = client.get(reverse("cases:inbox") + "?filter=excluded").content.decode()
    cell = _reasons_cell(page, message.pk)
    assert "Автор изменил текст" in cell
    assert "решение куратора" not in cell, (
        f"the excluded list calls the system's own re-exclusion «решение куратора»: {cell}"
    )
