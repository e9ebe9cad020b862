"""Two people (or a person and a worker) acting on the same thing at once, on a real PostgreSQL server.

Each test holds the first writer's transaction open until the second writer is really waiting for its row lock
(seen in `pg_stat_activity`), then lets the first one commit: the interleaving a user can hit is reproduced
every time, not by chance.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, connections, transaction
from django.utils import timezone

from otklik.cases import actions, sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case, CaseMessage, Deadline, Violation
from otklik.governor import actions as gov_actions
from otklik.governor import service
from otklik.governor.models import Comment
from otklik.intake.models import Message
from otklik.intake.pipeline import upsert
from otklik.integrations.base import ParsedMessage
from otklik.notify.models import Mail
from otklik.notify.services import retry_mail
from otklik.org.models import Role
from tests.cases.helpers import deadline, dispatch, message
from tests.conftest import Personas, make_person, msk
from tests.governor.helpers import (
    ROADS_QUESTION,
    ROADS_TOPIC,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="parallel writers need a server database (row locks); SQLite serialises every writer",
    ),
]


def _waiting_for_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return int(cursor.fetchone()[0])


def _until_waiting(count: int) -> None:
    """Wait until `count` sessions wait for a row lock (give up after a while: the assertions then tell)."""
    for _ in range(600):
        if _waiting_for_locks() >= count:
            return
        time.sleep(0.05)


class Writer(threading.Thread):
    """Runs `work` in its own connection; keeps its result or the exception it raised."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work()
        except BaseException as exc:  # the test asserts on it
            self.error = exc
        finally:
            connections.close_all()


def _held(work: Callable[[], Any], started: threading.Event, release: threading.Event) -> Callable[[], Any]:
    """`work` in a transaction that stays open (its row locks held) until `release` is set."""

    def run() -> Any:
        with transaction.atomic():
            result = work()
            started.set()
            release.wait()
        return result

    return run


def _race(first: Callable[[], Any], second: Callable[[], Any], waiting: int = 1) -> tuple[Writer, Writer]:
    started, release = threading.Event(), threading.Event()
    one = Writer(_held(first, started, release))
    one.start()
    started.wait()
    two = Writer(second)
    two.start()
    _until_waiting(waiting)
    release.set()
    one.join()
    two.join()
    return one, two


def test_two_curators_dispatching_the_same_message_one_case_and_a_russian_refusal(
    personas: Personas,
) -> None:
    """R-8.1: two curators send the same inbox message at the same moment: one case; the other curator is told
    in Russian which case has it (never an IntegrityError / a 500)."""
    p = personas
    curator2 = make_person("curator2", p.office, Role.Kind.CURATOR)
    msg = message()
    at = msk(2025, 4, 28, 9, 0)
    one, two = _race(
        lambda: actions.dispatch_case(p.curator, [msg], [actions.Route(p.health)], now=at),
        lambda: actions.dispatch_case(curator2, [msg], [actions.Route(p.roads)], now=at),
    )
    assert one.error is None
    case = one.result
    assert isinstance(two.error, ActionRefused), repr(two.error)
    assert two.error.message == f"Сообщение уже в работе: обращение № {case.pk}."
    assert Case.objects.count() == 1
    assert CaseMessage.objects.get(message=msg).case_id == case.pk


def test_a_draft_sent_at_the_due_moment_is_not_a_violation_when_the_sweep_runs_meanwhile(
    personas: Personas,
) -> None:
    """R-8.4, R-12: the executor sends the draft exactly at its due moment (in time) while the minute sweep,
    a moment later, already listed the deadline as overdue: no violation is recorded, nobody is told of one."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    draft_deadline = deadline(case, Deadline.Stage.DRAFT, open_only=True)
    due = draft_deadline.due_at
    # The window ended quietly earlier (an earlier sweep), so the draft only meets its deadline.
    window = deadline(case, Deadline.Stage.REJECT_WINDOW)
    assert window.due_at < due
    sla.sweep(now=window.due_at + timedelta(minutes=1))
    one, two = _race(
        lambda: actions.submit_draft(p.alice, case, "answer", "Ремонт запланирован на июнь.", now=due),
        lambda: sla.sweep(now=due + timedelta(minutes=1)),
    )
    assert one.error is None and two.error is None, (one.error, two.error)
    draft_deadline.refresh_from_db()
    assert draft_deadline.met_at == due
    assert draft_deadline.breached_at is None
    assert not Violation.objects.filter(case=case, stage=Deadline.Stage.DRAFT).exists()


def test_a_later_edit_is_not_undone_by_an_older_version_delivered_at_the_same_moment() -> None:
    """R-4 (the message as the author left it): the edited comment (version 3) and a retried older delivery
    (version 2) are stored at once; the edit stays, whichever statement reads the stored version first."""
    Message.objects.create(
        network="vk", external_id="wall-1_77_c5", text_raw="Ямы", text="Ямы", revision=1, author_name="Ирина"
    )

    def deliver(text: str, revision: int) -> Callable[[], Any]:
        def run() -> Any:
            with transaction.atomic():
                return upsert(
                    [ParsedMessage("vk", "wall-1_77_c5", text, author_name="Ирина", revision=revision)]
                )

        return run

    # The edit is being stored when the older delivery reads the stored version (still 1) and queues for the row.
    newer, older = _race(deliver("Ямы на Соборной, 5 (исправлено)", 3), deliver("Ямы на Соборной", 2))
    assert (newer.error, older.error) == (None, None)
    stored = Message.objects.get(external_id="wall-1_77_c5")
    assert (stored.text_raw, stored.revision) == ("Ямы на Соборной, 5 (исправлено)", 3)


def test_two_runs_of_the_checks_register_the_authors_details_once(personas: Personas) -> None:
    """R-7.3, R-7.4: two `governor_checks` runs at once meet the author's reply to a clarification: it is
    triaged once, the 2-hour clock opens once, and neither run fails."""
    p = personas
    competence(p.roads, *ROADS_TOPIC)
    post_at = msk(2024, 11, 1, 17, 30)
    post = governor_post(governor_source(), post_at)
    service.open_watches(now=post_at)
    question = comment(post, ROADS_QUESTION, msk(2024, 11, 2, 12, 10), author="103")
    service.process_comments(now=msk(2024, 11, 2, 12, 15))
    case = Comment.objects.get(message=question).case
    assert case is not None
    gov_actions.submit_answer(
        case, p.dave, "Уточните, пожалуйста, улицу и номер дома.", interim=True, now=msk(2024, 11, 2, 12, 30)
    )
    gov_actions.confirm_publication(case, method="api", external_id="wall-1_r1", now=msk(2024, 11, 2, 12, 31))
    reply = comment(post, "Улица Соборная, дом 5.", msk(2024, 11, 5, 10, 0), author="103", reply_to=question)
    now = msk(2024, 11, 5, 10, 5)
    one, two = _race(lambda: service.process_comments(now=now), lambda: service.process_comments(now=now))
    assert (one.error, two.error) == (None, None), (one.error, two.error)
    assert one.result + two.result == 1
    assert Comment.objects.get(message=reply).kind == Comment.Kind.CLARIFICATION
    assert Deadline.objects.filter(case=case, stage="gov_after_reply").count() == 1
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING


class HeldBackend(EmailBackend):
    """A mail server that takes its time over the first letter (until the test lets it go)."""

    sending = threading.Event()
    go_on = threading.Event()

    def send_messages(self, messages: Any) -> int:
        if not HeldBackend.sending.is_set():
            HeldBackend.sending.set()
            HeldBackend.go_on.wait()
        return super().send_messages(messages)


def test_two_retry_mail_runs_send_a_kept_letter_once(settings: Any) -> None:
    """R-14: a letter the mail server did not take is sent again by `retry_mail`; two runs at once (two
    workers, or the task and an operator) send it once, not twice while the server is taking it."""
    settings.EMAIL_BACKEND = "tests.cases.test_explore_races.HeldBackend"
    HeldBackend.sending.clear()
    HeldBackend.go_on.clear()
    kept = Mail.objects.create(
        to=["curator@example.org"],
        subject="Отклик: нарушен срок",
        text="Нарушен срок по обращению № 1.",
        created_at=timezone.now(),
        state=Mail.State.FAILED,
        attempts=1,
        error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    first = Writer(retry_mail)
    first.start()
    HeldBackend.sending.wait()
    second = Writer(retry_mail)
    second.start()
    second.join()
    HeldBackend.go_on.set()
    first.join()
    assert (first.error, second.error) == (None, None)
    assert (first.result, second.result) == (1, 0)
    assert [m.subject for m in mail.outbox] == ["Отклик: нарушен срок"]
    kept.refresh_from_db()
    assert (kept.state, kept.attempts) == (Mail.State.SENT, 2)


def test_a_curators_action_on_one_case_does_not_lock_the_curator_for_the_others(personas: Personas) -> None:
    """`lock_case` locks the case row only: while one case of a curator is being changed, the curator's own row
    (joined to read it) stays free, so the same curator's action on another case does not wait (NOWAIT here
    would fail at once if it were locked)."""
    p = personas
    first = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    locked = threading.Event()
    release = threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                actions.lock_case(
                    first,
                    "approve_draft",
                    None,
                    origin=Case.Origin.CURATOR,
                    transitions={"approve_draft": (frozenset(Case.Status.values), frozenset())},
                    refusals={},
                    wrong_origin="",
                    stale="",
                )
                locked.set()
                release.wait(60)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(60)
        with transaction.atomic():
            person = type(p.curator).objects.select_for_update(nowait=True).get(pk=p.curator.pk)
        assert person == p.curator
    finally:
        release.set()
        holder.join(60)
