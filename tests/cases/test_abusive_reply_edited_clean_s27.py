"""Found by a review (session 27), fixed since. R-8.8 with R-10: the author answers the clarification request with an insult (excluded, not taken as the reply),
then edits the comment into a proper reply. The reply is now not excluded, in the request's thread, by the author,
written after the request: it should reach the waiting case as any reply does."""

from __future__ import annotations

import pytest

from otklik.analysis.pipeline import annotate_message, is_blocked
from otklik.cases.models import Case, CaseMessage
from otklik.intake.models import Message, Source
from tests.cases.test_author_reply_in_thread_s19 import awaiting, comment, in_inbox, read
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


@pytest.fixture
def source() -> Source:
    return Source.objects.create(
        network="vk", kind="community", title="Здравоохранение", external_id="1", config={"group_id": 1}
    )


def test_an_abusive_reply_edited_into_a_proper_one_reaches_the_waiting_case(
    personas: Personas, source: Source
) -> None:
    p = personas
    case = awaiting(p, source)
    read(
        source,
        comment(
            503, msk(2025, 4, 28, 12, 0), "Глава района — мразь. Соборная, 5.", parents=[501], reply_to=502
        ),
    )
    rude = Message.objects.get(external_id="-1_1_503")
    annotate_message(rude)
    assert is_blocked(rude)
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR  # not taken as the reply

    # the author edits the comment: the insult is gone, the address stays
    read(source, comment(503, msk(2025, 4, 28, 12, 0), "Улица Соборная, дом 5.", parents=[501], reply_to=502))
    rude.refresh_from_db()
    assert rude.text == "Улица Соборная, дом 5."
    annotate_message(rude)  # the worker's analysis of the edited text
    assert not is_blocked(rude)
    case.refresh_from_db()
    assert CaseMessage.objects.filter(case=case, message=rude, is_author_reply=True).exists() and (
        case.status == Case.Status.DRAFTING
    ), (
        f"the author's edited reply is no longer excluded but the case still reads «{case.get_status_display()}» "
        f"and the reply sits in the curator's inbox (in inbox: {in_inbox('-1_1_503')})"
    )
