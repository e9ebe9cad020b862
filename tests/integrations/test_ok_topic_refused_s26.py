"""Found by a review (session 26), fixed since. R-4 (every message read, none skipped) and the source's cursor telling the administrator why it is not read: an
OK discussion Odnoklassniki refuses must not look like a quiet one."""

from __future__ import annotations

import pytest

from otklik.intake.models import Cursor, Message, Source
from otklik.intake.pipeline import run_source
from tests.fakes.ok import FakeOK
from tests.integrations.conftest import fake_ok, ok_source  # noqa: F401 - loopback fake OK API

pytestmark = pytest.mark.django_db

TOPIC = "155512345678901"


@pytest.mark.parametrize(
    ("code", "msg"),
    [(10, "PERMISSION_DENIED : access to the group's discussions not granted"), (106, "INVALID_ENTITY_ID")],
)
def test_ok_discussion_that_cannot_be_read_is_told_to_the_administrator(
    ok_source: Source,  # noqa: F811
    fake_ok: FakeOK,  # noqa: F811
    code: int,
    msg: str,
) -> None:
    """The administrator connects the OK group «Дороги ЛО» with a token that lacks the group-content permission
    (error 10, «нет прав на это действие»), or with the discussion's id mistyped (error 106, «неверный id
    объекта»). Every read is refused, yet the source's cursor shows no error at all (`run_source` even clears any
    earlier one as «read to the end»): the administrator sees a healthy, quiet source, and the citizens' comments
    in that discussion are never read (R-4). The words for people for both codes exist in `ok/client.py` but are
    never shown."""
    fake_ok.fail("discussions.getComments", times=5, code=code, msg=msg)
    report = run_source(ok_source)
    assert not Message.objects.exists()
    shown = Cursor.objects.get(source=ok_source).last_error
    assert report.error and shown, "OK refused to read the discussion, but the source shows no error"
    assert f"Одноклассники не дают читать обсуждения {TOPIC}" in shown, shown
    assert "проверьте права токена и id обсуждений" in shown
