"""Ingestion: payloads in, messages stored exactly once (R-4).

- Upsert on the unique ``(network, external_id)`` in bulk: a repeat delivery updates, never duplicates.
- The source's cursor is saved in the same transaction as the items it covers, so a crash between the two is
  impossible: after a crash the page is fetched again and the upsert makes the repeat harmless.
- A payload that cannot be parsed goes to :class:`~otklik.intake.models.Quarantine` with its error and the rest
  of the batch goes on.
- A message deleted in the network is marked (``Message.deleted_at``), never deleted here: a connector or a
  webhook says so with a :data:`GONE` payload (and a restored one with :data:`BACK`), applied in the same
  transaction as the page.
"""

from __future__ import annotations

import functools
import json
import logging
import operator
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from django.db import connection, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from otklik.integrations.base import (
    CLOCK_SKEW,
    DETAILS,
    Connector,
    ConnectorError,
    Parsed,
    ParsedMessage,
    ParsedPost,
    ParseError,
    Payload,
)
from otklik.integrations.links import PREFIX, url_ids

from .attachments import enqueue_downloads, needing_copies
from .models import Cursor, DeletedHow, Message, Network, Post, Quarantine, Source
from .text import MAX_RAW_CHARS, clean_json, plain_text, to_str, vk_mentions, web_link

log = logging.getLogger(__name__)

CHUNK = 500
# no network we read had a message before this; Moscow's midnight, as a file's dates without a zone are read
EARLIEST = datetime(2000, 1, 1, tzinfo=ZoneInfo("Europe/Moscow"))
# Payload kinds the pipeline applies itself instead of parsing: messages the network no longer has
# (``{"external_ids": [...], "how": DeletedHow, "by": {external_id: deleter id}}``) and messages it has again
# (``{"external_ids": [...]}``).
GONE = "_gone"
BACK = "_back"


@dataclass
class IngestReport:
    created: int = 0
    updated: int = 0
    posts: int = 0
    quarantined: int = 0
    pages: int = 0
    error: str = ""

    def __iadd__(self, other: IngestReport) -> IngestReport:
        self.created += other.created
        self.updated += other.updated
        self.posts += other.posts
        self.quarantined += other.quarantined
        self.pages += other.pages
        self.error = other.error or self.error
        return self


def _payload_text(data: Any) -> str:
    if isinstance(data, dict | list):
        try:
            text = json.dumps(clean_json(data), ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(data)
    else:
        text = to_str(data)
    return text[:MAX_RAW_CHARS]


def quarantine(network: str, source: Source | None, payload: Payload, error: str) -> Quarantine:
    log.warning(
        "quarantined %s payload (%s) from source %s: %s", network, payload.kind, source and source.pk, error
    )
    return Quarantine.objects.create(
        network=network,
        source=source,
        kind=payload.kind[:50],
        payload=_payload_text(payload.data),
        error=to_str(error)[:10_000],
    )


def parse_all(
    parse: Any, payloads: Iterable[Payload], network: str, source: Source | None
) -> tuple[list[Parsed], list[tuple[Payload, str]]]:
    parsed: list[Parsed] = []
    failed: list[tuple[Payload, str]] = []
    for payload in payloads:
        try:
            parsed.extend(parse(payload))
        except ParseError as exc:
            failed.append((payload, str(exc)))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            # A parser bug on an unexpected shape must not stop the source either.
            failed.append((payload, f"{type(exc).__name__}: {exc}"))
    return parsed, failed


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _upsert_posts(posts: list[ParsedPost], refs: set[tuple[str, str]], source: Source | None) -> int:
    by_key = {(p.network, p.external_id): p for p in posts}
    objs = [
        Post(
            network=p.network,
            external_id=p.external_id[:300],
            source=source,
            url=p.url[:1000],
            text=_shown(p.network, plain_text(p.text)),
            published_at=p.published_at,
            is_governor=bool(source and source.is_governor),
            raw=clean_json(p.raw),
        )
        for p in by_key.values()
    ]
    for chunk in _chunks(objs):
        Post.objects.bulk_create(
            chunk,
            update_conflicts=True,
            unique_fields=["network", "external_id"],
            update_fields=["url", "text", "published_at", "raw"],
        )
    # Comments may name a post we have not seen (Callback API, imports): keep a stub to hang them on.
    stubs = [
        Post(network=n, external_id=e[:300], source=source, is_governor=bool(source and source.is_governor))
        for n, e in refs - set(by_key)
    ]
    for chunk in _chunks(stubs):
        Post.objects.bulk_create(chunk, ignore_conflicts=True)
    return len(objs)


@dataclass
class _Row:
    """One message ready for the database (a plain row: the hot path skips model instances)."""

    network: str
    external_id: str
    values: dict[str, Any]
    reply_to_external_id: str
    pk: int | None = None
    created: bool = False
    edited: bool = False  # a stored message whose text this delivery changes (the author's edit)

    @property
    def post_id(self) -> int | None:
        value: int | None = self.values["post_id"]
        return value


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


def _json(value: Any) -> str:
    """JSON text for any database: ``orjson`` when the value is clean (the hot path), cleaned first when it
    is not (lone surrogates, NUL, non-string keys, integers beyond 64 bits)."""
    if not value:
        return "[]" if isinstance(value, list) else "{}"
    try:
        text = orjson.dumps(value, default=str).decode()
    except (TypeError, orjson.JSONEncodeError):
        return _ENCODER.encode(clean_json(value))
    if "\\u0000" in text:
        return _ENCODER.encode(clean_json(value))
    return text


def _plausible(published: datetime | None, now: datetime, notes: list[str]) -> datetime | None:
    """The publication time, or ``None`` (then the receipt time stands for it, as for a message without one)
    when it is before the networks existed (a date of 0) or in the future beyond clock skew: such a date
    would put the message first in every list and move its deadlines (R-7.2). The raw payload keeps it."""
    if published is None or published.tzinfo is None or EARLIEST <= published <= now + CLOCK_SKEW:
        return published
    shown = (
        timezone.localtime(published) if datetime.min.year < published.year < datetime.max.year else published
    )
    notes.append(
        f"время публикации в сети {shown:%d.%m.%Y %H:%M} неправдоподобно, вместо него показано время получения"
    )
    return None


def _shown(network: str, text: str) -> str:
    """The stored display text as the network shows it (VK mentions as names)."""
    return vk_mentions(text) if network == Network.VK else text


def _build_row(
    p: ParsedMessage, source: Source | None, post_ids: dict[tuple[str, str], int], now: datetime
) -> _Row:
    raw_text = to_str(p.text_raw)
    # kept, and flagged in Russian where the staff see the message (`Message.parse_error`)
    notes: list[str] = []
    if len(raw_text) > MAX_RAW_CHARS:
        notes.append(
            f"текст длиннее {MAX_RAW_CHARS} символов ({len(raw_text)}): сохранено начало, целиком — в источнике"
        )
        raw_text = raw_text[:MAX_RAW_CHARS]
    published = _plausible(p.published_at, now, notes)
    url, author_url = web_link(p.url), web_link(p.author_url)
    for whose, given, kept in (("сообщение", p.url, url), ("автора", p.author_url, author_url)):
        if to_str(given).strip() and not kept:
            notes.append(f"ссылка на {whose} не веб-адрес и не сохранена")
    if not raw_text.strip() and not p.attachments:
        notes.append(
            "ни текста, ни вложений, которые система умеет показать: что в сообщении, видно в источнике"
        )
    if notes:
        log.warning(
            "%s message %s kept with notes: %s (published_at %r, url %r, author_url %r, text %d characters, "
            "%d attachments)",
            p.network,
            p.external_id[:300],
            "; ".join(notes),
            p.published_at,
            to_str(p.url)[:300],
            to_str(p.author_url)[:300],
            len(to_str(p.text_raw)),
            len(p.attachments),
        )
    external_id = p.external_id[:300]
    reply_to = to_str(p.reply_to_external_id)[:300]
    return _Row(
        network=p.network,
        external_id=external_id,
        reply_to_external_id=reply_to,
        values={
            "network": p.network,
            "external_id": external_id,
            "source_id": source.pk if source else None,
            "url": url[:1000],
            "author_id": to_str(p.author_id)[:300],
            "author_name": plain_text(p.author_name)[:300],
            "author_url": author_url[:1000],
            "text_raw": raw_text,
            "text": _shown(p.network, plain_text(raw_text, is_html=p.is_html, clean=True)),
            "attachments": _json(p.attachments),
            "published_at": published,
            "post_id": post_ids.get((p.network, p.post_external_id)) if p.post_external_id else None,
            "reply_to_id": None,
            "reply_to_external_id": reply_to,
            "metrics": _json(p.metrics),
            "raw": _json(p.raw),
            "parse_error": "; ".join(notes),
            "revision": p.revision,
        },
    )


COLUMNS = [
    "network", "external_id", "source_id", "url", "author_id", "author_name", "author_url", "text_raw", "text",
    "attachments", "published_at", "received_at", "post_id", "reply_to_id", "reply_to_external_id", "metrics",
    "raw", "parse_error", "revision",
]  # fmt: skip
# On a repeat delivery everything is refreshed except when it was received, and links are never dropped.
KEEP_IF_NULL = {"post_id", "reply_to_id", "revision"}
# ... nor who wrote it and where: a delivery that lacks them (VK's edit event carries the author's id, not the name,
# when reading the comment back failed) keeps what an earlier one stored
KEEP_IF_EMPTY = {"url", "author_id", "author_name", "author_url"}
UPSERT_ROWS = 400  # 19 parameters a row stays well under SQLite's 32,766-parameter limit


@functools.lru_cache(maxsize=16)
def _sqlite_upsert_sql(rows: int) -> str:
    """The SQLite statement for ``rows`` rows, with the driver's own ``?`` placeholders: it is run on the
    DB-API cursor, past Django's ``%s`` → ``?`` rewrite of a 7,200-parameter statement on every page."""
    table = connection.ops.quote_name(Message._meta.db_table)
    one = "(" + ", ".join("?" for _ in COLUMNS) + ")"
    return (
        f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES {', '.join([one] * rows)} "  # noqa: S608 - names are ours
        + _upsert_tail()
    )


PG_TYPES = {
    "source_id": "bigint",
    "post_id": "bigint",
    "reply_to_id": "bigint",
    "published_at": "timestamptz",
    "received_at": "timestamptz",
    "attachments": "jsonb",
    "metrics": "jsonb",
    "raw": "jsonb",
    "revision": "bigint",
}


def _upsert_tail() -> str:
    table = connection.ops.quote_name(Message._meta.db_table)
    # `_against_stored` reads the stored versions before the write; a later version committed by another delivery
    # in between (a webhook and a poll, or two webhooks, at once) is still kept: an older version never
    # replaces it, here in the statement itself, which runs after that delivery's row lock is released.
    stale = f"(excluded.revision IS NOT NULL AND {table}.revision IS NOT NULL AND excluded.revision < {table}.revision)"
    updates = ", ".join(
        f"{c} = CASE WHEN {stale} THEN {table}.{c} ELSE "
        + (
            f"COALESCE(excluded.{c}, {table}.{c})"
            if c in KEEP_IF_NULL
            else f"COALESCE(NULLIF(excluded.{c}, ''), {table}.{c})"
            if c in KEEP_IF_EMPTY
            else f"excluded.{c}"
        )
        + " END"
        for c in COLUMNS
        if c not in {"network", "external_id", "received_at"}
    )
    return (
        f"ON CONFLICT (network, external_id) DO UPDATE SET {updates} "
        "RETURNING id, network, external_id, received_at"
    )


def _write_rows_postgresql(rows: list[_Row]) -> None:
    """PostgreSQL: one array parameter per column and ``unnest``, so a page is one short statement."""
    table = connection.ops.quote_name(Message._meta.db_table)
    arrays = ", ".join(f"%s::{PG_TYPES.get(c, 'text')}[]" for c in COLUMNS)
    sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) SELECT * FROM unnest({arrays}) {_upsert_tail()}"  # noqa: S608
    now = timezone.now()
    params = [[now] * len(rows) if c == "received_at" else [r.values[c] for r in rows] for c in COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = {(network, ext): (pk, received) for pk, network, ext, received in cursor.fetchall()}
    for row in rows:
        row.pk, received = returned[(row.network, row.external_id)]
        row.created = received == now


def _write_rows(rows: list[_Row]) -> None:
    """Bulk upsert (``INSERT … ON CONFLICT DO UPDATE … RETURNING``: SQLite ≥ 3.35 and PostgreSQL alike)."""
    if connection.vendor == "postgresql":
        for chunk in _chunks(rows, 5000):
            _write_rows_postgresql(list(chunk))
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for chunk in _chunks(rows, UPSERT_ROWS):
        params: list[Any] = []
        for row in chunk:
            v = row.values
            v["received_at"] = now
            published = v["published_at"]
            if published is not None and type(published) is not str:
                v["published_at"] = _sqlite_datetime(published)
            params.extend(_SQLITE_PARAMS(v))
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the sqlite3 cursor under Django's wrapper
            sqlite3.Cursor.execute(raw, _sqlite_upsert_sql(len(chunk)), params)
            returned = {(network, ext): (pk, received) for pk, network, ext, received in raw.fetchall()}
        for row in chunk:
            row.pk, received = returned[(row.network, row.external_id)]
            # received_at is never updated on conflict: a row carrying this statement's time is new.
            row.created = received == now or str(received) == str(now)


_SQLITE_PARAMS = operator.itemgetter(*COLUMNS)


def _sqlite_datetime(value: datetime) -> str:
    """What Django's SQLite backend stores for a datetime (naive UTC text), without its per-value checks."""
    if value.tzinfo is not None and value.utcoffset():
        value = value.astimezone(UTC)
    text = "%04d-%02d-%02d %02d:%02d:%02d" % (  # noqa: UP031 - a third of isoformat()'s cost, same text
        value.year, value.month, value.day, value.hour, value.minute, value.second,
    )  # fmt: skip
    return f"{text}.{value.microsecond:06d}" if value.microsecond else text


def upsert(parsed: Sequence[Parsed], source: Source | None = None) -> IngestReport:
    """Store parsed posts and messages; call inside a transaction."""
    report = IngestReport()
    posts = [p for p in parsed if isinstance(p, ParsedPost)]
    messages_by_key: dict[tuple[str, str], ParsedMessage] = {}
    for p in parsed:
        if isinstance(p, ParsedMessage):
            key = (p.network, p.external_id[:300])
            earlier = messages_by_key.get(key)
            if earlier is not None and _older(p, earlier.revision):
                continue
            messages_by_key[key] = p  # the last delivery in a batch wins, unless it is an older version
    refs = {(m.network, m.post_external_id[:300]) for m in messages_by_key.values() if m.post_external_id}
    if posts or refs:
        report.posts = _upsert_posts(posts, refs, source)
    post_ids: dict[tuple[str, str], int] = {}
    for network in {n for n, _ in refs}:
        ids = [e for n, e in refs if n == network]
        for chunk in _chunks(ids):
            for ext, pk in Post.objects.filter(network=network, external_id__in=chunk).values_list(
                "external_id", "id"
            ):
                post_ids[(network, ext)] = pk
    if not messages_by_key:
        return report
    _adopt_entered(list(messages_by_key.values()))

    now = timezone.now()
    objs = [_build_row(p, source, post_ids, now) for p in messages_by_key.values()]
    objs = _against_stored(objs)
    _insert_in_thread_order(objs)
    report.created = sum(1 for o in objs if o.created)
    report.updated = len(objs) - report.created
    _link_orphans(objs)
    official = _mark_official(objs, source)
    # an author's reply to a clarification request we published goes to its case, not to the inbox
    from otklik.cases.author_replies import link_author_replies

    link_author_replies(
        (o.pk, o.network, o.values["author_id"])
        for o in objs
        if o.created and o.pk is not None and o.pk not in official
    )
    # Machine suggestions for the curator, computed by the worker once this page is committed.
    from otklik.analysis.pipeline import enqueue_annotation

    enqueue_annotation(
        o.pk for o in objs if (o.created or o.edited) and o.pk is not None and o.pk not in official
    )
    # Copies of their photos and videos (by link, or a Telegram file through the source's bot), before an
    # author deletes them: a new message's, and files a repeat delivery brought (an album's later part).
    enqueue_downloads(
        needing_copies(
            {o.pk: o.values["attachments"] for o in objs if o.pk is not None},
            (o.pk for o in objs if o.created and o.pk is not None),
        )
    )
    return report


# Networks whose messages can be entered by hand or imported under a link their id cannot be told from (``url:``
# ids): a public Telegram chat's message (t.me/<name>/<id>), a blog's item. The other connectors' ids follow from
# their links (intake.manual.external_id_of); an OK comment's link is its topic's, shared by all its comments.
# A feed read by the feed connector is a blog's, a forum's, a review site's … (the source's network), and a page of
# any of them may have been entered as another («другое» and «блог» are one page).
OPEN = (Network.FEED, Network.FORUM, Network.MESSENGER, Network.REVIEWS, Network.OTHER)
ADOPTING = {
    str(Network.TELEGRAM): (str(Network.TELEGRAM),),
    **{str(network): OPEN for network in OPEN},
}
# The ids of a hand entry or an import without a network's id (intake.manual, intake.imports): such a message is
# the entry itself, never a delivery that takes one over.
ENTRY_PREFIXES = (PREFIX, "import:")


ENTERED = "_entered"  # the raw data of a hand entry or an import a delivery took over (in ``Message.raw``)


def _adopt_entered(messages: list[ParsedMessage]) -> None:
    """A message entered by hand or imported under its link before its network delivered it becomes the
    delivered one (R-4, R-8.1): the row takes the network's id, so the upsert updates it and the curator sees
    one message. The row keeps its case, the curators' decisions and when it was received (the deadlines count
    from it); the network's text, author and time replace the entry's, and a field the network leaves blank
    keeps what the person entered."""
    keys: dict[tuple[str, str], list[ParsedMessage]] = {}
    comment_of: dict[str, list[ParsedMessage]] = {}
    for p in messages:
        networks = ADOPTING.get(p.network)
        if networks is None or p.external_id.startswith(ENTRY_PREFIXES):
            continue
        for network in networks:
            for key in url_ids(p.url) if p.url else []:
                keys.setdefault((str(network), key), []).append(p)
        if p.network == Network.TELEGRAM and p.post_external_id:
            comment_of.setdefault(p.post_external_id[:300], []).append(p)
    if comment_of:
        # A comment under a channel's post as people copy it: t.me/<channel>/<post>?comment=<id>.
        for ext, post_url in Post.objects.filter(
            network=Network.TELEGRAM, external_id__in=list(comment_of)
        ).values_list("external_id", "url"):
            for p in comment_of[ext] if post_url else []:
                number = p.external_id.rpartition(":")[2]
                for key in url_ids(f"{post_url}?comment={number}"):
                    keys.setdefault((str(Network.TELEGRAM), key), []).append(p)
    if not keys:
        return
    entered: dict[int, tuple[Message, ParsedMessage]] = {}
    for network in {n for n, _ in keys}:
        ids = sorted(k for n, k in keys if n == network)
        for chunk in _chunks(ids):
            for message in Message.objects.filter(network=network, external_id__in=chunk).only(
                "id", "network", "external_id", "author_name", "author_url", "published_at", "raw"
            ):
                for p in keys[(network, message.external_id)]:
                    entered.setdefault(message.pk, (message, p))
    adopted: set[tuple[str, str]] = set()
    for message, p in sorted(entered.values(), key=lambda pair: pair[0].pk):
        target = (p.network, p.external_id[:300])
        if target in adopted or Message.objects.filter(network=p.network, external_id=target[1]).exists():
            log.warning(
                "%s message %s is stored both from the network and under its link as message %s; not merged",
                p.network, p.external_id, message.pk,
            )  # fmt: skip
            continue
        Message.objects.filter(pk=message.pk).update(network=p.network, external_id=target[1])
        adopted.add(target)
        p.author_name = p.author_name or message.author_name
        p.author_url = p.author_url or message.author_url
        p.published_at = p.published_at or message.published_at
        # What the entry had (an import's columns: department, executor, answers …) is kept beside the payload.
        p.raw = {**p.raw, ENTERED: message.raw}
        log.info(
            "%s message %s was entered as %s %s (message %s): now the network's",
            p.network, p.external_id, message.network, message.external_id, message.pk,
        )  # fmt: skip


def _older(p: ParsedMessage, revision: int | None) -> bool:
    return p.revision is not None and revision is not None and p.revision < revision


def _against_stored(objs: list[_Row]) -> list[_Row]:
    """The page against the stored rows, read once (one query per network and chunk over the unique
    (network, external_id) index):
    - a row whose stored text is a later version than the one delivered now is left as it is: a webhook retried
      after an edit (the original comment arriving after its edited version) must not undo the edit;
    - a row whose delivery changes a stored message's text (the author's edit, seen in an edit event or a page read
      again) is marked `edited`: the message is analysed again as it reads now (R-10: a comment edited into abuse,
      or cleaned up)."""
    stored: dict[tuple[str, str], tuple[int | None, str]] = {}
    for network in {o.network for o in objs}:
        ids = [o.external_id for o in objs if o.network == network]
        for chunk in _chunks(ids):
            rows = Message.objects.filter(network=network, external_id__in=chunk)
            for ext, revision, text in rows.values_list("external_id", "revision", "text"):
                stored[(network, ext)] = (revision, text)
    fresh = []
    for o in objs:
        if (o.network, o.external_id) not in stored:
            fresh.append(o)
            continue
        newer, text = stored[(o.network, o.external_id)]
        if o.values["revision"] is not None and newer is not None and o.values["revision"] < newer:
            log.info("%s message %s: an older version delivered late, not stored", o.network, o.external_id)
            continue
        o.edited = text != o.values["text"]
        fresh.append(o)
    return fresh


_ARRIVAL = datetime.max.replace(tzinfo=UTC)  # how a message without a time sorts: written last


def _insert_in_thread_order(objs: list[_Row]) -> None:
    """Upsert parents before their replies, so each reply gets its parent's id (and post) in the same
    statement: no second pass of updates. Threads are shallow, so this is one to three statements a page."""
    batch = {(o.network, o.external_id) for o in objs}
    outside = {
        (o.network, o.reply_to_external_id)
        for o in objs
        if o.reply_to_external_id and (o.network, o.reply_to_external_id) not in batch
    }
    known: dict[tuple[str, str], tuple[int, int | None]] = {}
    for network in {n for n, _ in outside}:
        ids = sorted(e for n, e in outside if n == network)
        for chunk in _chunks(ids):
            for ext, pk, post_id in Message.objects.filter(
                network=network, external_id__in=chunk
            ).values_list("external_id", "id", "post_id"):
                known[(network, ext)] = (pk, post_id)
    pending = objs
    while pending:
        ready, waiting = [], []
        for o in pending:
            parent = (o.network, o.reply_to_external_id)
            if o.reply_to_external_id and parent in batch and parent not in known:
                waiting.append(o)
                continue
            if parent in known:
                o.values["reply_to_id"], parent_post = known[parent]
                if o.values["post_id"] is None:
                    o.values["post_id"] = parent_post
            ready.append(o)
        if not ready:  # a reply cycle in bad data: store the rest unlinked
            ready, waiting = waiting, []
        # Oldest written first: the new messages of one statement share its `received_at`, so their numbers (ids)
        # follow the order written, whatever order the network listed them in (VK lists newest first); the inbox
        # lists a minute's arrivals as written (`cases.views._arrival_order`). A message without a time counts as
        # written on arrival.
        ready.sort(key=lambda o: o.values["published_at"] or _ARRIVAL)
        _write_rows(ready)
        for o in ready:
            assert o.pk is not None
            known[(o.network, o.external_id)] = (o.pk, o.post_id)
        pending = waiting


def orphans_sql(keys: int) -> str:
    """Replies of ``network`` (first parameter) waiting for one of ``keys`` parents (the other parameters).
    The condition is written exactly as the partial index ``message_orphan_replies`` has it, or SQLite does
    not use that index and reads every message of the network instead, on every page."""
    table = connection.ops.quote_name(Message._meta.db_table)
    return (
        f"SELECT id, reply_to_external_id FROM {table} WHERE reply_to_id IS NULL "  # noqa: S608 - names are ours
        f"AND NOT (reply_to_external_id = '') AND network = %s "
        f"AND reply_to_external_id IN ({', '.join(['%s'] * keys)})"
    )


def _mark_official(objs: list[_Row], source: Source | None) -> set[int]:
    """Mark new messages the government wrote (our published answers, official accounts): kept out of the
    curator's inbox (see :mod:`otklik.intake.official`). Returns their ids."""
    from .official import official_ids

    marked: set[int] = set()
    for network in {o.network for o in objs if o.created}:
        rows = [
            (o.pk, o.external_id, o.values["author_id"])
            for o in objs
            if o.created and o.network == network and o.pk is not None
        ]
        ids = official_ids(network, rows, source)
        if ids:
            Message.objects.filter(pk__in=ids).update(is_official=True)
            marked.update(ids)
    return marked


def _link_orphans(objs: list[_Row]) -> None:
    """Replies stored before their parent arrived get linked when it does. Orphans are few and sit in a
    partial index, so the lookup is cheap; the update runs only when there is something to link."""
    by_key = {(o.network, o.external_id): o for o in objs}
    for network in {o.network for o in objs}:
        keys = [o.external_id for o in objs if o.network == network]
        for chunk in _chunks(keys):
            with connection.cursor() as cursor:
                cursor.execute(orphans_sql(len(chunk)), [network, *chunk])
                found = cursor.fetchall()
            for child_id, parent_key in found:
                parent = by_key[(network, parent_key)]
                Message.objects.filter(pk=child_id).update(
                    reply_to_id=parent.pk, post_id=Coalesce(F("post_id"), Value(parent.post_id))
                )


def ingest_payloads(
    network: str,
    payloads: Iterable[Payload],
    parse: Any,
    *,
    source: Source | None = None,
    cursor: dict[str, Any] | None = None,
) -> IngestReport:
    """Parse, quarantine what fails, upsert the rest and (if given) save the cursor, in one transaction."""
    payloads = list(payloads)
    states = [p for p in payloads if p.kind in (GONE, BACK)]
    if states:
        payloads = [p for p in payloads if p.kind not in (GONE, BACK)]
    parsed, failed = parse_all(parse, payloads, network, source)
    with transaction.atomic():
        for payload, error in failed:
            quarantine(network, source, payload, error)
        report = upsert(parsed, source)
        for state in states:
            _apply_state(network, source, state)
        report.quarantined = len(failed)
        report.pages = 1
        if cursor is not None and source is not None:
            # One UPDATE on every page but the first (update_or_create would read the row first).
            saved = Cursor.objects.filter(source=source).update(
                position=cursor, last_error="", updated_at=timezone.now()
            )
            if not saved:
                Cursor.objects.create(source=source, position=cursor)
    return report


def mark_deleted(
    network: str,
    external_ids: Iterable[str],
    how: str,
    *,
    by: dict[str, str] | None = None,
    at: datetime | None = None,
) -> int:
    """Record that these messages were deleted in the network; the messages themselves are kept. A message
    already marked keeps its first mark. Returns how many were marked now."""
    at = at or timezone.now()
    ids = sorted({to_str(e)[:300] for e in external_ids if e})
    marked = 0
    by = by or {}
    for ext in ids:
        # One statement per message: deletions come one by one (events) or a few at a time (a full read).
        marked += Message.objects.filter(network=network, external_id=ext, deleted_at__isnull=True).update(
            deleted_at=at, deleted_how=how, deleted_by=to_str(by.get(ext, ""))[:300]
        )
    if marked:
        log.info("%s: %d message(s) marked deleted in the network (%s): %s", network, marked, how, ids[:20])
    return marked


def clear_deleted(network: str, external_ids: Iterable[str]) -> int:
    """The network has these messages again (VK ``wall_reply_restore``): the deletion mark is removed."""
    ids = sorted({to_str(e)[:300] for e in external_ids if e})
    cleared = 0
    for chunk in _chunks(ids):
        cleared += Message.objects.filter(
            network=network, external_id__in=chunk, deleted_at__isnull=False
        ).update(deleted_at=None, deleted_how="", deleted_by="")
    if cleared:
        log.info("%s: %d message(s) restored in the network: %s", network, cleared, ids[:20])
    return cleared


def _apply_state(network: str, source: Source | None, payload: Payload) -> None:
    data = payload.data if isinstance(payload.data, dict) else {}
    ids = data.get("external_ids")
    if not isinstance(ids, list) or not all(isinstance(e, str) for e in ids):
        # Built by our own connectors and views, so this is a bug; the payload is kept for the staff.
        quarantine(network, source, payload, f"malformed {payload.kind} payload")
        return
    if payload.kind == BACK:
        clear_deleted(network, ids)
        return
    how = str(data.get("how") or DeletedHow.EVENT)
    by = data.get("by")
    by = {str(k): str(v) for k, v in by.items()} if isinstance(by, dict) else {}
    mark_deleted(network, ids, how, by=by)


def run_source(
    source: Source, connector: Connector | None = None, *, max_pages: int | None = None
) -> IngestReport:
    """Read a source from its cursor until the network has nothing new (or ``max_pages``)."""
    from otklik.integrations.registry import connector_for

    own = connector is None  # a connector passed in is the caller's to close
    cursor, _ = Cursor.objects.get_or_create(source=source)
    report = IngestReport()
    try:
        # Inside the try: a source of a network without a connector (a forum kept as «сообщество») is told on its
        # cursor, and `otklik ingest` goes on to the next source.
        connector = connector or connector_for(source)
        for page in connector.fetch(dict(cursor.position)):
            report += ingest_payloads(
                source.network, page.payloads, connector.parse, source=source, cursor=page.cursor
            )
            if max_pages is not None and report.pages >= max_pages:
                break
        else:
            # read to the end without an error: an earlier one no longer holds, even where the network had nothing
            # new (a quiet Telegram chat hands back no page at all, so no page's cursor cleared it)
            Cursor.objects.filter(source=source).exclude(last_error="").update(
                last_error="", updated_at=timezone.now()
            )
    except ConnectorError as exc:
        log.warning("source %s (%s) stopped: %s", source.pk, source, exc)
        described = exc.described()  # in Russian for the administrator, the precise message after it
        Cursor.objects.filter(source=source).update(last_error=described[:5000], updated_at=timezone.now())
        report.error = described
    except Exception as exc:  # an unexpected answer must not stop the other sources
        # A connector tripping over a response shape it did not expect: the pages committed so far stay, the
        # cursor stays where they left it, the error is shown on the cursor, and the next source is read.
        log.exception("source %s (%s) stopped by an unexpected error", source.pk, source)
        error = f"внутренняя ошибка Отклика при чтении источника{DETAILS}unexpected error: {type(exc).__name__}: {exc}"
        Cursor.objects.filter(source=source).update(last_error=error[:5000], updated_at=timezone.now())
        report.error = error
    finally:
        if own and connector is not None:
            connector.close()
    # A quiet minute is quiet in the log: a pass that found nothing is a DEBUG line.
    log.log(
        logging.INFO
        if report.created or report.updated or report.quarantined or report.error
        else logging.DEBUG,
        "source %s: %d new, %d updated, %d quarantined in %d pages",
        source.pk,
        report.created,
        report.updated,
        report.quarantined,
        report.pages,
    )
    return report
