"""R-4, R-5, R-8.1: one message, one record. The same message reaching Otklik by its network's connector, by an
office import and by manual entry, in either order and under the link forms people really paste, is one message
for the curator: a second arrival finds the first, keeps its case, the curator's decisions and its receipt time,
and the network's delivery fills in what a hand entry lacked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.test import Client

from otklik.cases import actions
from otklik.cases.models import Case
from otklik.intake.imports import ensure_default_mappings, import_file
from otklik.intake.manual import enter_message
from otklik.intake.models import ImportMapping, Message, Source
from otklik.intake.pipeline import run_source
from tests.conftest import Personas
from tests.fakes.feeds import FakeFeed
from tests.fakes.telegram import FakeTelegram
from tests.fakes.vk import FakeVK

pytestmark = pytest.mark.django_db

BLOG = "https://gatchina-blog.example/2024/11/28/svet"
BLOG_TEXT = "Третий вечер подряд на улице Чкалова не горят фонари."
TG_COMMENT = "https://t.me/demo_health_lenobl_chat/311"  # the discussion group's message 311
TG_TEXT = "А в субботу поликлиника будет работать?"


@pytest.fixture
def fake_feed() -> Iterator[FakeFeed]:
    with FakeFeed() as fake:
        yield fake


@pytest.fixture
def feed_source(fake_feed: FakeFeed) -> Source:
    return Source.objects.create(
        network="feed", kind=Source.Kind.FEED, title="Блог жителя Гатчины", url=f"{fake_feed.url}/rss.xml"
    )


@pytest.fixture
def telegram_source() -> Iterator[Source]:
    with FakeTelegram() as fake:
        yield Source.objects.create(
            network="telegram",
            kind=Source.Kind.CHANNEL,
            title="Здравоохранение ЛО (Telegram)",
            config={"api_base": fake.url, "token": fake.token},
        )


@pytest.fixture
def vk_source() -> Iterator[Source]:
    with FakeVK() as fake:
        yield Source.objects.create(
            network="vk",
            kind=Source.Kind.COMMUNITY,
            title="Здравоохранение ЛО",
            external_id="200000001",
            config={
                "api_base": f"{fake.url}/method/",
                "token": fake.token,
                "group_id": 200000001,
                "per_second": 0,
            },
        )


def im_csv(url: str, text: str) -> bytes:
    ensure_default_mappings()
    rows = ["Урл поста;Текст инцидента;Дата создания;Аудитория", f"{url};{text};28.11.2024 10:15;1520"]
    return "\n".join(rows).encode()


def im_mapping() -> ImportMapping:
    ensure_default_mappings()
    return ImportMapping.objects.get(name="Инцидент Менеджмент")


def dispatched(p: Personas, message: Message) -> Case:
    return actions.dispatch_case(p.curator, [message], [actions.Route(p.health, 1)])


@pytest.mark.parametrize(
    "pasted",
    [
        BLOG,
        f"{BLOG}/",
        f"{BLOG}/?utm_source=vk&utm_medium=social",
        "http://www.gatchina-blog.example/2024/11/28/svet?utm_campaign=rss",
    ],
)
def test_r4_a_blog_item_entered_by_hand_is_the_one_the_feed_delivers_later(
    personas: Personas, feed_source: Source, pasted: str
) -> None:
    """R-4, R-8.1: the curator enters a blog's item by hand («определить по ссылке»: «Другое») and sends it to
    a body; the feed then delivers it. One message: the same row, still in its case, received when it was entered,
    now the feed's (its text, time and source)."""
    message, outcome = enter_message(url=pasted, text="Нет света на Чкалова (со слов жителя)")
    assert outcome == "created" and message.network == "other"
    case = dispatched(personas, message)
    received = message.received_at

    report = run_source(feed_source)

    assert report.created == 1  # the other item of the feed; this one is the entered row
    stored = Message.objects.get(url=BLOG)
    assert stored.pk == message.pk
    assert Message.objects.filter(network__in=["feed", "other"]).count() == 2
    assert stored.network == "feed" and stored.source == feed_source
    assert BLOG_TEXT in stored.text
    assert stored.published_at == datetime(2024, 11, 28, 5, 0, tzinfo=UTC)
    assert stored.received_at == received  # the deadlines still count from the entry
    assert list(stored.cases.all()) == [case]


@pytest.mark.parametrize(
    "pasted", [BLOG, f"{BLOG}/?utm_source=telegram", "https://www.gatchina-blog.example/2024/11/28/svet/"]
)
def test_r4_a_blog_item_already_read_from_its_feed_is_not_entered_again(
    client: Client, personas: Personas, feed_source: Source, pasted: str
) -> None:
    """R-4: the feed delivered the item first; entering it by its link (any network choice a curator makes for a
    blog) is «already received» and leaves the feed's message as it is."""
    run_source(feed_source)
    before = Message.objects.count()
    client.force_login(personas.curator)
    response = client.post("/intake/messages/new/", {"url": pasted, "text": "Нет света"}, follow=True)
    assert "Это сообщение уже получено из сети «Блог / сайт (RSS)»: оно оставлено как есть." in (
        response.content.decode()
    )
    assert Message.objects.count() == before
    assert BLOG_TEXT in Message.objects.get(url=BLOG).text


@pytest.fixture
def read_feed(feed_source: Source) -> Source:
    run_source(feed_source)
    return feed_source


def test_r4_an_import_of_a_blog_item_read_from_its_feed_is_known(read_feed: Source) -> None:
    """R-4: an «Инцидент Менеджмент» export names a blog item the feed has delivered (with utm parameters in its
    link): the row is «already received from the network», not a second message."""
    report = import_file(im_csv(f"{BLOG}/?utm_source=im", "Нет света на Чкалова"), "export.csv", im_mapping())
    assert (report.created, report.known) == (0, 1)
    assert Message.objects.count() == 2


def test_r4_an_imported_blog_item_becomes_the_feeds_when_it_is_read(
    personas: Personas, feed_source: Source
) -> None:
    """R-4, R-8.1: imported first, sent to a body, then read from the feed: one message in its case."""
    report = import_file(im_csv(f"{BLOG}?utm_source=im", "Нет света на Чкалова"), "export.csv", im_mapping())
    assert report.created == 1
    imported = Message.objects.get()
    case = dispatched(personas, imported)
    run_source(feed_source)
    stored = Message.objects.get(pk=imported.pk)
    assert Message.objects.count() == 2
    assert stored.network == "feed" and BLOG_TEXT in stored.text
    assert list(stored.cases.all()) == [case]


def test_r4_the_feed_leaves_an_entered_author_when_it_names_none(
    feed_source: Source, fake_feed: FakeFeed
) -> None:
    """R-4: an item whose feed names no author keeps the author the curator typed; the feed's text and time
    replace the entry's."""
    fake_feed.add_item("vokzal-lift", "Лифт на вокзале", "Лифт на вокзале не работает неделю.")
    message, _ = enter_message(
        url="https://gatchina-blog.example/vokzal-lift/", text="Лифт не работает", author_name="Мария Петрова"
    )
    run_source(feed_source)
    stored = Message.objects.get(pk=message.pk)
    assert stored.network == "feed" and "не работает неделю" in stored.text
    assert stored.author_name == "Мария Петрова"
    assert stored.published_at == datetime(2024, 11, 29, 6, 0, tzinfo=UTC)


def test_r4_two_forms_of_one_blog_link_entered_by_hand_are_one_message() -> None:
    """R-4: a colleague enters the same page again from a shared link (www., a trailing slash, utm): the entry is
    updated, not doubled."""
    first, outcome = enter_message(url="https://site.example/news/15", text="Когда починят мост?")
    assert outcome == "created"
    again, outcome = enter_message(
        url="https://www.site.example/news/15/?utm_source=vk&utm_medium=post",
        text="Когда починят мост у школы?",
    )
    assert (again.pk, outcome) == (first.pk, "updated")
    assert Message.objects.get().text == "Когда починят мост у школы?"


@pytest.mark.parametrize(
    "pasted",
    [
        TG_COMMENT,
        "https://t.me/Demo_Health_Lenobl_Chat/311?single",
        "https://t.me/s/demo_health_lenobl_chat/311",
        "https://telegram.me/demo_health_lenobl_chat/311",
        "https://t.me/demo_health_lenobl/45?comment=311",  # «Копировать ссылку» on a comment under the post
    ],
)
def test_r4_a_telegram_message_entered_by_its_public_link_is_the_one_the_bot_delivers(
    personas: Personas, telegram_source: Source, pasted: str
) -> None:
    """R-4, R-8.1: a comment in a public channel's discussion group entered by hand and sent to a body, then
    delivered by the bot: the same row, in its case, with the author's Telegram id for the answer."""
    message, outcome = enter_message(url=pasted, text="Суббота?")
    assert outcome == "created" and message.network == "telegram"
    case = dispatched(personas, message)
    received = message.received_at
    run_source(telegram_source)
    stored = Message.objects.get(pk=message.pk)
    assert stored.external_id == "-1009876543210:311"
    assert stored.text == TG_TEXT and stored.author_id == "501001"
    assert stored.received_at == received
    assert list(stored.cases.all()) == [case]
    assert Message.objects.filter(text=TG_TEXT).count() == 1
    assert not Message.objects.filter(external_id__startswith="url:").exists()


@pytest.mark.parametrize(
    "pasted",
    [
        TG_COMMENT,
        "https://t.me/Demo_Health_Lenobl_Chat/311?single",
        "https://t.me/s/demo_health_lenobl_chat/311",
        "https://t.me/demo_health_lenobl/45?comment=311",
    ],
)
def test_r4_a_telegram_message_the_bot_delivered_is_known_to_manual_entry_and_imports(
    telegram_source: Source, pasted: str
) -> None:
    """R-4: delivered by the bot first; entering or importing it by its public link leaves it as it is."""
    run_source(telegram_source)
    before = Message.objects.count()
    message, outcome = enter_message(url=pasted, text="Суббота?")
    assert (outcome, message.external_id, message.text) == ("known", "-1009876543210:311", TG_TEXT)
    report = import_file(im_csv(pasted, "Суббота?"), "export.csv", im_mapping())
    assert (report.created, report.known) == (0, 1)
    assert Message.objects.count() == before


def test_r4_a_vk_comment_opened_over_a_page_is_that_comment_not_its_post(vk_source: Source) -> None:
    """R-4: VK shows a comment over the page as ``?w=wall-1_2_r3``; entered by that link it is the comment the
    connector stored (not its post, and not a new message)."""
    run_source(vk_source)
    before = Message.objects.count()
    message, outcome = enter_message(
        url="https://vk.com/club200000001?w=wall-200000001_101_r1002", text="В Лукашах нет врача"
    )
    assert (outcome, message.external_id) == ("known", "-200000001_101_1002")
    assert Message.objects.count() == before


def test_r4_a_hand_entry_of_an_imported_message_keeps_the_exports_columns() -> None:
    """R-4: a message imported from an «Инцидент Менеджмент» export (its row — department, executor, answers —
    kept with it) is entered again by hand with a corrected text: the export's columns stay with the message."""
    ensure_default_mappings()
    rows = [
        "Урл поста;Текст инцидента;Дата создания;Аудитория;Исполнитель",
        "https://vk.com/wall-123_45?reply=678;Не горят фонари;28.11.2024 10:15;1520;Иванов",
    ]
    import_file("\n".join(rows).encode(), "export.csv", im_mapping())
    _, outcome = enter_message(url="https://vk.com/wall-123_45?reply=678", text="Не горят фонари на Чкалова")
    assert outcome == "updated"
    stored = Message.objects.get()
    assert stored.text == "Не горят фонари на Чкалова"
    assert stored.raw["row"]["Исполнитель"] == "Иванов" and stored.raw["file"] == "export.csv"
    assert stored.metrics == {"reach": "1520"}


def test_r4_an_imported_message_taken_over_by_its_feed_keeps_the_exports_columns(feed_source: Source) -> None:
    """R-4: the feed's delivery takes over an imported blog item; the export's row stays beside the feed's data."""
    ensure_default_mappings()
    rows = ["Урл поста;Текст инцидента;Исполнитель", f"{BLOG};Нет света;Иванов"]
    import_file("\n".join(rows).encode(), "export.csv", im_mapping())
    run_source(feed_source)
    stored = Message.objects.get(url=BLOG)
    assert stored.network == "feed" and BLOG_TEXT in stored.text
    assert stored.raw["_entered"]["row"]["Исполнитель"] == "Иванов"


def test_r8_4_the_authors_reply_entered_by_its_public_link_is_the_message_the_bot_delivered(
    personas: Personas, telegram_source: Source
) -> None:
    """R-8.4, R-4: the author answers a clarification request in a public Telegram chat; the bot has already
    delivered that reply, and the executor enters it on the case page by the link Telegram shows. The case gets
    the delivered message, not a second copy of it in the inbox."""
    p = personas
    question = Message.objects.create(
        network="telegram",
        external_id="-1009876543210:300",
        url="https://t.me/demo_health_lenobl_chat/300",
        author_name="Мария",
        text="Поликлиника в субботу работает?",
    )
    case = dispatched(p, question)
    ask = actions.submit_draft(
        p.alice, case, "clarification", "Здравствуйте, Мария! Уточните, какая поликлиника?"
    )
    actions.approve_draft(p.curator, ask)
    actions.confirm_publication(p.alice, ask, url="https://t.me/demo_health_lenobl_chat/305")
    run_source(telegram_source)
    delivered = Message.objects.get(external_id="-1009876543210:311")
    before = Message.objects.count()
    client = Client()
    client.force_login(p.alice)
    response = client.post(
        f"/cases/{case.pk}/reply/",
        {"text": TG_TEXT, "url": "https://t.me/s/demo_health_lenobl_chat/311"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    assert Message.objects.count() == before
    assert delivered in case.messages.all()
