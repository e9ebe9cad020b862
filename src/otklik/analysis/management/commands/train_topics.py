"""otklik train_topics: train the installation's topic model from curators' confirmed topics."""

from __future__ import annotations

from typing import Any

from otklik.commandline import BaseCommand


class Command(BaseCommand):
    help = "Обучить классификатор тем на подтверждённых куратором темах (плюс стандартный набор)."

    def handle(self, *args: Any, **options: Any) -> None:
        from otklik.analysis.training import train_installation_model

        bundle = train_installation_model()
        self.stdout.write(
            f"Модель {bundle['version']}: примеров {bundle['examples']}, "
            f"подтверждённых куратором {bundle['confirmed']}, тем {len(bundle['topics'])}."
        )
