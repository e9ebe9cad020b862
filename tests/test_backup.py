"""Backup and restore of an installation, as the operator runs them (`otklik backup`, `otklik restore`;
docs/operations.md § Backup and restore): nothing the installation holds is lost, a damaged backup is refused
before anything is touched, and a restore never overwrites data.

The installation is backed up from the suite's database (SQLite or PostgreSQL, whichever the suite runs on) and
restored by a separate `otklik restore` process into a new SQLite file or a new PostgreSQL database, the way it
is done on a new machine."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from otklik.analysis.topics import default_model_dir
from otklik.audit.models import AuditEntry
from otklik.cases import actions
from otklik.cases.models import Case, Publication
from otklik.intake.models import AttachmentCopy, Message, Outbox, Source
from otklik.intake.outbox import send
from otklik.intake.pipeline import run_source
from otklik.intake.tasks import download_attachments
from otklik.org.models import Person
from tests.conftest import Personas
from tests.fakes.vk import FakeVK, tiny_png

pytestmark = pytest.mark.django_db(transaction=True)

OWNER = -200000001
ANSWER = "Павел, здравствуйте! Врач начнёт приём в ФАП Лукаши со 2 декабря, часы приёма 9:00–16:00."
MODEL = "topics-installation-20250301030000"

# What the operator looks at after a restore, from the restored installation itself (Django's test client).
CHECK = """
import json, sys
import django
django.setup()
from django.db import connection
from django.test import Client
from django.urls import reverse
from otklik.audit.models import AuditEntry
from otklik.cases.models import Case, Publication
from otklik.intake.models import AttachmentCopy, Message
from otklik.org.models import Person

MODELS = (Person, Message, Case, Publication, AttachmentCopy, AuditEntry)
counts = [m.objects.count() for m in MODELS]
client = Client()
client.force_login(Person.objects.get(username="curator"))
page = client.get(reverse("cases:detail", args=[int(sys.argv[1])]))  # the visit is audited
print(json.dumps({
    "vendor": connection.vendor,
    "counts": counts,
    "counts_after_visit": [m.objects.count() for m in MODELS],
    "status": page.status_code,
    "page": page.content.decode(),
}))
"""


def counts() -> list[int]:
    return [m.objects.count() for m in (Person, Message, Case, Publication, AttachmentCopy, AuditEntry)]


@dataclass
class Target:
    """A new installation on this machine: its own var directory and an empty database."""

    var: Path
    url: str
    vendor: str

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="otklik.settings",
            OTKLIK_VAR_DIR=str(self.var),
            DATABASE_URL=self.url,
            ALLOWED_HOSTS="testserver",
            LOG_LEVEL="WARNING",
        )
        env.pop("EMAIL_HOST", None)
        return env

    def otklik(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "otklik", *args],
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )

    def check(self, case_id: int) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-c", CHECK, str(case_id)],
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]

    def tables(self) -> list[str]:
        if self.vendor == "sqlite":
            path = self.var / "otklik.sqlite3"
            if not path.exists():
                return []
            with sqlite3.connect(path) as db:
                return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        done = subprocess.run(
            [sys.executable, "-c", "import django; django.setup(); from django.db import connection; "
             "print(len(connection.introspection.table_names()))"],
            env=self.env(), capture_output=True, text=True, check=True,
        )  # fmt: skip
        return ["?"] * int(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def installation(settings: Any, tmp_path: Path) -> Path:
    """This installation's var directory: media, models and mail under it, as in production."""
    var = tmp_path / "var"
    settings.VAR_DIR = var
    settings.MEDIA_ROOT = var / "media"
    settings.EMAIL_FILE_PATH = var / "mail"
    settings.OTKLIK_ALLOW_PRIVATE_FETCH = True  # the fake photo server is on 127.0.0.1
    return var


@pytest.fixture
def target(tmp_path: Path) -> Iterator[Target]:
    var = tmp_path / "restored"
    if connection.vendor == "sqlite":
        yield Target(var, f"sqlite:///{var / 'otklik.sqlite3'}", "sqlite")
        return
    params = connection.settings_dict
    name = f"otklik_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    auth = quote(params["USER"] or "") + (f":{quote(params['PASSWORD'])}" if params.get("PASSWORD") else "")
    try:
        yield Target(var, f"postgres://{auth}@{params['HOST']}:{params['PORT']}/{name}", "postgresql")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def photo_vk() -> Iterator[FakeVK]:
    fake = FakeVK()
    fake.serve_photos = True
    with fake:
        yield fake


def build_installation(p: Personas, fake: FakeVK, var: Path) -> Case:
    """A message with a photo read from VK, its copy in media, a case dispatched, answered, approved and
    published through the (fake) network, an installation model and a letter written as a file."""
    source = Source.objects.create(
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
    assert run_source(source).error == ""
    for result in DBTaskResult.objects.filter(task_path__endswith="download_attachments"):
        download_attachments.call(*result.args_kwargs["args"])  # what the worker does
    message = Message.objects.get(external_id=f"{OWNER}_101_1001")
    assert AttachmentCopy.objects.get(message=message).stored
    with transaction.atomic():
        case = actions.dispatch_case(p.curator, [message], [actions.Route(p.health, 1)])
        draft = actions.submit_draft(p.alice, case, "answer", ANSWER)
        actions.approve_draft(p.curator, draft)
    assert send(Outbox.objects.get(case_id=case.pk).pk).state == Outbox.State.SENT
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and Publication.objects.filter(case=case).exists()
    shutil.copytree(default_model_dir(), var / "models" / MODEL)
    (var / "mail").mkdir(parents=True, exist_ok=True)
    (var / "mail" / "20251201-090000-1.log").write_text(
        "Subject: Напоминание о сроке\n\nОтветьте до 12:00.\n"
    )
    return case


def tree(root: Path) -> dict[str, str]:
    return {
        str(f.relative_to(root)): hashlib.sha256(f.read_bytes()).hexdigest()
        for f in root.rglob("*")
        if f.is_file()
    }


def test_round_trip_keeps_everything_and_the_case_page_opens(
    personas: Personas, photo_vk: FakeVK, installation: Path, target: Target, tmp_path: Path
) -> None:
    """Nothing lost (R-4): the database with the case and its publication, the copy of the citizen's photo,
    the trained model and the unsent letter come back on a new installation, which shows the case page."""
    case = build_installation(personas, photo_vk, installation)
    before = counts()
    stored = AttachmentCopy.objects.exclude(stored="").get().stored
    out = tmp_path / "backup"

    call_command("backup", out=out)  # while this process keeps its connection to the database open

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert "0001_initial" in manifest["database"]["migrations"]["cases"]
    assert manifest["created_at"].endswith("+03:00")  # Moscow time
    assert sorted(manifest["folders"]) == ["mail", "media", "models"]
    for name, part in manifest["parts"].items():
        assert part["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest()

    done = target.otklik("restore", "--from", str(out))
    assert done.returncode == 0, done.stderr
    assert "Восстановлено из копии" in done.stdout

    seen = target.check(case.pk)
    assert seen["vendor"] == connection.vendor
    assert seen["counts"] == before
    assert seen["status"] == 200
    assert "Лукаши" in seen["page"]  # the published answer
    assert (target.var / "media" / stored).read_bytes() == tiny_png()  # the photo's copy, the same bytes
    assert tree(target.var / "models") == tree(installation / "models")
    assert tree(target.var / "mail") == tree(installation / "mail")

    again = target.otklik("restore", "--from", str(out))  # the new installation now has data of its own
    assert again.returncode != 0
    assert "уже есть данные Otklik" in again.stderr
    assert target.check(case.pk)["counts"] == seen["counts_after_visit"]


@pytest.mark.parametrize("part", ["database", "files.tar.gz"])
def test_a_damaged_backup_is_refused_before_anything_is_touched(
    personas: Personas, installation: Path, target: Target, tmp_path: Path, part: str
) -> None:
    (installation / "media" / "messages" / "1").mkdir(parents=True)
    (installation / "media" / "messages" / "1" / "photo.png").write_bytes(tiny_png())
    out = tmp_path / "backup"
    call_command("backup", out=out)
    manifest = json.loads((out / "manifest.json").read_text())
    name = manifest["database"]["part"] if part == "database" else part
    data = bytearray((out / name).read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte flipped
    (out / name).write_bytes(bytes(data))

    done = target.otklik("restore", "--from", str(out))

    assert done.returncode != 0
    assert f"Часть копии {name} повреждена" in done.stderr and "ничего не изменено" in done.stderr
    assert "Traceback" not in done.stderr
    assert target.tables() == []
    assert not (target.var / "media").exists()


def test_restore_after_losing_only_the_database_keeps_the_media_and_overwrites_no_other_file(
    personas: Personas, installation: Path, target: Target, tmp_path: Path
) -> None:
    """The database is lost, the media folder survived: the same files are left as they are; a file of the
    same name with other bytes is never replaced (and then nothing is restored)."""
    photo = Path("messages") / "1" / "0.png"
    (installation / "media" / photo).parent.mkdir(parents=True)
    (installation / "media" / photo).write_bytes(tiny_png())
    (installation / "media" / "cases").mkdir()
    (installation / "media" / "cases" / "answer.pdf").write_bytes("%PDF-1.4 ответ".encode())
    out = tmp_path / "backup"
    call_command("backup", out=out)
    (target.var / "media" / photo).parent.mkdir(parents=True)
    (target.var / "media" / photo).write_bytes(tiny_png(10, 10))  # another picture under the same name

    refused = target.otklik("restore", "--from", str(out))

    assert refused.returncode != 0
    assert "другие файлы с теми же именами" in refused.stderr and str(photo) in refused.stderr
    assert (target.var / "media" / photo).read_bytes() == tiny_png(10, 10)
    assert target.tables() == [] and not (target.var / "media" / "cases").exists()

    (target.var / "media" / photo).write_bytes(tiny_png())  # the surviving copy of the same photo
    done = target.otklik("restore", "--from", str(out))
    assert done.returncode == 0, done.stderr
    assert tree(target.var / "media") == tree(installation / "media")


def test_restore_never_overwrites_a_database_with_data(
    personas: Personas, installation: Path, tmp_path: Path
) -> None:
    """`--force` is not offered: the installation's own data stay as they were."""
    (installation / "media").mkdir(parents=True)
    (installation / "media" / "draft.pdf").write_bytes(b"%PDF-1.4 attachment")
    out = tmp_path / "backup"
    call_command("backup", out=out)
    Person.objects.filter(username="alice").update(last_name="Изменённая")
    before = counts()

    with pytest.raises(CommandError, match=r"уже есть данные Otklik .*org\.person") as refused:
        call_command("restore", source=out)

    assert "только в пустую базу" in str(refused.value)
    assert counts() == before
    assert Person.objects.get(username="alice").last_name == "Изменённая"


def test_backup_refuses_a_directory_that_is_not_empty(
    personas: Personas, installation: Path, tmp_path: Path
) -> None:
    out = tmp_path / "backup"
    out.mkdir()
    (out / "old.txt").write_text("вчерашняя копия")
    with pytest.raises(CommandError, match="не пуст"):
        call_command("backup", out=out)
    assert [p.name for p in out.iterdir()] == ["old.txt"]


def test_backup_refuses_a_directory_inside_what_it_keeps(personas: Personas, installation: Path) -> None:
    """A backup under var/media would archive itself, and every night's backup all the earlier ones."""
    out = installation / "media" / "backup"
    with pytest.raises(CommandError, match="лежит внутри"):
        call_command("backup", out=out)
    assert not out.exists()


@pytest.mark.parametrize("change", ["vendor", "newer"])
def test_a_backup_of_another_database_kind_or_a_newer_otklik_is_refused(
    personas: Personas, installation: Path, target: Target, tmp_path: Path, change: str
) -> None:
    out = tmp_path / "backup"
    call_command("backup", out=out)
    manifest = json.loads((out / "manifest.json").read_text())
    if change == "vendor":
        manifest["database"]["vendor"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
        expected = "перенос между разными СУБД"
    else:
        manifest["database"]["migrations"]["cases"].append("9999_from_the_future")
        expected = "более новой версией Otklik"
    (out / "manifest.json").write_text(json.dumps(manifest))

    done = target.otklik("restore", "--from", str(out))

    assert done.returncode != 0 and expected in done.stderr
    assert target.tables() == []


def test_sqlite_backup_of_a_live_database_is_consistent(tmp_path: Path) -> None:
    """A database in use: committed rows still only in the write-ahead log are in the copy (a plain copy of
    the file would lose them), a writer's unfinished transaction is not, and the writer is not stopped."""
    path = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # committed pages stay in the -wal file
    writer.execute("CREATE TABLE letters (id INTEGER PRIMARY KEY, text TEXT)")
    writer.executemany("INSERT INTO letters (text) VALUES (?)", [(f"письмо {i}",) for i in range(100)])
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO letters (text) VALUES ('не дописано')")
    live = Target(tmp_path / "var", f"sqlite:///{path}", "sqlite")
    try:
        done = live.otklik("backup", "--out", str(tmp_path / "backup"))
        writer.execute("INSERT INTO letters (text) VALUES ('после копии')")
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "backup" / "database.sqlite3") as copy:
        assert copy.execute("SELECT count(*) FROM letters").fetchone()[0] == 100
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
