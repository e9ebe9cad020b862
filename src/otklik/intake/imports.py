"""File imports for sources without an API (R-4): CSV, XLSX and JSON with a saved column mapping.

Each row becomes one payload: a row that cannot be read goes to the quarantine, the rest of the file is
stored. The message id comes from a mapped id column, else from the link (so a later API fetch of the same
message finds the same row), else from a hash of the row.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from otklik.integrations.base import Parsed, ParsedMessage, ParseError, Payload

from .manual import external_id_of, network_of
from .models import ImportMapping, Network, Source
from .pipeline import IngestReport, ingest_payloads
from .text import to_str

logger = logging.getLogger(__name__)

MSK = ZoneInfo("Europe/Moscow")
MAX_ROWS = 200_000
DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")

# The export of a regional "Инцидент Менеджмент" system (see shared/data/README.md); the other columns
# (Отдел, Исполнитель, Тема, Муниципалитет, answers, times …) are kept with the row in Message.raw.
INCIDENT_MANAGEMENT = {
    "name": "Инцидент Менеджмент",
    "network": Network.OTHER,
    "columns": {
        "url": "Урл поста",
        "text": "Текст инцидента",
        "published_at": "Дата создания",
        "reach": "Аудитория",
    },
    "date_format": "",
}


def ensure_default_mappings() -> None:
    ImportMapping.objects.get_or_create(
        name=INCIDENT_MANAGEMENT["name"],
        defaults={k: v for k, v in INCIDENT_MANAGEMENT.items() if k != "name"},
    )


def read_rows(content: bytes, filename: str) -> list[Any]:
    """Rows of a CSV, XLSX or JSON file as dicts keyed by column name (JSON items as they are)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _xlsx_rows(content)
    if name.endswith(".json"):
        try:
            data = json.loads(content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"the JSON file cannot be read: {exc}") from exc
        if isinstance(data, dict):
            data = data.get("items") or data.get("messages") or data.get("data") or []
        if not isinstance(data, list):
            raise ParseError("the JSON file holds no list of messages")
        return data[:MAX_ROWS]
    return _csv_rows(content)


def _csv_rows(content: bytes) -> list[Any]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1251", errors="replace")  # Excel on Russian Windows saves CSV in cp1251
    try:
        dialect: Any = csv.Sniffer().sniff(text[:10_000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    rows = []
    for i, row in enumerate(reader):
        if i >= MAX_ROWS:
            break
        rows.append({(k or "").strip(): v for k, v in row.items()})
    return rows


def _xlsx_rows(content: bytes) -> list[Any]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ParseError(f"the XLSX file cannot be read: {type(exc).__name__}") from exc
    sheet = book.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows_iter, ())]
    rows = []
    for i, values in enumerate(rows_iter):
        if i >= MAX_ROWS:
            break
        if all(v is None or v == "" for v in values):
            continue
        rows.append({h: v for h, v in zip(header, values, strict=False) if h})
    book.close()
    return rows


def _date(value: Any, fmt: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=MSK)
    text = str(value).strip()
    for candidate in ((fmt,) if fmt else ()) + DATE_FORMATS:
        try:
            return datetime.strptime(text, candidate).replace(tzinfo=MSK)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ParseError(f"unrecognised date {text[:40]!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=MSK)


def row_parser(mapping: ImportMapping) -> Any:
    columns = dict(mapping.columns or {})

    def value(row: dict[str, Any], field: str) -> Any:
        column = columns.get(field, field)
        return row.get(column)

    def parse(payload: Payload) -> list[Parsed]:
        row = payload.data
        if not isinstance(row, dict):
            raise ParseError(f"expected a row object, got {type(row).__name__}")
        text = to_str(value(row, "text") or "").strip()
        url = to_str(value(row, "url") or "").strip()
        if not text and not url:
            raise ParseError("row without text and link")
        network = str(value(row, "network") or "") or (network_of(url) if url else "") or mapping.network
        if network == Network.OTHER and mapping.network != Network.OTHER:
            network = mapping.network
        if network not in Network.values:
            network = Network.OTHER
        linked = network_of(url) if url else Network.OTHER
        if linked != Network.OTHER and linked != network:
            # The link is where the message is and where the answer must go: it wins over a typed column.
            logger.warning(
                "import row: network %r, but its link %s is %s; taken as %s", network, url, linked, linked
            )
            network = linked
        ident = to_str(value(row, "external_id") or "").strip()
        if not ident:
            if url:
                ident = external_id_of(url, network)
            else:
                digest = hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()[
                    :32
                ]
                ident = f"import:{digest}"
        reach = value(row, "reach")
        return [
            ParsedMessage(
                network=network,
                external_id=ident,
                url=url if url.startswith(("http://", "https://")) else "",
                author_id=to_str(value(row, "author_id") or ""),
                author_name=to_str(value(row, "author_name") or ""),
                author_url=to_str(value(row, "author_url") or ""),
                text_raw=text,
                published_at=_date(value(row, "published_at"), mapping.date_format),
                metrics={"reach": reach} if reach not in (None, "") else {},
                raw={"import": mapping.name, "row": {k: _json_value(v) for k, v in row.items()}},
            )
        ]

    return parse


def _json_value(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat()
    if v is None or isinstance(v, str | int | float | bool):
        return v
    return str(v)


def import_file(
    content: bytes, filename: str, mapping: ImportMapping, *, source: Source | None = None
) -> IngestReport:
    rows = read_rows(content, filename)
    report = IngestReport()
    parse = row_parser(mapping)
    for i in range(0, len(rows), 1000):
        report += ingest_payloads(
            mapping.network, [Payload("row", r) for r in rows[i : i + 1000]], parse, source=source
        )
    return report
