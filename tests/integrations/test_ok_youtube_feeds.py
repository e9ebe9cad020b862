"""OK, YouTube and RSS connectors against their loopback fakes."""

from __future__ import annotations

import pytest

from otklik.intake.models import Cursor, Message, Post, Quarantine, Source
from otklik.intake.pipeline import run_source
from otklik.integrations.ok.client import signature
from tests.fakes.feeds import FakeFeed
from tests.fakes.ok import FakeOK
from tests.fakes.youtube import FakeYouTube

pytestmark = pytest.mark.django_db

TOPIC = "155512345678901"


def test_ok_signature_matches_the_documented_recipe() -> None:
    # md5("application_key=Kformat=jsonmethod=m" + md5("tok" + "sec"))
    import hashlib

    secret = hashlib.md5(b"toksec").hexdigest()  # noqa: S324 - the network's own scheme
    expected = hashlib.md5(f"application_key=Kformat=jsonmethod=m{secret}".encode()).hexdigest()  # noqa: S324
    params = {"method": "m", "application_key": "K", "format": "json", "access_token": "tok"}
    assert signature(params, "tok", "sec") == expected


def test_ok_first_and_incremental_fetch(ok_source: Source, fake_ok: FakeOK) -> None:
    report = run_source(ok_source)
    assert report.error == "" and report.created == 3
    reply = Message.objects.get(external_id=f"{TOPIC}:MTczMjc4MDAwMDAwMDoy")
    assert reply.reply_to is not None and reply.reply_to.author_name == "Галина Петрова"
    assert reply.post == Post.objects.get(external_id=f"topic:{TOPIC}")
    assert reply.published_at is not None and reply.published_at.isoformat() == "2024-11-28T07:40:12+00:00"
    assert Cursor.objects.get(source=ok_source).position == {"topics": {TOPIC: "3"}}
    fake_ok.topics[TOPIC].append(
        {
            "id": "NEW4",
            "author_id": "570000000004",
            "author_name": "Новый",
            "text": "ещё вопрос",
            "date": "2024-11-29 09:00:00",
        }
    )
    assert run_source(ok_source).created == 1
    assert fake_ok.calls("fb.do")[-1].params["anchor"] == "3"
    assert run_source(ok_source).created == 0


@pytest.mark.parametrize(
    ("code", "permanent"), [(8, False), (11, False), (102, True), (104, True), (2, False)]
)
def test_ok_errors(ok_source: Source, fake_ok: FakeOK, code: int, permanent: bool) -> None:
    fake_ok.fail("discussions.getComments", code=code)
    report = run_source(ok_source)
    assert f"error {code}" in report.error and ("permanent" in report.error) is permanent
    assert not Message.objects.exists()


def test_ok_wrong_secret_is_refused_by_the_signature_check(ok_source: Source, fake_ok: FakeOK) -> None:
    ok_source.config["secret_key"] = "wrong"
    ok_source.save()
    assert "error 104" in run_source(ok_source).error


def test_youtube_threads_replies_pages_and_incremental(
    youtube_source: Source, fake_youtube: FakeYouTube
) -> None:
    report = run_source(youtube_source)
    assert report.error == "" and report.created == 4
    assert report.pages == 2  # the fake serves two threads per page
    reply = Message.objects.get(external_id="UgzDemoThread2AaABAg.8xyzReplyA1")
    assert reply.reply_to is not None and reply.reply_to.external_id == "UgzDemoThread2AaABAg"
    assert reply.post is not None and reply.post.url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert Cursor.objects.get(source=youtube_source).position == {
        "videos": {"dQw4w9WgXcQ": {"since": "2024-11-28T09:30:00Z"}}
    }
    fake_youtube.requests.clear()
    fake_youtube.page_size = 1
    fake_youtube.add_thread("dQw4w9WgXcQ", "Новый вопрос")
    assert run_source(youtube_source).created == 1
    # Pages: the new thread, the newest one already read (same second: read again), an older one: stop.
    assert len(fake_youtube.calls("commentThreads")) == 3


def test_youtube_long_reply_threads_are_read_with_comments_list(
    youtube_source: Source, fake_youtube: FakeYouTube
) -> None:
    thread = fake_youtube.videos["dQw4w9WgXcQ"][1]
    base = thread["replies"]["comments"][0]
    for i in range(7):
        extra = {
            **base,
            "id": f"UgzDemoThread2AaABAg.extra{i}",
            "snippet": {**base["snippet"], "textOriginal": f"ответ {i}"},
        }
        thread["replies"]["comments"].append(extra)
    thread["snippet"]["totalReplyCount"] = 8
    run_source(youtube_source)
    assert Message.objects.filter(reply_to__external_id="UgzDemoThread2AaABAg").count() == 8


@pytest.mark.parametrize(
    ("status", "reason", "permanent"),
    [
        (403, "quotaExceeded", False),
        (403, "rateLimitExceeded", False),
        (400, "processingFailure", True),
        (503, "backendError", False),
    ],
)
def test_youtube_errors(
    youtube_source: Source, fake_youtube: FakeYouTube, status: int, reason: str, permanent: bool
) -> None:
    fake_youtube.fail("commentThreads", status=status, reason=reason)
    report = run_source(youtube_source)
    assert reason in report.error and ("permanent" in report.error) is permanent


def test_youtube_disabled_comments_skip_the_video(youtube_source: Source, fake_youtube: FakeYouTube) -> None:
    fake_youtube.fail("commentThreads", status=403, reason="commentsDisabled")
    assert run_source(youtube_source).error == ""


def test_feed_entries_conditional_get_and_sanitised_html(feed_source: Source, fake_feed: FakeFeed) -> None:
    report = run_source(feed_source)
    assert report.error == "" and report.created == 2
    entry = Message.objects.get(external_id=f"{feed_source.pk}:gatchina-blog-2024-11-28-svet")
    assert entry.text.startswith("Опять нет света на улице Чкалова\n")
    assert "не горят фонари" in entry.text and "alert" not in entry.text
    assert entry.author_name == "Игорь Л." and entry.published_at is not None
    assert run_source(feed_source).pages == 0  # 304 Not Modified
    assert fake_feed.requests[-1].headers.get("if-none-match")
    fake_feed.add_item("new-1", "Новая заметка", "текст")
    assert run_source(feed_source).created == 1


def test_a_broken_feed_is_quarantined(feed_source: Source, fake_feed: FakeFeed) -> None:
    fake_feed.body = b"<html><body>\xff\xfe not a feed"
    run_source(feed_source)
    assert Quarantine.objects.get().error == "the feed is not valid RSS/Atom"


def test_feed_outage_honours_retry_after(feed_source: Source, fake_feed: FakeFeed) -> None:
    fake_feed.fail("feed", status=503, retry_after=120)
    assert "retry after 120s" in run_source(feed_source).error
