"""R-4: the notes intake keeps on a message it could not take whole (`Message.parse_error`) are shown beside the
message since 2026-12-02 (`intake/_flagged.html`) and written in Russian; the notes stored before, in English, are
put in the same words. Only flagged messages are read."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import migrations

MSK = ZoneInfo("Europe/Moscow")
_TIME = re.compile(r"implausible publication time (\S+) ignored")
_CUT = re.compile(r"text truncated from (\d+) characters")
_LINK = re.compile(r"(url|author_url) is not an http\(s\) link and was left out \(the raw payload keeps it\)")


def _time(match: re.Match[str]) -> str:
    try:
        moment = datetime.fromisoformat(match[1])
        shown = moment.astimezone(MSK) if moment.tzinfo is not None and 1 < moment.year < 9999 else moment
        when = f"{shown:%d.%m.%Y %H:%M}"
    except ValueError:
        when = match[1]
    return f"время публикации в сети {when} неправдоподобно, вместо него показано время получения"


def _russian(note: str) -> str:
    note = _TIME.sub(_time, note)
    note = _CUT.sub(
        lambda m: f"текст длиннее 1000000 символов ({m[1]}): сохранено начало, целиком — в источнике", note
    )
    return _LINK.sub(
        lambda m: f"ссылка на {'сообщение' if m[1] == 'url' else 'автора'} не веб-адрес и не сохранена", note
    )


def forwards(apps: Any, schema_editor: Any) -> None:
    message = apps.get_model("intake", "Message")
    changed = []
    for m in message.objects.exclude(parse_error="").only("pk", "parse_error").iterator(chunk_size=2000):
        said = _russian(m.parse_error)
        if said != m.parse_error:
            m.parse_error = said
            changed.append(m)
        if len(changed) >= 500:
            message.objects.bulk_update(changed, ["parse_error"])
            changed = []
    if changed:
        message.objects.bulk_update(changed, ["parse_error"])


class Migration(migrations.Migration):
    dependencies = [("intake", "0018_outbox_maybe_sent")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
