"""R-10: a message its author edits in the network is moderated again as it reads now. A comment that was harmless
when it arrived and was then edited into abuse leaves the curator's inbox; a comment excluded for an obscene word
that the author cleaned up comes back. `intake.pipeline._against_stored` compares the delivered text with the stored
one (an edit event, or a page read again) and the changed messages are queued for the analysis as new ones are.
Found by a review (session 18): only new messages were analysed, so an edit kept the old suggestions. Intake
throughput with the extra read (bench/intake/run.py, 20,000 messages, alternating runs of the code before and after):
SQLite pipeline 17.8–18.7k vs 15.9–19.1k msg/s, PostgreSQL 8.4–10.0k vs 8.8–9.5k msg/s — within the noise."""

from __future__ import annotations

from typing import Any

import pytest

from otklik.analysis.pipeline import is_blocked
from tests.intake.helpers import deliver_vk_comment, run_queued_analysis

pytestmark = pytest.mark.django_db

CLEAN = "Когда починят дорогу на Соборной улице в Гатчине? Ямы по колено."
ABUSIVE = "Когда починят эту х*ёвую дорогу на Соборной улице в Гатчине, уроды? Ямы по колено."


@pytest.mark.parametrize(
    ("first", "edited", "blocked_after"),
    [(CLEAN, ABUSIVE, True), (ABUSIVE, CLEAN, False)],
    ids=["edited-into-abuse", "abuse-edited-out"],
)
def test_r10_a_message_edited_in_the_network_is_moderated_as_it_reads_now(
    django_capture_on_commit_callbacks: Any, first: str, edited: str, blocked_after: bool
) -> None:
    done: set[int] = set()
    message = deliver_vk_comment(
        first, 1_700_000_000, django_capture_on_commit_callbacks, author="77", author_name="Пётр Иванов"
    )
    run_queued_analysis(done)
    assert is_blocked(message) is (not blocked_after)

    message = deliver_vk_comment(
        edited, 1_700_000_600, django_capture_on_commit_callbacks, author="77", author_name="Пётр Иванов"
    )  # the author's edit
    run_queued_analysis(done)
    assert message.text == edited
    assert is_blocked(message) is blocked_after, (
        f"the message now reads «{edited}» and its moderation is still that of «{first}»"
    )
