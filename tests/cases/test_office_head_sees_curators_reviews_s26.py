"""Found by a review (session 26), fixed since. R-4.2–4.3 with R-8.5 and R-6 (review 80): the office's own responsible official is given the curators' approvals
as his work, in cases he cannot open.

The directory takes «ответственное должностное лицо» of «Управление информационной политики» (R-6: each body names
its responsible official; `Role.clean` refuses only a curator's role outside the office). He is no curator: no case
is ever sent to the office (`actions.check_workable` refuses the coordinator), so he opens no case
(`scoping.cases_for`).

An executor of «Здравоохранение» sends a draft on Monday 28.04.2025 11:00: the review deadline (R-8.5, the curator's)
is recorded with the curator's card's body, the office (`actions.py`, `open_deadline(… Stage.REVIEW …,
body=curator.body)`), and `scoping.duties_of` gives every deadline of one's bodies to their people. So at 11:30 his
home page reads «Обращения в работе 1», «Обращения со сроком, истекающим сегодня 1», and «Мои обращения» lists the
curator's «согласовать или вернуть проект (п. 8.5)» as his — its link opens «Страница не найдена».
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.org.models import Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def test_office_responsible_official_is_not_given_the_curators_reviews(
    personas: Personas, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = personas
    head = make_person("office_head", p.office, Role.Kind.RESPONSIBLE, last_name="Орлов")
    Role.objects.get(person=head).full_clean()  # the directory takes the role
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    actions.submit_draft(p.alice, case, "answer", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 11, 0))
    monkeypatch.setattr(timezone, "now", lambda: msk(2025, 4, 28, 11, 30))

    client.force_login(head)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404  # not a case of his
    home = client.get(reverse("home")).content.decode()
    queue = client.get(reverse("cases:my_queue")).content.decode()
    figures = dict(re.findall(r'data-testid="(in-work|due-today)">.*?<strong>(\d+)</strong>', home))
    assert (figures, f'data-case="{case.pk}"' in queue) == ({"in-work": "0", "due-today": "0"}, False), (
        "the curator's approval of a case he cannot open is counted and listed as his work"
    )
