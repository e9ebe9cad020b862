"""Demo cases for `otklik demo`: realistic messages of Leningrad Oblast residents driven through the real
actions into every state, so a newcomer sees a working office at once. Idempotent (keyed on message ids)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from otklik.analysis.routing import route
from otklik.intake.demo import demo_message
from otklik.intake.models import Message
from otklik.org.loaders import loaded_body
from otklik.org.models import Body, Municipality, Person, Topic
from otklik.worktime import WorkTime
from otklik.worktime.service import worktime_for

from . import actions, policy, sla
from .actions import Route
from .models import Case

GREETING = "Здравствуйте, {name}! "
ROADS_REPAIR = "Ямы и выбоины на дороге"
RECORDING = "Технические проблемы с записью на прием к врачу"
LAMPS = "★ Неисправные фонари освещения"
AMBULANCE = "★ Скорая помощь"
LIGHTS = "Работа светофора (установка, изменение режима работы, оборудование кнопкой вызова)"
BAD_REPAIR = "Некачественно выполненный ремонт дорог"
DOCTORS = "Нехватка или сокращение врачей и медицинских учреждений"
BRIDGES = "Ремонт/строительство мостов"

# (author, text, ЦУР topics — the first is the case's, a second one brings a second body —, municipality)
MESSAGES: list[tuple[str, str, tuple[str, ...], str]] = [
    (
        "Ирина Соколова",
        "Дорога Гатчина — Пудость вся в ямах, вчера пробила колесо у поворота на Малые Колпаны. Когда будет ремонт?",
        (ROADS_REPAIR,),
        "Гатчинский муниципальный район",
    ),
    (
        "Алексей Морозов",
        "В поликлинике Кировска третью неделю нельзя записаться к терапевту, в регистратуре не берут трубку.",
        (RECORDING,),
        "Кировский муниципальный район",
    ),
    (
        "Наталья Кузьмина",
        "В Гатчине на улице Чкалова не горят фонари, дети ходят в школу в темноте.",
        (LAMPS,),
        "Гатчинский муниципальный район",
    ),
    (
        "Сергей Павлов",
        "Скорая в Луге ехала к отцу больше часа. Почему так долго?",
        (AMBULANCE,),
        "Лужский муниципальный район",
    ),
    (
        "Ольга Новикова",
        "Во Всеволожске на перекрёстке Октябрьского проспекта и Вокка третий день не работает светофор.",
        (LIGHTS,),
        "Всеволожский муниципальный район",
    ),
    (
        "Дмитрий Волков",
        "На трассе Р-21 у Кировска после ремонта снова просел асфальт.",
        (BAD_REPAIR,),
        "Кировский муниципальный район",
    ),
    (
        "Елена Смирнова",
        "В Гатчинской больнице нет педиатра в приёмном отделении по выходным.",
        (DOCTORS,),
        "Гатчинский муниципальный район",
    ),
    (
        "Павел Лебедев",
        "Мост через Оредеж в Сиверском закрыт уже месяц, объезд 20 км. Когда откроют? И на подходе к мосту "
        "не горят фонари.",
        (BRIDGES, LAMPS),
        "Гатчинский муниципальный район",
    ),
    (
        "Марина Козлова",
        "В ФАПе деревни Большие Колпаны нет фельдшера с лета, за давлением ездим в Гатчину.",
        (DOCTORS,),
        "Гатчинский муниципальный район",
    ),
    (
        "Игорь Степанов",
        "Снова ямы на дороге Гатчина — Пудость, ничего не сделали после прошлой жалобы!",
        (ROADS_REPAIR,),
        "Гатчинский муниципальный район",
    ),
    (
        "Татьяна Орлова",
        "В Сланцах закрыли стоматологию в поликлинике, куда обращаться?",
        (DOCTORS,),
        "Сланцевский муниципальный район",
    ),
]


def _msg(i: int, dispatched_at: datetime) -> Message:
    """The demo message ``i``, published a while before the curator dispatches it (and received soon after)."""
    name, text, _topics, _place = MESSAGES[i]
    existing = Message.objects.filter(network="vk", external_id=f"demo-wall-1_{1000 + i}").first()
    return existing or demo_message(
        network="vk",
        external_id=f"demo-wall-1_{1000 + i}",
        url=f"https://vk.com/wall-1_{1000 + i}",
        author_name=name,
        text=text,
        text_raw=text,
        published_at=dispatched_at - timedelta(minutes=25 + 7 * i),
    )


def competent_bodies(
    topics: Sequence[str], municipality: Municipality | None, staffed: Sequence[Body]
) -> list[Body]:
    """For each topic, the first of ``staffed`` the competence matrix names for it in that place (R-8.1,
    `analysis.routing.route`, the same look-up as the curator's suggestions), without repeats."""
    by_id = {b.pk: b for b in staffed}
    out: list[Body] = []
    for topic in topics:
        found = route([(topic, 1.0)], municipality.pk if municipality else None)
        body = next((by_id[s.body_id] for s in found if s.body_id in by_id), None)
        if body is not None and body not in out:
            out.append(body)
    return out


def _answer(i: int, body: str) -> str:
    return GREETING.format(name=MESSAGES[i][0].split()[0]) + body


def working_hours_before(wt: WorkTime, end: datetime, hours: float) -> datetime:
    """The latest moment with ``hours`` of working time between it and ``end`` (to the second; `WorkTime.add`
    backwards)."""
    minutes = hours * 60
    lo, hi = end - timedelta(days=90), end
    while (hi - lo).total_seconds() > 1:
        mid = lo + (hi - lo) / 2
        if wt.working_time(mid, end).total_seconds() >= minutes * 60:
            lo = mid
        else:
            hi = mid
    return lo.replace(microsecond=0)


def sweep_as_it_ran(until: datetime) -> None:
    """The deadline sweep as the worker runs it, every minute: at each moment an open term ran out, up to `until`,
    so a violation is recorded (and told) when its term ran out, not when the demo's clock next sweeps."""
    from .models import OPEN_DEADLINE, Deadline

    while True:
        due = (
            Deadline.objects.filter(OPEN_DEADLINE, breached_at__isnull=True, due_at__lte=until)
            .order_by("due_at")
            .values_list("due_at", flat=True)
            .first()
        )
        if due is None:
            break
        moment = min(due + timedelta(minutes=1), until)  # the minute's run after the term ran out
        sla.sweep(now=moment)
        if (
            moment == until
            or Deadline.objects.filter(OPEN_DEADLINE, breached_at__isnull=True, due_at__lte=due).exists()
        ):
            break  # a term the sweep leaves running past its moment: the last sweep decides
    sla.sweep(now=until)


def load_demo_cases(now: datetime | None = None) -> int:
    """Create the demo cases once, their history ending at ``now``; returns how many were created."""
    if Case.objects.filter(case_messages__message__external_id="demo-wall-1_1000").exists():
        return 0
    policy.ensure_defaults()
    try:
        curator = Person.objects.get(username="curator")
        health_exec = Person.objects.get(username="health_exec")
        roads_exec = Person.objects.get(username="roads_exec")
        gatchina_exec = Person.objects.get(username="gatchina_exec")
    except Person.DoesNotExist:
        return 0
    health = loaded_body("Комитет по здравоохранению Ленинградской области")
    roads = loaded_body("Комитет по дорожному хозяйству Ленинградской области")
    gatchina = loaded_body("Администрация Гатчинского муниципального района")
    staffed = [health, roads, gatchina]
    now = now or timezone.now()
    wt = worktime_for(None)

    def at(hours_ago: float) -> datetime:
        """``hours_ago`` working hours before now (before the last working moment when now is outside working
        hours): an office's day — people answer in working time, and the reports' times to answer say so."""
        return working_hours_before(wt, now, hours_ago)

    def dispatch(i: int, hours_ago: float, *, to: Sequence[Body] = (), **kwargs: Any) -> Case:
        """Message ``i`` sent by the curator ``hours_ago``, with its topic and place, to the bodies the
        competence matrix names for its topics (or to ``to``: the curator's mistake of case 6)."""
        _name, _text, topics, place = MESSAGES[i]
        municipality = Municipality.objects.filter(name=place).first()
        topic = Topic.objects.filter(name=topics[0], is_active=True).first()
        bodies = list(to) or competent_bodies(topics, municipality, staffed)
        routes = [] if kwargs.get("repeat_of") else [Route(b, n) for n, b in enumerate(bodies, start=1)]
        return actions.dispatch_case(
            curator,
            [_msg(i, at(hours_ago))],
            routes,
            topic=topic,
            municipality=municipality,
            now=at(hours_ago),
            **kwargs,
        )

    # 1. closed: drafted, returned, revised, approved, published
    closed = dispatch(0, 50)
    d = actions.submit_draft(roads_exec, closed, "answer", "Ремонт запланирован.", now=at(49))
    actions.return_draft(curator, d, "Поздоровайтесь и назовите сроки ремонта", now=at(48.8))
    d = actions.revise_draft(
        roads_exec,
        d,
        _answer(0, "Ямочный ремонт дороги Гатчина — Пудость выполним до 15 числа."),
        now=at(48.5),
    )
    actions.approve_draft(curator, d, now=at(48.4))
    actions.confirm_publication(roads_exec, d, url="https://vk.com/wall-1_1000?reply=1", now=at(48.3))
    # 2. in review
    review = dispatch(1, 3, importance="high")
    actions.submit_draft(
        health_exec,
        review,
        "answer",
        _answer(1, "Запись к терапевту в Кировске открыта через Госуслуги."),
        now=at(0.5),
    )
    # 3. fresh, drafting for the municipality
    dispatch(2, 0.2)
    # 4. returned for revision
    revision = dispatch(3, 2)
    d = actions.submit_draft(health_exec, revision, "answer", "Информация проверяется.", now=at(1))
    actions.return_draft(curator, d, "Ответьте по существу: сколько ехала скорая и почему", now=at(0.3))
    # 5. approved, waiting for publication
    publishing = dispatch(4, 2)
    d = actions.submit_draft(
        roads_exec,
        publishing,
        "answer",
        _answer(4, "Светофор отремонтирован, с сегодняшнего утра он работает в обычном режиме."),
        now=at(1),
    )
    actions.approve_draft(curator, d, now=at(0.1))
    # 6. sent to the wrong body by mistake and rejected for competence, waiting for the curator
    rerouting = dispatch(5, 0.5, to=[gatchina])
    actions.reject_assignment(
        gatchina_exec,
        rerouting.assignments.get(),
        "Трасса Р-21 — не наша компетенция: дорогами занимается Комитет по дорожному хозяйству",
        now=at(0.3),
    )
    # 7. clarification published, waiting for the author
    awaiting = dispatch(6, 6)
    d = actions.submit_draft(
        health_exec,
        awaiting,
        "clarification",
        _answer(6, "Уточните, пожалуйста, в какие дни вы обращались."),
        now=at(5),
    )
    actions.approve_draft(curator, d, now=at(4.8))
    actions.confirm_publication(health_exec, d, url="https://vk.com/wall-1_1006?reply=2", now=at(4.6))
    # 8. two topics, two bodies, parts in order, the last executor composes
    multi = dispatch(7, 4)
    actions.submit_draft(roads_exec, multi, "part", "Капремонт моста завершится 30-го числа.", now=at(2))
    # 9. interim answer published; the final one is due in 7 working days
    interim = dispatch(8, 30)
    d = actions.submit_draft(
        health_exec,
        interim,
        "interim",
        _answer(8, "Ищем фельдшера, ответим окончательно в течение недели."),
        now=at(29),
    )
    actions.approve_draft(curator, d, now=at(28.9))
    actions.confirm_publication(health_exec, d, url="https://vk.com/wall-1_1008?reply=3", now=at(28.8))
    # 10. a repeat of case 1 goes to the same body; measures are required at review
    repeat = dispatch(9, 1, repeat_of=closed)
    actions.submit_draft(
        roads_exec,
        repeat,
        "answer",
        _answer(9, "Повторный выезд назначен на завтра."),
        measures="Ямочный ремонт выполнен на 2 из 3 участков, третий — до конца недели",
        now=at(0.4),
    )
    # 11. overdue: dispatched long ago and never drafted (a violation after the sweep)
    dispatch(10, 72, importance="high")
    sweep_as_it_ran(now)
    return 11
