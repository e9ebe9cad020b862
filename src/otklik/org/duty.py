"""Who actually does a person's work at a moment (R-6): absences, substitute chains and fallbacks."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.timezone import localtime

from .models import Absence, Person, Role


class DutyReason(enum.StrEnum):
    PRESENT = "present"
    SUBSTITUTE = "substitute"
    FALLBACK_EXECUTOR = "fallback_executor"
    FALLBACK_RESPONSIBLE = "fallback_responsible"
    NOBODY = "nobody"


@dataclass(frozen=True)
class Duty:
    """The answer of `on_duty`: who works, through which chain, and why, in words for people."""

    person: Person | None
    reason: DutyReason
    explanation: str
    chain: list[Person] = field(default_factory=list)  # the absent people passed through, in order
    cycle: bool = False


# `on_duty`'s words for a person whose role moved to another body (the case page says it instead of «отсутствует»)
MOVED = "больше не работает в органе"

# Who can do a body's work on cases: the same roles the fallback below picks from.
WORKING_ROLES = (Role.Kind.EXECUTOR, Role.Kind.RESPONSIBLE)


def substitute_candidates(
    body_ids: set[int] | list[int] | None = None, *, curators: bool | None = None
) -> QuerySet[Person]:
    """Active people who may be named substitutes for the staff of `body_ids` (None: of any body): their
    executors and responsible officials (an observer cannot act on a body's cases), and — for a curator's
    absence (`curators`; None: with any body) — the other curators, who approve in her place (R-6, R-8.5)."""
    role = Q(roles__kind__in=WORKING_ROLES)
    if body_ids is not None:  # in the same Q as the kind: one role of that kind in one of those bodies
        role &= Q(roles__body_id__in=list(body_ids))
    if curators or (curators is None and body_ids is None):
        role |= Q(roles__kind=Role.Kind.CURATOR)
    return Person.objects.filter(role, is_active=True).distinct().order_by("last_name", "first_name", "pk")


def may_substitute(person: Person, substitute: Person) -> bool:
    """Whether `substitute` may be named on `person`'s absence (R-6): an executor or a responsible official of a
    body the person works for; for a curator, another curator (the curators share the office's reviews)."""
    if person.is_curator and substitute.is_curator:
        return True
    return any(works_for_body(substitute, body_id) for body_id in work_body_ids(person))


def work_body_ids(person: Person) -> set[int]:
    """The bodies a person works for: their own body and every body where they are an executor or a responsible
    official (a person may work for two bodies)."""
    ids = {b for b in person.roles.filter(kind__in=WORKING_ROLES).values_list("body_id", flat=True) if b}
    if person.body_id is not None:
        ids.add(person.body_id)
    return ids


def role_body_ids(person: Person) -> set[int]:
    """The bodies whose cases a person works on: those where they hold an executor's or a responsible official's
    role (R-6). Their place of work (`Person.body`) alone does not count: a person whose role in their own body
    was taken off cannot open its cases (`cases.scoping.cases_for`), so its work is not theirs."""
    return {b for b in person.roles.filter(kind__in=WORKING_ROLES).values_list("body_id", flat=True) if b}


def works_for_body(candidate: Person, body_id: int | None) -> bool:
    """Whether `candidate` holds an executor's or a responsible official's role in the body."""
    if body_id is None:
        return False
    return candidate.roles.filter(kind__in=WORKING_ROLES, body_id=body_id).exists()


def unfit_substitutes(absences: Iterable[Absence]) -> set[int]:
    """The absences whose named substitute does not work for the absent person's body (`works_for_body`),
    e.g. recorded before that rule: for a list of absences, in one query."""
    named = [a for a in absences if a.substitute_id is not None]
    curators = set(
        Role.objects.filter(
            person_id__in={a.substitute_id for a in named} | {a.person_id for a in named},
            kind=Role.Kind.CURATOR,
        ).values_list("person_id", flat=True)
    )
    named = [a for a in named if not (a.person_id in curators and a.substitute_id in curators)]
    working = set(
        Role.objects.filter(
            person_id__in={a.substitute_id for a in named} | {a.person_id for a in named},
            kind__in=WORKING_ROLES,
        ).values_list("person_id", "body_id")
    )
    bodies: dict[int, set[int]] = {}
    for a in named:
        own = {b for p, b in working if p == a.person_id}
        bodies[a.pk] = own | ({a.person.body_id} if a.person.body_id is not None else set())
    return {a.pk for a in named if not any((a.substitute_id, b) in working for b in bodies[a.pk])}


def absence_at(person: Person, at: datetime) -> Absence | None:
    return (
        Absence.objects.filter(person=person, starts_at__lte=at, ends_at__gt=at)
        .select_related("substitute")
        .first()
    )


def absent_ids(people_ids: list[int], at: datetime) -> set[int]:
    """Of these people, the ones with an absence at `at` (one query for many)."""
    return set(
        Absence.objects.filter(person_id__in=people_ids, starts_at__lte=at, ends_at__gt=at).values_list(
            "person_id", flat=True
        )
    )


def moved_ids(pairs: Iterable[tuple[int, int]]) -> set[int]:
    """Of these (person, body) pairs, the people who no longer work for that body (their role moved to another
    one or was taken off, whatever their place of work; curators excepted: their deadlines are the office's) —
    `on_duty`'s rule for many at once, in two queries."""
    pairs = set(pairs)
    people = {person for person, _ in pairs}
    working = set(
        Role.objects.filter(person_id__in=people, kind__in=WORKING_ROLES).values_list("person_id", "body_id")
    )
    curators = set(
        Role.objects.filter(person_id__in=people, kind=Role.Kind.CURATOR).values_list("person_id", flat=True)
    )
    return {person for person, body in pairs if (person, body) not in working and person not in curators}


def on_duty(person: Person, at: datetime, body_id: int | None = None) -> Duty:
    """Return who does `person`'s work at `at` — for the body `body_id` when given (a person who works for two
    bodies: the work of the body the case went to), otherwise for the person's own body.

    Follows the substitute named on each absence, skipping substitutes who are themselves away (their own
    substitute is taken next), ignores a named substitute who holds no executor's or responsible official's
    role in that body (they could not act on the cases) — except a curator named for a curator's own work (not a
    body's given as `body_id`): the curators share it (`may_substitute`) —, stops on a cycle, and falls back to another
    present executor of that body, then to the body's responsible official. Inactive accounts are
    treated as away, and so is, for the body `body_id`, a person without an executor's or a responsible
    official's role in it (their role moved to another body or was taken off: they cannot open its cases).
    """
    work_body_id = body_id if body_id is not None else person.body_id
    absence = absence_at(person, at) if person.is_active else None
    if (
        person.is_active
        and absence is None
        and body_id is not None
        and body_id not in role_body_ids(person)
        and not person.is_curator  # `moved_ids`' rule for one person: a curator's deadlines are the office's
    ):
        # the administrator moved their role to another body or took it off, with the body's case still theirs:
        # the body's people do the work, and the reminders reach someone who can open the case
        why = " (роль исполнителя или ответственного лица органа снята)" if person.body_id == body_id else ""
        moved = [f"{person} {MOVED}{why}"]
        return _fallback(work_body_id, at, [person], moved, cycle=False)
    if person.is_active and absence is None:
        return Duty(person, DutyReason.PRESENT, f"{person} на месте")

    # a curator's own work (not a body's case she also works on as its executor) is done by another curator, the
    # substitute `may_substitute` lets be named on her absence
    curators_work = person.is_curator and work_body_id == person.body_id
    chain: list[Person] = [person]
    seen = {person.pk}
    steps: list[str] = [away_text(person, absence)]
    current_absence = absence
    while current_absence is not None and current_absence.substitute is not None:
        sub = current_absence.substitute
        if sub.pk in seen:
            steps.append(f"цикл замещения: {sub} уже в цепочке")
            return _fallback(work_body_id, at, chain, steps, cycle=True)
        seen.add(sub.pk)
        if not (works_for_body(sub, work_body_id) or (curators_work and sub.is_curator)):
            steps.append(f"{sub} не может замещать: не исполнитель и не ответственное лицо органа")
            return _fallback(work_body_id, at, chain, steps, cycle=False)
        sub_absence = absence_at(sub, at) if sub.is_active else None
        if sub.is_active and sub_absence is None:
            via = " → ".join(str(p) for p in [*chain[1:], sub]) if len(chain) > 1 else str(sub)
            text = f"{'; '.join(steps)}; работу выполняет замещающий {via}"
            return Duty(sub, DutyReason.SUBSTITUTE, text, chain=chain)
        chain.append(sub)
        steps.append(away_text(sub, sub_absence))
        current_absence = sub_absence
    if current_absence is not None and current_absence.substitute is None:
        steps.append(f"{current_absence.person}: замещающий не назначен")
    return _fallback(work_body_id, at, chain, steps, cycle=False)


def body_duty(body_id: int, at: datetime) -> Duty:
    """Who of the body does a work that has nobody named for it (the body had nobody on duty when it came): its
    first present executor, else its responsible official — or nobody (`on_duty`'s fallback)."""
    return _fallback(body_id, at, [], ["исполнитель не был назначен: никого не было на месте"], cycle=False)


def away_text(person: Person, absence: Absence | None) -> str:
    """Why `person` is not on duty, for texts that are stored and shown to everyone who reads the case (other bodies'
    staff on a shared case too): until when, never the absence's reason («больничный» is health information; the
    directory shows it only to those allowed, `org.scoping.visible_absences`)."""
    if absence is None:
        return f"{person}: учётная запись отключена"
    return f"{person} отсутствует до {localtime(absence.ends_at):%d.%m.%Y %H:%M}"


def _fallback(
    body_id: int | None, at: datetime, chain: list[Person], steps: list[str], *, cycle: bool
) -> Duty:
    excluded = [p.pk for p in chain]
    if body_id is not None:
        for kind, reason, label in (
            (Role.Kind.EXECUTOR, DutyReason.FALLBACK_EXECUTOR, "другой исполнитель органа"),
            (Role.Kind.RESPONSIBLE, DutyReason.FALLBACK_RESPONSIBLE, "ответственное должностное лицо органа"),
        ):
            candidates = list(
                Person.objects.filter(roles__kind=kind, roles__body_id=body_id, is_active=True)
                .exclude(pk__in=excluded)
                .distinct()
                .order_by("last_name", "first_name", "pk")
            )
            away = absent_ids([c.pk for c in candidates], at)
            for candidate in candidates:
                if candidate.pk not in away:
                    text = f"{'; '.join(steps)}; работу выполняет {label}: {candidate}"
                    return Duty(candidate, reason, text, chain=chain, cycle=cycle)
    text = f"{'; '.join(steps)}; в органе не осталось никого на месте — нужно решение куратора"
    return Duty(None, DutyReason.NOBODY, text, chain=chain, cycle=cycle)


def overlapping_absences(
    person: Person, starts_at: datetime, ends_at: datetime, exclude_pk: int | None = None
) -> list[Absence]:
    qs = Absence.objects.filter(Q(person=person) & Q(starts_at__lt=ends_at) & Q(ends_at__gt=starts_at))
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.order_by("starts_at"))


def substitute_away(absence: Absence) -> str:
    """A warning for the one who has just recorded `absence` (R-6), or «» when there is none: the named substitute
    is away for part of it too (their own absence overlapping; the first such absence is named), and who then
    actually does the absent person's work (`on_duty` at the start of the overlap) — also when the two are named
    to substitute for each other, which `on_duty` resolves by the fallback."""
    sub = absence.substitute
    if sub is None:
        return ""
    clash = overlapping_absences(sub, absence.starts_at, absence.ends_at)
    if not clash:
        return ""
    away = clash[0]
    since = max(away.starts_at, absence.starts_at)
    until = min(away.ends_at, absence.ends_at)
    text = (
        f"Замещающий сотрудник {sub} тоже отсутствует с {localtime(since):%d.%m.%Y %H:%M} "
        f"по {localtime(until):%d.%m.%Y %H:%M} ({away.get_reason_display()})"
    )
    if away.substitute_id == absence.person_id:
        text += f"; на то время замещающим указан(а) {absence.person}: сотрудники замещают друг друга"
    duty = on_duty(absence.person, since)
    if duty.person is None:
        return f"{text}. В это время в органе никого нет на месте — обращения потребуют решения куратора."
    return f"{text}. Работу в это время выполняет {duty.person}."
