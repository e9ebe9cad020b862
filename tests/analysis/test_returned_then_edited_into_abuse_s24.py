"""Found by a review (session 24), fixed since. R-10 with R-8.1: a message the curator returned to work is later edited in the network into abuse of an official.

Scenario (times as in a working day, 2026-12-02):
- 09:00 a VK comment arrives quoting a neighbour's obscene word («суки»); the moderation excludes it;
- 09:10 the curator reads it, finds the word is the neighbour's, not the author's, and returns it to the inbox
  («Вернуть во входящие», with her reason);
- 09:30 the author edits the comment in VK and adds «А глава администрации Гатчины — вор и мразь, сдохни, тварь»;
  the network delivers the edit, the worker moderates the new text (the moderation names the insults).

Now: the message stays in the curator's inbox with the «Направить» button, not in «Исключённые (модерация)»: her
decision of 09:10, taken about a text that no longer exists, stands over the verdict on the text as it reads now
(`analysis.pipeline._annotate` / `_moderation_verdict`), so an insult to an official goes to a body for an answer.
Expected: an edit that changes the text is moderated as it reads now (as `tests/intake/test_edited_message_analysed_s18`
requires for a message no one has decided on): the comment with the new insults is excluded from work, and the
curator may return it again if she finds it should be answered."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.pipeline import is_blocked
from otklik.analysis.repeats import reset_repeat_index
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


def test_r10_a_returned_comment_edited_into_abuse_of_an_official_is_excluded_again(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    done: set[int] = set()
    message = deliver_vk_comment(
        QUOTED, 1_700_000_000, django_capture_on_commit_callbacks, author="88", author_name="Ольга Смирнова"
    )  # 09:00
    run_queued_analysis(done)
    assert is_blocked(message)

    client.force_login(personas.curator)  # 09:10: the word is the neighbour's
    client.post(
        reverse("cases:moderation", args=[message.pk]),
        {"decision": "unblock", "reason": "Ругательство — слова соседа, а не автора"},
    )
    assert not is_blocked(message)

    message = deliver_vk_comment(
        EDITED, 1_700_000_600, django_capture_on_commit_callbacks, author="88", author_name="Ольга Смирнова"
    )  # 09:30: the author's edit
    run_queued_analysis(done)
    assert message.text == EDITED

    inbox = client.get(reverse("cases:inbox")).content.decode()
    excluded = client.get(reverse("cases:inbox") + "?filter=excluded").content.decode()
    assert f'data-message="{message.pk}"' not in inbox, (
        "the comment now insults the head of the administration («вор и мразь, сдохни, тварь») and is still in the "
        "curator's inbox, ready to be sent to a body: her return of the earlier text stands over the new verdict"
    )
    assert f'data-message="{message.pk}"' in excluded
    assert "Автор изменил текст после того, как куратор вернул сообщение в работу" in excluded

    # she may return the new text too: her decision on it stands, and an unchanged re-delivery keeps it so
    client.post(
        reverse("cases:moderation", args=[message.pk]),
        {"decision": "unblock", "reason": "Проверено: оставить в работе"},
    )
    assert not is_blocked(message)
    deliver_vk_comment(
        EDITED, 1_700_000_900, django_capture_on_commit_callbacks, author="88", author_name="Ольга Смирнова"
    )
    run_queued_analysis(done)
    assert not is_blocked(message)
