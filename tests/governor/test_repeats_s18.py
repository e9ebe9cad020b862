# ruff: noqa: F811 (the fixtures of tests/governor/conftest.py are imported by name and taken as arguments)
"""R-7.2: the same resident's question sent twice under the Governor's post is one question. A VK comment sent twice
is common: the form is submitted again when the page hangs, or the resident, seeing no answer, writes the same
words again a few minutes later. The copy is shown among the post's comments as «повтор вопроса того же автора»
with the first question's number, and gets no case and no term of its own; the same words written again after
the answer ask again and are a question of their own (R-8.10). Tuesday 05.11.2024, the post at 10:00. Found by a
review (session 18)."""

from __future__ import annotations

import pytest

from otklik.cases import sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case, Notification, Violation
from otklik.governor import actions, service
from otklik.governor.models import Comment
from tests.cases.helpers import violations
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401 (the Governor's tests' own fixture)
from tests.governor.helpers import HEALTH_QUESTION, client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def test_r7_2_the_same_question_sent_twice_by_one_author_is_one_question(p: Personas) -> None:
    """Житель 301 sends «Когда в поликлинике Гатчины появится терапевт?…» at 10:20 and the very same text again at
    10:21. The health committee gets one question; Алексеева answers it under the comment at 11:00, and at 12:30
    no question is open and nobody has a violation."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    first = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    copy = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 21), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=first).case
    assert case is not None
    actions.submit_answer(
        case, p.alice, "Здравствуйте! Терапевт начнёт приём 11 ноября.", now=msk(2024, 11, 5, 11, 0)
    )
    actions.confirm_publication(
        case, method="manual", url=f"{post.url}?reply=900", actor=p.alice, now=msk(2024, 11, 5, 11, 0)
    )

    sla.sweep(now=msk(2024, 11, 5, 12, 30))

    repeated = Comment.objects.get(message=copy)
    open_cases = Case.objects.filter(origin=Case.Origin.GOVERNOR_POST, status__in=Case.OPEN_STATUSES)
    assert repeated.case is None, (
        f"the copy is case № {repeated.case.pk} ({repeated.case.get_status_display()}), violations "
        f"{violations(repeated.case)}; open questions: {open_cases.count()}"
    )
    assert repeated.kind == Comment.Kind.REPEAT and f"вопрос № {case.pk}" in repeated.reason
    assert not open_cases.exists() and not Violation.objects.exists()
    assert Case.objects.filter(origin=Case.Origin.GOVERNOR_POST).count() == 1
    page = client_for("alice").get(f"/governor/posts/{post.watch.pk}/").content.decode()
    assert (
        "повтор вопроса того же автора" in page
        and "повтор комментария того же автора от 05.11.2024 10:20" in page
    )


def test_r7_2_the_same_words_after_the_answer_are_a_question_again(p: Personas) -> None:
    """The first question is answered at 11:00; at 11:30 the same resident writes the same words again: he asks
    again (a repeat, R-8.10), and the health committee gets it as a question with its term."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    first = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=first).case
    assert case is not None
    actions.submit_answer(
        case, p.alice, "Здравствуйте! Терапевт начнёт приём 11 ноября.", now=msk(2024, 11, 5, 11, 0)
    )
    actions.confirm_publication(
        case, method="manual", url=f"{post.url}?reply=900", actor=p.alice, now=msk(2024, 11, 5, 11, 0)
    )
    again = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 11, 30), author="301")
    service.process_comments(now=msk(2024, 11, 5, 11, 35))

    asked = Comment.objects.get(message=again)
    assert asked.kind == Comment.Kind.QUESTION and asked.case not in (None, case)


def test_r7_2_the_bodys_head_ends_a_reworded_copy_with_no_answer_needed(p: Personas) -> None:
    """Житель 301 asks at 10:20 and at 10:22 asks the same in other words; both reach the health committee.
    Яковлева, its head, ends the second at 10:50 «повтор комментария от 10:20» on the post page: the question is
    closed, its card says «Ответ не нужен: повтор комментария от 10:20 (ответственный органа …)», Алексеева is
    told, and the answer to the first alone leaves no violation at 12:30. An executor cannot end a question."""
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    first = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author="301")
    reworded = comment(
        post,
        "Подскажите, когда же в Гатчинской поликлинике будет терапевт?",
        msk(2024, 11, 5, 10, 22),
        author="301",
    )
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=first).case
    copy = Comment.objects.get(message=reworded).case
    assert case is not None and copy is not None and copy != case

    refused = client_for("alice").post(
        f"/governor/questions/{copy.pk}/not-needed/", {"reason": "повтор"}, follow=True
    )
    assert any("ответственный органа" in str(m) for m in refused.context["messages"])
    with pytest.raises(ActionRefused, match="ответственный органа"):
        actions.end_question(copy, p.roads_head, "повтор", now=msk(2024, 11, 5, 10, 45))
    actions.end_question(copy, p.health_head, "повтор комментария от 10:20", now=msk(2024, 11, 5, 10, 50))
    copy.refresh_from_db()
    assert copy.status == Case.Status.CLOSED
    assert Notification.objects.filter(recipient=p.alice, case=copy, kind=Notification.Kind.CLOSED).exists()
    page = client_for("health_head").get(f"/governor/posts/{post.watch.pk}/").content.decode()
    assert "Ответ не нужен</strong>: повтор комментария от 10:20 (ответственный органа" in page
    assert "ответ не нужен</span>" in page  # the question's state

    actions.submit_answer(
        case, p.alice, "Здравствуйте! Терапевт начнёт приём 11 ноября.", now=msk(2024, 11, 5, 11, 0)
    )
    actions.confirm_publication(
        case, method="manual", url=f"{post.url}?reply=900", actor=p.alice, now=msk(2024, 11, 5, 11, 0)
    )
    sla.sweep(now=msk(2024, 11, 5, 12, 30))
    assert not Violation.objects.exists()
