"""`make run`'s SQLite under a real day's concurrency: the ingestion loop, the task worker and several web clients
write to one database file at once, each in a process of its own (as `make run` starts them). The clock is left
out: at its start it enqueues the weekly retraining, which holds the only worker for minutes and adds no writer.

Nothing a person does may fail with «database is locked» or a 500, no task may fail, and every message the
network gave is stored once and analysed (R-4, R-8.1). The run is bounded by counts of actions, not by time.

Run as ``python -m tests.test_sqlite_concurrency ROLE …`` a role is one process of the scenario."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
OTKLIK = str(Path(sys.executable).with_name("otklik"))
COMMENTS = 600  # VK comments the ingestion loop reads, a batch of them at a time
PASSES = 30  # passes of the ingestion loop
FEED_ITEMS = 12  # RSS items: their answers are published by hand (no API), so "confirm publication" is tried
CURATORS = 2
DISPATCH = 8  # messages each curator dispatches
ROUNDS = 400  # at most this many rounds of work per person (a round with nothing to do waits a little)
PUBLISHED_URL = "https://gatchina-blog.example/answers/{pk}"


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'otklik.sqlite3'}",
        OTKLIK_VAR_DIR=str(tmp),
        DJANGO_SETTINGS_MODULE="otklik.settings",
        OTKLIK_ALLOW_PRIVATE_FETCH="1",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


# --- the roles (each runs in its own process) -----------------------------------------------------------------


def _setup(vk_url: str, vk_token: str, feed_url: str) -> None:
    from otklik.intake.models import Source
    from otklik.org.models import Body, Person, Role, TopicGroup

    office = Body.objects.create(name="Управление информационной политики", is_coordinator=True)
    health = Body.objects.create(name="Комитет по здравоохранению", short_name="Здравоохранение")
    TopicGroup.objects.create(name="Здравоохранение")
    for i in range(CURATORS):
        curator = Person.objects.create_user(f"curator{i}", body=office, last_name=f"Куратор{i}")
        Role.objects.create(person=curator, kind=Role.Kind.CURATOR)
    executor = Person.objects.create_user("executor", body=health, last_name="Исполнитель")
    Role.objects.create(person=executor, kind=Role.Kind.EXECUTOR, body=health)
    Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Здравоохранение ЛО",
        external_id="200000001",
        config={"api_base": f"{vk_url}/method/", "token": vk_token, "group_id": 200000001, "per_second": 0},
    )
    Source.objects.create(
        network="feed", kind=Source.Kind.FEED, title="Блог Гатчины", url=f"{feed_url}/rss.xml"
    )


class _Counter:
    def __init__(self) -> None:
        self.actions = 0
        self.failures: list[str] = []
        self.refused: list[str] = []

    def check(self, what: str, response: Any) -> Any:
        self.actions += 1
        if response.status_code >= 500 or response.status_code < 200:
            self.failures.append(f"{what}: HTTP {response.status_code}")
        elif response.status_code >= 400:
            # refused: the page must say why in Russian (a version conflict, a colleague was quicker …)
            said = [str(m) for m in response.context["messages"]] if response.context else []
            if not any(any("а" <= ch <= "я" for ch in m.lower()) for m in said):
                self.failures.append(f"{what}: HTTP {response.status_code} without a Russian message")
            self.refused.append(f"{what}: {said}")
        return response

    def run(self, what: str, call: Any) -> Any:
        try:
            return self.check(what, call())
        except Exception as exc:  # a 500 in the test client is the view's exception itself
            self.actions += 1
            self.failures.append(f"{what}: {type(exc).__name__}: {exc}")
            return None


def _curator(index: int) -> None:
    """Open the inbox, dispatch analysed messages of their share, approve the drafts waiting for review."""
    from django.test import Client
    from django.urls import reverse

    from otklik.analysis.models import Suggestion
    from otklik.cases.models import Case, Draft
    from otklik.intake.models import Message
    from otklik.org.models import Body, Person, TopicGroup

    counter = _Counter()
    client = Client()
    client.force_login(Person.objects.get(username=f"curator{index}"))
    health = Body.objects.get(short_name="Здравоохранение")
    group = TopicGroup.objects.order_by("pk").first()
    assert group is not None, "the directory has no topics"
    dispatched = 0
    for _ in range(ROUNDS):
        if dispatched >= DISPATCH and not Draft.objects.filter(state=Draft.State.SUBMITTED).exists():
            break
        counter.run("inbox", lambda: client.get(reverse("cases:inbox")))
        analysed = set(Suggestion.objects.values_list("message_id", flat=True).distinct())
        todo = [
            pk
            for pk in Message.objects.filter(case_link__isnull=True, is_official=False)
            .order_by("network", "pk")
            .values_list("pk", flat=True)[:200]
            if pk in analysed and pk % CURATORS == index
        ][: min(2, DISPATCH - dispatched)]
        for pk in todo:
            counter.run(
                "dispatch",
                lambda pk=pk: client.post(
                    reverse("cases:dispatch", args=[pk]),
                    {
                        "body_1": health.pk,
                        "order_1": 1,
                        "topic": f"group:{group.pk}",
                        "municipality": "oblast",
                        "importance": "normal",
                        "multi_mode": "common_by_last",
                    },
                ),
            )
            dispatched += 1
        if not todo:
            time.sleep(0.05)  # nothing analysed yet: look again shortly
        for draft in Draft.objects.filter(state=Draft.State.SUBMITTED).select_related("case")[:3]:
            counter.run(
                "approve",
                lambda d=draft: client.post(
                    reverse("cases:review", args=[d.case_id, d.pk]),
                    {"decision": "approve", "version": Case.objects.get(pk=d.case_id).version},
                ),
            )
    print(
        json.dumps(
            {
                "actions": counter.actions,
                "failures": counter.failures,
                "dispatched": dispatched,
                "refused": counter.refused,
            }
        )
    )


def _executor() -> None:
    """Open the queue, write drafts for new cases, confirm the publication of approved answers by hand."""
    from django.test import Client
    from django.urls import reverse

    from otklik.cases.models import Case, Draft
    from otklik.org.models import Person

    counter = _Counter()
    client = Client()
    client.force_login(Person.objects.get(username="executor"))
    written = published = 0
    for _ in range(ROUNDS):
        if written >= DISPATCH * CURATORS and published:
            break
        counter.run("queue", lambda: client.get(reverse("cases:my_queue")))
        for case in Case.objects.filter(status=Case.Status.DRAFTING).exclude(drafts__isnull=False)[:3]:
            counter.run("draft form", lambda c=case: client.get(reverse("cases:draft", args=[c.pk])))
            counter.run(
                "draft",
                lambda c=case: client.post(
                    reverse("cases:draft", args=[c.pk]),
                    {
                        "kind": "answer",
                        "text": "Здравствуйте! Запись к терапевту открыта, звоните по номеру 122.",
                        "version": c.version,
                    },
                ),
            )
            written += 1
        approved = Draft.objects.filter(state=Draft.State.APPROVED, case__network="feed").select_related(
            "case"
        )
        for draft in approved[:3]:
            counter.run(
                "publish",
                lambda d=draft: client.post(
                    reverse("cases:publish", args=[d.case_id, d.pk]),
                    {"url": PUBLISHED_URL.format(pk=d.pk), "version": d.case.version},
                ),
            )
            published += 1
        time.sleep(0.05)
    print(
        json.dumps(
            {
                "actions": counter.actions,
                "failures": counter.failures,
                "written": written,
                "refused": counter.refused,
            }
        )
    )


def main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[0] != "setup":
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's host, as pytest-django allows it
    if argv[0] == "setup":
        _setup(*argv[1:])
    elif argv[0] == "curator":
        _curator(int(argv[1]))
    elif argv[0] == "executor":
        _executor()


# --- the test -------------------------------------------------------------------------------------------------


def _role(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.test_sqlite_concurrency", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _command(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [OTKLIK, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _query(env: dict[str, str], code: str) -> Any:
    script = "import django, json; django.setup()\n" + code
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _comments(vk: Any, post_ids: list[int]) -> None:
    for i in range(COMMENTS):
        vk.add_comment(post_ids[i % len(post_ids)], f"В поликлинике Кировска нет записи к терапевту, № {i}")
        if i % 30 == 29:
            time.sleep(0.1)


TROUBLE = ("Traceback", "database is locked", "OperationalError", "ERROR")


def _trouble(text: str) -> list[str]:
    return [line for line in text.splitlines() if any(t in line for t in TROUBLE)]


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "sqlite://").startswith("postgres"), reason="SQLite only")
def test_ingest_worker_and_web_clients_at_once_lose_nothing(tmp_path: Path) -> None:
    """R-4 (every message stored once), R-8.1 (each analysed), R-8.5/R-8.7 (people's actions) while all of
    `make run`'s processes write one SQLite file: no «database is locked», no 500, no failed task."""
    from tests.fakes.feeds import FakeFeed
    from tests.fakes.vk import FakeVK

    env = _env(tmp_path)
    subprocess.run([OTKLIK, "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True, timeout=300)
    vk, feed = FakeVK().start(), FakeFeed().start()
    try:
        post_ids = [p["id"] for p in vk.posts]
        for i in range(FEED_ITEMS):
            feed.add_item(
                f"item-{i}", f"Жалоба {i}", f"В Гатчине не работает регистратура поликлиники, № {i}"
            )
        setup = _role(env, "setup", vk.url, vk.token, feed.url)
        assert setup.wait(timeout=120) == 0, setup.communicate()[1]

        worker = _command(env, "db_worker", "--interval", "0.05", "--no-startup-delay")
        ingest = _command(env, "ingest", "--loop", "0.05", "--passes", str(PASSES), "--send-outbox")
        # new comments keep coming while the others work: a batch per pass of the ingestion loop
        feeder = threading.Thread(target=_comments, args=(vk, post_ids), daemon=True)
        feeder.start()
        people = [_role(env, "curator", str(i)) for i in range(CURATORS)] + [_role(env, "executor")]
        outputs = [p.communicate(timeout=600) for p in people]
        ingest_out = ingest.communicate(timeout=600)
        # the worker drains the queue: every task enqueued by now runs (bounded by their count)
        for _ in range(1200):
            left = _query(
                env,
                "from django_tasks_db.models import DBTaskResult\n"
                "print(json.dumps(DBTaskResult.objects.filter(status__in=['READY', 'RUNNING']).count()))",
            )
            if not left or worker.poll() is not None:
                break
            time.sleep(0.5)
        worker.terminate()
        worker_out = worker.communicate(timeout=120)
    finally:
        vk.stop()
        feed.stop()

    failures: list[str] = []
    actions = 0
    for p, (out, err) in zip(people, outputs, strict=True):
        assert p.returncode == 0, err
        result = json.loads(out.strip().splitlines()[-1])
        actions += result["actions"]
        failures += result["failures"]
        failures += _trouble(err)
    for name, (_, err) in (("ingest", ingest_out), ("worker", worker_out)):
        failures += [f"{name}: {line}" for line in _trouble(err)]
    state = _query(
        env,
        "from django.db.models import Count\n"
        "from django_tasks_db.models import DBTaskResult\n"
        "from otklik.analysis.models import Suggestion\n"
        "from otklik.cases.models import Case, Publication\n"
        "from otklik.intake.models import Cursor, Message\n"
        "print(json.dumps({\n"
        "  'vk': Message.objects.filter(network='vk').count(),\n"
        "  'vk_ids': Message.objects.filter(network='vk').values('external_id').distinct().count(),\n"
        "  'feed': Message.objects.filter(network='feed').count(),\n"
        "  'unanalysed': Message.objects.filter(is_official=False, suggestions__isnull=True).count(),\n"
        "  'failed_tasks': [r.exception_class_path + ': ' + r.traceback[-300:]\n"
        "                   for r in DBTaskResult.objects.filter(status='FAILED')],\n"
        "  'cursor_errors': [c.last_error for c in Cursor.objects.exclude(last_error='')],\n"
        "  'cases': Case.objects.count(),\n"
        "  'published': Publication.objects.count(),\n"
        "}))",
    )
    print("actions", actions, "state", {k: v for k, v in state.items() if k != "failed_tasks"})
    assert failures == []
    assert state["failed_tasks"] == [] and state["cursor_errors"] == []
    # every comment of the network stored once (the fixture's own comments too) and analysed
    assert state["vk"] == state["vk_ids"] >= COMMENTS
    assert state["feed"] >= FEED_ITEMS
    assert state["unanalysed"] == 0
    assert state["cases"] > 0 and state["published"] > 0  # the people's work really happened


if __name__ == "__main__":
    main(sys.argv[1:])
