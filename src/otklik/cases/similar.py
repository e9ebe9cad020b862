"""Machine help while drafting (R-8.10, R-9, R-11): what the body answered before.

Beside the draft editor the executor sees, for a repeat (R-8.10), the earlier case's published answers and the
measures recorded then, so that the new answer can say what was done since; and for every case up to three
earlier published answers of the same body to messages like this one, to start from. Similarity is the
repeat detector's (``otklik.analysis.repeats.similar_texts``: rapidfuzz over normalised words), at a lower bar:
a similar problem, not the same message. Same topic and same municipal formation rank higher.

Only published answers count (never drafts, returned or approved-but-unpublished versions, never
clarification requests), of the bodies the viewer works for in this case (all the case's bodies for a
curator): a body's own answer or published part, or a common answer of a case the body took part in (R-8.9).
The repeat's earlier case is shown whatever its body, and its page is linked only when the viewer may open
it (``scoping.cases_for``). Questions under the Governor's posts (R-7) are answered on the post's page and
are left out. The candidates are bounded: the viewer's
bodies, the last ``WINDOW_DAYS`` days, at most ``MAX_CANDIDATES`` publications read, a few columns each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from otklik.analysis.repeats import similar_texts
from otklik.org.models import Person

from . import scoping
from .actions import close_reason
from .models import Assignment, Case, Draft, Publication

__all__ = [
    "ANSWER_KINDS",
    "MAX_CANDIDATES",
    "MIN_SIMILARITY",
    "WINDOW_DAYS",
    "EarlierAnswer",
    "EarlierCase",
    "Help",
    "earlier_answers",
    "helper_bodies",
    "repeat_answers",
    "similar_answers",
]

WINDOW_DAYS = 365
# Publications read at most (newest first): the text comparison of this many short texts takes milliseconds.
MAX_CANDIDATES = 3000
# Combined rapidfuzz score (0..100) from which an earlier message counts as similar. The repeat detector asks
# 75 for "the same message again"; a similar problem («ямы на дороге в Гатчине» / «когда отремонтируют дорогу
# в Гатчине») scores 55–70, unrelated texts of the same town below 50. It is the repeat detector's bar for the
# same author's earlier messages.
MIN_SIMILARITY = 55.0
SHOWN = 3
# Ranking bonus (on the 0..1 similarity) for the same topic and for the same municipal formation.
SAME_TOPIC_BONUS = 0.1
SAME_PLACE_BONUS = 0.1
# Drafts that are answers to the author; a clarification request asks, it answers nothing.
ANSWER_KINDS = (Draft.Kind.ANSWER, Draft.Kind.INTERIM, Draft.Kind.PART)
NO_TEXT = "[без текста"  # cases.views._summary of a message without text (a photo)


@dataclass(frozen=True)
class EarlierAnswer:
    """One published answer, as the panel shows it."""

    publication_id: int
    case_id: int
    kind: str
    kind_label: str
    text: str
    measures: str
    published_at: datetime
    published_by: str  # a person, or «через API сети»
    url: str  # the published comment in the network
    message_text: str  # the earlier case's message (its summary)
    similarity: float | None = None  # 0..1; None for the repeat's own answers
    same_topic: bool = False
    same_municipality: bool = False

    @property
    def percent(self) -> int:
        return round((self.similarity or 0) * 100)


@dataclass(frozen=True)
class EarlierCase:
    """R-8.10: the case this one repeats, with its published answers (oldest first)."""

    case_id: int
    dispatched_at: datetime
    status_label: str
    message_text: str
    can_open: bool
    answers: list[EarlierAnswer] = field(default_factory=list)
    # the curator's reason when she closed it by decision (`actions.close_case`): no answer is coming
    closed_reason: str = ""


@dataclass(frozen=True)
class Help:
    repeat: EarlierCase | None
    similar: list[EarlierAnswer]

    @property
    def empty(self) -> bool:
        return self.repeat is None and not self.similar


def _answer(pub: Publication, *, similarity: float | None = None, case: Case | None = None) -> EarlierAnswer:
    draft, earlier = pub.draft, pub.case
    if pub.published_by is not None:
        who = str(pub.published_by)
    else:
        who = str(Publication.Method.API.label) if pub.method == Publication.Method.API else "—"
    return EarlierAnswer(
        publication_id=pub.pk,
        case_id=pub.case_id,
        kind=draft.kind,
        kind_label=draft.get_kind_display(),
        text=draft.text,
        measures=draft.measures,
        published_at=pub.published_at,
        published_by=who,
        url=pub.url,
        message_text=earlier.summary,
        similarity=similarity,
        same_topic=case is not None and case.topic_id is not None and earlier.topic_id == case.topic_id,
        same_municipality=case is not None
        and case.municipality_id is not None
        and earlier.municipality_id == case.municipality_id,
    )


def _publications() -> QuerySet[Publication]:
    """Published answers with what the panel shows, and nothing more of the rows."""
    return Publication.objects.select_related("draft", "case", "published_by").only(
        "id",
        "case_id",
        "draft_id",
        "url",
        "published_at",
        "method",
        "published_by_id",
        "draft__kind",
        "draft__text",
        "draft__measures",
        "case__summary",
        "case__topic_id",
        "case__municipality_id",
        "published_by__username",
        "published_by__last_name",
        "published_by__first_name",
        "published_by__middle_name",
    )


def repeat_answers(case: Case, viewer: Person) -> EarlierCase | None:
    """R-8.10: the earlier case this one repeats and its published answers, whatever body gave them."""
    if case.repeat_of_id is None:
        return None
    earlier = Case.objects.only("id", "dispatched_at", "status", "summary").get(pk=case.repeat_of_id)
    pubs = (
        _publications()
        .filter(case_id=earlier.pk, draft__kind__in=ANSWER_KINDS)
        .order_by("published_at", "id")
    )
    answers = [_answer(p) for p in pubs]
    return EarlierCase(
        case_id=earlier.pk,
        dispatched_at=earlier.dispatched_at,
        status_label=earlier.get_status_display(),
        message_text=earlier.summary,
        can_open=scoping.cases_for(viewer).filter(pk=earlier.pk).exists(),
        answers=answers,
        # asked only when it is said: in place of the answers
        closed_reason=(close_reason(earlier.pk) or "")
        if earlier.status == Case.Status.CLOSED and not answers
        else "",
    )


def helper_bodies(case: Case, viewer: Person) -> set[int]:
    """The bodies whose earlier answers the viewer is shown: the case's bodies (not rejected or replaced)
    that the viewer works for; all of them for a curator (who composes common answers, R-8.9)."""
    live = set(case.assignments.exclude(state__in=Assignment.GONE).values_list("body_id", flat=True))
    if scoping.sees_all(viewer):
        return live
    return live & scoping.my_body_ids(viewer)


def similar_answers(
    case: Case,
    viewer: Person,
    *,
    now: datetime | None = None,
    limit: int = SHOWN,
    exclude: set[int] | None = None,
) -> list[EarlierAnswer]:
    """Up to ``limit`` earlier answers the viewer's bodies published to messages similar to this case's,
    the best first (text similarity, with a bonus for the same topic and the same municipal formation). One
    answer per earlier case: its final answer if there is one, else the latest published part or interim
    answer. Reads at most ``MAX_CANDIDATES`` publications of the last ``WINDOW_DAYS`` days before ``now``, in
    two queries besides the bodies'; ``exclude``: case ids not to offer (the repeat's earlier case)."""
    text = case.summary or ""
    if not text.strip() or text.startswith(NO_TEXT):
        return []
    bodies = helper_bodies(case, viewer)
    if not bodies:
        return []
    now = now or timezone.now()
    # A body's own answer or part; and a common answer (R-8.9: composed by the last executor or by the
    # curator) counts for every body that took part in the case, not rejected or replaced.
    common = Q(draft__kind__in=(Draft.Kind.ANSWER, Draft.Kind.INTERIM)) & Exists(
        Assignment.objects.filter(case=OuterRef("case_id"), body_id__in=bodies).exclude(
            state__in=Assignment.GONE
        )
    )
    rows = (
        Publication.objects.filter(
            Q(draft__assignment__body_id__in=bodies) | common,
            published_at__gte=now - timedelta(days=WINDOW_DAYS),
            published_at__lte=now,
            draft__kind__in=ANSWER_KINDS,
            draft__state=Draft.State.PUBLISHED,
            case__origin=Case.Origin.CURATOR,  # the Governor's posts have their own page
        )
        .exclude(case_id__in={case.pk, *(exclude or set())})
        .order_by("-published_at", "-id")
        .values_list(
            "id", "case_id", "draft__kind", "case__summary", "case__topic_id", "case__municipality_id"
        )[:MAX_CANDIDATES]
    )
    chosen: dict[int, tuple[int, str]] = {}  # case id → (publication id, kind)
    texts: dict[int, str] = {}
    places: dict[int, tuple[int | None, int | None]] = {}
    for pub_id, case_id, kind, summary, topic_id, municipality_id in rows:
        kept = chosen.get(case_id)
        if kept is None:
            if not summary or summary.startswith(NO_TEXT):
                continue
            chosen[case_id] = (pub_id, kind)
            texts[case_id] = summary
            places[case_id] = (topic_id, municipality_id)
        elif kept[1] != Draft.Kind.ANSWER and kind == Draft.Kind.ANSWER:
            chosen[case_id] = (pub_id, kind)  # the final answer over a later-read interim one
    if not texts:
        return []
    hits = similar_texts(text, texts, limit=max(limit * 5, 20), min_similarity=MIN_SIMILARITY)

    def rank(hit: tuple[int, float]) -> tuple[float, int]:
        case_id, similarity = hit
        topic_id, municipality_id = places[case_id]
        bonus = SAME_TOPIC_BONUS if case.topic_id and topic_id == case.topic_id else 0.0
        if case.municipality_id and municipality_id == case.municipality_id:
            bonus += SAME_PLACE_BONUS
        return (-(similarity + bonus), -case_id)

    best = sorted(hits, key=rank)[:limit]
    pubs = {p.pk: p for p in _publications().filter(pk__in=[chosen[case_id][0] for case_id, _ in best])}
    return [
        _answer(pubs[chosen[case_id][0]], similarity=similarity, case=case)
        for case_id, similarity in best
        if chosen[case_id][0] in pubs
    ]


def earlier_answers(case: Case, viewer: Person, *, now: datetime | None = None) -> Help:
    """The panel beside the draft editor: the repeat's earlier answers and similar published answers."""
    repeat = repeat_answers(case, viewer)
    similar = similar_answers(case, viewer, now=now, exclude={repeat.case_id} if repeat else None)
    return Help(repeat=repeat, similar=similar)
