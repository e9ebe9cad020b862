"""Data for the Governor's-post tests: the Governor's VK community, competences and comments."""

from __future__ import annotations

import itertools
from datetime import datetime

from django.test import Client

from otklik.intake.models import Message, Post, Source
from otklik.org.models import Body, Competence, Person, Topic, TopicGroup
from tests.fakes.vk import FakeVK

_seq = itertools.count(1)

# What the trained topic model calls these texts (checked by the tests' own assertions on routing).
HEALTH_TOPIC = ("Здравоохранение/Медицина", "Технические проблемы с записью на прием к врачу")
ROADS_TOPIC = ("Дороги", "Ремонт дороги")
HEALTH_QUESTION = "Когда в поликлинике Гатчины появится терапевт? Записаться невозможно."
ROADS_QUESTION = "Когда отремонтируют дорогу в Гатчине? Ямы по колено."
THANKS = "Спасибо, отличная новость!"


def competence(body: Body, group: str, name: str) -> None:
    g, _ = TopicGroup.objects.get_or_create(name=group)
    t, _ = Topic.objects.get_or_create(group=g, name=name)
    Competence.objects.get_or_create(topic=t, body=body, municipality=None)


def governor_source(network: str = "vk", **kwargs: object) -> Source:
    return Source.objects.create(
        network=network,
        kind=Source.Kind.COMMUNITY if network == "vk" else Source.Kind.CHANNEL,
        title="Губернатор Ленинградской области",
        external_id="-1" if network == "vk" else "@governor",
        is_governor=True,
        is_active=False,  # scenario tests never fetch: comments are written as ingestion would store them
        **kwargs,  # type: ignore[arg-type]
    )


def governor_post(source: Source, at: datetime, text: str = "Открыли новую поликлинику в Гатчине.") -> Post:
    n = next(_seq)
    return Post.objects.create(
        network=source.network,
        external_id=f"-1_{n}",
        source=source,
        url=f"https://vk.com/wall-1_{n}",
        text=text,
        published_at=at,
        is_governor=True,
    )


def comment(
    post: Post, text: str, at: datetime, author: str = "101", reply_to: Message | None = None
) -> Message:
    # comment ids far above the answers' links the tests confirm by hand («?reply=77», «?reply=900»): however many
    # comments the tests before made, an answer's link never names a resident's comment
    n = 1_000_000 + next(_seq)
    return Message.objects.create(
        network=post.network,
        external_id=f"{post.external_id}_c{n}",
        source=post.source,
        url=f"{post.url}?reply={n}",
        author_id=author,
        author_name=f"Житель {author}",
        text=text,
        published_at=at,
        post=post,
        reply_to=reply_to,
    )


def client_for(username: str) -> Client:
    """A test client signed in as the person with this login."""
    c = Client()
    c.force_login(Person.objects.get(username=username))
    return c


def governor_vk(fake: FakeVK) -> Source:
    """The Governor's VK community on the fake VK server, registered as a source marked `is_governor`."""
    return Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Губернатор Ленинградской области",
        external_id="200000001",
        is_governor=True,
        config={
            "api_base": f"{fake.url}/method/",
            "token": fake.token,
            "group_id": 200000001,
            "per_second": 0,
        },
    )


def answer_link(case: object, n: int) -> str:
    """The link of a published answer under the case's comment: a reply under the same post (R-8.7)."""
    first = case.case_messages.order_by("id")[0]  # type: ignore[attr-defined]
    return f"{first.message.url.split('?')[0]}?reply={n}"
