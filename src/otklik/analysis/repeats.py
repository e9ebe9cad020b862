"""Repeats (R-8.10): earlier messages about the same problem (near-duplicate text) or by the same author.

Candidates come from a MinHash LSH index (``datasketch``) over word and word-pair shingles, so that a new
message is compared with a handful of likely texts, not with every earlier one; the candidates are then
scored with ``rapidfuzz``. ``RepeatIndex`` is that index; ``find_repeats`` keeps one per process over the
database's recent messages, extended incrementally by id.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any

from datasketch import MinHash, MinHashLSH
from django.db.models import Q
from django.utils import timezone
from rapidfuzz import fuzz, process

from .text import tokens

WINDOW_DAYS = 180
# Up to this many recent messages a new one is compared with each (rapidfuzz, exact); beyond it the process's
# MinHash LSH index answers. The brute force costs about 35 µs per earlier message (0.7 s at 20,000, measured in
# bench/analysis/repeats.py), the index well under a millisecond at a million.
MAX_CANDIDATES = 2000
MIN_SIMILARITY = 75.0
NUM_PERM = 64
Key = int | str
LSH_THRESHOLD = 0.3


@dataclass(frozen=True)
class Repeat:
    message_id: int | str  # str: an id from `otklik analyze` input
    similarity: float  # 0..1
    same_author: bool
    # found as the same topic on the same street, whatever the wording (`same_issue`)
    same_place: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "message_id": self.message_id,
            "similarity": round(self.similarity, 3),
            "same_author": self.same_author,
        }
        if self.same_place:
            out["same_place"] = True
        return out


def _key(text: str) -> str:
    # Lower case words only: punctuation, emoji and letter case do not make a different problem.
    return " ".join(t.norm for t in tokens(text))


def similar_texts(
    text: str,
    earlier: dict[int, str],
    *,
    limit: int = 5,
    min_similarity: float = MIN_SIMILARITY,
    same_place: bool = False,
) -> list[tuple[int, float]]:
    """(id, similarity 0..1) of the earlier texts most like ``text`` (with ``same_place``: none that names
    another place, see ``_other_place``)."""
    key = _key(text)
    if len(key) < 10:
        return []
    earlier_keys = {pk: _key(t) for pk, t in earlier.items()}
    return [
        (int(pk), sim) for pk, sim in _score(key, earlier_keys, limit, min_similarity, same_place=same_place)
    ]


def _shingles(key: str) -> set[bytes]:
    words = key.split()
    out = {w.encode() for w in words}
    out.update(f"{a} {b}".encode() for a, b in itertools.pairwise(words))
    return out


class RepeatIndex:
    """Near-duplicate candidates among the texts added so far (MinHash LSH), scored like ``similar_texts``.

    ``add`` then ``query`` cost a fraction of a millisecond each, independent of how many texts are indexed
    (the LSH buckets hold only similar texts). With ``same_place`` a text that names another settlement or
    municipal formation is no repeat (R-8.10; this looks the names up in the place gazetteer, i.e. the
    directory in the database).
    """

    def __init__(
        self, *, threshold: float = LSH_THRESHOLD, num_perm: int = NUM_PERM, same_place: bool = False
    ) -> None:
        self.same_place = same_place
        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.keys: dict[Key, str] = {}
        self.authors: dict[Key, str] = {}
        self.by_author: dict[str, list[Key]] = {}
        template = MinHash(num_perm=num_perm)
        self._permutations = template.permutations
        self._scheme = template.scheme
        self._last: tuple[str, MinHash] | None = None

    def __len__(self) -> int:
        return len(self.keys)

    def _minhash(self, key: str) -> MinHash:
        if self._last is not None and self._last[0] == key:
            return self._last[1]  # query() then add() of the same text
        m = MinHash(num_perm=self.num_perm, permutations=self._permutations, scheme=self._scheme)
        m.update_batch(list(_shingles(key)))
        self._last = (key, m)
        return m

    def add(self, ident: Key, text: str, author: str = "") -> None:
        key = _key(text)
        if ident in self.keys or len(key) < 10:
            return
        self.lsh.insert(ident, self._minhash(key))
        self.keys[ident] = key
        if author:
            self.authors[ident] = author
            self.by_author.setdefault(author, []).append(ident)

    def query(self, text: str, author: str = "", *, limit: int = 5) -> list[Repeat]:
        key = _key(text)
        if len(key) < 10:
            return []
        found: dict[Key, Repeat] = {}
        candidates = {ident: self.keys[ident] for ident in self.lsh.query(self._minhash(key))}
        for ident, similarity in _score(key, candidates, limit, MIN_SIMILARITY, same_place=self.same_place):
            same = bool(author) and self.authors.get(ident) == author
            found[ident] = Repeat(ident, similarity, same)
        if author:
            own = {ident: self.keys[ident] for ident in self.by_author.get(author, [])[-200:]}
            for ident, similarity in _score(key, own, limit, 55.0, same_place=self.same_place):
                found.setdefault(ident, Repeat(ident, similarity, True))
        return sorted(found.values(), key=lambda r: -r.similarity)[:limit]


RERANK = 50  # candidates kept by the token-set score before the combined score orders them


@lru_cache(maxsize=50_000)
def _places(key: str) -> tuple[frozenset[str], frozenset[str]]:
    """The settlements and the municipal formations a text names (its lower-case key: names that are also
    ordinary words are found only after «в», «г.» …, alike in both texts compared)."""
    from .place import find_places

    mentions = find_places(key)
    settlements = frozenset(m.entry.name for m in mentions if m.entry.kind == "settlement")
    return settlements, frozenset(m.entry.municipality for m in mentions)


def reset_places() -> None:
    """Forget the places found in texts (the directory changed: ``place.reset_gazetteer``)."""
    _places.cache_clear()


def _other_place(key: str, other: str) -> bool:
    """True when the two texts name different places: «яма у дома 14 в Кудрово» does not repeat «яма у дома 14
    в Мурино» (R-8.10: a repeat is about the same problem)."""
    if set(key.split()) == set(other.split()):
        return False
    (settlements, municipalities), (other_settlements, other_municipalities) = _places(key), _places(other)
    if settlements and other_settlements:
        return not settlements & other_settlements
    return bool(municipalities and other_municipalities and not municipalities & other_municipalities)


def _score(
    key: str, choices: dict[Any, str], limit: int, cutoff: float, *, same_place: bool = False
) -> list[tuple[Any, float]]:
    """The ``limit`` best of ``choices`` by the mean of the token-set and the plain ratio, both ≥ ``cutoff``;
    with ``same_place``, none that names another settlement or municipal formation than ``key`` does.

    The token-set ratio rates any text whose words are all in the other at 100, so among a million messages
    many short ones tie at the top; the plain ratio breaks those ties, over the best ``RERANK`` of them."""
    if not choices:
        return []
    hits = process.extract(
        key, choices, scorer=fuzz.token_set_ratio, limit=max(limit, RERANK), score_cutoff=cutoff
    )
    out = []
    for _, score, pk in hits:
        combined = (score + fuzz.ratio(key, choices[pk])) / 2
        if combined >= cutoff and not (same_place and _other_place(key, choices[pk])):
            out.append((pk, round(combined / 100, 3)))
    return sorted(out, key=lambda x: -x[1])[:limit]


class _DatabaseIndex:
    """The process's index over recent messages; new ones are added by id before each query."""

    def __init__(self) -> None:
        self.index = RepeatIndex(same_place=True)
        self.last_id = 0
        self.lock = threading.Lock()

    def refresh(self) -> None:
        from otklik.intake.models import Message

        since = timezone.now() - timedelta(days=WINDOW_DAYS)
        rows = (
            Message.objects.filter(received_at__gte=since, id__gt=self.last_id)
            .exclude(text="")
            .order_by("id")
            .values_list("id", "text", "network", "author_id")
        )
        for pk, text, network, author in rows.iterator(chunk_size=5000):
            self.index.add(pk, text, author_key(network, author))
            self.last_id = max(self.last_id, pk)


_db_index: _DatabaseIndex | None = None
_db_lock = threading.Lock()


def reset_repeat_index() -> None:
    """Forget the process's index (a new database in tests; messages deleted)."""
    global _db_index
    with _db_lock:
        _db_index = None


def author_key(network: str, author_id: str | None) -> str:
    """One author across the repeat index: an id is the author's only in its own network (VK's user 301 and
    Telegram's 301 are two people); "" when the message has no author."""
    return f"{network}:{author_id}" if author_id else ""


def find_repeats_indexed(message: Any, *, limit: int = 5) -> list[Repeat]:
    """``find_repeats`` through the process's LSH index: for large message volumes (a million and more)."""
    global _db_index
    with _db_lock:
        if _db_index is None:
            _db_index = _DatabaseIndex()
        db_index = _db_index
    with db_index.lock:
        db_index.refresh()
        hits = db_index.index.query(
            message.text or "", author_key(message.network, message.author_id), limit=limit + 1
        )
    return [r for r in hits if r.message_id < message.pk][:limit]


def find_repeats(message: Any, *, limit: int = 5) -> list[Repeat]:
    """Earlier messages (by time received) that repeat this one: similar text, or the same author with a
    similar text at a lower bar. Up to MAX_CANDIDATES recent messages are compared one by one; beyond that
    (a million messages) the process's MinHash LSH index answers (``find_repeats_indexed``)."""
    from otklik.intake.models import Message

    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    if Message.objects.filter(received_at__gte=since, id__lt=message.pk)[MAX_CANDIDATES : MAX_CANDIDATES + 1]:
        return find_repeats_indexed(message, limit=limit)
    earlier_qs = (
        Message.objects.filter(received_at__gte=since, id__lt=message.pk)
        .exclude(text="")
        .order_by("-id")
        .values_list("id", "text", "network", "author_id")[:MAX_CANDIDATES]
    )
    earlier = {pk: text for pk, text, _, _ in earlier_qs}
    authors = {pk: author_key(network, author) for pk, _, network, author in earlier_qs}
    author = author_key(message.network, message.author_id)
    found: dict[int, Repeat] = {}
    for pk, similarity in similar_texts(message.text, earlier, limit=limit, same_place=True):
        same = bool(author) and authors.get(pk) == author
        found[pk] = Repeat(pk, similarity, same)
    if author:
        own = {pk: t for pk, t in earlier.items() if authors.get(pk) == author}
        for pk, similarity in similar_texts(
            message.text, own, limit=limit, min_similarity=55.0, same_place=True
        ):
            found.setdefault(pk, Repeat(pk, similarity, True))
    return sorted(found.values(), key=lambda r: -r.similarity)[:limit]


# The topics of the suggestion's top three at least this likely are looked for on the same street: the model is
# rarely sure of a reworded complaint («опять нет света» → «неисправные фонари» at 0.3), and the earlier case's topic
# is the curator's own choice.
SAME_ISSUE_MIN_TOPIC = 0.05


def same_issue(
    message: Any,
    topics: Sequence[str],
    street: str,
    municipality_id: int | None,
    settlement_id: int | None = None,
    *,
    limit: int = 5,
) -> list[Repeat]:
    """R-8.10, «по ранее рассмотренному вопросу»: messages of earlier cases (dispatched in the last WINDOW_DAYS)
    that the curator gave one of `topics` and whose own text named the street `street` (their place suggestion;
    any house of it: «улица Чкалова» and «улица Чкалова, 5»), in the same place: not in another municipal
    formation than `municipality_id`, nor in another settlement than `settlement_id` (the case's, or else its
    message's), when both sides know them — the same problem at the same place in other words («В Гатчине опять
    нет света на улице Чкалова» after «на улице Чкалова не горят фонари»), which the text similarity alone misses. A street's name without a town or a district is no place
    (every town has its улица Ленина): nothing is looked for then. The most recent cases first; `similarity` is the
    texts' own score."""
    from otklik.analysis.models import Kind, Suggestion

    if not (topics and street and (municipality_id or settlement_id)):
        return []
    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    rows = list(
        Suggestion.objects.filter(
            Q(value__street=street) | Q(value__street__startswith=f"{street}, "),
            kind=Kind.PLACE,
            message_id__lt=message.pk,
            message__case_link__case__topic__name__in=list(topics),
            message__case_link__case__dispatched_at__gte=since,
        )
        .order_by("-message__case_link__case__dispatched_at", "-message_id")
        .values_list(
            "message_id",
            "message__case_link__case_id",
            "message__case_link__case__municipality_id",
            "message__case_link__case__settlement_id",
            "value__settlement_id",
        )[: limit * 20]
    )
    key = _key(message.text or "")
    texts: dict[int, str] = {}
    cases: set[int] = set()
    for pk, case_id, place, case_settlement, message_settlement in rows:
        if municipality_id and place and place != municipality_id:
            continue
        settlement = case_settlement or message_settlement
        if settlement_id and settlement and settlement != settlement_id:
            continue
        if case_id in cases or pk in texts:  # one message a case: the curator links cases
            continue
        cases.add(case_id)
        texts[pk] = ""
        if len(texts) >= limit:
            break
    if not texts:
        return []
    from otklik.intake.models import Message

    for pk, text in Message.objects.filter(pk__in=texts).values_list("id", "text"):
        texts[pk] = text
    # scored as the wording's candidates are
    similarity = dict(_score(key, {pk: _key(t) for pk, t in texts.items()}, len(texts), 0.0))
    return [Repeat(pk, similarity.get(pk, 0.0), False, True) for pk in texts]


def same_author_issue(
    message: Any,
    topics: Sequence[str],
    municipality_id: int | None,
    settlement_id: int | None,
    streets: Sequence[str] = (),
    *,
    limit: int = 5,
) -> list[Repeat]:
    """R-8.10: the same author's messages of earlier cases (dispatched in the last WINDOW_DAYS) that the curator gave
    one of `topics`, in the place the new text names — the author writing again in other words («Луга: крыша так и
    течёт, писала месяц назад»), which the wording's 55 % bar for the same author misses. The place must agree: the
    same settlement when both sides know one, else the same municipal formation (the case's, or else its message's
    place suggestion); and when both texts name streets, one of them in common (the same author's pothole on
    another street is another problem). The most recent cases first; `similarity` is the texts' own score."""
    from otklik.analysis.models import Kind, Suggestion
    from otklik.intake.models import Message

    if not (topics and message.author_id and (municipality_id or settlement_id)):
        return []
    since = timezone.now() - timedelta(days=WINDOW_DAYS)
    rows = list(
        Message.objects.filter(
            network=message.network,
            author_id=message.author_id,
            id__lt=message.pk,
            case_link__case__topic__name__in=list(topics),
            case_link__case__dispatched_at__gte=since,
        )
        .order_by("-case_link__case__dispatched_at", "-id")
        .values_list(
            "id",
            "text",
            "case_link__case_id",
            "case_link__case__municipality_id",
            "case_link__case__settlement_id",
        )[: limit * 4]
    )
    if not rows:
        return []
    places: dict[int, dict[str, Any]] = {}
    for pk, value in (
        Suggestion.objects.filter(message_id__in=[r[0] for r in rows], kind=Kind.PLACE)
        .order_by("created_at", "id")
        .values_list("message_id", "value")
    ):
        places[pk] = value or {}  # the newest wins
    wanted = set(streets)
    texts: dict[int, str] = {}
    cases: set[int] = set()
    for pk, text, case_id, case_municipality, case_settlement in rows:
        place = places.get(pk, {})
        settlement = case_settlement or place.get("settlement_id")
        municipality = case_municipality or place.get("municipality_id")
        if settlement_id and settlement:
            if settlement != settlement_id:
                continue
        elif not (municipality_id and municipality and municipality == municipality_id):
            continue
        named = {s.get("street", "") for s in place.get("streets") or []} - {""}
        if wanted and named and not wanted & named:
            continue
        if case_id in cases:  # one message a case: the curator links cases
            continue
        cases.add(case_id)
        texts[pk] = text or ""
        if len(texts) >= limit:
            break
    key = _key(message.text or "")
    similarity = dict(_score(key, {pk: _key(t) for pk, t in texts.items()}, len(texts), 0.0))
    # not `same_place` (that is «the same street» to the curator's hint): the hint gives the wording's score
    return [Repeat(pk, similarity.get(pk, 0.0), True) for pk in texts]
