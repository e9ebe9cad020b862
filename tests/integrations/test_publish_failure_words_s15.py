"""Review 15: what the executor reads when the automatic publication fails (R-8.7). The network's refusal is said
in Russian (`ConnectorError.described`, quoted through `for_people`), but other ways an outbox row fails keep
English, or a text cut mid-word, or promise a retry that will not come."""

from __future__ import annotations

import re

import pytest

from otklik.cases.models import Case, CaseEvent
from otklik.intake.models import Message, Outbox, Source
from otklik.intake.outbox import MAX_ATTEMPTS, send
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK
from tests.integrations.test_case_publishing import approved_case
from tests.integrations.test_deleted_publish import last_note

pytestmark = pytest.mark.django_db(transaction=True)

# what `for_people` leaves of a ConnectorError's English: the client's name of the method, the kind of failure
ENGLISH = re.compile(
    r"Telegram sendMessage|body is not JSON|transient|permanent|retry after|failed with error"
)


def telegram_case(p: Personas, source: Source) -> Case:
    run_source(source)
    message = Message.objects.filter(source=source).order_by("pk").first()
    assert message is not None
    case, _draft = approved_case(p, message)
    return case


def test_an_unknown_outcome_is_told_to_the_executor_without_english(
    personas: Personas, telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-8.7: Telegram answers sendMessage with a gateway's 502 page (the answer may be out): the executor is told
    to look in the thread and publish by hand — in Russian, as every other refusal now is. `unknown_outcome`
    puts the client's English message in parentheses without `DETAILS`, so `for_people` quotes all of it."""
    case = telegram_case(personas, telegram_source)
    fake_telegram.fail("sendMessage", after=True)  # published, then a 502 «Bad Gateway» page
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.state == Outbox.State.FAILED
    assert "неизвестно, опубликован ли ответ" in row.last_error
    event = CaseEvent.objects.filter(case=case, action="api_publish_failed").get()
    note = last_note(personas, case)
    assert "проверьте ветку в сети" in note
    assert not ENGLISH.search(event.reason), event.reason
    assert not ENGLISH.search(note), note


def test_an_interrupted_attempt_is_told_to_the_executor_without_english(
    personas: Personas, telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-8.7: the worker died while sending to Telegram (the row is found in «sending», its lease over): the
    executor reads «(an earlier attempt was interrupted: check the thread before publishing by hand)»."""
    case = telegram_case(personas, telegram_source)
    Outbox.objects.filter(case_id=case.pk).update(
        state=Outbox.State.SENDING, attempts=1, next_attempt_at=None
    )
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.state == Outbox.State.FAILED
    note = last_note(personas, case)
    assert "проверьте ветку в сети" in note
    assert "interrupted" not in note and "check the thread" not in note, note


def test_the_quoted_reason_is_not_cut_mid_word(
    personas: Personas, telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-8.7: a Telegram 502 with a longer description — the reason quoted to the executor is cut at 300
    characters in the middle of a word, its parenthesis left open."""
    case = telegram_case(personas, telegram_source)
    fake_telegram.fail(
        "sendMessage",
        error_code=502,
        description="Bad Gateway: the upstream Bot API server closed the connection before sending a complete "
        "response, please retry the request later",
    )
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.state == Outbox.State.FAILED
    reason = CaseEvent.objects.get(case=case, action="api_publish_failed").reason
    quoted = reason.removeprefix("Автоматическая публикация не удалась (").rsplit("): опубликуйте", 1)[0]
    assert quoted.count("(") == quoted.count(")"), (
        quoted
    )  # «… (Telegram sendMessage: 502 Bad Gateway: … (tra»


def test_a_last_transient_refusal_does_not_promise_a_retry(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    """R-8.7: VK's internal error (code 10) is transient, but on the last of MAX_ATTEMPTS the row fails for good
    and the executor is told to publish by hand — while the quoted reason says «попытка будет повторена»."""
    run_source(vk_source)
    message = Message.objects.get(external_id="-200000001_101_1001")
    case, _draft = approved_case(personas, message)
    Outbox.objects.filter(case_id=case.pk).update(attempts=MAX_ATTEMPTS - 1)
    fake_vk.fail("wall.createComment", code=10)
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.state == Outbox.State.FAILED
    note = last_note(personas, case)
    assert "опубликуйте ответ вручную" in note
    assert "будет повторена" not in note, note
