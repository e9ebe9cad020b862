"""Clause 7 audited at its edges: an interim answer that asks the author nothing (R-7.3: «в том числе» — it may, it
need not), and an author's comment written before the interim answer but read after it. Tuesday 05.11.2024 (the
day after the 4 November holiday): working hours 09:00–18:00, lunch 13:00–13:45. Times were counted by hand.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from otklik.cases import sla
from otklik.cases.models import Case, Deadline, Draft
from otklik.governor import actions, service
from otklik.governor.models import Comment
from tests.cases.helpers import violations
from tests.conftest import Personas, msk
from tests.governor.helpers import HEALTH_QUESTION, client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db

POST_AT = msk(2024, 11, 5, 10, 0)


def question(p: Personas, author: str = "201") -> tuple[Case, object]:
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    msg = comment(post, HEALTH_QUESTION, msk(2024, 11, 5, 10, 20), author=author)
    service.process_comments(now=msk(2024, 11, 5, 10, 25))
    case = Comment.objects.get(message=msg).case
    assert case is not None and case.assignments.get().body == p.health
    return case, post


def test_r7_3_the_answer_may_follow_an_interim_answer_without_the_authors_details(p: Personas) -> None:
    """R-7.3: Алексеева's interim answer at 10:45 says the clinic is being asked; it asks the author nothing. On
    Wednesday the clinic answers, and she gives the answer under the comment from the post's page: it is published
    and the question is answered, with no violation. Before, the question stayed «ждёт ответа автора» for ever: the
    page offered no answer form, and the answer was refused until the author wrote again."""
    case, post = question(p)
    actions.submit_answer(
        case,
        p.alice,
        "Здравствуйте! Запросили поликлинику, ответим в течение недели.",
        interim=True,
        now=msk(2024, 11, 5, 10, 40),
    )
    actions.confirm_publication(
        case, method="manual", url=f"{post.url}?reply=9", actor=p.alice, now=msk(2024, 11, 5, 10, 45)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR

    alice = client_for("alice")
    watch_url = reverse("governor:post", args=[post.watch.pk])
    page = alice.get(watch_url).content.decode()
    answer_url = reverse("governor:answer", args=[case.pk])
    assert f'action="{answer_url}"' in page
    interim = case.drafts.get()
    response = alice.post(
        answer_url,
        {
            "text": "Здравствуйте! Терапевт начнёт приём в поликлинике Гатчины 11 ноября.",
            "part": str(p.health.pk),
            "seen": str(interim.pk),
        },
        follow=True,
    )
    assert response.status_code == 200
    answer = case.drafts.get(kind=Draft.Kind.ANSWER)
    assert answer.state == Draft.State.APPROVED  # health needs no approval: ready to publish
    alice.post(
        reverse("governor:confirm", args=[case.pk]),
        {"url": f"{post.url}?reply=10", "part": str(p.health.pk)},
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert service.question_state(case, msk(2024, 11, 6, 12, 0)) == "answered"
    sla.sweep(now=msk(2024, 11, 7, 12, 0))
    assert violations(case) == []


def test_r7_3_a_comment_written_before_the_interim_answer_is_not_the_authors_details(p: Personas) -> None:
    """R-7.3: the interim answer asking for details is published through the API at 10:41. A comment the author
    wrote at 10:30 (another question), read only at 11:00, cannot answer it: it is triaged as a comment of its own,
    the question still waits, and no R-7.3 clock starts from 10:30. The author's details written at 11:10 are the
    clarification: the answer is due 2 working hours later, 13:55 (lunch skipped). Before, the 10:30 comment was
    taken for the details, and the answer was due at 12:30, from a time before the request was even published."""
    case, post = question(p)
    actions.submit_answer(
        case,
        p.alice,
        "Здравствуйте! Уточните, пожалуйста, какая поликлиника.",
        interim=True,
        now=msk(2024, 11, 5, 10, 40),
    )
    actions.confirm_publication(case, method="api", external_id="-1_1_r1", now=msk(2024, 11, 5, 10, 41))
    earlier = comment(
        post, "И в Луге тоже нет терапевта, когда будет?", msk(2024, 11, 5, 10, 30), author="201"
    )
    service.process_comments(now=msk(2024, 11, 5, 11, 0))

    assert Comment.objects.get(message=earlier).kind != Comment.Kind.CLARIFICATION
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    assert not Deadline.objects.filter(case=case, stage=Deadline.Stage.GOV_AFTER_REPLY).exists()

    details = comment(post, "Поликлиника № 2 на Соборной.", msk(2024, 11, 5, 11, 10), author="201")
    service.process_comments(now=msk(2024, 11, 5, 11, 15))
    assert Comment.objects.get(message=details).kind == Comment.Kind.CLARIFICATION
    d = Deadline.objects.get(case=case, stage=Deadline.Stage.GOV_AFTER_REPLY)
    assert (d.started_at, d.due_at, d.responsible) == (
        msk(2024, 11, 5, 11, 10),
        msk(2024, 11, 5, 13, 55),
        p.alice,
    )


def test_r7_3_details_written_before_a_second_bodys_interim_answer_restart_only_the_first_bodys_clock(
    p: Personas,
) -> None:
    """R-7.3 with two bodies on one question (Saturday 02.11.2024 is a working day): roads' interim answer is out at
    09:41, health's at 10:30; the author's comment written at 10:00 and read at 10:45 answers roads' request only.
    Roads' answer is due two working hours after it; health still waits for the author, with no clock running."""
    from tests.governor.test_join_flow import roads_question

    case, c = roads_question(p)
    actions.join_question(case, p.alice, p.health, now=msk(2024, 11, 2, 9, 30))
    actions.submit_answer(case, p.dave, "Уточните, какая улица?", interim=True, now=msk(2024, 11, 2, 9, 40))
    actions.confirm_publication(case, method="api", external_id="r1", now=msk(2024, 11, 2, 9, 41))
    actions.submit_answer(
        case, p.alice, "Уточните, какая поликлиника?", interim=True, now=msk(2024, 11, 2, 10, 29)
    )
    actions.confirm_publication(case, method="api", external_id="r2", now=msk(2024, 11, 2, 10, 30))

    comment(c.watch.post, "Улица Соборная, у дома 5.", msk(2024, 11, 2, 10, 0), reply_to=c.message)
    service.process_comments(now=msk(2024, 11, 2, 10, 45))

    restarted = Deadline.objects.filter(case=case, stage=Deadline.Stage.GOV_AFTER_REPLY)
    assert [(d.body, d.started_at) for d in restarted] == [(p.roads, msk(2024, 11, 2, 10, 0))]
    waiting = {a.body for a in actions.parts_of(case) if actions.part_phase(a) == Case.Status.AWAITING_AUTHOR}
    assert waiting == {p.health}
