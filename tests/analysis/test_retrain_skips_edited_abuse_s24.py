"""Found by a review (session 24), fixed since. R-8.1 (the curator's final choice is the training data of `otklik retrain_topics`) with R-10 (abusive messages
are excluded from work): the weekly retraining must not learn a topic from a text the curator never classified and
the moderation excludes.

Scenario: on 2026-12-01 at 09:00 a VK comment «Когда починят дорогу на Соборной улице в Гатчине? Ямы по колено.»
arrives; at 09:20 the curator sends it to the road committee with the topic «Ремонт дорог» (her decision is stored).
At 11:00 the author edits the comment in VK into «Когда починят эту х*ёвую дорогу на Соборной улице в Гатчине,
уроды? Ямы по колено.»; the edit is delivered and moderated: the message is excluded (obscene language, insult).
On Monday night `otklik retrain_topics` runs (`analysis.training.train_installation_model`).

Now: the retraining reads each decision's message as it reads *now* (`decision.message.text`) and learns the abusive
text, three times over, as a confirmed example of «Ремонт дорог» — a text the curator never saw, which the moderation
excludes (R-10). Expected: a message excluded by the moderation (as `analysis.pipeline.is_blocked` says) is not a
training example; at the least the text learned is the one the curator classified, not a later edit.

The test reads the examples the retraining is given (`training.confirmed_examples`); it trains no model."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis import training
from otklik.analysis.pipeline import is_blocked
from otklik.analysis.repeats import reset_repeat_index
from otklik.cases.models import Case
from otklik.org.models import Municipality, Topic, TopicGroup
from tests.conftest import Personas
from tests.intake.helpers import deliver_vk_comment, run_queued_analysis

pytestmark = pytest.mark.django_db

CLEAN = "Когда починят дорогу на Соборной улице в Гатчине? Ямы по колено."
ABUSIVE = "Когда починят эту х*ёвую дорогу на Соборной улице в Гатчине, уроды? Ямы по колено."


@pytest.fixture(autouse=True)
def _fresh_repeat_index() -> None:
    reset_repeat_index()


def test_the_retraining_does_not_learn_a_topic_from_a_text_edited_into_abuse_after_dispatch(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    group = TopicGroup.objects.create(name="Дороги")
    topic = Topic.objects.create(group=group, name="Ремонт дорог")
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный район")
    done: set[int] = set()
    message = deliver_vk_comment(
        CLEAN, 1_700_000_000, django_capture_on_commit_callbacks, author="99", author_name="Пётр Иванов"
    )  # 09:00
    run_queued_analysis(done)
    assert not is_blocked(message)

    client.force_login(personas.curator)  # 09:20: the curator's choice
    sent = client.post(
        reverse("cases:dispatch", args=[message.pk]),
        {"body_1": personas.roads.pk, "topic": topic.pk, "municipality": gatchina.pk, "importance": "normal"},
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    assert Case.objects.filter(case_messages__message=message).exists()
    assert [e.text for e in training.confirmed_examples() if e.topic == topic.name] == [
        CLEAN
    ]  # her choice, learned

    message = deliver_vk_comment(
        ABUSIVE, 1_700_007_200, django_capture_on_commit_callbacks, author="99", author_name="Пётр Иванов"
    )  # 11:00: the author's edit
    run_queued_analysis(done)
    assert message.text == ABUSIVE
    assert is_blocked(message)  # the moderation excludes the text as it reads now

    # what `otklik retrain_topics` learns from the installation (`train_installation_model` trains on these)
    taught = [e.text for e in training.confirmed_examples() if e.topic == topic.name]
    assert ABUSIVE not in taught, (
        f"the retraining learns «{ABUSIVE}» as «{topic.name}»: a text edited into abuse after the dispatch, which "
        "the moderation excludes and the curator never classified"
    )
