"""`tests.conftest.module_data`: a module whose tests share data made once (as tests/test_demo_again.py
and tests/governor/test_demo_publish_s8.py do). Its data here is one body; what matters is what the block leaves
for the modules run after it (tests/test_module_data_s16_b_after.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from otklik.org.models import Body
from tests.conftest import module_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def shared_body(django_db_setup: None, django_db_blocker: Any) -> Iterator[int]:
    with module_data(django_db_blocker):
        body = Body.objects.create(name="Комитет по культуре", short_name="Культура")
        yield body.pk


def test_the_shared_data_is_there(shared_body: int) -> None:
    assert Body.objects.get(pk=shared_body).short_name == "Культура"
