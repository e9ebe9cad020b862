"""R-6, R-8.4, R-12: the administrator takes the executor's role off a person who still has a case.

Алексеева is the health body's executor of a case (draft due at 15:45). The administrator removes her «исполнитель»
role on her card in the admin (she moves to a post without cases, her place of work stays the health body). The save
warns which open cases of the body she held («№ N») and who now does their work. From then on she is not on duty
for the body (`org.duty.on_duty` follows the body-bound roles, not `Person.body`, as for a role moved to another
body): the R-8.4 reminder goes to a colleague who can open the case (Борисов), not to her, whose link would 404.
Found by a review (session 19).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import sla
from otklik.cases.models import Notification
from otklik.org.models import Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk
from tests.org.admin_pages import change_page_data

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)


def _remove_executor_role_in_admin(client: Client, p: Personas) -> str:
    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    client.force_login(p.admin)
    url = f"/admin/org/person/{p.alice.pk}/change/"
    data = change_page_data(client.get(url))
    role_id = str(Role.objects.get(person=p.alice, kind=Role.Kind.EXECUTOR).pk)
    prefix = next(
        k[: -len("-id")]
        for k, v in data.items()
        if k.startswith("roles-") and k.endswith("-id") and v == role_id
    )
    data[f"{prefix}-DELETE"] = "on"
    saved = client.post(url, data, follow=True)
    assert saved.redirect_chain, saved.content.decode()[:3000]
    assert not Role.objects.filter(person=p.alice, kind=Role.Kind.EXECUTOR).exists()
    return saved.content.decode()


def test_after_the_admin_removes_an_executors_role_her_cases_reminder_reaches_someone_who_can_open_it(
    client: Client, personas: Personas
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    assert case.assignments.get().executor == p.alice
    _remove_executor_role_in_admin(client, p)

    sla.sweep(now=msk(2025, 4, 28, 13, 0))  # past half of the 5 working hours of
    reminders = list(
        Notification.objects.filter(case=case, kind=Notification.Kind.REMINDER).select_related("recipient")
    )
    assert reminders, "no reminder was sent at all"
    assert p.alice not in {n.recipient for n in reminders}
    for n in reminders:
        reader = Client()
        reader.force_login(n.recipient)
        status = reader.get(reverse("cases:detail", args=[case.pk])).status_code
        assert status == 200, (
            f"the reminder «{n.text}» went to {n.recipient}, whose link to the case gives {status}"
        )


def test_the_admin_is_told_that_the_person_whose_role_is_removed_has_open_cases(
    client: Client, personas: Personas
) -> None:
    """As a body with cases in work cannot be switched off without saying which (`Body.clean`), the save that takes
    the last working role off a person with an open case names the case and who now does its work, not silently."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    page = _remove_executor_role_in_admin(client, p)
    assert f"№ {case.pk}" in page, "the admin's save said nothing about the case left with her"
    assert f"работу по ним выполняет и напоминания получает другой исполнитель органа: {p.bob}" in page
