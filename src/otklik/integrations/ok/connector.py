"""OK connector: comments of group topics (``discussions.getComments`` with ``anchor``).

OK has no public method to post a comment as a group: answers are published by hand and confirmed with a link.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from otklik.integrations.base import (
    ConnectorError,
    Page,
    Parsed,
    ParsedMessage,
    ParsedPost,
    ParseError,
    Payload,
    PublishResult,
    need,
    source_setting,
)

from .client import API_BASE, OKClient

if TYPE_CHECKING:
    from otklik.intake.models import Message, Source

NETWORK = "ok"
MSK = ZoneInfo("Europe/Moscow")
OBJECT_LEVEL = {10, 106}


def parse_ok_date(value: Any) -> datetime:
    """OK gives "YYYY-MM-DD HH:MM:SS" in Moscow time, or milliseconds since the epoch."""
    if isinstance(value, int):
        return datetime.fromtimestamp(value / 1000, tz=MSK)
    if isinstance(value, str):
        try:
            return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=MSK)
        except ValueError:
            pass
    raise ParseError(f"invalid OK date {value!r}")


class OKConnector:
    network = NETWORK

    def __init__(self, source: Source, client: OKClient | None = None) -> None:
        self.source = source
        self.group_id = str(source_setting(source, "group_id", source.external_id))
        self.client = client or OKClient(
            str(source_setting(source, "application_key", "")),
            str(source_setting(source, "secret_key", "")),
            str(source_setting(source, "token", "")),
            api_base=str(source_setting(source, "api_base", API_BASE)),
            per_second=float(source_setting(source, "per_second", 5.0)),
        )

    def close(self) -> None:
        """Close the HTTP connections kept open for the next request (`run_source` and `publish_reply` do, after use)."""
        self.client.close()

    def fetch(self, cursor: dict[str, Any]) -> Iterator[Page]:
        anchors = dict(cursor.get("topics") or {})
        stuck: list[str] = []  # topics OK said had more comments without telling where they go on
        refused: list[tuple[str, ConnectorError]] = []  # topics OK would not let us read (rights, a wrong id)
        for topic in [str(t) for t in source_setting(self.source, "topics", [])]:
            read = 0
            while True:
                try:
                    resp = self.client.call(
                        "discussions.getComments",
                        discussionId=topic,
                        discussionType="GROUP_TOPIC",
                        count=100,
                        anchor=anchors.get(topic),
                        direction="FORWARD",
                    )
                except ConnectorError as exc:
                    if exc.code in OBJECT_LEVEL:
                        refused.append((topic, exc))
                        break  # this topic is closed to us; the others are read, then the refusal is told
                    raise
                comments = resp.get("comments") or [] if isinstance(resp, dict) else []
                asked = anchors.get(topic)
                if resp.get("anchor"):
                    anchors[topic] = resp["anchor"]
                payloads = [
                    Payload("comment", {"topic": topic, "group_id": self.group_id, "comment": c})
                    for c in comments
                ]
                read += len(comments)
                yield Page(payloads, {"topics": dict(anchors)})
                if not (resp.get("has_more") and comments):
                    break
                if anchors.get(topic) == asked:
                    # `has_more` without a new `anchor` (a partial answer): asking again would bring the same page
                    # for ever. What was read is kept; the next read asks from the same place.
                    stuck.append(f"{topic} (after {read} comments, anchor {asked!r})")
                    break
        if refused:
            # a discussion the administrator named is not read at all: the source must not look quiet
            raise ConnectorError(
                "OK discussions.getComments refused topic(s) "
                + ", ".join(f"{topic} ({exc.message})" for topic, exc in refused),
                people="Одноклассники не дают читать обсуждения "
                + ", ".join(f"{topic} ({exc.for_people})" for topic, exc in refused)
                + ": проверьте права токена и id обсуждений в настройках источника; остальные обсуждения прочитаны",
            )
        if stuck:
            raise ConnectorError(
                "OK discussions.getComments answered has_more without a new anchor for topic(s) "
                + ", ".join(stuck),
                people="Одноклассники не сообщили, с какого места читать обсуждение дальше: прочитанные "
                "комментарии сохранены, остальные будут запрошены при следующем чтении",
            )

    def parse(self, payload: Payload) -> list[Parsed]:
        data = payload.data
        if payload.kind != "comment":
            raise ParseError(f"unknown OK payload kind {payload.kind!r}")
        topic = str(need(data, "topic"))
        group = str(data.get("group_id", ""))
        comment = need(data, "comment", dict)
        comment_id = str(need(comment, "id"))
        if "text" not in comment:
            raise ParseError("missing field 'text'")
        post = ParsedPost(NETWORK, f"topic:{topic}", url=f"https://ok.ru/group/{group}/topic/{topic}")
        reply_to = comment.get("reply_to_comment_id")
        author_id = str(comment.get("author_id", ""))
        return [
            post,
            ParsedMessage(
                network=NETWORK,
                external_id=f"{topic}:{comment_id}",
                url=f"https://ok.ru/group/{group}/topic/{topic}",
                author_id=author_id,
                author_name=str(comment.get("author_name", "")),
                author_url=f"https://ok.ru/profile/{author_id}" if author_id else "",
                text_raw=str(comment.get("text") or ""),
                published_at=parse_ok_date(need(comment, "date")),
                post_external_id=post.external_id,
                reply_to_external_id=f"{topic}:{reply_to}" if reply_to else "",
                metrics={"likes": comment.get("like_count", 0)},
                raw=comment,
            ),
        ]

    def publish_reply(self, message: Message, text: str, idempotency_key: str) -> PublishResult:
        raise ConnectorError(
            "OK has no public API for posting comments: publish by hand", permanent=True, code="manual"
        )
