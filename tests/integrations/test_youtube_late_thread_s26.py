"""Found by a review (session 26), fixed since. R-4 (every message read once, none skipped): a YouTube comment that becomes visible after newer ones were read
(held for review by the channel and then approved, so it appears with its original `publishedAt`, below the newer
threads) must still be read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from otklik.intake.models import Message, Source
from otklik.intake.pipeline import run_source
from tests.fakes.youtube import FakeYouTube
from tests.integrations.conftest import fake_youtube, youtube_source  # noqa: F401 - loopback fake YouTube

pytestmark = pytest.mark.django_db

VIDEO = "dQw4w9WgXcQ"


def test_youtube_comment_approved_late_is_read(youtube_source: Source, fake_youtube: FakeYouTube) -> None:  # noqa: F811
    """A citizen writes «Когда отремонтируют поликлинику в Тосно?» under the channel's video. YouTube holds it for
    review (the channel's default «hold potentially inappropriate comments»); meanwhile another viewer's newer
    comment is read by Otklik. The moderator approves the citizen's comment: it now shows on YouTube with its
    original time, below the newer one. Otklik never reads it, neither on the next short pass nor on the window
    re-list (which even lists it, but skips it because its reply count, 0, equals the count it «knew», 0 by
    default): the curator never sees the question and nobody answers it (R-4)."""
    youtube_source.config["recheck_minutes"] = 0  # the window is re-listed on every pass
    youtube_source.save()
    now = datetime.now(UTC)
    assert run_source(youtube_source).error == ""
    fake_youtube.add_thread(VIDEO, "Спасибо за ролик", at=now - timedelta(minutes=5))
    assert run_source(youtube_source).error == ""
    # Approved now, written 30 minutes ago: YouTube lists it in the order written, below the newer thread.
    held = fake_youtube.add_thread(
        VIDEO, "Когда отремонтируют поликлинику в Тосно?", at=now - timedelta(minutes=30)
    )
    with fake_youtube.lock:
        threads = fake_youtube.videos[VIDEO]
        threads.insert(1, threads.pop(0))
    for _ in range(2):
        assert run_source(youtube_source).error == ""
    assert Message.objects.filter(network="youtube", external_id=held).exists(), (
        "the approved comment was never read"
    )
