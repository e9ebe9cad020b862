"""Found by a review (session 26), fixed since. R-8.1, R-8.10 (with decision 0003). The executor publishes the final answer by hand under Irina's VK comment (the
link is confirmed in the system minutes later: R-8.7 gives 30 minutes). Irina replies to that answer at once:
«Ничего не изменилось, ямы на месте — вы опять отписались». Since `late_reply_awaited` takes a case «на публикации»
whose clarification request once went out, the pipeline links this reaction to the case as «ответ автора (ответ
уже готовится)»; a minute later the executor confirms the publication and the case closes. The curator never sees
the new complaint in «Входящие»: it sits inside a closed case as a reply to a request answered hours ago (it was
neither a reply to the request nor written while anybody could still use it), so no new or repeated case
(R-8.10) can be made of it.

Cause: `src/otklik/cases/actions.py` `LATE_REPLY_STATUSES` includes PUBLISHING, and
`cases/author_replies._answers` accepts any later comment of the author in the same thread (here a reply to our own
final answer) as the reply to the clarification request.
"""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.models import Case, CaseMessage
from tests.cases.test_author_reply_in_thread_s19 import (  # noqa: F401
    GROUP,
    awaiting,
    comment,
    in_inbox,
    read,
    source,
)
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_a_reaction_to_the_published_answer_is_not_swallowed_by_the_closing_case(
    personas: Personas,
    source: object,  # noqa: F811
) -> None:
    p = personas
    case = awaiting(p, source)  # type: ignore[arg-type]
    read(source, comment(503, msk(2025, 4, 28, 12, 0), "Соборная улица, дом 5.", parents=[501], reply_to=502))  # type: ignore[arg-type]
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    answer = actions.submit_draft(
        p.alice,
        case,
        "answer",
        "Здравствуйте, Ирина! Ремонт дороги на Соборной улице включён в план на июнь 2025 года.",
        now=msk(2025, 4, 28, 13, 0),
    )
    actions.approve_draft(p.curator, answer, now=msk(2025, 4, 28, 13, 20))
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING

    # the answer is posted by hand at 13:30 (comment 505); Irina answers it at 13:35; the thread is read at 13:36
    reaction = comment(
        506,
        msk(2025, 4, 28, 13, 35),
        "Ничего не изменилось, ямы на месте — вы опять отписались!",
        parents=[501],
        reply_to=505,
    )
    read(source, reaction)  # type: ignore[arg-type]
    actions.confirm_publication(
        p.alice,
        answer,
        url=f"https://vk.com/wall-{GROUP}_1?reply=505",
        now=msk(2025, 4, 28, 13, 40),
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED

    external = f"-{GROUP}_1_506"
    swallowed = CaseMessage.objects.filter(case=case, message__external_id=external).exists()
    assert not swallowed, (
        "the author's reaction to the final answer was taken into the closing case as a «reply to the request» "
        "and never reaches the curator's inbox"
    )
    assert in_inbox(external)
