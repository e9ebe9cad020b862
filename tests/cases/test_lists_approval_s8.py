"""Review of the case list's deadlines (R-8.5, R-4.2): an executor's list shows her own body's deadline, not the
curator's approval."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.models import OPEN_DEADLINE, Deadline
from otklik.org.models import Role
from tests.cases.helpers import dispatch
from tests.cases.test_lists_s7 import listed, page
from tests.conftest import Personas, make_person

pytestmark = pytest.mark.django_db
TEXT = "Здравствуйте, Ирина! Ремонт участка дороги запланирован на июнь, подрядчик определён."


def figure(html: str, key: str) -> int:
    found = re.search(rf'data-testid="{key}"[^>]*>.*?<strong>(\d+)</strong>', html, re.S)
    assert found, key
    return int(found[1])


def test_r8_5_a_late_approval_by_a_curator_without_a_body_is_not_the_executors_overdue(
    personas: Personas, client: Client
) -> None:
    """R-8.5, R-4.2: a curator whose card names no body (the body field is optional) dispatched a case to health;
    Alice sent her draft and the curator's working hour to approve it has run out, while health's own deadlines
    are still running. Alice's «Мои обращения» and home page say nothing of hers is overdue; her case list must
    not call the case overdue either (the approval is the curator's, R-8.5), nor list it under «только
    просроченные»."""
    p = personas
    curator = make_person("curator_nobody", None, Role.Kind.CURATOR)
    now = timezone.now()
    case = dispatch(curator, p.health, at=now)
    actions.submit_draft(p.alice, case, "answer", TEXT, now=now)
    review = Deadline.objects.filter(OPEN_DEADLINE, case=case, stage=Deadline.Stage.REVIEW)
    assert review.count() == 1 and review.get().body_id is None and review.get().responsible == curator
    review.update(due_at=now - timedelta(hours=2))
    assert not Deadline.objects.filter(OPEN_DEADLINE, case=case, body=p.health, due_at__lte=now).exists()

    assert figure(page(client, p.alice, "/"), "overdue-deadlines") == 0  # her own queue: nothing overdue
    url = reverse("cases:list")
    assert listed(page(client, p.alice, url + "?overdue=1")) == set()
    row = re.search(rf'<tr data-case="{case.pk}"[^>]*>(.*?)</tr>', page(client, p.alice, url), re.S)
    assert row and "просрочено" not in row[1], row
