"""R-8.4, R-8.8 (a walk: «while a case waits for the author, no waiting time is shown anywhere»): no deadline runs
while a published request for clarification waits for the author's reply, so the case list and the case page say
since when the case waits and how much working time that is — the curator decides when to go on without it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case
from otklik.cases.views import waiting_text
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

REQUEST = "Ирина, здравствуйте! Уточните, пожалуйста, номер дома."


def test_waiting_text_counts_working_time() -> None:
    """Friday 25.04.2025 16:00 → Monday 10:00: 45 minutes of Friday (it ends at 16:45) and an hour of Monday."""
    assert waiting_text(msk(2025, 4, 25, 16, 0), msk(2025, 4, 28, 10, 0)) == (
        "ждёт ответа автора с 25.04 16:00 — 1 ч 45 мин рабочего времени"
    )


def test_the_list_and_the_case_page_say_since_when_the_case_waits(client: Client, personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    draft = actions.submit_draft(p.alice, case, "clarification", REQUEST, now=msk(2025, 4, 28, 10, 30))
    actions.approve_draft(p.curator, draft, now=msk(2025, 4, 28, 10, 40))
    actions.confirm_publication(
        p.alice, draft, url="https://vk.com/wall-1_1?reply=9", now=msk(2025, 4, 28, 10, 45)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    client.force_login(p.curator)
    # the wait began in 2025 and the pages are read now (a later year): the date carries its year
    shown = re.compile(r"ждёт ответа автора с 28\.04\.2025 10:45 — \d+ ч \d\d мин рабочего времени")
    listing = client.get(reverse("cases:list")).content.decode()
    cell = re.search(r'data-testid="waiting-author">(.*?)</span>', listing)
    assert cell is not None and shown.fullmatch(cell[1])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    note = re.search(r'data-testid="waiting-author">(.*?)</span>', page)
    assert note is not None and shown.fullmatch("ждёт ответа автора " + note[1])  # the badge names the status
    # a case at work shows its deadline, not this
    other = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 11, 0))
    assert (
        'data-testid="waiting-author"'
        not in client.get(reverse("cases:detail", args=[other.pk])).content.decode()
    )
