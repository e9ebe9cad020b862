# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""R-7.1–R-7.3: a resident's question under the Governor's post is not lost or left with nobody. Found by a third
review of the day's Governor's-post changes (session 18): a copy of a question with no body was kept «повтор» and
lost once the first was deleted; the second part of the author's details with a «?» became a separate question and
the address never reached the executor. Decisions: docs/decisions/0002-governor-posts.md."""

from __future__ import annotations

import pytest

from otklik.governor import actions, service
from otklik.governor.models import Comment
from otklik.intake.models import DeletedHow
from otklik.intake.pipeline import mark_deleted
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import HEALTH_QUESTION, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db

# no body of the personas has a competence for it (as tests/governor/test_unrouted_s12.py)
NOBODYS_QUESTION = "Когда в Сиверском откроют новую библиотеку?"


def test_a_repeat_of_a_question_with_no_body_is_still_somebodys_once_the_author_deletes_the_first(
    p: Personas,
) -> None:
    """Житель 301 asks at 10:20 a question no body is competent for (kept «Без органа»), sends the same words again
    at 10:21, then deletes the first at 10:30. The copy is a question «Без органа» of its own and stays where the
    office looks. Before, it was kept «повтор» with no case, and once the first was deleted nobody saw it."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    first = comment(post, NOBODYS_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 21))
    again = comment(post, NOBODYS_QUESTION, msk(2024, 11, 5, 10, 21), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 22))
    assert Comment.objects.get(message=first).kind == Comment.Kind.QUESTION
    assert Comment.objects.get(message=first).case is None
    # a copy of a question with no body is a question «Без органа» too (docs/decisions/0002)
    assert Comment.objects.get(message=again).kind == Comment.Kind.QUESTION
    assert service.unrouted_questions().filter(message=again).exists()
    mark_deleted(
        "vk",
        [first.external_id],
        DeletedHow.EVENT,
        by={first.external_id: "301"},
        at=msk(2024, 11, 5, 10, 30),
    )
    service.run_checks(now=msk(2024, 11, 5, 10, 35), fetch=False)

    live = Comment.objects.get(message=again)
    assert live.case is not None or service.unrouted_questions().filter(pk=live.pk).exists(), (
        f"the live copy is «{live.get_kind_display()}» ({live.reason}): no case and not counted «Без органа»"
    )


def _interim_asked(p: Personas):  # type: ignore[no-untyped-def]
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=question).case
    actions.submit_answer(
        case,
        p.alice,
        "Здравствуйте! Уточните, пожалуйста, какая поликлиника и какой адрес?",
        interim=True,
        now=msk(2024, 11, 5, 10, 40),
    )
    actions.confirm_publication(case, method="api", external_id="-1_1_r1", now=msk(2024, 11, 5, 10, 41))
    return post, question, case


def test_the_address_sent_as_the_second_part_of_the_details_with_a_question_mark_reaches_the_executor(
    p: Personas,
) -> None:
    """Asked «какая поликлиника и какой адрес?», the author answers «Поликлиника № 2.» at 11:10 and «Адрес:
    Гатчина, Соборная, 5. Этого достаточно?» at 11:12. The «?» makes the second part a question of its own
    (`service._analyse`: `details_continue` is skipped for any `questions.detect` question), so the address never
    reaches the question's card: Алексеева answers without it."""
    post, question, case = _interim_asked(p)
    comment(post, "Поликлиника № 2.", msk(2024, 11, 5, 11, 10), author="301", reply_to=question)
    second = comment(
        post,
        "Адрес: Гатчина, Соборная, 5. Этого достаточно?",
        msk(2024, 11, 5, 11, 12),
        author="301",
        reply_to=question,
    )
    service.process_comments(now=msk(2024, 11, 5, 11, 15))
    row = Comment.objects.get(message=second)
    assert row.case_id == case.pk, (
        f"the address is «{row.get_kind_display()}» ({row.reason}), case {row.case_id}, not in question {case.pk}"
    )
