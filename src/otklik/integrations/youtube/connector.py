"""YouTube Data API v3: ``commentThreads.list`` for a video's comments, ``comments.insert`` for replies."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import httpx

from otklik.integrations.base import (
    ConnectorError,
    Page,
    Parsed,
    ParsedMessage,
    ParsedPost,
    ParseError,
    Payload,
    PublishResult,
    as_dict,
    maybe_done,
    need,
    parse_iso,
    source_setting,
)

if TYPE_CHECKING:
    from otklik.intake.models import Message, Source

NETWORK = "youtube"
API_BASE = "https://www.googleapis.com/youtube/v3"
TRANSIENT_REASONS = {"rateLimitExceeded": 60.0, "quotaExceeded": 3600.0, "backendError": 5.0}
# YouTube Data API's reasons and statuses in words for people
PEOPLE = {
    "rateLimitExceeded": "YouTube ограничил частоту запросов",
    "quotaExceeded": "исчерпана дневная квота YouTube API",
    "backendError": "внутренняя ошибка YouTube",
    "forbidden": "у ключа или токена YouTube нет прав на это действие",
    "insufficientPermissions": "у токена YouTube нет прав на это действие",
    "commentsDisabled": "комментарии к видео отключены",
    "videoNotFound": "видео не найдено",
    "commentNotFound": "комментарий не найден",
    "keyInvalid": "YouTube не принял ключ API («api_key»)",
    "401": "YouTube не принял токен («oauth_token») — выпустите новый",
    "403": "у ключа или токена YouTube нет прав на это действие",
    "404": "не найдено",
}
# Replies are written as the channel, which needs its OAuth token; reading needs the API key alone.
MISSING_OAUTH = (
    "не задан OAuth-токен канала YouTube: с одним ключом API ответы не публикуются — администратору: укажите "
    "его в настройках источника («oauth_token») или в переменной окружения OTKLIK_YOUTUBE_OAUTH_TOKEN"
)
# The daily quota is renewed at midnight Pacific time: asking before that only wastes requests.
QUOTA_TZ = ZoneInfo("America/Los_Angeles")


def quota_reset(now: datetime) -> datetime:
    """The next midnight in Pacific time after ``now``, in UTC."""
    local = now.astimezone(QUOTA_TZ)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=QUOTA_TZ)
    return midnight.astimezone(UTC)


# comments.insert: the parent comment no longer exists (404 with one of these reasons)
PARENT_GONE = frozenset({"commentNotFound", "parentCommentNotFound", "notFound"})
OBJECT_REASONS = {"commentsDisabled", "videoNotFound", "forbidden"}
# Replies in older threads: how many days back threads are listed again (source setting ``reply_days``); each
# 100 threads listed cost a unit of the daily quota.
REPLY_DAYS = 7
# The window is listed again at most this often (source setting ``recheck_minutes``, as for VK): on every pass of
# `otklik ingest --loop 60` a busy video's window would use up the whole daily quota.
RECHECK_MINUTES = 60


class YouTubeClient:
    def __init__(
        self, api_key: str, oauth_token: str = "", *, api_base: str = API_BASE, timeout: float = 30.0
    ) -> None:
        self.api_key = api_key
        self.oauth_token = oauth_token
        self.api_base = api_base.rstrip("/")
        self.http = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, resource: str, params: dict[str, Any], body: Any = None) -> Any:
        params = {k: v for k, v in params.items() if v is not None}
        headers = {}
        if self.oauth_token:
            headers["Authorization"] = f"Bearer {self.oauth_token}"
        else:
            params["key"] = self.api_key
        try:
            response = self.http.request(
                method, f"{self.api_base}/{resource}", params=params, json=body, headers=headers
            )
        except httpx.HTTPError as exc:
            raise ConnectorError(
                f"YouTube {resource}: {type(exc).__name__}", retry_after=5.0, maybe_done=maybe_done(exc)
            ) from exc
        try:
            data = response.json()
        except ValueError as exc:
            raise ConnectorError(
                f"YouTube {resource}: HTTP {response.status_code}, not JSON",
                retry_after=5.0,
                maybe_done=response.status_code >= 500 or response.status_code == 200,
            ) from exc
        if response.status_code == 200:
            return data
        error = as_dict(as_dict(data).get("error"))
        reasons = [e.get("reason", "") for e in error.get("errors") or [] if isinstance(e, dict)]
        reason = reasons[0] if reasons else ""
        text = f"YouTube {resource}: HTTP {response.status_code} {reason}: {error.get('message', '')}"
        if reason in TRANSIENT_REASONS:
            # A quota or rate refusal did nothing; a backend error (HTTP 5xx) may have done the request.
            raise ConnectorError(
                text,
                retry_after=TRANSIENT_REASONS[reason],
                code=reason,
                maybe_done=response.status_code >= 500,
                people=PEOPLE.get(reason, ""),
            )
        if response.status_code >= 500:
            raise ConnectorError(text, retry_after=5.0, code=reason or response.status_code, maybe_done=True)
        people = PEOPLE.get(reason) or PEOPLE.get(str(response.status_code), "")
        raise ConnectorError(text, permanent=True, code=reason or response.status_code, people=people)


def parse_comment(comment: Any, video_id: str, parent: str = "") -> ParsedMessage:
    comment_id = need(comment, "id", str)
    snippet = need(comment, "snippet", dict)
    # ``textOriginal`` is given only to the comment's author; everybody gets ``textDisplay``, asked for as HTML
    # (the default ``textFormat``): as plain text a citizen's "<" would be taken for markup and words lost.
    original = snippet.get("textOriginal")
    display = snippet.get("textDisplay")
    if original is None and display is None:
        raise ParseError("comment without text")
    text = str(display) if display is not None else html.escape(str(original), quote=False)
    channel = snippet.get("authorChannelId") if isinstance(snippet.get("authorChannelId"), dict) else {}
    return ParsedMessage(
        network=NETWORK,
        external_id=comment_id,
        url=f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}",
        author_id=str(channel.get("value", "")),
        author_name=str(snippet.get("authorDisplayName", "")),
        author_url=str(snippet.get("authorChannelUrl", "")),
        text_raw=text,
        is_html=True,
        published_at=parse_iso(need(snippet, "publishedAt")),
        post_external_id=video_id,
        reply_to_external_id=parent or str(snippet.get("parentId", "")),
        metrics={"likes": snippet.get("likeCount", 0)},
        raw=comment,
    )


def _recheck_due(rechecked: str, now: datetime, recheck: timedelta) -> bool:
    """Whether the window is to be listed again: never listed, ``recheck`` ago or more, or a time that cannot be
    read or is in the future (a clock set back)."""
    try:
        at = parse_iso(rechecked)
    except ParseError:
        return True
    return not timedelta(0) <= now - at < recheck


class YouTubeConnector:
    network = NETWORK

    def __init__(self, source: Source, client: YouTubeClient | None = None) -> None:
        self.source = source
        self.client = client or YouTubeClient(
            str(source_setting(source, "api_key", "")),
            str(source_setting(source, "oauth_token", "")),
            api_base=str(source_setting(source, "api_base", API_BASE)),
        )

    def close(self) -> None:
        """Close the HTTP connections kept open for the next request (`run_source` and `publish_reply` do, after use)."""
        self.client.close()

    def fetch(self, cursor: dict[str, Any]) -> Iterator[Page]:
        videos = dict(cursor.get("videos") or {})
        now = datetime.now(UTC)
        paused = str(cursor.get("quota_until") or "")
        if paused:
            until = parse_iso(paused)
            if now < until:
                raise ConnectorError(
                    f"YouTube: the daily quota is used up, reading resumes at {paused}",
                    retry_after=(until - now).total_seconds(),
                    code="quotaExceeded",
                )
        try:
            yield from self._fetch(videos)
        except ConnectorError as exc:
            if exc.code != "quotaExceeded":
                raise
            # Remember the pause with the cursor, so that no pass asks YouTube again before the quota is back.
            resumes = quota_reset(now).strftime("%Y-%m-%dT%H:%M:%SZ")
            yield Page([], {"videos": {k: dict(v) for k, v in videos.items()}, "quota_until": resumes})
            raise ConnectorError(
                f"{exc.message}; reading resumes at {resumes}",
                retry_after=(quota_reset(now) - now).total_seconds(),
                code="quotaExceeded",
            ) from exc

    def _fetch(self, videos: dict[str, Any]) -> Iterator[Page]:
        """New threads of each video, newest first, down to the newest one read before (``since``). A reply can
        also land in an older thread (an author answering the body's reply or clarification request), which
        keeps its place in the list: at most every ``recheck_minutes`` the threads of the last ``reply_days`` are
        listed again (the start of the last such read is kept in the cursor, ``rechecked``), and those whose
        reply count changed since they were read are read again (the counts of the window's threads are kept in
        the cursor, ``replies``). The passes between stop at the newest thread read before."""
        now = datetime.now(UTC)
        window = timedelta(days=float(source_setting(self.source, "reply_days", REPLY_DAYS)))
        recheck = timedelta(minutes=float(source_setting(self.source, "recheck_minutes", RECHECK_MINUTES)))
        cutoff = (now - window).strftime("%Y-%m-%dT%H:%M:%SZ")
        for video in [str(v) for v in source_setting(self.source, "videos", [])]:
            state = dict(videos.get(video) or {})
            since = str(state.get("since", ""))
            newest = state.get("newest", since)
            token = state.get("page")
            known = {str(k): int(v) for k, v in dict(state.get("replies") or {}).items()}
            listed = {
                str(k): int(v) for k, v in dict(state.get("listed") or {}).items()
            }  # this read's, so far
            rechecked = str(state.get("rechecked") or "")
            # A read carried on from an earlier pass (``page``) keeps its kind: ``rechecking`` is when a window
            # re-list began.
            rechecking = str(state.get("rechecking") or "")
            if not token:
                due = not since or _recheck_due(rechecked, now, recheck)
                rechecking = now.strftime("%Y-%m-%dT%H:%M:%SZ") if due else ""
            while True:
                try:
                    resp = self.client.request(
                        "GET",
                        "commentThreads",
                        {
                            "part": "snippet,replies",
                            "videoId": video,
                            "maxResults": 100,
                            "order": "time",
                            "pageToken": token,
                            "textFormat": "html",
                        },
                    )
                except ConnectorError as exc:
                    if exc.code in OBJECT_REASONS:
                        break
                    raise
                items = [i for i in resp.get("items") or [] if isinstance(i, dict)]
                payloads: list[Payload] = []
                reached_end = False
                for item in items:
                    top = ((item.get("snippet") or {}).get("topLevelComment") or {}).get("snippet") or {}
                    stamp = str(top.get("updatedAt") or top.get("publishedAt") or "")
                    published = str(top.get("publishedAt") or stamp)
                    thread = str(item.get("id"))
                    total = int((item.get("snippet") or {}).get("totalReplyCount") or 0)
                    in_window = not published or published >= cutoff
                    if since and stamp and stamp < since:
                        # Older than the newest read before; threads come newest first. On a window re-list a
                        # thread is read again when its reply count changed or it was never read (a comment the
                        # channel held for review shows up, once approved, at its own time below newer ones), and
                        # the first one older than the window ends the read; on the other passes the first one
                        # older than the newest read before ends it.
                        if not rechecking or not in_window:
                            reached_end = True
                            break
                        listed[thread] = total
                        if thread in known and total == known[thread]:
                            continue
                    else:
                        newest = max(str(newest or ""), stamp)
                    if in_window:
                        listed[thread] = total
                    payloads.append(Payload("thread", item))
                    if total > len((item.get("replies") or {}).get("comments") or []):
                        payloads.extend(self._replies(thread, video))
                token = resp.get("nextPageToken")
                done = reached_end or not token
                if done:
                    state = {"since": newest}
                    # A re-list saw every thread of the window; a short read only the new ones.
                    replies = listed if rechecking else {**known, **listed}
                    if replies:
                        state["replies"] = replies
                        # With no thread in the window a re-list costs what a short read does: no time kept.
                        if rechecking or rechecked:
                            state["rechecked"] = rechecking or rechecked
                else:
                    state = {"since": since, "newest": newest, "page": token}
                    state.update(
                        {
                            k: v
                            for k, v in (
                                ("replies", known),
                                ("listed", listed),
                                ("rechecked", rechecked),
                                ("rechecking", rechecking),
                            )
                            if v
                        }
                    )
                videos[video] = state
                yield Page(payloads, {"videos": {k: dict(v) for k, v in videos.items()}})
                if done:
                    break

    def _replies(self, parent: str, video: str) -> list[Payload]:
        payloads: list[Payload] = []
        token = None
        while True:
            resp = self.client.request(
                "GET",
                "comments",
                {
                    "part": "snippet",
                    "parentId": parent,
                    "maxResults": 100,
                    "pageToken": token,
                    "textFormat": "html",
                },
            )
            payloads.extend(
                Payload("reply", {"videoId": video, "parentId": parent, "comment": c})
                for c in resp.get("items") or []
            )
            token = resp.get("nextPageToken")
            if not token:
                return payloads

    def parse(self, payload: Payload) -> list[Parsed]:
        data = payload.data
        if payload.kind == "reply":
            video = str(need(data, "videoId"))
            return [parse_comment(need(data, "comment", dict), video, str(need(data, "parentId")))]
        if payload.kind != "thread":
            raise ParseError(f"unknown YouTube payload kind {payload.kind!r}")
        snippet = need(data, "snippet", dict)
        video = str(need(snippet, "videoId"))
        top = parse_comment(need(snippet, "topLevelComment", dict), video)
        result: list[Parsed] = [
            ParsedPost(NETWORK, video, url=f"https://www.youtube.com/watch?v={video}"),
            top,
        ]
        for reply in (data.get("replies") or {}).get("comments") or []:
            result.append(parse_comment(reply, video, top.external_id))
        return result

    def publish_reply(self, message: Message, text: str, idempotency_key: str) -> PublishResult:
        """``comments.insert`` with ``snippet.parentId`` = the thread's top-level comment (R-8.7)."""
        if not self.client.oauth_token:
            raise ConnectorError(
                "YouTube replies need an OAuth token of the channel (source config 'oauth_token' or "
                "OTKLIK_YOUTUBE_OAUTH_TOKEN); the API key only reads",
                permanent=True,
                people=MISSING_OAUTH,
            )
        parent = message.external_id.split(".", 1)[0]
        try:
            resp = self.client.request(
                "POST",
                "comments",
                {"part": "snippet"},
                {"snippet": {"parentId": parent, "textOriginal": text}},
            )
        except ConnectorError as exc:
            # The comment to answer is gone (its author or the channel deleted it): the refusal
            # ``integrations.publish`` documents, so the outbox marks it and tells the executor, never retries.
            if exc.code in PARENT_GONE:
                raise ConnectorError(
                    f"YouTube comment {message.external_id} is deleted in the network ({exc.message})",
                    permanent=True,
                    code="deleted",
                ) from exc
            raise
        new_id = resp.get("id") if isinstance(resp, dict) else None
        if not isinstance(new_id, str):
            raise ConnectorError("YouTube comments.insert returned no id", permanent=True, maybe_done=True)
        video = message.post.external_id if message.post else ""
        return PublishResult(url=f"https://www.youtube.com/watch?v={video}&lc={new_id}", external_id=new_id)
