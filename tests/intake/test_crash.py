"""Kill the ingestion process with SIGKILL in the middle of a batch, run it again: every message once (R-4).

The fake Telegram forgets updates as soon as it is asked with a higher ``offset``, exactly like the real Bot
API. So if the cursor were ever saved before its messages were committed, the killed run would lose them for
good and the count at the end would be short.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakes.base import Request, Response
from tests.fakes.telegram import FakeTelegram

TOTAL = 3000
GROUP = {"id": -1009876543210, "type": "supergroup", "title": "обсуждение"}
OTKLIK = str(Path(sys.executable).with_name("otklik"))


class SlowTelegram(FakeTelegram):
    """Serves pages slowly so that the process can be killed between and during them."""

    def handle(self, request: Request) -> Response:
        time.sleep(0.03)
        return super().handle(request)


def env_for(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        OTKLIK_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'crash.sqlite3'}",
        LOG_LEVEL="WARNING",
    )
    return env


def stored(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db, timeout=30) as conn:
        total, distinct = conn.execute(
            "select count(*), count(distinct external_id) from intake_message where network = 'telegram'"
        ).fetchone()
    return int(total), int(distinct)


def test_sigkill_mid_batch_then_rerun_stores_every_message_exactly_once(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    subprocess.run([OTKLIK, "migrate", "--no-input", "-v0"], env=env, check=True, timeout=300)
    with SlowTelegram() as fake:
        fake.updates = [
            {
                "update_id": 10_000 + i,
                "message": {
                    "message_id": i,
                    "chat": GROUP,
                    "date": 1732781500,
                    "from": {"id": 7, "first_name": "Ж"},
                    "text": f"сообщение {i}",
                },
            }
            for i in range(TOTAL)
        ]
        script = (
            "from otklik.intake.models import Source; "
            f"print(Source.objects.create(network='telegram', kind='channel', title='crash', "
            f"config={{'api_base': '{fake.url}', 'token': '{fake.token}'}}).pk)"
        )
        source_id = subprocess.run(
            [OTKLIK, "shell", "-c", script], env=env, check=True, capture_output=True, text=True, timeout=120
        ).stdout.split()[-1]
        db = tmp_path / "crash.sqlite3"

        process = subprocess.Popen(
            [OTKLIK, "ingest", "--source", source_id], env=env, stdout=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            count, _ = stored(db)
            if count >= TOTAL // 3:
                break
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        killed_at, _ = stored(db)
        assert 0 < killed_at < TOTAL, "the kill must land in the middle of the batch"

        subprocess.run(
            [OTKLIK, "ingest", "--source", source_id],
            env=env,
            check=True,
            timeout=300,
            stdout=subprocess.DEVNULL,
        )
        assert stored(db) == (TOTAL, TOTAL)
        assert not fake.updates or fake.updates[0]["update_id"] >= 10_000 + TOTAL - 100


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_otklik_ingest_reports_what_it_did(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    subprocess.run([OTKLIK, "migrate", "--no-input", "-v0"], env=env, check=True, timeout=300)
    with FakeTelegram() as fake:
        script = (
            "from otklik.intake.models import Source; "
            f"Source.objects.create(network='telegram', kind='channel', title='tg', config={{'api_base': '{fake.url}', 'token': '{fake.token}'}})"
        )
        subprocess.run([OTKLIK, "shell", "-c", script], env=env, check=True, timeout=120)
        out = subprocess.run(
            [OTKLIK, "ingest"], env=env, check=True, capture_output=True, text=True, timeout=120
        ).stdout
    assert "Telegram: tg: новых 3, обновлено 0, в карантине 0" in out
