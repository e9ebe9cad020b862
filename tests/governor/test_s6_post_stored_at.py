"""A Governor's post stored by ingest while the worker that opens watches was down (R-7.2, R-7.4, R-12).

Ingest stores the post when it reads the community (`Post.stored_at`); the checks that open its watch run only
when the worker is back. Deadlines and checks count from when Otklik first stored the post, not from the run that
opened the watch: a post stored on Tuesday 05.11.2024 at 10:05 and first seen by the checks on Friday is watched,
its checks that nobody ran are missed (they were owed), and it is not taken for history.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from otklik.governor import service
from otklik.governor.models import Check, Watch
from otklik.intake.models import Message, Network, Post
from otklik.intake.pipeline import run_source
from tests.conftest import Personas, msk
from tests.fakes.vk import FakeVK
from tests.governor.test_s5f_old_posts import OWNER, community, wall_post, watch_of

pytestmark = pytest.mark.django_db


def test_a_post_stored_while_the_worker_was_down_is_watched_from_its_storing(
    p: Personas, fake_vk: FakeVK
) -> None:
    """R-7.4: the post of Tuesday 10:00 was stored at 10:05; the checks first run on Friday 08.11 at 10:00, after
    its two working days. It is watched from 10:05 (not history): its 8 checks were owed and are recorded as
    missed, with the time that was noticed."""
    source = community(fake_vk)
    wall_post(fake_vk, 130, msk(2024, 11, 5, 10, 0), "Губернатор: новый фельдшерский пункт в Тосно.")
    assert run_source(source).error == ""
    # ingest ran on Tuesday at 10:05 (the test's clock is not the wall clock)
    Post.objects.filter(external_id=f"{OWNER}_130").update(stored_at=msk(2024, 11, 5, 10, 5))

    report = service.run_checks(now=msk(2024, 11, 8, 10, 0), fetch=False)

    watch = watch_of(130)
    assert watch.mode == Watch.Mode.WATCHED
    assert watch.first_read_at == msk(2024, 11, 5, 10, 5)
    assert report.missed == 8
    assert watch.checks.filter(state=Check.State.MISSED).count() == 8


def test_a_post_stored_after_the_run_that_opens_its_watch_counts_from_that_run(
    p: Personas, fake_vk: FakeVK
) -> None:
    """The first read is never later than the run that opens the watch (a post stored «later» by a clock ahead of
    the run's is read now)."""
    source = community(fake_vk)
    wall_post(fake_vk, 140, msk(2024, 11, 5, 10, 0), "Губернатор: дорога в Лугу.")
    assert run_source(source).error == ""
    service.run_checks(now=msk(2024, 11, 5, 10, 30), fetch=False)
    assert watch_of(140).first_read_at == msk(2024, 11, 5, 10, 30)


def test_the_migration_gives_stored_posts_the_earliest_receipt_under_them(db: None) -> None:
    """Posts stored before `stored_at` existed: a post with comments gets its earliest comment's receipt; one
    without keeps the migration's time (never its publication time: an old post was not read when published)."""
    fill = importlib.import_module("otklik.intake.migrations.0014_post_stored_at").fill
    migrated = msk(2026, 11, 29, 12, 0)
    with_comments = Post.objects.create(
        network=Network.VK, external_id="-1_1", published_at=msk(2024, 1, 10, 9, 0), stored_at=migrated
    )
    bare = Post.objects.create(
        network=Network.VK, external_id="-1_2", published_at=msk(2024, 1, 10, 9, 0), stored_at=migrated
    )
    for n, received in enumerate((msk(2025, 3, 4, 15, 0), msk(2025, 3, 3, 11, 0)), start=1):
        comment = Message.objects.create(
            network=Network.VK, external_id=f"-1_1_{n}", post=with_comments, text="Вопрос"
        )
        Message.objects.filter(pk=comment.pk).update(received_at=received)  # received is set on insert

    fill(apps, None)

    with_comments.refresh_from_db()
    bare.refresh_from_db()
    assert with_comments.stored_at == msk(2025, 3, 3, 11, 0)
    assert bare.stored_at == migrated
