"""The case page offers an executor only what the case takes now (R-8.2)."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.cases import actions
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_r8_2_not_our_competence_is_offered_only_while_the_draft_is_being_prepared(
    personas: Personas, client: Client
) -> None:
    """«Не наша компетенция» is refused once the draft went to the curator («Отказаться можно только пока
    проект не направлен на согласование»), so the page no longer offers it then."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    client.force_login(p.alice)
    assert "Не наша компетенция" in client.get(f"/cases/{case.pk}/").content.decode()
    draft = actions.submit_draft(
        p.alice, case, "answer", "Здравствуйте, Ирина! Ямы заделают к 5 мая.", now=msk(2025, 4, 28, 10, 0)
    )
    assert "Не наша компетенция" not in client.get(f"/cases/{case.pk}/").content.decode()
    actions.approve_draft(p.curator, draft, now=msk(2025, 4, 28, 10, 20))
    assert "Не наша компетенция" not in client.get(f"/cases/{case.pk}/").content.decode()
