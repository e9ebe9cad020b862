"""Repeats (R-8.10): earlier messages about the same problem (near-duplicate text) or by the same author."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone
from rapidfuzz import fuzz, process

from .text import tokens

WINDOW_DAYS = 180
MAX_CANDIDATES = 20000
MIN_SIMILARITY = 75.0


@dataclass(frozen=True)
class Repeat:
    message_id: int
    similarity: float  # 0..1
    same_author: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "similarity": round(self.similarity, 3),
            "same_author": self.same_author,
        }


def _key(text: str) -> str:
    # Lower case words only: punctuation, emoji and letter case do not make a different problem.
    return " ".join(t.norm for t in tokens(text))


def similar_texts(
    text: str, earlier: dict[int, str], *, limit: int = 5, min_similarity: float = MIN_SIMILARITY
) -> list[tuple[int, float]]:
    """(id, similarity 0..1) of the earlier texts most like ``text``."""
    key = _key(text)
    if len(key) < 10:
        return []
    choices = {pk: _key(t) for pk, t in earlier.items()}
    hits = process.extract(
        key, choices, scorer=fuzz.token_set_ratio, limit=limit, score_cutoff=min_similarity
    )
    # token_set_ratio rates a short text inside a long one at 100; weigh by the plain ratio too.
    out = []
    for _, score, pk in hits:
        plain = fuzz.ratio(key, choices[pk])
        out.append((int(pk), round((score + plain) / 200, 3)))
    return sorted(out, key=lambda x: -x[1])


def find_repeats(message: Any, *, limit: int = 5) -> list[Repeat]:
    """Earlier messages (by time received) that repeat this one: similar text, or the same author with a
    similar text at a lower bar."""
    from otklik.intake.models import Message

    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    earlier_qs = (
        Message.objects.filter(received_at__gte=since, id__lt=message.pk)
        .exclude(text="")
        .order_by("-id")
        .values_list("id", "text", "author_id")[:MAX_CANDIDATES]
    )
    earlier = {pk: text for pk, text, _ in earlier_qs}
    authors = {pk: author for pk, _, author in earlier_qs}
    found: dict[int, Repeat] = {}
    for pk, similarity in similar_texts(message.text, earlier, limit=limit):
        same = bool(message.author_id) and authors.get(pk) == message.author_id
        found[pk] = Repeat(pk, similarity, same)
    if message.author_id:
        own = {pk: t for pk, t in earlier.items() if authors.get(pk) == message.author_id}
        for pk, similarity in similar_texts(message.text, own, limit=limit, min_similarity=55.0):
            found.setdefault(pk, Repeat(pk, similarity, True))
    return sorted(found.values(), key=lambda r: -r.similarity)[:limit]
