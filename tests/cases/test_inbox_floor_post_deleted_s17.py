"""R-8.1, R-7.1: a message that is out of everyone's work again comes back to the curator's inbox at once
(`cases.inbox.lower_floor`), whatever the administrator did to bring it out.
Found by a review (session 17); each test's text tells what the report or page showed before the fix."""

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


def test_comments_of_a_post_deleted_as_wrongly_the_governors_come_to_the_inbox(
    client: Client, personas: Personas
) -> None:
    """A post was wrongly taken for the Governor's (R-7.1: its comments skip the curator). Instead of unticking
    «пост Губернатора» the administrator deletes the post in the admin: its comments lose the post (SET_NULL, a bulk
    update: no post_save of Message, and no post_delete of Post is connected) and are in nobody's work — but the
    inbox keeps them out until the floor's daily full recount. Unticking the same post brings them at once
    (tests/cases/test_inbox_floor_s17.py)."""
    client.force_login(personas.curator)
    post = Post.objects.create(
        network="vk", external_id="-1_77", url="https://vk.com/wall-1_77", is_governor=True
    )
    comment = message(text="Когда отремонтируют крышу школы № 2?")
    Message.objects.filter(pk=comment.pk).update(post=post, received_at=timezone.now() - timedelta(hours=2))
    newer = message(text="Не горят фонари на Чкалова")
    Message.objects.filter(pk=newer.pk).update(received_at=timezone.now() - timedelta(hours=1))
    assert shown(client) == {newer.pk}
    post.delete()  # the admin's «Удалить»
    comment.refresh_from_db()
    assert comment.post_id is None
    InboxFloor.objects.update(checked_at=timezone.now() - timedelta(minutes=5))
    assert comment.pk in shown(client), "the deleted post's comment is in no one's work and not in the inbox"
