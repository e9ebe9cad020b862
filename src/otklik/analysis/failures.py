"""A message whose analysis failed (R-8.1, R-10): marked for the curator, and analysed again later.

Should an analyser fail on a message (a bug met by one text, a database error), `pipeline.annotate_message` does
not leave it unanalysed in silence, nor lets the failure undo its moderation: `pipeline.record_failure` stores the
moderation verdict on its own with a ``Suggestion(kind="analysis")``, the mark of the failed analysis (its value:
``moderated``, ``attempt``, ``retry_at``). The curator's inbox shows «анализ не выполнен: …» where it said «нет
подсказок» (`templatetags/analysis_tags.analysis_failed`). The message is analysed again after 10 minutes, an
hour and six hours (`RETRY_AFTER`): an analysis that succeeds stores a newer moderation suggestion, which
supersedes the mark (`current_mark`); after the last attempt the mark stays and says so. The precise error is in
the log (logger ``otklik.analysis.pipeline``).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from .models import Kind, Suggestion

log = logging.getLogger(__name__)

RETRY_AFTER = (timedelta(minutes=10), timedelta(hours=1), timedelta(hours=6))


def attempts_so_far(message: Any) -> int:
    """How many analyses of the message have failed in a row (0 when the last one succeeded)."""
    mark = (
        Suggestion.objects.filter(message=message, kind=Kind.ANALYSIS).order_by("-created_at", "-id").first()
    )
    if mark is None:
        return 0
    moderation = (
        Suggestion.objects.filter(message=message, kind=Kind.MODERATION, created_at__gt=mark.created_at)
        .order_by()
        .exists()
    )
    return 0 if moderation else int((mark.value or {}).get("attempt") or 0)


def mark_value(attempt: int, *, moderated: bool, now: datetime | None = None) -> dict[str, Any]:
    """The value of the mark of the ``attempt``-th failed analysis in a row: when the next one is due, if any."""
    now = now or timezone.now()
    due = now + RETRY_AFTER[attempt - 1] if attempt <= len(RETRY_AFTER) else None
    return {"moderated": moderated, "attempt": attempt, "retry_at": due.isoformat() if due else None}


def retry_at(mark: Suggestion) -> datetime | None:
    due = (mark.value or {}).get("retry_at")
    return datetime.fromisoformat(due) if isinstance(due, str) else None


def current_mark(found: dict[str, Any]) -> dict[str, Any] | None:
    """The value of the message's mark of a failed analysis, from `pipeline.suggestions_for_many`'s dict for it,
    while no later analysis has superseded it (an analysis stores its moderation suggestion first, the mark after
    it: a moderation suggestion newer than the mark is a later analysis's)."""
    mark = found.get(Kind.ANALYSIS)
    if not mark or not isinstance(mark.get("value"), dict):
        return None
    moderation = found.get(Kind.MODERATION) or {}
    if (
        moderation.get("created_at")
        and mark.get("created_at")
        and moderation["created_at"] > mark["created_at"]
    ):
        return None
    value: dict[str, Any] = mark["value"]
    return value


def failure_text(value: dict[str, Any]) -> str:
    """What the curator reads of a mark (in Russian)."""
    if value.get("moderated"):
        what = "модерация выполнена, других подсказок нет"
    else:
        what = "не выполнена даже модерация — проверьте текст сами"
    due = value.get("retry_at")
    if isinstance(due, str):
        at = timezone.localtime(datetime.fromisoformat(due))
        when = f"{at:%H:%M}" if at.date() == timezone.localdate() else f"{at:%d.%m.%Y %H:%M}"
        then = f"повторная попытка в {when}"
    else:
        then = f"попытки исчерпаны ({value.get('attempt')}), разберите сообщение сами"
    return f"анализ не выполнен: {what} (ошибка анализа, подробности в журнале); {then}"


def schedule_retries(marks: list[Suggestion], unmarked: list[int], attempt: int) -> None:
    """Queue the next analysis of a page's failed messages (one task per attempt, after the latest of its marks'
    ``retry_at``). ``unmarked``: messages whose failure could not even be recorded (the database refused): they
    are queued again with ``attempt`` + 1, up to the number of `RETRY_AFTER`; then the page's task fails (its
    error names them)."""
    from .tasks import annotate_messages_task, compress_ids

    due: dict[int, tuple[datetime, list[int]]] = {}
    for mark in marks:
        at = retry_at(mark)
        if at is None:
            continue
        n = int((mark.value or {}).get("attempt") or 0)
        latest, ids = due.get(n, (at, []))
        due[n] = (max(latest, at), [*ids, mark.message_id])
    for at, ids in due.values():
        annotate_messages_task.using(run_after=at).enqueue(compress_ids(ids))
    if not unmarked:
        return
    if attempt >= len(RETRY_AFTER):
        raise RuntimeError(
            f"messages {unmarked}: analysis failed and could not be recorded {attempt + 1} times"
        )
    annotate_messages_task.using(run_after=timezone.now() + RETRY_AFTER[attempt]).enqueue(
        compress_ids(unmarked), attempt + 1
    )
