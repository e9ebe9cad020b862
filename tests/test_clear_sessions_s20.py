"""The daily job deletes ended sessions (`otklik clock` → `queueing.clear_sessions`, Django's `clearsessions`): a
session ends 4 hours after its last request and a form sent signed out keeps its text in one, so without it the
table would keep every visit and those texts for ever. A live session stays."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from otklik.queueing import clear_sessions

pytestmark = pytest.mark.django_db


def test_the_daily_job_deletes_ended_sessions_and_keeps_live_ones() -> None:
    ended, live = SessionStore(), SessionStore()
    ended["typed"] = {"text": "Ответ, набранный до окончания сеанса"}
    live["x"] = 1
    ended.create()
    live.create()
    Session.objects.filter(session_key=ended.session_key).update(
        expire_date=timezone.now() - timedelta(hours=1)
    )

    clear_sessions.call()

    assert set(Session.objects.values_list("session_key", flat=True)) == {live.session_key}
