"""Review (s9) of «Мои обращения» one row a case: pages over the grouped case ids (R-8.3, R-8.4, R-8.5)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases.views import PAGE
from otklik.org.models import Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _rows(client: Client, url: str) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200
    return [int(n) for n in re.findall(r'<tr data-case="(\d+)"', response.content.decode())]


def test_pages_of_cases_sharing_a_due_time_neither_repeat_nor_skip(
    client: Client, personas: Personas
) -> None:
    """R-8.3, R-8.4: more cases than a page, all dispatched at one moment (every deadline of theirs falls due at
    the same minute): page 1 and page 2 together list each case exactly once; a stale page number shows page 1."""
    p = personas
    cases = [dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0)).pk for _ in range(PAGE + 3)]
    client.force_login(p.alice)
    url = reverse("cases:my_queue")
    first, second = _rows(client, url), _rows(client, url + "?page=2")
    assert len(first) == PAGE and len(second) == 3
    assert sorted(first + second) == sorted(cases)
    assert _rows(client, url + "?page=9") == first


def test_a_case_of_two_of_my_bodies_is_one_row_with_both_bodies_deadlines(
    client: Client, personas: Personas
) -> None:
    """R-8.3: a case sent to two bodies where the person works for both is one row listing the deadlines of
    both bodies."""
    p = personas
    Role.objects.create(person=p.alice, kind=Role.Kind.EXECUTOR, body=p.roads)
    case = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 9, 0))
    client.force_login(p.alice)
    html = client.get(reverse("cases:my_queue")).content.decode()
    assert html.count(f'<tr data-case="{case.pk}"') == 1
    row = re.search(rf'<tr data-case="{case.pk}"[^>]*>(.*?)</tr>', html, re.S)
    assert row
    stages = re.findall(r'<li data-stage="(\w+)">', row.group(1))
    assert (
        len(stages)
        == case.deadlines.filter(met_at__isnull=True, cancelled_at__isnull=True)
        .exclude(stage="reject_window")
        .count()
    ), stages
