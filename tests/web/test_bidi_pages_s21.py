"""Every page that shows a citizen's name or text puts it where its right-to-left controls (U+202E) end with it:
inside a `<bdi>`, so the staff's own words after it on the same line read as written (R-8.1 the curator reads the
message, its author and its time; R-7.1 the Governor's post page; R-8.4–8.5 the draft editor and the queues). The
stored text keeps the control: only the pages isolate it. The browser test of the same
(tests/web/test_bidi_isolation_s21.py) measures where the letters are drawn on two pages; this one reads the HTML
of every page that shows such text. Found by a review (session 21)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.governor import service
from otklik.governor.models import Comment
from otklik.intake.models import Message
from otklik.org.models import Person
from tests.cases.helpers import message
from tests.conftest import Personas, msk
from tests.governor.helpers import HEALTH_TOPIC, comment, competence, governor_post, governor_source

pytestmark = pytest.mark.django_db

RLO = "\u202e"
NAME = f"Пётр{RLO}"
TEXT = f"Когда починят дорогу в Гатчине{RLO}"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# what the bidi algorithm does not lay out among the page's words: a field's value, a script
APART = {"textarea", "script", "style", "title", "option"}


class _Loose(HTMLParser):
    """The texts inside <main> that carry U+202E outside any <bdi>."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.loose: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if RLO in data and "main" in self.open and "bdi" not in self.open and not APART & set(self.open):
            self.loose.append(f"{'>'.join(self.open[-4:])}: {data.strip()[:60]!r}")


def loose_texts(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert RLO in html, f"{url} does not show the citizen's text at all"
    parser = _Loose()
    parser.feed(html)
    return parser.loose


def signed_in(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_case_pages_and_queues_isolate_the_citizens_name_and_text(personas: Personas) -> None:
    p = personas
    case = actions.dispatch_case(
        p.curator, [message(TEXT, author=NAME)], [actions.Route(p.health, 1)], now=msk(2025, 4, 28, 10, 0)
    )
    drafting = actions.dispatch_case(
        p.curator, [message(TEXT, author=NAME)], [actions.Route(p.health, 1)], now=msk(2025, 4, 28, 10, 5)
    )
    waiting = message(f"Нет света на улице Ленина{RLO}", author=NAME)
    actions.submit_draft(p.alice, case, "answer", f"Здравствуйте, {NAME}! Дорогу отремонтируют в мае.")
    curator, alice = signed_in(p.curator), signed_in(p.alice)
    pages = {
        "case page": (curator, reverse("cases:detail", args=[case.pk])),
        "case list": (curator, reverse("cases:list")),
        "review queue": (curator, reverse("cases:review_queue")),
        "dispatch page": (curator, reverse("cases:dispatch", args=[waiting.pk])),
        "messages": (curator, reverse("intake:message_list")),
        "executor's queue": (alice, reverse("cases:my_queue")),
        "draft editor": (alice, reverse("cases:draft", args=[drafting.pk])),
    }
    found = {name: loose_texts(client, url) for name, (client, url) in pages.items()}
    assert {name: loose for name, loose in found.items() if loose} == {}
    assert Message.objects.filter(author_name=NAME).count() == 3  # kept as the network gave it


def test_the_governors_post_page_isolates_the_commenters_name_and_text(personas: Personas) -> None:
    competence(personas.health, *HEALTH_TOPIC)
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30), text=f"Открыли поликлинику{RLO}")
    service.open_watches(now=msk(2024, 11, 1, 17, 31))
    question = comment(post, f"Когда в поликлинике Гатчины появится терапевт?{RLO}", msk(2024, 11, 1, 17, 40))
    Message.objects.filter(pk=question.pk).update(author_name=NAME)
    comment(post, f"Спасибо!{RLO}", msk(2024, 11, 1, 17, 41), author="102")
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    assert Comment.objects.filter(message=question).exclude(case=None).exists()
    url = reverse("governor:post", args=[post.watch.pk])
    assert loose_texts(signed_in(personas.alice), url) == []
    assert loose_texts(signed_in(personas.curator), reverse("governor:posts")) == []
