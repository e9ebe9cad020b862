"""Body routing (R-8.1): from topic(s) and place through the competence matrix (``org.Competence``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError
from django.db.models import Q

from otklik.org.models import Competence


@dataclass(frozen=True)
class BodySuggestion:
    body_id: int
    body: str
    topic: str
    municipal: bool
    confidence: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "body_id": self.body_id,
            "body": self.body,
            "topic": self.topic,
            "municipal": self.municipal,
            "confidence": round(self.confidence, 3),
        }


def route(topics: Iterable[tuple[str, float]], municipality_id: int | None) -> list[BodySuggestion]:
    """Competent bodies for each (ЦУР topic name, probability), the most probable first.

    Oblast-wide competences always apply; a municipal administration only for the message's own
    municipality (unknown place → no municipal body). Several topics (a message that asks several things)
    give the union of their bodies, each with the probability of the topic that brought it.
    """
    best: dict[int, BodySuggestion] = {}
    for topic_name, probability in topics:
        where = Q(municipality__isnull=True)
        if municipality_id is not None:
            where |= Q(municipality_id=municipality_id)
        competences = (
            Competence.objects.filter(
                where, topic__name=topic_name, topic__is_active=True, body__is_active=True
            )
            .select_related("body")
            .order_by("body__name")
        )
        for c in competences:
            current = best.get(c.body_id)
            if current is None or current.confidence < probability:
                best[c.body_id] = BodySuggestion(
                    c.body_id, str(c.body), topic_name, c.municipality_id is not None, probability
                )
    return sorted(best.values(), key=lambda b: (-b.confidence, b.body))


def topics_to_route(
    guesses: list[tuple[str, float]], *, second_share: float = 0.5
) -> list[tuple[str, float]]:
    """The top topic, plus further topics nearly as probable (at least ``second_share`` of the top one):
    a message that asks two things has two strong topics."""
    if not guesses:
        return []
    top = guesses[0][1]
    return [guesses[0]] + [(t, p) for t, p in guesses[1:] if p >= top * second_share and p >= 0.15]


class Router:
    """``route`` over the competence matrix loaded once (for batch runs such as ``otklik analyze``) — or only its
    rows of some topics (``topics``) that apply in some municipal formations (``municipalities``; oblast-wide rows
    always), for a page of messages (`pipeline.route_now`)."""

    def __init__(
        self, topics: Iterable[str] | None = None, municipalities: Iterable[int] | None = None
    ) -> None:
        self.by_topic: dict[str, list[tuple[int, str, int | None]]] = {}
        rows = Competence.objects.filter(topic__is_active=True, body__is_active=True)
        if topics is not None:
            rows = rows.filter(topic__name__in=list(topics))
        if municipalities is not None:
            rows = rows.filter(Q(municipality__isnull=True) | Q(municipality_id__in=list(municipalities)))
        try:
            for c in rows.select_related("body", "topic").order_by("body__name", "id"):
                self.by_topic.setdefault(c.topic.name, []).append((c.body_id, str(c.body), c.municipality_id))
        except DatabaseError:  # not migrated yet: no bodies to suggest
            self.by_topic = {}

    def route(self, topics: Iterable[tuple[str, float]], municipality_id: int | None) -> list[BodySuggestion]:
        best: dict[int, BodySuggestion] = {}
        for topic_name, probability in topics:
            for body_id, body, body_municipality in self.by_topic.get(topic_name, []):
                if body_municipality is not None and body_municipality != municipality_id:
                    continue
                current = best.get(body_id)
                if current is None or current.confidence < probability:
                    best[body_id] = BodySuggestion(
                        body_id, body, topic_name, body_municipality is not None, probability
                    )
        return sorted(best.values(), key=lambda b: (-b.confidence, b.body))
