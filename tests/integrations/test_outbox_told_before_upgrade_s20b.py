"""R-8.7 at the upgrade that added `Outbox.failure_told_at`: an answer waiting for a retry then had its executor told
of the first failure by the code before («можно не ждать: опубликуйте вручную»). The migration marks such rows as
told, so a retry that publishes after the upgrade still asks her to delete a copy she may have published by hand;
rows of other authors' messages (never told) and rows that never failed are left as they were."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from otklik.intake.models import Message, Outbox, Source
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.fakes.vk import FakeVK
from tests.integrations.test_case_publishing import approved_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_row_retried_across_the_upgrade_counts_as_told(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    failed, _ = approved_case(personas, Message.objects.get(external_id="-200000001_101_1001"))
    clean, _ = approved_case(personas, Message.objects.get(external_id="-200000001_101_1003"))
    # as the code before left them: the first failed once and waits for its retry, the second not tried yet
    Outbox.objects.filter(case_id=failed.pk).update(attempts=1, last_error="Слишком много запросов")
    Outbox.objects.update(failure_told_at=None)

    import_module("otklik.intake.migrations.0018_outbox_maybe_sent").told_before(apps, None)

    told = dict(Outbox.objects.values_list("case_id", "failure_told_at"))
    assert told[failed.pk] is not None
    assert told[clean.pk] is None
