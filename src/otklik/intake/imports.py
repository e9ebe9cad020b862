"""File imports for sources without an API (R-4): CSV, XLSX and JSON with a saved column mapping.

Each row becomes one message: a row that cannot be read goes to the quarantine with its place in the file and
a Russian reason, the rest of the file is stored. The message id comes from a mapped id column, else from the
link (so a later API fetch of the same message finds the same row), else from a hash of the row's message
fields. The format is told by the file's first bytes, not its name; the header is the first row (of any sheet)
that holds the mapping's text or link column. A file that holds none of them is refused as a whole, with the
columns it expected and those it found: nothing is stored, the file stays with the curator.

An office spreadsheet is read as its curator sees it: a cell merged over several rows belongs to each of them, a
header may take two rows (cells merged down, a group merged across its columns) under a merged title, a link
column gives the address behind a hyperlink cell or «=HYPERLINK(…)», not the text it shows («Открыть»); a totals
row («Итого») and a row of column numbers under the header are not messages (the totals row is named in the
notes). A link column holding no link («-», «нет») gives no link and no id.

A message that is already stored from its network (a connector read it) is left as it is: an export row has
less than the network's own payload (author id, attachments, source). A message stored earlier by an import or
by hand is updated, and a blank cell does not erase what is stored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from otklik.integrations.base import CLOCK_SKEW, Parsed, ParsedMessage, ParseError, Payload

from .manual import external_id_of, from_network, in_case_ids, network_of, stored_by_link
from .models import ImportMapping, Message, Network, Source
from .pipeline import EARLIEST, quarantine, upsert
from .text import link_text, to_str, web_link

logger = logging.getLogger(__name__)

MSK = ZoneInfo("Europe/Moscow")
MAX_ROWS = 200_000
ROWS_LIMIT = f"{MAX_ROWS:,}".replace(",", " ")  # as Russian writes it
# An XLSX file is a ZIP: what it unpacks to is what openpyxl holds in memory (shared strings, sheet XML).
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
HEADER_SEARCH_ROWS = 30  # a title, a period, blank lines may come before the header
MAX_HEADER_ROWS = 5  # a header's cells merged over more rows than this are not a header of several rows
MAX_MERGED_COLUMNS = 16_384  # Excel's columns
CHUNK_ROWS = 1000  # rows stored per transaction
DATE_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
# Excel's serial day numbers that can be a publication date (1954 … 2119); others are not dates.
EXCEL_SERIAL_RANGE = (20_000, 80_000)
# Unix time: seconds (9–10 digits) or milliseconds (12–13), perhaps with a fraction.
_UNIX_TIME = re.compile(r"^(\d{9,10}|\d{12,13})(?:\.\d+)?$")
DELIMITERS = (";", ",", "\t")
JSON_EXTENSIONS = (".json", ".jsonl", ".ndjson")

# The csv module refuses a field over 128 KiB; a long message text in an export is longer. The upload itself
# is limited (intake.forms.MAX_UPLOAD_BYTES), so no field can exceed this.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))

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

# How monitoring exports name the networks in a «network» column (besides our values and labels).
NETWORK_NAMES = {
    "вк": Network.VK,
    "вконтакте": Network.VK,
    "vkontakte": Network.VK,
    "vk.com": Network.VK,
    "ок": Network.OK,
    "ok.ru": Network.OK,
    "odnoklassniki": Network.OK,
    "tg": Network.TELEGRAM,
    "телеграм": Network.TELEGRAM,
    "телеграмм": Network.TELEGRAM,
    "t.me": Network.TELEGRAM,
    "ютуб": Network.YOUTUBE,
    "youtube.com": Network.YOUTUBE,
}
_NETWORK_VALUES = frozenset(Network.values)
# What a broken UTF-8 byte sequence is read as (`_decode`): a file is UTF-8 with at most one broken sequence in
# this many of its other non-ASCII letters, and the rows that have one are named to the curator.
REPLACEMENT = "\ufffd"
BROKEN_SHARE = 20
BROKEN_PLACES_SHOWN = 10
# «Иванов Иван (id123)»: a monitoring system's author with the network's id in brackets.
# The name ends with a non-space: «.*?» followed by «\s*» alone re-read a run of spaces from each of its characters,
# quadratic in the cell's length (a name cell with 20,000 spaces took half a second, 100,000 fourteen).
_AUTHOR_WITH_ID = re.compile(r"^(?P<name>(?:.*?\S)?)\s*\((?P<id>(?:id|club|public)?-?\d+)\)\s*$")
_SCHEMELESS_LINK = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-zа-яё]{2,}(?:[/?#]|$)", re.IGNORECASE)
_INTEGRAL = re.compile(r"^(-?\d+)\.0+$")
# «=HYPERLINK("https://vk.com/wall-1_2"; "Открыть")» (ГИПЕРССЫЛКА in a Russian Excel; the file has HYPERLINK):
# only a whole address in quotes, not one put together from other cells.
_HYPERLINK_FORMULA = re.compile(r'^\s*=?\s*(?:_xlfn\.)?HYPERLINK\(\s*"((?:[^"]|"")*)"\s*[,)]', re.IGNORECASE)
_TOTALS = re.compile(r"^\s*(?:итого|всего)\b", re.IGNORECASE)
# A number («1 520», «12,5%»): at least one digit (the lookahead) among digits, spaces, points and commas. Written
# as «[…]*\d[…]*» it tried every split of a long cell around its digits, quadratic (20,000 digits: 3.6 s).
_NUMBER = re.compile(r"^-?(?=[\s\u00a0.,]*\d)[\d\s\u00a0.,]+%?$")


def ensure_default_mappings() -> None:
    ImportMapping.objects.get_or_create(
        name=INCIDENT_MANAGEMENT["name"],
        defaults={k: v for k, v in INCIDENT_MANAGEMENT.items() if k != "name"},
    )


@dataclass
class Row:
    """One row of the file and where it is, in Russian («строка 5», «лист «Май», строка 5», «элемент 3»)."""

    place: str
    data: Any


@dataclass
class Problem:
    place: str
    reason: str


@dataclass
class ImportReport:
    """What an import did, for the curator (``summary``, ``problems``, ``notes``) and the callers' counts."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    quarantined: int = 0
    known: int = 0  # already stored from their network: left as they are
    in_work: int = 0  # stored by hand or an earlier import and already in a case: left as they are
    repeated: int = 0  # rows whose message comes again further down the file (the later row is stored)
    problems: list[Problem] = field(default_factory=list)  # the quarantined rows, with their reasons
    repeats: list[Problem] = field(default_factory=list)
    # rows stored without something the file meant to give (a link Excel lost, a date not yet come): named
    caveats: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the file as a whole (sheets skipped …)

    def summary(self) -> str:
        parts = [f"строк с данными {self.rows}", f"новых {self.created}", f"обновлено {self.updated}"]
        if self.known:
            parts.append(f"уже получены из сети и оставлены как есть {self.known}")
        if self.in_work:
            parts.append(f"уже в работе (в обращениях) и оставлены как есть {self.in_work}")
        if self.repeated:
            parts.append(f"повторов внутри файла {self.repeated}")
        quarantined = f"не разобрано {self.quarantined}"
        if self.quarantined:
            quarantined += " (строки сохранены в карантине, причины — в списке ниже)"
        parts.append(quarantined)
        return "Импорт: " + ", ".join(parts) + "."


def _norm(name: Any) -> str:
    return " ".join(str(name).replace("\ufeff", "").split()).casefold()


class _Columns:
    """The mapping's column names: which the file must have, and the file's spelling → the mapping's."""

    def __init__(self, mapping: ImportMapping) -> None:
        columns = {str(k): str(v) for k, v in dict(mapping.columns or {}).items()}
        self.names = {f: columns.get(f, f) for f in ImportMapping.FIELDS}
        self.required = [self.names["text"], self.names["url"]]  # a row needs its text or its link
        self._canonical = {_norm(c): c for c in self.names.values()}
        self._required = {_norm(c) for c in self.required}

    def matches(self, cells: Iterable[Any]) -> int:
        return len({_norm(c) for c in cells if c is not None} & self._required)

    def header(self, cells: Iterable[Any]) -> list[str]:
        result = []
        for cell in cells:
            text = " ".join(to_str(cell).replace("\ufeff", "").split()) if cell is not None else ""
            result.append(self._canonical.get(text.casefold(), text))
        return result

    def missing(self, found: Iterable[Any]) -> str:
        shown = [f"«{c}»" for c in (" ".join(to_str(x).split()) for x in found if x is not None) if c][:15]
        return (
            f"в файле нет колонок {' и '.join(f'«{c}»' for c in self.required)} из схемы; "
            f"найдены колонки: {', '.join(shown) or 'никаких'}. Выберите другую схему или поправьте "
            "заголовок файла"
        )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass
class _Layout:
    """What openpyxl's read-only mode does not give about a sheet: its merged ranges and the links behind its
    cells (a hyperlink, or «=HYPERLINK("адрес"; "Открыть")»). Its full mode has them (``ws.merged_cells.ranges``,
    ``cell.hyperlink.target``) but holds every cell as an object: several times the memory of a large export."""

    # Each merged range as openpyxl's CellRange.bounds: min_col, min_row, max_col, max_row.
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    links: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, column) → the link's address

    def header_rows(self, row: int) -> tuple[int, int]:
        """The rows of a header found at ``row``: with those its cells are merged down or up to."""
        top = bottom = row
        changed = True
        while changed:
            changed = False
            for _c1, r1, _c2, r2 in self.merged:
                if (
                    r1 < r2 <= r1 + MAX_HEADER_ROWS
                    and r1 <= bottom
                    and r2 >= top
                    and (r1 < top or r2 > bottom)
                ):
                    top, bottom, changed = min(top, r1), max(bottom, r2), True
        return top, bottom

    def header(self, records: dict[int, Sequence[Any]], top: int, bottom: int) -> list[str]:
        """Column names of a header of rows ``top``…``bottom``: a merged cell names every column and row it
        covers; the names of one column from several rows are joined («Ответы ПИ / 1ый»)."""
        grid = {
            (r, c): value for r in range(top, bottom + 1) for c, value in enumerate(records.get(r, ()), 1)
        }
        for c1, r1, c2, r2 in self.merged:
            if r1 <= bottom and r2 >= top and c2 - c1 < MAX_MERGED_COLUMNS:
                value = records.get(r1, ())[c1 - 1] if r1 >= top and c1 <= len(records.get(r1, ())) else None
                for r in range(max(r1, top), min(r2, bottom) + 1):
                    for c in range(c1, c2 + 1):
                        grid[(r, c)] = value
        width = max((c for _r, c in grid), default=0)
        names = []
        for c in range(1, width + 1):
            parts: list[str] = []
            for r in range(top, bottom + 1):
                part = " ".join(to_str(grid.get((r, c))).split()) if grid.get((r, c)) is not None else ""
                if part and part not in parts:
                    parts.append(part)
            names.append(" / ".join(parts))
        return names

    def subheader(self, values: Sequence[Any], top: int, bottom: int) -> bool:
        """Whether the row under a header is its second row: it names only columns under the header's cells
        merged across several columns."""
        grouped = {
            c
            for c1, r1, c2, r2 in self.merged
            if c2 > c1 and r1 <= bottom and r2 >= top and c2 - c1 < MAX_MERGED_COLUMNS
            for c in range(c1, c2 + 1)
        }
        filled = {c for c, v in enumerate(values, 1) if not _blank(v)}
        return bool(filled) and filled <= grouped

    def spans_down(self, below: int) -> dict[int, list[tuple[int, int]]]:
        """The merged ranges of the data (under row ``below``) over several rows: first row → (column, last row)."""
        result: dict[int, list[tuple[int, int]]] = {}
        for c1, r1, _c2, r2 in self.merged:
            if r1 > below and r2 > r1:
                result.setdefault(r1, []).append((c1, r2))
        return result


def _read_layout(archive: zipfile.ZipFile, path: str) -> _Layout:
    """The merged ranges and the links of a sheet (``path`` in the book's ZIP), read with openpyxl's own parts
    in one pass over the sheet's XML that keeps no rows."""
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet.cell_range import CellRange
    from openpyxl.worksheet.hyperlink import HyperlinkList
    from openpyxl.worksheet.merge import MergeCells
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    ns = f"{{{SHEET_MAIN_NS}}}"
    layout = _Layout()
    if not _mentions(archive, path, (b"mergeCell", b"hyperlink", b"HYPERLINK")):
        return layout  # most exports: no second reading of their XML
    hyperlinks: list[Any] = []
    with archive.open(path) as source:
        for _event, element in iterparse(source):
            if element.tag == f"{ns}row":
                if element.find(f"{ns}c/{ns}f") is not None:
                    for cell in element.iterfind(f"{ns}c"):
                        match = _HYPERLINK_FORMULA.match(cell.findtext(f"{ns}f") or "")
                        if match and cell.get("r"):
                            layout.links[coordinate_to_tuple(cell.get("r"))] = match.group(1).replace(
                                '""', '"'
                            )
                element.clear()
            elif element.tag == f"{ns}mergeCells":
                layout.merged = [CellRange(m.ref).bounds for m in MergeCells.from_tree(element).mergeCell]
                element.clear()
            elif element.tag == f"{ns}hyperlinks":
                hyperlinks = [
                    link for link in HyperlinkList.from_tree(element).hyperlink if link.id and link.ref
                ]
                element.clear()
    if hyperlinks:
        try:
            relations = get_dependents(archive, get_rels_path(path)).to_dict()
        except KeyError:
            logger.warning("import: XLSX sheet %s has hyperlinks but no relationships; links not read", path)
            return layout
        for link in hyperlinks:
            relation = relations.get(link.id)
            if relation is None or not relation.Target:
                logger.warning("import: XLSX sheet %s: hyperlink %s has no target, not read", path, link.ref)
                continue
            c1, r1, c2, r2 = CellRange(link.ref).bounds
            if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_ROWS:
                logger.warning("import: XLSX sheet %s: hyperlink over %s too large, not read", path, link.ref)
                continue
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    layout.links.setdefault((r, c), str(relation.Target))
    return layout


def _mentions(archive: zipfile.ZipFile, path: str, words: Sequence[bytes]) -> bool:
    """Whether a member of the ZIP has any of ``words`` in its bytes (read in pieces, not whole)."""
    overlap = max(len(w) for w in words) - 1
    tail = b""
    with archive.open(path) as source:
        while piece := source.read(1 << 20):
            chunk = tail + piece
            if any(word in chunk for word in words):
                return True
            tail = chunk[-overlap:]
    return False


def _unique(names: list[str]) -> list[str]:
    """A name that comes again in the header gets its number («Дата (2)»): no column hides another one."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        if name:
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name} ({seen[name]})"
        result.append(name)
    return result


def _column_numbers(values: Sequence[Any]) -> bool:
    """The row of column numbers «1, 2, 3 …» that office forms put under the header."""
    filled = [_text(v) for v in values if not _blank(v)]
    return len(filled) >= 3 and filled == [str(n) for n in range(1, len(filled) + 1)]


def _totals(values: Sequence[Any]) -> str:
    """The label of a totals row («Итого: 152»), or "" for any other row."""
    filled = [v for v in values if not _blank(v)]
    if not filled or not isinstance(filled[0], str) or not _TOTALS.match(filled[0]):
        return ""
    if all(isinstance(v, int | float) or _NUMBER.match(_text(v)) for v in filled[1:]):
        return " ".join(filled[0].split())
    return ""


def _table(
    records: Iterable[Sequence[Any]],
    columns: _Columns,
    prefix: str,
    notes: list[str],
    layout: _Layout | None = None,
) -> tuple[list[Row], Sequence[Any] | None]:
    """Rows after the header (found within the first rows); with no header, no rows and the first row that
    has something in it (for the message about the missing columns). An XLSX sheet's ``layout`` gives a merged
    cell's value to every row it covers and a cell's link instead of its shown text in the link columns."""
    layout = layout or _Layout()
    header: list[str] | None = None
    block: tuple[int, int] | None = None
    searched: dict[int, Sequence[Any]] = {}
    first: Sequence[Any] = ()
    rows: list[Row] = []
    spans: dict[int, list[tuple[int, int]]] = {}
    fills: dict[int, tuple[Any, int]] = {}  # column index → (the merged value, the last row of its range)
    links: list[int] = []  # the columns of links: a cell's link is taken, not the text it shows
    link_names = {columns.names["url"], columns.names["author_url"]}
    for number, values in enumerate(records, start=1):
        if header is None:
            searched[number] = values
            if block is None and columns.matches(values):
                block = layout.header_rows(number)
            if block is not None:
                if number >= block[1]:
                    header = _unique(columns.header(layout.header(searched, *block)))
                    spans = layout.spans_down(number)
                    links = [i for i, name in enumerate(header) if name in link_names]
            elif number >= HEADER_SEARCH_ROWS:
                break
            elif not first and not all(_blank(v) for v in values):
                first = values
            continue
        if block is not None and number == block[1] + 1 and layout.subheader(values, *block):
            # «1ый», «2ой», «3ий» under «Ответы ПИ» merged across them: the header's second row.
            searched[number] = values
            block = (block[0], number)
            header = _unique(columns.header(layout.header(searched, *block)))
            spans = layout.spans_down(number)
            links = [i for i, name in enumerate(header) if name in link_names]
            continue
        blank = all(_blank(v) for v in values)
        values = list(values)
        for i in links:
            link = layout.links.get((number, i + 1))
            if link and i < len(values):
                values[i] = link
        for i, (value, last) in list(fills.items()):
            if number > last:
                del fills[i]
            elif not blank:
                values.extend([None] * (i + 1 - len(values)))
                if _blank(values[i]):
                    values[i] = value
        for column, last in spans.get(number, ()):
            fills[column - 1] = (values[column - 1] if column <= len(values) else None, last)
        if blank:
            continue
        if not rows and _column_numbers(values):
            continue
        label = _totals(values)
        if label:
            where = _capital(f"{prefix}строка {number}")
            notes.append(f"{where} («{label[:40]}») — строка итогов, она не импортирована.")
            continue
        if len(rows) >= MAX_ROWS:
            raise ParseError(f"в файле больше {ROWS_LIMIT} строк: разделите его на части")
        # A row shorter than the header (its last cells empty) still has every column.
        data: dict[str, Any] = {n: values[i] if i < len(values) else None for i, n in enumerate(header) if n}
        extra = [v for v in values[len(header) :] if not _blank(v)]
        if extra:
            data["…"] = [to_str(v) for v in extra]
        rows.append(Row(f"{prefix}строка {number}", data))
    return (rows, None) if header is not None else ([], first)


def _decode(content: bytes) -> tuple[str, int]:
    """The text of a file and how many broken UTF-8 sequences in it were replaced with «�».

    A UTF-8 export with a few broken bytes (a text its system cut in the middle of a letter) is UTF-8 all the
    same: at most one broken sequence in `BROKEN_SHARE` of its other non-ASCII letters. A file in cp1251 (Excel on
    Russian Windows saves CSV so) has nearly every Cyrillic letter broken as UTF-8 and is read as cp1251."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's «Unicode text»: UTF-16, tab-separated
        return content.decode("utf-16", errors="replace"), 0
    try:
        return content.decode("utf-8-sig"), 0
    except UnicodeDecodeError:
        pass
    text = content.decode("utf-8-sig", errors="replace")
    broken = text.count(REPLACEMENT) - content.count(REPLACEMENT.encode())
    letters = len(text) - len(text.encode("ascii", errors="ignore")) - broken
    if broken * BROKEN_SHARE <= letters:
        logger.warning("import: UTF-8 file with %d broken byte sequence(s), replaced with U+FFFD", broken)
        return text, broken
    return content.decode("cp1251", errors="replace"), 0


def _broken_note(rows: list[Row], broken: int) -> list[str]:
    """What the curator is told of a file read with broken bytes replaced (`_decode`): the rows to check."""
    if not broken:
        return []
    places = [row.place for row in rows if REPLACEMENT in str(row.data)]
    shown = ", ".join(places[:BROKEN_PLACES_SHOWN]) + (" …" if len(places) > BROKEN_PLACES_SHOWN else "")
    where = f": {shown}" if places else " (в заголовке)"
    return [
        f"Файл в кодировке UTF-8, но в нём повреждены байты ({broken}): они заменены знаком «{REPLACEMENT}»"
        f"{where}. Сверьте текст этих сообщений с исходной системой."
    ]


def _csv_rows(content: bytes, columns: _Columns) -> tuple[list[Row], list[str]]:
    text, broken = _decode(content)
    best, best_score = "", 0
    first_row: list[str] = []
    for delimiter in DELIMITERS:  # the separator whose reading shows the mapping's columns
        try:
            head = []
            for i, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)):
                if i >= HEADER_SEARCH_ROWS:
                    break
                head.append(record)
        except csv.Error:
            continue
        score = max((columns.matches(r) for r in head), default=0)
        if score > best_score:
            best, best_score = delimiter, score
        filled = next((r for r in head if any(c.strip() for c in r)), [])
        if len(filled) > len(first_row):
            first_row = filled  # for the message when no separator shows the columns
    if not best:
        raise ParseError(columns.missing(first_row))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best)
    notes: list[str] = []
    try:
        rows, _first = _table(reader, columns, "", notes)
    except csv.Error as exc:
        logger.warning("import: CSV unreadable at line %d: %s", reader.line_num, exc)
        raise ParseError(
            f"файл CSV не читается около строки {reader.line_num}: вероятно, там незакрытые кавычки"
        ) from exc
    return rows, _broken_note(rows, broken) + notes


def _check_unpacked_size(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ParseError(
            "файл не открывается как книга Excel (XLSX): он повреждён или это другой формат"
        ) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        logger.warning("import: XLSX unpacks to %d bytes, refused", unpacked)
        raise ParseError(
            f"книга Excel в распакованном виде больше {MAX_UNPACKED_BYTES // 2**20} МБ: сохраните нужный лист "
            "отдельным файлом или в CSV"
        )


def _xlsx_rows(content: bytes, columns: _Columns) -> tuple[list[Row], list[str]]:
    from openpyxl import load_workbook

    _check_unpacked_size(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        logger.warning("import: XLSX unreadable: %s: %s", type(exc).__name__, exc)
        raise ParseError(
            "файл не открывается как книга Excel (XLSX): он повреждён или это другой формат"
        ) from exc
    rows: list[Row] = []
    notes: list[str] = []
    archive = zipfile.ZipFile(io.BytesIO(content))
    try:
        sheets = book.worksheets
        without_header: list[Sequence[Any]] = []
        for sheet in sheets:
            prefix = f"лист «{sheet.title}», " if len(sheets) > 1 else ""
            # The sheet's path in the ZIP is not public in openpyxl: without it, the cells as read-only mode has them.
            path = getattr(sheet, "_worksheet_path", None)
            layout = _read_layout(archive, path) if isinstance(path, str) else _Layout()
            sheet.reset_dimensions()  # a wrong size in the file (some exporters write «A1») would cut the rows
            found, first = _table(sheet.iter_rows(values_only=True), columns, prefix, notes, layout)
            rows.extend(found)
            if first is not None:
                without_header.append(first)
                if len(sheets) > 1:
                    notes.append(f"Лист «{sheet.title}» пропущен: в нём нет колонок схемы.")
            if len(rows) > MAX_ROWS:
                raise ParseError(f"в файле больше {ROWS_LIMIT} строк: разделите его на части")
        if sheets and len(without_header) == len(sheets):
            if len(sheets) == 1:
                raise ParseError(columns.missing(without_header[0]))
            raise ParseError(
                "ни на одном листе книги нет колонок "
                + " и ".join(f"«{c}»" for c in columns.required)
                + " из схемы: выберите другую схему или поправьте заголовок"
            )
    except ParseError:
        raise
    except Exception as exc:  # a damaged sheet shows itself only when read
        logger.warning("import: XLSX sheet unreadable: %s: %s", type(exc).__name__, exc)
        raise ParseError(
            "книга Excel повреждена: её лист не читается. Сохраните её заново или в CSV"
        ) from exc
    finally:
        book.close()
        archive.close()
    return rows, notes


def _json_rows(content: bytes, columns: _Columns) -> tuple[list[Row], list[str]]:
    """The rows of a JSON file: a list of objects (or an object holding one), or JSON Lines — an object a line, as
    monitoring APIs stream their exports (`_json_lines`)."""
    broken = 0
    try:
        try:
            data = json.loads(content)
        except UnicodeDecodeError:
            text, broken = _decode(content)
            if not broken:  # not UTF-8 with a few broken bytes but another encoding
                raise
            data = json.loads(text)
    except json.JSONDecodeError as exc:
        text, broken = _decode(content)
        lines = _json_lines(text)
        if lines is None:
            raise ParseError(
                f"файл не читается как JSON: ошибка в строке {exc.lineno}, позиция {exc.colno}"
            ) from exc
        return _json_items(lines, columns, "строка", broken)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError("файл не читается как JSON: он не в кодировке UTF-8") from exc
    except RecursionError as exc:  # «[[[[…» nested deeper than the parser's stack
        raise ParseError(
            "файл не читается как JSON: в нём слишком глубоко вложенные списки или объекты"
        ) from exc
    if isinstance(data, dict):
        for key in ("items", "messages", "data", "rows"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            data = [data] if columns.matches(data) else None
    if not isinstance(data, list):
        raise ParseError(
            "в файле JSON нет списка сообщений (нужен список или объект с полем items, messages или data)"
        )
    if len(data) > MAX_ROWS:
        raise ParseError(f"в файле больше {ROWS_LIMIT} элементов: разделите его на части")
    return _json_items(list(enumerate(data, start=1)), columns, "элемент", broken)


def _json_lines(text: str) -> list[tuple[int, Any]] | None:
    """JSON Lines (.jsonl, or .json written so): each non-blank line an object, with its line number; ``None`` when
    the first line is not a whole object (a broken JSON document instead). A line that does not read is kept as its
    text: its row goes to the quarantine, the others are stored."""
    # only "\n" ends a record: `splitlines` would also break at U+2028, U+0085 … that JSON leaves unescaped inside
    # a string (text copied from a phone)
    numbered = [(n, line.strip()) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    if not numbered:
        return None
    items: list[tuple[int, Any]] = []
    for number, line in numbered:
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            if not items:
                return None
            logger.warning("import: JSON Lines line %d unreadable", number)
            item = line
        else:
            if not items and not isinstance(item, dict):
                return None
        items.append((number, item))
        if len(items) > MAX_ROWS:
            raise ParseError(f"в файле больше {ROWS_LIMIT} строк: разделите его на части")
    return items


def _json_items(
    items: list[tuple[int, Any]], columns: _Columns, unit: str, broken: int
) -> tuple[list[Row], list[str]]:
    objects = [item for _, item in items if isinstance(item, dict)]
    if objects and not any(columns.matches(item) for item in objects):
        raise ParseError(columns.missing(objects[0]))
    rows = []
    for number, item in items:
        if isinstance(item, dict):
            item = {k2: v for k, v in item.items() for k2 in columns.header([k])}
        rows.append(Row(f"{unit} {number}", item))
    return rows, _broken_note(rows, broken)


def read_rows(content: bytes, filename: str, mapping: ImportMapping) -> tuple[list[Row], list[str]]:
    """The rows of a CSV, XLSX or JSON file (told by its first bytes) and notes about the file."""
    columns = _Columns(mapping)
    name = filename.lower()
    if content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content, columns)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ParseError("это книга Excel старого формата (XLS): сохраните её в Excel как XLSX или CSV")
    if name.endswith(".xlsx"):
        raise ParseError("файл назван .xlsx, но это не книга Excel: сохраните его в Excel как XLSX или CSV")
    if not content.strip():
        return [], []
    start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if name.endswith(JSON_EXTENSIONS) or start in (b"[", b"{"):
        try:
            return _json_rows(content, columns)
        except ParseError:
            if name.endswith(JSON_EXTENSIONS):
                raise
    return _csv_rows(content, columns)


def _text(value: Any) -> str:
    """A cell as text: an integral float (Excel keeps every number as one) without its «.0»."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return to_str(value).strip()


def _ident(value: Any) -> str:
    text = _text(value)
    match = _INTEGRAL.match(text)
    return match.group(1) if match else text


def _link(value: Any) -> str:
    text = link_text(_text(value))  # a zero-width space after a VK comment's link would make it the post's
    if text and "://" not in text and _SCHEMELESS_LINK.match(text):
        return f"https://{text}"  # «vk.com/wall-1_2», as monitoring systems often write it
    return text


def _network_named(value: Any) -> str:
    name = _norm(_text(value))
    if not name:
        return ""
    if name in _NETWORK_VALUES:
        return name
    for network in Network:
        if name == network.label.casefold():
            return str(network)
    named = NETWORK_NAMES.get(name)
    if named is None:
        logger.info("import row: unknown network name %r, taken as other", name)
        return str(Network.OTHER)
    return str(named)


def _excel_serial(value: float) -> datetime | None:
    from openpyxl.utils.datetime import from_excel

    if not EXCEL_SERIAL_RANGE[0] <= value <= EXCEL_SERIAL_RANGE[1]:
        return None
    result = from_excel(value)
    return result.replace(tzinfo=MSK) if isinstance(result, datetime) else None


def _unix_time(text: str) -> datetime | None:
    """Unix time as monitoring systems' APIs give it: seconds (9–10 digits) or milliseconds (12–13), perhaps with
    a fraction; ``None`` for any other text."""
    match = _UNIX_TIME.match(text)
    if match is None:
        return None
    number = float(text)
    return datetime.fromtimestamp(number / 1000 if len(match.group(1)) >= 12 else number, tz=MSK)


def _date(value: Any, fmt: str, column: str) -> datetime | None:
    """A publication time; a time without a zone is Moscow time (the exports are the region's). A number is Unix
    seconds or milliseconds (JSON exports of monitoring APIs) or Excel's serial day."""
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=MSK)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=MSK)
    if isinstance(value, int | float) and not isinstance(value, bool):
        found = _unix_time(_text(value)) or _excel_serial(float(value))
        if found is not None:
            return found
    text = _text(value)
    if fmt:  # the schema's own format first: «%Y%m%d%H%M» is digits too
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=MSK)
        except ValueError:
            pass
    unix = _unix_time(text)
    if unix is not None:
        return unix
    for candidate in DATE_FORMATS:
        try:
            return datetime.strptime(text, candidate).replace(tzinfo=MSK)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            serial = _excel_serial(float(text.replace(",", ".")))
        except ValueError:
            serial = None
        if serial is not None:
            return serial
        raise ParseError(
            f"не распознана дата «{text[:40]}» в колонке «{column}»: нужна, например, «28.11.2026 14:05», "
            "«2026-11-28T14:05:00+03:00» или время Unix в секундах (1795863900) или миллисекундах"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=MSK)


def _author(name: str, author_id: str, author_url: str, network: str) -> tuple[str, str, str]:
    """Split «Иванов Иван (id123)» into the name and the network's id (and profile link, for VK)."""
    match = _AUTHOR_WITH_ID.match(name)
    if author_id or not match:
        return name, author_id, author_url
    name, ident = match.group("name"), match.group("id")
    if network == Network.VK:
        number = ident.removeprefix("id").removeprefix("club").removeprefix("public").lstrip("-")
        group = ident.startswith(("club", "public", "-"))
        author_id = f"-{number}" if group else number
        author_url = author_url or f"https://vk.com/{'club' if group else 'id'}{number}"
    else:
        author_id = ident
    return name, author_id, author_url


def row_parser(mapping: ImportMapping) -> Callable[[Payload], list[Parsed]]:
    columns = _Columns(mapping).names

    def value(row: dict[str, Any], name: str) -> Any:
        return row.get(columns[name])

    def parse(payload: Payload) -> list[Parsed]:
        row = payload.data
        if not isinstance(row, dict):
            kind = {str: "текст", list: "список", int: "число", float: "число"}.get(
                type(row), type(row).__name__
            )
            raise ParseError(f"это не объект с полями, а {kind}")
        text = _text(value(row, "text"))
        url = _link(value(row, "url"))
        shown = ""
        if url and not web_link(url):
            # «-», «нет», or the shown text of a link the file lost («Открыть» in a CSV saved from Excel): no
            # link, so not the message's id either (every such row would be one message).
            shown, url = url, ""
        if not text and not url:
            if shown:
                raise ParseError(
                    f"в колонке «{columns['url']}» не ссылка, а «{shown[:60]}», и нет текста "
                    f"(колонка «{columns['text']}»)"
                )
            raise ParseError(
                f"нет ни текста (колонка «{columns['text']}»), ни ссылки (колонка «{columns['url']}»)"
            )
        named = _network_named(value(row, "network"))
        network = named or mapping.network
        if network == Network.OTHER and mapping.network != Network.OTHER:
            network = mapping.network
        try:
            linked = network_of(url) if url else Network.OTHER
        except ValueError:
            raise ParseError(f"ссылка «{url[:100]}» не распознана") from None
        if linked != Network.OTHER and linked != network:
            # The link is where the message is and where the answer must go: it wins over a typed column.
            if named:
                logger.warning(
                    "import row: network %r, but its link %s is %s; taken as %s", network, url, linked, linked
                )
            network = linked
        author_name, author_id, author_url = _author(
            _text(value(row, "author_name")),
            _ident(value(row, "author_id")),
            _text(value(row, "author_url")),
            network,
        )
        published_at = _date(value(row, "published_at"), mapping.date_format, columns["published_at"])
        ident = _ident(value(row, "external_id"))
        # Only the message's own fields: the curators' columns of an export (result, executor …) change between
        # two exports of the same message.
        own = [network, text, author_name, author_id, published_at.isoformat() if published_at else ""]
        if not ident and url:
            ident = external_id_of(url, network)
            if network == Network.OK:
                # An OK comment has no link of its own: the export gives its discussion's, shared by every
                # comment of it (the connector keys a comment «topic:comment»). Its author and time tell two
                # comments apart, and the same comment in the next export gets the same id even after its author
                # edited it or renamed herself; without a time the text has to do it.
                who = author_id or author_name
                key = [network, who, published_at.isoformat()] if published_at and who else own
                ident = f"{ident}#{_digest(key)[:16]}"
        if not ident:
            ident = "import:" + _digest(own)[:32]
        reach = _json_value(value(row, "reach"))
        return [
            ParsedMessage(
                network=network,
                external_id=ident,
                url=web_link(url),
                author_id=author_id,
                author_name=author_name,
                author_url=author_url,
                text_raw=text,
                published_at=published_at,
                metrics={"reach": reach} if not _blank(reach) else {},
                raw={"import": mapping.name, "row": {k: _json_value(v) for k, v in row.items()}}
                | ({"lost_link": shown[:60]} if shown else {}),
            )
        ]

    return parse


def _digest(fields: list[str]) -> str:
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def _json_value(v: Any) -> Any:
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    if v is None or isinstance(v, str | int | float | bool):
        return v
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return v  # the cells past the header's end («…»); anything nested is kept as its text
    return str(v)


def _same_words(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def _ok_comments_stored(rows: list[ParsedMessage]) -> dict[tuple[str, str], Message]:
    """The OK comments already stored (by the connector, under «topic:comment») that rows of a file give again: an
    OK comment has no link of its own, so a row is matched by its discussion's link and the same words. One query."""
    if not rows:
        return {}
    found: dict[tuple[str, str], Message] = {}
    for message in Message.objects.filter(network=Network.OK, url__in={m.url for m in rows}).only(
        "network", "external_id", "raw", "url", "author_id", "author_name", "author_url", "published_at",
        "metrics", "text_raw", "text",
    ):  # fmt: skip
        for text in (message.text_raw, message.text):
            if text:
                found.setdefault((message.url, _same_words(text)), message)
    return found


def _merge_stored(items: list[tuple[Row, ParsedMessage]], report: ImportReport) -> list[ParsedMessage]:
    """The messages to write: those already stored from their network, or already in a case (its message must not
    turn into another one under the same link, e.g. a forum thread's), are left alone; for those stored by an
    earlier import or by hand, a blank cell keeps what is stored."""
    stored: dict[tuple[str, str], Message] = {}
    for network in {m.network for _, m in items}:
        ids = [m.external_id[:300] for _, m in items if m.network == network]
        for message in Message.objects.filter(network=network, external_id__in=ids).only(
            "network", "external_id", "raw", "url", "author_id", "author_name", "author_url", "published_at",
            "metrics", "text_raw",
        ):  # fmt: skip
            stored[(message.network, message.external_id)] = message
    # The rest by their links: entered or imported under another form of the link, or delivered by a connector
    # under an id the link does not give (a public Telegram message, a blog's item).
    # Not an OK comment: its link is its discussion's, which names no one comment (`row_parser`).
    by_link = stored_by_link(
        (m.url, m.network)
        for _, m in items
        if m.url and m.network != Network.OK and (m.network, m.external_id[:300]) not in stored
    )
    ok_comments = _ok_comments_stored(
        [
            m
            for _, m in items
            if m.url and m.network == Network.OK and (m.network, m.external_id[:300]) not in stored
        ]
    )
    in_case = in_case_ids([m.pk for m in (*stored.values(), *by_link.values(), *ok_comments.values())])
    result = []
    for _row, parsed in items:
        earlier = (
            stored.get((parsed.network, parsed.external_id[:300]))
            or by_link.get((parsed.url, parsed.network))
            or ok_comments.get((parsed.url, _same_words(parsed.text_raw)))
        )
        if earlier is None:
            result.append(parsed)
            continue
        if from_network(earlier):
            report.known += 1
            continue
        if earlier.pk in in_case:
            report.in_work += 1
            continue
        parsed.network, parsed.external_id = earlier.network, earlier.external_id
        parsed.text_raw = parsed.text_raw if str(parsed.text_raw or "").strip() else earlier.text_raw
        parsed.url = parsed.url or earlier.url
        parsed.author_id = parsed.author_id or earlier.author_id
        parsed.author_name = parsed.author_name or earlier.author_name
        parsed.author_url = parsed.author_url or earlier.author_url
        parsed.published_at = parsed.published_at or earlier.published_at
        parsed.metrics = {**(earlier.metrics or {}), **parsed.metrics}
        result.append(parsed)
    return result


def import_file(
    content: bytes, filename: str, mapping: ImportMapping, *, source: Source | None = None
) -> ImportReport:
    rows, notes = read_rows(content, filename, mapping)
    report = ImportReport(rows=len(rows), notes=notes)
    parse = row_parser(mapping)
    by_key: dict[tuple[str, str], tuple[Row, ParsedMessage]] = {}
    failed: list[tuple[Row, str]] = []
    for row in rows:
        try:
            parsed = parse(Payload("row", row.data))
        except ParseError as exc:
            failed.append((row, str(exc)))
            continue
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            logger.warning(
                "import: row %s of %s not parsed: %s: %s", row.place, filename, type(exc).__name__, exc
            )
            failed.append((row, f"строка не разобрана ({type(exc).__name__}: {exc})"))
            continue
        for message in parsed:
            if not isinstance(message, ParsedMessage):
                continue
            message.raw = {**message.raw, "file": filename[:200], "place": row.place}
            caveat = _caveat(message, mapping)
            if caveat:
                report.caveats.append(Problem(_capital(row.place), caveat))
            key = (message.network, message.external_id[:300])
            earlier = by_key.pop(key, None)
            if earlier is not None:
                report.repeated += 1
                report.repeats.append(
                    Problem(
                        _capital(row.place), f"то же сообщение, что {earlier[0].place}; сохранена эта строка"
                    )
                )
            by_key[key] = (row, message)
    for chunk in _chunked(failed):
        with transaction.atomic():
            for row, reason in chunk:
                where = _capital(row.place)
                error = f"Импорт файла «{filename[:200]}». {where}: {reason}"
                quarantine(mapping.network, source, Payload("row", row.data), error)
                report.problems.append(Problem(where, reason))
    report.quarantined = len(failed)
    for items in _chunked(list(by_key.values())):
        with transaction.atomic():
            stored = upsert(_merge_stored(list(items), report), source)
        report.created += stored.created
        report.updated += stored.updated
    logger.info(
        "import %s with mapping %r: %d rows, %d new, %d updated, %d known, %d repeated, %d quarantined",
        filename,
        mapping.name,
        report.rows,
        report.created,
        report.updated,
        report.known,
        report.repeated,
        report.quarantined,
    )
    return report


def _caveat(message: ParsedMessage, mapping: ImportMapping) -> str:
    """What a row stored as a message goes without, in Russian for the curator: a link cell that holds only the
    text of a hyperlink the file lost (a CSV saved from Excel), a date that has not come yet or is before 2000 (a
    typo in the year: the message is kept with its receipt time, as `pipeline._plausible` does). "" when
    nothing."""
    said = []
    lost = message.raw.get("lost_link")
    if lost:
        said.append(
            f"в колонке «{_Columns(mapping).names['url']}» не ссылка, а «{lost}» — сообщение сохранено без ссылки, "
            "его не открыть и не ответить в сети; загрузите файл XLSX, где ссылки сохранены"
        )
    published = message.published_at
    if published is not None and published > timezone.now() + CLOCK_SKEW:
        said.append(
            f"дата «{timezone.localtime(published):%d.%m.%Y %H:%M}» ещё не наступила — сообщение "
            "сохранено со временем получения"
        )
    elif published is not None and published < EARLIEST:
        said.append(
            f"дата «{timezone.localtime(published):%d.%m.%Y %H:%M}» раньше 2000 года — проверьте год; сообщение "
            "сохранено со временем получения"
        )
    return "; ".join(said)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _chunked(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), CHUNK_ROWS):
        yield items[i : i + CHUNK_ROWS]
