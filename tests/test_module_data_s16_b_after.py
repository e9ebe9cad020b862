"""`tests.conftest.module_data`, what the next module finds: run after
tests/test_module_data_s16_a_shared.py (the files in their order) — or after
tests/test_demo_again.py or tests/governor/test_demo_publish_s8.py.

R-8.3: the table of working-time limits (`cases.Policy`) is seeded by migrations cases 0002 and 0005; the
administrator edits its rows. A non-transactional test may rely on them, as tests/audit/test_audit.py and
tests/cases/test_sla.py do («the rows the migration put in»). pytest-django runs every transactional test (whose
flush empties the database) after the non-transactional ones, so until now those rows were always there;
`module_data` flushes after its module while non-transactional modules still follow, and puts them back."""

from __future__ import annotations

import pytest

from otklik.cases.policy import Policy

pytestmark = pytest.mark.django_db


def test_r8_3_the_migrations_working_time_limits_are_still_there_after_a_shared_data_module() -> None:
    """R-8.3: the draft's limit (5 working hours, R-8.4) is a row the administrator can change."""
    draft = Policy.objects.filter(key="draft").first()
    assert draft is not None, "the migration's Policy rows were flushed by the module before"
    assert (draft.rid, draft.value) == ("R-8.4", 300)
