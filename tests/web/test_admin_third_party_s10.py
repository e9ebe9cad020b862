"""The administrator's pages of the background tasks (django-tasks-db) and of the lockout after failed logins
(django-axes) in Russian: their lists, filters, states and cards were English inside («Task Results», «Enqueued
at», «Ready», «Locked Out», «3 Attempt Remaining») though the admin's index named both sections in Russian."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_tasks_db.models import DBTaskResult

import otklik
from otklik.queueing import prune_task_results
from tests.conftest import Personas
from tests.web.test_russian_everywhere import visible_text
from tests.web.test_search import admin_client

pytestmark = pytest.mark.django_db

# What the pages showed before (the packages' own English), compared without regard to case.
ENGLISH = [
    "Task Result",
    "Enqueued at",
    "Started at",
    "Finished at",
    "Priority",
    "Queue name",
    "Task name",
    "Status",
    "Ready",
    "Run after",
    "Traceback",
    "Return value",
    "Args kwargs",
    "Worker id",
    "Backend name",
    "Exception class path",
    "Task path",
    "Locked Out",
    "Attempt Remaining",
    "User Agent",
    "HTTP Accept",
    "Expiration",
    "Not set",
    "Clean up expired attempts",
    "Attempted Access",
    "DBTaskResult",
]


def shown(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return " ".join(visible_text(response.content.decode()))


def english(text: str) -> list[str]:
    return [w for w in ENGLISH if re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE)]


def test_the_background_tasks_pages_speak_russian(personas: Personas) -> None:
    """A task waiting in the queue (the daily pruning, enqueued as the clock enqueues it): the list names the
    section, the columns and the state in Russian; so does the task's card and the list's filter."""
    result = prune_task_results.enqueue()
    row = DBTaskResult.objects.get(id=result.id)
    client = admin_client(personas.admin)

    listing = shown(client, "/admin/django_tasks_database/dbtaskresult/")
    assert english(listing) == [], listing
    assert "Фоновые задачи" in listing and "в очереди" in listing, listing
    for column in ("Задача", "Состояние", "Поставлена в очередь", "Приоритет", "Очередь"):
        assert column in listing, (column, listing)
    assert "prune_task_results" in listing  # which task it is stays readable

    card = shown(client, f"/admin/django_tasks_database/dbtaskresult/{row.pk}/change/")
    assert english(card) == [], card
    assert "DBTaskResult object" not in card and "Задача prune_task_results, поставлена" in card, card
    assert "Трассировка ошибки" in card and "Не раньше" in card and "Аргументы" in card, card


def test_the_lockout_pages_speak_russian(personas: Personas) -> None:
    """Two failed sign-ins of alice: the attempts list shows «осталось попыток: 3» (of 5) under «Состояние» and
    filters by «Заблокирован»; the card and the logs of failures speak Russian too."""
    for _ in range(2):
        assert Client().post("/login/", {"username": "alice", "password": "не тот"}).status_code == 200
    attempt = AccessAttempt.objects.get(username="alice")
    assert attempt.failures_since_start == 2
    client = admin_client(personas.admin)

    listing = shown(client, "/admin/axes/accessattempt/")
    assert english(listing) == [], listing
    assert "осталось попыток: 3" in listing and "Состояние" in listing and "Заблокирован" in listing, listing

    card = shown(client, f"/admin/axes/accessattempt/{attempt.pk}/change/")
    assert english(card) == [], card
    assert "Attempted Access" not in card and "Попытка входа «alice»," in card, card
    for url in ("/admin/axes/accessfailurelog/", "/admin/axes/accesslog/"):
        text = shown(client, url)
        assert english(text) == [], (url, text)


def test_the_compiled_texts_match_their_source() -> None:
    """The .mo Django reads holds every text of the .po beside it, translated the same (`make messages` was run
    after the last edit): a stale .mo would leave an edited or added text in English."""
    folder = Path(otklik.__file__).parent / "locale" / "ru" / "LC_MESSAGES"
    source = (folder / "django.po").read_text(encoding="utf-8")
    entries = re.findall(r'(?:msgctxt "([^"]*)"\n)?msgid "([^"]+)"\nmsgstr "([^"]*)"', source)
    assert len(entries) >= 30, entries
    with (folder / "django.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for context, text, russian in entries:
        got = compiled.pgettext(context, text) if context else compiled.gettext(text)
        assert got == russian, (context, text, got, russian)
