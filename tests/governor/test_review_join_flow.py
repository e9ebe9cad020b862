"""Review of several bodies on one question under a Governor's post (R-7.2, R-7.3, R-13): what the other parts
of the system read from a question two bodies answer. The clock and data are those of
tests/governor/test_join_flow.py: the post comes out on Friday 01.11.2024 at 17:30, the first window ends on
Saturday 02.11.2024 (a working day) at 11:00."""

from __future__ import annotations

import pytest

from otklik.cases.models import Case, Deadline
from otklik.governor import actions, service
from otklik.governor.models import Comment
from otklik.reports import monthly, periods
from tests.conftest import Personas, msk
from tests.governor.helpers import answer_link, comment
from tests.governor.test_join_flow import roads_question

pytestmark = pytest.mark.django_db


def test_returns_per_draft_count_the_interim_and_the_final_answer_of_each_body_as_two_drafts(
    p: Personas,
) -> None:
    """R-13 (returns per draft: "the interim answer and the final answer are two drafts"; a revision of a
    returned one is not a new draft): roads asks the author for details and then answers; health, joined,
    has its answer returned once and sends it again."""
    case, c = roads_question(p)
    actions.set_require_approval(p.health, p.health_head, True)
    actions.join_question(case, p.alice, p.health, now=msk(2024, 11, 2, 9, 30))

    actions.submit_answer(case, p.dave, "Уточните, какая улица?", interim=True, now=msk(2024, 11, 2, 9, 40))
    actions.confirm_publication(
        case, method="api", external_id="r1", actor=p.dave, now=msk(2024, 11, 2, 9, 41)
    )
    comment(c.watch.post, "Улица Соборная, у дома 5.", msk(2024, 11, 2, 10, 0), reply_to=c.message)
    service.process_comments(now=msk(2024, 11, 2, 10, 5))
    actions.submit_answer(case, p.dave, "Соборную отремонтируют в мае.", now=msk(2024, 11, 2, 10, 30))
    actions.confirm_publication(
        case, method="api", external_id="r2", actor=p.dave, now=msk(2024, 11, 2, 10, 31)
    )

    actions.submit_answer(case, p.alice, "Терапевт будет.", now=msk(2024, 11, 2, 9, 50))
    actions.return_answer(case, p.health_head, "Назовите дату.", now=msk(2024, 11, 2, 9, 55))
    actions.submit_answer(case, p.alice, "Терапевт принимает с 11 ноября.", now=msk(2024, 11, 2, 10, 0))
    actions.approve_answer(case, p.health_head, now=msk(2024, 11, 2, 10, 5))
    actions.confirm_publication(
        case, method="api", external_id="h1", actor=p.alice, now=msk(2024, 11, 2, 10, 6)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED

    rows = {r["body"]: r for r in monthly.build(periods.month(2024, 11))["quality"]["rows"]}
    assert (rows["Дороги"]["drafts"], rows["Дороги"]["returns"]) == (2, 0)
    assert (rows["Здравоохранение"]["drafts"], rows["Здравоохранение"]["returns"]) == (1, 1)
    assert rows["Здравоохранение"]["returns_per_draft"] == 1.0
    # every draft of the question has its own number, whichever body wrote it
    assert sorted(case.drafts.values_list("version", flat=True)) == [1, 2, 3, 4]


def test_the_authors_details_taken_for_one_body_also_reach_the_body_whose_interim_was_posted_by_hand(
    p: Personas,
) -> None:
    """R-7.3 with two bodies: health's interim answer (published through the API) waits for the author; roads
    wrote its own interim answer and posted it by hand. The author's details come before roads confirms the
    link and restart health's clock; when roads confirms, they restart roads' clock too (2 working hours from
    the details), instead of roads waiting for details that already came."""
    case, c = roads_question(p)
    actions.join_question(case, p.alice, p.health, now=msk(2024, 11, 2, 9, 30))
    actions.submit_answer(
        case, p.alice, "Уточните, какая поликлиника?", interim=True, now=msk(2024, 11, 2, 9, 35)
    )
    actions.confirm_publication(
        case, method="api", external_id="h1", actor=p.alice, now=msk(2024, 11, 2, 9, 36)
    )
    actions.submit_answer(case, p.dave, "Уточните, какая улица?", interim=True, now=msk(2024, 11, 2, 9, 45))

    reply = comment(
        c.watch.post, "Поликлиника № 2, улица Соборная.", msk(2024, 11, 2, 10, 0), reply_to=c.message
    )
    service.process_comments(now=msk(2024, 11, 2, 10, 5))
    assert (Comment.objects.get(message=reply).kind, Comment.objects.get(message=reply).case_id) == (
        Comment.Kind.CLARIFICATION,
        case.pk,
    )
    actions.confirm_publication(
        case,
        method="manual",
        url=answer_link(case, 9),
        actor=p.dave,
        now=msk(2024, 11, 2, 10, 20),
    )

    after = {
        d.body: (d.started_at, d.due_at)
        for d in Deadline.objects.filter(case=case, stage="gov_after_reply", met_at__isnull=True)
    }
    assert after == {
        p.health: (msk(2024, 11, 2, 10, 0), msk(2024, 11, 2, 12, 0)),
        p.roads: (msk(2024, 11, 2, 10, 0), msk(2024, 11, 2, 12, 0)),
    }
    roads = next(a for a in actions.parts_of(case) if a.body == p.roads)
    assert service.part_state(case, roads, msk(2024, 11, 2, 10, 21)) == "interim"
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    # roads can answer now
    actions.submit_answer(case, p.dave, "Соборную отремонтируют в мае.", now=msk(2024, 11, 2, 10, 30))


def test_a_body_whose_part_is_published_no_longer_has_the_question_open_on_the_dashboards(
    p: Personas,
) -> None:
    """R-13 dashboards with two bodies on one question: once health's answer is published while roads still
    drafts, health's head no longer sees the question among the body's open cases, and the curator's overview
    counts it open for roads only."""
    from otklik.reports import dashboard

    case, _c = roads_question(p)
    actions.join_question(case, p.alice, p.health, now=msk(2024, 11, 2, 9, 30))
    now = msk(2024, 11, 2, 9, 45)
    assert [r["case"].pk for r in dashboard.body_cases({p.health.pk}, now)] == [case.pk]
    actions.submit_answer(case, p.alice, "Терапевт принимает с 11 ноября.", now=msk(2024, 11, 2, 9, 50))
    actions.confirm_publication(
        case, method="api", external_id="h1", actor=p.alice, now=msk(2024, 11, 2, 9, 51)
    )
    now = msk(2024, 11, 2, 10, 0)
    assert dashboard.body_cases({p.health.pk}, now) == []
    assert [r["case"].pk for r in dashboard.body_cases({p.roads.pk}, now)] == [case.pk]
    by_body = {r["body"]: r["open"] for r in dashboard.overview(now)["by_body"]}
    assert by_body.get("Дороги") == 1
    assert not by_body.get("Здравоохранение")
