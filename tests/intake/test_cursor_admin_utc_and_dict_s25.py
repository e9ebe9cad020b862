"""Found by a review (session 25), fixed since. The admin's page of a source's read cursor («Курсоры источников») shows Python values: the time the source was
last read in UTC as Python prints it («Обновлено: 2025-10-08 08:40:00+00:00» for 11:40 Moscow time), and
«None» on the add page; the cursor is named by its raw position dict everywhere (the page title, the breadcrumbs,
the list's checkbox label: «ВКонтакте: Стена здравоохранения: {'posts': {'5': 1759912800.0}, 'threads': {}}»).

An administrator opens the cursor to see whether and when a source was last read and its last error (R-4: the
sources are read continuously): the time is three hours off and in a form nobody reads. Every other admin date is
shown in Moscow time («8 октября 2025 г. 11:40»).

Cause: src/otklik/intake/admin.py `CursorAdmin.updated` — a read-only callable returning the bare datetime,
which Django's admin renders with `linebreaksbr(str(value))`, not `display_for_value` (no localtime, no format);
and src/otklik/intake/models.py `Cursor.__str__`, which prints `self.position` (a dict)."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.intake.models import Cursor, Source
from tests.conftest import Personas, msk
from tests.web.test_russian_everywhere import visible_text

pytestmark = pytest.mark.django_db


def _admin(p: Personas) -> Client:
    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    client = Client()
    client.force_login(p.admin)
    return client


def _read_cursor() -> Cursor:
    source = Source.objects.create(network="vk", title="Стена здравоохранения", external_id="200000001")
    # as the VK connector leaves it after reading the wall (`integrations.vk.connector._wall`)
    cursor = Cursor.objects.create(source=source, position={"posts": {"5": 1759912800.0}, "threads": {}})
    Cursor.objects.filter(pk=cursor.pk).update(
        updated_at=msk(2025, 10, 8, 11, 40)
    )  # auto_now: set as read then
    return cursor


def _after(parts: list[str], label: str) -> str:
    return parts[parts.index(label) + 1]


def test_last_read_time_is_moscow_time(personas: Personas) -> None:
    cursor = _read_cursor()
    parts = visible_text(_admin(personas).get(f"/admin/intake/cursor/{cursor.pk}/change/").content.decode())
    shown = _after(parts, "Обновлено:")
    assert "+00:00" not in shown and "2025-10-08" not in shown, shown
    assert "11:40" in shown, shown


def test_add_page_shows_no_python_none(personas: Personas) -> None:
    parts = visible_text(_admin(personas).get("/admin/intake/cursor/add/").content.decode())
    assert _after(parts, "Обновлено:") != "None"


def test_cursor_is_not_named_by_its_raw_position(personas: Personas) -> None:
    cursor = _read_cursor()
    text = " ".join(
        visible_text(_admin(personas).get(f"/admin/intake/cursor/{cursor.pk}/change/").content.decode())
    )
    assert "{'posts'" not in text and "'threads'" not in text, text[:400]
