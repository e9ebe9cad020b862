"""Found by a review (session 26), fixed since. R-4 (review 61, lead 2): a VK community source whose token may read the wall but not its comments — VK answers
error 15 («Access denied») to `wall.getComments` for every post — keeps reading «successfully»: each post is
skipped with an INFO line in the worker's log (`VKConnector._wall`, src/otklik/integrations/vk/connector.py:154,
`OBJECT_LEVEL`), the run reports no error, and `run_source` even clears the cursor's «последняя ошибка»
(src/otklik/intake/pipeline.py, the `else:` of the page loop). The administrator's list of sources
(«Курсоры источников», the only place a source's trouble is shown) says nothing; the curator's inbox simply gets
no comments from that community, and nobody learns that citizens' questions there are not being read.

Skipping one post whose comments are closed (212, or 15 for one post) is right
(tests/integrations/test_vk.py::test_access_denied_on_one_post_does_not_stop_the_others); every post refused is
the token's fault and must be told.
"""

from __future__ import annotations

import pytest

from otklik.intake.models import Cursor, Message, Source
from otklik.intake.pipeline import run_source
from tests.fakes.vk import FakeVK
from tests.integrations.conftest import fake_vk, vk_source  # noqa: F401  (the fixtures)

pytestmark = pytest.mark.django_db


def test_comments_refused_for_every_post_is_shown_on_the_source(vk_source: Source, fake_vk: FakeVK) -> None:  # noqa: F811
    Cursor.objects.create(source=vk_source, last_error="старая ошибка")  # shown before this run
    fake_vk.fail("wall.getComments", code=15, times=50)  # every post's comments: «Access denied»

    report = run_source(vk_source)

    assert fake_vk.calls("wall.getComments"), "the connector did ask for the comments"
    assert not Message.objects.filter(network="vk").exclude(post=None).exists()  # nothing read
    cursor = Cursor.objects.get(source=vk_source)
    said = f"{report.error} {cursor.last_error}"
    assert "нет доступа" in said, (
        "VK refused the comments of every post (error 15), yet the source shows no error: "
        f"report.error={report.error!r}, last_error={cursor.last_error!r}"
    )
