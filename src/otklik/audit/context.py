"""Who is acting now: set per request by the middleware, or explicitly by commands and tasks."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

_actor: ContextVar[Any | None] = ContextVar("audit_actor", default=None)
_reason: ContextVar[str] = ContextVar("audit_reason", default="")


def current_actor() -> Any | None:
    return _actor.get()


def current_reason() -> str:
    return _reason.get()


@contextlib.contextmanager
def acting_as(actor: Any | None, reason: str = "") -> Iterator[None]:
    """Attribute the changes made inside the block to `actor` (None = the system)."""
    token_actor = _actor.set(actor)
    token_reason = _reason.set(reason)
    try:
        yield
    finally:
        _actor.reset(token_actor)
        _reason.reset(token_reason)
