"""Found by a review (session 26), fixed since. R-6 (review 61, lead 4): Борисов is on vacation with Чернов named his substitute. The head of «Здравоохранение»
gives Алексеева's case to Борисов; Otklik rightly gives the work and its deadlines to Чернов, and the case's record
keeps both (`Assignment.duty_note`, the timeline's «… (Борисов отсутствует до …; работу выполняет замещающий
Чернов)»). But Чернов's notice reads only

  «Вам передано обращение № N органа «Комитет по здравоохранению» (передал: Яковлева Тест; прежний исполнитель:
  Алексеева Тест), срок: …»

(`cases.actions.hand_to_executor`, src/otklik/cases/actions.py:952-959: the `away` words are put in the event, not
in the notice). Чернов cannot tell that the head chose Борисов and that he has it as Борисов's substitute — every
other notice that reaches a substitute says so (`with_substitute`: reminders, returns, approvals, «больше не ваша»).
The same holds for the dispatch notice «Новое обращение № N для органа «…».» a substitute gets in place of the
absent executor (`_start_assignment`, src/otklik/cases/actions.py:327).
"""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.models import Notification
from otklik.org.models import Absence
from tests.cases.helpers import dispatch, message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)  # Monday


def _away(p: Personas, who: object, substitute: object) -> None:
    Absence.objects.create(
        person=who,
        reason=Absence.Reason.VACATION,
        starts_at=msk(2025, 4, 28, 0, 0),
        ends_at=msk(2025, 5, 5, 18, 0),
        substitute=substitute,
    )


def test_the_substitute_handed_an_absent_executors_case_is_told_whose_work_it_is(personas: Personas) -> None:
    p = personas
    _away(p, p.bob, p.charlie)
    case = dispatch(p.curator, p.health, at=MON)
    a = actions.hand_to_executor(p.health_head, case.assignments.get(), p.bob, now=msk(2025, 4, 28, 10, 30))
    assert (a.intended_executor, a.executor) == (p.bob, p.charlie)
    assert str(p.bob) in a.duty_note  # the record shows both

    told = Notification.objects.get(recipient=p.charlie, case=case, text__startswith="Вам передано обращение")
    assert str(p.bob) in told.text, f"Чернов is not told he has it as Борисов's substitute: {told.text!r}"


def test_the_substitute_getting_a_new_case_of_an_absent_executor_is_told_whose_work_it_is(
    personas: Personas,
) -> None:
    """The curator sends the case to «Здравоохранение» naming Алексеева its executor; she is away, Борисов her
    substitute: his «Новое обращение» notice names her, as the case's timeline does."""
    p = personas
    _away(p, p.alice, p.bob)
    case = actions.dispatch_case(p.curator, [message()], [actions.Route(p.health, 1, p.alice)], now=MON)
    a = case.assignments.get()
    assert (a.intended_executor, a.executor) == (p.alice, p.bob)

    told = Notification.objects.get(recipient=p.bob, case=case, text__startswith="Новое обращение")
    assert str(p.alice) in told.text, (
        f"Борисов is not told he has it as Алексеева's substitute: {told.text!r}"
    )
