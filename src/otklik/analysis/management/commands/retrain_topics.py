"""`otklik retrain_topics`: the weekly retraining of the topic model (for cron), the same run as the clock's task
(`analysis.tasks.retrain_topics_task`)."""

from __future__ import annotations

from typing import Any

from otklik.commandline import BaseCommand


class Command(BaseCommand):
    help = (
        "Переобучить классификатор тем на подтверждённых куратором темах (для еженедельного запуска "
        "из cron: 0 3 * * 1 otklik retrain_topics). --enqueue: поставить задачу в очередь django-tasks."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--enqueue", action="store_true", help="не обучать здесь, а поставить задачу")

    def handle(self, *args: Any, **options: Any) -> None:
        from otklik.analysis.tasks import retrain_topics_task

        if options["enqueue"]:
            queued = retrain_topics_task.enqueue()
            self.stdout.write(f"Задача переобучения поставлена в очередь: {queued.id}")
            return
        # The same run as the clock's weekly task: nothing is trained when no curator's decision is new, and
        # only the newest models stay in var/models.
        result = retrain_topics_task.call()
        if not result["retrained"]:
            self.stdout.write(
                f"Модель {result['version']} обучена на тех же решениях кураторов: не переобучалась."
            )
            return
        self.stdout.write(
            f"Модель {result['version']}: примеров {result['examples']}, "
            f"подтверждённых куратором {result['confirmed']}."
        )
