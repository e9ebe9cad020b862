"""The curator's inbox (R-8.1) after an administrator corrects a message wrongly kept out of it, or deletes its case."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases.models import InboxFloor
from otklik.intake.models import Message, Post
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def shown(client: Client) -> set[int]:
    page = client.get(reverse("cases:inbox")).content.decode()
    return {int(n) for n in re.findall(r'data-message="(\d+)"', page)}


def _later(minutes: int) -> None:
    """As if the inbox's floor had been checked `minutes` ago (its 60-second cache has run out)."""
    InboxFloor.objects.update(checked_at=timezone.now() - timedelta(minutes=minutes))


def test_a_message_unmarked_as_official_by_the_administrator_comes_back_to_the_inbox(
    client: Client, personas: Personas
) -> None:
    """A citizen's comment was taken for an official account's (a wrong id in «Официальные аккаунты») and kept out
    of the inbox. An hour later the administrator unticks «от органа» on it in the admin. It stays out of the inbox
    — not dispatched, not excluded, not closed — until the floor's daily full recount (`cases.inbox.floor`: «the
    floor only moves up»), because a newer message had moved the floor above it meanwhile."""
    client.force_login(personas.curator)
    wrongly = message(text="Когда уберут мусор во дворе дома 3?")
    Message.objects.filter(pk=wrongly.pk).update(
        is_official=True, received_at=timezone.now() - timedelta(hours=2)
    )
    newer = message(text="Не горят фонари на Чкалова")
    Message.objects.filter(pk=newer.pk).update(received_at=timezone.now() - timedelta(hours=1))
    assert shown(client) == {newer.pk}
    wrongly.refresh_from_db()
    wrongly.is_official = False
    wrongly.save()  # what the admin's change form does (`ModelAdmin.save_model`)
    _later(5)
    assert wrongly.pk in shown(client), (
        "the corrected message is not in the inbox (it is in no case and not excluded)"
    )


def test_comments_of_a_post_unmarked_as_the_governors_come_to_the_inbox(
    client: Client, personas: Personas
) -> None:
    """A post was wrongly marked «пост Губернатора» (R-7.1: its comments skip the curator). The administrator
    unticks it: its comments from an hour ago wait for the curator (R-8.1) at once."""
    client.force_login(personas.curator)
    post = Post.objects.create(
        network="vk", external_id="-1_77", url="https://vk.com/wall-1_77", is_governor=True
    )
    comment = message(text="Когда отремонтируют крышу школы № 2?")
    Message.objects.filter(pk=comment.pk).update(post=post, received_at=timezone.now() - timedelta(hours=2))
    newer = message(text="Не горят фонари на Чкалова")
    Message.objects.filter(pk=newer.pk).update(received_at=timezone.now() - timedelta(hours=1))
    assert shown(client) == {newer.pk}
    post.is_governor = False
    post.save()  # the admin's change form
    _later(5)
    assert comment.pk in shown(client), "the post's comment is in no one's work and not in the inbox"


def test_the_messages_of_a_deleted_case_come_back_to_the_inbox(client: Client, personas: Personas) -> None:
    """An administrator deletes a case made by mistake: its message, older than the inbox's floor, waits for the
    curator again at once."""
    from otklik.cases import actions

    client.force_login(personas.curator)
    sent = message(text="Когда уберут мусор во дворе дома 3?")
    Message.objects.filter(pk=sent.pk).update(received_at=timezone.now() - timedelta(hours=2))
    case = actions.dispatch_case(personas.curator, [sent], [actions.Route(personas.health)])
    newer = message(text="Не горят фонари на Чкалова")
    Message.objects.filter(pk=newer.pk).update(received_at=timezone.now() - timedelta(hours=1))
    assert shown(client) == {newer.pk}
    case.delete()
    _later(5)
    assert shown(client) == {sent.pk, newer.pk}
