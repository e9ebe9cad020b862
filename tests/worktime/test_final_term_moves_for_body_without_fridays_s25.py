"""Found by a review (session 25), fixed since. Loading next year's production calendar moves the R-8.8 final-answer term of a body that does not work every
weekday, though none of its days changed (R-8.8, working time).

A body may work Monday to Thursday only: «день без списка — нерабочий» (the «График работы» help,
`org.forms.SCHEDULE_HELP`; docs/worktime.md). Its final answer after an interim one is due at the close of the 7th
working day OF THE BODY (`WorkTime.add_working_days` counts the days the body's schedule has hours on): published
Monday 08.11.2027 → Tue 9, Wed 10, Thu 11, Mon 15, Tue 16, Wed 17, Thu 18 → Thursday 18.11.2027 18:00. Then the
administrator loads the 2028 calendar in the admin (docs/operations.md § Production calendar: «Saving the year
moves the open deadlines that reach into that year to their place on it» — this term does not reach into 2028 at
all). The recount (`worktime.recount._move`, the `Stage.FINAL` branch) counts the term's length again with
`_working_days_between(before, …)`, which counts the CALENDAR's working days (Fridays 12.11 included: 8 days) and
not the body's, and re-adds 8 body days: the term jumps to Monday 22.11.2027 and the case's history says it was
moved «изменён производственный календарь». Every later calendar correction pushes it further."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client
from tests.cases.helpers import message
from tests.conftest import Personas, msk

from otklik.cases import actions
from otklik.cases.models import CaseEvent, Deadline, Publication
from otklik.org.models import Body
from otklik.worktime.calendar import statutory_year_data

pytestmark = pytest.mark.django_db

INTERIM = "Павел, здравствуйте! Вопрос изучается, окончательный ответ дадим в течение семи рабочих дней."
MON_THU = {"week": {day: [["09:00", "13:00"], ["13:45", "18:00"]] for day in ("mon", "tue", "wed", "thu")}}


def test_loading_next_year_leaves_the_final_term_of_a_mon_thu_body_where_it_was(
    personas: Personas, client: Client
) -> None:
    p = personas
    Body.objects.filter(pk=p.health.pk).update(schedule=MON_THU)  # the body's hours from the start
    p.health.refresh_from_db()
    with transaction.atomic():
        case = actions.dispatch_case(
            p.curator, [message()], [actions.Route(p.health, 1)], now=msk(2027, 11, 8, 9, 30)
        )
        draft = actions.submit_draft(p.alice, case, "interim", INTERIM, now=msk(2027, 11, 8, 10, 0))
        actions.approve_draft(p.curator, draft, now=msk(2027, 11, 8, 10, 30))
        actions.confirm_publication(
            None,
            draft,
            url="https://vk.com/wall-1_1?reply=900",
            method=Publication.Method.API,
            now=msk(2027, 11, 8, 10, 31),
        )
    final = Deadline.objects.get(case=case, stage=Deadline.Stage.FINAL)
    assert final.due_at == msk(2027, 11, 18, 18, 0)  # the 7th Mon–Thu day after Monday 08.11

    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    client.force_login(p.admin)
    response = client.post(
        "/admin/worktime/calendaryear/add/",
        {
            "year": "2028",
            "data": json.dumps(statutory_year_data(2028), ensure_ascii=False),
            "source": "постановление Правительства о переносе выходных дней в 2028 году",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    final.refresh_from_db()
    moved = list(
        CaseEvent.objects.filter(case=case, action="calendar_changed").values_list("reason", flat=True)
    )
    assert final.due_at == msk(2027, 11, 18, 18, 0), (
        f"the final answer's term moved to {final.due_at.astimezone(msk(2027, 1, 1).tzinfo):%d.%m.%Y %H:%M} "
        f"though no day of it changed; the case's history says: {moved}"
    )
    assert moved == []
