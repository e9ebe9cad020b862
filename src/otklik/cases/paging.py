"""Pagination without a total count, for lists that grow to millions of rows.

Django's `Paginator` runs `SELECT COUNT(*)` over the whole filtered set on every page; with a million cases (or
every unrouted message) that count is the slowest query of the page. `page_of` fetches one row more than the
page size instead: if it comes back there is a next page. Deep pages use OFFSET over an index that matches the
ordering, so the database walks the index and never sorts or counts the table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest

T = TypeVar("T")

PAGE_SIZE = 50
MAX_PAGE = 10_000  # 500,000 rows deep; beyond that, narrow the list with the filters


@dataclass
class QuickPage(Generic[T]):
    object_list: Sequence[T]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    def __iter__(self) -> Iterator[T]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def page_number(raw: str | None) -> int:
    if raw and raw.isascii() and raw.isdigit():  # «²».isdigit() is true, but int() refuses it
        return max(1, min(int(raw), MAX_PAGE))
    return 1


def page_of(
    request: HttpRequest, qs: QuerySet[Any], size: int = PAGE_SIZE, *, ids_first: bool = False
) -> QuickPage[Any]:
    """The requested page of an ordered queryset: `size` rows plus one to learn whether a next page exists.

    `ids_first`: find the page's primary keys with the bare query (the database walks the ordering index,
    touching nothing else), then load those rows with their joins. Without it PostgreSQL, seeing thousands
    of rows to skip on a deep page, may join whole tables by hash before it sorts and skips."""
    number = page_number(request.GET.get("page"))

    def fetch(start: int) -> list[Any]:
        window = qs[start : start + size + 1]
        if not ids_first:
            return list(window)
        ids = list(window.values_list("pk", flat=True))
        by_pk = {row.pk: row for row in qs.filter(pk__in=ids[:size]).order_by()} if ids else {}
        return [by_pk[pk] for pk in ids[:size] if pk in by_pk] + ids[size:]

    rows = fetch((number - 1) * size)
    if not rows and number > 1:
        # past the end (a stale link): show the first page rather than an empty one
        number, rows = 1, fetch(0)
    return QuickPage(rows[:size], number, len(rows) > size)
