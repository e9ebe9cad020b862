"""`otklik fake_networks`: serve the loopback fakes of VK, Telegram, OK, YouTube and an RSS feed (demo only).

The fakes live in the source checkout (``tests/fakes``); they are not part of an installed package.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.db import DatabaseError

from otklik.commandline import BaseCommand, CommandError
from otklik.intake.demo import DEMO_PORTS

log = logging.getLogger(__name__)


def start_fakes(ports: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Start the demo's fakes, by network, on ``ports`` (the demo's fixed ones unless given; 0: a free port).
    A port that cannot be taken is a Russian ``CommandError`` and stops the fakes already started. The VK fake
    then holds the Governor's demo posts and comments as `otklik demo` stored them, under the same ids
    (`governor.demo.demo_wall`): answers are published under them and the checks read them (R-7.1, R-7.4).
    The networks' own content (the fixtures, dated November 2024) is moved to a little before now, in its order
    and spacing (`FakeServer.make_current`), so the demo's messages look current; the Governor's wall keeps the
    times the demo stored."""
    ports = DEMO_PORTS if ports is None else ports
    root = Path(__file__).resolve().parents[5]
    if not (root / "tests" / "fakes" / "base.py").exists():
        raise CommandError("имитаторы есть только в исходниках проекта (tests/fakes)")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from tests.fakes.feeds import FakeFeed
    from tests.fakes.ok import FakeOK
    from tests.fakes.telegram import FakeTelegram
    from tests.fakes.vk import FakeVK
    from tests.fakes.youtube import FakeYouTube

    vk = FakeVK(port=ports["vk"])
    vk.serve_photos = True  # the demo's photos come from the fake too: nothing leaves the machine
    fakes = [
        vk,
        FakeTelegram(port=ports["telegram"]),
        FakeOK(port=ports["ok"]),
        FakeYouTube(port=ports["youtube"]),
        FakeFeed(port=ports["feed"]),
    ]
    started: dict[str, Any] = {}
    for fake in fakes:
        fake.make_current()
        try:
            fake.start()
        except OSError as exc:
            for running in started.values():
                running.stop()
            raise CommandError(
                f"не удалось занять порт {fake.host}:{fake.port} для имитатора {fake.network}: {exc.strerror} "
                "(уже запущен другой `make run` или `otklik fake_networks`?)"
            ) from exc
        started[fake.network] = fake
    from otklik.governor.demo import demo_wall

    try:
        vk.add_wall(**demo_wall())
    except DatabaseError as exc:  # no database yet (no `otklik migrate`): the Governor's wall stays empty
        log.warning("the Governor's demo posts are not on the fake VK: %s", exc)
    return started


class Command(BaseCommand):
    help = "Запустить имитаторы соцсетей на 127.0.0.1 для демонстрации (только из исходников)."

    def handle(self, *args: Any, **options: Any) -> None:
        fakes = start_fakes()
        for fake in fakes.values():
            self.stdout.write(f"{fake.network}: {fake.url}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            for fake in fakes.values():
                fake.stop()
