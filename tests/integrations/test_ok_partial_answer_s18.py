"""R-4: an Odnoklassniki answer without its `anchor` does not make ingestion ask for the same page for ever.

When OK answers a discussion's page with `has_more: true` but no new `anchor` (a partial answer; its shape is
*unverified* in NETWORK-APIS.md), the OK connector stops reading that discussion: the comments read are stored, the
source's cursor says in Russian «Одноклассники не сообщили, с какого места читать обсуждение дальше …» (the topic and
the anchor after «Подробности:»), and `otklik ingest` goes on to the other sources; the next read asks from the same
place.

Found by a review (session 18): `OKConnector.fetch` asked for the same page again and again, storing the same 100
comments, and never reached the other sources. Here the fake gives up after 30 such answers with OK's «service
unavailable».
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from otklik.intake.models import Cursor, Message, Source
from otklik.intake.pipeline import run_source
from tests.fakes.base import Request, Response
from tests.fakes.ok import FakeOK

pytestmark = pytest.mark.django_db

TOPIC = "155512345678901"
GIVE_UP_AFTER = 30


class OKWithoutAnchor(FakeOK):
    """OK answering a busy topic's pages without `anchor` (and `has_more: true`)."""

    def handle(self, request: Request) -> Response:
        asked = len(self.calls("fb.do"))
        if asked > GIVE_UP_AFTER:
            return self._error(2, "SERVICE : Service temporarily unavailable")
        response = super().handle(request)
        body = response.body
        if isinstance(body, dict) and "comments" in body:
            body = {k: v for k, v in body.items() if k != "anchor"}
        return Response(response.status, body, response.headers)


@pytest.fixture
def busy_ok() -> Iterator[OKWithoutAnchor]:
    with OKWithoutAnchor() as fake:
        first = fake.topics[TOPIC][0]
        fake.topics[TOPIC] = [
            {**first, "id": f"C{i:04d}", "text": f"Вопрос номер {i}", "author_id": f"5700{i:08d}"}
            for i in range(150)
        ]
        yield fake


def test_ok_answer_without_anchor_does_not_read_the_same_page_again_and_again(
    busy_ok: OKWithoutAnchor,
) -> None:
    source = Source.objects.create(
        network="ok",
        kind=Source.Kind.COMMUNITY,
        title="Дороги ЛО (ОК)",
        external_id="53038939046008",
        config={
            "api_base": f"{busy_ok.url}/fb.do",
            "application_key": busy_ok.application_key,
            "secret_key": busy_ok.secret_key,
            "token": busy_ok.token,
            "topics": [TOPIC],
            "per_second": 0,
        },
    )
    report = run_source(source)
    asked = [
        json.dumps({k: v for k, v in r.params.items() if k in {"discussionId", "anchor"}})
        for r in busy_ok.calls("fb.do")
    ]
    repeats: dict[str, Any] = {a: asked.count(a) for a in set(asked) if asked.count(a) > 1}
    assert not repeats, f"{len(asked)} requests; asked again for the same page: {repeats}"
    assert Message.objects.filter(network="ok").count() == 100  # the first page, read once
    error = Cursor.objects.get(source=source).last_error
    assert error.startswith("Одноклассники не сообщили, с какого места читать обсуждение дальше"), error
    assert f"has_more without a new anchor for topic(s) {TOPIC}" in error, error
    assert report.error == error
