"""The suite runs on the database DATABASE_URL names (CI runs it on SQLite and on PostgreSQL)."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_runs_on_the_configured_database() -> None:
    url = os.environ.get("DATABASE_URL", "sqlite://")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    if expected == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 30000  # settings: a writer waits up to 30 s for the lock
