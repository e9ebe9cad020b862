"""Found by a review (session 23), fixed since. R-6 with R-7.2: the substitute doing an absent head's work cannot end a question «ответ не нужен».

Scenario: Яковлева, the health committee's responsible official, is on vacation 4–8.11.2024 and names Борисов
(an executor of the committee) her substitute. The Governor's post is out Tue 5.11.2024 10:00; Житель 301 asks a
health question at 10:20, and the run at 10:25 gives it to the committee (Алексеева, due 12:20). At 10:40 a
community moderator deletes the comment in VK, so it is not ended by itself. At 11:00 Борисов, doing Яковлева's
work, ends it «удалён модератором сообщества: отвечать негде».

Now: refused — «Отметить, что ответ не нужен, может ответственный органа, которому направлен вопрос, или
куратор.» (`actions.parts_to_end` looks only at `actor.responsible_body_ids()`), the post page offers him no
«Ответ не нужен»; nobody of the committee can end it while its head is away, the term runs out at 12:20 and is
Алексеева's violation (R-12) for a comment nobody can answer under.
Should: as for approving the committee's answers (`actions.may_approve`, docs/requirements.md R-7.1 «while a head
is away (R-6) … whoever does his work — the substitute named on his absence»), the one doing the absent head's
work does the head's decision: the question is ended «ответ не нужен», its term closed without a violation.
"""

from __future__ import annotations

import pytest

from otklik.cases import sla
from otklik.cases.models import Case
from otklik.governor import actions, service
from otklik.governor.models import Comment
from otklik.intake.models import DeletedHow
from otklik.intake.pipeline import mark_deleted
from otklik.org.models import Absence
from tests.cases.helpers import violations
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401  (health and roads competent for their topics)
from tests.governor.helpers import HEALTH_QUESTION, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def test_r6_the_substitute_of_an_absent_head_ends_a_question_that_needs_no_answer(
    p: Personas,  # noqa: F811
) -> None:
    Absence.objects.create(
        person=p.health_head,
        reason=Absence.Reason.VACATION,
        starts_at=msk(2024, 11, 4, 0, 0),
        ends_at=msk(2024, 11, 9, 0, 0),
        substitute=p.bob,
    )
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=question).case
    assert case is not None
    # precondition: Борисов does Яковлева's work (he approves the committee's answers in her place)
    assert actions.may_approve(p.bob, p.health, msk(2024, 11, 5, 11, 0))
    mark_deleted(
        "vk",
        [question.external_id],
        DeletedHow.EVENT,
        by={question.external_id: "999"},
        at=msk(2024, 11, 5, 10, 40),
    )
    service.run_checks(now=msk(2024, 11, 5, 10, 45), fetch=False)

    actions.end_question(
        case, p.bob, "удалён модератором сообщества: отвечать негде", now=msk(2024, 11, 5, 11, 0)
    )
    sla.sweep(now=msk(2024, 11, 5, 12, 30))

    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and violations(case) == []
