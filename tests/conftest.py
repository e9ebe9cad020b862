"""Shared fixtures: named personas for the roles (curator, executors of two bodies, observer …)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from playwright.sync_api import Browser, Page, sync_playwright

from otklik.audit.db import drop_triggers, install_triggers
from otklik.org.models import Body, Person, Role

MSK = ZoneInfo("Europe/Moscow")
PASSWORD = "correct-horse-battery"

# No test reaches the internet, and the fakes listen on loopback: a proxy named in the developer's environment
# (an office behind one) must not carry the tests' requests. A test of the proxy sets its own.
for _name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(_name, None)


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK)  # type: ignore[misc]


def make_person(username: str, body: Body | None, *roles: str, last_name: str = "") -> Person:
    person = Person.objects.create_user(
        username=username,
        password=PASSWORD,
        body=body,
        last_name=last_name or username.capitalize(),
        first_name="Тест",
    )
    for kind in roles:
        Role.objects.create(person=person, kind=kind, body=body if kind in Role.BODY_BOUND else None)
    return person


@dataclass
class Personas:
    office: Body
    health: Body
    roads: Body
    admin: Person
    curator: Person
    observer: Person
    health_head: Person
    alice: Person  # executor, health
    bob: Person  # executor, health
    charlie: Person  # executor, health
    dave: Person  # executor, roads
    roads_head: Person


@pytest.fixture
def personas(db: None) -> Personas:
    office = Body.objects.create(name="Управление информационной политики", is_coordinator=True)
    health = Body.objects.create(name="Комитет по здравоохранению", short_name="Здравоохранение")
    roads = Body.objects.create(name="Комитет по дорожному хозяйству", short_name="Дороги")
    return Personas(
        office=office,
        health=health,
        roads=roads,
        admin=make_person("admin", office, Role.Kind.ADMINISTRATOR),
        curator=make_person("curator", office, Role.Kind.CURATOR),
        observer=make_person("observer", None, Role.Kind.OBSERVER),
        health_head=make_person("health_head", health, Role.Kind.RESPONSIBLE, last_name="Яковлева"),
        alice=make_person("alice", health, Role.Kind.EXECUTOR, last_name="Алексеева"),
        bob=make_person("bob", health, Role.Kind.EXECUTOR, last_name="Борисов"),
        charlie=make_person("charlie", health, Role.Kind.EXECUTOR, last_name="Чернов"),
        dave=make_person("dave", roads, Role.Kind.EXECUTOR, last_name="Давыдов"),
        roads_head=make_person("roads_head", roads, Role.Kind.RESPONSIBLE, last_name="Романов"),
    )


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    # PBKDF2's deliberate slowness protects real passwords; in tests it only costs minutes.
    settings.PASSWORD_HASHERS = FAST_HASHERS  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _audit_triggers(request: pytest.FixtureRequest) -> Iterator[None]:
    """Keep the audit table's append-only triggers in place for every test, and lift them only for the
    flush that empties the database after a transactional test (a flush is a database owner's act)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or any(
        name in request.fixturenames for name in ("transactional_db", "live_server")
    )
    uses_db = marker is not None or transactional or "db" in request.fixturenames
    if not uses_db:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    if transactional:
        request.getfixturevalue("transactional_db")
    install_triggers(connection)
    yield
    if transactional:
        drop_triggers(connection)


@contextmanager
def module_data(django_db_blocker: object) -> Iterator[None]:
    """Data that every test of a module reads, made once (an `otklik demo` run costs 25–60 s): written and committed
    in the block, each test of the module then runs in its own transaction, rolled back after it, so each sees the
    data as made; after the module the database is back as the migrations left it. For modules whose tests
    are not transactional (a transactional test's flush would take the data away from the tests after it); the
    module's fixture asks for `django_db_setup` (the test database) and `django_db_blocker`."""
    # the fast hasher of every test (`_fast_password_hashing`, function-scoped, is not yet in force here)
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):  # type: ignore[attr-defined]
        # what the migrations put in (the working-time limits, content types …), which the non-transactional tests
        # after this module rely on: put back after the flush, as Django's `serialized_rollback` does
        seeded = connection.creation.serialize_db_to_string()
        install_triggers(connection)
        try:
            yield
        finally:
            drop_triggers(connection)
            call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
            connection.creation.deserialize_db_from_string(seeded)


# Browser tests (tests/e2e and the apps' own browser tests) share one Chromium per session: Playwright's sync
# API cannot run two instances in one process.
CHROMIUM = os.environ.get("OTKLIK_CHROMIUM", "/usr/bin/chromium")
# As the probe found: without these flags Chromium tries Google's hosts and this closed network refuses them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is required for browser tests and is missing at {CHROMIUM}: apt-get install chromium"
        )
    # Playwright's sync API runs an event loop; Django refuses ORM calls from it unless told this is fine.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# OTKLIK_TRACE_DIR=/some/dir: each browser test writes a Playwright trace there (`playwright show-trace FILE`), to
# see what the page did in a run that failed once and passes when watched.
TRACE_DIR = os.environ.get("OTKLIK_TRACE_DIR")


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow")
    if TRACE_DIR:
        context.tracing.start(screenshots=True, snapshots=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    if TRACE_DIR:
        name = "".join(c if c.isalnum() else "-" for c in request.node.nodeid)
        context.tracing.stop(path=Path(TRACE_DIR) / f"{name}-{os.getpid()}-{id(context)}.zip")
    context.close()


# `make test` runs the SQLite and the PostgreSQL suites side by side. A test that touches no database (no
# `django_db` mark, no database fixture: pytest-django refuses it the database) gives the same result in both, so
# with OTKLIK_DB_TESTS_ONLY=1, which `make test` sets for its PostgreSQL suite only, that suite leaves such tests to
# the SQLite one and says how many it left. Run alone (`make test-postgres`, a plain `pytest`), every test runs.
DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_setup", "_django_db_helper"}


def uses_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DB_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("OTKLIK_DB_TESTS_ONLY") != "1":
        return
    left = [item for item in items if not uses_database(item)]
    if not left:
        return
    config.hook.pytest_deselected(items=left)
    items[:] = [item for item in items if uses_database(item)]
    config.stash[_LEFT_TO_SQLITE] = len(left)


_LEFT_TO_SQLITE = pytest.StashKey[int]()


def pytest_report_collectionfinish(config: pytest.Config) -> str | None:
    left = config.stash.get(_LEFT_TO_SQLITE, 0)
    if not left:
        return None
    return f"{left} tests that use no database are left to the SQLite suite (OTKLIK_DB_TESTS_ONLY=1)"
