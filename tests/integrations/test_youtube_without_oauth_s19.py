"""R-8.7: a YouTube source is read with an API key alone (that is all reading needs), but replies need the
channel's OAuth token. Without it an approved YouTube answer is not promised to go out automatically: the
approval tells the executor to publish it by hand (`integrations.publish.can_publish` sees the token is missing);
and a reply tried anyway fails with words that name what is missing and where the administrator sets it
(«oauth_token») — not «сеть отказала в запросе», when YouTube refused nothing. Found by a review (session 19)."""

from __future__ import annotations

import pytest

from otklik.cases.models import Notification
from otklik.intake.models import Message, Outbox, Source
from otklik.intake.outbox import enqueue_reply, send
from otklik.intake.pipeline import run_source
from otklik.integrations.base import for_people
from tests.conftest import Personas
from tests.fakes.youtube import FakeYouTube
from tests.integrations.test_case_publishing import ANSWER, approved_case

pytestmark = pytest.mark.django_db(transaction=True)


def read_without_oauth(fake_youtube: FakeYouTube) -> Source:
    source = Source.objects.create(
        network="youtube",
        kind=Source.Kind.CHANNEL,
        title="yt",
        config={"api_base": fake_youtube.url, "api_key": fake_youtube.api_key, "videos": ["dQw4w9WgXcQ"]},
    )
    run_source(source)
    return source


def test_a_youtube_reply_without_the_channels_token_says_so_instead_of_blaming_the_network(
    db: None, fake_youtube: FakeYouTube
) -> None:
    read_without_oauth(fake_youtube)
    reply = Message.objects.get(external_id="UgzDemoThread2AaABAg.8xyzReplyA1")
    row = send(enqueue_reply(reply, ANSWER, "review19-yt").pk, reschedule=False)

    assert row.state == Outbox.State.FAILED
    assert fake_youtube.published == []
    words = for_people(row.last_error)  # what the executor's notice quotes
    assert words != "сеть отказала в запросе", row.last_error
    assert "токен" in words or "OAuth" in words, words
    assert "«oauth_token»" in words, words  # the setting the administrator fills in


def test_an_answer_in_a_youtube_source_without_the_channels_token_is_published_by_hand_from_the_approval(
    personas: Personas, fake_youtube: FakeYouTube
) -> None:
    read_without_oauth(fake_youtube)
    reply = Message.objects.get(external_id="UgzDemoThread2AaABAg.8xyzReplyA1")

    case, _draft = approved_case(personas, reply)

    assert not Outbox.objects.filter(case_id=case.pk).exists()
    told = Notification.objects.filter(recipient=personas.alice, case=case).order_by("-id").first()
    assert told is not None
    assert "автоматически" not in told.text and "разместите" in told.text, told.text
