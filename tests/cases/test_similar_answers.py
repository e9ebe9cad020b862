"""Machine help beside the draft editor (R-8.10, R-9, R-11): the repeat's earlier answers and the body's
published answers to similar messages. Cases are driven through the real actions (dispatch → draft → approve
→ confirm_publication) on a controlled clock; the window of the help is the last year before today, so the
clock is set relative to today."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import rapidfuzz.process
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions, similar
from otklik.cases.actions import Route
from otklik.cases.models import Case, Draft
from otklik.governor import actions as governor
from otklik.org.models import Body, Municipality, Person, Topic, TopicGroup
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

ROADS_Q = "Когда отремонтируют дорогу в Гатчине? Ямы по колено."


def start() -> datetime:
    """A morning five weeks ago: every case below happens within the last year."""
    return (timezone.localtime() - timedelta(days=35)).replace(hour=10, minute=0, second=0, microsecond=0)


def dispatched(p: Personas, body: Body, text: str, at: datetime, **kwargs: Any) -> Case:
    return actions.dispatch_case(p.curator, [message(text)], [Route(body)], now=at, **kwargs)


def published(
    p: Personas,
    executor: Person,
    body: Body,
    text: str,
    answer: str,
    at: datetime,
    *,
    measures: str = "",
    kind: str = Draft.Kind.ANSWER,
    **kwargs: Any,
) -> Case:
    """A case of `body` whose answer went the whole way: drafted, approved, published with its link."""
    case = dispatched(p, body, text, at, **kwargs)
    draft = actions.submit_draft(executor, case, kind, answer, measures=measures, now=at + timedelta(hours=1))
    publish(p, executor, draft, at + timedelta(hours=2))
    return case


def publish(p: Personas, executor: Person, draft: Draft, at: datetime) -> None:
    actions.approve_draft(p.curator, draft, now=at)
    actions.confirm_publication(
        executor,
        draft,
        url=f"{draft.case.case_messages.order_by('id')[0].message.url.split('?')[0]}?reply={90000 + draft.pk}",
        now=at + timedelta(minutes=10),
    )


def editor(client: Client, who: Person, case: Case) -> str:
    client.force_login(who)
    response = client.get(reverse("cases:draft", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def similar_cases(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-testid="similar-answer" data-case="(\d+)"', html)]


def test_a_repeat_shows_the_earlier_answer_with_its_measures_date_publisher_and_link(
    client: Client, personas: Personas
) -> None:
    """R-8.10: the executor of a repeat sees, above everything, what was answered and promised before."""
    p = personas
    t = start()
    earlier = published(
        p,
        p.alice,
        p.health,
        "В поликлинике Кировска третью неделю нет записи к терапевту.",
        "Здравствуйте! Второй терапевт выходит на работу с 1 числа, запись откроется в понедельник.",
        t,
        measures="Принят на работу второй терапевт.",
    )
    repeat = dispatched(
        p,
        p.health,
        "Записи к терапевту в Кировске так и нет, обещали же!",
        t + timedelta(days=7),
        repeat_of=earlier,
    )
    html = editor(client, p.alice, repeat)
    assert f"Ранее отвечали (обращение № {earlier.pk}, {timezone.localtime(t):%d.%m.%Y})" in html
    assert "Второй терапевт выходит на работу с 1 числа" in html
    assert "Принят на работу второй терапевт." in html
    pub = earlier.publications.get()
    assert f'href="{pub.url}"' in html
    assert "Алексеева Тест" in html  # who published
    assert f"опубликовано {timezone.localtime(pub.published_at):%d.%m.%Y %H:%M}" in html
    assert f'href="{reverse("cases:detail", args=[earlier.pk])}"' in html
    # the earlier case is at the top, not repeated among the similar answers
    assert earlier.pk not in similar_cases(html)


def test_a_repeat_of_another_bodys_case_shows_its_answer_but_no_link_to_a_case_the_executor_cannot_open(
    client: Client, personas: Personas
) -> None:
    """R-8.10 with R-4.2: the earlier answer is shown whatever the body; its case page stays closed."""
    p = personas
    t = start()
    earlier = published(
        p, p.dave, p.roads, ROADS_Q, "Ремонт дороги на улице Соборной запланирован на июнь.", t
    )
    repeat = dispatched(p, p.health, ROADS_Q, t + timedelta(days=3), repeat_of=earlier)
    html = editor(client, p.alice, repeat)
    assert "Ремонт дороги на улице Соборной запланирован на июнь." in html
    assert f'href="{reverse("cases:detail", args=[earlier.pk])}"' not in html
    assert client.get(reverse("cases:detail", args=[earlier.pk])).status_code == 404


def test_a_repeat_of_a_case_not_answered_yet_says_so(client: Client, personas: Personas) -> None:
    p = personas
    t = start()
    earlier = dispatched(p, p.health, ROADS_Q, t)
    actions.submit_draft(
        p.alice, earlier, "answer", "Черновик, ещё не согласован.", now=t + timedelta(hours=1)
    )
    repeat = dispatched(p, p.health, ROADS_Q, t + timedelta(days=1), repeat_of=earlier)
    html = editor(client, p.alice, repeat)
    assert f"Ответ по обращению № {earlier.pk} ещё не опубликован." in html
    assert "Черновик, ещё не согласован." not in html


def test_similar_published_answers_of_the_same_body_best_first_never_drafts_or_other_bodies(
    client: Client, personas: Personas
) -> None:
    """R-9, R-11: up to three of the body's published answers to similar messages, the most similar first;
    drafts, returned and approved-but-unpublished versions, other bodies' answers and answers older than a
    year are never offered."""
    p = personas
    t = start()
    close = published(
        p,
        p.alice,
        p.health,
        "Когда отремонтируют дорогу в Гатчине? Ямы огромные, машины ломаются.",
        "Ответ-близкий: ремонт в июне.",
        t,
    )
    looser = published(
        p,
        p.alice,
        p.health,
        "Когда починят дорогу в Гатчине на улице Чехова? Ямы.",
        "Ответ-дальний: улица Чехова в плане на осень.",
        t + timedelta(days=1),
    )
    published(
        p,
        p.alice,
        p.health,
        "В поликлинике Кировска третью неделю нет записи к терапевту.",
        "Ответ-другой-темы: запись откроется.",
        t,
    )
    published(p, p.dave, p.roads, ROADS_Q, "Ответ-дорожного-комитета: яма засыпана.", t)
    published(
        p,
        p.alice,
        p.health,
        ROADS_Q,
        "Ответ-прошлогодний: ремонт в прошлом году.",
        t - timedelta(days=400),
    )
    submitted = dispatched(p, p.health, ROADS_Q, t)
    actions.submit_draft(p.bob, submitted, "answer", "Ответ-на-согласовании.", now=t + timedelta(hours=1))
    returned = dispatched(p, p.health, ROADS_Q, t)
    draft = actions.submit_draft(p.bob, returned, "answer", "Ответ-возвращённый.", now=t + timedelta(hours=1))
    actions.return_draft(p.curator, draft, "Переделайте", now=t + timedelta(hours=2))
    approved = dispatched(p, p.health, ROADS_Q, t)
    draft = actions.submit_draft(
        p.bob, approved, "answer", "Ответ-согласованный.", now=t + timedelta(hours=1)
    )
    actions.approve_draft(p.curator, draft, now=t + timedelta(hours=2))
    clarified = dispatched(p, p.health, ROADS_Q, t)
    draft = actions.submit_draft(
        p.bob, clarified, "clarification", "Ответ-уточнение: какой дом?", now=t + timedelta(hours=1)
    )
    publish(p, p.bob, draft, t + timedelta(hours=2))

    case = dispatched(p, p.health, ROADS_Q, t + timedelta(days=10))
    html = editor(client, p.alice, case)
    assert similar_cases(html) == [close.pk, looser.pk]
    assert "Ответ-близкий: ремонт в июне." in html and "Ответ-дальний" in html
    assert "Ямы огромные, машины ломаются." in html  # the earlier message, for comparison
    assert re.search(r"Сходство \d+ %", html)
    assert html.count("Взять за основу</button>") == 2
    for hidden in (
        "Ответ-другой-темы",
        "Ответ-дорожного-комитета",
        "Ответ-прошлогодний",
        "Ответ-на-согласовании",
        "Ответ-возвращённый",
        "Ответ-согласованный",
        "Ответ-уточнение",
    ):
        assert hidden not in html, hidden
    # the roads executor of the same problem sees his own body's answer, and none of health's
    roads_case = actions.dispatch_case(
        p.curator, [message(ROADS_Q)], [Route(p.roads)], now=t + timedelta(days=10)
    )
    html = editor(client, p.dave, roads_case)
    assert "Ответ-дорожного-комитета: яма засыпана." in html
    assert "Ответ-близкий" not in html and "Ответ-дальний" not in html


def test_at_most_three_and_the_same_topic_and_municipal_formation_rank_higher(personas: Personas) -> None:
    """A near-identical text about another district comes after a close one about the case's own district
    and topic."""
    p = personas
    t = start()
    group = TopicGroup.objects.create(name="Дороги")
    topic = Topic.objects.create(group=group, name="Ремонт дорог")
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный район")
    luga = Municipality.objects.create(name="Лужский муниципальный район")
    elsewhere = published(
        p,
        p.alice,
        p.health,
        "Когда отремонтируют дорогу в Луге? Ямы по колено.",
        "В Луге.",
        t,
        municipality=luga,
    )
    here = published(
        p,
        p.alice,
        p.health,
        "Когда отремонтируют дорогу в Гатчине? Ямы огромные, машины ломаются.",
        "В Гатчине.",
        t,
        municipality=gatchina,
        topic=topic,
    )
    for i in range(3):
        published(
            p, p.alice, p.health, f"Когда починят дорогу в Гатчине у дома {i + 1}? Ямы.", f"Дом {i}.", t
        )
    case = dispatched(p, p.health, ROADS_Q, t + timedelta(days=2), municipality=gatchina, topic=topic)
    found = similar.similar_answers(case, p.alice)
    assert len(found) == 3
    assert [a.case_id for a in found[:2]] == [here.pk, elsewhere.pk]
    assert found[0].same_topic and found[0].same_municipality
    assert found[1].similarity is not None and found[0].similarity is not None
    assert found[1].similarity > found[0].similarity  # the text alone would put Luga first


def test_a_case_with_an_interim_and_a_final_answer_is_offered_once_with_its_final_answer(
    personas: Personas,
) -> None:
    p = personas
    t = start()
    earlier = dispatched(p, p.health, "Когда отремонтируют дорогу в Гатчине? Ямы огромные.", t)
    interim = actions.submit_draft(
        p.alice, earlier, "interim", "Промежуточно: проверяем.", now=t + timedelta(hours=1)
    )
    publish(p, p.alice, interim, t + timedelta(hours=2))
    final = actions.submit_draft(
        p.alice, earlier, "answer", "Окончательно: отремонтировано.", now=t + timedelta(days=1)
    )
    publish(p, p.alice, final, t + timedelta(days=1, hours=1))
    case = dispatched(p, p.health, ROADS_Q, t + timedelta(days=3))
    found = similar.similar_answers(case, p.alice)
    assert [(a.case_id, a.text) for a in found] == [(earlier.pk, "Окончательно: отремонтировано.")]


def test_the_editor_runs_a_fixed_number_of_queries_however_long_the_history(
    client: Client, personas: Personas, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    """The help reads a bounded candidate set in a fixed number of queries: 3 similar answers or 40."""
    p = personas
    t = start()

    def history(n: int) -> None:
        for i in range(n):
            published(
                p,
                p.alice,
                p.health,
                f"Когда отремонтируют дорогу в Гатчине у дома {i}? Ямы.",
                f"Ответ {i}.",
                t,
            )

    history(3)
    earlier = published(
        p, p.alice, p.health, ROADS_Q, "Ранее: ремонт в июне.", t, measures="Смета утверждена."
    )
    case = dispatched(p, p.health, ROADS_Q, t + timedelta(days=5), repeat_of=earlier)
    client.force_login(p.alice)
    url = reverse("cases:draft", args=[case.pk])
    client.get(url)  # warm the per-process caches

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        assert len(similar_cases(response.content.decode())) == 3
        return len(ctx.captured_queries)

    few = count()
    history(40)
    with django_assert_max_num_queries(22):  # 20 + the header's unread notices + the body's earlier hours
        many = count()
    assert many == few


def test_a_failure_of_the_help_is_logged_and_the_editor_still_works(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The machine help never blocks drafting: when the text comparison fails, the editor opens without the
    panel, the failure is in the log, and the draft goes to the curator."""
    p = personas
    t = start()
    published(p, p.alice, p.health, ROADS_Q, "Ранее: ремонт в июне.", t)
    case = dispatched(p, p.health, ROADS_Q, t + timedelta(days=1))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("broken text library")

    monkeypatch.setattr(rapidfuzz.process, "extract", broken)
    with caplog.at_level(logging.ERROR, logger="otklik.cases.views"):
        html = editor(client, p.alice, case)
    assert 'name="text"' in html and "Направить куратору" in html
    assert "earlier-answers" not in html and "Ранее: ремонт в июне." not in html
    assert any(f"Earlier answers for case {case.pk} failed" in r.getMessage() for r in caplog.records)
    response = client.post(
        reverse("cases:draft", args=[case.pk]),
        {"version": case.version, "kind": "answer", "text": "Здравствуйте! Ремонт в июле."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW


def test_the_governors_questions_are_left_out(personas: Personas) -> None:
    """R-7: questions under the Governor's posts are answered on the post's page; their answers are not
    offered here."""
    p = personas
    t = start()
    question = governor.open_question(message(ROADS_Q), p.health, started_at=t, now=t)
    governor.submit_answer(question, p.alice, "Ответ под постом Губернатора.", now=t + timedelta(hours=1))
    governor.confirm_publication(
        question,
        method="manual",
        url="https://vk.com/wall-1_1?reply=90002",
        actor=p.alice,
        now=t + timedelta(hours=1),
    )
    assert question.publications.exists()
    case = dispatched(p, p.health, ROADS_Q, t + timedelta(days=1))
    assert similar.similar_answers(case, p.alice) == []


def test_a_common_answer_counts_for_every_body_and_parts_only_for_their_own(personas: Personas) -> None:
    """R-8.9: the common answer composed by the last executor is the answer of both bodies; a part published
    one by one is its own body's; a part that only went into a common answer was never published."""
    p = personas
    t = start()
    both = actions.dispatch_case(
        p.curator,
        [message("Когда отремонтируют дорогу к поликлинике в Гатчине? Ямы огромные.")],
        [Route(p.health, 1), Route(p.roads, 2)],
        now=t,
    )
    actions.submit_draft(
        p.alice, both, "part", "Часть-здравоохранения-внутренняя.", now=t + timedelta(hours=1)
    )
    actions.submit_draft(p.dave, both, "part", "Часть-дорожников-внутренняя.", now=t + timedelta(hours=2))
    common = actions.submit_draft(
        p.dave, both, "answer", "Общий-ответ: ремонт в мае.", now=t + timedelta(hours=3)
    )
    publish(p, p.dave, common, t + timedelta(hours=4))
    one_by_one = actions.dispatch_case(
        p.curator,
        [message("Когда отремонтируют дорогу в Гатчине у поликлиники? Ямы огромные.")],
        [Route(p.roads, 1), Route(p.health, 2)],
        multi_mode="parts_one_by_one",
        now=t + timedelta(days=1),
    )
    roads_part = actions.submit_draft(
        p.dave, one_by_one, "part", "Часть-дорожников-опубликованная.", now=t + timedelta(days=1, hours=1)
    )
    actions.submit_draft(
        p.alice,
        one_by_one,
        "part",
        "Часть-здравоохранения-опубликованная.",
        now=t + timedelta(days=1, hours=2),
    )
    publish(p, p.dave, roads_part, t + timedelta(days=1, hours=3))
    health_part = one_by_one.drafts.get(state="submitted")
    publish(p, p.alice, health_part, t + timedelta(days=1, hours=4))

    for executor, body, own_part in (
        (p.alice, p.health, "Часть-здравоохранения-опубликованная."),
        (p.dave, p.roads, "Часть-дорожников-опубликованная."),
    ):
        case = dispatched(p, body, ROADS_Q, t + timedelta(days=3))
        texts = [a.text for a in similar.similar_answers(case, executor)]
        assert sorted(texts) == sorted(["Общий-ответ: ремонт в мае.", own_part]), executor
