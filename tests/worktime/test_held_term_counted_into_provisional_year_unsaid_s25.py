"""Found by a review (session 25), fixed since. A held term counted in full into the provisional year does not say it is provisional (working time, R-8.8).

Monday 25.12.2028 the worker publishes an approved interim answer; the final answer's 7 working days run into
2029, which no calendar covers, so its deadline is held at the calendar's last working moment (29.12.2028 16:45).
The administrator then loads the 2028 calendar in the admin («Годы производственного календаря → Добавить»):
the term is counted in full — to 11.01.2029, a day of 2029, which is now the PROVISIONAL year (Labour Code only,
no Government transfers). docs/operations.md § Production calendar: «each case whose deadline reaches into it
says so in its history»; a deadline opened into the provisional year gets «Срок … рассчитан предварительно …»
(`cases.sla._say_if_provisional`). The recount (`worktime.recount._move`, the `held is not None` branch) writes
only «посчитан полностью — 11.01.2029 …» and never says that 11.01.2029 is provisional and will move again when
the 2029 calendar is loaded: the executor and the curator take a provisional date for a final one."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client
from tests.cases.helpers import message
from tests.conftest import Personas, msk

from otklik.cases import actions
from otklik.cases.models import CaseEvent, Deadline, Publication
from otklik.cases.sla import hold_past_calendar
from otklik.worktime.calendar import statutory_year_data

pytestmark = pytest.mark.django_db

INTERIM = "Павел, здравствуйте! Вопрос изучается, окончательный ответ дадим после праздников."


def test_held_term_counted_into_the_provisional_year_says_it_is_provisional(
    personas: Personas, client: Client
) -> None:
    p = personas
    with transaction.atomic():
        case = actions.dispatch_case(
            p.curator, [message()], [actions.Route(p.health, 1)], now=msk(2028, 12, 25, 9, 30)
        )
        draft = actions.submit_draft(p.alice, case, "interim", INTERIM, now=msk(2028, 12, 25, 10, 0))
        actions.approve_draft(p.curator, draft, now=msk(2028, 12, 25, 10, 30))
    with hold_past_calendar():  # as the worker records an API publication
        actions.confirm_publication(
            None,
            draft,
            url="https://vk.com/wall-1_1?reply=900",
            method=Publication.Method.API,
            now=msk(2028, 12, 25, 10, 31),
        )
    final = Deadline.objects.get(case=case, stage=Deadline.Stage.FINAL)
    assert final.held_length == 7

    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    client.force_login(p.admin)
    response = client.post(
        "/admin/worktime/calendaryear/add/",
        {
            "year": "2028",
            "data": json.dumps(statutory_year_data(2028), ensure_ascii=False),
            "source": "постановление",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    final.refresh_from_db()
    assert final.held_length is None
    assert final.due_at.astimezone(msk(2029, 1, 1).tzinfo).year == 2029  # 11.01.2029: the provisional year

    after = list(
        CaseEvent.objects.filter(case=case)
        .exclude(action="deadline_past_calendar")
        .values_list("action", "reason")
    )
    said_2029 = [r for _, r in after if "11.01.2029" in r]
    assert said_2029, after
    assert any("предварительно" in r for r in said_2029), (
        "the case's history gives 11.01.2029 as the final answer's term without saying it was counted on the "
        f"provisional 2029 calendar: {said_2029}"
    )
