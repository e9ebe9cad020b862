"""Found by a review (session 26), fixed since. Review 76. R-4: a VK community whose only post with comments has them closed (VK error 212 «Access to post
comments denied») is told on the source as if the token had lost its rights to every post."""

from __future__ import annotations

import pytest

from otklik.intake.models import Cursor, Source
from otklik.intake.pipeline import run_source
from tests.fakes.vk import FakeVK
from tests.integrations.conftest import fake_vk, vk_source  # noqa: F401  (the fixtures)

pytestmark = pytest.mark.django_db


def test_one_commented_post_with_comments_closed_is_no_source_error(
    vk_source: Source,  # noqa: F811
    fake_vk: FakeVK,  # noqa: F811
) -> None:
    """A small municipal community: of its latest posts only one (102) has comments, and its administrator has
    closed them. Reading that post's comments is refused with 212, exactly as when one of two such posts is
    closed (tests/integrations/test_vk.py::test_access_denied_on_one_post_does_not_stop_the_others: no error).
    Here the administrator's «Курсоры источников» shows after every run «ВКонтакте не дал прочитать комментарии ни
    одной записи сообщества (1) … Проверьте права токена на стену и комментарии» — a false alarm sending him to
    check a token that is fine (R-4 source health), and a run reported as failed though it read all there was."""
    with fake_vk.lock:
        fake_vk.comments = [c for c in fake_vk.comments if c["post_id"] == 102]  # 101 has no comments
    fake_vk.fail("wall.getComments", code=212)  # 102: comments closed by the community

    report = run_source(vk_source)

    cursor = Cursor.objects.get(source=vk_source)
    assert report.error == "" and cursor.last_error == "", (
        f"one post's closed comments told as the token's fault: report.error={report.error!r}, "
        f"last_error={cursor.last_error!r}"
    )
