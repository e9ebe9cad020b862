"""`otklik demo`: load the starting directory and, unless --directory-only, the demo people. Idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from otklik.audit.context import acting_as
from otklik.cli import given, moment
from otklik.commandline import BaseCommand
from otklik.org.loaders import COORDINATOR_KEY, load_directory, loaded_body
from otklik.org.models import Absence, Body, OfficialAccount, Person, Role
from otklik.org.services import save_absence

DEMO_PASSWORD = "otklik-demo"  # noqa: S105 - printed for the demo; real installations create their own users

# (username, last, first, middle, body key, position, roles)
DEMO_PEOPLE: list[tuple[str, str, str, str, str | None, str, list[str]]] = [
    (
        "admin",
        "Администраторов",
        "Алексей",
        "Петрович",
        "@coordinator",
        "администратор системы",
        ["administrator"],
    ),
    ("curator", "Кураторова", "Мария", "Сергеевна", "@coordinator", "главный специалист", ["curator"]),
    ("curator2", "Смирнов", "Игорь", "Олегович", "@coordinator", "ведущий специалист", ["curator"]),
    (
        "observer",
        "Наблюдателев",
        "Олег",
        "Иванович",
        None,
        "советник вице-губернатора по внутренней политике",
        ["observer"],
    ),
    (
        "health_head",
        "Здравова",
        "Елена",
        "Викторовна",
        "Комитет по здравоохранению Ленинградской области",
        "заместитель председателя комитета",
        ["responsible"],
    ),
    (
        "health_exec",
        "Иванова",
        "Анна",
        "Сергеевна",
        "Комитет по здравоохранению Ленинградской области",
        "главный специалист",
        ["executor"],
    ),
    (
        "health_exec2",
        "Петров",
        "Павел",
        "Андреевич",
        "Комитет по здравоохранению Ленинградской области",
        "ведущий специалист",
        ["executor"],
    ),
    (
        "roads_head",
        "Дорожный",
        "Виктор",
        "Николаевич",
        "Комитет по дорожному хозяйству Ленинградской области",
        "заместитель председателя комитета",
        ["responsible"],
    ),
    (
        "roads_exec",
        "Сидорова",
        "Ольга",
        "Дмитриевна",
        "Комитет по дорожному хозяйству Ленинградской области",
        "специалист первой категории",
        ["executor"],
    ),
    (
        "gatchina_exec",
        "Кузнецов",
        "Денис",
        "Юрьевич",
        "Администрация Гатчинского муниципального района",
        "начальник отдела по связям с общественностью",
        ["executor", "responsible"],
    ),
]

DEMO_ACCOUNTS = [
    (
        "Комитет по здравоохранению Ленинградской области",
        "vk",
        "Комитет по здравоохранению (демо)",
        "https://vk.com/demo_health_lenobl",
    ),
    (
        "Комитет по здравоохранению Ленинградской области",
        "telegram",
        "Здравоохранение ЛО (демо)",
        "https://t.me/demo_health_lenobl",
    ),
    (
        "Комитет по дорожному хозяйству Ленинградской области",
        "vk",
        "Дороги Ленобласти (демо)",
        "https://vk.com/demo_roads_lenobl",
    ),
]


class Command(BaseCommand):
    help = "Загрузить стартовый справочник (органы, МО, темы, компетенции) и демо-пользователей."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--directory-only",
            action="store_true",
            help="только справочник, без демо-пользователей и демо-аккаунтов",
        )
        parser.add_argument(
            "--now",
            type=moment,
            help="момент, которым заканчивается демо-история (ISO 8601, по умолчанию — сейчас); "
            "ни одно событие не позже него",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = given(options.get("now")) or timezone.now()
        with acting_as(None, reason="otklik demo"), transaction.atomic():
            report = load_directory()
            self.stdout.write(
                f"Справочник: добавлено МО {report.municipalities}, населённых пунктов {report.settlements}, "
                f"групп тем {report.topic_groups}, тем {report.topics}, органов {report.bodies}, "
                f"компетенций {report.competences}."
            )
            if options["directory_only"]:
                return
            created = self._people()
            self._accounts()
            self._absences(now)
            from otklik.cases.demo import load_demo_cases

            cases = load_demo_cases(now)
            from otklik.intake.demo import add_demo_sources

            add_demo_sources()
            from otklik.reports.demo import add_demo_quarter

            self.stdout.write(f"Демо-квартал для отчётов: добавлено обращений {add_demo_quarter(now)}.")
            from otklik.governor.demo import add_demo_governor

            self.stdout.write(f"Демо-посты Губернатора: добавлено {add_demo_governor(now)}.")
        self.stdout.write(f"Демо-пользователи: добавлено {created}, всего {len(DEMO_PEOPLE)}.")
        self.stdout.write(f"Демо-обращения: добавлено {cases}.")

    def _people(self) -> int:
        coordinator = Body.objects.get(directory_key=COORDINATOR_KEY)
        created_count = 0
        for username, last, first, middle, body_key, position, roles in DEMO_PEOPLE:
            body = (
                coordinator if body_key == "@coordinator" else (loaded_body(body_key) if body_key else None)
            )
            person, created = Person.objects.get_or_create(
                username=username,
                defaults={
                    "last_name": last,
                    "first_name": first,
                    "middle_name": middle,
                    "body": body,
                    "position": position,
                    "email": f"{username}@demo.invalid",
                    "is_staff": "administrator" in roles,
                    "is_superuser": "administrator" in roles,
                },
            )
            if created:
                person.set_password(DEMO_PASSWORD)
                person.save(update_fields=["password"])
                created_count += 1
            for kind in roles:
                role_body = body if kind in Role.BODY_BOUND else None
                Role.objects.get_or_create(person=person, kind=kind, body=role_body)
        return created_count

    def _absences(self, now: datetime) -> None:
        """One current vacation with a substitute, so the directory shows substitution at work (R-6)."""
        away = Person.objects.get(username="health_exec2")
        if away.absences.exists():
            return
        today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        save_absence(
            Absence(
                person=away,
                reason=Absence.Reason.VACATION,
                starts_at=today - timedelta(days=3),
                ends_at=today + timedelta(days=11),
                substitute=Person.objects.get(username="health_exec"),
                comment="ежегодный оплачиваемый отпуск",
            )
        )

    def _accounts(self) -> None:
        for body_name, network, title, url in DEMO_ACCOUNTS:
            OfficialAccount.objects.get_or_create(
                network=network,
                url=url,
                defaults={"body": loaded_body(body_name), "title": title},
            )
