"""R-4: a source Otklik has no connector for is told on its cursor, and the other sources are still read.

A messenger channel, a forum or a review site entered as «сообщество / группа» or «канал» cannot be read: the
Source form now refuses it («для сети … нет подключения: сообщения этого источника поступают импортом файла или
вручную», choose «лента RSS/Atom», «импорт файлов» or «ручной ввод»). One stored before that check makes `otklik
ingest` write the same reason on that source's cursor and go on: the VK community after it is read.

Found by a review (session 18): `run_source` looked its connector up before its `try`, so the whole pass stopped on
such a source, pass after pass, with an English traceback and nothing on any cursor.
"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from otklik.intake.models import Cursor, Message, Source
from tests.fakes.vk import FakeVK
from tests.integrations.conftest import fake_vk, vk_source  # noqa: F401 - the loopback fake VK API and its source

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("network", "kind"),
    [("messenger", Source.Kind.CHANNEL), ("forum", Source.Kind.COMMUNITY)],
    ids=["messenger-channel", "forum-community"],
)
def test_a_source_without_a_connector_does_not_stop_the_vk_community_from_being_read(
    vk_source: Source,  # noqa: F811
    fake_vk: FakeVK,  # noqa: F811
    network: str,
    kind: str,
) -> None:
    record = Source(
        network=network, kind=kind, title="Чат жителей Гатчины", url="https://max.ru/gatchina_chat"
    )
    record.save()  # stored before the form refused such a source
    out = io.StringIO()
    failure = ""
    try:
        call_command("ingest", stdout=out, stderr=io.StringIO())
    except Exception as exc:  # what the operator saw instead of the VK community's messages
        failure = f"{type(exc).__name__}: {exc}"
    assert Message.objects.filter(network="vk").exists(), f"the VK community was not read ({failure})"
    assert not failure, f"otklik ingest failed on «{record}»: {failure}"
    error = Cursor.objects.get(source=record).last_error
    assert error.startswith(
        f"для сети «{record.get_network_display()}» нет подключения: "
        "сообщения этого источника поступают импортом файла или вручную. Подробности: no connector for network"
    ), error
    assert "нет подключения" in out.getvalue()


@pytest.mark.parametrize(
    ("network", "kind"),
    [("messenger", Source.Kind.CHANNEL), ("forum", Source.Kind.COMMUNITY), ("reviews", Source.Kind.SEARCH)],
)
def test_the_source_form_refuses_a_kind_its_network_cannot_be_read_as(network: str, kind: str) -> None:
    record = Source(
        network=network, kind=kind, title="Чат жителей Гатчины", url="https://max.ru/gatchina_chat"
    )
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert "нет подключения" in " ".join(refused.value.message_dict["kind"])


@pytest.mark.parametrize("kind", [Source.Kind.FEED, Source.Kind.IMPORT, Source.Kind.MANUAL])
def test_the_source_form_takes_a_forum_as_a_feed_an_import_or_manual_entry(kind: str) -> None:
    Source(network="forum", kind=kind, title="Форум Гатчины", url="https://forum.example/rss").full_clean()
