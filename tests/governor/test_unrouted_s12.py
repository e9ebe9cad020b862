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
from tests.conftest import Personas, msk
from tests.governor.helpers import comment, governor_post, governor_source

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
