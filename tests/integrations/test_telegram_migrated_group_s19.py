"""R-8.7: the Telegram discussion group was upgraded to a supergroup (sendMessage answers 400 with
`parameters.migrate_to_chat_id`). The executor reads what is true: the group became a supergroup, the bot cannot
write to the old group, the answer is published by hand, and the administrator checks that the bot is in the new
supergroup. Before, they were sent to set the new id «в настройках источника», a setting a Telegram source does not
have (the chat is taken from each message) and an executor cannot change anyway. Found by a review (session 19)."""

from __future__ import annotations

import pytest

from otklik.intake.models import Message, Outbox, Source
from otklik.intake.outbox import send
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.fakes.telegram import FakeTelegram
from tests.integrations.test_case_publishing import approved_case
from tests.integrations.test_deleted_publish import last_note

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_executor_is_not_sent_to_a_source_setting_that_does_not_exist_when_the_group_migrated(
    personas: Personas, telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    run_source(telegram_source)
    message = Message.objects.get(external_id="-1009876543210:311")
    case, _draft = approved_case(personas, message)
    fake_telegram.upgraded[-1009876543210] = -1001111111111

    row = send(Outbox.objects.get(case_id=case.pk).pk, reschedule=False)

    assert row.state == Outbox.State.FAILED
    note = last_note(personas, case)
    assert "опубликуйте ответ вручную" in note
    assert "в настройках источника" not in note, note
    assert "стала супергруппой" in note and "бот состоит в новой супергруппе" in note, note
