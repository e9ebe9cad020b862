"""VK connector against the loopback fake: fetching, threads, repeats, documented errors, Callback API."""

from __future__ import annotations

import json
import time
from contextlib import closing
from typing import Any

import pytest
from django.test import Client

from otklik.intake.models import Cursor, DeliveredEvent, Message, Post, Quarantine, Source
from otklik.intake.pipeline import run_source
from otklik.integrations.base import ConnectorError
from otklik.integrations.vk.client import VKClient
from otklik.integrations.vk.connector import VKConnector
from tests.fakes.base import load_fixture
from tests.fakes.vk import FakeVK

pytestmark = pytest.mark.django_db

OWNER = -200000001


def texts() -> set[str]:
    return set(Message.objects.filter(network="vk").values_list("text", flat=True))


def test_first_fetch_stores_posts_comments_and_thread_replies(vk_source: Source, fake_vk: FakeVK) -> None:
    report = run_source(vk_source)
    assert report.error == ""
    assert report.created == 5
    assert set(Post.objects.values_list("external_id", flat=True)) == {f"{OWNER}_101", f"{OWNER}_102"}
    reply = Message.objects.get(external_id=f"{OWNER}_101_1003")
    assert reply.reply_to is not None and reply.reply_to.external_id == f"{OWNER}_101_1002"
    assert reply.post is not None and reply.post.external_id == f"{OWNER}_101"
    assert reply.author_name == "Наталья Орлова"
    assert reply.url == f"https://vk.com/wall{OWNER}_101?reply=1003&thread=1002"
    first = Message.objects.get(external_id=f"{OWNER}_101_1001")
    assert first.attachments == [{"type": "photo", "url": "https://sun9-2.userapi.com/impg/comment.jpg"}]
    # HTML entities as VK sends them are decoded for display, the text as received is kept.
    quoted = Message.objects.get(external_id=f"{OWNER}_101_1002")
    assert '"на перекладных"' in quoted.text and "&quot;" in quoted.text_raw
    cursor = Cursor.objects.get(source=vk_source).position
    seen = dict(cursor["posts"]["101"])
    assert seen.pop("checked") > 0  # when the post was last read in full
    assert seen == {"last": 1002, "count": 4}


def test_incremental_fetch_asks_from_the_cursor_and_skips_quiet_posts(
    vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    fake_vk.requests.clear()
    new_id = fake_vk.add_comment(101, "Новый вопрос про ФАП")
    reply_id = fake_vk.add_comment(101, "Ответ в ветке", reply_to=new_id, from_id=2222222)
    report = run_source(vk_source)
    assert report.created == 2
    calls = fake_vk.calls("wall.getComments")
    # Post 102 had no new comments: not asked; post 101 asked from the last comment seen.
    assert [c.params["post_id"] for c in calls if "comment_id" not in c.params] == ["101"]
    assert calls[0].params["start_comment_id"] == "1002"
    reply = Message.objects.get(external_id=f"{OWNER}_101_{reply_id}")
    assert reply.reply_to is not None and reply.reply_to.external_id == f"{OWNER}_101_{new_id}"
    assert run_source(vk_source).created == 0


def test_a_long_thread_is_read_in_full(vk_source: Source, fake_vk: FakeVK) -> None:
    root = fake_vk.add_comment(102, "Корневой комментарий")
    for i in range(13):  # more than the 10 a thread preview can hold
        fake_vk.add_comment(102, f"ответ {i}", reply_to=root)
    run_source(vk_source)
    assert Message.objects.filter(reply_to__external_id=f"{OWNER}_102_{root}").count() == 13
    assert any(c.params.get("comment_id") == str(root) for c in fake_vk.calls("wall.getComments"))


def test_duplicates_delivered_twice_are_stored_once(vk_source: Source, fake_vk: FakeVK) -> None:
    run_source(vk_source)
    Cursor.objects.filter(source=vk_source).update(position={})  # the network sends everything again
    report = run_source(vk_source)
    assert report.created == 0 and report.updated == 5
    assert Message.objects.count() == 5


def test_search_source_reads_newsfeed_and_then_from_a_little_before_the_newest_item(
    db: None, fake_vk: FakeVK
) -> None:
    """After catching up, the next search starts 15 minutes (`SEARCH_OVERLAP_MINUTES`) before the newest post
    seen, not just after it (it was `newest + 1`): VK indexes posts late and out of order
    (tests/integrations/test_vk_search_late_index_s18.py); the posts read again are updated, not stored twice."""
    source = Source.objects.create(
        network="vk",
        kind=Source.Kind.SEARCH,
        title="Ленобласть",
        config={
            "api_base": f"{fake_vk.url}/method/",
            "token": fake_vk.token,
            "q": "Ленинградская область",
            "per_second": 0,
        },
    )
    assert run_source(source).created == 2
    group_post = Message.objects.get(external_id="-300000002_77")
    assert group_post.author_name == "Луга онлайн" and group_post.metrics["views"] == 3100
    assert Cursor.objects.get(source=source).position == {
        "start_time": 1732790000 - 900,
        "newest": 1732790000,
    }
    again = run_source(source)
    assert (again.created, again.updated) == (0, 1)  # the newest post, within the overlap
    assert fake_vk.calls("newsfeed.search")[-1].params["start_time"] == str(1732790000 - 900)
    # The overlap does not move back pass after pass.
    assert Cursor.objects.get(source=source).position == {
        "start_time": 1732790000 - 900,
        "newest": 1732790000,
    }
    assert Message.objects.filter(network="vk").count() == 2


@pytest.mark.parametrize(
    ("code", "permanent", "retry_after"),
    [
        (5, True, None),
        (9, False, 600.0),
        (15, True, None),
        (29, False, 3600.0),
        (10, False, 5.0),
        (14, False, 600.0),
        (100, True, None),
        (222, True, None),
    ],
)
def test_documented_error_codes(
    fake_vk: FakeVK, code: int, permanent: bool, retry_after: float | None
) -> None:
    with closing(VKClient(fake_vk.token, api_base=f"{fake_vk.url}/method/", per_second=0)) as client:
        fake_vk.fail("wall.get", code=code)
        with pytest.raises(ConnectorError) as info:
            client.call("wall.get", owner_id=OWNER)
        assert info.value.code == code
        assert info.value.permanent is permanent
        assert info.value.retry_after == retry_after


def test_error_6_is_retried_after_a_pause(fake_vk: FakeVK) -> None:
    with closing(VKClient(fake_vk.token, api_base=f"{fake_vk.url}/method/", per_second=0)) as client:
        fake_vk.fail("wall.get", code=6)
        started = time.monotonic()
        assert client.call("wall.get", owner_id=OWNER)["count"] == 2
        assert time.monotonic() - started >= 1.0
        fake_vk.fail("wall.get", code=6, times=3)
        with pytest.raises(ConnectorError) as info:
            client.call("wall.get", owner_id=OWNER)
        assert info.value.code == 6 and not info.value.permanent


def test_three_requests_per_second_are_never_exceeded(fake_vk: FakeVK) -> None:
    fake_vk.rate_limit = 3  # the fake answers error 6 to a fourth request within a second
    with closing(
        VKClient(fake_vk.token, api_base=f"{fake_vk.url}/method/", per_second=3, retries_on_6=0)
    ) as client:
        started = time.monotonic()
        for _ in range(7):
            client.call("wall.get", owner_id=OWNER, count=1)
        assert time.monotonic() - started >= 1.9


def test_wrong_token_stops_the_source_and_keeps_its_cursor(vk_source: Source, fake_vk: FakeVK) -> None:
    run_source(vk_source)
    before = Cursor.objects.get(source=vk_source).position
    vk_source.config["token"] = "revoked"
    vk_source.save()
    report = run_source(vk_source)
    assert "error 5" in report.error
    cursor = Cursor.objects.get(source=vk_source)
    assert cursor.position == before and "error 5" in cursor.last_error


def test_the_token_can_live_in_the_environment_instead_of_the_database(
    vk_source: Source, fake_vk: FakeVK, monkeypatch: pytest.MonkeyPatch
) -> None:
    vk_source.config["token"] = "env:OTKLIK_TEST_VK_TOKEN"
    vk_source.save()
    monkeypatch.delenv("OTKLIK_TEST_VK_TOKEN", raising=False)
    assert "no access token configured" in run_source(vk_source).error  # not set: not even asked
    assert fake_vk.requests == []
    monkeypatch.setenv("OTKLIK_TEST_VK_TOKEN", fake_vk.token)
    assert run_source(vk_source).error == ""
    assert Message.objects.filter(network="vk").count() == 5
    # No token in the config at all: the network-wide variable OTKLIK_VK_TOKEN is used.
    del vk_source.config["token"]
    vk_source.save()
    monkeypatch.setenv("OTKLIK_VK_TOKEN", fake_vk.token)
    fake_vk.requests.clear()
    assert run_source(vk_source).error == ""
    assert fake_vk.requests and all(
        (r.params.get("access_token") or r.headers.get("authorization", "")).endswith(fake_vk.token)
        for r in fake_vk.requests
    )


def test_access_denied_on_one_post_does_not_stop_the_others(vk_source: Source, fake_vk: FakeVK) -> None:
    fake_vk.fail("wall.getComments", code=212)  # the first post asked (102) has comments closed
    report = run_source(vk_source)
    assert report.error == ""
    assert Message.objects.filter(post__external_id=f"{OWNER}_101").count() == 4
    assert not Message.objects.filter(post__external_id=f"{OWNER}_102").exists()


def test_a_broken_comment_is_quarantined_and_the_rest_stored(vk_source: Source, fake_vk: FakeVK) -> None:
    broken = next(c for c in fake_vk.comments if c["id"] == 1001)
    del broken["date"]
    run_source(vk_source)
    assert Message.objects.count() == 4
    q = Quarantine.objects.get()
    assert q.source == vk_source and "date" in q.error and "1001" in q.payload


# --- Callback API ---------------------------------------------------------------------------------------------


def post_event(client: Client, event: dict[str, Any] | bytes) -> Any:
    body = event if isinstance(event, bytes) else json.dumps(event)
    return client.post("/integrations/vk/callback/", data=body, content_type="application/json")


def test_callback_confirmation_secret_and_repeats(vk_source: Source) -> None:
    client = Client()
    response = post_event(client, {"type": "confirmation", "group_id": 200000001})
    assert response.status_code == 200 and response.content == b"c0nf1rm"

    event = load_fixture("vk", "callback_wall_reply_new.json")
    forged = dict(event, secret="wrong")
    assert post_event(client, forged).status_code == 403
    assert not Message.objects.exists()

    for _ in range(2):  # VK may deliver the same event twice
        response = post_event(client, event)
        assert response.status_code == 200 and response.content == b"ok"
    assert Message.objects.filter(external_id=f"{OWNER}_102_1020").count() == 1
    assert DeliveredEvent.objects.filter(network="vk").count() == 1


def test_callback_bad_bodies_are_quarantined_and_answered_ok(vk_source: Source) -> None:
    """R-4: an event of the community with its secret whose object cannot be parsed is kept in the quarantine and
    answered «ok»; a body that is no event at all (a stranger's, a cut one) is refused with 400 and not stored —
    anyone could fill the quarantine with it, and VK delivers again what is not answered «ok» (session 19)."""
    client = Client()
    assert post_event(client, b'{"type": "wall_reply_new", "obj').status_code == 400
    event = load_fixture("vk", "callback_wall_reply_new.json")
    del event["object"]["text"]
    assert post_event(client, event).content == b"ok"
    assert Quarantine.objects.count() == 1
    assert not Message.objects.exists()


def test_connector_reads_owner_from_the_source_id(vk_source: Source) -> None:
    assert VKConnector(vk_source).owner_id == OWNER


def test_a_mention_is_shown_as_vk_shows_it_and_kept_raw(vk_source: Source) -> None:
    """R-4, R-8.1: a reply in VK names the person it answers as «[id2222222|Павел]»; the curator reads
    «Павел, поддерживаю», as VK shows it, and the raw text keeps the markup."""
    event = load_fixture("vk", "callback_wall_reply_new.json")
    event["object"]["text"] = "[id2222222|Павел], поддерживаю. И [club45|Совет дома] писал то же [id1|]"
    assert post_event(Client(), event).content == b"ok"
    message = Message.objects.get(external_id=f"{OWNER}_102_1020")
    assert message.text == "Павел, поддерживаю. И Совет дома писал то же [id1|]"
    assert message.text_raw == event["object"]["text"]


def test_a_mention_in_a_post_is_shown_as_vk_shows_it(vk_source: Source, fake_vk: FakeVK) -> None:
    """R-8.1: a post is the context a short comment is read and shown with («Под постом: …»): its mentions read
    as names too."""
    fake_vk.posts[0]["text"] = "[club1|Администрация района] отвечает: [id5|Анна], ремонт начнётся в мае"
    run_source(vk_source)
    post = Post.objects.get(external_id=f"{OWNER}_{fake_vk.posts[0]['id']}")
    assert post.text == "Администрация района отвечает: Анна, ремонт начнётся в мае"
