"""R-6: «Мои обращения» of a colleague doing the work of an executor who is not at work says so whatever the reason,
as the reminders find it (`org.duty.on_duty`, `cases.views._away_notes`): an absence («отсутствует»), a switched-off
account («учётная запись отключена»), a role taken off in the body («роль в органе снята») or moved to another body
(«больше не работает в органе») — each «… — работу выполняете вы» for the one who does it.

Found by a review (session 20).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import sla
from otklik.cases.models import Notification
from otklik.org.models import Role
from tests.cases.helpers import deadline, dispatch
from tests.conftest import Personas, msk
from tests.org.test_stale_forms_s7 import opened

pytestmark = pytest.mark.django_db


def test_my_queue_tells_the_colleague_reminded_in_place_of_a_switched_off_executor_that_the_work_is_his(
    personas: Personas,
) -> None:
    """R-6: Алексеева holds a health case; she leaves the service and the health head switches her account off on
    her card («Сотрудники» → «действует» unticked). From then on the reminders of her draft go to Борисов, «вместо
    ответственного» (`on_duty`: a switched-off account counts as away), and his «Мои обращения» names her on the
    case with the badge «Алексеева …: учётная запись отключена — работу выполняете вы»."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2027, 4, 26, 10, 0))  # ahead of the real clock: still open
    assert deadline(case, "draft").responsible == p.alice

    head = Client()
    head.force_login(p.health_head)
    url = reverse("person_edit", args=[p.alice.pk])
    form = opened(head, url)
    form.pop("is_active", None)
    assert head.post(url, form).status_code == 302
    p.alice.refresh_from_db()
    assert not p.alice.is_active

    sla.sweep(now=msk(2027, 4, 26, 12, 30))
    reminded = set(
        Notification.objects.filter(case=case, kind=Notification.Kind.REMINDER).values_list(
            "recipient__username", flat=True
        )
    )
    assert reminded == {"bob"}, reminded

    bob = Client()
    bob.force_login(p.bob)
    page = bob.get(reverse("cases:my_queue")).content.decode()
    assert f"№ {case.pk}" in page or f"/cases/{case.pk}/" in page
    assert 'data-testid="away"' in page and "работу выполняете вы" in page, (
        "Борисов's queue names Алексеева on the case without saying her account is off and the work is his"
    )
    assert f"{p.alice}: учётная запись отключена — работу выполняете вы" in page
    assert "отсутствует" not in _badges(page)


@pytest.mark.parametrize(
    ("to_roads", "state"), [(False, "роль в органе снята"), (True, "больше не работает в органе")]
)
def test_my_queue_tells_the_colleague_doing_the_work_of_an_executor_whose_role_was_taken_off(
    personas: Personas, to_roads: bool, state: str
) -> None:
    """R-6: the administrator takes Алексеева's executor's role in health off (or moves it to roads) while the
    health case is hers: Борисов, whom its reminders now reach, reads on his list «Алексеева …: роль в органе снята
    — работу выполняете вы» (or «больше не работает в органе»); the head, too, sees that Борисов does it."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2027, 4, 26, 10, 0))
    assert deadline(case, "draft").responsible == p.alice
    roles = Role.objects.filter(person=p.alice, body=p.health, kind=Role.Kind.EXECUTOR)
    if to_roads:  # as the admin's save does when no working role is left in her body
        roles.update(body=p.roads)
        p.alice.body = p.roads
        p.alice.save(update_fields=["body"])
    else:
        roles.delete()

    bob = Client()
    bob.force_login(p.bob)
    page = bob.get(reverse("cases:my_queue")).content.decode()
    assert f"{p.alice}: {state} — работу выполняете вы" in page, _badges(page)

    head = Client()
    head.force_login(p.health_head)
    page = head.get(reverse("cases:my_queue")).content.decode()
    assert f"{p.alice}: {state} — работу выполняет {p.bob}" in page, _badges(page)


def _badges(page: str) -> list[str]:
    return re.findall(r'data-testid="away">([^<]*)<', page)
