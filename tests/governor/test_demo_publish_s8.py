"""`make run`: an answer approved under a demo Governor's post is published under the comment on the demo's fake
VK (R-7.1, R-7.2, R-8.7), not refused as a reply to a comment «deleted in the network»."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from otklik.cases.models import Case, Publication
from otklik.governor.models import Comment, Watch
from otklik.intake.demo import DEMO_PORTS, GOVERNOR_GROUP, GOVERNOR_TITLE
from otklik.intake.management.commands.fake_networks import start_fakes
from otklik.intake.models import Cursor, Message, Post, Source
from otklik.intake.pipeline import run_source
from tests.conftest import module_data
from tests.governor.helpers import client_for

pytestmark = pytest.mark.django_db

OWNER = -GOVERNOR_GROUP


@pytest.fixture(scope="module")
def demo_ran(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """`otklik demo`, once for the module's tests: each works in its own transaction, rolled back after it."""
    with module_data(django_db_blocker):
        call_command("demo", stdout=StringIO())
        yield


@pytest.fixture
def demo_networks(demo_ran: None) -> Iterator[dict[str, Any]]:
    """The demo's fakes as `otklik fake_networks` starts them (reading the demo's Governor's wall from the
    database), on free ports (the demo's fixed ones may be taken by another suite running beside this one), the
    Governor's source pointed at them."""
    fakes = start_fakes(dict.fromkeys(DEMO_PORTS, 0))
    try:
        source = Source.objects.get(network="vk", title=GOVERNOR_TITLE, is_governor=True)
        source.config = {**source.config, "api_base": f"{fakes['vk'].url}/method/"}
        source.save(update_fields=["config"])
        yield fakes
    finally:
        for fake in fakes.values():
            fake.stop()


def test_r7_1_an_answer_approved_under_a_demo_governors_post_is_published_under_its_comment(
    demo_networks: dict[str, Any],
) -> None:
    """R-7.1, R-8.7: today's demo post has a health question still open. The health executor answers it, the
    committee's responsible official approves: the page says «Согласовано и опубликовано», the fake VK got the
    answer as a reply to that comment under that post, and the author's comment is not shown as deleted in the
    network (before, the fake VK knew nothing of the demo posts and the reply was refused as one to a deleted
    comment)."""
    vk = demo_networks["vk"]
    today = Watch.objects.order_by("-started_at").first()
    assert today is not None
    question = Comment.objects.get(watch=today, kind=Comment.Kind.QUESTION)
    case, message = question.case, question.message
    assert case is not None and case.status == Case.Status.DRAFTING
    owner, post_id, comment_id = (int(x) for x in message.external_id.split("_"))

    answered = client_for("health_exec").post(
        f"/governor/questions/{case.pk}/answer/",
        {"text": "Алексей, электронная запись восстановлена, сайт работает с сегодняшнего дня."},
        follow=True,
    )
    assert (
        "Ответ направлен на согласование ответственному должностному лицу органа."
        in answered.content.decode()
    )
    approved = client_for("health_head").post(
        f"/governor/questions/{case.pk}/review/", {"decision": "approve"}, follow=True
    )
    page = approved.content.decode()
    assert "Согласовано и опубликовано." in page
    assert "Удалено в сети" not in page and "опубликуйте вручную" not in page

    sent = vk.calls("wall.createComment")
    assert len(sent) == 1
    params = sent[0].params
    assert (int(params["owner_id"]), int(params["post_id"]), int(params["reply_to_comment"])) == (
        OWNER,
        post_id,
        comment_id,
    )
    assert owner == OWNER and params["message"].startswith("Алексей, электронная запись восстановлена")
    message.refresh_from_db()
    assert message.deleted_at is None
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    publication = Publication.objects.get(case=case)
    assert publication.method == "api" and f"wall{OWNER}_{post_id}?reply=" in publication.url
    # the timeline says how and where, not «ответ опубликован — ответ опубликован»
    event = case.events.get(action="gov_publish")
    assert (event.label, event.reason) == ("ответ опубликован", f"через API сети: {publication.url}")


def test_r7_4_the_fake_vk_holds_the_demo_governors_posts_as_the_demo_stored_them(
    demo_networks: dict[str, Any],
) -> None:
    """R-7.4: the clock of `make run` reads the Governor's community on the fake VK. It finds the three demo posts
    and their comments under the ids, texts and authors the demo stored: reading it adds no comment and marks
    none deleted."""
    source = Source.objects.get(network="vk", title=GOVERNOR_TITLE, is_governor=True)
    stored = {
        m.external_id: (m.text, m.author_id, m.author_name, m.reply_to.external_id if m.reply_to else "")
        for m in Message.objects.filter(post__source=source).select_related("reply_to")
    }
    assert len(stored) == 7  # the three posts' comments and the author's details

    report = run_source(source)

    assert report.error == "" and report.created == 0
    assert set(Post.objects.filter(source=source).values_list("external_id", flat=True)) == {
        f"{OWNER}_1",
        f"{OWNER}_2",
        f"{OWNER}_3",
    }
    assert report.posts == 3
    read = {
        m.external_id: (m.text, m.author_id, m.author_name, m.reply_to.external_id if m.reply_to else "")
        for m in Message.objects.filter(post__source=source).select_related("reply_to")
    }
    assert read == stored
    assert not Message.objects.filter(post__source=source, deleted_at__isnull=False).exists()


def test_r7_4_a_restarted_fake_vk_still_holds_the_answer_published_under_a_demo_comment(
    demo_networks: dict[str, Any],
) -> None:
    """R-7.4, R-8.7: the answer published under today's demo question comes back with the next read of the
    Governor's community as the body's reply, not a new comment; after `otklik fake_networks` is started again
    (a new `make run` on the same database) the wall still has the question and the answer under it, nothing is
    marked deleted, and a later reply gets an id of its own."""
    today = Watch.objects.order_by("-started_at").first()
    assert today is not None
    question = Comment.objects.get(watch=today, kind=Comment.Kind.QUESTION)
    assert question.case is not None
    client_for("health_exec").post(
        f"/governor/questions/{question.case.pk}/answer/", {"text": "Алексей, запись восстановлена."}
    )
    client_for("health_head").post(f"/governor/questions/{question.case.pk}/review/", {"decision": "approve"})
    publication = Publication.objects.get(case=question.case)
    source = Source.objects.get(network="vk", title=GOVERNOR_TITLE, is_governor=True)
    assert run_source(source).error == ""
    answer = Message.objects.get(external_id=publication.external_id)
    assert answer.reply_to_id == question.message_id
    assert not Comment.objects.filter(message=answer, kind=Comment.Kind.QUESTION).exists()

    for fake in demo_networks.values():
        fake.stop()
    again = start_fakes(dict.fromkeys(DEMO_PORTS, 0))
    demo_networks.update(again)
    source.config = {**source.config, "api_base": f"{again['vk'].url}/method/"}
    source.save(update_fields=["config"])
    Cursor.objects.filter(source=source).delete()  # the new fake's first read, as of a new wall
    report = run_source(source)
    assert report.error == "" and report.created == 0
    assert not Message.objects.filter(post__source=source, deleted_at__isnull=False).exists()
    listed = {c["id"] for c in again["vk"].comments if c["owner_id"] == OWNER}
    ids = {int(m.external_id.rsplit("_", 1)[1]) for m in Message.objects.filter(post__source=source)}
    assert listed >= ids
    assert again["vk"].add_comment(int(answer.external_id.split("_")[1]), "Спасибо!") not in ids
