"""R-7.1, R-7.2: a question under the Governor's post for which no competent body was found is kept with «Орган не
определён» on the post's page; the bodies watch the posts themselves, so the list of posts counts such questions
«Без органа» and the home page of every body's people and of the curators shows the figure until a body takes the
question. Before, the list counted only questions in work: an unrouted one was seen only by opening its post."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.governor import service
from otklik.governor.models import Comment
from otklik.org.models import Body
from tests.conftest import Personas, msk
from tests.governor.helpers import (
    HEALTH_QUESTION,
    HEALTH_TOPIC,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db

POST_AT = msk(2024, 11, 1, 17, 30)
# no body of the personas has a competence for it (the `personas` fixture, not the file's `p`)
QUESTION = "Когда в Сиверском откроют новую библиотеку?"


def figure(client: Client) -> tuple[int, str] | None:
    html = client.get("/").content.decode()
    found = re.search(
        r'<a [^>]*href="([^"]+)"[^>]*data-testid="governor-unrouted"[^>]*>.*?<strong>(\d+)</strong>',
        html,
        re.S,
    )
    return (int(found[2]), found[1]) if found else None


def test_r7_2_a_question_no_body_has_is_counted_where_the_bodies_look_until_one_takes_it(
    personas: Personas, client: Client
) -> None:
    p = personas
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    msg = comment(post, QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    row = Comment.objects.get(message=msg)
    assert (row.kind, row.case, row.body) == (Comment.Kind.QUESTION, None, None)
    watch = row.watch

    for person in (p.alice, p.dave, p.curator):
        client.force_login(person)
        assert figure(client) == (1, f"/governor/posts/{watch.pk}/"), person.username
        posts = client.get("/governor/").content.decode()
        cell = re.search(r'data-testid="unrouted-questions">(.*?)</td>', posts, re.S)
        assert cell and ">1<" in cell[1]
    page = client.get(f"/governor/posts/{watch.pk}/").content.decode()
    assert "Орган не определён" in page and QUESTION in page

    client.force_login(p.alice)  # health sees the library is the district's culture: a health body would not
    service.take_comment(row, p.alice, p.health, now=msk(2024, 11, 2, 9, 5))
    assert figure(client) is None
    client.force_login(p.curator)
    assert figure(client) is None
    cell = re.search(
        r'data-testid="unrouted-questions">(.*?)</td>', client.get("/governor/").content.decode(), re.S
    )
    assert cell and cell[1] == "0"


def test_r7_2_a_curator_sends_a_question_no_body_has_to_a_body_or_finds_no_answer_is_needed(
    personas: Personas, client: Client
) -> None:
    """Where no body takes a question (none thinks it theirs), the information policy office decides: the curator
    sends it to the competent body, with the 2 working hours counted as for a question routed on arrival (from the
    comment, after the post's first window), or marks that no body's answer is needed, with why — the comment is
    kept among the post's other comments. A body's executor may do neither."""
    p = personas
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    library = comment(post, QUESTION, msk(2024, 11, 5, 10, 0))
    remark = comment(
        post, "А почему бы не открыть библиотеку и в Вырице?", msk(2024, 11, 5, 10, 5), author="102"
    )
    service.process_comments(now=msk(2024, 11, 5, 10, 10))
    first, second = (Comment.objects.get(message=m) for m in (library, remark))
    assert first.case is None and second.case is None and second.kind == Comment.Kind.QUESTION
    url = f"/governor/posts/{first.watch_id}/"

    client.force_login(p.alice)
    assert 'data-testid="route"' not in client.get(url).content.decode()
    refused = client.post(f"/governor/comments/{first.pk}/route/", {"body": p.health.pk}, follow=True)
    assert (
        "Направить вопрос органу или отметить, что ответ органа не нужен, может куратор."
        in refused.content.decode()
    )

    client.force_login(p.curator)
    assert figure(client) == (2, url)
    page = client.get(url).content.decode()
    assert page.count('data-testid="route"') == 2 and page.count('data-testid="dismiss"') == 2
    done = client.post(f"/governor/comments/{first.pk}/route/", {"body": p.roads.pk}, follow=True)
    first.refresh_from_db()
    assert first.case is not None and first.body == p.roads
    assert f"Вопрос направлен органу «{p.roads}»: обращение № {first.case.pk}." in done.content.decode()
    deadline = first.case.deadlines.get(stage="gov_answer")
    assert (deadline.body, deadline.started_at) == (p.roads, msk(2024, 11, 5, 10, 0))

    assert (
        "Напишите, почему"
        in client.post(
            f"/governor/comments/{second.pk}/dismiss/", {"reason": "  "}, follow=True
        ).content.decode()
    )
    client.post(f"/governor/comments/{second.pk}/dismiss/", {"reason": "предложение, не вопрос"})
    second.refresh_from_db()
    assert second.kind == Comment.Kind.OTHER and second.case is None
    others = client.get(url).content.decode().split('data-testid="others"')[1]
    assert f"(ответ органа не нужен: предложение, не вопрос (куратор {p.curator}))" in others
    assert figure(client) is None


def test_r7_2_a_question_for_a_body_with_nobody_in_it_is_counted_not_left_with_it(
    personas: Personas, client: Client
) -> None:
    """A walk (2026-11-30): a question whose competent body has no staff yet went to that body — no executor, no
    notice, its 2 hours running — and was counted nowhere. Now it stays with no body, «Без органа», for a body to
    take or a curator to send."""
    empty = Body.objects.create(name="Комитет по культуре и туризму", short_name="Культура")
    competence(empty, *HEALTH_TOPIC)
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    msg = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    row = Comment.objects.get(message=msg)
    assert (row.kind, row.case, row.body) == (Comment.Kind.QUESTION, None, empty)
    assert "нет сотрудников" in row.reason
    client.force_login(personas.curator)
    assert figure(client) == (1, f"/governor/posts/{row.watch_id}/")
    page = client.get(f"/governor/posts/{row.watch_id}/").content.decode()
    assert "Орган не определён (по анализу: Культура)" in page
