"""R-7.1: comments under the Governor's posts go to the bodies directly, never into the curator's inbox."""

from __future__ import annotations

import pytest

from otklik.cases.inbox import unrouted_messages
from otklik.intake.models import Message, Post

pytestmark = pytest.mark.django_db


def test_governor_post_comments_stay_out_of_the_curator_inbox() -> None:
    governor = Post.objects.create(network="vk", external_id="-1_100", is_governor=True)
    district = Post.objects.create(network="vk", external_id="-2_200")
    under_governor = Message.objects.create(network="vk", external_id="-1_101", text="Вопрос", post=governor)
    under_district = Message.objects.create(network="vk", external_id="-2_201", text="Вопрос", post=district)
    standalone = Message.objects.create(network="vk", external_id="-3_301", text="Вопрос")
    inbox = set(unrouted_messages())
    assert under_governor not in inbox
    assert {under_district, standalone} <= inbox
