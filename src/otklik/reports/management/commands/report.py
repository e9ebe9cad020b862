"""`otklik report monthly|rating|violations|deliver` — the reports of clauses 12–13 for cron and by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone

from otklik.cli import given, moment
from otklik.commandline import BaseCommand, CommandError, CommandParser, os_error_text
from otklik.reports import deficiencies, export, monthly, periods, rating
from otklik.reports.delivery import calendar_gap, deliver_monthly, deliver_rating

WRITERS: dict[str, dict[str, Callable[[Any], bytes]]] = {
    "monthly": {"xlsx": export.monthly_xlsx, "pdf": export.monthly_pdf, "json": export.to_json},
    "rating": {"xlsx": export.rating_xlsx, "pdf": export.rating_pdf, "json": export.to_json},
    "violations": {"xlsx": export.violations_xlsx, "pdf": export.violations_pdf, "json": export.to_json},
}


class Command(BaseCommand):
    help = "Отчёты: ежемесячный (R-13), квартальный рейтинг (R-13), нарушения сроков (R-12); рассылка отчёта."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        m = sub.add_parser("monthly", help="ежемесячный отчёт")
        m.add_argument("--month", required=True, help="ГГГГ-ММ")
        m.add_argument("--format", choices=["xlsx", "pdf", "json"], default="xlsx")
        m.add_argument("-o", "--output", required=True)
        r = sub.add_parser("rating", help="квартальный рейтинг органов")
        r.add_argument("--quarter", required=True, help="ГГГГQN, например 2026Q3")
        r.add_argument("--format", choices=["xlsx", "pdf", "json"], default="xlsx")
        r.add_argument("-o", "--output", required=True)
        v = sub.add_parser("violations", help="нарушения сроков (недостатки)")
        v.add_argument("--from", dest="first", required=True, help="ГГГГ-ММ-ДД")
        v.add_argument("--to", dest="last", required=True, help="ГГГГ-ММ-ДД")
        v.add_argument("--format", choices=["xlsx", "pdf", "json"], default="xlsx")
        v.add_argument("-o", "--output", required=True)
        d = sub.add_parser(
            "deliver",
            help="сформировать и разослать отчёт за прошлый месяц (для cron, ежедневно; "
            "с --rating — рейтинг за прошлый квартал)",
        )
        d.add_argument("--now", type=moment, help="момент ISO 8601 (для повторов и проверок)")
        d.add_argument("--force", action="store_true", help="не ждать первого рабочего дня месяца (квартала)")
        d.add_argument(
            "--rating",
            action="store_true",
            help="квартальный рейтинг за прошлый квартал, в первый рабочий день квартала (R-13)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        kind = opts["kind"]
        try:
            if kind == "deliver":
                now = given(opts.get("now"))
                deliver = deliver_rating if opts["rating"] else deliver_monthly
                run = deliver(now, force=opts["force"])
                if run is not None:
                    what = "Рейтинг" if opts["rating"] else "Отчёт"
                    if run.delivered_at is None:
                        raise CommandError(
                            f"{what} за {run.period_key} сформирован, но не разослан: в системе нет ни одного "
                            "наблюдателя. Заведите наблюдателей — следующий запуск разошлёт его."
                        )
                    self.stdout.write(f"{what} за {run.period_key} разослан.")
                    return
                gap = "" if opts["force"] else calendar_gap(now or timezone.now(), rating=opts["rating"])
                if gap:  # nothing was sent because nobody can tell when it is due: cron's mail must say so
                    raise CommandError(gap)
                self.stdout.write("Рассылать нечего.")
                return
            data, fmt = self._build(kind, opts)
        except (
            ValueError,
            export.FontMissing,
        ) as e:  # FontMissing: the PDF needs DejaVu Sans, said in Russian
            raise CommandError(str(e)) from e
        output = Path(opts["output"])
        try:
            output.write_bytes(data)
        except OSError as e:
            raise CommandError(f"Не удалось записать отчёт в {output}: {_write_problem(output, e)}.") from e
        self.stdout.write(f"{opts['output']}: {len(data)} байт ({fmt})")

    def _build(self, kind: str, opts: dict[str, Any]) -> tuple[bytes, str]:
        fmt = opts["format"]
        data: Any
        if kind == "monthly":
            data = monthly.build(periods.parse_month(opts["month"]))
        elif kind == "rating":
            data = rating.build(periods.parse_quarter(opts["quarter"]))
        else:
            data = deficiencies.build(periods.parse_span(opts["first"], opts["last"]))
        return WRITERS[kind][fmt](data), fmt


def _write_problem(output: Path, error: OSError) -> str:
    if output.is_dir():
        return "это каталог, укажите имя файла"
    if not output.parent.is_dir():
        return f"нет каталога {output.parent}"
    return os_error_text(error, output)
