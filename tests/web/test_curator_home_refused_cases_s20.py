"""R-8.2 on the curator's home page: a body said «не наша компетенция» and the case waits for the curator to name a
new body («нужен новый исполнитель»: every deadline cancelled, nobody's term running). «Ждёт работы» now counts
such cases («Обращения, от которых орган отказался …») and the figure opens the case list with just them; before,
no figure counted it and no list they opened showed it, so once the refusal's notice was read nothing brought her
back to it. Found by a review (session 20): cases № 3 and № 6 of the demo sat so while her desktop showed nothing.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_a_case_refused_for_competence_is_among_what_waits_for_the_curator(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    actions.reject_assignment(
        p.alice,
        case.assignments.get(),
        "Дороги — комитет по дорожному хозяйству",
        now=msk(2025, 4, 28, 10, 20),
    )
    case.refresh_from_db()
    assert case.status == Case.Status.REROUTING

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
    # Before: no figure of «Ждёт работы» counted it, and none of the lists they open showed it.
    assert leads_to_it, f"figures {figures}: none leads to case № {case.pk} waiting for a new body"
    assert 'data-testid="rerouting"' in waiting[0]

    # named to another body: no longer waiting for her
    actions.reassign(p.curator, case.assignments.get(), p.roads, now=msk(2025, 4, 28, 10, 40))
    home = curator.get(reverse("home")).content.decode()
    assert '<a class="figure" href="/cases/?refused=1" data-testid="rerouting">' in home
