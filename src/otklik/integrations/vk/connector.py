"""VK connector: a community's wall and comment threads, or a search query; replies as the community."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from otklik.integrations.base import (
    ConnectorError,
    Page,
    Parsed,
    ParsedMessage,
    ParseError,
    Payload,
    PublishResult,
    as_dict,
    not_ahead,
    source_setting,
)

from . import schemas
from .client import API_BASE, OBJECT_LEVEL, VKClient

if TYPE_CHECKING:
    from otklik.intake.models import Message, Source

log = logging.getLogger(__name__)

PAGE = 100
# Refusals about our own pace, not about the object: a failed reply is not checked against the comment then.
RATE_CODES = {None, 6, 9, 14, 29}
CAPTCHA = 14  # VK asks a person to enter a captcha
# A post whose comment count did not change is still read in full this often: one comment deleted and another
# added between two runs leave the count as it was (source setting `recheck_minutes`).
RECHECK_MINUTES = 60
# A comment a full read did not return is checked once more on its own before it is marked deleted; at most this
# many a post per read (a moderator clearing spam): the rest are checked by the next full read.
VERIFY_MAX = 20
# VK's search shows a post once it is indexed, minutes after it was written and not in the order written: each
# search asks again from this long before the newest post already seen (source setting `overlap_minutes`; a post
# read twice is stored once).
SEARCH_OVERLAP_MINUTES = 15
_THREAD = re.compile(r"[?&]thread=(\d+)")


@dataclass
class _FullRead:
    """What one read of a post's comments saw: comments listed, deleted ones VK still shows as placeholders (a
    deleted comment with replies), and threads whose replies were all listed. ``whole``: every top-level
    comment was listed too (a read from the post's first comment), not only the newer ones."""

    started: float
    whole: bool = True
    seen: set[int] = field(default_factory=set)
    gone: set[int] = field(default_factory=set)
    roots: set[int] = field(default_factory=set)

    def note(self, item: Any) -> None:
        if isinstance(item, dict) and isinstance(item.get("id"), int):
            (self.gone if item.get("deleted") else self.seen).add(item["id"])


_WHOLE = re.compile(r"-?[0-9]+")


def owner_id_of(source: Source) -> int:
    """The owner id of the wall a VK source reads: `owner_id` of its settings (config, Django settings or the
    environment, `source_setting`) or else its «идентификатор в сети», negative for a community; 0 when neither is
    a whole number other than 0 (a short name «demo_health»: VK would read the token's own page, so nothing is
    read: `VKConnector._wall` stops with the reason, `Source.clean` refuses it)."""
    configured = str(source_setting(source, "owner_id", "") or "").strip()
    if configured:
        owner = int(configured) if _WHOLE.fullmatch(configured) else 0
    else:
        raw = source.external_id.strip()
        owner = -int(raw) if _WHOLE.fullmatch(raw) else 0
    if owner > 0 and source.kind == "community":
        owner = -owner  # a community's wall has a negative owner id
    return owner


class VKConnector:
    network = "vk"

    def __init__(self, source: Source, client: VKClient | None = None) -> None:
        self.source = source
        self.client = client or VKClient(
            str(source_setting(source, "token", "")),
            api_base=str(source_setting(source, "api_base", API_BASE)),
            per_second=float(source_setting(source, "per_second", 3.0)),
        )
        self.owner_id = owner_id_of(source)

    # --- reading -------------------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the HTTP connections kept open for the next request (`run_source` and `publish_reply` do, after use)."""
        self.client.close()

    def fetch(self, cursor: dict[str, Any]) -> Iterator[Page]:
        if self.source.kind == "search":
            yield from self._search(cursor)
        else:
            yield from self._wall(cursor)

    def _wall(self, cursor: dict[str, Any]) -> Iterator[Page]:
        if not self.owner_id:  # VK takes owner_id 0 for the token's own page: not the community, and silently
            raise ConnectorError(
                f"не указан числовой id сообщества ВКонтакте («{self.source.external_id}»): укажите в поле "
                "«идентификатор в сети» число из адреса стены (vk.com/wall-200000001_… → 200000001) "
                "или owner_id в настройках источника",
                permanent=True,
            )
        state: dict[str, Any] = {
            "posts": dict(cursor.get("posts") or {}),
            "threads": dict(cursor.get("threads") or {}),
        }
        window = int(source_setting(self.source, "posts_window", 20))
        recheck = float(source_setting(self.source, "recheck_minutes", RECHECK_MINUTES)) * 60
        wall = _response(
            self.client.call("wall.get", owner_id=self.owner_id, count=min(window, 100), extended=1),
            "wall.get",
        )
        items = wall.get("items") or []
        items = items if isinstance(items, list) else []
        # Only the posts of the window are read again, so only theirs is kept: the cursor does not grow with
        # every post the community ever had (it is written with every page).
        window_ids = {str(it["id"]) for it in items if isinstance(it, dict) and isinstance(it.get("id"), int)}
        if items:
            for part in ("posts", "threads"):
                state[part] = {k: v for k, v in state[part].items() if k in window_ids}
        directory = {"profiles": wall.get("profiles") or [], "groups": wall.get("groups") or []}
        yield Page(
            [Payload("wall_post", {"item": it, "_directory": directory}) for it in items], _copy(state)
        )
        commented = 0  # posts with comments
        refused: list[tuple[int, ConnectorError]] = []  # of them, those VK would not let us read
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("id"), int):
                continue
            post_id = item["id"]
            total = int(as_dict(item.get("comments")).get("count") or 0)
            seen = state["posts"].get(str(post_id)) or {}
            if total == 0:
                continue
            commented += 1
            try:
                if seen.get("count") != total:
                    yield from self._comments(post_id, total, state)
                elif time.time() - float(seen.get("checked") or 0) >= recheck:
                    yield from self._resync(post_id, total, state, why="the hourly full read")
                # else: nothing new under this post since the last run
            except ConnectorError as exc:
                if exc.code in OBJECT_LEVEL:
                    log.info("VK post %s_%s skipped: %s", self.owner_id, post_id, exc)
                    refused.append((post_id, exc))
                    continue
                raise
        # 212 («comments of this post closed») is the post's own setting; one post's refusal alone proves nothing of
        # the token either
        if refused and len(refused) == commented and (len(refused) > 1 or refused[0][1].code != 212):
            # one post's comments closed is that post's; every post's refused is the token's or the community's
            # the source must not look quiet while none of its comments is read
            first = refused[0][1]
            raise ConnectorError(
                f"VK wall.getComments refused for every post with comments ({len(refused)}) of {self.owner_id}: "
                f"{first.message}",
                people=f"ВКонтакте не дал прочитать комментарии ни одной записи сообщества ({len(refused)}): "
                f"{first.for_people}. Проверьте права токена на стену и комментарии",
            )

    def _level(
        self,
        post_id: int,
        threads: dict[str, int],
        known: dict[str, int],
        full: _FullRead | None = None,
        **params: Any,
    ) -> tuple[list[dict[str, Any]], list[Payload]]:
        """One page of top-level comments with their thread previews; a thread whose reply count changed
        since ``known`` and does not fit in the preview is read in full. Records reply counts in ``threads``,
        and what was listed in ``full`` when the caller reads the whole post."""
        read_at = int(time.time())
        resp = _response(
            self.client.call(
                "wall.getComments",
                owner_id=self.owner_id,
                post_id=post_id,
                count=PAGE,
                sort="asc",
                need_likes=1,
                extended=1,
                thread_items_count=10,
                **params,
            ),
            "wall.getComments",
        )
        listed = resp.get("items") or []
        listed = listed if isinstance(listed, list) else [listed]
        directory = {"profiles": resp.get("profiles") or [], "groups": resp.get("groups") or []}
        # Every item goes to the pipeline, which quarantines what it cannot parse.
        payloads = [
            Payload(
                "comment",
                {
                    "owner_id": self.owner_id,
                    "post_id": post_id,
                    "item": i,
                    "_directory": directory,
                    "read_at": read_at,
                },
            )
            for i in listed
        ]
        items = [i for i in listed if isinstance(i, dict) and isinstance(i.get("id"), int)]
        for item in items:
            thread = as_dict(item.get("thread"))
            replies = int(thread.get("count") or 0)
            preview = thread.get("items") or []
            complete = replies <= len(preview)
            if replies > len(preview) and replies != known.get(str(item["id"])):
                payloads.extend(self._thread(post_id, int(item["id"]), full))
                complete = True
            threads[str(item["id"])] = replies
            if full is not None:
                full.note(item)
                for reply in preview if isinstance(preview, list) else []:
                    full.note(reply)
                # A thread shown only in part is not judged: its other replies were not asked for.
                if complete:
                    full.roots.add(int(item["id"]))
        return items, payloads

    def _comments(self, post_id: int, total: int, state: dict[str, Any]) -> Iterator[Page]:
        """New top-level comments from the last one seen (with their threads). A reply can also land in the
        thread of an older comment (an author answering the body's reply): when the replies counted per
        thread do not add up to the post's total, every thread's count is read again and the changed ones
        are fetched."""
        key = str(post_id)
        seen = dict(state["posts"].get(key) or {})
        known = dict(state["threads"].get(key) or {})
        threads = dict(known)
        first = seen.get("last")
        start = first
        full = _FullRead(time.time(), whole=first is None)  # whole: read from its start
        while True:
            items, payloads = self._level(post_id, threads, known, full, start_comment_id=start)
            ids = [int(i["id"]) for i in items]
            new_last = max([*ids, start or 0]) or None
            more = bool(ids) and new_last != start and len(items) >= PAGE
            seen["last"] = new_last
            state["threads"][key] = dict(threads)
            resync = not more and first is not None and len(threads) + sum(threads.values()) != total
            if not more and not resync:
                seen["count"] = total
                if full.whole:
                    seen["checked"] = time.time()
                payloads.extend(self._deletions(post_id, full))
            state["posts"][key] = dict(seen)
            yield Page(payloads, _copy(state))
            if resync:
                yield from self._resync(post_id, total, state, why="replies in older threads")
                return
            if not more:
                return
            start = new_last

    def _resync(self, post_id: int, total: int, state: dict[str, Any], why: str) -> Iterator[Page]:
        """Read every top-level comment of the post again (by offset): the comments themselves (the pipeline
        keeps each once) and the threads that grew."""
        key = str(post_id)
        known = dict(state["threads"].get(key) or {})
        threads: dict[str, int] = {}
        offset = 0
        full = _FullRead(time.time())
        log.info("VK post %s_%s: %s, reading all its comments", self.owner_id, post_id, why)
        while True:
            items, payloads = self._level(post_id, threads, known, full, offset=offset)
            offset += len(items)
            more = len(items) >= PAGE
            if not more:
                state["threads"][key] = threads
                seen = dict(state["posts"].get(key) or {})
                seen["count"] = total
                seen["checked"] = time.time()
                if items:
                    seen["last"] = max([int(i["id"]) for i in items] + [int(seen.get("last") or 0)])
                state["posts"][key] = seen
                payloads.extend(self._deletions(post_id, full))
            yield Page(payloads, _copy(state))
            if not more:
                return

    def post_comments(self, post_external_id: str) -> Iterator[Page]:
        """Every comment of one post of this wall (its id as stored, «owner_post»), with their threads, read from
        the post's first comment (``wall.getComments`` by ``owner_id`` and ``post_id``), and the deletions that
        whole read proves: for the R-7.4 checks of a Governor's post, which may be older than the newest posts
        the wall's read covers (``posts_window``). The source's cursor is not touched (each page's cursor is
        empty: the caller stores the pages without moving it). A post VK no longer has: ``ConnectorError`` with
        ``code="deleted"``."""
        try:
            owner_id, post_id, comment_id = schemas.split_key(post_external_id)
        except ValueError as exc:
            raise ConnectorError(str(exc), permanent=True) from exc
        if comment_id is not None or owner_id != self.owner_id:
            raise ConnectorError(
                f"VK {post_external_id} is not a post of the wall {self.owner_id}", permanent=True
            )
        threads: dict[str, int] = {}
        offset = 0
        full = _FullRead(time.time())
        while True:
            try:
                items, payloads = self._level(post_id, threads, {}, full, offset=offset)
            except ConnectorError as exc:
                if offset == 0 and exc.code in OBJECT_LEVEL | {100} and self.post_exists(post_id) is False:
                    raise ConnectorError(
                        f"VK post {schemas.post_key(self.owner_id, post_id)} is deleted in the network",
                        permanent=True,
                        code="deleted",
                        people="пост удалён в сети",
                    ) from exc
                raise
            offset += len(items)
            more = len(items) >= PAGE
            if not more:
                payloads.extend(self._deletions(post_id, full))
            yield Page(payloads, {})
            if not more:
                return

    def post_exists(self, post_id: int) -> bool | None:
        """Whether VK still has this post of the wall (``wall.getById``: a deleted post is not returned);
        ``None`` when VK would not say (an error). *Unverified*: 5.199 answers ``{"items": [...]}``, older
        versions a bare list; both are read."""
        try:
            resp = self.client.call("wall.getById", posts=schemas.post_key(self.owner_id, post_id))
        except ConnectorError as exc:
            log.info("VK post %s_%s: could not check it: %s", self.owner_id, post_id, exc)
            return None
        items = resp.get("items") if isinstance(resp, dict) else resp
        if not isinstance(items, list):
            return None
        return any(isinstance(i, dict) and i.get("id") == post_id for i in items)

    def _thread(self, post_id: int, comment_id: int, full: _FullRead | None = None) -> list[Payload]:
        payloads: list[Payload] = []
        offset = 0
        while True:
            read_at = int(time.time())
            resp = _response(
                self.client.call(
                    "wall.getComments",
                    owner_id=self.owner_id,
                    post_id=post_id,
                    comment_id=comment_id,
                    offset=offset,
                    count=PAGE,
                    sort="asc",
                    extended=1,
                ),
                "wall.getComments",
            )
            items = [i for i in (resp.get("items") or []) if isinstance(i, dict)]
            directory = {"profiles": resp.get("profiles") or [], "groups": resp.get("groups") or []}
            for i in items:
                i.setdefault("parents_stack", [comment_id])
                if full is not None:
                    full.note(i)
                payloads.append(
                    Payload(
                        "comment",
                        {
                            "owner_id": self.owner_id,
                            "post_id": post_id,
                            "item": i,
                            "_directory": directory,
                            "read_at": read_at,
                        },
                    )
                )
            offset += len(items)
            if len(items) < PAGE:
                return payloads

    # --- deletions -----------------------------------------------------------------------------------------
    def _deletions(self, post_id: int, full: _FullRead) -> list[Payload]:
        """After a read of a post that went to its end: the comments stored earlier that VK no longer has are
        marked deleted, and marked ones it lists again are unmarked (pipeline ``GONE`` / ``BACK`` payloads,
        committed with the read's last page).

        Certain only where the read was: a placeholder VK shows for a deleted comment with replies; a
        top-level comment not listed by a whole read; a reply not listed in a thread whose replies were all
        listed (a thread that grew or shrank is read in full even by the incremental read). A reply in
        a thread shown only in part, a comment stored after the read began (a webhook meanwhile), and a post
        outside the window (never read here) are not judged. A comment not listed is asked for once more on its
        own before it is marked, so a comment skipped by offset paging (another one deleted during the read)
        is not taken for deleted."""
        from otklik.intake.models import DeletedHow, Message
        from otklik.intake.pipeline import BACK, GONE

        if not (full.whole or full.roots or full.gone):
            return []
        owner = self.owner_id
        started = datetime.fromtimestamp(full.started, tz=UTC)
        stored = Message.objects.filter(
            post__network="vk", post__external_id=schemas.post_key(owner, post_id), received_at__lt=started
        )
        candidates: list[tuple[str, int, int | None]] = []
        restored: list[str] = []
        for ext, parent, url, deleted_at in stored.values_list(
            "external_id", "reply_to_external_id", "url", "deleted_at"
        ):
            try:
                _, _, comment_id = schemas.split_key(ext)
            except ValueError:
                continue
            if comment_id is None:
                continue
            if deleted_at is not None:
                if comment_id in full.seen and deleted_at < started:
                    restored.append(ext)
                continue
            if comment_id in full.seen or comment_id in full.gone:
                continue
            root = None
            if parent:
                match = _THREAD.search(url)
                root = int(match[1]) if match else None
                if root is None or root not in full.roots:
                    continue
            elif not full.whole:
                continue
            candidates.append((ext, comment_id, root))
        gone = [schemas.comment_key(owner, post_id, c) for c in sorted(full.gone)]
        for ext, comment_id, root in candidates[:VERIFY_MAX]:
            if self.comment_exists(owner, post_id, comment_id, root) is False:
                gone.append(ext)
        if len(candidates) > VERIFY_MAX:
            log.info(
                "VK post %s_%s: %d comments not listed, %d checked now, the rest at the next full read",
                owner,
                post_id,
                len(candidates),
                VERIFY_MAX,
            )
        payloads = []
        if gone:
            payloads.append(Payload(GONE, {"external_ids": gone, "how": DeletedHow.FULL_READ.value}))
        if restored:
            payloads.append(Payload(BACK, {"external_ids": restored}))
        return payloads

    def comment_exists(self, owner_id: int, post_id: int, comment_id: int, root: int | None) -> bool | None:
        """Whether VK still has this comment (``wall.getComments`` from it, one item); ``None`` when VK would
        not say (an error): then nothing is concluded."""
        try:
            return self._comment_listed(owner_id, post_id, comment_id, root)
        except ConnectorError as exc:
            log.info("VK comment %s_%s_%s: could not check it: %s", owner_id, post_id, comment_id, exc)
            return None

    def _comment_listed(self, owner_id: int, post_id: int, comment_id: int, root: int | None) -> bool:
        """:meth:`comment_exists` that raises VK's refusal or a network failure instead of answering ``None``."""
        resp = _response(
            self.client.call(
                "wall.getComments",
                owner_id=owner_id,
                post_id=post_id,
                comment_id=root,
                start_comment_id=comment_id,
                count=1,
                sort="asc",
            ),
            "wall.getComments",
        )
        items = resp.get("items")
        first = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}
        return first.get("id") == comment_id and not first.get("deleted")

    def read_comment(self, owner_id: int, comment_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """One comment as VK has it now (``wall.getComment``) and the authors' directory: for an edit event,
        whose text may be older than the comment's (VK retries a failed delivery, edits carry no time)."""
        resp = _response(
            self.client.call("wall.getComment", owner_id=owner_id, comment_id=comment_id, extended=1),
            "wall.getComment",
        )
        items = resp.get("items")
        item = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else None
        if item is None or item.get("id") != comment_id or item.get("deleted"):
            raise ConnectorError(
                f"VK wall.getComment: comment {owner_id}_{comment_id} not returned", code=104
            )
        return item, {"profiles": resp.get("profiles") or [], "groups": resp.get("groups") or []}

    def _search(self, cursor: dict[str, Any]) -> Iterator[Page]:
        query = str(source_setting(self.source, "q", self.source.external_id))
        start_time = cursor.get("start_time")
        next_from = cursor.get("next_from")
        newest = int(cursor.get("newest") or start_time or 0)
        overlap = int(float(source_setting(self.source, "overlap_minutes", SEARCH_OVERLAP_MINUTES)) * 60)
        while True:
            resp = _response(
                self.client.call(
                    "newsfeed.search",
                    q=query,
                    count=200,
                    extended=1,
                    start_time=start_time,
                    start_from=next_from,
                ),
                "newsfeed.search",
            )
            items = [i for i in (resp.get("items") or []) if isinstance(i, dict)]
            directory = {"profiles": resp.get("profiles") or [], "groups": resp.get("groups") or []}
            for i in items:
                # a post dated ahead of now is stored (its time set aside) but never the next search's start
                if isinstance(i.get("date"), int) and not_ahead(i["date"]):
                    newest = max(newest, i["date"])
            next_from = resp.get("next_from") or None
            if next_from and items:
                position = {"start_time": start_time, "next_from": next_from, "newest": newest}
            else:
                # Caught up: next time ask from a little before the newest item seen (`SEARCH_OVERLAP_MINUTES`),
                # which is kept so the overlap does not move back pass after pass.
                position = (
                    {"start_time": max(newest - overlap, 1), "newest": newest}
                    if newest
                    else {"start_time": start_time}
                )
            yield Page(
                [Payload("search_post", {"item": i, "_directory": directory}) for i in items], position
            )
            if not (next_from and items):
                return

    # --- parsing -------------------------------------------------------------------------------------------
    def parse(self, payload: Payload) -> list[Parsed]:
        return parse_payload(payload)

    # --- publishing ----------------------------------------------------------------------------------------
    def publish_reply(self, message: Message, text: str, idempotency_key: str) -> PublishResult:
        """``wall.createComment`` as the community, in the thread of ``message`` (R-8.7), ``guid`` = the key."""
        try:
            owner_id, post_id, comment_id = schemas.split_key(message.external_id)
        except ValueError as exc:
            raise ConnectorError(str(exc), permanent=True) from exc
        # `from_group` is the community's id, positive; the setting may be written as the wall's owner id
        # («-200000001»), which the Callback API and `intake.official` accept too.
        group_id = abs(int(source_setting(self.source, "group_id", 0) or owner_id))
        thread = comment_id
        parents = message.raw.get("parents_stack") if isinstance(message.raw, dict) else None
        if isinstance(parents, list) and parents and isinstance(parents[0], int):
            thread = parents[0]
        root = thread if thread != comment_id else None
        if comment_id is not None and message.deleted_at is not None:
            # Marked deleted: asked once more, since a restore may have come after (or its event was lost).
            try:
                listed = self._comment_listed(owner_id, post_id, comment_id, root)
            except ConnectorError as exc:
                if not exc.permanent:
                    # VK or the network is down: that says nothing about the comment, the outbox retries.
                    log.info(
                        "VK comment %s is marked deleted and could not be checked: %s",
                        message.external_id,
                        exc,
                    )
                    raise
                listed = False  # VK will not show it: the mark stands
            if not listed:
                raise _deleted(message.external_id)
            from otklik.intake.pipeline import clear_deleted

            clear_deleted("vk", [message.external_id])
        try:
            response = self.client.call(
                "wall.createComment",
                owner_id=owner_id,
                post_id=post_id,
                from_group=group_id,
                message=text,
                reply_to_comment=comment_id,
                guid=idempotency_key,
            )
        except ConnectorError as exc:
            # VK refuses a reply to a deleted comment; whatever the refusal, a comment that is gone is told as
            # such (the executor publishes by hand or the case is closed), never retried. Limits and network
            # failures say nothing about the comment and are left to the outbox's retries.
            if (
                comment_id is not None
                and exc.code not in RATE_CODES
                and self.comment_exists(owner_id, post_id, comment_id, root) is False
            ):
                raise _deleted(message.external_id) from exc
            if exc.code == CAPTCHA:
                # Only a person can enter VK's captcha: retrying would spend the executor's term for
                # nothing, so the answer goes to them at once.
                raise ConnectorError(
                    f"{exc.message}; a captcha cannot be entered by the server: publish by hand",
                    permanent=True,
                    code=exc.code,
                    people="ВКонтакте требует ввести капчу, а сервер её ввести не может",
                ) from exc
            raise
        new_id = response.get("comment_id") if isinstance(response, dict) else None
        if not isinstance(new_id, int):
            raise ConnectorError(
                "VK wall.createComment returned no comment_id", permanent=True, maybe_done=True
            )
        url = f"https://vk.com/wall{owner_id}_{post_id}?reply={new_id}" + (
            f"&thread={thread}" if thread else ""
        )
        return PublishResult(url=url, external_id=schemas.comment_key(owner_id, post_id, new_id))


def _deleted(external_id: str) -> ConnectorError:
    """The refusal ``integrations.publish`` documents for a reply to a comment deleted in the network."""
    return ConnectorError(
        f"VK comment {external_id} is deleted in the network", permanent=True, code="deleted"
    )


def parse_payload(payload: Payload) -> list[Parsed]:
    data = payload.data
    if not isinstance(data, dict):
        raise ParseError(f"expected an object, got {type(data).__name__}")
    directory = data.get("_directory") or schemas._EMPTY
    profiles, groups = schemas.directory(directory)
    item = data.get("item")
    if payload.kind == "comment":
        parsed = schemas.parse_comments_response(
            {"item": item, "_directory": directory},
            data.get("owner_id"),  # type: ignore[arg-type]
            data.get("post_id"),  # type: ignore[arg-type]
        )
        # What VK listed at the time of reading: an edit read back later (``wall.getComment`` on an edit event,
        # versioned by its own time of reading) is not replaced by this page when the page is stored after it.
        read_at = data.get("read_at")
        if isinstance(read_at, int) and not isinstance(read_at, bool):
            for p in parsed:
                if isinstance(p, ParsedMessage):
                    p.revision = read_at
        return [*parsed]
    if payload.kind == "search_post":
        return [schemas.parse_post_as_message(item, profiles, groups)]
    if payload.kind == "wall_post":
        return parse_wall_post(item, profiles, groups)
    raise ParseError(f"unknown VK payload kind {payload.kind!r}")


def parse_wall_post(item: Any, profiles: dict[int, Any], groups: dict[int, Any]) -> list[Parsed]:
    """The community's own posts are posts to watch; a visitor's post on an open wall is a message too."""
    post = schemas.parse_post(item, profiles, groups)
    from_id = item.get("from_id", item.get("owner_id"))
    if isinstance(from_id, int) and from_id > 0 and not item.get("signer_id"):
        return [post, schemas.parse_post_as_message(item, profiles, groups)]
    return [post]


def _copy(state: dict[str, Any]) -> dict[str, Any]:
    copied: dict[str, Any] = {"posts": {k: dict(v) for k, v in state["posts"].items()}}
    if state.get("threads"):
        copied["threads"] = {k: dict(v) for k, v in state["threads"].items() if v}
    return copied


def _response(value: Any, method: str) -> dict[str, Any]:
    """A method's ``response`` object; anything else is the network's fault, retried later."""
    if not isinstance(value, dict):
        raise ConnectorError(
            f"VK {method}: unexpected response of type {type(value).__name__}", retry_after=60.0
        )
    return value
