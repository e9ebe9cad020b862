"""R-6: the case page's table of deadlines says of a switched-off account that she «сейчас отсутствует», as if she
were on a temporary absence, while «Мои обращения» says «учётная запись отключена» of the same person on the same
deadline (`cases.views._away_notes`, tests/cases/test_switched_off_executor_queue_s20.py) and the page itself says
«больше не работает в органе» of one whose role moved (tests/cases/test_reminder_moved_executor_s17.py).

Scenario: a case goes to «Здравоохранение» on Monday 26.04.2027 10:00, Алексеева is its executor and answers for the
draft. She leaves the service: the head (Яковлева) unticks «действует» on her card. Алексеева has no absence at all.

Now: the head and the curator open the case and read in the «Сроки» table «Алексеева Тест … сейчас отсутствует;
работу выполняет Борисов Тест» — she seems to be away for a while and to come back to the case.
Should: the badge says her account is switched off (as «Мои обращения» and the reminders' note do), e.g.
«учётная запись отключена; работу выполняет Борисов Тест», never «сейчас отсутствует».
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.cases.helpers import deadline, dispatch
from tests.conftest import Personas, msk
from tests.org.test_stale_forms_s7 import opened

pytestmark = pytest.mark.django_db


def _draft_row(page: str) -> str:
    row = re.search(r'<tr data-stage="draft">(.*?)</tr>', page, re.S)
    assert row is not None
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row.group(1))).split())


def test_the_case_page_does_not_call_a_switched_off_executor_away(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2027, 4, 26, 10, 0))  # ahead of the real clock: still open
    assert deadline(case, "draft").responsible == p.alice

    head = Client()
    head.force_login(p.health_head)
    url = reverse("person_edit", args=[p.alice.pk])
    form = opened(head, url)
    form.pop("is_active", None)  # «действует» unticked
    assert head.post(url, form).status_code == 302
    p.alice.refresh_from_db()
    assert not p.alice.is_active

    row = _draft_row(head.get(reverse("cases:detail", args=[case.pk])).content.decode())
    assert f"работу выполняет {p.bob}" in row, row
    assert "сейчас отсутствует" not in row, (
        f"the case page says the switched-off Алексеева is temporarily away: «{row}»"
    )
    assert "учётная запись отключена" in row, row
