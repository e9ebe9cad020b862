"""Found by a review (session 26), fixed since. R-7.2, R-12: a comment under the Governor's post that the community's moderator deleted in the network cannot be
answered: no reply can be published under it. The system knows this — such a question is not counted «Без органа»
(`service.unrouted_questions` leaves deleted comments out) — yet the post page still offers «Взять в работу» for it
and taking it opens a question with a 2-working-hour term: nobody can meet it, and at its due moment the violation is
recorded against the executor who took it."""

from __future__ import annotations

import pytest

from otklik.cases import sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Violation
from otklik.governor import service
from otklik.governor.models import Comment
from tests.conftest import Personas, msk
from tests.governor.helpers import client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db

QUESTION = "Когда в Сиверском откроют новую библиотеку?"  # no body is competent: it stays «Без органа»


def test_a_comment_deleted_by_the_moderator_is_not_taken_into_work(p: Personas) -> None:
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30))
    service.open_watches(now=msk(2024, 11, 1, 17, 31))
    msg = comment(post, QUESTION, msk(2024, 11, 5, 10, 0))
    service.process_comments(now=msk(2024, 11, 5, 10, 5))
    row = Comment.objects.get(message=msg)
    assert row.kind == Comment.Kind.QUESTION and row.case is None
    # the community's moderator removed it (VK names the group, not the author, as the deleter)
    msg.deleted_at = msk(2024, 11, 5, 10, 20)
    msg.deleted_by = "-1"
    msg.save(update_fields=["deleted_at", "deleted_by"])
    assert msg.deleted_by_other
    assert not service.unrouted_questions().filter(pk=row.pk).exists()  # the system knows nobody answers it

    page = client_for("alice").get(f"/governor/posts/{row.watch_id}/").content.decode()
    offered = f"/governor/comments/{row.pk}/take/" in page
    refused = False
    try:
        service.take_comment(row, p.alice, p.health, now=msk(2024, 11, 5, 10, 30))
    except ActionRefused:
        refused = True
    sla.sweep(now=msk(2024, 11, 5, 15, 0))
    charged = list(Violation.objects.values_list("person__username", flat=True))
    assert not offered and refused and not charged, (
        f"«Взять в работу» offered: {offered}; taken: {not refused}; violations: {charged}"
    )
