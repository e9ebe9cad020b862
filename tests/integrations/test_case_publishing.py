"""R-8.7 end to end: the curator approves, the answer is published through the network's API from the outbox,
and the case records the publication with its link; when the network refuses for good, the executor is told
to publish by hand."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from otklik.cases import actions
from otklik.cases.inbox import unrouted_messages
from otklik.cases.models import Case, CaseEvent, Notification, Publication
from otklik.intake.models import Cursor, Message, Outbox, Source
from otklik.intake.outbox import send
from otklik.intake.pipeline import run_source
from otklik.org.models import OfficialAccount
from tests.conftest import Personas
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK

pytestmark = pytest.mark.django_db(transaction=True)

OWNER = -200000001
ANSWER = "Павел, здравствуйте! Врач начнёт приём в ФАП Лукаши со 2 декабря, часы приёма 9:00–16:00."


def approved_case(p: Personas, message: Message) -> tuple[Case, Any]:
    with transaction.atomic():
        case = actions.dispatch_case(p.curator, [message], [actions.Route(p.health, 1)])
        draft = actions.submit_draft(p.alice, case, "answer", ANSWER)
        actions.approve_draft(p.curator, draft)
    return case, draft


def test_approved_answer_is_published_by_api_and_closes_the_case(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    message = Message.objects.get(external_id=f"{OWNER}_101_1003")
    case, draft = approved_case(personas, message)
    row = Outbox.objects.get(case_id=case.pk)
    assert row.idempotency_key == f"case-{case.pk}-draft-{draft.pk}"
    assert row.state == Outbox.State.PENDING
    assert fake_vk.published == []  # nothing leaves before the worker sends it

    row = send(row.pk)  # what the worker's send_outbox task does

    assert row.state == Outbox.State.SENT
    [published] = fake_vk.published
    assert published["message"] == ANSWER
    assert published["reply_to_comment"] == "1003"
    assert published["guid"] == row.idempotency_key
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    publication = Publication.objects.get(case=case)
    assert publication.method == Publication.Method.API
    assert publication.url == row.result_url and publication.url.startswith(f"https://vk.com/wall{OWNER}_101")
    assert publication.published_by is None


def test_permanent_refusal_asks_the_executor_to_publish_by_hand(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    run_source(vk_source)
    message = Message.objects.get(external_id=f"{OWNER}_101_1001")
    case, _draft = approved_case(personas, message)
    fake_vk.fail("wall.createComment", code=15)  # access denied: permanent
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.state == Outbox.State.FAILED
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING  # still waiting for the publication (R-8.7 keeps running)
    assert CaseEvent.objects.filter(case=case, action="api_publish_failed").exists()
    note = Notification.objects.filter(recipient=personas.alice, case=case).order_by("-id").first()
    assert note is not None and "опубликуйте ответ вручную" in note.text


def test_message_without_publishing_api_makes_no_outbox_row(personas: Personas) -> None:
    message = Message.objects.create(network="ok", external_id="ok-1", text="Когда починят крышу?")
    case, _ = approved_case(personas, message)
    assert not Outbox.objects.filter(case_id=case.pk).exists()
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING


@pytest.mark.parametrize("recognised_by", ["outbox", "group_id"])
def test_our_published_answer_read_back_from_the_network_is_nobodys_work(
    personas: Personas, vk_source: Source, fake_vk: FakeVK, recognised_by: str
) -> None:
    """The next reading of the thread brings our own answer back: it is stored (the thread stays whole) but
    marked as the government's and kept out of the curator's inbox."""
    run_source(vk_source)
    message = Message.objects.get(external_id=f"{OWNER}_101_1003")
    case, _draft = approved_case(personas, message)
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    if recognised_by == "outbox":  # the source no longer says which community it publishes as
        del vk_source.config["group_id"]
        vk_source.save()
    citizen = fake_vk.add_comment(101, "А в субботу ФАП работает?", from_id=2222222)

    run_source(vk_source)

    ours = Message.objects.get(external_id=row.result_external_id)
    assert ours.text == ANSWER and ours.author_id == "-200000001" and ours.is_official
    assert ours.reply_to == message
    theirs = Message.objects.get(external_id=f"{OWNER}_101_{citizen}")
    assert not theirs.is_official
    inbox = set(unrouted_messages().values_list("pk", flat=True))
    assert theirs.pk in inbox and ours.pk not in inbox


def test_comments_by_a_bodys_official_account_are_marked(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    OfficialAccount.objects.create(
        body=personas.health, network="vk", title="Минздрав ЛО", url="https://vk.com/club300"
    )
    run_source(vk_source)
    by_account = fake_vk.add_comment(101, "Приём ведётся по записи.", from_id=-300)
    by_person = fake_vk.add_comment(101, "Спасибо!", from_id=2222222)
    run_source(vk_source)
    assert Message.objects.get(external_id=f"{OWNER}_101_{by_account}").is_official
    assert not Message.objects.get(external_id=f"{OWNER}_101_{by_person}").is_official


def test_telegram_comments_by_the_channel_itself_or_an_anonymous_admin_are_marked_once_registered(
    personas: Personas, telegram_source: Source, fake_telegram: FakeTelegram
) -> None:
    """R-4 (docs/operations.md «Network credentials»): in a channel's discussion group the channel's own comments
    come «from the channel» (`sender_chat`) and an anonymous admin's as the group itself; with the channel's and
    the group's ids registered as the body's official accounts, neither is left in the curator's inbox, while a
    citizen commenting on behalf of a channel of their own still is."""
    run_source(telegram_source)
    group = next(iter(fake_telegram.chats.values()))
    channel = {"id": -1001111111111, "type": "channel", "title": "Здравоохранение ЛО"}
    own = {"id": -1002222222222, "type": "channel", "title": "Канал жителя"}
    for title, chat_id, url in (
        ("Канал Минздрава", channel["id"], "https://t.me/minzdrav_lo"),
        ("Группа обсуждения", group["id"], "https://t.me/minzdrav_lo_chat"),
    ):
        OfficialAccount.objects.create(
            body=personas.health, network="telegram", title=title, url=url, external_id=str(chat_id)
        )
    from otklik.intake.official import forget_accounts

    forget_accounts()
    ids = {}
    for name, sender, author in (
        ("channel", channel, {"id": 136817688, "is_bot": True, "first_name": "Channel"}),
        ("anonymous", group, {"id": 1087968824, "is_bot": True, "first_name": "Group"}),
        ("citizen", own, {"id": 136817688, "is_bot": True, "first_name": "Channel"}),
    ):
        message = fake_telegram.comment(f"Сообщение: {name}")
        message.update(sender_chat=sender, **{"from": author})
        ids[name] = f"{group['id']}:{message['message_id']}"
    run_source(telegram_source)
    assert Message.objects.get(external_id=ids["channel"]).is_official
    assert Message.objects.get(external_id=ids["anonymous"]).is_official
    assert not Message.objects.get(external_id=ids["citizen"]).is_official


def test_a_refusal_is_told_to_the_executor_in_russian_and_kept_precise_for_the_operator(
    personas: Personas, vk_source: Source, fake_vk: FakeVK
) -> None:
    """Bad input gets a clear error in Russian for people and a precise one for the log: the executor told to publish
    by hand reads why in Russian (VK's «Access denied», code 15), the outbox row keeps VK's own words after it."""
    run_source(vk_source)
    message = Message.objects.get(external_id=f"{OWNER}_101_1001")
    case, _draft = approved_case(personas, message)
    fake_vk.fail("wall.createComment", code=15)
    row = send(Outbox.objects.get(case_id=case.pk).pk)
    assert row.last_error.startswith(
        "нет доступа: у токена или сообщества нет прав на это действие. Подробности: "
    )
    assert "VK wall.createComment failed with error 15" in row.last_error
    note = Notification.objects.filter(recipient=personas.alice, case=case).order_by("-id").first()
    assert note is not None
    assert "(нет доступа: у токена или сообщества нет прав на это действие)" in note.text
    assert "failed with error" not in note.text and "permanent" not in note.text


def test_a_source_that_cannot_be_read_says_why_in_russian_on_its_cursor(
    vk_source: Source, fake_vk: FakeVK
) -> None:
    """The administrator reads the cursor's «последняя ошибка» (docs/operations.md § First day): VK refused the token
    (code 5) — in Russian, VK's own words after it."""
    fake_vk.fail("wall.get", code=5)
    report = run_source(vk_source)
    last = Cursor.objects.get(source=vk_source).last_error
    assert last == report.error
    assert last.startswith(
        "ВКонтакте не принял токен доступа: он неверен, отозван или истёк — выпустите новый."
    )
    assert "VK wall.get failed with error 5" in last

    vk_source.config["token"] = ""
    vk_source.save()
    assert run_source(vk_source).error.startswith(
        "не задан токен доступа: укажите его в настройках источника"
    )
