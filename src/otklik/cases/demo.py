"""Demo cases for `otklik demo`: realistic messages of Leningrad Oblast residents driven through the real
actions into every state, so a newcomer sees a working office at once. Idempotent (keyed on message ids)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from otklik.intake.models import Message
from otklik.org.models import Body, Person

from . import actions, policy, sla
from .actions import Route
from .models import Case

GREETING = "Здравствуйте, {name}! "
MESSAGES = [
    (
        "Ирина Соколова",
        "Дорога Гатчина — Пудость вся в ямах, вчера пробила колесо у поворота на Малые Колпаны. Когда будет ремонт?",
    ),
    (
        "Алексей Морозов",
        "В поликлинике Кировска третью неделю нельзя записаться к терапевту, в регистратуре не берут трубку.",
    ),
    ("Наталья Кузьмина", "В Тосно на улице Боярова не горят фонари, дети ходят в школу в темноте."),
    ("Сергей Павлов", "Скорая в Луге ехала к отцу больше часа. Почему так долго?"),
    (
        "Ольга Новикова",
        "Автобус 431 из Всеволожска опять отменили без предупреждения, люди стоят на остановке по часу.",
    ),
    ("Дмитрий Волков", "На трассе Р-21 у Кировска после ремонта снова просел асфальт."),
    ("Елена Смирнова", "В Гатчинской больнице нет педиатра в приёмном отделении по выходным."),
    ("Павел Лебедев", "Мост через Оредеж в Сиверском закрыт уже месяц, объезд 20 км. Когда откроют?"),
    ("Марина Козлова", "В ФАПе деревни Большие Колпаны нет фельдшера с лета, за давлением ездим в Гатчину."),
    ("Игорь Степанов", "Снова ямы на дороге Гатчина — Пудость, ничего не сделали после прошлой жалобы!"),
    ("Татьяна Орлова", "В Сланцах закрыли стоматологию в поликлинике, куда обращаться?"),
]


def _msg(i: int, now: datetime) -> Message:
    name, text = MESSAGES[i]
    msg, _ = Message.objects.get_or_create(
        network="vk",
        external_id=f"demo-wall-1_{1000 + i}",
        defaults={
            "url": f"https://vk.com/wall-1_{1000 + i}",
            "author_name": name,
            "text": text,
            "text_raw": text,
            "published_at": now - timedelta(hours=30 - i),
        },
    )
    return msg


def _answer(i: int, body: str) -> str:
    return GREETING.format(name=MESSAGES[i][0].split()[0]) + body


def load_demo_cases() -> int:
    """Create the demo cases once; returns how many were created."""
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
    health = Body.objects.get(name="Комитет по здравоохранению Ленинградской области")
    roads = Body.objects.get(name="Комитет по дорожному хозяйству Ленинградской области")
    gatchina = Body.objects.get(name="Администрация Гатчинского муниципального района")
    now = timezone.now()

    def at(hours_ago: float) -> datetime:
        return now - timedelta(hours=hours_ago)

    # 1. closed: drafted, returned, revised, approved, published
    closed = actions.dispatch_case(curator, [_msg(0, now)], [Route(roads)], now=at(50))
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
    review = actions.dispatch_case(curator, [_msg(1, now)], [Route(health)], importance="high", now=at(3))
    actions.submit_draft(
        health_exec,
        review,
        "answer",
        _answer(1, "Запись к терапевту в Кировске открыта через Госуслуги."),
        now=at(0.5),
    )
    # 3. fresh, drafting for the municipality
    actions.dispatch_case(curator, [_msg(2, now)], [Route(gatchina)], now=at(0.2))
    # 4. returned for revision
    revision = actions.dispatch_case(curator, [_msg(3, now)], [Route(health)], now=at(2))
    d = actions.submit_draft(health_exec, revision, "answer", "Информация проверяется.", now=at(1))
    actions.return_draft(curator, d, "Ответьте по существу: сколько ехала скорая и почему", now=at(0.3))
    # 5. approved, waiting for publication
    publishing = actions.dispatch_case(curator, [_msg(4, now)], [Route(roads)], now=at(2))
    d = actions.submit_draft(
        roads_exec, publishing, "answer", _answer(4, "Рейсы 431 восстановлены с понедельника."), now=at(1)
    )
    actions.approve_draft(curator, d, now=at(0.1))
    # 6. rejected for competence, waiting for the curator
    rerouting = actions.dispatch_case(curator, [_msg(5, now)], [Route(gatchina)], now=at(0.5))
    actions.reject_assignment(
        gatchina_exec,
        rerouting.assignments.get(),
        "Трасса Р-21 — федеральная дорога, не наша компетенция",
        now=at(0.3),
    )
    # 7. clarification published, waiting for the author
    awaiting = actions.dispatch_case(curator, [_msg(6, now)], [Route(health)], now=at(6))
    d = actions.submit_draft(
        health_exec,
        awaiting,
        "clarification",
        _answer(6, "Уточните, пожалуйста, в какие дни вы обращались."),
        now=at(5),
    )
    actions.approve_draft(curator, d, now=at(4.8))
    actions.confirm_publication(health_exec, d, url="https://vk.com/wall-1_1006?reply=2", now=at(4.6))
    # 8. several bodies, parts in order, the last executor composes
    multi = actions.dispatch_case(curator, [_msg(7, now)], [Route(roads, 1), Route(gatchina, 2)], now=at(4))
    actions.submit_draft(roads_exec, multi, "part", "Капремонт моста завершится 30-го числа.", now=at(2))
    # 9. interim answer published; the final one is due in 7 working days
    interim = actions.dispatch_case(curator, [_msg(8, now)], [Route(health)], now=at(30))
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
    repeat = actions.dispatch_case(curator, [_msg(9, now)], repeat_of=closed, now=at(1))
    actions.submit_draft(
        roads_exec,
        repeat,
        "answer",
        _answer(9, "Повторный выезд назначен на завтра."),
        measures="Ямочный ремонт выполнен на 2 из 3 участков, третий — до конца недели",
        now=at(0.4),
    )
    # 11. overdue: dispatched long ago and never drafted (a violation after the sweep)
    actions.dispatch_case(curator, [_msg(10, now)], [Route(health)], importance="high", now=at(72))
    sla.sweep(now=now)
    return 11
