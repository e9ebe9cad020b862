"""The curator's inbox query: messages not yet in a case, and the floor below which there are none."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Min, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone

from otklik.analysis.pipeline import blocked_sql
from otklik.intake.models import Message, Post

from .models import CaseMessage, InboxFloor

RECHECK = timedelta(seconds=60)  # move the floor up at most this often
FULL = timedelta(days=1)  # and recompute it from the beginning this often
MARGIN = timedelta(minutes=10)  # messages still in an open transaction when the floor moves


def unrouted_sql() -> str:
    """ "Not yet in a case", as a correlated NOT EXISTS. On PostgreSQL `OFFSET 0` keeps the sub-select as it is
    (not pulled up into an anti-join): the inbox then walks `received_at` newest first, probes the unique
    index of case links row by row and stops after one page. As a join (`case_link__isnull=True`) the planner,
    estimating almost no unrouted messages among a million, hashes both tables on every request."""
    keep = " OFFSET 0" if connection.vendor == "postgresql" else ""
    true = "true" if connection.vendor == "postgresql" else "1"
    message = Message._meta.db_table
    # Comments under the Governor's posts go to the bodies directly, without the curator; what the
    # government wrote itself (published answers, official accounts) is no one's work.
    false = "false" if connection.vendor == "postgresql" else "0"
    return (  # table names from the models, no input
        f'"{message}"."is_official" = {false}'  # noqa: S608
        f' AND NOT EXISTS (SELECT 1 FROM "{CaseMessage._meta.db_table}" U0'
        f' WHERE U0."message_id" = "{message}"."id"{keep})'
        f' AND NOT EXISTS (SELECT 1 FROM "{Post._meta.db_table}" P0'
        f' WHERE P0."id" = "{message}"."post_id" AND P0."is_governor" = {true})'
    )


def _boolean(sql: str) -> ExpressionWrapper[Any]:
    return ExpressionWrapper(RawSQL(sql, ()), output_field=BooleanField())  # noqa: S611 (no input)


def unrouted() -> ExpressionWrapper[Any]:
    return _boolean(unrouted_sql())


def inbox_filter(excluded: bool) -> ExpressionWrapper[Any]:
    """Unrouted and (not) blocked by moderation (R-10), tested in this order: a CASE, because PostgreSQL
    would otherwise run the cheaper-looking moderation look-ups first, on every routed message it walks."""
    false = "false" if connection.vendor == "postgresql" else "0"
    return _boolean(f"CASE WHEN {unrouted_sql()} THEN {blocked_sql(excluded)} ELSE {false} END")


def _oldest_unrouted(after: datetime | None) -> datetime | None:
    qs = Message.objects.filter(unrouted())
    if after is not None:
        qs = qs.filter(received_at__gte=after)
    return qs.order_by("received_at").values_list("received_at", flat=True).first()


def lower_floor(received_at: datetime | None) -> None:
    """A message received at ``received_at`` may be out of a case again (its case deleted; «от органа» or the
    post's «пост Губернатора» unticked by an administrator, or that post deleted): the floor goes down to it at
    once, not at the next daily recount. Lowering is always safe (the floor is only a lower bound); it moves up
    again from there."""
    if received_at is not None:
        InboxFloor.objects.filter(pk=1, received_at__gt=received_at).update(received_at=received_at)


def _message_saved(sender: type[Message], instance: Message, created: bool, **kwargs: Any) -> None:
    if not created and not kwargs.get("raw"):
        lower_floor(instance.received_at)


def _comments_of(post: Post) -> datetime | None:
    """When the post's first comment was received (the floor goes down to it)."""
    oldest: datetime | None = Message.objects.filter(post=post).aggregate(m=Min("received_at"))["m"]
    return oldest


def _post_saved(sender: type[Post], instance: Post, created: bool, **kwargs: Any) -> None:
    if not created and not kwargs.get("raw") and not instance.is_governor:
        lower_floor(_comments_of(instance))


def _post_deleting(sender: type[Post], instance: Post, **kwargs: Any) -> None:
    # its comments lose their post (SET_NULL, no signal): a Governor's post's were out of the inbox until now
    if instance.is_governor:
        lower_floor(_comments_of(instance))


def _link_deleted(sender: type[CaseMessage], instance: CaseMessage, **kwargs: Any) -> None:
    lower_floor(Message.objects.filter(pk=instance.message_id).values_list("received_at", flat=True).first())


def connect_floor_signals() -> None:
    """Saves one at a time (the admin's change forms, a case deleted) lower the floor (`lower_floor`); the
    intake's bulk upserts send no signals and only add new messages, above it."""
    post_save.connect(_message_saved, sender=Message, dispatch_uid="cases.inbox.message_saved")
    post_save.connect(_post_saved, sender=Post, dispatch_uid="cases.inbox.post_saved")
    pre_delete.connect(_post_deleting, sender=Post, dispatch_uid="cases.inbox.post_deleting")
    post_delete.connect(_link_deleted, sender=CaseMessage, dispatch_uid="cases.inbox.link_deleted")


def floor(now: datetime | None = None) -> datetime | None:
    """Every message received before the returned time is in a case (None: no bound known)."""
    now = now or timezone.now()
    row = InboxFloor.objects.filter(pk=1).first()
    if row is not None and now - row.checked_at < RECHECK and row.checked_at <= now:
        return row.received_at
    full = row is None or now - row.full_at >= FULL or row.full_at > now
    start = None if full or row is None else row.received_at
    oldest = _oldest_unrouted(start)
    value = min(oldest, now - MARGIN) if oldest is not None else now - MARGIN
    if start is not None and value < start:
        value = start
    with transaction.atomic():
        current = InboxFloor.objects.select_for_update().filter(pk=1).first()
        lowered = current.received_at if current is not None else None
        if (
            lowered is not None
            and row is not None
            and row.received_at is not None
            and lowered < row.received_at
        ):
            value = min(value, lowered)  # lowered meanwhile (`lower_floor`): that stands
        InboxFloor.objects.update_or_create(
            pk=1,
            defaults={"received_at": value, "checked_at": now, **({"full_at": now} if full else {})},
            create_defaults={"received_at": value, "checked_at": now, "full_at": now},
        )
    return value


def unrouted_messages(*, excluded: bool = False) -> QuerySet[Message]:
    """The inbox: messages not in a case, above the floor; blocked ones (R-10) only when `excluded`."""
    qs = Message.objects.filter(inbox_filter(excluded))
    bound = floor()
    return qs.filter(received_at__gte=bound) if bound is not None else qs
