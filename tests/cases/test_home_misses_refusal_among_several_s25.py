"""Found by a review (session 25), fixed since. R-8.2 with R-8.9: the curator sends a message to two bodies in her order (health, then roads); health says
«не наша компетенция». Its share of the question waits for the curator to name another body (`actions.is_multi`:
a refused body counts until replaced; where parts go one by one the case will not even close without it), but the
case stays «подготовка проекта» because roads now works on it, and the curator's home («Ждёт работы») counts only
cases in status «нужен новый исполнитель»: «Обращения, от которых орган отказался (не компетенция): направьте другому
органу (п. 8.2)» shows 0 and no figure leads to the case. Once the refusal's notice is read, nothing brings her back
to it — the very gap session 20 closed for cases of one body. Expected: the figure counts (and its list shows) a case
with a refused body not yet replaced, whatever the case's status.
Place: src/otklik/web/views.py, `_waiting` («rerouting»: `Case.objects.filter(status=Case.Status.REROUTING)`), and
the case list's status filter it links to (src/otklik/cases/views.py)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Assignment, Case
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_a_refused_share_of_a_case_of_several_bodies_waits_for_the_curator_on_her_home(
    personas: Personas,
) -> None:
    p = personas
    case = actions.dispatch_case(
        p.curator,
        [message()],
        [actions.Route(p.health, 1), actions.Route(p.roads, 2)],
        multi_mode=Case.MultiMode.PARTS_ONE_BY_ONE,
    )
    health = case.assignments.get(body=p.health)
    actions.reject_assignment(p.alice, health, "Вопрос о дороге — не здравоохранение, а ЖКХ")
    health.refresh_from_db()
    case.refresh_from_db()
    assert health.state == Assignment.State.REJECTED  # not replaced: its share waits for the curator
    assert case.status == Case.Status.DRAFTING  # roads received the message in its turn

    curator = Client()
    curator.force_login(p.curator)
    home = curator.get(reverse("home")).content.decode()
    waiting = re.search(r'<section data-testid="waiting">.*?</section>', home, re.S)
    assert waiting, "no «Ждёт работы» on the curator's home page"
    figures = re.findall(r'<a class="figure nonzero" href="([^"]+)"', waiting[0])
    leads_to_it = [
        url
        for url in figures
        if f'href="/cases/{case.pk}/"' in curator.get(url.replace("&amp;", "&")).content.decode()
    ]
    assert leads_to_it, (
        f"figures {figures}: none leads to case № {case.pk}, whose body «Здравоохранение» refused and waits "
        "for the curator to name another"
    )
