# ruff: noqa: F811 (the loopback fakes of tests/integrations/conftest.py are imported by name and taken as arguments)
"""R-9 / R-8.7: an answer must fit every network it is published in. A case the curator made of two people's
messages in different networks (a VK comment first, a Telegram comment second) is answered under each of them, so
an answer of 5 000 characters is refused when the executor sends it, naming Telegram and its limit of 4 096
characters — not approved under VK's 16 384 (`check_length` read only `case.network`) to fail under the Telegram
author with «сеть отказала в запросе: опубликуйте ответ под ним вручную», which Telegram would refuse by hand too.
Found by a review (session 19)."""

from __future__ import annotations

import pytest
from django.db import transaction

from otklik.cases import actions
from otklik.intake.models import Message, Outbox, Source
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK
from tests.integrations.conftest import (  # noqa: F401 - loopback fakes and their sources
    fake_telegram,
    fake_vk,
    telegram_source,
    vk_source,
)

pytestmark = pytest.mark.django_db(transaction=True)

SENTENCE = "Здравствуйте! Врач начнёт приём в ФАП Лукаши со 2 декабря, часы приёма с 9:00 до 16:00. "
LONG = (SENTENCE * (5000 // len(SENTENCE) + 1))[:5000].rstrip()


def test_an_answer_too_long_for_the_second_authors_network_is_refused_or_named_as_too_long(
    personas: Personas,
    vk_source: Source,
    fake_vk: FakeVK,
    telegram_source: Source,
    fake_telegram: FakeTelegram,
) -> None:
    run_source(vk_source)
    run_source(telegram_source)
    in_vk = Message.objects.get(external_id="-200000001_101_1001")
    in_telegram = Message.objects.get(external_id="-1009876543210:311")
    assert in_vk.author_id != in_telegram.author_id
    with transaction.atomic():
        case = actions.dispatch_case(
            personas.curator, [in_vk, in_telegram], [actions.Route(personas.health, 1)]
        )
    with pytest.raises(actions.ActionRefused) as refused, transaction.atomic():
        actions.submit_draft(personas.alice, case, "answer", LONG)

    words = str(refused.value)
    assert "Telegram" in words and "4096" in words and "5000" in words, words
    assert refused.value.code == "too_long"
    assert not Outbox.objects.filter(case_id=case.pk).exists()
    assert fake_telegram.published == [] and fake_vk.published == []


def test_an_answer_that_fits_every_network_of_the_case_is_approved(
    personas: Personas,
    vk_source: Source,
    fake_vk: FakeVK,
    telegram_source: Source,
    fake_telegram: FakeTelegram,
) -> None:
    run_source(vk_source)
    run_source(telegram_source)
    in_vk = Message.objects.get(external_id="-200000001_101_1001")
    in_telegram = Message.objects.get(external_id="-1009876543210:311")
    with transaction.atomic():
        case = actions.dispatch_case(
            personas.curator, [in_vk, in_telegram], [actions.Route(personas.health, 1)]
        )
        draft = actions.submit_draft(personas.alice, case, "answer", LONG[:4096].rstrip())
        actions.approve_draft(personas.curator, draft)
    assert Outbox.objects.filter(case_id=case.pk).count() == 2
