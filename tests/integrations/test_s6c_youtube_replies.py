"""R-4, R-8.4: YouTube keeps a thread in its place when somebody replies in it, so a reply in an older thread (the
author answering the body's reply or its clarification request) is not among the newest threads. It must still
reach the curator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from otklik.intake.models import Message, Source
from otklik.intake.pipeline import run_source
from tests.fakes.youtube import FakeYouTube

pytestmark = pytest.mark.django_db

VIDEO = "dQw4w9WgXcQ"
HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)


@pytest.fixture
def every_pass(youtube_source: Source) -> Source:
    """The window re-listed on every pass, as if ``recheck_minutes`` had gone by between them."""
    youtube_source.config["recheck_minutes"] = 0
    youtube_source.save()
    return youtube_source


def test_r4_a_reply_in_an_older_thread_is_read(every_pass: Source, fake_youtube: FakeYouTube) -> None:
    """R-8.4: a question, read; newer threads come after it; then its author replies in its thread."""
    youtube_source = every_pass
    question = fake_youtube.add_thread(VIDEO, "Когда починят дорогу в Сиверской?", at=HOUR_AGO)
    assert run_source(youtube_source).error == ""
    fake_youtube.add_thread(VIDEO, "Спасибо за ролик")
    fake_youtube.add_thread(VIDEO, "А освещение?")
    fake_youtube.page_size = 1  # the older thread is on a page of its own, below the newer ones
    assert run_source(youtube_source).error == ""
    reply = fake_youtube.add_reply(question, "Уточняю: участок у моста на Кезевской улице")
    report = run_source(youtube_source)
    assert report.error == "" and report.created == 1
    stored = Message.objects.get(external_id=reply)
    assert stored.text == "Уточняю: участок у моста на Кезевской улице"
    assert stored.reply_to is not None and stored.reply_to.external_id == question
    # Nothing new: the next pass reads nothing again but the newest threads (the same second as the last read).
    assert (run_source(youtube_source).created, run_source(youtube_source).updated) == (0, 2)
    assert Message.objects.filter(external_id=reply).count() == 1


def test_r4_many_replies_in_an_older_thread_are_all_read(
    every_pass: Source, fake_youtube: FakeYouTube
) -> None:
    """R-4: more replies than the thread list shows inline (five) are read with ``comments.list``."""
    youtube_source = every_pass
    question = fake_youtube.add_thread(VIDEO, "Почему нет автобуса до Вырицы?", at=HOUR_AGO)
    fake_youtube.add_thread(VIDEO, "Новый вопрос")
    run_source(youtube_source)
    replies = [fake_youtube.add_reply(question, f"Ответ {i}") for i in range(7)]
    assert run_source(youtube_source).error == ""
    assert set(
        Message.objects.filter(reply_to__external_id=question).values_list("external_id", flat=True)
    ) == set(replies)


def test_r4_threads_older_than_the_window_are_not_listed_again(
    youtube_source: Source, fake_youtube: FakeYouTube
) -> None:
    """R-4: the fixture's threads are from 2024, older than the window (``reply_days``): a pass with nothing new
    asks for the newest thread and the next one only."""
    run_source(youtube_source)
    fake_youtube.requests.clear()
    fake_youtube.page_size = 1
    assert run_source(youtube_source).created == 0
    assert (
        len(fake_youtube.calls("commentThreads")) == 2
    )  # the newest thread (read again: same second), the next
