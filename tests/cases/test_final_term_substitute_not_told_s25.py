"""Found by a review (session 25), fixed since. R-8.8 with R-6: the substitute who gets the final answer's 7 working days is never told of them.

Single body «Здравоохранение», message sent Mon 28.04.2025 10:00. Алексеева's interim answer is approved by the
curator at 11:30 and goes to the network through the API; Алексеева leaves on vacation at 11:40 (substitute
Борисов), and the outbox publishes the interim answer at 11:50. Otklik opens the R-8.8 term «окончательный ответ после
промежуточного (п. 8.8)» due 13.05.2025 18:00 and charges it to Борисов (`doer`: he does her work) — the case's
timeline says so — but nobody tells Борисов: no notice that a case is now his and its final answer is due by
13.05.2025 18:00. He learns of it only from the first reminder, half-way through the term (06.05), or from a breach.
Everywhere else Otklik gives work to a person it tells them (dispatch «Новое обращение», the author's reply
reopening drafting, a hand-over «Вам передано обращение … срок …»).

Expected: whoever the final answer's term is opened for (here the substitute) is told at once, with its due date.
Cause: src/otklik/cases/actions.py, `confirm_publication` (the `d.kind == Draft.Kind.INTERIM` branch opens the FINAL
deadline for `responsible` without a `notify`)."""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.models import Deadline, Notification, Publication
from otklik.org.models import Absence
from tests.cases.helpers import COMMON_INTERIM, deadline, dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_the_substitute_holding_the_final_answers_term_is_told_of_it(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    interim = actions.submit_draft(p.alice, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 28, 11, 0))
    actions.approve_draft(p.curator, interim, now=msk(2025, 4, 28, 11, 30))
    Absence.objects.create(
        person=p.alice,
        reason=Absence.Reason.VACATION,
        starts_at=msk(2025, 4, 28, 11, 40),
        ends_at=msk(2025, 5, 30, 18, 0),
        substitute=p.bob,
    )
    # the outbox's worker publishes the approved interim answer (`cases.publishing.on_outbox_sent`)
    actions.confirm_publication(
        None,
        interim,
        url="https://vk.com/wall-1_1?reply=998",
        external_id="-1_1_998",
        method=Publication.Method.API,
        now=msk(2025, 4, 28, 11, 50),
    )

    final = deadline(case, Deadline.Stage.FINAL, open_only=True)
    # her term, done by Борисов while she is away (session 27: not his for good, `test_final_term_stays_with_substitute_s27`)
    assert final.responsible == p.alice
    assert f"{final.due_at.astimezone(msk(2025, 1, 1).tzinfo):%d.%m.%Y}" == "13.05.2025"
    told = list(Notification.objects.filter(recipient=p.bob, case=case).values_list("text", flat=True))
    assert any("13.05.2025" in text for text in told), (
        "Борисов holds the final answer's term (п. 8.8, до 13.05.2025 18:00) for his absent colleague, but "
        f"was told nothing of it; his notices on the case: {told}"
    )
