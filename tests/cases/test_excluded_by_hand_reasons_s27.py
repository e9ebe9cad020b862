"""Found by a review (session 27), fixed since. R-10 (docs/requirements.md: «a message the curator excluded by hand reads «исключено куратором» with her reason
in the excluded list»). A message the moderation blocked, a curator returned to work and a colleague then excluded
by hand: the «Исключённые» list shows the machine's old reasons (those the first curator found wrong) as why it is
excluded, not «исключено куратором»."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.pipeline import annotate_message, is_blocked
from otklik.intake.models import Message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

QUOTED = (
    "Сосед из квартиры 12 в доме 5 на улице Чехова в Гатчине опять пьяный кричит в подъезде на детей «суки», дети "
    "боятся выходить."
)


def test_r10_a_message_excluded_by_hand_after_return_reads_excluded_by_curator(
    client: Client, personas: Personas
) -> None:
    message = Message.objects.create(
        network="vk",
        external_id="-1_7_1",
        url="https://vk.com/wall-1_7?reply=1",
        author_id="88",
        author_name="Ольга Смирнова",
        text=QUOTED,
        text_raw=QUOTED,
    )
    annotate_message(message)
    assert is_blocked(message)
    client.force_login(personas.curator)
    client.post(
        reverse("cases:moderation", args=[message.pk]),
        {"decision": "unblock", "reason": "Ругательство — слова соседа, а не автора"},
    )
    assert not is_blocked(message)
    client.post(
        reverse("cases:moderation", args=[message.pk]),
        {"decision": "block", "reason": "Жалоба на соседа, не на орган власти"},
    )
    assert is_blocked(message)
    page = client.get(reverse("cases:inbox") + "?filter=excluded").content.decode()
    row = page[page.index(f'data-message="{message.pk}"') :]
    cell = row[row.index('data-testid="reasons"') :]
    cell = cell[: cell.index("</td>")]
    assert "Жалоба на соседа" in cell
    assert "исключено куратором" in cell, f"the reasons column shows the machine's reasons: {cell}"
