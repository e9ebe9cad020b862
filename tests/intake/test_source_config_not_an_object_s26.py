"""Found by a review (session 26), fixed since. Review 70: what the administrator sets up before go-live — the sources (intake.Source) with their tokens (R-4)."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.intake.models import Cursor, Source
from otklik.intake.pipeline import run_source
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

ADD = "/admin/intake/source/add/"


def _admin_client(personas: Personas) -> Client:
    person = personas.admin
    person.is_staff = person.is_superuser = True
    person.save()
    client = Client()
    client.force_login(person)
    return client


def test_r4_a_bot_token_pasted_as_the_whole_settings_is_refused_on_save(personas: Personas) -> None:
    """R-4: the administrator adds the health committee's Telegram channel and pastes the bot's token into
    «настройки» as it is (in quotes, so it is valid JSON: "123456789:AAE…"), not as {"token": "…"} as the help text
    asks. The admin saves the source without a word («добавлен успешно»), and from then on every ingestion pass
    of it stops with «внутренняя ошибка Отклика при чтении источника … AttributeError: 'str' object has no attribute
    'get'» on its cursor: nothing from the channel is ever read. The save should be refused with a Russian reason
    (the settings must be a JSON object with keys, e.g. {"token": "…"})."""
    client = _admin_client(personas)
    response = client.post(
        ADD,
        {
            "network": "telegram",
            "kind": "channel",
            "title": "Канал Комитета по здравоохранению",
            "external_id": "",
            "url": "",
            "config": '"123456789:AAEexampleexampleexampleexample"',
            "body": str(personas.health.pk),
            "is_active": "on",
        },
    )
    saved = Source.objects.filter(title="Канал Комитета по здравоохранению").first()
    if saved is not None:  # what the accepted source does on its first pass (no network is reached)
        run_source(saved)
        error = Cursor.objects.get(source=saved).last_error
    else:
        error = ""
    assert response.status_code == 200 and saved is None, (
        f"the source was saved with settings {saved.config if saved else None!r}; its first pass: {error[:200]}"
    )
