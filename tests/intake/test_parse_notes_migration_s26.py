"""R-4: the notes intake stored in English before 2026-12-02 are shown beside the message now
(`intake/_flagged.html`): the migration puts them in the Russian words a new note has."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from otklik.intake.models import Message

BEFORE = ("intake", "0018_outbox_maybe_sent")


@pytest.mark.django_db(transaction=True)
def test_english_notes_stored_before_read_in_russian() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps.get_model("intake", "Message")
    old.objects.create(
        network="vk",
        external_id="-1_1_5",
        parse_error="implausible publication time 2100-01-01T00:00:00+00:00 ignored; "
        "author_url is not an http(s) link and was left out (the raw payload keeps it)",
    )
    old.objects.create(
        network="vk", external_id="-1_1_6", parse_error="text truncated from 1200000 characters"
    )
    old.objects.create(network="vk", external_id="-1_1_7", parse_error="")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    notes = dict(Message.objects.values_list("external_id", "parse_error"))
    assert notes == {
        "-1_1_5": "время публикации в сети 01.01.2100 03:00 неправдоподобно, вместо него показано время получения; "
        "ссылка на автора не веб-адрес и не сохранена",
        "-1_1_6": "текст длиннее 1000000 символов (1200000): сохранено начало, целиком — в источнике",
        "-1_1_7": "",
    }
