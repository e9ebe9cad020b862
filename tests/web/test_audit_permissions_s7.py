"""Permissions audit of the web views (R-4.2–4.3, R-6, R-7.1, R-10, R-12, R-13): a person of another body or of a
wrong role gets 403/404 or a refusal in Russian, and nothing changes. Data is built through the real actions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case, CaseEvent, Draft
from otklik.governor import service
from otklik.governor.models import Comment, GovernorSettings
from otklik.org.models import Absence, Competence, OfficialAccount, Person
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk
from tests.governor.helpers import (
    HEALTH_QUESTION,
    HEALTH_TOPIC,
    ROADS_TOPIC,
    answer_link,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db
ANSWER = "Здравствуйте, Ирина! Ремонт запланирован на июнь."
GOV_ANSWER = "Здравствуйте! Терапевт начнёт приём в Гатчине с 1 декабря, запись по телефону 122."
INSULT = "Глава района — мразь, когда в поликлинике появится терапевт?"


def login(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(Person.objects.get(username=username))
    return client


def governor_comments(p: Personas, *texts: str) -> tuple[int, list[Comment]]:
    """A Governor's post with these comments, triaged as the periodic run does (moderation, routing)."""
    competence(p.health, *HEALTH_TOPIC)
    competence(p.roads, *ROADS_TOPIC)
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30))
    service.open_watches(now=msk(2024, 11, 1, 17, 31))
    found = [
        comment(post, text, msk(2024, 11, 1, 17, 40 + i), author=str(101 + i)) for i, text in enumerate(texts)
    ]
    service.process_comments(now=msk(2024, 11, 1, 17, 50))
    return post.watch.pk, [Comment.objects.get(message=m) for m in found]


# ----------------------------------------------------------------------------------------------
def test_r10_a_comment_the_moderation_excluded_cannot_be_taken_into_work_by_posting_the_form(
    personas: Personas,
) -> None:
    """R-10, R-7.1: an insulting comment under the Governor's post is hidden on the post page and has no
    «Взять» button; an executor who posts the take form anyway (an old page, a typed request) is refused in
    Russian, and no question is opened on it."""
    p = personas
    watch_pk, (insult,) = governor_comments(p, INSULT)
    assert insult.kind == Comment.Kind.BLOCKED
    take = reverse("governor:take", args=[insult.pk])
    page = login("alice").get(reverse("governor:post", args=[watch_pk])).content.decode()
    assert take not in page and "скрыто модерацией (п. 10)" in page
    alice = login("alice")
    response = alice.post(take, {"body": p.health.pk}, follow=True)
    assert response.status_code == 200
    assert "исключён модерацией" in response.content.decode()
    insult.refresh_from_db()
    assert insult.case is None and insult.kind == Comment.Kind.BLOCKED
    assert not Case.objects.filter(origin=Case.Origin.GOVERNOR_POST).exists()


# ----------------------------------------------------------------------------------------------
def test_r7_1_only_the_bodys_own_head_approves_its_governor_answer(personas: Personas) -> None:
    """R-7.1: with approval switched on, the health executor's answer waits for the health head. The executor
    herself, an executor and the head of another body, the curator and the observer posting the approval are
    refused; the answer is still waiting and nothing was published. Then the health head approves it."""
    p = personas
    GovernorSettings.objects.create(body=p.health, require_approval=True)
    _, (question,) = governor_comments(p, HEALTH_QUESTION)
    case = question.case
    assert case is not None and case.assignments.get().body == p.health
    login("alice").post(reverse("governor:answer", args=[case.pk]), {"text": GOV_ANSWER})
    draft = case.drafts.get()
    assert draft.state == Draft.State.SUBMITTED
    review = reverse("governor:review", args=[case.pk])
    for who in ("alice", "dave", "roads_head", "curator", "observer"):
        login(who).post(review, {"decision": "approve"})
        login(who).post(review, {"decision": "return", "comment": "Переделайте"})
        login(who).post(review, {"decision": "approve", "part": p.health.pk})
        draft.refresh_from_db()
        assert draft.state == Draft.State.SUBMITTED, who
        assert not case.publications.exists(), who
    login("health_head").post(review, {"decision": "return", "comment": "Добавьте адрес поликлиники."})
    draft.refresh_from_db()
    assert draft.state == Draft.State.RETURNED


def test_r4_3_observer_and_curator_cannot_act_on_a_governor_question(personas: Personas) -> None:
    """R-7.1, R-4.3: the bodies answer the Governor's comments themselves; the observer (reads only) and the
    curator (no body) posting the answer, take, join, hand-over or publication forms change nothing."""
    p = personas
    _, (question,) = governor_comments(p, HEALTH_QUESTION)
    case = question.case
    assert case is not None
    case.refresh_from_db()
    before = (
        case.status,
        case.version,
        case.drafts.count(),
        list(case.assignments.values_list("body_id", "state")),
    )
    for who in ("observer", "curator"):
        client = login(who)
        client.post(reverse("governor:answer", args=[case.pk]), {"text": GOV_ANSWER})
        client.post(reverse("governor:take", args=[question.pk]), {"body": p.roads.pk})
        client.post(reverse("governor:join", args=[case.pk]), {"body": p.roads.pk, "reason": "и наше"})
        client.post(reverse("governor:handover", args=[case.pk]), {"body": p.roads.pk, "reason": "не наше"})
        client.post(reverse("governor:confirm", args=[case.pk]), {"url": answer_link(case, 9)})
        case.refresh_from_db()
        after = (
            case.status,
            case.version,
            case.drafts.count(),
            list(case.assignments.values_list("body_id", "state")),
        )
        assert after == before, who


# ----------------------------------------------------------------------------------------------
def test_r4_2_an_executor_cannot_refuse_or_revise_for_the_other_body_of_a_shared_case(
    personas: Personas,
) -> None:
    """R-8.9, R-4.2: a case sent to health and roads. Dave (roads) sees it, but posting health's refusal or the
    revision of health's returned answer is refused; health's assignment and draft stay as they were."""
    p = personas
    case = dispatch(
        p.curator, p.health, p.roads, at=msk(2025, 4, 28, 9, 0), multi_mode=Case.MultiMode.COMMON_BY_CURATOR
    )
    health = case.assignments.get(body=p.health)
    dave = login("dave")
    assert dave.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    case.refresh_from_db()
    dave.post(
        reverse("cases:reject", args=[case.pk, health.pk]), {"reason": "не наше", "version": case.version}
    )
    health.refresh_from_db()
    assert health.state == health.State.ACTIVE and health.rejected_at is None
    assert not CaseEvent.objects.filter(case=case, action="reject_assignment").exists()


# ----------------------------------------------------------------------------------------------
def test_r12_r13_reports_and_their_files_are_for_the_readers_only(personas: Personas) -> None:
    """R-13, R-12: the monthly report, the violations report and the rating, on the page and as XLSX, PDF and
    JSON, are the observers', curators' and administrators'; an executor gets 403, a body's head too but for the
    rating (`tests/reports/test_rating_heads_s12.py`)."""
    for who in ("alice", "health_head", "dave"):
        client = login(who)
        for page in ("reports:monthly", "reports:violations", "reports:rating"):
            for fmt in ("", "xlsx", "pdf", "json"):
                url = reverse(page) + (f"?format={fmt}" if fmt else "")
                allowed = who == "health_head" and page == "reports:rating"
                assert client.get(url).status_code == (200 if allowed else 403), (who, url)
    observer = login("observer")
    assert observer.get(reverse("reports:monthly") + "?format=json").status_code == 200


def test_r12_a_persons_record_is_their_own_their_heads_and_the_readers(personas: Personas) -> None:
    """R-12: a person's record of missed deadlines is open to the person, the head of their body and the
    readers of reports; a colleague, an executor and the head of another body get 403."""
    p = personas
    record = reverse("reports:person_record", args=[p.alice.pk])
    for who, status in [
        ("alice", 200),
        ("health_head", 200),
        ("observer", 200),
        ("curator", 200),
        ("bob", 403),
        ("dave", 403),
        ("roads_head", 403),
    ]:
        assert login(who).get(record).status_code == status, who
    assert login("health_head").get(reverse("reports:person_record", args=[p.dave.pk])).status_code == 403
    assert login("roads_head").get(reverse("reports:dashboard")).status_code == 200
    assert login("dave").get(reverse("reports:dashboard")).status_code == 403


# ----------------------------------------------------------------------------------------------
def test_r6_directory_changes_outside_ones_reach_are_refused(personas: Personas) -> None:
    """R-6, R-5: an executor cannot change another body's absence, competences or accounts; a head cannot record
    an absence for a person of another body. Everything stays as it was."""
    p = personas
    absence = Absence.objects.create(
        person=p.dave,
        reason=Absence.Reason.VACATION,
        starts_at=msk(2030, 1, 9, 9, 0),
        ends_at=msk(2030, 1, 15, 18, 0),
    )
    form = {
        "person": p.dave.pk,
        "reason": Absence.Reason.VACATION,
        "starts_at": "2030-02-01T09:00",
        "ends_at": "2030-02-05T18:00",
        "substitute": "",
        "comment": "",
    }
    alice = login("alice")
    assert alice.get(reverse("absence_edit", args=[absence.pk])).status_code == 404
    assert alice.post(reverse("absence_edit", args=[absence.pk]), form).status_code == 404
    head = login("health_head")
    assert head.post(reverse("absence_edit", args=[absence.pk]), form).status_code == 404
    refused = head.post(reverse("absence_create"), form)
    assert refused.status_code == 200 and "errorlist" in refused.content.decode()
    assert list(Absence.objects.values_list("person_id", "starts_at")) == [(p.dave.pk, absence.starts_at)]

    competence(p.roads, *ROADS_TOPIC)
    rule = Competence.objects.get()
    account = OfficialAccount.objects.create(
        body=p.roads, network="vk", title="Дороги Ленобласти", url="https://vk.com/roads_demo"
    )
    assert alice.post(reverse("competence_delete", args=[rule.pk])).status_code == 403
    edited = {
        "body": p.health.pk,
        "network": "vk",
        "title": "Взлом",
        "url": "https://vk.com/x",
        "is_active": "on",
    }
    assert alice.post(reverse("account_edit", args=[account.pk]), edited).status_code == 403
    assert Competence.objects.filter(pk=rule.pk).exists()
    account.refresh_from_db()
    assert (account.body, account.title) == (p.roads, "Дороги Ленобласти")


# ----------------------------------------------------------------------------------------------
def test_r14_only_a_curator_marks_a_case_significant(personas: Personas) -> None:
    """R-14: marking a case as socially significant (an alert to the Governor's office) is the curator's; an
    executor of the case's body and the observer get 403 and no alert is raised."""
    from otklik.notify.models import Alert

    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
    for who in ("alice", "health_head", "observer"):
        response = login(who).post(reverse("notify:significant"), {"case": str(case.pk), "note": "важно"})
        assert response.status_code == 403, who
    assert not Alert.objects.exists()
