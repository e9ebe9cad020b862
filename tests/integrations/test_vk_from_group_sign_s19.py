"""R-8.7 / R-4: an answer is published in VK as the community, `from_group` being the community's id, a positive
number (VK: «from_group — ID of the community»), also when the source's `group_id` setting was written as the
wall's owner id, «-200000001» — as the Callback API (`vk.views._community_number`) and our own answers read back
(`intake.official`) already accept it. Before, `VKConnector.publish_reply` sent `from_group=-200000001`, a request
VK does not describe. Found by a review (session 19)."""

from __future__ import annotations

import pytest
from django.db import transaction

from otklik.intake.models import Message, Source
from otklik.intake.outbox import enqueue_reply, send
from otklik.intake.pipeline import run_source
from tests.fakes.vk import FakeVK
from tests.integrations.test_case_publishing import ANSWER

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reply_goes_out_from_the_community_when_its_group_id_was_written_with_the_walls_minus(
    vk_source: Source, fake_vk: FakeVK
) -> None:
    vk_source.config["group_id"] = "-200000001"  # as the wall's address shows it: vk.com/wall-200000001_101
    vk_source.save()
    run_source(vk_source)
    message = Message.objects.get(external_id="-200000001_101_1001")
    with transaction.atomic():
        row = enqueue_reply(message, ANSWER, "review19-from-group")
    send(row.pk, reschedule=False)

    [published] = fake_vk.published
    assert published["from_group"] == "200000001", published  # the community's id, not the wall's owner id
