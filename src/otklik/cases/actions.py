"""Every state change of a case (clause 8). One function per transition: atomic (row lock on the case plus
a version check), guarded by the transition table below, writing a `CaseEvent`, opening and closing
`Deadline`s. Views, tasks and connectors call these and never save a case themselves.

Every function takes `now=` so tests (and imports of past work) drive the workflow on a controlled clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from otklik.analysis.models import Decision
from otklik.analysis.models import Kind as AnalysisKind
from otklik.answers.checker import check_answer
from otklik.answers.formats import network_format, network_length
from otklik.intake.models import Message, Network
from otklik.intake.text import web_link
from otklik.org.duty import Duty, absence_at, away_text, on_duty
from otklik.org.models import Body, Municipality, Person, Role, Settlement, Topic, TopicGroup
from otklik.web.numbers import counted

from . import policy
from .models import (
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
    Violation,
)
from .notify import curator_duty, curators_for, curators_instead_of, notify
from .sla import (
    carry_deadline,
    finish_deadlines,
    hand_back_total,
    open_deadline,
    open_deadlines,
    reopen_deadline,
    told_about,
)

S = Case.Status
Stage = Deadline.Stage
A = Assignment.State


class ActionRefused(Exception):
    """A transition that is not allowed now; `message` is shown to the person as is (Russian). `field`: the form
    field it is about where one form has several of a kind (a link under each author's message), for the page to
    mark it."""

    code = "refused"

    def __init__(self, message: str, code: str | None = None, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class StaleCase(ActionRefused):
    """Somebody else changed the case after the page was opened: no lost update."""

    code = "stale"


# The allowed transitions: action -> (states it may start from, states it may lead to).
TRANSITIONS: Final[dict[str, tuple[frozenset[str], frozenset[str]]]] = {
    "reject_assignment": (frozenset({S.DRAFTING}), frozenset({S.DRAFTING, S.REROUTING, S.REVIEW})),
    # no move: a body that owes its part (`owed_part`: named after an interim common answer, R-8.2 with R-8.9)
    # refuses, or sends its part, whatever the case's status (the composer's request may be on review meanwhile)
    "reject_owed": (frozenset(Case.OPEN_STATUSES), frozenset(Case.OPEN_STATUSES)),
    "reassign": (frozenset({S.DRAFTING, S.REROUTING}), frozenset({S.DRAFTING})),
    "submit_part": (frozenset({S.DRAFTING}), frozenset({S.DRAFTING, S.REVIEW})),
    "submit_owed_part": (frozenset(Case.OPEN_STATUSES), frozenset(Case.OPEN_STATUSES)),
    "submit_draft": (frozenset({S.DRAFTING}), frozenset({S.REVIEW})),
    "approve_draft": (frozenset({S.REVIEW}), frozenset({S.PUBLISHING})),
    "return_draft": (frozenset({S.REVIEW}), frozenset({S.REVISION})),
    "revise_draft": (frozenset({S.REVISION}), frozenset({S.REVIEW})),
    "confirm_publication": (
        frozenset({S.PUBLISHING}),
        frozenset({S.CLOSED, S.DRAFTING, S.AWAITING_AUTHOR, S.REVIEW, S.REROUTING}),
    ),
    # while the answer is prepared or reviewed only after a request went out (`late_reply_awaited`)
    "register_author_reply": (
        frozenset({S.AWAITING_AUTHOR, S.DRAFTING, S.REVIEW, S.REVISION}),
        frozenset({S.DRAFTING, S.REVIEW, S.REVISION}),
    ),
    "answer_without_author": (frozenset({S.AWAITING_AUTHOR}), frozenset({S.DRAFTING})),
    "close_case": (frozenset(Case.OPEN_STATUSES), frozenset({S.CLOSED})),
    # no move: the body's work changes hands within the body
    "hand_to_executor": (frozenset(Case.OPEN_STATUSES), frozenset(Case.OPEN_STATUSES)),
}

REFUSALS: Final[dict[str, str]] = {
    "reject_assignment": "Отказаться можно только пока проект не направлен на согласование.",
    "reject_owed": "Отказаться можно только пока проект не направлен на согласование.",
    "reassign": "Переназначить можно только на этапе подготовки проекта.",
    "submit_part": "Информацию для общего ответа можно направить только на этапе подготовки.",
    "submit_owed_part": "Информацию для общего ответа можно направить только на этапе подготовки.",
    "submit_draft": "Проект можно направить только на этапе подготовки.",
    "approve_draft": "Проект уже рассмотрен: согласовать его сейчас нельзя.",
    "return_draft": "Проект уже рассмотрен: вернуть его сейчас нельзя.",
    "revise_draft": "Доработать можно только возвращённый проект.",
    "confirm_publication": "Подтвердить публикацию можно только для согласованного ответа.",
    "register_author_reply": "Ответ автора ждём только после опубликованного запроса (уточнения).",
    "answer_without_author": "Готовить ответ без уточнения можно, только пока обращение ждёт ответа автора.",
    "close_case": "Обращение уже закрыто.",
    "hand_to_executor": "Обращение уже закрыто.",
}


def _now(now: datetime | None) -> datetime:
    return now if now is not None else timezone.now()


# ---------------------------------------------------------------------------------------------- guards
def body_ids_of(person: Person) -> set[int]:
    """Bodies a person works for in the workflow (executor or responsible official)."""
    return set(
        Role.objects.filter(person=person, kind__in=Role.BODY_BOUND, body__isnull=False).values_list(
            "body_id", flat=True
        )
    )


def _require_curator(actor: Person) -> None:
    if not actor.is_curator:
        raise ActionRefused("Это действие выполняет куратор.", "forbidden")


def _require_member(actor: Person, body_id: int, what: str = "Это действие") -> None:
    if body_id not in body_ids_of(actor):
        raise ActionRefused(
            f"{what} выполняет исполнитель органа, которому направлено обращение.", "forbidden"
        )


def lock_case(
    case: Case,
    action: str,
    expected_version: int | None,
    *,
    origin: str,
    transitions: dict[str, tuple[frozenset[str], frozenset[str]]],
    refusals: dict[str, str],
    wrong_origin: str,
    stale: str,
) -> Case:
    """Lock the case row (PostgreSQL) and check its workflow, the version the person saw (every database)
    and that `action` is allowed from its status. Shared by clause 8 (here) and clause 7 (governor)."""
    # only the case row: the curator joined in is read, not locked (actions on two cases by one curator do not wait)
    locked = Case.objects.select_for_update(of=("self",)).select_related("dispatched_by").get(pk=case.pk)
    if locked.origin != origin:
        raise ActionRefused(wrong_origin, "origin")
    if expected_version is not None and locked.version != expected_version:
        raise StaleCase(stale)
    allowed_from, _ = transitions[action]
    if locked.status not in allowed_from:
        raise ActionRefused(f"{refusals[action]} Сейчас: «{locked.get_status_display()}».", "state")
    return locked


def move_case(
    case: Case,
    action: str,
    to: str,
    actor: Person | None,
    now: datetime,
    reason: str = "",
    *,
    transitions: dict[str, tuple[frozenset[str], frozenset[str]]],
    stale: str,
) -> None:
    """Apply a transition allowed by the table: conditional update on the version, then the event."""
    allowed_from, allowed_to = transitions[action]
    if case.status not in allowed_from or to not in allowed_to:  # a bug in the caller, not a user error
        raise AssertionError(f"transition {action}: {case.status} -> {to} is not in the table")
    changed = Case.objects.filter(pk=case.pk, version=case.version).update(
        status=to, version=F("version") + 1, closed_at=now if to == S.CLOSED else None
    )
    if changed != 1:
        raise StaleCase(stale)
    from_status = case.status
    case.refresh_from_db(fields=["status", "version", "closed_at"])
    CaseEvent.objects.create(
        case=case, at=now, actor=actor, action=action, from_status=from_status, to_status=to, reason=reason
    )


def _lock(case: Case, action: str, expected_version: int | None) -> Case:
    try:
        return lock_case(
            case,
            action,
            expected_version,
            origin=Case.Origin.CURATOR,
            transitions=TRANSITIONS,
            refusals=REFUSALS,
            # R-7.1: a question under a Governor's post has its own workflow (otklik.governor.actions).
            wrong_origin="Это вопрос под постом Губернатора: ответ готовится на странице поста.",
            stale="Обращение уже изменил другой сотрудник. Обновите страницу и посмотрите, что изменилось.",
        )
    except ActionRefused as exc:
        # the change somebody else made was the curator closing the case: say so, with the reason
        closed = closed_note(case) if exc.code in ("stale", "state") else None
        if closed is not None:
            raise ActionRefused(closed, "closed") from exc
        raise


def closed_note(case: Case) -> str | None:
    """The words for a case the curator closed by decision (`close_case`), with the reason; None for a case that is
    open or closed by the publication of its answer. Said to the executors when the curator closes the case and
    to anyone whose action on it is refused afterwards."""
    if not Case.objects.filter(pk=case.pk, status=S.CLOSED).exists():
        return None
    reason = close_reason(case.pk)
    return None if reason is None else _closed_words(case, reason)


def close_reason(case_id: int) -> str | None:
    """The reason the curator gave when she last closed the case by decision (`close_case`); None if she did not."""
    return (
        CaseEvent.objects.filter(case_id=case_id, action="close_case", to_status=S.CLOSED)
        .order_by("-at", "-id")
        .values_list("reason", flat=True)
        .first()
    )


def _closed_words(case: Case, reason: str) -> str:
    return f"Куратор закрыл обращение № {case.pk}: {reason.rstrip('.')}. Работа по нему не нужна."


def _move(case: Case, action: str, to: str, actor: Person | None, now: datetime, reason: str = "") -> None:
    move_case(
        case,
        action,
        to,
        actor,
        now,
        reason,
        transitions=TRANSITIONS,
        stale="Обращение уже изменил другой сотрудник. Обновите страницу.",
    )


# ---------------------------------------------------------------------------------------------- helpers
def default_executor(body: Body) -> Person | None:
    """The body's first active executor (alphabetically), or its responsible official."""
    for kind in (Role.Kind.EXECUTOR, Role.Kind.RESPONSIBLE):
        person = (
            Person.objects.filter(roles__kind=kind, roles__body=body, is_active=True)
            .order_by("last_name", "first_name", "pk")
            .first()
        )
        if person is not None:
            return person
    return None


def _overall_minutes(case: Case) -> tuple[str, int | None]:
    if case.shortened_minutes:
        return "overall_normal", case.shortened_minutes
    return ("overall_high" if case.importance == Case.Importance.HIGH else "overall_normal"), None


def _start_assignment(case: Case, a: Assignment, now: datetime, *, multi: bool, actor: Person | None) -> None:
    """The body receives the message: resolve who actually works (R-6) and open its deadlines."""
    intended = a.intended_executor or default_executor(a.body)
    actual: Person | None = intended
    note = ""
    if intended is not None:
        duty = on_duty(intended, now, body_id=a.body_id)
        actual = duty.person
        note = duty.explanation
    a.intended_executor = intended
    a.executor = actual
    a.duty_note = note[:500]
    a.received_at = now
    a.state = A.ACTIVE
    a.save(update_fields=["intended_executor", "executor", "duty_note", "received_at", "state"])
    key, override = _overall_minutes(case)

    def _open(
        stage: Deadline.Stage, key: str, override: int | None = None, not_after: datetime | None = None
    ) -> Deadline:
        return open_deadline(
            case,
            stage,
            now,
            responsible=actual,
            body=a.body,
            assignment=a,
            policy_key=key,
            override_minutes=override,
            not_after=not_after,
        )

    _open(Stage.REJECT_WINDOW, "reject_window")
    overall = _open(Stage.OVERALL, key, override)
    # R-8.3 against R-8.4/8.9: with high importance (4 working hours) or a shortened term the executor's 5 hours
    # would end after the whole term; the draft (or the body's part) is due by then at the latest
    _open(Stage.PART if multi else Stage.DRAFT, "part" if multi else "draft", not_after=overall.due_at)
    who = (
        f"исполнитель {actual}" if actual else "исполнителя нет: никого нет на месте, нужно решение куратора"
    )
    instead = ""  # R-6: whose work a substitute does, in the timeline and in the substitute's notice
    if actual is not None and intended is not None and actual.pk != intended.pk:
        instead = f"вместо {intended}: {note}"
        who = f"исполнитель {actual} ({instead})"
    CaseEvent.objects.create(
        case=case, at=now, actor=actor, action="assignment_started", reason=f"{a.body}: {who}"
    )
    notify(
        actual,
        case,
        Notification.Kind.WORK,
        with_substitute(f"Новое обращение № {case.pk} для органа «{a.body}».", instead),
        now,
    )
    if actual is None:
        # R-6: nobody of the body can take the message now; its terms run all the same, so the curators decide at
        # once (hand the work to someone of the body, or name another body), not at the first reminder
        why = f" ({note})" if note else ""
        for curator in curators_for(case, now):
            notify(
                curator,
                case,
                Notification.Kind.WORK,
                f"Обращение № {case.pk}: в органе «{a.body}» никого нет на месте: нужно решение куратора{why}. "
                "Передайте работу исполнителю органа или назначьте другой орган.",
                now,
            )


def _live(case: Case) -> list[Assignment]:
    return list(case.assignments.exclude(state__in=Assignment.GONE).select_related("body", "executor"))


def is_multi(case: Case) -> bool:
    """R-8.9: the case's answer is put together from several bodies' parts. A body that refused (R-8.2) still
    counts until the curator names a new body in its place (`reassign`): its question is still to be answered,
    and the other bodies, started in the curator's order, go on sending their parts for the common answer."""
    shares = case.assignments.exclude(state=A.REPLACED).count()
    return shares > 1 or case.drafts.filter(kind=Draft.Kind.PART).exists()


def publisher_now(case: Case, draft: Draft, now: datetime) -> Person | None:
    """Who publishes the approved draft now (R-8.7, R-6): its body's executor or whoever does their work."""
    publisher = _publisher(case, draft)
    if publisher is None:
        return draft.author
    return doer(publisher.executor, now, publisher.body)[0] or draft.author


def _publisher(case: Case, draft: Draft) -> Assignment | None:
    if draft.assignment_id is not None:
        return draft.assignment
    live = _live(case)
    return live[0] if live else None


def may_revise(actor: Person, draft: Draft, now: datetime | None = None) -> bool:
    """Whether `revise_draft` takes the actor's revision of the returned draft (the case page offers it only then):
    a member of the draft's body; a draft of no body (the curator's common answer, R-8.9) its author's, or while
    that curator is away a curator present's (R-6, as the curators share reviews: `curators_instead_of`). The case's
    composing curator may always revise it: a stand-in wrote it while she was away, and the revision is hers again."""
    if draft.assignment is not None:
        return draft.assignment.body_id in body_ids_of(actor)
    owners = {draft.author_id, draft.case.composer_id} - {None}
    if actor.pk in owners:
        return True
    if not actor.is_curator:
        return False
    now = now or timezone.now()
    return any(
        owner.is_curator and actor in curators_instead_of(owner, now)[0]
        for owner in Person.objects.filter(pk__in=owners)
    )


def may_confirm(actor: Person, case: Case, draft: Draft) -> bool:
    """Whether `confirm_publication` takes the actor's link for the approved draft (the case page offers it only
    then): the curator, or a member of the publishing body."""
    publisher = _publisher(case, draft)
    return actor.is_curator or publisher is None or publisher.body_id in body_ids_of(actor)


def doer(person: Person | None, now: datetime, body: Body | None) -> tuple[Person | None, str]:
    """R-6: who does `person`'s work for `body` now (the substitute while they are away) and, when that is
    somebody else, the words naming both for the notification and the timeline. With nobody of the body on
    duty the work stays with `person` (the curator is told by the sweep when its deadline is missed)."""
    if person is None:
        return None, ""
    duty = on_duty(person, now, body_id=body.pk if body is not None else None)
    if duty.person is None or duty.person.pk == person.pk:
        return person, ""
    return duty.person, duty.explanation


def with_substitute(text: str, instead: str) -> str:
    """A notification's or an event's text with the R-6 note on who does the work instead, when there is one."""
    return f"{text} ({instead})" if instead else text


def _open_review(case: Case, draft: Draft, now: datetime) -> None:
    """R-8.5: the draft waits for the curator's decision within the review term; the curator (or whoever does her
    work while she is away, R-6) is told at once — the term is one working hour, too short to wait for the first
    reminder."""
    curator = case.dispatched_by
    review = open_deadline(
        case, Stage.REVIEW, now, responsible=curator, body=curator.body, policy_key="review", draft=draft
    )
    recipients, instead = curator_duty(case, now)
    due = timezone.localtime(review.due_at)
    text = (
        f"На согласовании: {draft.kind_label} по обращению № {case.pk}, версия {draft.version} "
        f"(автор: {draft.author}). Согласуйте или верните на доработку до {due:%d.%m.%Y %H:%M}.{instead}"
    )
    for recipient in recipients:
        if recipient.pk != draft.author_id:  # a common answer the curator composed herself
            notify(recipient, case, Notification.Kind.WORK, text, now, review)


# ---------------------------------------------------------------------------------------------- R-8.1
def _hours_text(minutes: float) -> str:
    """Working time in words: «9 часов рабочего времени», «4 часа …», «1 ч 30 мин рабочего времени»."""
    whole = int(minutes)
    if whole % 60:
        return f"{whole // 60} ч {whole % 60:02d} мин рабочего времени"
    return f"{counted(whole // 60, 'час')} рабочего времени"


def check_shortened(importance: str, minutes: float) -> None:
    """R-8.3: the curator may only shorten the term: more than zero and less than the policy's limit for the
    importance. `minutes` may be a float straight from the form (even infinite): it is compared, not stored."""
    high = importance == Case.Importance.HIGH
    limit = policy.minutes("overall_high" if high else "overall_normal")
    if not minutes > 0:  # also NaN
        raise ActionRefused("Сокращённый срок должен быть больше нуля.", "shortened")
    if not minutes < limit:
        raise ActionRefused(
            f"Сокращённый срок должен быть меньше обычного (п. 8.3): {_hours_text(limit)} "
            f"для {'высокой' if high else 'обычной'} важности.",
            "shortened",
        )


def workable(body: Body) -> bool:
    """A working executive body or administration: not one taken out of the directory, nor the information policy
    office, which curates and does not answer (R-3)."""
    return body.is_active and not body.is_coordinator


def check_workable(body: Body) -> None:
    """A case goes only to a `workable` body."""
    if not workable(body):
        raise ActionRefused(
            f"Орган «{body}» не принимает обращения: выберите орган из списка действующих.", "body"
        )


@dataclass(frozen=True)
class Route:
    body: Body
    order: int = 1
    executor: Person | None = None


def _check_not_excluded(messages: Sequence[Message]) -> None:
    """R-10 with R-8.1: a colleague may have excluded one of the messages after the dispatch form was opened. The
    caller holds the message rows' locks, which the exclusion takes too (`views.moderation`), so what is read here is
    final. An excluded message is not sent to a body: the curator is told who excluded it, when and why."""
    excluded = excluded_by_curator(messages)
    for m in messages:
        if m.pk not in excluded:
            continue
        which = f" Это сообщение № {m.pk}." if len(messages) > 1 else ""
        raise ActionRefused(
            f"Сообщение {excluded[m.pk]}.{which} Если на него нужно ответить, снимите исключение во входящих "
            "(«Исключённые») и направьте снова.",
            "excluded",
        )


def excluded_by_curator(messages: Iterable[Message | int]) -> dict[int, str]:
    """R-10: of these messages, those a curator's newest moderation decision excludes from work, each with the words
    «исключено из работы куратором …, причина: «…»» (who, when, why), in one query; a decision of no person (the
    system's, after the author's edit) reads «исключено из работы модерацией (п. 10) …»."""
    newest: dict[int, Decision] = {}
    for decision in (
        Decision.objects.filter(message__in=list(messages), kind=AnalysisKind.MODERATION)
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
    ):
        newest.setdefault(decision.message_id, decision)
    said = {}
    for pk, d in newest.items():
        if not (d.value or {}).get("blocked"):
            continue
        reason = str((d.value or {}).get("reason") or "").strip()
        why = f", причина: «{reason[:300]}»" if reason else ""
        # no person: the system's own decision (the author edited a returned message into abuse)
        by = f"куратором {d.decided_by}" if d.decided_by else "модерацией (п. 10)"
        said[pk] = f"исключено из работы {by} {timezone.localtime(d.decided_at):%d.%m.%Y в %H:%M}{why}"
    return said


@transaction.atomic
def dispatch_case(
    curator: Person,
    messages: Sequence[Message],
    routes: Sequence[Route] = (),
    *,
    importance: str = Case.Importance.NORMAL,
    topic: Topic | None = None,
    topic_group: TopicGroup | None = None,
    municipality: Municipality | None = None,
    settlement: Settlement | None = None,
    whole_oblast: bool = False,
    shortened_minutes: int | None = None,
    multi_mode: str = Case.MultiMode.COMMON_BY_LAST,
    repeat_of: Case | None = None,
    summary: str = "",
    now: datetime | None = None,
) -> Case:
    """R-8.1: the curator sets topic, place and importance, may shorten the deadline, and sends the messages
    to one or several competent bodies (R-8.9: in the order set). R-8.10: a repeat links to the earlier case
    and, unless bodies are given, goes to the same bodies. The place is a municipal formation (and a settlement
    in it) or, `whole_oblast`, the oblast as a whole; the dispatch form requires one of them and a topic or a
    group of topics (the machine's paths and the tests may leave them unset)."""
    now = _now(now)
    _require_curator(curator)
    if not messages:
        raise ActionRefused("Выберите хотя бы одно сообщение.")
    # Two curators sending the same message at once: the message rows are locked (in id order, so two
    # dispatches of overlapping messages cannot deadlock) and the second one sees the first one's case.
    list(
        Message.objects.select_for_update()
        .filter(pk__in=[m.pk for m in messages])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    taken = CaseMessage.objects.filter(message__in=messages).values_list("case_id", flat=True).first()
    if taken is not None:
        raise ActionRefused(f"Сообщение уже в работе: обращение № {taken}.", "taken")
    _check_not_excluded(messages)
    if importance not in Case.Importance.values:
        raise ActionRefused("Неизвестная категория важности.")
    if shortened_minutes is not None:
        check_shortened(importance, shortened_minutes)
    routes = list(routes)
    if not routes and repeat_of is not None:
        seen: set[int] = set()
        for a in repeat_of.assignments.exclude(state__in=Assignment.GONE).select_related("body"):
            if a.body_id not in seen:
                seen.add(a.body_id)
                routes.append(Route(a.body, a.order))
    if not routes:
        raise ActionRefused("Выберите хотя бы один орган.", "body")
    for r in routes:
        check_workable(r.body)
    if len({r.body.pk for r in routes}) != len(routes):
        raise ActionRefused("Один и тот же орган выбран дважды.", "body")
    if multi_mode not in Case.MultiMode.values:
        raise ActionRefused("Неизвестный порядок подготовки общего ответа.")
    first = messages[0]
    case = Case.objects.create(
        status=S.DRAFTING,
        topic=topic,
        topic_group=topic_group or (topic.group if topic else None),
        municipality=municipality or (settlement.municipality if settlement else None),
        settlement=settlement,
        whole_oblast=whole_oblast and municipality is None and settlement is None,
        importance=importance,
        shortened_minutes=shortened_minutes,
        multi_mode=multi_mode,
        repeat_of=repeat_of,
        network=first.network,
        summary=(summary or first.text)[:300],
        dispatched_at=now,
        dispatched_by=curator,
    )
    CaseMessage.objects.bulk_create([CaseMessage(case=case, message=m, added_at=now) for m in messages])
    bodies = ", ".join(f"{r.order}. {r.body}" for r in sorted(routes, key=lambda r: r.order))
    extra = f"; повтор обращения № {repeat_of.pk}" if repeat_of else ""
    # what the curator set (R-8.1), for whoever reads the timeline later
    if case.topic is not None or case.topic_group is not None:
        extra += f"; тема: {case.topic or f'группа тем «{case.topic_group}»'}"
    if case.place:
        extra += f"; место: {case.place}"
    CaseEvent.objects.create(
        case=case,
        at=now,
        actor=curator,
        action="dispatch_case",
        to_status=S.DRAFTING,
        reason=f"Направлено: {bodies}; важность {case.get_importance_display()}{extra}",
    )
    first_order = min(r.order for r in routes)
    multi = len(routes) > 1
    assignments = [
        Assignment.objects.create(
            case=case, body=r.body, order=r.order, intended_executor=r.executor, state=A.WAITING
        )
        for r in routes
    ]
    for a in assignments:
        if a.order == first_order:
            _start_assignment(case, a, now, multi=multi, actor=curator)
    return case


# ---------------------------------------------------------------------------------------------- R-8.2
@transaction.atomic
def reject_assignment(
    actor: Person,
    assignment: Assignment,
    reason: str,
    *,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Assignment:
    """R-8.2: the executor tells the curator the question is outside the body's competence. Within the
    window it is routine; after it the rejection still goes through, and the late notice is a violation."""
    now = _now(now)
    # R-8.2 with R-8.9: a body that owes its part refuses whatever the case's status (`owed_part`)
    case = _lock(assignment.case, "reject_owed", expected_version)
    a = Assignment.objects.select_for_update().get(pk=assignment.pk)
    drafting = case.status == S.DRAFTING
    if not drafting and not _owes_part(case, a):
        raise ActionRefused(
            f"{REFUSALS['reject_assignment']} Сейчас: «{case.get_status_display()}».", "state"
        )
    _require_member(actor, a.body_id, "Отказ")
    if a.state != A.ACTIVE:
        raise ActionRefused("Отказаться можно только от назначения, которое сейчас в работе.")
    if not reason.strip():
        raise ActionRefused("Укажите, почему вопрос не относится к компетенции органа.", "reason")
    windows = Deadline.objects.filter(case=case, assignment=a, stage=Stage.REJECT_WINDOW).select_related(
        "case", "responsible", "body"
    )
    for window in windows:
        if window.met_at is None and (window.cancelled_at is None or now > window.due_at):
            # An expired window is reopened just long enough to be met late: that records the violation.
            window.cancelled_at = None
            Deadline.objects.filter(pk=window.pk).update(cancelled_at=None)
            finish_deadlines([window], now, met=True)
    finish_deadlines(open_deadlines(case, assignment=a), now, met=False)
    a.state = A.REJECTED
    a.rejected_at = now
    a.reject_reason = reason.strip()
    a.save(update_fields=["state", "rejected_at", "reject_reason"])
    text = f"Отказ органа «{a.body}» по обращению № {case.pk}: {a.reject_reason}"
    for curator in curators_for(case, now):
        notify(curator, case, Notification.Kind.WORK, text, now)
    why = f"{a.body}: не относится к компетенции — {a.reject_reason}"
    if not drafting:
        # the common answer is in hand (its request on review, its publication, the author's reply awaited): the
        # case stays where it is, the refusal is recorded and the curator told (above)
        CaseEvent.objects.create(case=case, at=now, actor=actor, action="reject_assignment", reason=why)
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
        return a
    live = _live(case)
    to = S.REROUTING if not live else S.DRAFTING
    _move(case, "reject_assignment", to, actor, now, why)
    if live:
        _advance_parts(case, now, actor)
    return a


def _owes_part(case: Case, a: Assignment) -> bool:
    """R-8.9: whether the body of assignment `a` owes its part for the common answer now: the body received the
    message (ACTIVE) and its part's term is open."""
    return (
        a.state == A.ACTIVE
        and Deadline.objects.filter(OPEN_DEADLINE, case=case, assignment=a, stage=Stage.PART).exists()
    )


def owed_part(case: Case, person: Person) -> Assignment | None:
    """R-8.2 with R-8.9: the assignment of `person`'s body that owes its part for the common answer (`_owes_part`),
    or None. Such a body — named after an interim common answer went out, in place of one that refused — sends its
    part and may refuse (its R-8.2 window) whatever the case's status: the composer may meanwhile have a request
    for clarification on review or published, and the body's terms run all the same."""
    row = (
        Deadline.objects.filter(
            OPEN_DEADLINE,
            case=case,
            stage=Stage.PART,
            assignment__state=A.ACTIVE,
            assignment__body_id__in=body_ids_of(person),
        )
        .select_related("assignment", "assignment__body")
        .order_by("assignment__order", "assignment_id")
        .first()
    )
    return row.assignment if row is not None else None


@transaction.atomic
def reassign(
    curator: Person,
    assignment: Assignment,
    body: Body,
    *,
    executor: Person | None = None,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Assignment:
    """R-8.2: the curator names a new body (and executor) in place of a rejected or wrong assignment. Each
    assignment is replaced once: the old row becomes REPLACED (a rejected one keeps `rejected_at` and its
    reason), so a second click on the same refusal cannot start a second body."""
    now = _now(now)
    _require_curator(curator)
    try:
        case = _lock(assignment.case, "reassign", expected_version)
    except ActionRefused as exc:
        _explain_reassign_later(assignment, exc)
        raise
    old = Assignment.objects.select_for_update().select_related("body").get(pk=assignment.pk)
    if old.case_id != case.pk:  # a bug in the caller, not a user error
        raise AssertionError(f"assignment {old.pk} is not of case {case.pk}")
    if old.state == A.REPLACED:
        raise ActionRefused("Это назначение уже заменено: вместо него назначен другой орган.", "replaced")
    if old.state == A.DONE:
        raise ActionRefused("Этот орган уже выполнил свою часть: заменять его нельзя.", "state")
    check_workable(body)
    # R-8.2: never back to a body that refused this case, the one replaced now or an earlier one
    if case.assignments.filter(body=body, rejected_at__isnull=False).exists():
        raise ActionRefused(
            f"Орган «{body}» сообщил, что вопрос не относится к его компетенции. Выберите другой орган.",
            "rejected_body",
        )
    if case.assignments.exclude(pk=old.pk).exclude(state__in=Assignment.GONE).filter(body=body).exists():
        raise ActionRefused("Этот орган уже работает над обращением.")
    # R-6: whoever does the replaced body's work (it has the message, has not refused nor sent its part) loses it
    # and is told, as at a hand-over (`hand_to_executor`) or the curator's closing (`close_case`)
    losing = _working_on(case, old, now, curator) if old.state == A.ACTIVE else []
    finish_deadlines(open_deadlines(case, assignment=old), now, met=False)
    waits = old.state == A.WAITING
    old.state = A.REPLACED
    old.save(update_fields=["state"])
    # R-8.9: the information the replaced body has sent is not the answer's any more: it is neither reviewed and
    # published in its turn (`_review_next_part`) nor the common answer's source (`_advance_parts`, the composer's
    # page); it stays in the case's history, and its author is told
    set_aside = list(case.drafts.filter(assignment=old, state=Draft.State.RECEIVED).select_related("author"))
    Draft.objects.filter(pk__in=[d.pk for d in set_aside]).update(state=Draft.State.WITHDRAWN)
    new = Assignment.objects.create(
        case=case,
        body=body,
        order=old.order,
        intended_executor=executor,
        state=A.WAITING if waits else A.ACTIVE,
    )
    _move(
        case,
        "reassign",
        S.DRAFTING,
        curator,
        now,
        f"Вместо «{old.body}» назначен «{body}»"
        + (f"; информация органа «{old.body}» в ответ не войдёт" if set_aside else ""),
    )
    if not waits:
        _await_new_part(case, body, now, curator)
        _start_assignment(case, new, now, multi=is_multi(case), actor=curator)
    # R-6: a person who works for both bodies and does the new body's work on the case as well (its executor, or who
    # answers for its deadlines) keeps the case: «больше не ваша» would contradict the new body's notice to her
    keeps = {person.pk for person, _ in _working_on(case, new, now, curator)} | {new.executor_id}
    for person, instead in losing:
        if person.pk in keeps:
            continue
        notify(
            person,
            case,
            Notification.Kind.WORK,
            with_substitute(
                f"Куратор передал обращение № {case.pk} органу «{body}» вместо органа «{old.body}» "
                f"(переназначил: {curator}). Работа по нему больше не ваша: проект не направляйте.",
                instead,
            ),
            now,
        )
    for author in {d.author for d in set_aside} - {curator}:
        if author.pk in keeps:
            continue
        notify(
            author,
            case,
            Notification.Kind.WORK,
            f"Куратор передал обращение № {case.pk} органу «{body}» вместо органа «{old.body}» "
            f"(переназначил: {curator}). Направленная вами информация в ответ не войдёт.",
            now,
        )
    # R-8.9: a body replaced before its turn came (`waits`) is replaced in the curator's order: the new body receives
    # the message when that turn comes (`_advance_parts`), with its deadlines counted from then.
    return new


def _hand_over_violations(case: Case, a: Assignment, executor: Person, now: datetime) -> None:
    """R-12 with R-6: a term already missed goes on with the work to `executor`, still due when it was; the
    violation stays with the person it was charged to, late until now, when the work leaves them (the body stays
    late until it is done: `reports.deficiencies`). Work handed back to that person is theirs again: late until it
    is done, the time a colleague held it included (one end is kept, not each stretch)."""
    stamp = f"{timezone.localtime(now):%d.%m.%Y %H:%M}"
    charged = Violation.objects.filter(
        deadline__in=Deadline.objects.filter(OPEN_DEADLINE, case=case, assignment=a), person__isnull=False
    ).select_for_update()
    for v in charged:
        if v.person_id == executor.pk and v.handed_over_at is not None:
            v.handed_over_at, said = None, f"Работа возвращена {stamp}"
        elif v.person_id != executor.pk and v.handed_over_at is None:
            v.handed_over_at, said = now, f"Работа передана {stamp} исполнителю {executor}"
        else:
            continue
        v.note = ". ".join(part for part in (v.note, said) if part)[:500]
        v.save(update_fields=["handed_over_at", "note"])


def _working_on(case: Case, a: Assignment, now: datetime, actor: Person) -> list[tuple[Person, str]]:
    """Who works on the case for the body of assignment `a` now: its executor and whoever answers for an open
    deadline of it (drafting, its part, publishing), each as R-6 resolves them now (the substitute of one away,
    with the words naming both); not the `actor`."""
    people: list[tuple[Person | None, Body | None]] = [(a.executor, a.body)]
    people += [
        (d.responsible, d.body) for d in open_deadlines(case, assignment=a) if d.responsible is not None
    ]
    return _doers(people, now, actor)


def _doers(
    people: list[tuple[Person | None, Body | None]], now: datetime, actor: Person
) -> list[tuple[Person, str]]:
    """Who does the work of each (person, body) now (`doer`: R-6, with the words naming both when a substitute),
    once each, in order; not the `actor`."""
    found: dict[int, tuple[Person, str]] = {}
    for person, body in people:
        worker, instead = doer(person, now, body)
        if worker is not None and worker.pk != actor.pk and worker.pk not in found:
            found[worker.pk] = (worker, instead)
    return list(found.values())


def _composes_for(case: Case, a: Assignment) -> bool:
    """Whether the common answer is composed for this assignment's body (R-8.9, the last body's executor composes):
    the composer answers for an open deadline of the assignment (composing, revision, publication, the final answer
    after an interim one). The composer may be the assignment's executor or the substitute who sent its part for
    her (R-6); a part already sent by an executor who composes for another body has no such deadline."""
    return (
        a.state == A.PART_SUBMITTED
        and case.composer_id is not None
        and Deadline.objects.filter(
            OPEN_DEADLINE, case=case, assignment=a, responsible_id=case.composer_id
        ).exists()
    )


def can_hand_over(case: Case, a: Assignment) -> bool:
    """Whether the body's work on the case may go to another executor: not yet done, or its part sent while its
    executor composes the common answer for it."""
    return a.state in (A.ACTIVE, A.WAITING) or _composes_for(case, a)


class HandOverRefused(ActionRefused):
    """`hand_over_duty`'s refusal; `why` is the reason alone, which the case page says of an executor it does not
    offer (`views._hand_over_choices`); the refusal itself adds «выберите другого» where another may be chosen."""

    def __init__(self, why: str, *, choose_another: bool = True) -> None:
        super().__init__(f"{why}: выберите другого." if choose_another else f"{why}.", "executor")
        self.why = why


def hand_over_duty(a: Assignment, executor: Person, now: datetime) -> Duty:
    """R-6: who does the body's work on the case at `now` when it is given to `executor` (`on_duty`: a substitute
    when `executor` is away), or `HandOverRefused` when it may not go to them — the one rule of `hand_to_executor`
    and of the executors the case page offers for it. Refused: not an active executor of the body, the executor
    already, or away with nobody to do their work, or with their work done by the one who does it already."""
    if not (
        executor.is_active and executor.roles.filter(kind=Role.Kind.EXECUTOR, body_id=a.body_id).exists()
    ):
        raise HandOverRefused(f"{executor} не исполнитель органа «{a.body}»", choose_another=False)
    if a.executor_id == executor.pk:
        raise HandOverRefused(f"{executor} уже исполнитель по этому обращению", choose_another=False)
    duty = on_duty(executor, now, body_id=a.body_id)  # an executor away now has their work done for them
    if duty.person is not None and duty.person.pk == executor.pk:
        return duty
    absence = absence_at(executor, now)
    away = away_text(executor, absence) if absence is not None else f"{executor} отсутствует"
    if duty.person is None:
        raise HandOverRefused(f"{away}, и его работу в органе некому выполнить")
    # away, and their work is done by the one who does it already: the stored executor, or whoever does the stored
    # executor's work while she is away (a chain of substitutes may end there). Chosen by name and present, the
    # one who does the work now becomes its executor (a switched-off executor's colleague, say): returned above.
    doing = on_duty(a.executor, now, body_id=a.body_id).person if a.executor is not None else None
    if duty.person.pk == a.executor_id or (doing is not None and duty.person.pk == doing.pk):
        raise HandOverRefused(f"{away}, его работу выполняет {duty.person} — нынешний исполнитель")
    return duty


@transaction.atomic
def hand_to_executor(
    actor: Person,
    assignment: Assignment,
    executor: Person,
    *,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Assignment:
    """R-6: the body's responsible official (who organises its work with the messages) or a curator gives the
    body's work on the case to another of its executors. The open deadlines the previous executor answered for
    pass to the new one, still due when they were: the term is the body's, it does not start again. Both are
    told; the case's timeline says who gave it to whom."""
    now = _now(now)
    case = _lock(assignment.case, "hand_to_executor", expected_version)
    a = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("body", "executor")
        .get(pk=assignment.pk)
    )
    if a.case_id != case.pk:  # a bug in the caller, not a user error
        raise AssertionError(f"assignment {a.pk} is not of case {case.pk}")
    from otklik.governor.actions import heading_body_ids  # governor builds on cases: read when called

    # R-6: the responsible official, or whoever does the absent official's work now
    if not (actor.is_curator or a.body_id in heading_body_ids(actor, now)):
        raise ActionRefused(
            "Передать работу другому исполнителю может ответственное должностное лицо органа (или тот, кто его "
            "замещает) или куратор.",
            "forbidden",
        )
    composing = _composes_for(case, a)
    if not (a.state in (A.ACTIVE, A.WAITING) or composing):
        raise ActionRefused("Передать можно только работу органа, которая ещё не выполнена.", "state")
    before = a.executor
    # R-6: whoever does the body's work on the case now (the substitute of an executor away) loses it too
    losing = _working_on(case, a, now, actor)
    duty = hand_over_duty(a, executor, now)
    assert duty.person is not None  # `hand_over_duty` refuses a hand-over nobody would do
    chosen, executor = executor, duty.person
    a.intended_executor, a.executor = chosen, executor
    a.duty_note = "" if chosen == executor else duty.explanation[:500]
    a.save(update_fields=["executor", "intended_executor", "duty_note"])
    _hand_over_violations(case, a, executor, now)
    # every open deadline of the body's assignment is the executor's (the curator's review has none)
    Deadline.objects.filter(OPEN_DEADLINE, case=case, assignment=a).update(responsible=executor)
    if composing:  # R-8.9: the body's common answer goes with its work
        Case.objects.filter(pk=case.pk).update(composer=executor)
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
    was = f"; прежний исполнитель: {before}" if before else ""
    away = f" ({a.duty_note})" if chosen != executor else ""
    CaseEvent.objects.create(
        case=case,
        at=now,
        actor=actor,
        action="hand_to_executor",
        reason=f"{a.body}: исполнитель — {executor}{was}{away}",
    )
    nearest = (
        Deadline.objects.filter(OPEN_DEADLINE, case=case, assignment=a, responsible=executor)
        .exclude(stage__in=Deadline.WINDOWS)
        .order_by("due_at")
        .first()
    )
    due = (
        f", срок: {nearest.get_stage_display()} — до {timezone.localtime(nearest.due_at):%d.%m.%Y %H:%M}"
        if nearest
        else ""
    )
    notify(
        executor,
        case,
        Notification.Kind.WORK,
        # R-6: given to an executor away, the one doing her work is told whose it is
        with_substitute(
            f"Вам передано обращение № {case.pk} органа «{a.body}» (передал: {actor}{was}){due}.",
            f"вместо {chosen}: {a.duty_note}" if chosen != executor else "",
        ),
        now,
        nearest,
    )
    gone = (
        f"Обращение № {case.pk} органа «{a.body}» передано другому исполнителю: {executor} (передал: {actor}). "
        "Работа по нему больше не ваша."
    )
    if before is not None and before.pk not in (actor.pk, executor.pk):
        notify(before, case, Notification.Kind.WORK, gone, now)
    for person, instead in losing:
        if person.pk not in (executor.pk, getattr(before, "pk", None)):
            notify(person, case, Notification.Kind.WORK, with_substitute(gone, instead), now)
    return a


def _explain_reassign_later(assignment: Assignment, exc: ActionRefused) -> None:
    """Parts published one by one (R-8.9): a refused body is replaced once the parts already received are published
    (the case then waits for the curator, `confirm_publication`); asked earlier, the curator is told so."""
    if exc.code != "state":
        return
    case = Case.objects.get(pk=assignment.case_id)
    a = Assignment.objects.select_related("body").get(pk=assignment.pk)
    if a.state != A.REJECTED or case.status not in (S.REVIEW, S.REVISION, S.PUBLISHING):
        return
    if case.multi_mode != Case.MultiMode.PARTS_ONE_BY_ONE:
        return
    raise ActionRefused(
        f"Ответы органов публикуются по очереди: новый орган вместо «{a.body}» можно назначить, когда будет "
        f"опубликован ответ, который сейчас в работе (сейчас: «{case.get_status_display()}»). Обращение не "
        f"закроется, пока не будет назначен орган вместо «{a.body}».",
        "state",
    ) from exc


def _refused_shares(case: Case) -> list[Assignment]:
    """R-8.2 with R-8.9, parts published one by one: the bodies that refused and are not replaced yet. Their share of
    the question is still owed: the case does not close until the curator names new bodies (`reassign`)."""
    if case.multi_mode != Case.MultiMode.PARTS_ONE_BY_ONE:
        return []
    return list(case.assignments.filter(state=A.REJECTED).select_related("body").order_by("order", "pk"))


def _await_new_part(case: Case, body: Body, now: datetime, actor: Person) -> None:
    """R-8.2 with R-8.9: when one of several bodies refused after the others had sent their parts, the common
    answer was put in hand without that body's question. The curator naming a new body puts it back: the common
    answer waits for the new body's part (a common draft already sent stays as it is)."""
    composer = case.composer
    if composer is None or case.drafts.exclude(kind=Draft.Kind.PART).exists():
        return
    compose_body = _compose_body(case, composer)
    finish_deadlines(open_deadlines(case, Stage.COMPOSE), now, met=False)
    _hand_back_overall(case, now)
    Case.objects.filter(pk=case.pk).update(composer=None, version=F("version") + 1)
    case.refresh_from_db(fields=["composer", "version"])
    CaseEvent.objects.create(
        case=case,
        at=now,
        actor=actor,
        action="reassign",
        reason=f"Общий ответ ждёт информацию органа «{body}»",
    )
    text = (
        f"Общий ответ по обращению № {case.pk} пока не готовьте: куратор назначил орган «{body}», "
        "общий ответ готовится, когда поступит и его информация."
    )
    # R-6: whoever does the composer's work now is told, as of a part that has come (`_submit_part`)
    if case.multi_mode == Case.MultiMode.COMMON_BY_CURATOR:
        told, why = curators_instead_of(composer, now)
        text += why
    else:
        doing, instead = doer(composer, now, compose_body)
        told = [doing] if doing is not None else []
        text = with_substitute(text, instead)
    for person in told:
        if person.pk != actor.pk:
            notify(person, case, Notification.Kind.WORK, text, now)


# ---------------------------------------------------------------------------------------------- R-8.4, R-8.9
# R-8.10: the kinds of draft that state the measures taken in a repeat
MEASURED: Final = (Draft.Kind.ANSWER, Draft.Kind.INTERIM, Draft.Kind.PART)


def _check_measures(case: Case, kind: str, measures: str, *, review: bool = False) -> None:
    """R-8.10: an answer, an interim answer or a body's part for a repeat states the measures taken or the progress.
    Checked when the executor sends (or revises) the draft, so that no return round is spent on it, and again at
    the curator's approval (`review`) for a draft sent before."""
    if measured(case, kind) and not answer_text(measures):
        if review:
            raise ActionRefused(
                "Повторное обращение (п. 8.10 Положения): в ответе нужно указать принятые меры или ход решения. "
                "Верните проект на доработку.",
                "measures",
            )
        raise ActionRefused(
            "Повторное обращение (п. 8.10 Положения): заполните поле «Принятые меры или ход решения» — что "
            "сделано после прошлого обращения или на каком этапе решение. Без него проект не согласуют.",
            "measures",
        )


def check_length(case: Case, kind: str, text: str, *, review: bool = False) -> None:
    """R-9: a text longer than the network takes (the limit the answer checker uses, `answers.formats`) would fail
    at publication: it is refused when sent, revised and approved. Not on the other platforms (blogs, forums, review
    sites), whose limit is not known: there the checker only advises. A body's part put into a common answer is not
    published itself and is not held to it (R-8.9); one published as its own answer is. The answer is published
    under each author's message (R-8.7, `authors_of`): it must fit every network it goes to, the strictest first."""
    if kind == Draft.Kind.PART and case.multi_mode != Case.MultiMode.PARTS_ONE_BY_ONE:
        return
    n = network_length(answer_text(text))
    too_short = [fmt for fmt in map(network_format, _answer_networks(case)) if n > fmt.max_chars]
    if not too_short:
        return
    fmt = min(too_short, key=lambda f: f.max_chars)
    where = (
        ""
        if fmt.code == network_format(case.network or "vk").code
        else " (ответ публикуется и там — под сообщением другого автора обращения)"
    )
    raise ActionRefused(
        f"Сеть не примет такой ответ (п. 9 Положения): {fmt.title}{where} — не больше "
        f"{counted(fmt.max_chars, 'знак')}, а в тексте {counted(n, 'знак')}. "
        + ("Верните проект на доработку." if review else "Сократите текст или разбейте его на два ответа."),
        "too_long",
    )


def _answer_networks(case: Case) -> list[str]:
    """The networks the case's answer is published in (R-8.7: its first network and each author's), one code of
    `answers.formats` each, those with a known limit only."""
    codes: list[str] = []
    for network in [case.network or "vk", *(m.network for m in authors_of(case))]:
        code = network_format(network).code
        if code != "other" and code not in codes:  # blogs, forums, review sites: the checker only advises
            codes.append(code)
    return codes


def turn_note(case: Case, person: Person) -> str | None:
    """R-8.9: the words for an executor of a body whose turn in the curator's order has not come yet (its assignment
    waits): the case comes to the body in its turn, and which body prepares information now. None when `person`
    has a body working on the case now (or none at all)."""
    mine = [a for a in _live(case) if a.body_id in body_ids_of(person)]
    if not mine or any(a.state != A.WAITING for a in mine):
        return None
    now_working = ", ".join(f"«{a.body}»" for a in _live(case) if a.state == A.ACTIVE)
    return (
        f"Обращение поступит органу «{mine[0].body}» в свою очередь (п. 8.9 Положения: очерёдность задал "
        "куратор)" + (f": сейчас информацию готовит {now_working}." if now_working else ".")
    )


def _acting_assignment(case: Case, actor: Person) -> Assignment:
    mine = [a for a in _live(case) if a.body_id in body_ids_of(actor)]
    if not mine:
        raise ActionRefused(
            "Проект направляет исполнитель органа, которому направлено обращение.", "forbidden"
        )
    active = [a for a in mine if a.state == A.ACTIVE]
    return (active or mine)[0]


def _take_up(case: Case, a: Assignment | None, actor: Person) -> None:
    """R-6, R-12: the body's work that came when nobody of it was at work (no executor named) is the executor's who
    takes it up by sending its draft or part: its open deadlines name them, and so do those opened later (the
    publication, a revision), so they are reminded, told of the approval and answer for a missed term."""
    if a is None or a.executor_id is not None:
        return
    a.intended_executor, a.executor, a.duty_note = actor, actor, ""
    a.save(update_fields=["intended_executor", "executor", "duty_note"])
    Deadline.objects.filter(OPEN_DEADLINE, case=case, assignment=a, responsible__isnull=True).update(
        responsible=actor
    )


@transaction.atomic
def submit_draft(
    actor: Person,
    case: Case,
    kind: str,
    text: str,
    *,
    measures: str = "",
    attachments: Iterable[str] = (),
    now: datetime | None = None,
    expected_version: int | None = None,
    seen_part: str | None = None,
) -> Draft:
    """R-8.4: the executor sends a draft answer, interim answer or clarification request to the curator.
    R-8.9: in a case of several bodies each sends its part; the common answer comes from the composer.
    `seen_part` (`part_seen` when the editor was opened) guards a part by its own body's work instead of the
    case's version: the bodies send their parts at the same time, and another body's part is no change to hers."""
    now = _now(now)
    if kind == Draft.Kind.PART:
        return _submit_part(actor, case, text, measures, attachments, now, expected_version, seen_part)
    case = _lock(case, "submit_draft", expected_version)
    if kind not in Draft.PUBLISHABLE:
        raise ActionRefused("Неизвестный вид проекта.")
    if not text.strip():
        raise ActionRefused("Текст проекта пуст.", "text")
    _check_measures(case, kind, measures)
    check_length(case, kind, text)
    assignment: Assignment | None
    if is_multi(case):
        if case.composer_id is None:
            raise ActionRefused("Общий ответ готовится, когда все органы направят свою информацию.")
        if not may_compose(case, actor, now):
            raise ActionRefused(f"Общий ответ готовит {case.composer}.", "forbidden")
        owed = [a for a in _live(case) if a.state in (A.ACTIVE, A.WAITING) and a.executor_id != actor.pk]
        if kind == Draft.Kind.ANSWER and owed and case.multi_mode != Case.MultiMode.PARTS_ONE_BY_ONE:
            # R-8.9 with R-8.2: a body named after the interim common answer went out still owes its part
            names = ", ".join(f"«{a.body}»" for a in owed)
            raise ActionRefused(
                f"Окончательный общий ответ готовится, когда поступит информация органа {names}; до этого можно "
                "направить промежуточный ответ.",
                "parts",
            )
        assignment = next((a for a in _live(case) if a.executor_id == actor.pk), None)
        if assignment is None and not actor.is_curator:
            assignment = _acting_assignment(case, actor)
    else:
        assignment = _acting_assignment(case, actor)
    # R-8.8: only the final answer meets the 7 working days after an interim answer; another interim answer or a
    # clarification request does not stop (nor, `confirm_publication`, restart) that clock.
    stages = (
        (Stage.DRAFT, Stage.COMPOSE, Stage.FINAL)
        if kind == Draft.Kind.ANSWER
        else (Stage.DRAFT, Stage.COMPOSE)
    )
    finish_deadlines(open_deadlines(case, *stages), now, met=True)
    if assignment is not None:
        finish_deadlines(open_deadlines(case, Stage.REJECT_WINDOW, assignment=assignment), now, met=False)
    _take_up(case, assignment, actor)
    draft = _new_draft(case, assignment, kind, text, measures, attachments, actor, now)
    _open_review(case, draft, now)
    _move(case, "submit_draft", S.REVIEW, actor, now, f"{draft.kind_label}, версия {draft.version}")
    return draft


def may_compose(case: Case, person: Person, now: datetime) -> bool:
    """R-8.9: whether `person` prepares the common answer now: the composer, or (R-6) whoever does the
    composing executor's work while they are away."""
    composer = case.composer
    if composer is None:
        return False
    if person.pk == composer.pk:
        return True
    if case.multi_mode == Case.MultiMode.COMMON_BY_CURATOR:
        # the office's work: while the composing curator is away, a curator present writes it (as reviews, R-6)
        return person.is_curator and person in curators_instead_of(composer, now)[0]
    return doer(composer, now, _compose_body(case, composer))[0] == person


def _compose_body(case: Case, composer: Person) -> Body | None:
    """The body the common answer is composed for: its composing deadline's (a composer may work for two bodies)."""
    compose = (
        Deadline.objects.filter(case=case, stage=Stage.COMPOSE).select_related("body").order_by("-id").first()
    )
    return compose.body if compose else composer.body


def answer_text(text: str) -> str:
    """A draft's text as it is stored, checked and published: a browser's CRLF line breaks as one «\n» (the
    networks count a break as one character, R-9), without the blank edges."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _new_draft(
    case: Case,
    assignment: Assignment | None,
    kind: str,
    text: str,
    measures: str,
    attachments: Iterable[str],
    actor: Person,
    now: datetime,
    previous: Draft | None = None,
    state: str = Draft.State.SUBMITTED,
) -> Draft:
    text = answer_text(text)
    return Draft.objects.create(
        case=case,
        assignment=assignment,
        kind=kind,
        state=state,
        text=text,
        measures=answer_text(measures),
        attachments=list(attachments),
        version=case.drafts.count() + 1,
        previous=previous,
        author=actor,
        submitted_at=now,
        score=answer_score(case, text, kind),
    )


def to_author(case: Case, kind: str) -> bool:
    """Whether the author reads a draft of this kind as it is: all but a body's information for a common answer that
    another composes (R-8.9; where parts are published one by one, each is an answer)."""
    return not (kind == Draft.Kind.PART and case.multi_mode != Case.MultiMode.PARTS_ONE_BY_ONE)


def answer_score(case: Case, text: str, kind: str = Draft.Kind.ANSWER) -> int:
    """R-11: the answer checker's score of a draft's text, for the network of the case and the author of its first
    message (the monthly report's quality figures, R-13)."""
    authors = authors_of(case)
    return check_answer(
        text,
        network=case.network or "vk",
        # one text for several authors greets none of them by name
        author_name=(authors[0].author_name or None) if len(authors) == 1 else None,
        repeat=measured(case, kind),
        to_author=to_author(case, kind),
    ).score


def measured(case: Case, kind: str) -> bool:
    """R-8.10: whether a draft of this kind must state the measures taken: a repeat's answer, interim answer or
    part does; a clarification request asks and states none (decision 0001)."""
    return case.repeat_of_id is not None and kind in MEASURED


def _submit_part(
    actor: Person,
    case: Case,
    text: str,
    measures: str,
    attachments: Iterable[str],
    now: datetime,
    expected_version: int | None,
    seen_part: str | None = None,
) -> Draft:
    # a body that owes its part sends it whatever the case's status (`owed_part`), without moving the case
    case = _lock(case, "submit_owed_part", None if seen_part is not None else expected_version)
    drafting = case.status == S.DRAFTING
    owed = owed_part(case, actor)
    if not drafting and owed is None:
        raise ActionRefused(f"{REFUSALS['submit_part']} Сейчас: «{case.get_status_display()}».", "state")
    if not is_multi(case):
        raise ActionRefused(
            "Информация для общего ответа нужна, только когда обращение направлено нескольким органам."
        )
    if not text.strip():
        raise ActionRefused("Текст информации пуст.", "text")
    a = owed if owed is not None else _acting_assignment(case, actor)
    if a.state == A.WAITING and (note := turn_note(case, actor)):
        raise ActionRefused(note, "turn")
    if a.state != A.ACTIVE:
        raise ActionRefused("Ваш орган уже направил информацию по этому обращению.")
    if seen_part is not None and _part_mark(a) != seen_part:
        raise StaleCase(f"Работу органа «{a.body}» по этому обращению изменили, пока вы писали.")
    _check_measures(case, Draft.Kind.PART, measures)
    check_length(case, Draft.Kind.PART, text)
    finish_deadlines(open_deadlines(case, Stage.PART, assignment=a), now, met=True)
    finish_deadlines(open_deadlines(case, Stage.REJECT_WINDOW, assignment=a), now, met=False)
    _take_up(case, a, actor)
    draft = _new_draft(
        case, a, Draft.Kind.PART, text, measures, attachments, actor, now, state=Draft.State.RECEIVED
    )
    a.state = A.PART_SUBMITTED
    a.save(update_fields=["state"])
    CaseEvent.objects.create(
        case=case,
        at=now,
        actor=actor,
        action="submit_part",
        # R-8.9: with the common answer by the last body nobody's review gets it: it waits for that answer
        reason=f"{a.body}: информация "
        + (
            "для общего ответа направлена"
            if case.multi_mode == Case.MultiMode.COMMON_BY_LAST
            else "направлена куратору"
        ),
    )
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
    case.refresh_from_db(fields=["version"])
    # R-8.3 with R-8.9: the body's share of the total is its part (late only if the part itself came after the due
    # time); the composer of a common answer (`_carry_overall`), or where parts are published one by one the
    # executor of the body whose part came last (`_carry_parts_overall`), carries the total on.
    finish_deadlines(open_deadlines(case, Stage.OVERALL, assignment=a), now, met=True)
    composer = case.composer
    if (
        composer is not None
        and composer.pk != actor.pk
        and case.multi_mode != Case.MultiMode.PARTS_ONE_BY_ONE
    ):
        # the common answer is already in hand (an interim one went out before this body was named): whoever
        # composes it now is told the part has come, for the final answer (R-8.9; R-6 while the composer is away)
        text = (
            f"Поступила информация органа «{a.body}» для общего ответа по обращению № {case.pk}: учтите её в "
            "окончательном ответе."
        )
        if case.multi_mode == Case.MultiMode.COMMON_BY_CURATOR:
            told, why = curators_instead_of(composer, now)
            text += why
        else:
            doing, instead = doer(composer, now, _compose_body(case, composer))
            told = [doing] if doing is not None else []
            text = with_substitute(text, instead)
        for person in told:
            notify(person, case, Notification.Kind.WORK, text, now)
    if drafting:  # else the common answer is in hand already (a composer named): nothing to advance
        _advance_parts(case, now, actor)
    return draft


def _part_mark(a: Assignment) -> str:
    """What a body's part of the case looks like now: the assignment, its executor and its latest draft."""
    last = a.drafts.order_by("-id").values_list("pk", flat=True).first()
    return f"{a.pk}.{a.executor_id or 0}.{last or 0}"


def part_seen(case: Case, person: Person) -> str:
    """R-8.9: the mark of the part `person`'s body sends (the one `_submit_part` takes), for the draft editor to send
    back with the part (`submit_draft(seen_part=…)`); «» when the person's body has no part in the case."""
    a = owed_part(case, person)
    if a is None:
        mine = [x for x in _live(case) if x.body_id in body_ids_of(person)]
        if not mine:
            return ""
        a = ([x for x in mine if x.state == A.ACTIVE] or mine)[0]
    return _part_mark(a)


def _advance_parts(case: Case, now: datetime, actor: Person | None) -> None:
    """R-8.9: start the next bodies in the curator's order; when all parts are in, go on as chosen."""
    if not is_multi(case) or case.composer_id is not None:
        return
    live = _live(case)
    if any(a.state == A.ACTIVE for a in live):
        return
    waiting = [a for a in live if a.state == A.WAITING]
    if waiting:
        next_order = min(a.order for a in waiting)
        for a in waiting:
            if a.order == next_order:
                _start_assignment(case, a, now, multi=True, actor=actor)
        return
    parts = list(
        case.drafts.filter(kind=Draft.Kind.PART, state=Draft.State.RECEIVED)
        .select_related("assignment", "assignment__body")
        .order_by("submitted_at", "id")
    )
    if not parts:
        return
    if case.multi_mode == Case.MultiMode.PARTS_ONE_BY_ONE:
        # a refused body's share is still owed (R-8.2): the parts received are published meanwhile, and the total
        # is carried only once the new body's part is in too
        if not _refused_shares(case):
            _carry_parts_overall(case, parts, now, actor)
        _review_next_part(case, now, actor)
        return
    last = parts[-1]
    composer: Person | None
    instead = ""
    if case.multi_mode == Case.MultiMode.COMMON_BY_CURATOR:
        composer = case.dispatched_by
        body = composer.body
        assignment = None
    else:
        assignment = last.assignment
        body = assignment.body if assignment else None
        composer, instead = doer(last.author, now, body)  # R-6: the last author may be away by now
    assert composer is not None
    Case.objects.filter(pk=case.pk).update(composer=composer, version=F("version") + 1)
    case.refresh_from_db(fields=["composer", "version"])
    carried = _carry_overall(case, composer, body, assignment, now)
    # as the draft (`_start_assignment`): the common answer's draft is never due after the whole answer
    open_deadline(
        case,
        Stage.COMPOSE,
        now,
        responsible=composer,
        body=body,
        policy_key="compose",
        assignment=assignment,
        not_after=carried.due_at if carried is not None else None,
    )
    if carried is not None:
        term = f"срок ответа (п. 8.3) — до {timezone.localtime(carried.due_at):%d.%m.%Y %H:%M}"
    else:
        term = "срок ответа (п. 8.3) истёк до того, как поступила вся информация"
    CaseEvent.objects.create(
        case=case,
        at=now,
        actor=actor,
        action="parts_complete",
        reason=with_substitute(f"Все части поступили; общий ответ готовит {composer}", instead) + f"; {term}",
    )
    text = f"Подготовьте общий ответ по обращению № {case.pk}."
    if case.multi_mode == Case.MultiMode.COMMON_BY_CURATOR:
        # R-6: the curator who sent the case may be away or switched off: her substitute (or the curators present)
        told, why = curators_instead_of(composer, now)
        text += why
    else:
        told, text = [composer], with_substitute(text, instead)
    for person in told:
        notify(person, case, Notification.Kind.WORK, text, now)


def _carry_overall(
    case: Case, composer: Person, body: Body | None, assignment: Assignment | None, now: datetime
) -> Deadline | None:
    """R-8.3 with R-8.9: from now on the composer of the common answer carries the answer deadline.

    Each body's R-8.3 deadline was met when its part came in (`_submit_part`): that part is the body's share of the
    9 (4) working hours, and a body that sent it in time is not charged for a common answer it does not write.
    The total still runs until the common answer is published (`confirm_publication` meets it), and it is the
    composer's, with the same start and due time (a shortened term stays shortened), nothing counted again:
    - the last executor (`common_by_last`) takes over their own body's deadline, opened again as it was;
    - the curator (`common_by_curator`) gets a copy of the latest of the bodies' deadlines: the body that received
      the message last (the curator's order), without whose part the common answer could not be written.
    A term that ran out before the composer got the parts is not carried: a body whose part came after it has its
    R-8.3 violation already, and nobody is charged twice for the same late answer (the R-8.9 composing deadline
    still runs). Returns the deadline carried, or None."""
    if assignment is not None:
        original = _overall_rows(case).filter(assignment=assignment).order_by("-id").first()
    else:
        original = _latest_overall(case)
    if original is None or original.breached_at is not None or now > original.due_at:
        return None
    if assignment is not None:
        reopen_deadline(original, now, responsible=composer)
        return original
    return carry_deadline(original, now, responsible=composer, body=body)


def _overall_rows(case: Case) -> QuerySet[Deadline]:
    return Deadline.objects.filter(case=case, stage=Stage.OVERALL, cancelled_at__isnull=True).select_related(
        "case", "body"
    )


def _latest_overall(case: Case) -> Deadline | None:
    """The latest-due R-8.3 deadline of the bodies still on the case (`_live`): the term the answer is complete by."""
    live = [a.pk for a in _live(case)]
    return _overall_rows(case).filter(assignment__in=live).order_by("-due_at", "-id").first()


def _carry_parts_overall(case: Case, parts: list[Draft], now: datetime, actor: Person | None) -> None:
    """R-8.3 with R-8.9, parts published one by one: the parts go to review only now that all are in, so from now on
    the executor of the body whose part is published last (the last in the curator's order, `_review_next_part`)
    carries the answer deadline until that publication (`confirm_publication`): the latest of the bodies' deadlines,
    with its start and due time (`_carry_overall`, nothing counted again) — its own, reopened, or a copy of a later
    one (a body named in place of one that refused, earlier in the order): the answer is complete when the last
    body's own term is up. The bodies' shares were their parts. A term that ran out
    before the parts were all in is not carried (the late part's body has its violation already)."""
    last = max(parts, key=lambda d: (d.assignment.order if d.assignment else 0, d.submitted_at, d.pk))
    a = last.assignment
    body = a.body if a else None
    # R-6: the body's executor, or whoever does their work now; the part's author when the body has no executor
    carrier, instead = doer((a.executor if a else None) or last.author, now, body)
    # its own deadline, reopened, when it is the latest of the bodies' (as a rule: it received the message last);
    # else a copy of the latest (a body named later, in place of one that refused, may come earlier in the order)
    latest = _latest_overall(case)
    own = a if a is not None and latest is not None and latest.assignment_id == a.pk else None
    carried = _carry_overall(case, carrier, body, own, now) if carrier is not None else None
    if carried is not None:
        term = (
            f"срок ответа (п. 8.3) — до {timezone.localtime(carried.due_at):%d.%m.%Y %H:%M}, "
            f"отвечает {with_substitute(str(carrier), instead)} («{body}»)"
        )
    else:
        term = "срок ответа (п. 8.3) истёк до того, как поступила вся информация"
    CaseEvent.objects.create(
        case=case,
        at=now,
        actor=actor,
        action="parts_complete",
        reason=f"Все части поступили; ответы органов публикуются по очереди; {term}",
    )


def _hand_back_overall(case: Case, now: datetime) -> None:
    """The composer no longer composes (the common answer waits for a new body's part, `_await_new_part`): the
    answer deadline they carried (`_carry_overall`) goes back. The curator's copy is withdrawn; a body's own
    deadline is met again at the time of the body's part, its share — unless it ran out while it was carried: that
    stays the composer's violation (R-12), late until now, when the term is taken off them."""
    for d in open_deadlines(case, Stage.OVERALL):
        part = (
            case.drafts.filter(kind=Draft.Kind.PART, assignment_id=d.assignment_id)
            .order_by("-submitted_at", "-id")
            .first()
            if d.assignment_id is not None
            else None
        )
        if part is None or d.breached_at is not None or d.due_at < now:
            finish_deadlines([d], now, met=False, late_note="срок ответа истёк, пока готовился общий ответ")
        else:
            finish_deadlines([d], part.submitted_at, met=True)


def _review_next_part(case: Case, now: datetime, actor: Person | None) -> bool:
    """Parts published one by one (R-8.9): bring the next received part, in the curator's order, to review."""
    part = (
        case.drafts.filter(kind=Draft.Kind.PART, state=Draft.State.RECEIVED)
        .order_by("assignment__order", "submitted_at", "id")
        .first()
    )
    if part is None:
        return False
    part.state = Draft.State.SUBMITTED
    part.save(update_fields=["state"])
    _open_review(case, part, now)
    action = "submit_part" if case.status == S.DRAFTING else "confirm_publication"
    _move(
        case,
        action,
        S.REVIEW,
        actor,
        now,
        f"На согласование: ответ органа «{part.assignment.body if part.assignment else '—'}»",
    )
    return True


# ---------------------------------------------------------------------------------------------- R-8.5, R-8.6
def _current_draft(case: Case, draft: Draft, state: str, action: str) -> Draft:
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if locked.case_id != case.pk or locked.state != state:
        raise ActionRefused(REFUSALS[action], "state")
    return locked


@transaction.atomic
def approve_draft(
    curator: Person,
    draft: Draft,
    comment: str = "",
    *,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Draft:
    """R-8.5: the curator approves within an hour; R-8.7 then gives the executor 30 minutes to publish.
    R-8.10: an answer to a repeat message must state the measures taken or the progress."""
    now = _now(now)
    _require_curator(curator)
    case = _lock(draft.case, "approve_draft", expected_version)
    d = _current_draft(case, draft, Draft.State.SUBMITTED, "approve_draft")
    _check_measures(case, d.kind, d.measures, review=True)
    check_length(case, d.kind, d.text, review=True)
    finish_deadlines(open_deadlines(case, Stage.REVIEW), now, met=True)
    Review.objects.create(
        draft=d, reviewer=curator, decision=Review.Decision.APPROVE, comment=comment, created_at=now
    )
    d.state = Draft.State.APPROVED
    d.save(update_fields=["state"])
    publisher = _publisher(case, d)
    responsible, instead = doer(publisher.executor, now, publisher.body) if publisher else (None, "")
    publish_term = open_deadline(
        case,
        Stage.PUBLISH,
        now,
        responsible=responsible,
        body=publisher.body if publisher else None,
        policy_key="publish",
        assignment=publisher,
        draft=d,
    )
    # R-8.7 through the network's API: an outbox row in this transaction, sent by a task after commit; its
    # outcome comes back through otklik.cases.publishing. The key makes a retry never post twice. An answer with
    # photos (R-9: proof of the work done) is published by hand: the connectors send text only, and a text
    # without its photos would close the case as answered.
    from otklik.integrations.publish import can_publish

    # R-8.7 for a case the curator made of several people's messages: each of them is answered, under their own
    # message (the first one's publication closes the case; the others are recorded as they go out) — those whose
    # message is still in the network, as the publication form takes them (`live_authors`)
    authors = live_authors(case) or authors_of(case)
    others = authors[1:]
    # the message to answer under when its network's connector publishes by API; else the executor publishes by
    # hand and confirms the link
    message = authors[0] if authors and not d.attachments and can_publish(authors[0]) else None
    if message is not None:
        from otklik.intake.outbox import enqueue_reply

        enqueue_reply(message, d.text, publish_key(d), case_id=case.pk)
        by_hand = []
        for other in others:
            if can_publish(other):
                enqueue_reply(other, d.text, also_key(d, other.pk), case_id=case.pk)
            else:
                by_hand.append(other)
        others = by_hand
        told = (
            f"{approved_head(d)} и будет опубликован автоматически; если публикация "
            "не удастся, придёт уведомление."
        )
    elif d.attachments:
        told = (
            f"{approved_head(d)}: разместите его вместе с фотографиями вручную "
            "(автоматически публикуется только текст) и укажите ссылку на опубликованный ответ."
        )
    elif authors and (why := _why_by_hand(authors[0])):
        told = f"{approved_head(d)}: разместите его вручную и укажите ссылку на опубликованный ответ — {why}."
    else:
        told = _by_hand_notice(d, authors[0] if authors else None)
    if others:
        listed = "; ".join(
            f"№ {m.pk} ({m.author_name or 'автор не указан'})" + (f": {m.url}" if web_link(m.url) else "")
            for m in others[:5]
        )
        more = f" и ещё {len(others) - 5}" if len(others) > 5 else ""
        told += f" Разместите его также под сообщениями других авторов (список на странице обращения): {listed}{more}."
    if comment.strip():  # what the curator wrote with her approval is for the one who publishes
        told += f" Комментарий куратора: {comment.strip()}"
    _move(
        case,
        "approve_draft",
        S.PUBLISHING,
        curator,
        now,
        with_substitute(comment or f"Согласован: {d.kind_label}", instead),
    )
    # the letter names this term, not an earlier one of the same person already run out
    notify(responsible, case, Notification.Kind.WORK, with_substitute(told, instead), now, publish_term)
    return d


# The words for the setting a source lacks to publish replies (`integrations.publish.PUBLISH_CREDENTIAL`)
CREDENTIAL_WORDS: Final[dict[str, str]] = {"token": "токен доступа", "oauth_token": "OAuth-токен канала"}


def _why_by_hand(message: Message) -> str:
    """R-8.7: why an approved answer in a network Otklik publishes to is left to the executor, for the approval's
    notice: the source lacks the token it publishes with (`integrations.publish.missing_credential`); «» otherwise."""
    from otklik.integrations.publish import API_NETWORKS, missing_credential

    if message.network not in API_NETWORKS or message.source is None:
        return ""
    missing = missing_credential(message.source)
    if not missing:
        return ""
    what = CREDENTIAL_WORDS.get(missing, "ключ")
    return (
        f"автоматическая публикация недоступна: в источнике «{message.source.title}» не задан {what} для "
        f"публикации ответов (параметр «{missing}» задаёт администратор)"
    )


APPROVED_WHAT: Final[dict[str, str]] = {
    Draft.Kind.ANSWER: "Ответ",
    Draft.Kind.INTERIM: "Промежуточный ответ",
    Draft.Kind.CLARIFICATION: "Запрос уточнения автору",
    Draft.Kind.PART: "Ответ органа",  # a part approved for publication is the body's own answer (R-8.9)
}


def approved_head(draft: Draft) -> str:
    """The approval notice's first words, naming what was approved: «Запрос уточнения автору по обращению № 7
    согласован» — the executor publishes what the notice names."""
    return f"{APPROVED_WHAT.get(draft.kind, 'Ответ')} по обращению № {draft.case_id} согласован"


def _by_hand_notice(draft: Draft, message: Message | None) -> str:
    """R-8.7: the approval's notice where the network's answer is always published by hand (a network Otklik does
    not publish to, a message entered by hand or imported from a file): where to put it and what to confirm."""
    if message is None:
        return f"{approved_head(draft)}: разместите его и укажите ссылку на странице обращения."
    from otklik.integrations.publish import API_NETWORKS

    where = f" ({message.url})" if web_link(message.url) else ""
    if message.network not in API_NETWORKS:
        why = f"в сеть «{message.get_network_display()}» Отклик ответы не публикует"
    else:
        why = "сообщение внесено вручную или из файла, а не получено из подключённого источника"
    return (
        f"{approved_head(draft)}: разместите его вручную под сообщением автора{where} и укажите "
        f"ссылку на опубликованный ответ на странице обращения («Публикации») — {why}."
    )


def publish_key(draft: Draft) -> str:
    """The idempotency key of a draft's publication (VK `guid`; unique in the outbox)."""
    return f"case-{draft.case_id}-draft-{draft.pk}"


def also_key(draft: Draft, message_pk: int) -> str:
    """The key of the same publication under another author's message (R-8.7)."""
    return f"{publish_key(draft)}-msg-{message_pk}"


# `publish_key` and `also_key` read back: the case, the draft and, for another author's reply, the message
PUBLISH_KEY = re.compile(r"^case-(?P<case>\d+)-draft-(?P<draft>\d+)(?:-msg-(?P<message>\d+))?$")


def _author_key(message: Message) -> tuple[str, str]:
    """One author: the network's own id of them; a message without it (names alone may be two people) is its own."""
    return (message.network, message.author_id or f"#{message.pk}")


def authors_of(case: Case) -> list[Message]:
    """R-8.7: the first message of each author of the case, the case's first message first (one query). The curator
    may send several people's messages about one problem as one case: the answer is each of theirs. A message with
    no author known counts as its own author."""
    links = case.case_messages.select_related("message").filter(is_author_reply=False).order_by("pk")
    seen: set[tuple[str, str]] = set()
    out: list[Message] = []
    for link in links:
        key = _author_key(link.message)
        if key not in seen:
            seen.add(key)
            out.append(link.message)
    return out


def other_authors(case: Case) -> list[Message]:
    """The first message of each author of the case besides the first one's (`authors_of`)."""
    return authors_of(case)[1:]


@transaction.atomic
def return_draft(
    curator: Person,
    draft: Draft,
    comment: str,
    *,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Draft:
    """R-8.5: the curator returns the draft with a comment; R-8.6 gives one working hour to revise."""
    now = _now(now)
    _require_curator(curator)
    case = _lock(draft.case, "return_draft", expected_version)
    d = _current_draft(case, draft, Draft.State.SUBMITTED, "return_draft")
    if not comment.strip():
        raise ActionRefused("Напишите, что нужно доработать.", "comment")
    finish_deadlines(open_deadlines(case, Stage.REVIEW), now, met=True)
    Review.objects.create(
        draft=d, reviewer=curator, decision=Review.Decision.RETURN, comment=comment.strip(), created_at=now
    )
    d.state = Draft.State.RETURNED
    d.save(update_fields=["state"])
    body = d.assignment.body if d.assignment else d.author.body
    # R-6: the revision is due from whoever does the body's executor's work now (the author may have gone away, or
    # the body's head may have given the work to another executor, `hand_to_executor`)
    author, instead = doer(d.assignment.executor or d.author, now, body) if d.assignment else (d.author, "")
    revise_term = open_deadline(
        case,
        Stage.REVISE,
        now,
        responsible=author,
        body=body,
        policy_key="revise",
        assignment=d.assignment,
        draft=d,
    )
    _move(case, "return_draft", S.REVISION, curator, now, with_substitute(comment.strip(), instead))
    notify(
        author,
        case,
        Notification.Kind.WORK,
        with_substitute(f"Проект по обращению № {case.pk} возвращён: {comment.strip()}", instead),
        now,
        revise_term,  # the letter names the revision's hour, not an earlier term already run out
    )
    return d


@transaction.atomic
def revise_draft(
    actor: Person,
    draft: Draft,
    text: str,
    *,
    measures: str = "",
    attachments: Iterable[str] = (),
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Draft:
    """R-8.6: the returned draft is revised and sent again within one working hour."""
    now = _now(now)
    case = _lock(draft.case, "revise_draft", expected_version)
    old = _current_draft(case, draft, Draft.State.RETURNED, "revise_draft")
    if old.assignment is not None:
        _require_member(actor, old.assignment.body_id, "Доработку")
    elif not may_revise(actor, old, now):
        raise ActionRefused("Доработку выполняет автор проекта.", "forbidden")
    if not text.strip():
        raise ActionRefused("Текст проекта пуст.", "text")
    measures = measures or old.measures  # an empty field keeps the measures sent before
    _check_measures(case, old.kind, measures)
    check_length(case, old.kind, text)
    finish_deadlines(open_deadlines(case, Stage.REVISE), now, met=True)
    old.state = Draft.State.REVISED
    old.save(update_fields=["state"])
    new = _new_draft(case, old.assignment, old.kind, text, measures, attachments, actor, now, previous=old)
    _open_review(case, new, now)
    _move(case, "revise_draft", S.REVIEW, actor, now, f"Доработанный проект, версия {new.version}")
    return new


# ---------------------------------------------------------------------------------------------- R-8.7, R-8.8
@transaction.atomic
def confirm_publication(
    actor: Person | None,
    draft: Draft,
    *,
    url: str = "",
    external_id: str = "",
    method: str = Publication.Method.MANUAL,
    now: datetime | None = None,
    expected_version: int | None = None,
    also: Mapping[int, str] | None = None,
) -> Publication:
    """R-8.7: the approved answer is published by the executor within 30 minutes, in the message's network:
    confirmed by hand with the link of the published comment, or by the API connector (`actor=None`).
    An interim answer opens the 7-working-day window for the final one (R-8.8); a published clarification
    request waits for the author's reply; parts published one by one bring the next part to review (R-8.9).
    By hand, a case of several people's messages needs the link of the answer under each other author's message
    too (`also`: message id → link; `by_hand_also`), recorded on the case as the API's are."""
    now = _now(now)
    try:
        case = _lock(draft.case, "confirm_publication", expected_version)
        d = _current_draft(case, draft, Draft.State.APPROVED, "confirm_publication")
    except ActionRefused as exc:
        if method == Publication.Method.MANUAL:
            _published_automatically(draft, url, exc)
        raise
    publisher = _publisher(case, d)
    links: list[tuple[Message, str]] = []
    if method == Publication.Method.MANUAL:
        if actor is None:
            raise ActionRefused("Подтверждение вручную делает сотрудник.")
        if publisher is not None and not actor.is_curator:
            _require_member(actor, publisher.body_id, "Публикацию")
        if not web_link(url):
            raise ActionRefused("Укажите ссылку на опубликованный ответ (https://…).", "url")
        first = live_authors(case)
        check_publication_link(case, url.strip(), first[0] if first else None)
        mine = d.assignment.body if d.assignment is not None else None
        refuse_confirmed_link(
            case,
            url.strip(),
            f"Укажите ссылку на {'ответ органа «' + str(mine) + '»' if mine is not None else 'этот ответ'}, "
            "опубликованный под сообщением автора.",
        )
        links = _also_links(case, d, url.strip(), also or {})
    pub = Publication.objects.create(
        case=case,
        draft=d,
        network=case.network,
        url=url.strip(),
        external_id=external_id,
        published_at=now,
        method=method,
        published_by=actor,
    )
    d.state = Draft.State.PUBLISHED
    d.save(update_fields=["state"])
    if d.kind == Draft.Kind.PART and d.assignment_id is not None:
        # R-8.9: the body's answer is out; it is not replaced any more (`reassign`)
        Assignment.objects.filter(pk=d.assignment_id).update(state=A.DONE)
    more_parts = (
        d.kind == Draft.Kind.PART
        and case.drafts.filter(kind=Draft.Kind.PART, state=Draft.State.RECEIVED).exists()
    )
    finish_deadlines(open_deadlines(case, Stage.PUBLISH), now, met=True)
    if more_parts and d.assignment is not None:
        # R-8.3 with R-8.9: a total charged to this body for holding the answer up leaves it with its part out, and
        # runs on where the work is (`sla.hand_back_total`)
        hand_back_total(case, d.assignment.body_id, now)
    if not more_parts:
        # the total, carried by the executor of the body whose part is published last (`_carry_parts_overall`),
        # is met by the last publication; before that the carried deadline keeps running
        finish_deadlines(open_deadlines(case, Stage.OVERALL), now, met=True)
    for other, link in links:
        CaseEvent.objects.create(
            case=case, at=now, actor=actor, action="published_also", reason=also_reason(other.pk, d, link)
        )
    # the kind is named: «опубликовано» may be a request for clarification, not the answer
    label = f"{d.kind_label.capitalize()}, {pub.get_method_display()}: {pub.url or pub.external_id}"
    if d.kind == Draft.Kind.INTERIM:
        # R-8.8: the final answer is due from whoever may send it (`submit_draft`): in a case of several bodies the
        # composer of the common answer (R-8.9, `may_compose`) — the last body's, or whoever does their work (R-6),
        # for the body it is composed for; the curator composing it for the office — else the body's executor
        owner = publisher if d.assignment_id is not None or case.composer_id is None else None
        final_body: Body | None
        composer = case.composer
        # R-8.8's days are the case's executor's (or composer's) term: stored on them, it goes to whoever does
        # their work only while they are away (the sweep asks `on_duty` at each reminder and at the due moment),
        # not for good to the substitute of the hour the interim answer came out; that one is told now
        holder: Person | None
        if composer is not None and case.multi_mode != Case.MultiMode.COMMON_BY_CURATOR:
            final_body = _compose_body(case, composer)
            holder = composer
            responsible, instead = doer(holder, now, final_body)
        elif owner is not None:
            holder, final_body = owner.executor, owner.body
            responsible, instead = doer(holder, now, final_body)
        else:
            holder = responsible = composer or d.author
            instead = ""
            final_body = holder.body if holder is not None else None
        if not open_deadlines(case, Stage.FINAL):  # R-8.8 counts from the first interim answer
            final = open_deadline(
                case,
                Stage.FINAL,
                now,
                responsible=holder,
                body=final_body,
                policy_key="final_after_interim",
                assignment=owner,
                draft=d,
            )
            # told at once, as whoever is handed work is: the term is days long, its first reminder half-way
            if responsible is not None and responsible != actor:
                notify(
                    responsible,
                    case,
                    Notification.Kind.WORK,
                    with_substitute(
                        f"Промежуточный ответ по обращению № {case.pk} опубликован; окончательный ответ нужен до "
                        f"{timezone.localtime(final.due_at):%d.%m.%Y %H:%M} (п. 8.8)",
                        instead,
                    ),
                    now,
                    final,  # the letter names it: the term is the executor's, a substitute holds none
                )
        _move(
            case,
            "confirm_publication",
            S.DRAFTING,
            actor,
            now,
            with_substitute(f"{label}; ждём окончательный ответ", instead),
        )
    elif d.kind == Draft.Kind.CLARIFICATION:
        _move(case, "confirm_publication", S.AWAITING_AUTHOR, actor, now, f"{label}; ждём ответа автора")
        # R-8.8: a reply the author wrote before the link was confirmed was read while the case did not wait yet
        from .author_replies import link_stored_replies

        link_stored_replies(case, now)
    elif more_parts:
        CaseEvent.objects.create(case=case, at=now, actor=actor, action="part_published", reason=label)
        _review_next_part(case, now, actor)
    elif d.kind == Draft.Kind.PART and (refused := _refused_shares(case)):
        # R-8.2, R-8.9: the refused bodies' share of the question is still to be answered
        names = ", ".join(f"«{a.body}»" for a in refused)
        _move(
            case,
            "confirm_publication",
            S.REROUTING,
            actor,
            now,
            f"{label}; ждём, пока куратор назначит орган вместо {names}",
        )
        for curator in curators_for(case, now):
            notify(
                curator,
                case,
                Notification.Kind.WORK,
                f"Ответ по обращению № {case.pk} опубликован не полностью: "
                + (f"орган {names} отказался" if len(refused) == 1 else f"органы {names} отказались")
                + " (не компетенция). Назначьте другой орган — обращение ждёт и не закроется без его ответа.",
                now,
            )
    else:
        _finish(case, actor, now, label)
    return pub


def _published_automatically(draft: Draft, url: str, refused: ActionRefused) -> None:
    """R-8.7: the link confirmed by hand comes after the outbox's retry already published the answer (the executor
    was told she need not wait for it, `publishing.on_outbox_retrying`): two copies of the answer stand under the
    author's message. She is told so, with the automatic one's link, instead of «изменил другой сотрудник»."""
    auto = (
        Publication.objects.filter(draft_id=draft.pk, method=Publication.Method.API)
        .order_by("-published_at", "-id")
        .first()
    )
    if auto is None:
        return
    link = auto.url or auto.external_id
    hers = f" ({url.strip()})" if web_link(url) else ""
    raise ActionRefused(
        f"Ответ уже опубликован автоматически {timezone.localtime(auto.published_at):%d.%m.%Y в %H:%M}: {link}. "
        f"Если вы разместили его и вручную{hers}, удалите свою копию в сети — под сообщением автора не должно "
        "быть двух одинаковых ответов. Подтверждать ссылку не нужно.",
        "published",
    ) from refused


def live_authors(case: Case) -> list[Message]:
    """`authors_of` without those whose message is deleted in the network: nobody to answer there (R-8.7)."""
    return [m for m in authors_of(case) if m.deleted_at is None]


def by_hand_also(case: Case, draft: Draft | None = None) -> list[Message]:
    """R-8.7: the other authors' messages a case's answer confirmed by hand is also published under: each one's
    first message still in the network (a deleted comment has nobody to answer there), but for those the API
    publishes or has published the draft under (its outbox row not failed)."""
    from otklik.intake.models import Outbox

    others = live_authors(case)[1:]
    if draft is None or not others:
        return others
    by_api = set(
        Outbox.objects.filter(
            idempotency_key__in=[also_key(draft, m.pk) for m in others],
        )
        .exclude(state__in=[Outbox.State.FAILED, Outbox.State.MANUAL])
        .values_list("message_id", flat=True)
    )
    return [m for m in others if m.pk not in by_api]


ALSO = re.compile(r"^Опубликовано также под сообщением № (?P<message>\d+) \((?P<kind>.+)\): (?P<where>\S*)$")


def also_reason(message_pk: int, draft: Draft, where: str) -> str:
    """The timeline's words for the answer published under another author's message (read back by `ALSO`)."""
    return f"Опубликовано также под сообщением № {message_pk} ({draft.kind_label}): {where}"


def failed_also(case: Case) -> QuerySet[Any]:
    """R-8.7: the replies under other authors' messages the API could not publish (outbox rows `…-msg-K` failed)
    whose message is still in the network: each waits for the executor to publish it by hand and confirm its
    link (`confirm_also`), the case open or closed."""
    from otklik.intake.models import Outbox

    return (
        Outbox.objects.filter(
            case_id=case.pk,
            state=Outbox.State.FAILED,
            idempotency_key__contains="-msg-",
            message__deleted_at__isnull=True,
        )
        .select_related("message")
        .order_by("id")
    )


@transaction.atomic
def confirm_also(
    actor: Person, case: Case, message_pk: int, *, url: str, now: datetime | None = None
) -> CaseEvent:
    """R-8.7: the reply under another author's message that the API failed to publish, published by hand: its link
    is recorded on the case as the API's would be («Публикации»), and the outbox row is settled."""
    from otklik.intake.models import Outbox

    now = _now(now)
    row = failed_also(case).select_for_update(of=("self",)).filter(message_id=message_pk).first()
    if row is None:
        raise ActionRefused("Ответ под этим сообщением не ждёт подтверждения: обновите страницу.", "stale")
    match = PUBLISH_KEY.match(row.idempotency_key)
    draft = case.drafts.filter(pk=int(match["draft"])).first() if match else None
    if draft is None:
        raise ActionRefused("Ответ под этим сообщением не ждёт подтверждения: обновите страницу.", "stale")
    publisher = _publisher(case, draft)
    if publisher is not None and not actor.is_curator:
        _require_member(actor, publisher.body_id, "Публикацию")
    link = url.strip()
    if not web_link(link):
        raise ActionRefused("Укажите ссылку на опубликованный ответ (https://…).", "url")
    check_publication_link(case, link, Message.objects.filter(pk=message_pk).first())
    Outbox.objects.filter(pk=row.pk).update(
        state=Outbox.State.MANUAL,
        last_error=f"{row.last_error}\npublished by hand and confirmed: {link}"[:5000],
    )
    return CaseEvent.objects.create(
        case=case, at=now, actor=actor, action="published_also", reason=also_reason(message_pk, draft, link)
    )


def _also_links(case: Case, draft: Draft, url: str, also: Mapping[int, str]) -> list[tuple[Message, str]]:
    out: list[tuple[Message, str]] = []
    seen = {url}
    # a network without a link of its own for each comment (OK: the discussion's page) gives one link for all
    pages = {(m.url or "").strip() for m in authors_of(case)} - {""}
    for m in by_hand_also(case, draft):
        link = (also.get(m.pk) or "").strip()
        who = m.author_name or "автор не указан"
        field = f"also_{m.pk}"  # the publication form's field of this author's link
        if not web_link(link):
            raise ActionRefused(
                f"Укажите ссылку на ответ под сообщением № {m.pk} ({who}): в обращении сообщения нескольких "
                "авторов, ответ размещается под сообщением каждого (п. 8.7).",
                "also",
                field=field,
            )
        try:
            check_publication_link(case, link, m)
        except ActionRefused as exc:
            exc.field = field
            raise
        if link in seen and link not in pages:
            raise ActionRefused(
                f"Ссылка на ответ под сообщением № {m.pk} ({who}) та же, что у другого ответа: у каждого автора "
                "свой ответ под его сообщением.",
                "also",
                field=field,
            )
        seen.add(link)
        out.append((m, link))
    return out


# Networks where every message has a link of its own (the connectors store a VK post's or comment's, a Telegram
# message's, a YouTube comment's): the answer published under it has another one, and the message's own link — the
# case page's «открыть в источнике», easily copied by mistake — proves nothing was published. OK is not among them:
# its comments share the discussion's link (`integrations.ok.connector`), the only one the executor can copy.
OWN_LINK_NETWORKS: Final = frozenset({Network.VK, Network.TELEGRAM, Network.YOUTUBE})


def _vk_item(url: str) -> tuple[int, int, int | None] | None:
    """``(owner id, post id, comment id or None)`` of a VK link in any of its forms (`links.vk_post`): the comment
    of vk.com/wall-1_2?reply=5 (with or without «&thread=»), vk.com/club1?w=wall-1_2_r5, vk.com/wall-1_2_r5."""
    from urllib.parse import parse_qsl, urlsplit

    from otklik.integrations.links import vk_post

    post = vk_post(url)
    if post is None:
        return None
    parts = urlsplit(url.strip())
    query = parse_qsl(parts.query)
    reply = next((v for k, v in query if k == "reply" and v.isdigit()), None)
    for text in [parts.path, *(v for k, v in query if k == "w")]:
        found = re.search(r"_r(\d+)/?$", text)
        if found:
            reply = found.group(1)
    return post[0], post[1], int(reply) if reply is not None else None


def _is_message_link(network: str, url: str, message_url: str) -> bool:
    """Whether `url` names the message of `message_url` itself (R-8.7, `OWN_LINK_NETWORKS`)."""
    from otklik.integrations.links import same_link

    if not message_url.strip() or network not in OWN_LINK_NETWORKS:
        return False
    if network == Network.VK:
        mine, theirs = _vk_item(url), _vk_item(message_url)
        if mine is not None and theirs is not None:
            return mine == theirs
    return same_link(url, message_url)


def check_publication_link(case: Case, url: str, under: Message | None = None) -> None:
    """R-8.7: the answer is published in the network where the message was written. For a network with its
    own domains (`intake.manual.NETWORK_DOMAINS`, the mapping manual entry uses) the link must lead there;
    RSS, forums, review sites and the like have no fixed host, and any http(s) link is accepted. Where each message
    has a link of its own (`OWN_LINK_NETWORKS`), the link of a message of the case (the one answered, another
    author's, an author's reply) is not the answer's. Checked by `confirm_publication`, `confirm_also` and in
    `governor.actions` for every manual confirmation. `under`: the message the answer is published under; where
    both its link and the answer's name their discussion (an OK topic, a YouTube video: `links.discussion`), they
    must be the same."""
    from otklik.intake.manual import host_of, on_network
    from otklik.integrations.links import discussion, vk_post

    # a case may join messages of several networks (R-8.1): the answer under each goes to that message's network
    network = under.network if under is not None else case.network
    try:
        fits = on_network(url, network)
    except ValueError:  # e.g. an unbalanced "[" in the host
        raise ActionRefused("Ссылка не распознана: скопируйте её из адресной строки.", "url") from None
    if not fits:
        raise ActionRefused(
            f"Ответ размещается в той же сети, где написано сообщение (п. 8.7): "
            f"{Network(network).label}, а ссылка ведёт на {host_of(url) or url}.",
            "network",
        )
    messages = list(
        case.case_messages.order_by("pk").values_list(
            "message_id", "message__url", "message__author_name", "message__network"
        )
    )
    for pk, message_url, author, message_network in messages:
        if _is_message_link(message_network, url, message_url or ""):
            raise ActionRefused(
                f"Это ссылка на сообщение автора, а не на ваш ответ: сообщение № {pk} "
                f"({author or 'автор не указан'}). Откройте свой опубликованный ответ под ним и скопируйте "
                "ссылку на ответ (п. 8.7).",
                "url",
            )
    # In VK the answer is a comment under the post the message was written under (or a reply to it): a link to
    # another post is no proof of this answer.
    answered = vk_post(url)
    if answered is not None:
        posts = {p for _, u, _, _ in messages if (p := vk_post(u or ""))}
        if posts and answered not in posts:
            owner, post = sorted(posts)[0]
            raise ActionRefused(
                "Ссылка ведёт на другой пост ВКонтакте: ответ публикуется под тем постом, где написано "
                f"сообщение (п. 8.7) — vk.com/wall{owner}_{post}. Скопируйте ссылку на свой ответ под ним.",
                "url",
            )
    # Odnoklassniki and YouTube: the answer goes under the discussion (the topic, the video) of its message
    theirs = discussion(under.url or "") if under is not None else None
    mine = discussion(url)
    if under is not None and theirs is not None and mine is not None and mine != theirs:
        where = "другое обсуждение Одноклассников" if theirs[0] == "ok" else "другое видео YouTube"
        raise ActionRefused(
            f"Ссылка ведёт на {where}: ответ публикуется там, где написано сообщение № {under.pk} (п. 8.7) — "
            f"{web_link(under.url) or under.url}. Скопируйте ссылку на свой ответ под ним.",
            "url",
        )


def refuse_confirmed_link(case: Case, url: str, instead: str) -> None:
    """R-8.7, R-7.2, R-8.9: each answer is its own reply — a link already confirmed for another answer of the case
    (another body's part, the interim answer) proves nothing of this one, and is refused with `instead` (what to
    give). Not where a network's comments share their discussion's link (OK: `OWN_LINK_NETWORKS`)."""
    if case.network not in OWN_LINK_NETWORKS:
        return
    for earlier in case.publications.exclude(url="").select_related("draft__assignment__body").order_by("id"):
        if _is_message_link(case.network, url, earlier.url):
            body = earlier.draft.assignment.body if earlier.draft.assignment is not None else None
            what = earlier.draft.kind_label
            if body is not None:  # «ответ органа «…»», «промежуточный ответ органа «…»»
                what += f" «{body}»" if what.endswith("органа") else f" органа «{body}»"
            raise ActionRefused(f"Эта ссылка уже подтверждена как {what}. {instead}", "url")


def refuse_thread_link(case: Case, url: str) -> None:
    """R-7.2, R-8.7: under a post several residents ask, and each question is its own case: the link of another
    resident's comment under the same post, or of an answer already confirmed for another question there, proves
    nothing of this answer. Where a network's comments have links of their own (`OWN_LINK_NETWORKS`)."""
    if case.network not in OWN_LINK_NETWORKS:
        return
    posts = [p for p in case.case_messages.values_list("message__post_id", flat=True) if p is not None]
    if not posts:
        return
    for pk, message_url, author in (
        Message.objects.filter(post_id__in=posts, is_official=False)
        .exclude(case_link__case=case)
        .exclude(url="")
        .values_list("pk", "url", "author_name")
    ):
        if _is_message_link(case.network, url, message_url):
            raise ActionRefused(
                f"Это ссылка на комментарий жителя под постом: сообщение № {pk} ({author or 'автор не указан'}), "
                "а не на ваш ответ. Откройте свой опубликованный ответ и скопируйте ссылку на него (п. 8.7).",
                "url",
            )
    others = Case.objects.filter(case_messages__message__post_id__in=posts).exclude(pk=case.pk)
    for other, published in (
        Publication.objects.filter(case__in=others).exclude(url="").values_list("case_id", "url")
    ):
        if _is_message_link(case.network, url, published):
            raise ActionRefused(
                f"Эта ссылка уже подтверждена как ответ на обращение № {other}. Укажите ссылку на ответ, "
                "опубликованный под этим комментарием.",
                "url",
            )


def _finish(case: Case, actor: Person | None, now: datetime, reason: str, action: str = "") -> None:
    """Close the case: its open terms cancelled, its bodies done; recorded as `action` (by default «опубликовано»
    while it is being published, else the curator's closing)."""
    finish_deadlines(open_deadlines(case), now, met=False)
    case.assignments.exclude(state__in=Assignment.GONE).update(state=A.DONE)
    action = action or ("confirm_publication" if case.status == S.PUBLISHING else "close_case")
    _move(case, action, S.CLOSED, actor, now, reason)


@transaction.atomic
def register_author_reply(
    actor: Person | None,
    case: Case,
    message: Message,
    *,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """The author answered the clarification request: drafting reopens (R-8.4 applies again). An answer already
    being prepared without the details (`answer_without_author`) takes them as they come: the reply joins the case
    and whoever drafts is told, with no new deadline. `actor` None: the system found the reply in the thread as it
    arrived (`cases.author_replies`); the timeline says «система»."""
    now = _now(now)
    # R-8.1: a curator sending the same message to a body at this moment locks its row (`dispatch_case`); the
    # message row first, as there, then the case: whichever comes second sees the other's case and is refused
    list(Message.objects.select_for_update().filter(pk=message.pk).values_list("pk", flat=True))
    case = _lock(case, "register_author_reply", expected_version)
    late = case.status != S.AWAITING_AUTHOR
    if late and not late_reply_awaited(case):
        raise ActionRefused(
            f"{REFUSALS['register_author_reply']} Сейчас: «{case.get_status_display()}».", "state"
        )
    if actor is not None and not actor.is_curator:
        _acting_assignment(case, actor)
    _check_author_reply(case, message)
    CaseMessage.objects.create(case=case, message=message, is_author_reply=True, added_at=now)
    found = " — найден в ветке обсуждения автоматически" if actor is None else ""
    if late:
        CaseEvent.objects.create(
            case=case,
            at=now,
            actor=actor,
            action="register_author_reply",
            reason=f"Ответ автора (ответ уже готовится){found}: {message.text[:200]}",
        )
        Case.objects.filter(pk=case.pk).update(version=F("version") + 1)
        stages = (Stage.DRAFT, Stage.COMPOSE, Stage.PART, Stage.REVIEW, Stage.REVISE, Stage.PUBLISH)
        told: set[int] = set()
        for d in open_deadlines(case, *stages):
            # R-6: whoever works on the answer now — drafts, reviews, revises or publishes it, or does their work
            for person, why in told_about(d, now):
                if person.pk in told:
                    continue
                told.add(person.pk)
                notify(
                    person,
                    case,
                    Notification.Kind.WORK,
                    f"Автор ответил на запрос по обращению № {case.pk}: учтите его ответ в готовящемся проекте."
                    + why,
                    now,
                    d,  # the letter names the term worked to (a substitute holds none of their own)
                )
        return case
    _reopen_drafting(
        case,
        "register_author_reply",
        actor,
        now,
        f"Ответ автора{found}: {message.text[:200]}",
        f"Автор ответил на запрос по обращению № {case.pk}.",
    )
    return case


def is_person(author_id: str) -> bool:
    """An author id that names a person: known, and not a community's or channel's (negative in VK and Telegram)."""
    return bool(author_id) and not author_id.startswith("-")


def _our_publication(case: Case, message: Message) -> bool:
    """Whether `message` is one of the case's own publications (an answer, an interim answer or a request), by its
    id in the network as the API gave it or as its confirmed link reads (`author_replies.publication_ids`)."""
    from .author_replies import publication_ids

    if not message.external_id:
        return False
    return any(
        message.external_id in publication_ids(case, publication, message.network)
        for publication in case.publications.select_related("draft")
    )


def _check_author_reply(case: Case, message: Message) -> None:
    """R-8.8: the clarification is asked of the author of the message («запрос (уточнение) авторам сообщений»), so
    only the author's own message is their reply: not a message already in a case, not the body's own (official)
    one, not one by another person when both authors are known in one network (any of the case's authors counts),
    and not one the moderation excluded from work (R-10). A pasted text has no author and is taken as it is."""
    taken = CaseMessage.objects.filter(message=message).values_list("case_id", flat=True).first()
    if taken == case.pk:
        raise ActionRefused(
            "Это сообщение уже есть в обращении: ответом автора на запрос оно быть не может.", "taken"
        )
    if taken is not None:
        raise ActionRefused(f"Сообщение уже в работе: обращение № {taken}.", "taken")
    if message.is_official or _our_publication(case, message):
        # our own published answer or request is official once read back from the network; its link pasted before
        # that is known by the case's own publications
        raise ActionRefused(
            "Это сообщение официального аккаунта или опубликованный ответ, а не ответ автора обращения.",
            "author",
        )

    def who(author_id: str, author_name: str) -> str:
        return f"«{author_name}»" if author_name else f"пользователь с id {author_id}"

    # a community or channel (VK and Telegram give them negative ids: a community publishes an anonymous
    # suggested post as its own) is no person to compare: its reader's reply is taken
    if is_person(message.author_id):
        authors = dict(
            case.messages.filter(network=message.network)
            .exclude(author_id="")
            .exclude(author_id__startswith="-")
            .order_by("case_link__added_at", "pk")
            .values_list("author_id", "author_name")
        )
        if authors and message.author_id not in authors:
            names = ", ".join(dict.fromkeys(who(a, n) for a, n in authors.items()))
            raise ActionRefused(
                f"Сообщение по ссылке написал не автор обращения, а {who(message.author_id, message.author_name)}. "
                f"Ответ на запрос (уточнение) принимается только от автора обращения ({names}).",
                "author",
            )
    from otklik.analysis.pipeline import excluded, is_blocked

    if is_blocked(message):
        raise ActionRefused(
            "Сообщение по ссылке исключено модерацией (п. 10 Положения: оскорбления, нецензурная брань или угрозы): ответом "
            "автора его не считают. Если исключение ошибочно, куратор снимает его в разделе «Исключённые "
            "(модерация)».",
            "blocked",
        )
    # a reply the network has not delivered yet (stored by this very form) is moderated here, as the automatic
    # linking does (`cases.author_replies`): what the connector would exclude is not taken by hand either
    if excluded(message):
        raise ActionRefused(
            "Ответ не принят: модерация исключает его из работы (п. 10 Положения: оскорбления, нецензурная брань "
            "или угрозы). Если это ошибка, куратор снимет исключение, когда сообщение поступит из сети (раздел "
            "«Исключённые (модерация)»), и ответ можно будет добавить.",
            "blocked",
        )


# R-8.4: a reply the author writes while the answer is prepared or reviewed after a request for clarification went
# out still joins the case (a second message with more details, or one after «без уточнения»). Not once the answer
# is approved and going out: nothing can take the details in any more, and what the author writes then (often to
# the answer itself, posted by hand before its link is confirmed) stays in the inbox for the curator (R-8.1, R-8.10)
LATE_REPLY_STATUSES = (S.DRAFTING, S.REVIEW, S.REVISION)


def late_reply_awaited(case: Case) -> bool:
    """A clarification request of the case went out and the answer is now being prepared or reviewed: a reply of
    the author that comes now is still added to the case, with no new term (`register_author_reply`)."""
    return (
        case.status in LATE_REPLY_STATUSES
        and case.publications.filter(draft__kind=Draft.Kind.CLARIFICATION).exists()
    )


@transaction.atomic
def answer_without_author(
    actor: Person, case: Case, *, now: datetime | None = None, expected_version: int | None = None
) -> Case:
    """R-8.8: the author has not answered the clarification request and the answer cannot wait (the 7 working days
    after an interim answer run on): drafting reopens without the author's details (R-8.4 applies again)."""
    now = _now(now)
    case = _lock(case, "answer_without_author", expected_version)
    if not actor.is_curator:
        _acting_assignment(case, actor)
    _reopen_drafting(
        case,
        "answer_without_author",
        actor,
        now,
        "Ответ готовится без уточнения автора",
        f"Подготовьте ответ по обращению № {case.pk} без уточнения автора.",
    )
    return case


def _reopen_drafting(
    case: Case, action: str, actor: Person | None, now: datetime, reason: str, told: str
) -> None:
    """Drafting again after a clarification request (the author's reply, or none): the draft (or common answer)
    deadline opens for whoever does the work now, who is told."""
    clarification = case.drafts.filter(kind=Draft.Kind.CLARIFICATION, state=Draft.State.PUBLISHED).last()
    a = _publisher(case, clarification) if clarification else None
    responsible = case.composer if case.composer_id else (a.executor if a else None)
    stage, key = (Stage.COMPOSE, "compose") if case.composer_id else (Stage.DRAFT, "draft")
    if case.composer_id and responsible is not None:
        body = _compose_body(case, responsible)  # the body the answer is composed for (she may work for two)
    else:
        body = a.body if a else (responsible.body if responsible else None)
    instead = ""
    if case.multi_mode != Case.MultiMode.COMMON_BY_CURATOR or not case.composer_id:
        responsible, instead = doer(responsible, now, body)  # R-6: they may have gone away meanwhile
    office = case.multi_mode == Case.MultiMode.COMMON_BY_CURATOR and case.composer_id is not None
    # R-8.4 against R-8.3/R-8.8: the draft is never due after the answer's term still running (the final answer's
    # 7 working days after an interim one), as at the dispatch
    # (one that ran out already is its own violation: the draft then gets its own 5 hours, not a second one)
    bound = min(
        (d.due_at for d in open_deadlines(case, Stage.OVERALL, Stage.FINAL) if d.due_at > now), default=None
    )
    term = open_deadline(
        case,
        stage,
        now,
        responsible=responsible,
        body=body,
        policy_key=key,
        assignment=None if office else a,
        not_after=bound,
    )
    _move(case, action, S.DRAFTING, actor, now, with_substitute(reason, instead))
    if office and responsible is not None:
        # the office's work: the composing curator, or while she is away her substitute (the curators present)
        recipients, why = curators_instead_of(responsible, now)
        for person in recipients:
            if actor is None or person.pk != actor.pk:  # never told of her own action
                notify(person, case, Notification.Kind.WORK, told + why, now, term)
        return
    notify(responsible, case, Notification.Kind.WORK, with_substitute(told, instead), now, term)


@transaction.atomic
def close_case(
    curator: Person,
    case: Case,
    reason: str,
    *,
    now: datetime | None = None,
    expected_version: int | None = None,
) -> Case:
    """The curator closes a case by decision (e.g. the author never replied to the clarification). An approved
    answer still waiting in the outbox is not sent (R-8.7: the curator decided it is not needed), and the timeline
    says so."""
    now = _now(now)
    _require_curator(curator)
    case = _lock(case, "close_case", expected_version)
    if not reason.strip():
        raise ActionRefused("Укажите причину закрытия.", "reason")
    at_work = _at_work(case, now, curator)
    # recorded as the curator's closing also while the answer is being published: a case closed in «публикация» is
    # not a published one (the timeline would read «опубликовано»), and `closed_note` finds it
    _finish(case, curator, now, reason.strip(), action="close_case")
    # a draft waiting for the curator's decision was not decided: the case page does not go on reading «на
    # согласовании» under a closed case
    case.drafts.filter(state=Draft.State.SUBMITTED).update(state=Draft.State.UNDECIDED)
    told = _closed_words(case, reason.strip())  # as `closed_note` reads it back later
    stopped = _stop_publishing(case, curator, now)
    if stopped:
        told += f" {stopped}"
    for person, instead in at_work:
        notify(person, case, Notification.Kind.CLOSED, with_substitute(told, instead), now)
    return case


def _stop_publishing(case: Case, curator: Person, now: datetime) -> str:
    """R-8.7 for a case closed by decision: the outbox rows of its answer not yet sent are settled — one waiting for
    its first attempt or for a retry, one whose attempt was interrupted (its lease over), a reply under another
    author's message that waits to be published by hand — so no answer goes out behind the curator's decision. A row
    being sent this very moment (its lease held) cannot be called back: its outcome is recorded when it comes
    (`cases.publishing`). The timeline says what was stopped; returns the words for the people told of the closing
    ("" when nothing was waiting)."""
    from django.db.models import Q

    from otklik.intake.models import Outbox

    # a sending row's lease runs in real time, whatever moment the closing is recorded at
    lease = timezone.now()
    waiting = Q(state=Outbox.State.PENDING) | Q(state=Outbox.State.SENDING, next_attempt_at__lte=lease)
    by_hand = Q(
        state=Outbox.State.FAILED, idempotency_key__contains="-msg-", message__deleted_at__isnull=True
    )
    rows = list(
        Outbox.objects.select_for_update(of=("self",))
        .filter(waiting | by_hand, case_id=case.pk)
        .order_by("pk")
    )
    settled: list[str] = []
    for row in rows:
        interrupted = row.state == Outbox.State.SENDING
        note = "не отправлен: обращение закрыто куратором до публикации ответа"
        if row.state == Outbox.State.FAILED:
            note = "не нужен: обращение закрыто куратором, ответ вручную не публикуется"
        Outbox.objects.filter(pk=row.pk, state=row.state).update(
            state=Outbox.State.MANUAL,
            next_attempt_at=None,
            last_error=f"{note}{'; до этого: ' + row.last_error if row.last_error else ''}"[:5000],
        )
        where = f"под сообщением № {row.message_id}"
        if interrupted:
            where += " (попытка отправки прервалась — ответ мог быть опубликован, проверьте ветку в сети)"
        elif row.state == Outbox.State.FAILED:
            where += " (вручную его публиковать не нужно)"
        settled.append(where)
    sending = list(
        Outbox.objects.filter(
            case_id=case.pk, state=Outbox.State.SENDING, next_attempt_at__gt=lease
        ).values_list("message_id", flat=True)
    )
    words = []
    if settled:
        words.append(f"Согласованный ответ в сеть не отправлен — публикация отменена: {'; '.join(settled)}")
    if sending:
        numbers = ", ".join(f"№ {pk}" for pk in sending)
        words.append(
            f"Ответ под сообщением {numbers} в эту минуту уже отправлялся в сеть и отменён быть не мог: "
            "если он опубликован, это будет записано здесь"
        )
    if not words:
        return ""
    reason = ". ".join(words)
    CaseEvent.objects.create(case=case, at=now, actor=curator, action="close_case", reason=reason)
    return f"{reason}."


def _at_work(case: Case, now: datetime, actor: Person) -> list[tuple[Person, str]]:
    """Who works on the case now, to be told when the curator closes it: the executors of the bodies it is with
    and whoever has an open deadline of the executors' side (drafting, composing, revising, publishing), each as
    R-6 resolves them now (the substitute of one away, with the words naming both); not the curator acting."""
    people: list[tuple[Person | None, Body | None]] = [
        (a.executor, a.body) for a in _live(case) if a.state == A.ACTIVE
    ]
    people += [
        (d.responsible, d.body)
        for d in open_deadlines(case)
        if d.stage != Stage.REVIEW and d.responsible is not None
    ]
    return _doers(people, now, actor)
