"""Found by a review (session 24), fixed since. R-6 with R-8.8, R-8.4: the author's reply that comes after the answer went on without it is told to the absent
executor, not to the colleague who prepares the answer in her place.

Scenario (Moscow time): 03.03.2025 10:00 the case goes to health, Алексеева its executor; her clarification request
is approved and published (11:20). On 11.03 at 10:00 she goes on without the author's details
(`answer_without_author`): the draft is due 15:45 the same day. At 10:30 she falls ill until 14.03, naming Борисов
(an executor of health) her substitute: from then on Борисов prepares the draft (he is reminded of it and charged
if it is late, `sla._told`). At 11:00 the author answers after all and the curator adds the reply to the case.

Now: the notice «Автор ответил на запрос по обращению № N: учтите его ответ в готовящемся проекте» goes only to
the ill Алексеева (`actions.register_author_reply` notifies the deadline's `responsible` directly, without R-6);
Борисов, who is writing the draft due at 15:45, is not told and sends it without the author's details.

Expected: Борисов, who does her work now, is told of the author's reply (with the words saying he does it instead
of Алексеева), as every other notice of the workflow is resolved by R-6 (`actions.doer`)."""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.cases.models import Case, Notification
from otklik.org.models import Absence
from tests.cases.helpers import message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_substitute_drafting_is_told_of_the_late_author_reply(personas: Personas) -> None:
    p = personas
    case = actions.dispatch_case(
        p.curator, [message()], [Route(p.health, executor=p.alice)], now=msk(2025, 3, 3, 10, 0)
    )
    request = actions.submit_draft(
        p.alice, case, "clarification", "Здравствуйте! Уточните номер дома.", now=msk(2025, 3, 3, 11, 0)
    )
    actions.approve_draft(p.curator, request, now=msk(2025, 3, 3, 11, 10))
    actions.confirm_publication(
        p.alice, request, url="https://vk.com/wall-1_1?reply=901", now=msk(2025, 3, 3, 11, 20)
    )
    case.refresh_from_db()
    actions.answer_without_author(p.alice, case, now=msk(2025, 3, 11, 10, 0), expected_version=case.version)
    Absence.objects.create(
        person=p.alice,
        reason="sick_leave",
        starts_at=msk(2025, 3, 11, 10, 30),
        ends_at=msk(2025, 3, 14, 9, 0),
        substitute=p.bob,
    )

    case.refresh_from_db()
    reply = message(text="Дом 5, подъезд 2.")  # the author's reply in the thread, added by the curator
    actions.register_author_reply(
        p.curator, case, reply, now=msk(2025, 3, 11, 11, 0), expected_version=case.version
    )
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING

    to_bob = list(
        Notification.objects.filter(
            recipient=p.bob, case=case, text__contains="учтите его ответ"
        ).values_list("text", flat=True)
    )
    to_alice = list(
        Notification.objects.filter(
            recipient=p.alice, case=case, text__contains="учтите его ответ"
        ).values_list("text", flat=True)
    )
    assert to_bob, (
        f"Борисов, who drafts for the ill Алексеева, is not told of the author's reply (told: {to_alice})"
    )
