"""`otklik demo`: a realistic past quarter up to today, so every report and dashboard has content — messages and
cases driven through the real actions on a controlled clock (most answered in time, some late, some returned,
a few rejected and reassigned), the deadline sweep, and a surge the detector catches. Idempotent: it does nothing
when its messages are already there."""

from __future__ import annotations

import contextlib
import random
from datetime import datetime, timedelta

from django.utils import timezone

from otklik.analysis import surges
from otklik.cases import actions, sla
from otklik.cases.actions import ActionRefused, Route
from otklik.cases.models import Case
from otklik.intake.models import Message
from otklik.org.models import Body, Municipality, Person, TopicGroup
from otklik.worktime.service import worktime_for

PREFIX = "demo-q-"
TEXTS = [
    "Во дворе дома не вывозят мусор вторую неделю, контейнеры переполнены.",
    "На дороге между сёлами огромные ямы, машины ломаются, когда отремонтируют?",
    "В поликлинике невозможно записаться к врачу, телефон регистратуры не отвечает.",
    "Автобус по утрам не приходит по расписанию, дети опаздывают в школу.",
    "Не горят фонари на улице, вечером очень темно и опасно.",
    "В доме нет горячей воды уже пять дней, управляющая компания молчит.",
    "Детская площадка сломана, качели опасны для детей.",
    "Скорая помощь ехала больше часа, как это возможно?",
]
SURGE_TEXT = "Нет отопления в домах на улице Центральной, в квартирах +14, дети мёрзнут!"
ANSWER = (
    "Здравствуйте! Спасибо за обращение. Мы проверили ситуацию: работы включены в план, подрядчик приступит "
    "к ним на этой неделе. О ходе работ сообщим дополнительно."
)


def _bodies() -> list[tuple[Body, Person]]:
    out = []
    for body in Body.objects.filter(is_active=True, is_coordinator=False).order_by("id"):
        executor = actions.default_executor(body)
        if executor is not None:
            out.append((body, executor))
    return out[:6]


def add_demo_quarter(now: datetime | None = None, seed: int = 2026) -> int:
    """Create ~90 days of history ending yesterday; returns the number of cases created (0 when present)."""
    if Message.objects.filter(external_id=f"{PREFIX}0").exists():
        return 0
    now = now or timezone.now()
    curator = Person.objects.filter(username="curator").first()
    bodies = _bodies()
    groups = list(TopicGroup.objects.filter(is_active=True).order_by("id")[:6])
    places = list(Municipality.objects.filter(is_active=True).order_by("id")[:8])
    if curator is None or not bodies or not groups or not places:
        return 0
    rng = random.Random(seed)
    wt = worktime_for(None)
    seq = 0
    created = 0

    def message(at: datetime, text: str) -> Message:
        nonlocal seq
        m = Message.objects.create(
            network=rng.choice(["vk", "vk", "vk", "ok", "telegram"]),
            external_id=f"{PREFIX}{seq}",
            url=f"https://vk.com/wall-1_{900000 + seq}",
            author_name=rng.choice(["Ирина", "Алексей", "Наталья", "Сергей", "Ольга", "Дмитрий"]),
            text=text,
            published_at=at,
            metrics={"views": rng.randrange(50, 5000), "likes": rng.randrange(0, 200)},
        )
        seq += 1
        return m

    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    last_case: Case | None = None
    for back in range(92, 0, -1):
        day = today - timedelta(days=back)
        if not wt.is_working(day.replace(hour=11)):
            message(day.replace(hour=rng.randrange(9, 21)), rng.choice(TEXTS))  # weekends: messages, no cases
            continue
        for _ in range(rng.choice([1, 2, 2, 3])):
            start = wt.next_working_moment(day.replace(hour=9) + timedelta(minutes=rng.randrange(0, 360)))
            body, _executor = rng.choice(bodies)
            repeat = last_case if last_case is not None and rng.random() < 0.07 else None
            case = actions.dispatch_case(
                curator,
                [message(start - timedelta(minutes=rng.randrange(10, 90)), rng.choice(TEXTS))],
                [] if repeat else [Route(body)],
                repeat_of=repeat,
                topic_group=rng.choice(groups),
                municipality=rng.choice(places),
                importance="high" if rng.random() < 0.1 else "normal",
                now=start,
            )
            created += 1
            last_case = case
            # e.g. no executor on duty for the reassigned body: the case is left for the sweep, as in life
            with contextlib.suppress(ActionRefused):
                _drive(case, curator, rng, wt, start, bodies, now)
        sla.sweep(now=min(day + timedelta(hours=23), now))
    _surge(curator, groups[0], places[0], bodies[0][0], today, wt)
    sla.sweep(now=now)
    return created


def _drive(
    case: Case,
    curator: Person,
    rng: random.Random,
    wt: object,
    start: datetime,
    bodies: list[tuple[Body, Person]],
    now: datetime,
) -> None:
    add = wt.add  # type: ignore[attr-defined]
    a = case.assignments.exclude(executor=None).first()
    if a is None or a.executor is None:
        return
    roll = rng.random()
    if roll < 0.06:  # not our competence: rejected within the window, the curator reassigns
        t = add(start, 30)
        actions.reject_assignment(a.executor, a, "Вопрос не относится к компетенции органа", now=t)
        other = next((b for b, _ in bodies if b.pk != a.body_id), None)
        if other is None:
            return
        a = actions.reassign(curator, a, other, now=add(t, 15))
        start = add(t, 15)
        if a.executor is None:
            return
    executor = a.executor
    if executor is None:
        return
    late = roll > 0.85
    t = add(start, rng.randrange(330, 480) if late else rng.randrange(40, 250))
    if t > now:
        return  # still in work today
    measures = "Работы включены в план." if case.repeat_of_id else ""
    draft = actions.submit_draft(executor, case, "answer", ANSWER, measures=measures, now=t)
    t = add(t, rng.randrange(10, 50))
    if rng.random() < 0.2:
        actions.return_draft(curator, draft, "Уточните сроки и поздоровайтесь по имени", now=t)
        t = add(t, rng.randrange(20, 80))
        draft = actions.revise_draft(executor, draft, ANSWER + " Срок — до конца месяца.", now=t)
        t = add(t, rng.randrange(10, 40))
    actions.approve_draft(curator, draft, now=t)
    t = add(t, rng.randrange(5, 50) if rng.random() < 0.2 else rng.randrange(5, 25))
    actions.confirm_publication(executor, draft, url=f"https://vk.com/wall-1_{case.pk}?reply=1", now=t)


def _surge(
    curator: Person, group: TopicGroup, place: Municipality, body: Body, today: datetime, wt: object
) -> None:
    """A burst of complaints about heating in one place on the last working day; the detector alerts once."""
    day = today - timedelta(days=1)
    while not wt.is_working(day.replace(hour=11)):  # type: ignore[attr-defined]
        day -= timedelta(days=1)
    base = day.replace(hour=11, minute=0)
    for i in range(9):
        at = base + timedelta(minutes=6 * i)
        m = Message.objects.create(
            network="vk",
            external_id=f"{PREFIX}surge-{i}",
            url=f"https://vk.com/wall-1_{990000 + i}",
            author_name="Житель",
            text=f"{SURGE_TEXT} Дом {i + 1}.",
            published_at=at,
            metrics={"views": 800 + 50 * i},
        )
        actions.dispatch_case(
            curator, [m], [Route(body)], topic_group=group, municipality=place, importance="high", now=at
        )
    surges.detect(base + timedelta(minutes=55))
