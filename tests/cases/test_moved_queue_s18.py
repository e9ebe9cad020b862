"""R-4.2–4.3, R-6: «Мои обращения» of an executor moved to another body.

Алексеева works on a health case; the administrator moves her executor's role to roads. From then on the health
case is not hers: its page answers 404 to her, the case page names who does her work, and her own list and the
home page's figures no longer offer it. Found by a review (session 18): `scoping.duties_of` took every open
deadline with her name, whichever body's it was."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org.models import Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)


def _moved_to_roads(p: Personas) -> None:
    Role.objects.filter(person=p.alice, body=p.health).update(body=p.roads)
    p.alice.body = p.roads
    p.alice.save(update_fields=["body"])


def test_r4_2_a_moved_executors_queue_does_not_list_her_old_bodys_case(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    assert case.assignments.get().executor == p.alice
    _moved_to_roads(p)
    alice = Client()
    alice.force_login(p.alice)
    assert alice.get(reverse("cases:detail", args=[case.pk])).status_code == 404  # not hers any more
    queue = alice.get(reverse("cases:my_queue")).content.decode()
    figures = {w.key: w.count for w in alice.get(reverse("home")).context["waiting"].get("body", [])}
    listed = f'data-case="{case.pk}"' in queue
    assert not listed, (
        f"«Мои обращения» of Алексеева (now roads) lists health's case № {case.pk} with its text «{case.summary}», "
        "whose page answers her 404"
    )
    assert figures.get("in-work", 0) == 0, f"the home page counts it among her cases in work: {figures}"
