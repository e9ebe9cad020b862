"""Found by a review (session 23), fixed since. R-8.4, R-8.7, R-8.8: the author's reply that arrives while the clarification request waits for its link.

Scenario (Monday 28.04.2025, Moscow time). Irina's VK comment (-1_1_501) is sent to the health committee at 10:00;
the executor writes a clarification request at 11:00, the curator approves it at 11:20. The executor posts it by hand
under Irina's comment at 11:22 (VK comment 502). Irina answers it at 11:25, replying to 502, and the intake reads her
answer at 11:26 (Callback API or the next poll). The executor confirms the link of her request at 11:30 — within the
30 minutes R-8.7 gives her.

Now: when Irina's answer is read the case is still «публикация» (the request's link not yet confirmed), so
`cases.author_replies.link_author_replies` does not see a waiting case and leaves the answer in the curator's inbox as
a new message; the confirmation at 11:30 moves the case to «ждёт ответа автора» and nothing looks again. The case
waits for an answer the author has already given (the decision 0003 says a reply «written in those minutes» between
the approval and the confirmation is a reply), and it sits in the inbox as unrelated work.

Expected: once the request's publication is confirmed, the author's reply already in hand is taken as it would have
been had it been read a minute later: the case goes back to drafting with the reply attached, and it leaves the inbox.
"""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.models import Case, CaseMessage
from otklik.intake.models import Message, Source
from tests.cases.test_author_reply_in_thread_s19 import (
    GROUP,
    QUESTION,
    REQUEST_TEXT,
    comment,
    in_inbox,
    read,
)
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


@pytest.fixture
def source() -> Source:
    return Source.objects.create(
        network="vk",
        kind="community",
        title="Здравоохранение",
        external_id=str(GROUP),
        config={"group_id": GROUP},
    )


def test_the_authors_reply_read_before_the_request_link_is_confirmed_reaches_the_case(
    personas: Personas, source: Source
) -> None:
    p = personas
    read(source, QUESTION)
    question = Message.objects.get(network="vk", external_id="-1_1_501")
    case = actions.dispatch_case(
        p.curator, [question], [actions.Route(p.health)], now=msk(2025, 4, 28, 10, 0)
    )
    request = actions.submit_draft(p.alice, case, "clarification", REQUEST_TEXT, now=msk(2025, 4, 28, 11, 0))
    actions.approve_draft(p.curator, request, now=msk(2025, 4, 28, 11, 20))

    # 11:22 the request is posted by hand (comment 502); 11:25 Irina answers it; read at once
    read(
        source,
        comment(503, msk(2025, 4, 28, 11, 25), "Улица Соборная, от дома 5.", parents=[501], reply_to=502),
    )
    assert in_inbox("-1_1_503")  # the case is not waiting yet: it is still being published

    # 11:30 the executor confirms the link of her request
    actions.confirm_publication(
        p.alice, request, url=f"https://vk.com/wall-{GROUP}_1?reply=502", now=msk(2025, 4, 28, 11, 30)
    )

    case.refresh_from_db()
    assert CaseMessage.objects.filter(
        case=case, message__external_id="-1_1_503", is_author_reply=True
    ).exists(), (
        "Irina answered the published request at 11:25, but her answer is not in the case: it sits in the curator's "
        f"inbox and the case says «{case.get_status_display()}»"
    )
    assert case.status == Case.Status.DRAFTING
    assert not in_inbox("-1_1_503")
