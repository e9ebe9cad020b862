"""R-8.1 with R-10: one curator sends an inbox message to a body while another excludes it as abusive, on a real
PostgreSQL server (two transactions at once, the first held open until the second really waits for it).

The message now ends either in work or excluded, never both: the exclusion waits for the dispatch's lock on the
message row and sends the excluding curator to the case («Сообщение уже направлено: обращение № …, из работы оно не
исключено»); a dispatch that comes second is refused with «Сообщение исключено из работы куратором …» (who, when,
why). An author's reply entered on the case page while a curator dispatches the same comment is refused in Russian
(«Сообщение уже в работе: обращение № …»), not a 500 page.

Found by a review (session 19).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from otklik.analysis.pipeline import is_blocked
from otklik.cases import actions
from otklik.cases.models import CaseMessage
from otklik.org.models import Role
from tests.cases.helpers import message
from tests.cases.test_explore_races import _race
from tests.conftest import Personas, make_person, msk

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="parallel writers need a server database (row locks); SQLite serialises every writer",
    ),
]


def test_a_message_excluded_while_a_colleague_dispatches_it_is_not_both_in_work_and_excluded(
    personas: Personas,
) -> None:
    p = personas
    curator2 = make_person("curator2", p.office, Role.Kind.CURATOR)
    msg = message("Когда отремонтируют дорогу на Соборной, 5? Ямы по колено.")
    excluder = Client()
    excluder.force_login(curator2)

    def exclude() -> Any:
        return excluder.post(
            reverse("cases:moderation", args=[msg.pk]),
            {"decision": "block", "reason": "Оскорбления в адрес сотрудников"},
        )

    one, two = _race(
        lambda: actions.dispatch_case(
            p.curator, [msg], [actions.Route(p.health)], now=msk(2025, 4, 28, 9, 0)
        ),
        exclude,
    )
    assert (one.error, two.error) == (None, None), (one.error, two.error)
    case = one.result
    in_work = CaseMessage.objects.filter(message=msg).exists()
    assert in_work
    # in work (the body answers it) and excluded as abusive at the same time: one of the two decisions is lost
    assert not is_blocked(msg), f"the message is in case № {case.pk} and excluded by the moderation"
    # the excluding curator is sent to the case, as when the colleague's dispatch came first (`views.moderation`)
    assert two.result["Location"] == reverse("cases:detail", args=[case.pk])


def test_an_authors_reply_registered_while_a_curator_dispatches_it_is_refused_in_russian(
    personas: Personas,
) -> None:
    """R-8.8 with R-8.1: the author answers the clarification request; the executor enters the reply on the case
    page while a curator, seeing the same comment in the inbox, sends it to a body as a new message. One of them is
    told in Russian which case has it («Сообщение уже в работе: обращение № …»), as two curators dispatching it at
    once are — not an IntegrityError (a 500 page) for the executor."""
    from otklik.cases.actions import ActionRefused
    from otklik.cases.models import Draft

    p = personas
    curator2 = make_person("curator2", p.office, Role.Kind.CURATOR)
    case = actions.dispatch_case(
        p.curator, [message()], [actions.Route(p.health)], now=msk(2025, 4, 28, 9, 0)
    )
    request = actions.submit_draft(
        p.alice,
        case,
        Draft.Kind.CLARIFICATION,
        "Уточните, пожалуйста, номер дома.",
        now=msk(2025, 4, 28, 10, 0),
    )
    actions.approve_draft(p.curator, request, now=msk(2025, 4, 28, 10, 20))
    actions.confirm_publication(
        None, request, method="api", external_id="-1_1_900", now=msk(2025, 4, 28, 10, 25)
    )
    reply = message("Дом 5, подъезд 2.")
    at = msk(2025, 4, 28, 11, 0)
    one, two = _race(
        lambda: actions.dispatch_case(curator2, [reply], [actions.Route(p.roads)], now=at),
        lambda: actions.register_author_reply(p.alice, case, reply, now=at),
    )
    assert one.error is None, one.error
    assert isinstance(two.error, ActionRefused), repr(two.error)
    assert two.error.message == f"Сообщение уже в работе: обращение № {one.result.pk}."
    assert CaseMessage.objects.get(message=reply).case_id == one.result.pk


def test_a_dispatch_that_comes_after_a_colleagues_exclusion_is_refused_with_who_excluded_it(
    personas: Personas,
) -> None:
    """R-10 with R-8.1, the other order: the exclusion is recorded first; the dispatch waits for it and is refused
    in Russian, naming the curator who excluded the message — no case is made of an excluded message."""
    from otklik.cases.actions import ActionRefused
    from otklik.cases.models import Case

    p = personas
    curator2 = make_person("curator2", p.office, Role.Kind.CURATOR)
    msg = message("Когда отремонтируют дорогу на Соборной, 5? Ямы по колено.")
    excluder = Client()
    excluder.force_login(curator2)
    one, two = _race(
        lambda: excluder.post(
            reverse("cases:moderation", args=[msg.pk]),
            {"decision": "block", "reason": "Оскорбления в адрес сотрудников"},
        ),
        lambda: actions.dispatch_case(
            p.curator, [msg], [actions.Route(p.health)], now=msk(2025, 4, 28, 9, 0)
        ),
    )
    assert one.error is None, one.error
    assert one.result["Location"] == reverse("cases:inbox")
    assert isinstance(two.error, ActionRefused), repr(two.error)
    assert two.error.message.startswith(f"Сообщение исключено из работы куратором {curator2} "), (
        two.error.message
    )
    assert "«Оскорбления в адрес сотрудников»" in two.error.message
    assert is_blocked(msg)
    assert not Case.objects.exists() and not CaseMessage.objects.filter(message=msg).exists()
