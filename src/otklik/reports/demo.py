"""`otklik demo`: a realistic past quarter up to today, so every report and dashboard has content — messages and
cases driven through the real actions on a controlled clock (most answered in time, some late, some returned,
a few rejected and reassigned), the deadline sweep, and a surge the detector catches. Idempotent: it does nothing
when its messages are already there."""

from __future__ import annotations

import contextlib
import random
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from otklik.analysis import surges
from otklik.cases import actions
from otklik.cases.actions import ActionRefused, Route
from otklik.cases.demo import competent_bodies, sweep_as_it_ran
from otklik.cases.models import Case
from otklik.intake.demo import analyse, demo_message, message_url
from otklik.intake.models import Message
from otklik.org.loaders import loaded_municipality
from otklik.org.models import Body, Municipality, Person, Topic
from otklik.worktime.service import worktime_for

PREFIX = "demo-q-"
GATCHINA = "Гатчинский муниципальный район"
# (text, its ЦУР topic, its municipal formation — None: any of the quarter's places). The topics are those of the
# demo's staffed bodies, so the competence matrix sends every message to a body whose executor answers it.
TEXTS: list[tuple[str, str, str | None]] = [
    (
        "На дороге между сёлами огромные ямы, машины ломаются, когда отремонтируют?",
        "Ямы и выбоины на дороге",
        None,
    ),
    (
        "Светофор у школы третий день мигает жёлтым, дети переходят дорогу как придётся.",
        "Работа светофора (установка, изменение режима работы, оборудование кнопкой вызова)",
        None,
    ),
    (
        "В поликлинике невозможно записаться к врачу, электронная запись не работает.",
        "Технические проблемы с записью на прием к врачу",
        None,
    ),
    ("Скорая помощь ехала больше часа, как это возможно?", "★ Скорая помощь", None),
    ("В аптеке при больнице второй месяц нет льготных лекарств.", "Льготные лекарства", None),
    (
        "В Гатчине во дворе на улице Чкалова не горят фонари, вечером очень темно и опасно.",
        "★ Неисправные фонари освещения",
        GATCHINA,
    ),
    (
        "Детская площадка во дворе в Гатчине сломана, качели опасны для детей.",
        "★ Ненадлежащее состояние игровых элементов на детской или спортивной площадке",
        GATCHINA,
    ),
    (
        "После ремонта дороги через месяц снова пошли трещины и ямы.",
        "Некачественно выполненный ремонт дорог",
        None,
    ),
]
SURGE_TOPIC = "★ Нарушение правил уборки от снега и наледи внутридворового проезда, тротуара, площади"
SURGE_TEXT = (
    "Во дворах на улице Соборной в Гатчине не убран снег, машины застряли, пожилым не выйти из подъезда!"
)
ANSWER = (
    "Здравствуйте! Спасибо за обращение. Мы проверили ситуацию: работы включены в план, подрядчик приступит "
    "к ним на этой неделе. О ходе работ сообщим дополнительно."
)


class _NotYet(Exception):
    """The next step of a demo case would come after «now»: the case stays where it is, as in life."""


def _bodies() -> list[tuple[Body, Person]]:
    out = []
    for body in Body.objects.filter(is_active=True, is_coordinator=False).order_by("id"):
        executor = actions.default_executor(body)
        if executor is not None:
            out.append((body, executor))
    return out[:6]


class _Quarter:
    """The state of one `add_demo_quarter` run: the clock's end, the random source, the staffed bodies."""

    def __init__(
        self, now: datetime, seed: int, curator: Person, bodies: list[Body], places: list[Municipality]
    ):
        self.now = now
        self.rng = random.Random(seed)
        self.wt: Any = worktime_for(None)
        self.curator = curator
        self.bodies = bodies
        self.places = places
        self.gatchina = loaded_municipality(GATCHINA)  # renamed since or not
        self.seq = 0
        self.made: list[Message] = []  # every message of the quarter, analysed at the end (`analyse`)

    def at(self, t: datetime) -> datetime:
        if t > self.now:
            raise _NotYet
        return t

    def place(self, spec: tuple[str, str, str | None]) -> Municipality:
        return self.gatchina if spec[2] == GATCHINA and self.gatchina else self.rng.choice(self.places)

    def message(self, at: datetime, text: str) -> Message:
        network = self.rng.choice(["vk", "vk", "vk", "ok", "telegram"])
        m = demo_message(
            network=network,
            external_id=f"{PREFIX}{self.seq}",
            url=message_url(network, 900000 + self.seq),
            author_name=self.rng.choice(["Ирина", "Алексей", "Наталья", "Сергей", "Ольга", "Дмитрий"]),
            text=text,
            published_at=at,
            lag=timedelta(minutes=self.rng.randrange(1, 8)),
            metrics={"views": self.rng.randrange(50, 5000), "likes": self.rng.randrange(0, 200)},
        )
        self.seq += 1
        self.made.append(m)
        return m


def add_demo_quarter(now: datetime | None = None, seed: int = 2026) -> int:
    """Create ~90 days of history ending at ``now``; returns the number of cases created (0 when present).

    Nothing happens after ``now``: a step that would is not taken. Messages of days off are sent to the bodies
    the next working morning; those of the last days off are still in the inbox, analysed as intake would."""
    if Message.objects.filter(external_id=f"{PREFIX}0").exists():
        return 0
    now = now or timezone.now()
    curator = Person.objects.filter(username="curator").first()
    bodies = [b for b, _ in _bodies()]
    places = list(Municipality.objects.filter(is_active=True).order_by("id")[:8])
    if curator is None or not bodies or not places:
        return 0
    q = _Quarter(now, seed, curator, bodies, places)
    created = 0
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    waiting: list[tuple[Message, tuple[str, str, str | None], Municipality]] = []
    last: tuple[Case, tuple[str, str, str | None], Municipality] | None = None
    for back in range(92, 0, -1):
        day = today - timedelta(days=back)
        if not q.wt.is_working(day.replace(hour=11)):  # days off: messages, sent on the next working day
            spec = q.rng.choice(TEXTS)
            waiting.append(
                (q.message(day.replace(hour=q.rng.randrange(9, 21)), spec[0]), spec, q.place(spec))
            )
            continue
        todo: list[tuple[Message | None, tuple[str, str, str | None], Municipality, Case | None]] = [
            (m, spec, place, None) for m, spec, place in waiting
        ]
        waiting = []  # from here on: what is left for the inbox
        for _ in range(q.rng.choice([1, 2, 2, 3])):
            if last is not None and q.rng.random() < 0.07:
                todo.append((None, last[1], last[2], last[0]))  # the same complaint again
            else:
                spec = q.rng.choice(TEXTS)
                todo.append((None, spec, q.place(spec), None))
        for msg, spec, place, repeat in todo:
            start = q.wt.next_working_moment(day.replace(hour=9) + timedelta(minutes=q.rng.randrange(0, 360)))
            if msg is None:
                msg = q.message(start - timedelta(minutes=q.rng.randrange(10, 90)), spec[0])
            case = _dispatch(q, msg, spec, place, start, repeat)
            if case is None:  # no staffed competent body (a changed directory): left in the inbox
                waiting.append((msg, spec, place))
                continue
            created += 1
            last = (case, spec, place)
        sweep_as_it_ran(min(day + timedelta(hours=23), now))
    _surge(q, today)
    sweep_as_it_ran(now)
    # every message as intake would have analysed it on arrival (the place, topic … suggestions of the handled ones
    # are what later messages are compared with, `analysis.repeats.same_issue`)
    analyse(q.made)
    return created


def _dispatch(
    q: _Quarter,
    msg: Message,
    spec: tuple[str, str, str | None],
    place: Municipality,
    start: datetime,
    repeat: Case | None,
) -> Case | None:
    """The curator sends the message to the body the competence matrix names for its topic (R-8.1); now and
    then first to a wrong one, which rejects it for competence (R-8.2), and the curator reassigns it."""
    competent = competent_bodies([spec[1]], place, q.bodies)
    topic = Topic.objects.filter(name=spec[1], is_active=True).first()
    if not competent or topic is None:
        return None
    right = q.rng.choice(competent)
    wrong = [b for b in q.bodies if b not in competent]
    first = q.rng.choice(wrong) if wrong and repeat is None and q.rng.random() < 0.06 else right
    case = actions.dispatch_case(
        q.curator,
        [msg],
        [Route(first)],
        repeat_of=repeat,
        topic=topic,
        municipality=place,
        importance="high" if q.rng.random() < 0.1 else "normal",
        now=start,
    )
    # e.g. no executor on duty for the reassigned body: the case is left for the sweep, as in life
    with contextlib.suppress(ActionRefused, _NotYet):
        _drive(q, case, start, right)
    return case


def _drive(q: _Quarter, case: Case, start: datetime, right: Body) -> None:
    add, rng, curator = q.wt.add, q.rng, q.curator
    a = case.assignments.exclude(executor=None).first()
    if a is None or a.executor is None:
        return
    if a.body_id != right.pk:  # not our competence: rejected within the window, the curator reassigns
        t = q.at(add(start, 30))
        actions.reject_assignment(a.executor, a, "Вопрос не относится к компетенции органа", now=t)
        start = q.at(add(t, 15))
        a = actions.reassign(curator, a, right, now=start)
        if a.executor is None:
            return
    executor = a.executor
    if executor is None:
        return
    late = rng.random() > 0.85
    t = q.at(add(start, rng.randrange(330, 480) if late else rng.randrange(40, 250)))  # or still in work
    measures = "Работы включены в план." if case.repeat_of_id else ""
    draft = actions.submit_draft(executor, case, "answer", ANSWER, measures=measures, now=t)
    t = q.at(add(t, rng.randrange(10, 50)))
    if rng.random() < 0.2:
        actions.return_draft(curator, draft, "Уточните сроки и поздоровайтесь по имени", now=t)
        t = q.at(add(t, rng.randrange(20, 80)))
        draft = actions.revise_draft(executor, draft, ANSWER + " Срок — до конца месяца.", now=t)
        t = q.at(add(t, rng.randrange(10, 40)))
    actions.approve_draft(curator, draft, now=t)
    t = q.at(add(t, rng.randrange(5, 50) if rng.random() < 0.2 else rng.randrange(5, 25)))
    first = case.case_messages.select_related("message").order_by("id").first()
    assert first is not None  # a dispatched case has its message
    url = f"{first.message.url}?reply=1"  # under the message
    actions.confirm_publication(executor, draft, url=url, now=t)


def _surge(q: _Quarter, today: datetime) -> None:
    """A burst of complaints about uncleared snow in the yards of one town on the last working day, sent to the
    competent administration; the detector alerts once (R-14)."""
    day = today - timedelta(days=1)
    while not q.wt.is_working(day.replace(hour=11)):
        day -= timedelta(days=1)
    place = q.gatchina
    topic = Topic.objects.filter(name=SURGE_TOPIC, is_active=True).first()
    competent = competent_bodies([SURGE_TOPIC], place, q.bodies)
    if place is None or topic is None or not competent:
        return
    base = day.replace(hour=11, minute=0)
    for i in range(9):
        at = base + timedelta(minutes=6 * i)
        m = demo_message(
            network="vk",
            external_id=f"{PREFIX}surge-{i}",
            url=f"https://vk.com/wall-1_{990000 + i}",
            author_name="Житель",
            text=f"{SURGE_TEXT} Дом {i + 1}.",
            published_at=at,
            lag=timedelta(minutes=2),
            metrics={"views": 800 + 50 * i},
        )
        actions.dispatch_case(
            q.curator,
            [m],
            [Route(competent[0])],
            topic=topic,
            municipality=place,
            importance="high",
            now=at + timedelta(minutes=4),
        )
    surges.detect(base + timedelta(minutes=55))
