"""`otklik fake_networks`: serve the loopback fakes of VK, Telegram, OK, YouTube and an RSS feed (demo only).

The fakes live in the source checkout (``tests/fakes``); they are not part of an installed package.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from otklik.intake.demo import DEMO_PORTS


class Command(BaseCommand):
    help = "Запустить имитаторы соцсетей на 127.0.0.1 для демонстрации (только из исходников)."

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(__file__).resolve().parents[5]
        if not (root / "tests" / "fakes" / "base.py").exists():
            raise CommandError("имитаторы есть только в исходниках проекта (tests/fakes)")
        sys.path.insert(0, str(root))
        from tests.fakes.feeds import FakeFeed
        from tests.fakes.ok import FakeOK
        from tests.fakes.telegram import FakeTelegram
        from tests.fakes.vk import FakeVK
        from tests.fakes.youtube import FakeYouTube

        vk = FakeVK(port=DEMO_PORTS["vk"])
        vk.serve_photos = True  # the demo's photos come from the fake too: nothing leaves the machine
        fakes = [
            vk,
            FakeTelegram(port=DEMO_PORTS["telegram"]),
            FakeOK(port=DEMO_PORTS["ok"]),
            FakeYouTube(port=DEMO_PORTS["youtube"]),
            FakeFeed(port=DEMO_PORTS["feed"]),
        ]
        started: list[Any] = []
        for fake in fakes:
            try:
                fake.start()
            except OSError as exc:
                for running in started:
                    running.stop()
                raise CommandError(
                    f"не удалось занять порт {fake.host}:{fake.port} для имитатора {fake.network}: {exc.strerror} "
                    "(уже запущен другой `make run` или `otklik fake_networks`?)"
                ) from exc
            started.append(fake)
            self.stdout.write(f"{fake.network}: {fake.url}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            for fake in fakes:
                fake.stop()
