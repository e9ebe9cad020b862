"""R-4: replies in older YouTube threads are found by listing the threads of the last ``reply_days`` again, but
not on every pass: with `otklik ingest --loop 60` that would spend the whole daily quota of a busy video and then
``quotaExceeded`` would stop every video of the source until midnight Pacific. The window is listed again at most
every ``recheck_minutes`` (as for VK, 60 by default)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from otklik.intake.models import Cursor, Message, Source
from otklik.intake.pipeline import run_source
from tests.fakes.youtube import FakeYouTube

pytestmark = pytest.mark.django_db

VIDEO = "dQw4w9WgXcQ"


def _video_cursor(source: Source) -> dict[str, object]:
    return dict(Cursor.objects.get(source=source).position["videos"][VIDEO])


def _rechecked_ago(source: Source, minutes: int) -> None:
    """As if the last re-list of the window had been ``minutes`` ago."""
    cursor = Cursor.objects.get(source=source)
    at = (datetime.now(UTC) - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    cursor.position["videos"][VIDEO]["rechecked"] = at
    cursor.save()


def _busy_video(fake: FakeYouTube) -> str:
    """A question two hours old with four newer threads over it, one thread a page: the window is five pages."""
    question = fake.add_thread(
        VIDEO, "Когда починят дорогу в Сиверской?", at=datetime.now(UTC) - timedelta(hours=2)
    )
    for i in range(4):
        fake.add_thread(VIDEO, f"Комментарий {i}", at=datetime.now(UTC) - timedelta(minutes=90 - i))
    fake.page_size = 1
    return question


def test_r4_quiet_passes_within_recheck_minutes_do_not_list_the_window_again(
    youtube_source: Source, fake_youtube: FakeYouTube
) -> None:
    """R-4: after the first read, a pass with nothing new asks for the newest thread and the next one only,
    however many threads the window holds — the quota a pass costs does not grow with the video's week."""
    _busy_video(fake_youtube)
    assert run_source(youtube_source).error == ""
    for _ in range(2):  # the ingest loop comes round every minute
        fake_youtube.requests.clear()
        report = run_source(youtube_source)
        assert report.error == "" and report.created == 0
        assert len(fake_youtube.calls("commentThreads")) == 2  # the newest thread (same second), the next


def test_r4_a_pass_after_recheck_minutes_lists_the_window_and_finds_a_reply_in_an_older_thread(
    youtube_source: Source, fake_youtube: FakeYouTube
) -> None:
    """R-4, R-8.4: the author's reply in an older thread is read by the first pass after ``recheck_minutes``;
    the passes after it are short again."""
    question = _busy_video(fake_youtube)
    run_source(youtube_source)
    reply = fake_youtube.add_reply(question, "Уточняю: участок у моста на Кезевской улице")

    fake_youtube.requests.clear()
    assert run_source(youtube_source).created == 0  # within recheck_minutes: the window is not listed
    assert len(fake_youtube.calls("commentThreads")) == 2

    _rechecked_ago(youtube_source, 61)
    fake_youtube.requests.clear()
    report = run_source(youtube_source)
    assert report.error == "" and report.created == 1
    assert len(fake_youtube.calls("commentThreads")) > 2  # the window was listed again
    stored = Message.objects.get(external_id=reply)
    assert stored.reply_to is not None and stored.reply_to.external_id == question
    rechecked = datetime.fromisoformat(str(_video_cursor(youtube_source)["rechecked"]))
    assert datetime.now(UTC) - rechecked < timedelta(minutes=5)  # the re-list's time is kept in the cursor

    fake_youtube.requests.clear()
    assert run_source(youtube_source).created == 0
    assert len(fake_youtube.calls("commentThreads")) == 2
    assert Message.objects.filter(external_id=reply).count() == 1


def test_r4_recheck_minutes_is_a_source_setting(youtube_source: Source, fake_youtube: FakeYouTube) -> None:
    """R-4: with ``recheck_minutes`` 30 a re-list 31 minutes ago is due; the default 60 would wait."""
    question = _busy_video(fake_youtube)
    run_source(youtube_source)
    reply = fake_youtube.add_reply(question, "Уточняю адрес: Кезевская, 5")
    _rechecked_ago(youtube_source, 31)
    assert run_source(youtube_source).created == 0
    assert not Message.objects.filter(external_id=reply).exists()

    youtube_source.config["recheck_minutes"] = 30
    youtube_source.save()
    assert run_source(youtube_source).created == 1
    assert Message.objects.filter(external_id=reply).exists()


def test_r4_a_window_re_list_cut_short_goes_on_at_the_next_pass(
    youtube_source: Source, fake_youtube: FakeYouTube
) -> None:
    """R-4: a re-list stopped after its first page carries on as a re-list at the next pass and still finds the
    reply in the older thread."""
    question = _busy_video(fake_youtube)
    run_source(youtube_source)
    reply = fake_youtube.add_reply(question, "Уточняю: у моста")
    _rechecked_ago(youtube_source, 61)
    assert run_source(youtube_source, max_pages=1).created == 0
    assert "page" in _video_cursor(youtube_source)  # stopped inside the window

    report = run_source(youtube_source)
    assert report.error == "" and report.created == 1
    assert Message.objects.filter(external_id=reply).exists()
