"""Found by a review (session 23), fixed since. R-8.5: the curators' review queue («На согласовании») pages by OFFSET, so a draft decided by a colleague between
two pages makes the next page skip a waiting draft that no page showed.

Scenario (Monday 28.04.2025, Moscow time): 52 health cases sent at 09:00; their drafts come to review one a minute
from 10:00 (the 51st at 10:50, the 52nd at 10:51), each with its one working hour (R-8.5). The queue lists 50 a page, the oldest
term first. Curator Куратор opens page 1 at work: the drafts of 10:00 … 10:49. Meanwhile Смирнова, another curator,
approves the first of them (10:00). Куратор then clicks «вперёд →» on the page she has.

Now: page 2 is `?page=2` (`paging.page_of`: OFFSET 50): the list has moved up by one, page 2 starts after the 51st
row of the new list (the 50th now is the draft of 10:50) and shows only the draft of 10:51: the draft of 10:50 — still waiting, its
term running — was on neither page she saw. (The inbox pages after the last row shown for this very reason,
`views._inbox_page`; the review queue, which curators share, does not.)
Expected: page 2 shows every draft still waiting that page 1 did not show — here the draft of 10:50."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Draft
from otklik.cases.views import PAGE
from otklik.org.models import Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте, Ирина! Ремонт дороги запланирован на июнь."


def _shown(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr><td><a href="/cases/(\d+)/">№', html)]


def test_next_page_of_the_review_queue_does_not_skip_a_waiting_draft(
    client: Client, personas: Personas
) -> None:
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    cases, drafts = [], []
    for n in range(PAGE + 2):
        case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
        drafts.append(
            actions.submit_draft(
                p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0) + timedelta(minutes=n)
            )
        )
        cases.append(case.pk)

    client.force_login(p.curator)
    first = client.get(reverse("cases:review_queue")).content.decode()
    on_first = _shown(first)
    assert on_first == cases[:PAGE]  # the oldest terms first
    link = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert link, "page 1 offers no next page"

    actions.approve_draft(
        smirnova, drafts[0], now=msk(2025, 4, 28, 10, 55)
    )  # a colleague decides one meanwhile
    assert Draft.objects.get(pk=drafts[-1].pk).state == Draft.State.SUBMITTED  # the 10:50 draft still waits

    second = client.get(reverse("cases:review_queue") + link.group(1).replace("&amp;", "&")).content.decode()
    assert cases[PAGE] in _shown(second), (
        f"the draft of case № {cases[PAGE]} (on review since 10:50) is on neither page: page 2 shows "
        f"{_shown(second) or 'nothing'}"
    )
