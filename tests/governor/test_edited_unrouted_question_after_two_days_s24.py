"""Found by a review (session 24), fixed since. R-7.2, R-7.4: a question asked within the post's two days that no body has («Без органа») must stay a question
«Без органа» when its author later fixes a typo in it after the two days.

Scenario: the Governor's post comes out on Tuesday 05.11.2024 at 10:00 (first two working hours until 12:00, the
last of its eight checks on Thursday 07.11 at 11:30). At 10:30 a resident asks «Когда в Сиверском откроют новую
библиотеку?» — no body is competent, so the question is kept «Без органа» and counted where the bodies and the
curators look. On Friday 08.11 at 10:00 the author fixes the wording («Когда в Сиверском откроют новую
библиотеку?? Очень ждём»).

Now: the next run of the checks triages the comment again as if the question appeared at the edit: it becomes
«вопрос после двух суток наблюдения (п. 7.4), без срока» and vanishes from the office's «Без органа» figure, so
nobody is any longer asked to route a question the resident asked within the two days.

Should be: an edit of a comment that was already a question does not make the question new (docs/decisions/0002:
«What counts is when the question appeared: an edit that makes a comment a question appears at the edit»): it stays
a question «Без органа», counted until a body takes it or a curator routes or dismisses it.
"""

from __future__ import annotations

import pytest

from otklik.governor import service
from otklik.governor.models import Comment
from otklik.intake.models import Message
from tests.conftest import Personas, msk
from tests.governor.helpers import client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db

QUESTION = "Когда в Сиверском откроют новую библиотеку?"


def test_r7_4_an_unrouted_question_edited_after_the_two_days_stays_without_a_body(personas: Personas) -> None:
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    assert post.watch.span_end() == msk(2024, 11, 7, 11, 30)
    msg = comment(post, QUESTION, msk(2024, 11, 5, 10, 30), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 35))
    row = Comment.objects.get(message=msg)
    assert (row.kind, row.case, row.body) == (Comment.Kind.QUESTION, None, None)
    assert list(service.unrouted_questions()) == [row]

    # Friday 08.11 10:00: the author fixes the wording of the same question
    Message.objects.filter(pk=msg.pk).update(text=QUESTION + "? Очень ждём")
    service.process_comments(now=msk(2024, 11, 8, 10, 5))

    row.refresh_from_db()
    assert row.kind == Comment.Kind.QUESTION, row.reason
    assert list(service.unrouted_questions()) == [row]
    page = client_for("curator").get(f"/governor/posts/{post.watch.pk}/").content.decode()
    assert "вопрос после двух суток наблюдения" not in page
