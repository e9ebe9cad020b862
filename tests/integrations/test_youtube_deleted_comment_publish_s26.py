"""Found by a review (session 26), fixed since. R-8.7 with R-4: an approved answer to a YouTube comment that its author deleted before the answer went out.

VK and Telegram tell such a refusal apart (`ConnectorError(code="deleted")`): the message is marked deleted and the
executor reads «комментарий удалён в сети — опубликуйте ответ вручную под постом или попросите куратора закрыть
обращение». YouTube's `comments.insert` answers 404 for a parent comment that is gone, and the connector raises a
plain permanent refusal: the executor is told «опубликуйте ответ вручную» under a comment that no longer exists."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from otklik.cases import actions
from otklik.cases.models import Notification
from otklik.intake.models import Message, Outbox, Source
from otklik.intake.outbox import send
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.fakes.youtube import FakeYouTube

pytestmark = pytest.mark.django_db(transaction=True)

VIDEO = "dQw4w9WgXcQ"
ANSWER = "Здравствуйте! Ремонт дороги у моста на Кезевской улице начнётся 5 декабря, работы займут неделю."


@pytest.fixture
def fake_youtube() -> Iterator[FakeYouTube]:
    with FakeYouTube() as fake:
        yield fake


@pytest.fixture
def youtube_publishing(db: None, fake_youtube: FakeYouTube) -> Source:
    return Source.objects.create(
        network="youtube",
        kind=Source.Kind.CHANNEL,
        title="ЛО ТВ (YouTube)",
        config={
            "api_base": fake_youtube.url,
            "api_key": fake_youtube.api_key,
            "oauth_token": fake_youtube.oauth,
            "videos": [VIDEO],
        },
    )


def test_youtube_comment_deleted_before_publication_is_told_as_deleted(
    personas: Personas, youtube_publishing: Source, fake_youtube: FakeYouTube
) -> None:
    """The executor sees «Автоматическая публикация не удалась (комментарий не найден): опубликуйте ответ
    вручную и подтвердите ссылку» — under a comment that is gone — and the message is not marked deleted, so the
    case page and the publication form go on offering to answer under it (R-8.7; compare VK and Telegram, where
    the same situation reads «комментарий удалён в сети … или попросите куратора закрыть обращение»)."""
    thread = fake_youtube.add_thread(
        VIDEO, "Когда отремонтируют дорогу у моста в Сиверской?", at=datetime.now(UTC) - timedelta(minutes=5)
    )
    assert run_source(youtube_publishing).error == ""
    message = Message.objects.get(external_id=thread)
    with transaction.atomic():
        case = actions.dispatch_case(personas.curator, [message], [actions.Route(personas.health, 1)])
        draft = actions.submit_draft(personas.alice, case, "answer", ANSWER)
        actions.approve_draft(personas.curator, draft)
    row = Outbox.objects.get(case_id=case.pk)
    assert row.state == Outbox.State.PENDING  # published through the API

    # the author deletes the comment before the worker sends the answer
    with fake_youtube.lock:
        fake_youtube.videos[VIDEO] = [t for t in fake_youtube.videos[VIDEO] if t["id"] != thread]

    row = send(row.pk)
    assert row.state == Outbox.State.FAILED and fake_youtube.published == []
    message.refresh_from_db()
    note = Notification.objects.filter(recipient=personas.alice, case=case).order_by("-id").first()
    assert note is not None
    assert message.deleted_at is not None, (
        f"the message is not marked deleted; the executor was told: {note.text!r}"
    )
    assert "удалён" in note.text, note.text
