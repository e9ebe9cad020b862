"""YouTube's daily quota as the real API spends it (R-4): once ``quotaExceeded`` is answered, nothing is asked
again before midnight Pacific time, when the quota is renewed; then reading goes on from the cursor."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from otklik.intake.models import Cursor, Message, Source
from otklik.intake.pipeline import run_source
from otklik.integrations.youtube.connector import quota_reset
from tests.fakes.youtube import FakeYouTube

pytestmark = pytest.mark.django_db


def test_quota_exceeded_pauses_the_source_until_midnight_pacific(
    youtube_source: Source, fake_youtube: FakeYouTube
) -> None:
    fake_youtube.fail("commentThreads", status=403, reason="quotaExceeded")
    report = run_source(youtube_source)
    assert "quotaExceeded" in report.error and "permanent" not in report.error
    paused = Cursor.objects.get(source=youtube_source).position["quota_until"]
    assert paused == quota_reset(datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")

    fake_youtube.requests.clear()
    for _ in range(3):  # the ingest loop comes round every minute
        assert "quota" in run_source(youtube_source).error
    assert fake_youtube.requests == []  # not hammered
    assert not Message.objects.exists()

    cursor = Cursor.objects.get(source=youtube_source)
    cursor.position = {**cursor.position, "quota_until": "2000-01-01T08:00:00Z"}  # the quota is back
    cursor.save()
    report = run_source(youtube_source)
    assert report.error == "" and report.created == 4
    assert "quota_until" not in Cursor.objects.get(source=youtube_source).position


def test_the_quota_resets_at_midnight_pacific_not_utc() -> None:
    # 2024-11-29 07:30 UTC is 23:30 Pacific (PST) on the 28th: the quota comes back in half an hour.
    assert quota_reset(datetime(2024, 11, 29, 7, 30, tzinfo=UTC)) == datetime(2024, 11, 29, 8, 0, tzinfo=UTC)
    # Summer (PDT, UTC-7).
    assert quota_reset(datetime(2024, 7, 1, 12, 0, tzinfo=UTC)) == datetime(2024, 7, 2, 7, 0, tzinfo=UTC)


def test_disabled_comments_on_one_video_do_not_stop_the_others(
    youtube_source: Source, fake_youtube: FakeYouTube
) -> None:
    fake_youtube.videos = {"closed1": fake_youtube.videos["dQw4w9WgXcQ"][:0], **fake_youtube.videos}
    youtube_source.config["videos"] = ["closed1", "dQw4w9WgXcQ"]
    youtube_source.save()
    fake_youtube.fail("commentThreads", status=403, reason="commentsDisabled")
    report = run_source(youtube_source)
    assert report.error == "" and report.created == 4


def test_comment_text_is_kept_whole_when_youtube_gives_only_text_display(
    youtube_source: Source, fake_youtube: FakeYouTube
) -> None:
    """``textOriginal`` is shown only to a comment's author: everybody else gets ``textDisplay``, where ``<``
    and ``&`` the citizen typed must stay characters, not be taken for markup (R-4)."""
    thread_id = fake_youtube.add_thread("dQw4w9WgXcQ", "Тариф <Start> подняли & <b>никто</b> не объяснил")
    run_source(youtube_source)
    assert Message.objects.get(external_id=thread_id).text == (
        "Тариф <Start> подняли & <b>никто</b> не объяснил"
    )


def test_a_multiline_comment_keeps_its_lines(youtube_source: Source, fake_youtube: FakeYouTube) -> None:
    thread_id = fake_youtube.add_thread("dQw4w9WgXcQ", "Первая строка\nВторая строка")
    run_source(youtube_source)
    assert Message.objects.get(external_id=thread_id).text == "Первая строка\nВторая строка"
