"""R-8.7: the automatic publication of an approved answer failed once and waits for its retry; the executor is told
«Можно не ждать: опубликуйте ответ вручную и подтвердите ссылку … — тогда автоматически он отправлен не будет».
She publishes it by hand in VK; before she confirms the link, the retry goes out. Two copies of the answer now stand
under the author's comment.

Where the executor confirmed first, the worker's publication says so («… хотя его публикация уже подтверждена
вручную: проверьте ветку — вторую копию ответа удалите», `cases.publishing._published_anyway`). In the other order
her link is now refused with «Ответ уже опубликован автоматически ‹когда›: ‹ссылка›. Если вы разместили его и
вручную (‹её ссылка›), удалите свою копию в сети …» (`cases.actions._published_automatically`), not only «Обращение
уже изменил другой сотрудник»; and the retry that publishes tells her at once, in a notice, to delete a copy she may
have posted (`cases.publishing._published_on_retry`).

Found by a review (session 19).
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases.models import Notification, Publication
from otklik.intake.models import Message, Outbox
from otklik.intake.outbox import send
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.integrations.conftest import fake_vk, vk_source  # noqa: F401 - fixtures
from tests.integrations.test_case_publishing import approved_case

pytestmark = pytest.mark.django_db(transaction=True)


def _messages(page: str) -> list[str]:
    listed = re.search(r'<ul class="messages"[^>]*>(.*?)</ul>', page, re.S)
    if not listed:
        return []
    return [
        html.unescape(re.sub(r"<[^>]+>", "", li)).strip()
        for li in re.findall(r"<li[^>]*>(.*?)</li>", listed[1], re.S)
    ]


def test_a_link_confirmed_after_the_retry_published_the_answer_says_there_are_two_copies(
    personas: Personas,
    vk_source: object,  # noqa: F811
    fake_vk: object,  # noqa: F811
) -> None:
    run_source(vk_source)  # type: ignore[arg-type]
    message = Message.objects.get(external_id="-200000001_101_1001")
    case, draft = approved_case(personas, message)
    row = Outbox.objects.get(case_id=case.pk)
    fake_vk.fail("wall.createComment", code=9)  # type: ignore[attr-defined]  # flood control: retried later
    assert send(row.pk, reschedule=False).state == Outbox.State.PENDING

    client = Client()
    client.force_login(personas.alice)
    form = client.get(reverse("cases:publish", args=[case.pk, draft.pk])).content.decode()
    version = re.search(r'name="version" value="(\d+)"', form)
    assert version
    # she publishes it by hand in VK … and meanwhile the retry goes out
    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    row = send(row.pk, reschedule=False)
    assert row.state == Outbox.State.SENT
    [auto] = Publication.objects.filter(draft=draft)
    response = client.post(
        reverse("cases:publish", args=[case.pk, draft.pk]),
        {"url": "https://vk.com/wall-200000001_101?reply=5555", "version": version[1]},
    )
    said = " ".join(_messages(response.content.decode()))
    assert "автоматически" in said and (auto.url or auto.external_id) in said, said
    assert "удалите свою копию" in said and "https://vk.com/wall-200000001_101?reply=5555" in said, said
    assert "изменил другой сотрудник" not in said, said
    assert (
        Publication.objects.filter(draft=draft).count() == 1
    )  # hers is not recorded as a second publication
    # the retry's publication already told her, in a notice, to delete a copy she may have posted meanwhile
    told = Notification.objects.filter(
        recipient=personas.alice, case=case, text__contains="удалите свою копию"
    )
    assert told.exists() and (auto.url or auto.external_id) in told.get().text
