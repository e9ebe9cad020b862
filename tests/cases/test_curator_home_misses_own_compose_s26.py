"""Found by a review (session 26), fixed since. R-8.9 with R-6 (review 80): the curator's home page says nothing of the common answer she must compose.

A message goes on Monday 28.04.2025 10:00 to «Здравоохранение», then «Дороги», the common answer to be composed by
the curator (R-8.9: «общий ответ готовит куратор»). Both parts are in by 16:00: the common answer is now the
curator's work — «Мои обращения» lists the case with «подготовить общий ответ (п. 8.9)» and the 9-hour term carried
to her (`scoping.my_deadlines` counts her deadlines of no body of hers, `duties_of`).

Her home page («Ждёт работы», `web.views._waiting`) gives a curator only the inbox, the review queue, refused cases,
overdue cases and alerts; the figures «Обращения в работе» / «со сроком, истекающим сегодня» that open «Мои
обращения» are given only to people with a role in a body (`if body_ids:`). So at 17:00 every figure of hers reads
0 («Проекты ответа на согласовании 0» — nothing is on review yet) although the composing of the answer is waiting
for her and falls due the next morning: work she must do is missing from her home page.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases.models import Deadline
from tests.cases.helpers import parts_in
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _figures(html: str) -> dict[str, tuple[str, int]]:
    section = html.split('data-testid="waiting"', 1)[1].split("</section>", 1)[0]
    return {
        key: (href, int(n))
        for href, key, n in re.findall(
            r'<a class="figure[^"]*" href="([^"]*)" data-testid="([^"]*)">.*?<strong>(\d+)</strong>', section
        )
    }


def test_curator_home_counts_the_common_answer_she_composes(
    personas: Personas, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = personas
    case = parts_in(p, "common_by_curator")
    compose = Deadline.objects.get(case=case, stage=Deadline.Stage.COMPOSE, met_at__isnull=True)
    assert compose.responsible == p.curator  # hers to do
    monkeypatch.setattr(timezone, "now", lambda: msk(2025, 4, 28, 17, 0))

    client.force_login(p.curator)
    queue = client.get(reverse("cases:my_queue")).content.decode()
    assert f'data-case="{case.pk}"' in queue  # «Мои обращения» lists it as hers

    figures = _figures(client.get(reverse("home")).content.decode())
    mine = reverse("cases:my_queue")
    counted = {key: n for key, (href, n) in figures.items() if href.split("?")[0] == mine}
    assert counted.get("in-work") == 1, (
        f"the curator's home page has no figure of her own work (common answer to compose): {figures}"
    )
