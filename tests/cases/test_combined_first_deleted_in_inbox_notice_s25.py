"""Found by a review (session 25), fixed since. R-8.1 with R-8.7: two VK comments about one leaking roof are in the curator's inbox; the first author deletes
her comment in VK while it waits there (the deletion is recorded, the inbox and the dispatch form mark it «Удалено
в сети»). The curator still sends both as one case (the second author is there to be answered), the executor's
answer is approved.

The approval's notice to the executor says: «разместите его вручную под сообщением автора
(https://vk.com/wall-1_1?reply=10) …» — the deleted comment, where no reply can be posted — «Разместите его также
под сообщениями других авторов: № <Олег's>». The publication form, though, knows the deleted comment has nobody to
answer (`actions.live_authors`) and takes the main link under Олег's comment. The executor is sent to a comment
that is gone and told to publish a second time under Олег's.
Expected: the notice names only the author still in the network (Олег's comment), as the publication form does.
Source: src/otklik/cases/actions.py `approve_draft` (uses `authors_of(case)`, not `live_authors(case)`, for the
message to publish under and for «других авторов»; `_by_hand_notice` then names the deleted message).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case, Notification
from otklik.intake.models import DeletedHow, Message
from otklik.intake.pipeline import mark_deleted
from tests.cases.helpers import classified
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

ANSWER = (
    "Здравствуйте! Крышу дома № 5 на ул. Чехова в Гатчине отремонтируют до 20 декабря, подрядчик назначен."
)


def test_the_approval_notice_does_not_send_the_executor_under_a_comment_deleted_in_the_inbox(
    personas: Personas,
) -> None:
    p = personas
    first = Message.objects.create(
        network="vk",
        external_id="-1_1_10",
        url="https://vk.com/wall-1_1?reply=10",
        author_id="10",
        author_name="Ирина",
        text="Когда починят крышу дома 5 на Чехова? Течёт третий день.",
    )
    other = Message.objects.create(
        network="vk",
        external_id="-1_1_11",
        url="https://vk.com/wall-1_1?reply=11",
        author_id="11",
        author_name="Олег",
        text="И у нас в доме 5 на Чехова течёт крыша.",
    )
    mark_deleted(
        "vk", [first.external_id], DeletedHow.EVENT, by={first.external_id: "10"}
    )  # while in the inbox

    client = Client()
    client.force_login(p.curator)
    sent = client.post(
        reverse("cases:dispatch", args=[first.pk]),
        {
            "also": [other.pk],
            "offered": [other.pk],
            "body_1": p.health.pk,
            "importance": "normal",
            **classified(),
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    case = Case.objects.get()
    assert set(case.messages.values_list("pk", flat=True)) == {first.pk, other.pk}

    draft = actions.submit_draft(p.alice, case, "answer", ANSWER)
    actions.approve_draft(p.curator, draft)
    text = Notification.objects.filter(recipient=p.alice, case=case, text__contains="согласован").get().text

    assert first.url not in text, (
        f"the executor is told to publish under Ирина's comment, deleted in VK while in the inbox: {text}"
    )
    assert other.url in text or f"№ {other.pk}" in text, text
    assert "также под сообщениями других авторов" not in text, (
        f"Олег's comment is the only one to answer under, yet it is named as a second place to publish: {text}"
    )
