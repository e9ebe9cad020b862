"""Found by a review (session 26), fixed since. R-6 (review 61, lead 1): the head of «Здравоохранение» (Яковлева, the body's responsible official) is on vacation
and has named Борисов, an executor of the body, as her substitute — the directory allows exactly that
(`org.duty.may_substitute`). While she is away the body's work with the messages is organised by him: under the
Governor's posts (clause 7) he already hands a question to another executor in her place
(`governor.actions.hand_over` via `heading_body_ids`). In clause 8 he cannot: `cases.actions.hand_to_executor`
(src/otklik/cases/actions.py:910) asks only `actor.responsible_body_ids()`, and the case page
(`cases.views._hand_over_choices`, src/otklik/cases/views.py:1939) shows him no «Передать другому исполнителю» form.

What the user sees: the case's executor Алексеева is overloaded; Борисов, doing the head's work, presses
nothing (there is no form) or, through the action, reads «Передать работу другому исполнителю может ответственное
должностное лицо органа или куратор.» The head's work (R-6: «work addressed to an absent … goes to the substitute
automatically») is not done by the substitute; only the curator can move the case.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.org.models import Absence
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)  # Monday


def _head_away(p: Personas) -> None:
    Absence.objects.create(
        person=p.health_head,
        reason=Absence.Reason.VACATION,
        starts_at=msk(2025, 4, 28, 0, 0),
        ends_at=msk(2030, 5, 5, 18, 0),  # still away when the page reads the real clock
        substitute=p.bob,
    )


def test_the_absent_heads_substitute_hands_a_case_to_another_executor(personas: Personas) -> None:
    """R-6: Борисов does the absent head's work, so he may give the body's case to Чернов, as the head could."""
    p = personas
    _head_away(p)
    case = dispatch(p.curator, p.health, at=MON)
    a = case.assignments.get()
    assert a.executor == p.alice

    actions.hand_to_executor(p.bob, a, p.charlie, now=msk(2025, 4, 28, 10, 30))  # refused today

    a.refresh_from_db()
    assert a.executor == p.charlie


def test_the_absent_heads_substitute_sees_the_hand_over_form(client: Client, personas: Personas) -> None:
    """R-6: the case page offers the head's substitute the «передать другому исполнителю» form, as it offers the
    head herself (tests/cases/test_hand_over_s11.py)."""
    p = personas
    _head_away(p)
    case = dispatch(p.curator, p.health, at=MON)
    client.force_login(p.bob)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="hand-over"' in page, "Борисов, doing the absent head's work, has no hand-over form"
