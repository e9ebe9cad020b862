"""Every state change of a question under a Governor's post (clause 7, R-7.1 … R-7.3).

The question is a `cases.Case` with `origin="governor_post"`: no curator step (R-7.1). One function per
transition, atomic, guarded by `TRANSITIONS`, writing a `CaseEvent` and opening/closing `cases.Deadline`s
through `cases.sla`, so violations (R-12) and reports treat them exactly like clause 8, tagged R-7.

Lifecycle: `open_question` (DRAFTING, `gov_answer` deadline) → `submit_answer` (answer or interim; REVIEW when
the body requires approval, else PUBLISHING) → `approve_answer` / `return_answer` → `confirm_publication`
(answer: CLOSED; interim: AWAITING_AUTHOR) → `register_clarification` (DRAFTING, `gov_after_reply` deadline,
R-7.3) → … `take_question` / `hand_over` move the question between bodies with a record.

Several bodies on one comment (R-7.2: each body answers the questions within its competence): every body has
its own `Assignment` on the same case (as in clause 8, R-8.9), opened together by the triage when the analysis
names several competent bodies, or added by `join_question`. Each body's part goes its own way: its own
`gov_answer` deadline (the same start as the first body's), its own answer under the comment, its own approval
setting; the body's stage (`part_phase`) is read from its assignment and its drafts, and the case's status is
the least advanced of its bodies' stages, so it is CLOSED only when every body has published its answer.
`hand_over` hands over the acting body's part only.

Every function takes `now=` so tests drive the workflow on a controlled clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Final

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from otklik.cases import policy
from otklik.cases.actions import (
    ActionRefused,
    StaleCase,
    _now,
    answer_score,
    answer_text,
    body_ids_of,
    check_length,
    check_publication_link,
    check_workable,
    default_executor,
    doer,
    lock_case,
    move_case,
    refuse_confirmed_link,
    refuse_thread_link,
    with_substitute,
    workable,
)
from otklik.cases.models import (
    OPEN_DEADLINE,
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
from otklik.cases.notify import curators_for, notify
from otklik.cases.sla import finish_deadlines, open_deadline, open_deadlines
from otklik.intake.models import Message
from otklik.org.duty import Duty, DutyReason, on_duty, role_body_ids
from otklik.org.models import Absence, Body, Person, Role
from otklik.worktime.service import worktime_then

from .models import Comment, GovernorSettings

log = logging.getLogger(__name__)

S = Case.Status
Stage = Deadline.Stage
A = Assignment.State
GOV_STAGES = (Stage.GOV_ANSWER, Stage.GOV_AFTER_REPLY)

TRANSITIONS: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    # an interim answer may ask for details, but need not: the answer may follow it without them.
    "gov_submit": (
        frozenset({S.DRAFTING, S.REVISION, S.AWAITING_AUTHOR}),
        frozenset({S.REVIEW, S.PUBLISHING}),
    ),
    "gov_approve": (frozenset({S.REVIEW}), frozenset({S.PUBLISHING})),
    "gov_return": (frozenset({S.REVIEW}), frozenset({S.REVISION})),
    "gov_publish": (frozenset({S.PUBLISHING}), frozenset({S.CLOSED, S.AWAITING_AUTHOR})),
    "gov_clarification": (frozenset({S.AWAITING_AUTHOR}), frozenset({S.DRAFTING})),
    "gov_take": (frozenset({S.DRAFTING, S.REVISION}), frozenset({S.DRAFTING})),
    "gov_handover": (frozenset({S.DRAFTING, S.REVISION}), frozenset({S.DRAFTING})),
    "gov_join": (frozenset(Case.OPEN_STATUSES), frozenset({S.DRAFTING})),
    # a question that needs no answer (the author deleted it, a copy of another): ended by a decision
    "gov_not_needed": (frozenset(Case.OPEN_STATUSES), frozenset({S.CLOSED})),
    # the comment its author deleted (the question ended by itself) is restored in the network: in work again
    "gov_restored": (frozenset({S.CLOSED}), frozenset({S.DRAFTING, S.REVISION, S.REVIEW, S.PUBLISHING})),
}
REFUSALS: Final[dict[str, str]] = {
    "gov_submit": "Ответ можно направить, пока вопрос в работе органа.",
    "gov_approve": "Согласовать можно только ответ, ожидающий согласования.",
    "gov_return": "Вернуть можно только ответ, ожидающий согласования.",
    "gov_publish": "Подтвердить публикацию можно только для согласованного ответа.",
    "gov_clarification": "Уточнение автора ждём только после промежуточного ответа.",
    "gov_take": "Взять вопрос можно, пока на него не ответили.",
    "gov_handover": "Передать вопрос можно, пока на него не ответили.",
    "gov_join": "Ответить от своего органа можно, пока вопрос не закрыт.",
    "gov_not_needed": "Отметить, что ответ не нужен, можно, пока на вопрос не ответили.",
    "gov_restored": "Вернуть в работу можно только закрытый вопрос.",
}
LABELS: Final[dict[str, str]] = {
    "gov_open": "вопрос под постом Губернатора направлен органу (п. 7.1)",
    "gov_submit": "ответ направлен",
    "gov_approve": "ответ согласован ответственным органа",
    "gov_return": "ответ возвращён ответственным органа",
    "gov_publish": "ответ опубликован",
    "gov_clarification": "получено уточнение автора (п. 7.3)",
    "gov_take": "вопрос взят органом",
    "gov_handover": "вопрос передан другому органу",
    "gov_join": "к ответу присоединился ещё один орган",
    "gov_not_needed": "ответ не нужен",
    "gov_details": "дополнение автора к уточнению (п. 7.3)",
    "gov_restored": "комментарий восстановлен в сети: вопрос снова в работе",
}
CaseEvent.LABELS.update(LABELS)
# The case's status follows its bodies' parts (`_sync`): with several bodies it may stay where it was (one body
# answered, another still drafts) or move past the acting body's own stage. The acting body's own transition
# is checked against `TRANSITIONS` by `_part` and `_sync`; the case row only needs to stay consistent.
_CASE_MOVES: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    action: (frozenset(S.values), frozenset(S.values)) for action in TRANSITIONS
}
# The least advanced stage first: the case shows the stage of the body that is furthest from answering.
_PHASE_ORDER: Final[tuple[str, ...]] = (
    S.DRAFTING,
    S.REVISION,
    S.REVIEW,
    S.PUBLISHING,
    S.AWAITING_AUTHOR,
    S.CLOSED,
)


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


# Every action locks the case while the question is open; the acting body's own stage is checked by `_part`.
# The case row is locked for a body's action while the question is open (with several bodies the case's status is
# the least advanced body's, `_sync`); only a restored question is taken up from CLOSED.
_LOCK_OPEN: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    action: (
        frozenset({S.CLOSED}) if action == "gov_restored" else frozenset(Case.OPEN_STATUSES),
        frozenset(S.values),
    )
    for action in TRANSITIONS
}
PART_LABELS: Final[dict[str, str]] = {S.CLOSED: "ответ органа опубликован"}


def _lock(case: Case, action: str, expected_version: int | None) -> Case:
    return lock_case(
        case,
        action,
        expected_version,
        origin=Case.Origin.GOVERNOR_POST,
        transitions=_LOCK_OPEN,
        refusals=REFUSALS,
        wrong_origin="Это не вопрос под постом Губернатора.",
        stale=STALE,
    )


def _move(case: Case, action: str, to: str, actor: Person | None, now: datetime, reason: str = "") -> None:
    move_case(case, action, to, actor, now, reason, transitions=_CASE_MOVES, stale=STALE)


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


def prefetched(obj: object, relation: str) -> list[Any] | None:
    """The rows of `obj`'s `relation` (a related manager's name: «assignments», «drafts», «deadlines») that a
    `prefetch_related` already read, in id order; None when none did, and the caller reads the database. The
    post page prefetches each relation whole, unfiltered, for all its questions (`views.post_page`): the
    functions below then give the same answers without a query per question."""
    cache: dict[str, Any] | None = getattr(obj, "_prefetched_objects_cache", None)
    if not cache or relation not in cache:
        return None
    return sorted(cache[relation], key=lambda row: row.pk)


def parts_of(case: Case) -> list[Assignment]:
    """The bodies answering the question (R-7.2): its live assignments, answered ones included, in arrival order."""
    known = prefetched(case, "assignments")  # the post page's prefetch, with the body and the executor
    if known is not None:
        return [a for a in known if a.state not in Assignment.GONE]
    return list(
        case.assignments.exclude(state__in=Assignment.GONE).select_related("body", "executor").order_by("id")
    )


def _open_gov_deadline(a: Assignment) -> bool:
    """The body's R-7 term is running (`OPEN_DEADLINE` of a `GOV_STAGES` stage)."""
    known = prefetched(a, "deadlines")
    if known is not None:
        return any(d.met_at is None and d.cancelled_at is None and d.stage in GOV_STAGES for d in known)
    return Deadline.objects.filter(OPEN_DEADLINE, assignment=a, stage__in=GOV_STAGES).exists()


def part_phase(a: Assignment) -> str:
    """The body's own stage of the question, as a `Case.Status` value: CLOSED once its answer is published,
    AWAITING_AUTHOR after its published interim answer until the author's details restart its clock (R-7.3)."""
    if a.state == A.DONE:
        return S.CLOSED
    known = prefetched(a, "drafts")
    last = (known[-1] if known else None) if known is not None else a.drafts.order_by("-id").first()
    if last is None:
        return S.DRAFTING
    if last.state == Draft.State.SUBMITTED:
        return S.REVIEW
    if last.state == Draft.State.APPROVED:
        return S.PUBLISHING
    if last.state == Draft.State.RETURNED:
        return S.REVISION
    if last.state == Draft.State.PUBLISHED and last.kind == Draft.Kind.INTERIM and not _open_gov_deadline(a):
        return S.AWAITING_AUTHOR
    return S.DRAFTING


def part_label(phase: str) -> str:
    return PART_LABELS.get(phase) or S(phase).label


def _said(case: Case, part: Assignment, reason: str) -> str:
    """An event's reason names the body when several bodies answer the question."""
    if case.assignments.exclude(state__in=Assignment.GONE).count() > 1:
        return f"{part.body}: {reason}" if reason else str(part.body)
    return reason


def _sync(
    case: Case, action: str, part: Assignment, actor: Person | None, now: datetime, reason: str
) -> None:
    """Record the acting body's transition and bring the case to its bodies' least advanced stage: with one
    body that is the body's stage; with several the question is CLOSED only when every body has answered."""
    phase = part_phase(part)
    if phase not in TRANSITIONS[action][1]:  # a bug in the caller, not a user error
        raise AssertionError(f"transition {action}: the part of {part.body_id} ends in {phase}")
    phases = {part_phase(a) for a in parts_of(case)}
    to = next((p for p in _PHASE_ORDER if p in phases), S.CLOSED)
    _move(case, action, to, actor, now, _said(case, part, reason))


def _part(
    case: Case,
    body: Body | None,
    action: str,
    *,
    may: Callable[[Assignment], bool],
    forbidden: str,
) -> Assignment:
    """The body's part the person acts on: one of the bodies `may` accepts (only `body` when given), at a
    stage the action is allowed from. A person of another body is refused, as is an action at a wrong stage."""
    parts = parts_of(case)
    if not parts:
        raise ActionRefused("У вопроса нет органа-исполнителя.", "no_body")
    if body is not None:
        parts = [a for a in parts if a.body_id == body.pk]
    allowed_from = TRANSITIONS[action][0]
    phases = {a.pk: part_phase(a) for a in parts}
    mine = [a for a in parts if may(a)]
    ready = [a for a in mine if phases[a.pk] in allowed_from]
    if ready:
        return ready[0]
    if mine:
        raise ActionRefused(f"{REFUSALS[action]} Сейчас: «{part_label(phases[mine[0].pk])}».", "state")
    if parts and not any(p in allowed_from for p in phases.values()):
        raise ActionRefused(f"{REFUSALS[action]} Сейчас: «{case.get_status_display()}».", "state")
    raise ActionRefused(forbidden, "forbidden")


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


def _add_body(
    case: Case, body: Body, started_at: datetime, now: datetime, executor: Person | None
) -> Assignment:
    """The body's part: its assignment and its 2-working-hour `gov_answer` deadline from `started_at`."""
    a, actual = _start(case, body, now, executor)
    open_deadline(
        case,
        Stage.GOV_ANSWER,
        started_at,
        responsible=actual,
        body=body,
        assignment=a,
        policy_key="gov_answer",
    )
    notify(
        actual,
        case,
        Notification.Kind.WORK,
        f"Вопрос под постом Губернатора № {case.pk} для органа «{body}».",
        now,
    )
    if actual is None:
        _nobody_told(case, a, now)
    return a


def _nobody_told(case: Case, a: Assignment, now: datetime) -> None:
    """R-6 with R-7.2: nobody of the body can take the question now (`on_duty` found nobody); its 2 working hours run
    all the same, so the curators are told at once, as for a clause-8 message (`cases.actions._start_assignment`),
    not at the first reminder."""
    why = f" ({a.duty_note})" if a.duty_note else ""
    for curator in curators_for(case, now):
        notify(
            curator,
            case,
            Notification.Kind.WORK,
            f"Вопрос под постом Губернатора № {case.pk}: в органе «{a.body}» никого нет на месте{why}, а срок ответа "
            "(п. 7.2) идёт. Свяжитесь с органом: вопрос должен взять его сотрудник или передать другому органу.",
            now,
        )


def question_start(case: Case) -> datetime:
    """The moment the question's answer deadlines count from (R-7.2): the post's time for a comment of the
    first window, the comment's time after it, as `open_question` got it for the first body."""
    first = Deadline.objects.filter(case=case, stage=Stage.GOV_ANSWER).order_by("id").first()
    return first.started_at if first is not None else case.dispatched_at


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
    also: Sequence[Body] = (),
) -> Case:
    """R-7.1, R-7.2: a question under a Governor's post goes straight to the competent body's queue with its
    2-working-hour `gov_answer` deadline counted from `started_at` (the post's time for comments of the first
    window, the comment's time after it). `also`: further competent bodies (a comment that asks several
    things), each with its own part and its own deadline from the same start."""
    now = _now(now)
    if message.is_official:  # intake.official: our published answer or an official account's comment
        raise ActionRefused(
            "Это комментарий официального аккаунта (опубликованный ответ органа): отвечать на него не нужно.",
            "official",
        )
    # Two people at once (a curator routing, a body taking it, the checks' run): the message row is locked, and
    # the second one finds the first one's case.
    Message.objects.select_for_update().filter(pk=message.pk).values_list("pk", flat=True).first()
    if CaseMessage.objects.filter(message=message).exists():
        raise ActionRefused("Этот комментарий уже в работе.", "taken")
    check_workable(body)
    named = [body, *(b for b in dict.fromkeys(also) if b.pk != body.pk)]
    # a body with nobody in it cannot answer: the question goes to the others, or stays with no body — counted
    # «Без органа» where the bodies and the curators look (`service.unrouted_questions`) — rather than wait unseen
    bodies = [b for b in named if workable(b) and default_executor(b) is not None]
    if not bodies:
        raise ActionRefused(f"В органе «{body}» нет сотрудников: вопрос некому направить.", "no_people")
    left_out = [b for b in named if b not in bodies]
    if left_out:
        log.info(
            "governor question (message %s): bodies without staff left out: %s",
            message.pk,
            ", ".join(str(b) for b in left_out),
        )
        reason = f"{reason}; без сотрудников, не направлено: " + ", ".join(f"«{b}»" for b in left_out)
    body = bodies[0]
    case = Case.objects.create(
        origin=Case.Origin.GOVERNOR_POST,
        status=S.DRAFTING,
        network=message.network,
        summary=(message.text or "")[:300],
        dispatched_at=now,
        dispatched_by=_owner_of(body),
    )
    CaseMessage.objects.create(case=case, message=message, added_at=now)
    CaseEvent.objects.create(
        case=case,
        at=now,
        actor=actor,
        action="gov_open",
        to_status=S.DRAFTING,
        reason=f"{', '.join(str(b) for b in bodies)}: {reason}"[:2000],
    )
    mine = body_ids_of(actor) if actor is not None else set()
    for b in bodies:
        _add_body(case, b, started_at, now, actor if actor is not None and b.pk in mine else None)
    if left_out:  # the office sends that part to a body that can answer it, or gets the body staffed
        names = ", ".join(f"«{b}»" for b in left_out)
        for curator in curators_for(case, now):
            notify(
                curator,
                case,
                Notification.Kind.WORK,
                f"Вопрос под постом Губернатора (обращение № {case.pk}) в компетенции и органов без сотрудников: "
                f"{names} — их часть не направлена. Отвечает «{body}»; другой орган может присоединиться на "
                "странице поста.",
                now,
            )
    return case


@transaction.atomic
def join_question(
    case: Case, actor: Person, body: Body, *, reason: str = "", now: datetime | None = None
) -> Assignment:
    """R-7.2: the question is also in this body's competence: the body answers its own part beside the bodies
    already answering, with its own `gov_answer` deadline counted from the question's start (the same start
    as the first body's) while that term is still running, else from the moment it joins — a body that takes
    up a part it was not given is not late before it began (it is no violation of the body's) — its own
    answer and its own approval setting (R-7.1)."""
    now = _now(now)
    if body.pk not in body_ids_of(actor):
        raise ActionRefused("Ответить от органа может только его сотрудник.", "forbidden")
    if not body.is_active:
        raise ActionRefused(f"Орган «{body}» не действует.", "body")
    case = _lock(case, "gov_join", None)
    if any(a.body_id == body.pk for a in parts_of(case)):
        raise ActionRefused(f"Орган «{body}» уже отвечает на этот вопрос.", "joined")
    start = start_or_now(question_start(case), body, "gov_answer", now)
    a = _add_body(case, body, start, now, actor)
    _sync(case, "gov_join", a, actor, now, reason.strip() or "вопрос и в компетенции органа")
    return a


def start_or_now(start: datetime, body: Body, policy_key: str, now: datetime) -> datetime:
    """R-7.2: where a body's term counts from when it takes up a question: from `start`, unless the term counted
    from there in the body's working time has already run out by `now` — then from now. Nobody is late before they
    began (a body joining or taking a question late, a comment taken up after the term it would have had)."""
    return start if worktime_then(body).add(start, policy.minutes(policy_key)) > now else now


# ---------------------------------------------------------------------------------------------- answers
def _member(actor: Person) -> Callable[[Assignment], bool]:
    mine = body_ids_of(actor)
    return lambda a: a.body_id in mine


@transaction.atomic
def submit_answer(
    case: Case,
    actor: Person,
    text: str,
    *,
    interim: bool = False,
    now: datetime | None = None,
    expected_version: int | None = None,
    body: Body | None = None,
    seen_draft: int | None = None,
) -> Draft:
    """R-7.2/R-7.3: the body's executor answers (or gives an interim answer asking for details). When the body's
    responsible official requires approval (R-7.1) the answer waits for them — or, while a head is away, for the
    one doing his work (R-6, `approvers`), who is told at once; otherwise it goes to publishing. With several
    bodies each answers its own part (`body`: which one, for a person of several bodies); `seen_draft` (the id of
    the part's latest draft the person saw, 0 for none) guards the part against a lost update without refusing
    because another body acted meanwhile."""
    now = _now(now)
    case = _lock(case, "gov_submit", expected_version)
    a = _part(
        case,
        body,
        "gov_submit",
        may=_member(actor),
        forbidden="Отвечает сотрудник органа, которому направлен вопрос.",
    )
    last = a.drafts.order_by("-id").first()
    if seen_draft is not None and (last.pk if last is not None else 0) != seen_draft:
        raise StaleCase(STALE)
    if not text.strip():
        raise ActionRefused("Текст ответа пуст.", "empty")
    kind = Draft.Kind.INTERIM if interim else Draft.Kind.ANSWER
    text = answer_text(text)
    check_length(case, kind, text)  # refused now, not at publication while the 2 hours of run
    # Only a revision of a returned answer continues it (as in clause 8): the final answer after a published
    # interim one is a draft of its own, and the reports count it so (R-13: returns per draft).
    previous = last if last is not None and last.state == Draft.State.RETURNED else None
    if previous is not None:
        Draft.objects.filter(pk=previous.pk).update(state=Draft.State.REVISED)
    # with R-6: the answer of whoever approves the body's answers now (its head, or the substitute doing an
    # absent head's work) needs nobody else's approval, as a head's own answer does not
    needs_review = requires_approval(a.body) and not may_approve(actor, a.body, now)
    draft = Draft.objects.create(
        case=case,
        assignment=a,
        kind=kind,
        state=Draft.State.SUBMITTED if needs_review else Draft.State.APPROVED,
        text=text,
        score=answer_score(case, text),  # counted in the quality figures as any answer
        author=actor,
        submitted_at=now,
        previous=previous,
        version=case.drafts.count() + 1,  # every draft of the case, whichever body wrote it (as in clause 8)
    )
    if needs_review:
        _sync(case, "gov_submit", a, actor, now, f"{draft.get_kind_display()} на согласовании в органе")
        _ask_approval(case, a, now)
    else:
        _sync(case, "gov_submit", a, actor, now, f"{draft.get_kind_display()} готов к публикации")
    return draft


def approvers(body: Body, now: datetime) -> list[tuple[Person, str]]:
    """R-7.1 with R-6: who approves the body's answers now, each with the words saying whose work it is when that
    is not their own («» for a head): those at work (`_approvers_at_work`), else every active responsible official
    of the body (they read it on their return and may approve from wherever they are); [] when it has none."""
    at_work, heads = _approvers_at_work(body, now)
    return at_work or [(head, "") for head in heads]


def _approvers_at_work(body: Body, now: datetime) -> tuple[list[tuple[Person, str]], list[Person]]:
    """Who of those approving the body's answers is at work now, with the body's active responsible officials.
    Each responsible official present; for one who is away (or whose account is switched off), the substitute
    doing his work (`on_duty`: the one named on his absence, or that one's own substitute while away too; only a
    substitute who works for the body). As clause 8 shares an absent curator's review, with no substitute of hers
    at work, among the curators present (`cases.notify.curators_instead_of`), an absent head's answers without a
    substitute are approved by the body's other responsible officials at work; `on_duty`'s fallback to another
    executor does not count here: an executor is no approver."""
    duties = _heads_on_duty(body, now)
    return _at_work(duties), [head for head, _ in duties]


def _heads_on_duty(body: Body, now: datetime) -> list[tuple[Person, Duty]]:
    """The body's active responsible officials (by last name, first name, id), each with who does his work now."""
    heads = (
        Person.objects.filter(roles__kind=Role.Kind.RESPONSIBLE, roles__body=body, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    return [(head, on_duty(head, now, body_id=body.pk)) for head in heads]


def _at_work(duties: list[tuple[Person, Duty]]) -> list[tuple[Person, str]]:
    """Of the heads' duties (`_heads_on_duty`), who approves at work: a head present, a substitute doing his work."""
    found: dict[int, tuple[Person, str]] = {}
    for head, duty in duties:
        if duty.reason is DutyReason.PRESENT:
            found.setdefault(head.pk, (head, ""))
        elif duty.reason is DutyReason.SUBSTITUTE and duty.person is not None:
            found.setdefault(duty.person.pk, (duty.person, f"вместо ответственного: {duty.explanation}"))
    return list(found.values())


def _term_holder(duties: list[tuple[Person, Duty]]) -> Person | None:
    """R-7.1, R-12: the responsible official of the body who answers for the part's term while its answer waits
    for approval (`_ask_approval`): the first (by last name, first name, id) of those present now, else the first
    whose work a substitute does now, else the first of them all — None when the body has none. Always a head,
    never the one doing his work at this instant: the sweep finds who does it at each reminder and at the due
    moment (`cases.sla._on_duty_for`, `_answerable` ask `on_duty`), so a head back at work answers for it himself."""
    for reason in (DutyReason.PRESENT, DutyReason.SUBSTITUTE):
        for head, duty in duties:
            if duty.reason is reason:
                return head
    return duties[0][0] if duties else None


def may_approve(person: Person, body: Body, now: datetime) -> bool:
    """R-7.1 with R-6: whether `person` approves (or returns) the body's answers now: a responsible official of
    the body (also while away: the answer is his), or the one doing an absent head's work (`approvers`). Nobody
    else: not another executor, not a curator."""
    if body.pk in person.responsible_body_ids():
        return True
    if body.pk not in role_body_ids(person) or not _substitutes_now(person, now):
        return False  # a substitute works for the body and is named on an absence running now (`on_duty`)
    return any(p.pk == person.pk for p, _ in approvers(body, now))


def _substitutes_now(person: Person, now: datetime) -> bool:
    """Whether `person` is named the substitute on an absence running now: the last link of any substitute chain
    ending with him (`on_duty`), so that nobody else is asked about each head of his bodies."""
    return Absence.objects.filter(substitute=person, starts_at__lte=now, ends_at__gt=now).exists()


def heading_body_ids(person: Person, now: datetime) -> set[int]:
    """R-6: the bodies whose responsible official's work `person` does now: those he heads, and those of his bodies
    whose absent head's work he does (`may_approve`), whatever the body's approval setting — he ends a question that
    needs no answer (`parts_to_end`) as the head would."""
    heads = person.responsible_body_ids()
    others = role_body_ids(person) - heads
    if not others or not _substitutes_now(person, now):
        return heads
    return heads | {b.pk for b in Body.objects.filter(pk__in=others) if may_approve(person, b, now)}


def approving_body_ids(person: Person, now: datetime, heading: set[int] | None = None) -> set[int]:
    """The bodies whose answers under the Governor's posts `person` approves now (`may_approve`): those he is
    the responsible official of, and those whose absent head's work he does (R-6, `heading_body_ids`, given as
    `heading` when already read) that ask for approval."""
    heads = person.responsible_body_ids()
    covered = (heading_body_ids(person, now) if heading is None else heading) - heads
    if not covered:
        return heads
    asking = GovernorSettings.objects.filter(body_id__in=covered, require_approval=True).values_list(
        "body_id", flat=True
    )
    # an answer sent while the body asked for approval waits for it still when the setting is switched off since
    pending = awaiting_approval(covered).values_list("assignment__body_id", flat=True)
    return heads | set(asking) | set(pending)


def awaiting_approval(body_ids: Iterable[int]) -> QuerySet[Draft]:
    """R-7.1: the answers under the Governor's posts of these bodies that wait for their head's approval — of a
    question still open and a body still answering it (a question ended meanwhile leaves nothing to approve)."""
    return Draft.objects.filter(
        state=Draft.State.SUBMITTED,
        case__origin=Case.Origin.GOVERNOR_POST,
        case__status__in=Case.OPEN_STATUSES,
        assignment__body_id__in=list(body_ids),
    ).exclude(assignment__state__in=[A.DONE, *Assignment.GONE])


def _term_to(a: Assignment, responsible: Person | None, now: datetime) -> None:
    """The part's running R-7 term now answered for by `responsible`: the same start, due moment and reminders.
    While the answer waits for approval the term is the body's responsible official's (`_term_holder`; R-12: the
    official who had to act), back with the executor when it is approved or returned. A term whose due moment has
    passed (strictly, as the sweep counts it: work done at the due moment is in time) is never moved, whether or
    not the sweep has recorded its breach yet: the violation is of whoever held it at the due moment."""
    Deadline.objects.filter(
        OPEN_DEADLINE, assignment=a, stage__in=GOV_STAGES, breached_at__isnull=True, due_at__gte=now
    ).update(responsible=responsible)


def _ask_approval(case: Case, a: Assignment, now: datetime) -> None:
    """R-7.1 with R-6: the answer waits for the body's approval. Those who approve it now (`approvers`) are told at
    once, as the 2 working hours of R-7.2 run (a substitute with the words saying whose work he does), and the
    part's running term goes to the body's responsible official (`_term_holder`, `_term_to`): its reminders and
    its breach reach whoever does his work at that moment (his substitute while he is away, himself once back),
    not the executor who sent the answer. A body with no active responsible official: the term stays with the
    executor, nobody can approve, and the curators are told so (the body's head is to be named in the
    directory)."""
    duties = _heads_on_duty(a.body, now)
    at_work = _at_work(duties)
    text = f"Ответ по вопросу № {case.pk} ждёт согласования."
    for person, instead in at_work or [(head, "") for head, _ in duties]:
        notify(person, case, Notification.Kind.WORK, with_substitute(text, instead), now)
    holder = _term_holder(duties)
    if holder is not None:
        _term_to(a, holder, now)
    else:
        log.warning(
            "governor question %s: body %s requires approval but has no active responsible official",
            case.pk,
            a.body_id,
        )
        for curator in curators_for(case, now):
            notify(
                curator,
                case,
                Notification.Kind.WORK,
                f"{text} В органе «{a.body}» нет ответственного должностного лица с действующей учётной "
                "записью: согласовать ответ некому. Назначьте ответственного в справочнике.",
                now,
            )


def _tell_parts(
    case: Case,
    parts: Iterable[Assignment],
    kind: str,
    text: str | Callable[[Assignment], str],
    now: datetime,
    actor: Person | None = None,
) -> None:
    """Tell each part's executor — or whoever does their work now (R-6), named in the notice — what happened to
    the question; `text` is one notice for all or a notice per part. The person who did it is not told."""
    for a in parts:
        worker, instead = doer(a.executor, now, a.body)
        if worker is None or (actor is not None and worker.pk == actor.pk):
            continue
        said = text(a) if callable(text) else text
        notify(worker, case, kind, with_substitute(said, instead), now)


def _pending_draft(part: Assignment, state: str) -> Draft:
    draft = part.drafts.filter(state=state).order_by("-id").first()
    if draft is None:
        raise ActionRefused("Нет ответа в нужном состоянии.", "state")
    return draft


def _head_of(actor: Person, now: datetime) -> Callable[[Assignment], bool]:
    """The parts whose answer `actor` approves now (`may_approve`): the head's, or the substitute's of a head."""
    return lambda a: may_approve(actor, a.body, now)


@transaction.atomic
def approve_answer(
    case: Case,
    actor: Person,
    *,
    now: datetime | None = None,
    expected_version: int | None = None,
    body: Body | None = None,
) -> Draft:
    """R-7.1: the body's responsible official approves the executor's answer (no curator) — or, while he is away,
    the one doing his work (R-6, `may_approve`); the part's term is the executor's again (publishing)."""
    now = _now(now)
    case = _lock(case, "gov_approve", expected_version)
    a = _part(
        case,
        body,
        "gov_approve",
        may=_head_of(actor, now),
        forbidden="Согласует ответственный органа или замещающий его сотрудник.",
    )
    draft = _pending_draft(a, Draft.State.SUBMITTED)
    Draft.objects.filter(pk=draft.pk).update(state=Draft.State.APPROVED)
    draft.state = Draft.State.APPROVED
    Review.objects.create(draft=draft, reviewer=actor, decision=Review.Decision.APPROVE, created_at=now)
    _sync(case, "gov_approve", a, actor, now, "")
    _term_to(a, a.executor, now)
    return draft


@transaction.atomic
def return_answer(
    case: Case,
    actor: Person,
    comment: str,
    *,
    now: datetime | None = None,
    expected_version: int | None = None,
    body: Body | None = None,
) -> Draft:
    """R-7.1: the body's responsible official (or, while he is away, the one doing his work, R-6) returns the
    answer to its executor, whose term it is again."""
    now = _now(now)
    case = _lock(case, "gov_return", expected_version)
    a = _part(
        case,
        body,
        "gov_return",
        may=_head_of(actor, now),
        forbidden="Возвращает ответственный органа или замещающий его сотрудник.",
    )
    comment = comment.strip()
    if not comment:  # the executor must learn what to change, with the clock running
        raise ActionRefused("Напишите замечание: что исправить в ответе.", "comment")
    draft = _pending_draft(a, Draft.State.SUBMITTED)
    Draft.objects.filter(pk=draft.pk).update(state=Draft.State.RETURNED)
    Review.objects.create(
        draft=draft, reviewer=actor, decision=Review.Decision.RETURN, comment=comment, created_at=now
    )
    _sync(case, "gov_return", a, actor, now, comment)
    _term_to(a, a.executor, now)
    author, instead = doer(draft.author, now, a.body)  # the author may have gone away meanwhile
    notify(
        author,
        case,
        Notification.Kind.WORK,
        with_substitute(f"Ответ по вопросу № {case.pk} возвращён: {comment}", instead),
        now,
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
    draft: Draft | None = None,
) -> Publication:
    """R-7.2/R-7.3: the answer is under the comment (through the network's API or confirmed by link). Meets the
    running R-7 deadline of the answering body (late → a violation at once); an interim answer waits for the
    author's details. With several bodies `draft` (or the person's body) says whose answer it is; the question
    is closed when every body's answer is published."""
    now = _now(now)
    case = _lock(case, "gov_publish", None)
    open_parts = [a.pk for a in parts_of(case) if a.state != A.DONE]
    approved = list(
        Draft.objects.filter(case=case, state=Draft.State.APPROVED, assignment__in=open_parts)
        .select_related("assignment__body")
        .order_by("id")
    )
    if draft is not None:
        approved = [d for d in approved if d.pk == draft.pk]
    if not approved:
        raise ActionRefused(f"{REFUSALS['gov_publish']} Сейчас: «{case.get_status_display()}».", "state")
    if actor is not None:
        mine = body_ids_of(actor)
        approved = [d for d in approved if d.assignment is not None and d.assignment.body_id in mine]
        if not approved:
            raise ActionRefused("Публикацию подтверждает сотрудник органа, который отвечает.", "forbidden")
    chosen = approved[0]
    a = chosen.assignment
    assert a is not None  # filtered on assignment__in
    if method == Publication.Method.MANUAL:
        if not url.strip():
            raise ActionRefused("Укажите ссылку на опубликованный ответ.", "url")
        check_publication_link(case, url.strip())  # under the comment, in the post's network
        # Each answer is its own reply: another body's reply, or this body's interim answer,
        # does not stand for this answer.
        refuse_confirmed_link(
            case, url.strip(), f"Укажите ссылку на ответ органа «{a.body}», опубликованный под комментарием."
        )
        refuse_thread_link(case, url.strip())  # another resident's question, or its answer, under the post
    publication = Publication.objects.create(
        case=case,
        draft=chosen,
        network=case.network,
        url=url.strip()[:1000],
        external_id=external_id[:300],
        published_at=now,
        method=method,
        published_by=actor,
    )
    Draft.objects.filter(pk=chosen.pk).update(state=Draft.State.PUBLISHED)
    finish_deadlines(open_deadlines(case, *GOV_STAGES, assignment=a), now, met=True)
    where = f"{publication.get_method_display()}: {publication.url or publication.external_id}"
    if chosen.kind == Draft.Kind.INTERIM:
        _sync(case, "gov_publish", a, actor, now, f"промежуточный ответ, ждём уточнения автора; {where}")
        early = _early_clarification(case, chosen, now, by_hand=method == Publication.Method.MANUAL)
        if early is not None:
            register_clarification(case, early.message, now=now)
            Comment.objects.filter(pk=early.pk).update(
                kind=Comment.Kind.CLARIFICATION, reason="ответ автора на уточнение", case=case
            )
            _following_details(case, early, now)
    else:
        Assignment.objects.filter(pk=a.pk).update(state=A.DONE)
        a.state = A.DONE
        _sync(case, "gov_publish", a, actor, now, where)
    return publication


# ----------------------------------------------------------------------------------------------
def _early_clarification(
    case: Case, draft: Draft, published_at: datetime, *, by_hand: bool = False
) -> Comment | None:
    """R-7.3: an interim answer published by hand is in the network before anyone confirms its link; the
    author's details written in between were triaged as a plain comment (nothing was waiting for them yet).
    The author's first such comment under the post, written after the interim answer could be in the network,
    is the clarification: after its publication through the API (`published_at`); by hand, after the answer was
    ready to publish (its approval by the body's responsible official, else its writing). What the author wrote
    while the answer still waited for approval cannot answer it.
    With several bodies on the question the author's details may already have been taken for another body whose
    interim answer was waiting for them (R-7.2): written after this body's hand-posted interim answer was
    ready, they answer it too."""
    link = case.case_messages.filter(is_author_reply=False).select_related("message").order_by("id").first()
    if link is None:
        return None
    question = link.message
    post_id = question.post_id
    if not question.author_id or post_id is None:
        return None
    untaken = Q(case__isnull=True, kind=Comment.Kind.OTHER)
    if by_hand:
        untaken |= Q(case=case, kind=Comment.Kind.CLARIFICATION)
    since = _out_since(draft, published_at, by_hand=by_hand)
    return (
        Comment.objects.filter(
            untaken,
            message__post_id=post_id,
            message__author_id=question.author_id,
            message__network=question.network,
            message__published_at__gte=since,
        )
        .select_related("message")
        .order_by("message__published_at", "id")
        .first()
    )


def _out_since(draft: Draft, published_at: datetime, *, by_hand: bool) -> datetime:
    """R-7.3: since when an interim answer could be in the network, so that the author could answer it: its
    publication through the API; by hand, its approval by the body's responsible official, else its writing."""
    if not by_hand:
        return published_at
    approved = (
        Review.objects.filter(draft=draft, decision=Review.Decision.APPROVE)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return min(approved or draft.submitted_at, published_at)


def awaits_details(part: Assignment, written: datetime | None) -> bool:
    """R-7.3: whether the body's part waits for the author's details and a comment written at `written` can be
    them: written after the part's interim answer could be in the network (a comment Otklik reads late may have
    been written before the interim answer: it does not answer it)."""
    if part_phase(part) != S.AWAITING_AUTHOR:
        return False
    if written is None:
        return True
    interim = (
        Publication.objects.filter(draft__assignment=part, draft__kind=Draft.Kind.INTERIM)
        .select_related("draft")
        .order_by("-published_at", "-id")
        .first()
    )
    if interim is None:
        return True
    by_hand = interim.method == Publication.Method.MANUAL
    return written >= _out_since(interim.draft, interim.published_at, by_hand=by_hand)


@transaction.atomic
def register_clarification(
    case: Case, message: Message, *, now: datetime | None = None, arrived: datetime | None = None
) -> Deadline:
    """R-7.3: the author's details arrived; the answer is due 2 working hours after them, for every body whose
    interim answer waits for them and could be answered by the comment (`awaits_details`). `arrived`: when they count from if not the comment's publication (a comment
    Otklik could see only later: read late, or edited into the details)."""
    now = _now(now)
    case = _lock(case, "gov_clarification", None)
    # only the bodies whose interim answer the comment could answer: written after it could be in the network
    waiting = [a for a in parts_of(case) if awaits_details(a, message.published_at)]
    if not waiting:
        raise ActionRefused(
            f"{REFUSALS['gov_clarification']} Сейчас: «{case.get_status_display()}».", "state"
        )
    arrived = arrived or message.published_at or now
    CaseMessage.objects.get_or_create(
        message=message, defaults={"case": case, "is_author_reply": True, "added_at": now}
    )
    # the answer is due from whoever does each executor's work now (the executor may have gone away)
    doers = {a.pk: doer(a.executor, now, a.body) for a in waiting}
    deadlines = [
        open_deadline(
            case,
            Stage.GOV_AFTER_REPLY,
            arrived,
            responsible=doers[a.pk][0],
            body=a.body,
            assignment=a,
            policy_key="gov_after_reply",
        )
        for a in waiting
    ]
    _sync(case, "gov_clarification", waiting[0], None, now, (message.text or "")[:500])
    _tell_parts(
        case, waiting, Notification.Kind.WORK, f"Автор ответил на уточнение по вопросу № {case.pk}.", now
    )
    return deadlines[0]


# People send their details in a burst of comments («Поликлиника № 2.», then «Адрес: …»): the author's comments
# under the post this soon after the previous part of the details, while the body has not yet answered, are
# details too (`details_continue`).
DETAILS_BURST = timedelta(minutes=15)


def _drafting_after_details(a: Assignment) -> bool:
    """The body's part got the author's details and has not answered since: its R-7.3 term runs and it drafts."""
    if part_phase(a) not in (S.DRAFTING, S.REVISION):
        return False
    return Deadline.objects.filter(OPEN_DEADLINE, assignment=a, stage=Stage.GOV_AFTER_REPLY).exists()


def open_questions_of(message: Message, *, details: bool = False) -> QuerySet[Case]:
    """The open questions under the message's post with a message of its author (`details`: one taken as their
    details, R-7.3), newest first."""
    linked: dict[str, Any] = {
        "case_messages__message__post_id": message.post_id,
        "case_messages__message__author_id": message.author_id,
    }
    if details:
        linked["case_messages__is_author_reply"] = True
    return (
        Case.objects.filter(origin=Case.Origin.GOVERNOR_POST, status__in=Case.OPEN_STATUSES, **linked)
        .distinct()
        .order_by("-id")
    )


def details_continue(message: Message) -> Case | None:
    """R-7.3: the question whose author's details this comment continues: the same author under the same post,
    written after their last comment taken as details and within `DETAILS_BURST` of it, while a body that got
    the details has not answered yet (its draft not yet sent). None otherwise."""
    written = message.published_at
    if not message.author_id or message.post_id is None or written is None:
        return None
    for case in open_questions_of(message, details=True):
        last = (
            case.case_messages.filter(is_author_reply=True, message__author_id=message.author_id)
            .exclude(message=message)
            .order_by("-message__published_at")
            .values_list("message__published_at", flat=True)
            .first()
        )
        if last is None or not last <= written <= last + DETAILS_BURST:
            continue
        if any(_drafting_after_details(a) for a in parts_of(case)):
            return case
    return None


def _following_details(case: Case, first: Comment, now: datetime) -> None:
    """R-7.3: the rest of the author's details written right after `first` (taken as the details only when the
    interim answer was confirmed, `_early_clarification`): the author's later comments under the post, each within
    `DETAILS_BURST` of the previous one, that were kept as plain comments meanwhile."""
    post_id = first.message.post_id
    if first.message.published_at is None or post_id is None:
        return
    later = (
        Comment.objects.filter(
            case__isnull=True,
            kind=Comment.Kind.OTHER,
            message__post_id=post_id,
            message__author_id=first.message.author_id,
            message__network=first.message.network,
            message__published_at__gt=first.message.published_at,
        )
        .select_related("message")
        .order_by("message__published_at", "id")
    )
    for c in later:
        if details_continue(c.message) != case:
            break
        add_details(case, c.message, now=now)
        Comment.objects.filter(pk=c.pk).update(
            kind=Comment.Kind.CLARIFICATION, reason="продолжение ответа автора на уточнение", case=case
        )


@transaction.atomic
def add_details(case: Case, message: Message, *, now: datetime | None = None) -> CaseMessage:
    """R-7.3: a further comment of the author's details (`details_continue`) joins the question's details: shown
    in its card with the first, recorded in its timeline, and the executors drafting the answer are told. The
    answer stays due 2 working hours after the first part of the details: no new term."""
    now = _now(now)
    case = _lock(case, "gov_clarification", None)
    drafting = [a for a in parts_of(case) if _drafting_after_details(a)]
    if not drafting:
        raise ActionRefused("Ответ уже направлен: дополнение автора не принято к уточнению.", "state")
    link, _ = CaseMessage.objects.get_or_create(
        message=message, defaults={"case": case, "is_author_reply": True, "added_at": now}
    )
    CaseEvent.objects.create(
        case=case, at=now, actor=None, action="gov_details", reason=(message.text or "")[:2000]
    )
    said = f"Автор дополнил уточнение по вопросу № {case.pk}: {message.text or ''}"[:400]
    _tell_parts(case, drafting, Notification.Kind.WORK, said, now)
    return link


# ---------------------------------------------------------------------------------------------- take / hand over
def _move_to_body(
    case: Case,
    action: str,
    old: Assignment,
    body: Body,
    executor: Person | None,
    actor: Person,
    now: datetime,
    reason: str,
) -> Assignment:
    """Move one body's part to another body; the other bodies' parts stay as they are. The body must be one that
    answers (not the information policy office, not one taken out of the directory: R-3) and have somebody to
    answer, or the question would wait with nobody while its 2 working hours run (R-7.2).

    The old body's running term is closed; one already past due is its violation (R-12), recorded now if the
    sweep has not yet. The new body keeps the question's start while its term still runs (counted in the new
    body's working time), and gets its own 2 working hours from now once that term has run out."""
    if old.body_id == body.pk:
        raise ActionRefused("Вопрос уже у этого органа.", "same_body")
    if any(a.body_id == body.pk for a in parts_of(case)):
        raise ActionRefused(f"Орган «{body}» уже отвечает на этот вопрос.", "same_body")
    check_workable(body)
    if executor is None and default_executor(body) is None:
        raise ActionRefused(
            f"В органе «{body}» нет сотрудников: вопрос некому передать, выберите другой орган.", "no_people"
        )
    running = open_deadlines(case, *GOV_STAGES, assignment=old)
    # the old body's term already past due stays its violation, whether or not the sweep recorded it yet
    finish_deadlines(running, now, met=False, late_note=f"вопрос передан органу «{body}» после срока")
    Assignment.objects.filter(pk=old.pk).update(state=A.REPLACED)
    new, actual = _start(case, body, now, executor)
    for d in running:
        key = "gov_answer" if d.stage == Stage.GOV_ANSWER else "gov_after_reply"
        # The regulation's clock does not restart when the work changes hands: the same start, the new body's
        # time. Once that term has run out, the taking body gets its own 2 working hours from taking it — it is
        # not late before it began (as a body joining late, `join_question`); the late one was the old body.
        start = start_or_now(d.started_at, body, key, now)
        open_deadline(
            case,
            Deadline.Stage(d.stage),
            start,
            responsible=actual,
            body=body,
            assignment=new,
            policy_key=key,
        )
    _sync(case, action, new, actor, now, f"{old.body} → {body}: {reason}"[:2000])
    notify(
        actual,
        case,
        Notification.Kind.WORK,
        f"Вопрос под постом Губернатора № {case.pk} для органа «{body}».",
        now,
    )
    if actual is None:
        _nobody_told(case, new, now)
    return new


@transaction.atomic
def take_question(
    case: Case, actor: Person, body: Body, *, reason: str = "", now: datetime | None = None
) -> Assignment:
    """R-7.1: a body takes a question routed to another body; recorded in the case's timeline. When several
    bodies answer the question, a body does not take it from them: it joins (`join_question`)."""
    now = _now(now)
    if body.pk not in body_ids_of(actor):
        raise ActionRefused("Взять вопрос может сотрудник этого органа.", "forbidden")
    case = _lock(case, "gov_take", None)
    parts = parts_of(case)
    if any(a.body_id == body.pk for a in parts):
        raise ActionRefused("Вопрос уже у этого органа.", "same_body")
    if len([a for a in parts if a.state != A.DONE]) > 1:
        raise ActionRefused(
            "На вопрос отвечают несколько органов: ответьте от своего органа кнопкой "
            "«Присоединиться: наш орган тоже отвечает», не забирая вопрос у других.",
            "several",
        )
    old = _part(case, None, "gov_take", may=lambda a: a.state != A.DONE, forbidden="Вопрос уже закрыт.")
    return _move_to_body(
        case, "gov_take", old, body, actor, actor, now, reason or "вопрос в компетенции органа"
    )


@transaction.atomic
def hand_over(
    case: Case,
    actor: Person,
    to_body: Body,
    *,
    reason: str = "",
    now: datetime | None = None,
    body: Body | None = None,
) -> Assignment:
    """R-7.1: the body hands its part of the question over to the competent body; recorded in the case's
    timeline. Other bodies answering the same question keep their parts."""
    now = _now(now)
    case = _lock(case, "gov_handover", None)
    old = _part(
        case,
        body,
        "gov_handover",
        may=_member(actor),
        forbidden="Передать вопрос может сотрудник органа, у которого он в работе.",
    )
    if not reason.strip():
        raise ActionRefused("Укажите, почему вопрос передаётся.", "reason")
    return _move_to_body(case, "gov_handover", old, to_body, None, actor, now, reason)


# ---------------------------------------------------------------------------------------------- no answer needed
NOT_NEEDED_FORBIDDEN = (
    "Отметить, что ответ не нужен, может ответственный органа, которому направлен вопрос, или куратор."
)


def parts_to_end(
    actor: Person | None, open_parts: Iterable[Assignment], heads: set[int] | None = None, *, now: datetime
) -> list[Assignment]:
    """The open parts of a question `actor` may end «ответ не нужен» (`end_question`): every one for a curator or
    the system (`actor` None), for anybody else the parts of the bodies whose responsible official's work the actor
    does now (`heads`, read by `heading_body_ids` when not given: his own, or an absent head's as his substitute).
    The post page offers the button only when there is one."""
    if actor is None or actor.is_curator:
        return list(open_parts)
    heads = heading_body_ids(actor, now) if heads is None else heads
    return [a for a in open_parts if a.body_id in heads]


@transaction.atomic
def end_question(
    case: Case,
    actor: Person | None,
    reason: str,
    *,
    now: datetime | None = None,
    body: Body | None = None,
    expected_version: int | None = None,
) -> Case:
    """R-7.1, R-7.2: a question that needs no answer — its author deleted the comment, or it is a copy of another
    question — is ended with «ответ не нужен» and why: by the responsible official of a body answering it (that
    body's part; `body` for one of several), by a curator (every part still open, or `body`'s), or by the system
    (`actor` None: `service.close_withdrawn`). Its running R-7 deadlines are closed without a violation; one that
    ran out before the decision (or before the comment was deleted in the network, when it was) stays a
    violation (R-12), recorded now if the sweep has not yet. The executors of the ended parts are told."""
    now = _now(now)
    reason = " ".join(reason.split())
    if not reason:
        raise ActionRefused("Напишите, почему ответ не нужен.", "reason")
    case = _lock(case, "gov_not_needed", expected_version)
    open_parts = [a for a in parts_of(case) if a.state != A.DONE]
    if body is not None:
        open_parts = [a for a in open_parts if a.body_id == body.pk]
    ending = parts_to_end(actor, open_parts, now=now)
    if actor is None or actor.is_curator:
        who = "" if actor is None else f" (куратор {actor})"
    else:
        who = f" (ответственный органа {actor})"
        if open_parts and not ending:
            raise ActionRefused(NOT_NEEDED_FORBIDDEN, "forbidden")
    if not ending:
        raise ActionRefused(f"{REFUSALS['gov_not_needed']} Сейчас: «{case.get_status_display()}».", "state")
    link = case.case_messages.filter(is_author_reply=False).select_related("message").order_by("id").first()
    gone_at = link.message.deleted_at if link is not None else None
    late_before = min(now, gone_at) if gone_at is not None else now
    for a in ending:
        finish_deadlines(
            open_deadlines(case, *GOV_STAGES, assignment=a),
            now,
            met=False,
            late_before=late_before,
            late_note="срок истёк до решения «ответ не нужен»",
        )
        Assignment.objects.filter(pk=a.pk).update(state=A.DONE)
        a.state = A.DONE
    said = f"ответ не нужен: {reason}{who}"
    _sync(case, "gov_not_needed", ending[-1], actor, now, said)
    _tell_parts(
        case,
        ending,
        Notification.Kind.CLOSED,
        f"Вопрос под постом Губернатора № {case.pk} закрыт: {said}.",
        now,
        actor,
    )
    log.info(
        "governor question %s: parts %s ended, no answer needed: %s", case.pk, [a.pk for a in ending], reason
    )
    if gone_at is not None and Case.objects.filter(pk=case.pk, status=S.CLOSED).exists():
        # the question's comment is gone from the network: a «повтор» of it still there is the question now
        from .service import retriage_copies

        retriage_copies(case, now)
    return case


@transaction.atomic
def reopen_restored(case: Case, reason: str, *, now: datetime | None = None) -> Case:
    """R-7.2: the question was ended by itself because its author deleted the comment (`service.close_withdrawn`),
    and the author has restored it in the network: it asks again. The parts that ended without an answer are in
    work again, each with a new 2-working-hour `gov_answer` term from now (nothing ran while it was gone), and
    their executors are told."""
    now = _now(now)
    case = _lock(case, "gov_restored", None)
    answered = Draft.objects.filter(
        assignment=OuterRef("pk"), state=Draft.State.PUBLISHED, kind=Draft.Kind.ANSWER
    )
    parts = [
        a
        for a in case.assignments.filter(state=A.DONE)
        .exclude(Exists(answered))
        .select_related("body", "executor")
        .order_by("id")
    ]
    if not parts:
        raise ActionRefused("У вопроса нет органа, которому его вернуть.", "no_body")
    for a in parts:
        Assignment.objects.filter(pk=a.pk).update(state=A.ACTIVE)
        a.state = A.ACTIVE
        open_deadline(
            case,
            Stage.GOV_ANSWER,
            now,
            responsible=a.executor,
            body=a.body,
            assignment=a,
            policy_key="gov_answer",
        )
    _sync(case, "gov_restored", parts[-1], None, now, reason)
    _tell_parts(
        case,
        parts,
        Notification.Kind.WORK,
        lambda a: (
            f"Вопрос под постом Губернатора № {case.pk} снова в работе органа «{a.body}»: {reason}. "
            "Срок ответа — 2 рабочих часа с этого момента."
        ),
        now,
    )
    log.info("governor question %s: parts %s in work again: %s", case.pk, [a.pk for a in parts], reason)
    return case


def not_needed_reasons(case: Case) -> list[str]:
    """The «ответ не нужен» decisions recorded on the question (`end_question`), for its card: why and by whom,
    with the body first when several bodies answer it (`_said`)."""
    return not_needed_reasons_of([case.pk]).get(case.pk, [])


def not_needed_reasons_of(case_ids: Iterable[int]) -> dict[int, list[str]]:
    """`not_needed_reasons` of several questions at once (a post page): one read of the events."""
    said = (
        CaseEvent.objects.filter(case_id__in=list(case_ids), action="gov_not_needed")
        .order_by("at", "id")
        .values_list("case_id", "reason")
    )
    reasons: dict[int, list[str]] = {}
    for case_id, reason in said:
        reasons.setdefault(case_id, []).append(reason.replace("ответ не нужен: ", "", 1))
    return reasons
