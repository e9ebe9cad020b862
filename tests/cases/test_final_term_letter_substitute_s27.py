"""Found by a review (session 27), fixed since. Review 08: R-8.8 with R-6, the letter to the substitute told of the final answer's term.

Since `confirm_publication` stores the R-8.8 term on the executor (`holder`) and only tells the substitute of that
moment, the substitute's e-mail no longer carries the «Срок: …» line: `notify.services.case_letter` looks for the
recipient's nearest deadline of the case by `Deadline.responsible == recipient`, and the substitute holds none.
Before today's change the term was stored on him and the letter said «Срок: окончательный ответ … — до 13.05.2025
18:00 (мск)», as every other work letter does (R-8.4)."""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.models import Publication
from otklik.notify.models import Mail
from otklik.org.models import Absence
from tests.cases.helpers import COMMON_INTERIM, dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_the_substitutes_letter_about_the_final_term_names_the_term(personas: Personas) -> None:
    p = personas
    p.bob.email = "bob@example.org"
    p.bob.mail_notices = True
    p.bob.save()
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
    actions.confirm_publication(
        None,
        interim,
        url="https://vk.com/wall-1_1?reply=998",
        external_id="-1_1_998",
        method=Publication.Method.API,
        now=msk(2025, 4, 28, 11, 50),
    )
    letters = [m.text for m in Mail.objects.all() if "bob@example.org" in m.to and "8.8" in m.text]
    assert letters, "Борисов got no letter about the final term"
    assert "Срок: " in letters[-1], letters[-1]
