"""The staff pages at the scale of a year of work (R-8.1; figures in docs/benchmarks.md "Staff pages", made by
bench/pages/run.py): each list runs a fixed number of queries whatever the number of rows, reads its page over
an index that matches its order instead of sorting (or joining) a whole table, counts at most once, and no
form offers every message or case of the year in a drop-down."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from otklik.analysis.models import Decision, Kind, Suggestion
from otklik.audit.models import AuditEntry
from otklik.cases.models import Notification
from otklik.cases.paging import PAGE_SIZE
from otklik.governor.models import Comment, Watch
from otklik.intake.models import Message, Outbox, Post, Quarantine
from otklik.notify.models import Alert, Mail, Notice
from otklik.org.models import Person
from tests.cases.helpers import dispatch, message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

MANY = 2 * PAGE_SIZE + 5


def captured(client: Client, url: str) -> tuple[list[dict[str, str]], str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return list(ctx.captured_queries), response.content.decode()


def sorts_a_whole_table(sql: str) -> bool:
    """SQLite's plan for the query sorts every row it reads (no index gives the order, not even its first
    column). Only SQLite: on a handful of test rows PostgreSQL rightly prefers a sequential scan and a sort."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as c:
        c.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " | ".join(str(row[-1]) for row in c.fetchall())
    return "USE TEMP B-TREE FOR ORDER BY" in plan


def plan_of(sql: str) -> str:
    with connection.cursor() as c:
        c.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql)
        return " | ".join(str(row[-1]) for row in c.fetchall())


# ---------------------------------------------------------------------------------------------- notifications
def notify(p: Personas, n: int) -> None:
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    start = timezone.now() - timedelta(days=300)
    Notification.objects.bulk_create(
        Notification(
            recipient=p.curator,
            case=case,
            kind=Notification.Kind.REMINDER,
            text=f"Напоминание № {i}",
            created_at=start + timedelta(hours=i),
        )
        for i in range(n)
    )


def test_notifications_walk_the_recipients_newest_first_without_joining_the_cases(
    client: Client, personas: Personas
) -> None:
    """R-8.1: the curator's notifications after a year are tens of thousands. The page reads the newest 51 of
    the person's own over the index (recipient, -created_at, -id), never joins the cases (the page shows only
    the case's number, and PostgreSQL hashed every case to do it) and runs the same queries with 3 rows or
    with more than two pages."""
    notify(personas, 3)
    client.force_login(personas.curator)
    url = reverse("cases:notifications")
    client.get(url)
    few, _ = captured(client, url)
    notify(personas, MANY)
    many, html = captured(client, url)
    assert len(many) == len(few)
    listing = [q["sql"] for q in many if 'FROM "cases_notification"' in q["sql"] and "SELECT" in q["sql"]]
    assert listing and not any('JOIN "cases_case"' in sql for sql in listing), listing
    assert not any(sorts_a_whole_table(sql) for sql in listing), [plan_of(s) for s in listing]
    assert f"Напоминание № {MANY - 1}<" in html and "Напоминание № 0<" not in html  # the newest first
    assert 'rel="next"' in html and "страница 1" in html


# ---------------------------------------------------------------------------------------------- «Исключённые»
def moderated(text: str, *verdicts: bool) -> Message:
    """A message with the moderation's suggestions in this order (the last one counts, R-10)."""
    m = message(text)
    for blocked in verdicts:
        Suggestion.objects.create(
            message=m, kind=Kind.MODERATION, value={"blocked": blocked, "reasons": [], "score": 0.5}
        )
    return m


def test_excluded_messages_are_looked_up_among_the_blocked_ones_only(
    client: Client, personas: Personas
) -> None:
    """R-10: «Исключённые (модерация)» lists what the moderation blocks now — the newest suggestion, or a
    curator's decision over it — and finds them from the few messages ever blocked (partial index
    `suggestion_blocked`), not by testing every unrouted message of the year on every page."""
    blocked = moderated("Глава района — мразь", True)
    moderated("Обычное сообщение о ямах", False)
    cleared_by_machine = moderated("Сначала заблокировано, потом нет", True, False)
    blocked_again = moderated("Сначала нет, потом заблокировано", False, True)
    by_curator = moderated("Куратор исключил вручную", False)
    Decision.objects.create(message=by_curator, kind=Kind.MODERATION, value={"blocked": True})
    returned = moderated("Куратор вернул во входящие", True)
    Decision.objects.create(message=returned, kind=Kind.MODERATION, value={"blocked": False})
    client.force_login(personas.curator)
    url = reverse("cases:inbox") + "?filter=excluded"
    client.get(url)
    few, html = captured(client, url)
    shown = {int(n) for n in re.findall(r"/cases/inbox/(\d+)/moderation/", html)}
    assert shown == {blocked.pk, blocked_again.pk, by_curator.pk}
    assert cleared_by_machine.pk not in shown and returned.pk not in shown
    for _ in range(MANY):
        moderated("Ещё одно обычное сообщение", False)
    many, _ = captured(client, url)
    assert len(many) == len(few)
    listing = [q["sql"] for q in many if 'FROM "intake_message"' in q["sql"] and "LIMIT" in q["sql"]]
    assert listing
    if connection.vendor == "sqlite":
        assert any("suggestion_blocked" in plan_of(sql) for sql in listing), [plan_of(s) for s in listing]


# ---------------------------------------------------------------------------------------------- admin
@pytest.fixture
def admin_client(client: Client, personas: Personas) -> Client:
    Person.objects.filter(pk=personas.admin.pk).update(is_staff=True, is_superuser=True)
    client.force_login(Person.objects.get(pk=personas.admin.pk))
    return client


def governor_comment(watch: Watch, case_pk: int | None = None) -> Comment:
    m = message("Когда построят школу?")
    return Comment.objects.create(
        watch=watch,
        message=m,
        kind=Comment.Kind.QUESTION,
        case_id=case_pk,
        processed_at=timezone.now(),
    )


def a_watch() -> Watch:
    now = timezone.now()
    post = Post.objects.create(network="vk", external_id="-1_1", is_governor=True, published_at=now)
    return Watch.objects.create(
        post=post, started_at=now, first_window_end=now, every_minutes=120, span_minutes=2400, opened_at=now
    )


def fill(p: Personas, n: int) -> dict[str, Any]:
    """n rows of everything the admin lists: messages (with a post), outbox rows, quarantined payloads,
    e-mails, notices, the Governor's comments, alerts, audit entries."""
    watch = Watch.objects.first() or a_watch()
    now = timezone.now()
    last: dict[str, Any] = {}
    for i in range(n):
        m = message(f"Сообщение № {i}")
        Message.objects.filter(pk=m.pk).update(post=watch.post)
        out = Outbox.objects.create(message=m, text="Ответ", idempotency_key=f"key-{m.pk}")
        Quarantine.objects.create(network="vk", payload="{}", error=f"нет поля text ({i})")
        Mail.objects.create(to=["a@example.org"], subject=f"Письмо {i}", created_at=now)
        Notice.objects.create(recipient=p.curator, kind="report", title=f"Отчёт {i}", created_at=now)
        comment = governor_comment(watch)
        alert = Alert.objects.create(
            kind="significant", key=f"k{m.pk}", title="Пожар", text="…", created_at=now, message=m
        )
        AuditEntry.objects.create(
            action="update", model="intake.message", object_pk=str(m.pk), object_repr=m.text
        )
        last = {"message": m, "outbox": out, "comment": comment, "alert": alert}
    return last


CHANGELISTS = [
    "intake/message",
    "intake/quarantine",
    "intake/outbox",
    "notify/mail",
    "notify/notice",
    "notify/alert",
    "governor/comment",
    "audit/auditentry",
]


@pytest.mark.parametrize("path", CHANGELISTS)
def test_admin_lists_count_once_and_read_their_page_over_an_index(
    admin_client: Client, personas: Personas, path: str
) -> None:
    """The admin's lists of what grows every day: the same queries for 3 rows as for more than a page, one
    COUNT (the filtered rows, not the whole table a second time: `show_full_result_count = False`), only the
    joins the list shows (Django otherwise follows every required foreign key in depth: comment → watch →
    post …) and an order some index gives."""
    fill(personas, 3)
    url = f"/admin/{path}/"
    admin_client.get(url)
    few, _ = captured(admin_client, url)
    fill(personas, MANY)
    many, html = captured(admin_client, url)
    assert len(many) == len(few), [q["sql"][:120] for q in many]
    counts = [q["sql"] for q in many if "COUNT(" in q["sql"].upper()]
    assert len(counts) <= 1, counts
    table = path.replace("/", "_")
    listing = [q["sql"] for q in many if f'FROM "{table}"' in q["sql"] and "LIMIT" in q["sql"]]
    assert listing, [q["sql"][:120] for q in many]
    assert not any('JOIN "governor_watch"' in s or 'JOIN "intake_post"' in s for s in listing), listing
    assert not any(sorts_a_whole_table(sql) for sql in listing), [plan_of(s) for s in listing]
    assert 'class="paginator"' in html


@pytest.mark.parametrize(
    ("key", "path"),
    [("message", "intake/message"), ("comment", "governor/comment"), ("alert", "notify/alert")],
)
def test_admin_forms_do_not_offer_every_message_in_a_drop_down(
    admin_client: Client, personas: Personas, key: str, path: str
) -> None:
    """A message's, a Governor's comment's or an alert's change form names the related message, post and case
    by number (a look-up link), instead of rendering one <option> per message of the year: with 300,000
    messages the form took minutes and megabytes."""
    rows = fill(personas, 3)
    url = f"/admin/{path}/{rows[key].pk}/change/"
    admin_client.get(url)
    few, html_few = captured(admin_client, url)
    rows = fill(personas, MANY)
    url = f"/admin/{path}/{rows[key].pk}/change/"
    many, html_many = captured(admin_client, url)
    assert html_many.count("<option") == html_few.count("<option")
    assert len(many) == len(few)
    assert 'class="vForeignKeyRawIdAdminField"' in html_many


def test_a_message_form_still_saves_its_links(admin_client: Client, personas: Personas) -> None:
    """With the look-up fields the administrator still links a message to its post and its parent by number."""
    rows = fill(personas, 2)
    m: Message = rows["message"]
    parent = message("Родительский комментарий")
    url = f"/admin/intake/message/{m.pk}/change/"
    form = {
        "network": m.network,
        "external_id": m.external_id,
        "source": "",
        "url": m.url,
        "author_name": m.author_name,
        "text": m.text,
        "attachments": "[]",
        "post": str(Watch.objects.get().post_id),
        "reply_to": str(parent.pk),
        "metrics": "{}",
        "raw": "{}",
        "deleted_how": "",
        "deleted_by": "",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    m.refresh_from_db()
    assert m.reply_to_id == parent.pk and m.post_id == Watch.objects.get().post_id
