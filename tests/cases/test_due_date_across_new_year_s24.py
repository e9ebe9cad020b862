"""Found by a review (session 24), fixed since. R-8.3, R-8.4: a term that runs into the next year is shown with
its year in the case list.

Scenario: Tuesday 30.12.2025 17:00 the curator sends a message to the health body; its 5 working hours for the draft
run over the New Year holidays to Monday 12.01.2026. At 18:00 the curator opens «Обращения». Before the fix the
column read «до 12.01 17:00» — a date the reader takes for this January, already past. Now it reads «до
12.01.2026 …»; a term within the year keeps the short form.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_r8_4_a_term_in_the_next_year_shows_its_year(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = personas
    late = dispatch(p.curator, p.health, at=msk(2025, 12, 30, 17, 0))
    early = dispatch(p.curator, p.health, at=msk(2025, 12, 30, 9, 0))
    monkeypatch.setattr(timezone, "now", lambda: msk(2025, 12, 30, 18, 0))
    client = Client()
    client.force_login(p.curator)
    page = re.sub(r"\s+", " ", client.get(reverse("cases:list")).content.decode())
    due = {d.stage: d.due_at for d in late.deadlines.filter(stage="draft")}["draft"]
    assert timezone.localtime(due).year == 2026
    assert f"до {timezone.localtime(due):%d.%m.%Y %H:%M}" in page
    early_due = timezone.localtime(early.deadlines.get(stage="draft").due_at)
    assert early_due.year == 2025 and f"до {early_due:%d.%m %H:%M}<" in page
