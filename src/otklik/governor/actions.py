"""Every state change of a question under a Governor's post (clause 7, R-7.1 … R-7.3).

The question is a `cases.Case` with `origin="governor_post"`: no curator step (R-7.1). One function per
transition, atomic, guarded by `TRANSITIONS`, writing a `CaseEvent` and opening/closing `cases.Deadline`s
through `cases.sla`, so violations (R-12) and reports treat them exactly like clause 8, tagged R-7.

Lifecycle: `open_question` (DRAFTING, `gov_answer` deadline) → `submit_answer` (answer or interim; REVIEW when
the body requires approval, else PUBLISHING) → `approve_answer` / `return_answer` → `confirm_publication`
(answer: CLOSED; interim: AWAITING_AUTHOR) → `register_clarification` (DRAFTING, `gov_after_reply` deadline,
R-7.3) → … `take_question` / `hand_over` move the question between bodies with a record.

Every function takes `now=` so tests drive the workflow on a controlled clock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from django.db import transaction

from otklik.cases.actions import (
    ActionRefused,
    _now,
    body_ids_of,
    check_publication_link,
    default_executor,
    lock_case,
    move_case,
)
from otklik.cases.models import (
    Assignment,
    Case,
    CaseEvent,
    CaseMessage,
    Deadline,
    Draft,
    Notification,
    Publication,
    Review,
)
from otklik.cases.notify import notify
from otklik.cases.sla import finish_deadlines, open_deadline, open_deadlines
from otklik.intake.models import Message
from otklik.org.duty import on_duty
from otklik.org.models import Body, Person, Role

from .models import Comment, GovernorSettings

S = Case.Status
Stage = Deadline.Stage
A = Assignment.State
GOV_STAGES = (Stage.GOV_ANSWER, Stage.GOV_AFTER_REPLY)

TRANSITIONS: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    "gov_submit": (frozenset({S.DRAFTING, S.REVISION}), frozenset({S.REVIEW, S.PUBLISHING})),
    "gov_approve": (frozenset({S.REVIEW}), frozenset({S.PUBLISHING})),
    "gov_return": (frozenset({S.REVIEW}), frozenset({S.REVISION})),
    "gov_publish": (frozenset({S.PUBLISHING}), frozenset({S.CLOSED, S.AWAITING_AUTHOR})),
    "gov_clarification": (frozenset({S.AWAITING_AUTHOR}), frozenset({S.DRAFTING})),
    "gov_take": (frozenset({S.DRAFTING, S.REVISION}), frozenset({S.DRAFTING})),
    "gov_handover": (frozenset({S.DRAFTING, S.REVISION}), frozenset({S.DRAFTING})),
}
REFUSALS: Final[dict[str, str]] = {
    "gov_submit": "Ответ можно направить, пока вопрос в работе органа.",
    "gov_approve": "Согласовать можно только ответ, ожидающий согласования.",
    "gov_return": "Вернуть можно только ответ, ожидающий согласования.",
    "gov_publish": "Подтвердить публикацию можно только для согласованного ответа.",
    "gov_clarification": "Уточнение автора ждём только после промежуточного ответа.",
    "gov_take": "Взять вопрос можно, пока на него не ответили.",
    "gov_handover": "Передать вопрос можно, пока на него не ответили.",
}
LABELS: Final[dict[str, str]] = {
    "gov_open": "вопрос под постом Губернатора направлен органу (R-7.1)",
    "gov_submit": "ответ направлен",
    "gov_approve": "ответ согласован ответственным органа",
    "gov_return": "ответ возвращён ответственным органа",
    "gov_publish": "ответ опубликован",
    "gov_clarification": "получено уточнение автора (R-7.3)",
    "gov_take": "вопрос взят органом",
    "gov_handover": "вопрос передан другому органу",
}
CaseEvent.LABELS.update(LABELS)


STALE = "Вопрос уже изменил другой сотрудник. Обновите страницу."


def requires_approval(body: Body) -> bool:
    """R-7.1: the body's own setting; no curator is involved either way."""
    return GovernorSettings.objects.filter(body=body, require_approval=True).exists()


def is_responsible(person: Person, body: Body) -> bool:
    return body.pk in person.responsible_body_ids()


@transaction.atomic
def set_require_approval(body: Body, actor: Person, value: bool) -> GovernorSettings:
    """R-7.1: only the body's responsible official decides whether its executors' answers need approval."""
    if not is_responsible(actor, body):
        raise ActionRefused("Согласование ответов включает ответственный органа.", "forbidden")
    row, _ = GovernorSettings.objects.update_or_create(
        body=body, defaults={"require_approval": value, "updated_by": actor}
    )
    return row


def _owner_of(body: Body) -> Person:
    """Who stands for the body as the case's `dispatched_by` (R-7.1: the body itself, not the curator)."""
    person = (
        Person.objects.filter(roles__kind=Role.Kind.RESPONSIBLE, roles__body=body, is_active=True)
        .order_by("last_name", "pk")
        .first()
    ) or default_executor(body)
    if person is None:
        person = Person.objects.filter(roles__kind=Role.Kind.CURATOR, is_active=True).order_by("pk").first()
    if person is None:
        raise ActionRefused(f"В органе «{body}» нет сотрудников: вопрос некому направить.", "no_people")
    return person


def _lock(case: Case, action: str, expected_version: int | None) -> Case:
    return lock_case(
        case,
        action,
        expected_version,
        origin=Case.Origin.GOVERNOR_POST,
        transitions=TRANSITIONS,
        refusals=REFUSALS,
        wrong_origin="Это не вопрос под постом Губернатора.",
        stale=STALE,
    )


def _move(case: Case, action: str, to: str, actor: Person | None, now: datetime, reason: str = "") -> None:
    move_case(case, action, to, actor, now, reason, transitions=TRANSITIONS, stale=STALE)


def live_assignment(case: Case) -> Assignment:
    a = (
        case.assignments.exclude(state__in=Assignment.GONE)
        .select_related("body", "executor")
        .order_by("-id")
        .first()
    )
    if a is None:
        raise ActionRefused("У вопроса нет органа-исполнителя.", "no_body")
    return a


def _start(
    case: Case, body: Body, now: datetime, executor: Person | None
) -> tuple[Assignment, Person | None]:
    intended = executor or default_executor(body)
    actual = intended
    note = ""
    if intended is not None:
        duty = on_duty(intended, now, body_id=body.pk)
        actual, note = duty.person, duty.explanation
    a = Assignment.objects.create(
        case=case,
        body=body,
        state=A.ACTIVE,
        intended_executor=intended,
        executor=actual,
        duty_note=note[:500],
        received_at=now,
    )
    return a, actual


# ---------------------------------------------------------------------------------------------- R-7.1/7.2
@transaction.atomic
def open_question(
    message: Message,
    body: Body,
    *,
    started_at: datetime,
    now: datetime | None = None,
    actor: Person | None = None,
    reason: str = "",
) -> Case:
    """R-7.1, R-7.2: a question under a Governor's post goes straight to the competent body's queue with its
    2-working-hour `gov_answer` deadline counted from `started_at` (the post's time for comments of the first
    window, the comment's time after it)."""
    now = _now(now)
    if message.is_official:  # intake.official: our published answer or an official account's comment
        raise ActionRefused(
            "Это комментарий официального аккаунта (опубликованный ответ органа): отвечать на него не нужно.",
            "official",
        )
    if CaseMessage.objects.filter(message=message).exists():
        raise ActionRefused("Этот комментарий уже в работе.", "taken")
    case = Case.objects.create(
        origin=Case.Origin.GOVERNOR_POST,
        status=S.DRAFTING,
        network=message.network,
        summary=(message.text or "")[:300],
        dispatched_at=now,
        dispatched_by=_owner_of(body),
    )
    CaseMessage.objects.create(case=case, message=message, added_at=now)
    a, executor = _start(case, body, now, actor if actor and body.pk in body_ids_of(actor) else None)
    open_deadline(
        case,
        Stage.GOV_ANSWER,
        started_at,
        responsible=executor,
        body=body,
        assignment=a,
        policy_key="gov_answer",
    )
    CaseEvent.objects.create(
        case=case,
        at=now,
        actor=actor,
        action="gov_open",
        to_status=S.DRAFTING,
        reason=f"{body}: {reason}"[:2000],
    )
    notify(
        executor,
        case,
        Notification.Kind.WORK,
        f"Вопрос под постом Губернатора № {case.pk} для «{body}».",
        now,
    )
    return case


# ---------------------------------------------------------------------------------------------- answers
@transaction.atomic
def submit_answer(
    case: Case,
    actor: Person,
    text: str,
    *,
    interim: bool = False,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Draft:
    """R-7.2/R-7.3: the body's executor answers (or gives an interim answer asking for details). When the body's
    responsible official requires approval (R-7.1) the answer waits for them; otherwise it goes to publishing."""
    now = _now(now)
    case = _lock(case, "gov_submit", expected_version)
    a = live_assignment(case)
    if a.body_id not in body_ids_of(actor):
        raise ActionRefused("Отвечает сотрудник органа, которому направлен вопрос.", "forbidden")
    if not text.strip():
        raise ActionRefused("Текст ответа пуст.", "empty")
    previous = case.drafts.order_by("-id").first()
    if previous is not None and previous.state == Draft.State.RETURNED:
        Draft.objects.filter(pk=previous.pk).update(state=Draft.State.REVISED)
    needs_review = requires_approval(a.body) and not is_responsible(actor, a.body)
    draft = Draft.objects.create(
        case=case,
        assignment=a,
        kind=Draft.Kind.INTERIM if interim else Draft.Kind.ANSWER,
        state=Draft.State.SUBMITTED if needs_review else Draft.State.APPROVED,
        text=text.strip(),
        author=actor,
        submitted_at=now,
        previous=previous,
        version=(previous.version + 1) if previous else 1,
    )
    if needs_review:
        _move(
            case, "gov_submit", S.REVIEW, actor, now, f"{draft.get_kind_display()} на согласовании в органе"
        )
        for head in Person.objects.filter(
            roles__kind=Role.Kind.RESPONSIBLE, roles__body=a.body, is_active=True
        ):
            notify(
                head, case, Notification.Kind.WORK, f"Ответ по вопросу № {case.pk} ждёт согласования.", now
            )
    else:
        _move(case, "gov_submit", S.PUBLISHING, actor, now, f"{draft.get_kind_display()} готов к публикации")
    return draft


def _pending_draft(case: Case, state: str) -> Draft:
    draft = case.drafts.filter(state=state).order_by("-id").first()
    if draft is None:
        raise ActionRefused("Нет ответа в нужном состоянии.", "state")
    return draft


@transaction.atomic
def approve_answer(
    case: Case, actor: Person, *, now: datetime | None = None, expected_version: int | None = None
) -> Draft:
    """R-7.1: the body's responsible official approves the executor's answer (no curator)."""
    now = _now(now)
    case = _lock(case, "gov_approve", expected_version)
    a = live_assignment(case)
    if not is_responsible(actor, a.body):
        raise ActionRefused("Согласует ответственный органа.", "forbidden")
    draft = _pending_draft(case, Draft.State.SUBMITTED)
    Draft.objects.filter(pk=draft.pk).update(state=Draft.State.APPROVED)
    draft.state = Draft.State.APPROVED
    Review.objects.create(draft=draft, reviewer=actor, decision=Review.Decision.APPROVE, created_at=now)
    _move(case, "gov_approve", S.PUBLISHING, actor, now)
    return draft


@transaction.atomic
def return_answer(
    case: Case,
    actor: Person,
    comment: str,
    *,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Draft:
    """R-7.1: the body's responsible official returns the answer to its executor."""
    now = _now(now)
    case = _lock(case, "gov_return", expected_version)
    a = live_assignment(case)
    if not is_responsible(actor, a.body):
        raise ActionRefused("Возвращает ответственный органа.", "forbidden")
    comment = comment.strip()
    if not comment:  # the executor must learn what to change, with the clock running
        raise ActionRefused("Напишите замечание: что исправить в ответе.", "comment")
    draft = _pending_draft(case, Draft.State.SUBMITTED)
    Draft.objects.filter(pk=draft.pk).update(state=Draft.State.RETURNED)
    Review.objects.create(
        draft=draft, reviewer=actor, decision=Review.Decision.RETURN, comment=comment, created_at=now
    )
    _move(case, "gov_return", S.REVISION, actor, now, comment)
    notify(
        draft.author, case, Notification.Kind.WORK, f"Ответ по вопросу № {case.pk} возвращён: {comment}", now
    )
    return draft


@transaction.atomic
def confirm_publication(
    case: Case,
    *,
    method: str,
    url: str = "",
    external_id: str = "",
    actor: Person | None = None,
    now: datetime | None = None,
) -> Publication:
    """R-7.2/R-7.3: the answer is under the comment (through the network's API or confirmed by link). Meets the
    running R-7 deadline (late → a violation at once); an interim answer waits for the author's details."""
    now = _now(now)
    case = _lock(case, "gov_publish", None)
    draft = _pending_draft(case, Draft.State.APPROVED)
    if actor is not None and live_assignment(case).body_id not in body_ids_of(actor):
        raise ActionRefused("Публикацию подтверждает сотрудник органа, который отвечает.", "forbidden")
    if method == Publication.Method.MANUAL:
        if not url.strip():
            raise ActionRefused("Укажите ссылку на опубликованный ответ.", "url")
        check_publication_link(case, url.strip())  # under the comment, in the post's network
    publication = Publication.objects.create(
        case=case,
        draft=draft,
        network=case.network,
        url=url.strip()[:1000],
        external_id=external_id[:300],
        published_at=now,
        method=method,
        published_by=actor,
    )
    Draft.objects.filter(pk=draft.pk).update(state=Draft.State.PUBLISHED)
    finish_deadlines(open_deadlines(case, *GOV_STAGES), now, met=True)
    if draft.kind == Draft.Kind.INTERIM:
        _move(
            case, "gov_publish", S.AWAITING_AUTHOR, actor, now, "промежуточный ответ, ждём уточнения автора"
        )
        early = _early_clarification(case, draft)
        if early is not None:
            register_clarification(case, early.message, now=now)
            Comment.objects.filter(pk=early.pk).update(
                kind=Comment.Kind.CLARIFICATION, reason="ответ автора на уточнение", case=case
            )
    else:
        Assignment.objects.filter(case=case).exclude(state__in=Assignment.GONE).update(state=A.DONE)
        _move(case, "gov_publish", S.CLOSED, actor, now, "ответ опубликован")
    return publication


# ----------------------------------------------------------------------------------------------
def _early_clarification(case: Case, draft: Draft) -> Comment | None:
    """R-7.3: an interim answer published by hand is in the network before anyone confirms its link; the
    author's details written in between were triaged as a plain comment (nothing was waiting for them yet).
    The author's first such comment under the post, after the interim answer was written, is the clarification."""
    link = case.case_messages.filter(is_author_reply=False).select_related("message").order_by("id").first()
    if link is None:
        return None
    question = link.message
    post_id = question.post_id
    if not question.author_id or post_id is None:
        return None
    return (
        Comment.objects.filter(
            case__isnull=True,
            kind=Comment.Kind.OTHER,
            message__post_id=post_id,
            message__author_id=question.author_id,
            message__network=question.network,
            message__published_at__gte=draft.submitted_at,
        )
        .select_related("message")
        .order_by("message__published_at", "id")
        .first()
    )


@transaction.atomic
def register_clarification(case: Case, message: Message, *, now: datetime | None = None) -> Deadline:
    """R-7.3: the author's details arrived; the answer is due 2 working hours after them."""
    now = _now(now)
    case = _lock(case, "gov_clarification", None)
    arrived = message.published_at or now
    CaseMessage.objects.get_or_create(
        message=message, defaults={"case": case, "is_author_reply": True, "added_at": now}
    )
    a = live_assignment(case)
    deadline = open_deadline(
        case,
        Stage.GOV_AFTER_REPLY,
        arrived,
        responsible=a.executor,
        body=a.body,
        assignment=a,
        policy_key="gov_after_reply",
    )
    _move(case, "gov_clarification", S.DRAFTING, None, now, (message.text or "")[:500])
    notify(
        a.executor, case, Notification.Kind.WORK, f"Автор ответил на уточнение по вопросу № {case.pk}.", now
    )
    return deadline


# ---------------------------------------------------------------------------------------------- take / hand over
def _move_to_body(
    case: Case, action: str, body: Body, executor: Person | None, actor: Person, now: datetime, reason: str
) -> Assignment:
    old = live_assignment(case)
    if old.body_id == body.pk:
        raise ActionRefused("Вопрос уже у этого органа.", "same_body")
    running = open_deadlines(case, *GOV_STAGES)
    finish_deadlines(running, now, met=False)
    Assignment.objects.filter(pk=old.pk).update(state=A.REPLACED)
    new, actual = _start(case, body, now, executor)
    # The regulation's clock does not restart when the work changes hands: the same start, the new body's time.
    for d in running:
        open_deadline(
            case,
            Deadline.Stage(d.stage),
            d.started_at,
            responsible=actual,
            body=body,
            assignment=new,
            policy_key="gov_answer" if d.stage == Stage.GOV_ANSWER else "gov_after_reply",
        )
    _move(case, action, S.DRAFTING, actor, now, f"{old.body} → {body}: {reason}"[:2000])
    notify(
        actual, case, Notification.Kind.WORK, f"Вопрос под постом Губернатора № {case.pk} для «{body}».", now
    )
    return new


@transaction.atomic
def take_question(
    case: Case, actor: Person, body: Body, *, reason: str = "", now: datetime | None = None
) -> Assignment:
    """R-7.1: a body takes a question routed to another body; recorded in the case's timeline."""
    now = _now(now)
    if body.pk not in body_ids_of(actor):
        raise ActionRefused("Взять вопрос может сотрудник этого органа.", "forbidden")
    case = _lock(case, "gov_take", None)
    return _move_to_body(case, "gov_take", body, actor, actor, now, reason or "вопрос в компетенции органа")


@transaction.atomic
def hand_over(
    case: Case, actor: Person, to_body: Body, *, reason: str = "", now: datetime | None = None
) -> Assignment:
    """R-7.1: the body hands a question over to the competent body; recorded in the case's timeline."""
    now = _now(now)
    case = _lock(case, "gov_handover", None)
    if live_assignment(case).body_id not in body_ids_of(actor):
        raise ActionRefused("Передать вопрос может сотрудник органа, у которого он в работе.", "forbidden")
    if not reason.strip():
        raise ActionRefused("Укажите, почему вопрос передаётся.", "reason")
    return _move_to_body(case, "gov_handover", to_body, None, actor, now, reason)
