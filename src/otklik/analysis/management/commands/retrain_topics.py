"""`otklik retrain_topics`: the weekly retraining of the topic model (for cron), same as `train_topics`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Переобучить классификатор тем на подтверждённых куратором темах (для еженедельного запуска "
        "из cron: 0 3 * * 1 otklik retrain_topics). --enqueue: поставить задачу в очередь django-tasks."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--enqueue", action="store_true", help="не обучать здесь, а поставить задачу")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from otklik.analysis.tasks import retrain_topics_task

            result = retrain_topics_task.enqueue()
            self.stdout.write(f"Задача переобучения поставлена в очередь: {result.id}")
            return
        from otklik.analysis.training import train_installation_model

        bundle = train_installation_model()
        self.stdout.write(
            f"Модель {bundle['version']}: примеров {bundle['examples']}, "
            f"подтверждённых куратором {bundle['confirmed']}, тем {len(bundle['topics'])}."
        )
