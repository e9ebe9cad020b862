"""XLSX (native Excel charts, openpyxl) and PDF (reportlab, DejaVu Sans for Cyrillic) of the reports."""

from __future__ import annotations

import io
import json
import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from otklik.cases.policy import clause
from otklik.web.numbers import counted, decimal, half_up, no_break, short, signed

from .monthly import NOT_THE_ANSWER, fmt_minutes, fmt_share
from .periods import MSK, parse_month, parse_quarter

log = logging.getLogger(__name__)

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"),)
FONT = "DejaVuSans"


class FontMissing(RuntimeError):
    pass


def _percent(v: float | None) -> float | None:
    return None if v is None else half_up(v * 100, 1)


EXCEL_CELL_LIMIT = 32_767  # characters a cell holds; openpyxl cuts a longer text there without a word


def _text(value: Any) -> Any:
    """Characters XML cannot hold (control characters pasted with a name) are dropped instead of failing the
    whole download. A text longer than a cell holds is never cut silently: it ends with a note saying how much was
    left out, and the log says where (the lists that can grow so long are shortened before, `_case_numbers`)."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > EXCEL_CELL_LIMIT:
        note = (
            f" … [текст сокращён: в ячейке Excel помещается не больше {EXCEL_CELL_LIMIT} знаков, "
            f"а здесь их {len(value)}]"
        )
        log.warning(
            "an XLSX cell's text of %d characters shortened to Excel's limit of %d: %.80s…",
            len(value),
            EXCEL_CELL_LIMIT,
            value,
        )
        value = value[: EXCEL_CELL_LIMIT - len(note)] + note
    return value


DECIMALS = "0.0#"
MOMENT = "DD.MM.YYYY HH:MM"  # a date-time cell as the pages write it (Moscow time)


def _plain(text: str) -> str:
    """A text for a cell of the XLSX with ordinary spaces (the page's «п. 8.3» has a no-break space): the reader
    finds «п. 8.3» in Excel as typed."""
    return text.replace("\u00a0", " ")


# Column widths of a sheet (Excel's units, about one character of the default font): each column as wide as its
# longest text, a heading counting with its longest word and at most HEADING_CHARS (it wraps onto a few lines);
# Cyrillic letters are a little wider than the digit Excel measures by, hence the factor.
MIN_WIDTH, MAX_WIDTH = 8, 50
HEADING_CHARS = 16
CHAR_WIDTH, PADDING = 1.1, 2


def _shown_length(value: Any) -> int:
    """The characters a cell shows: a number with at most two decimals (DECIMALS), a text's longest line."""
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:.2f}".rstrip("0").rstrip("."))
    if isinstance(value, datetime):
        return len("01.01.2026 00:00")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _widths(header: list[str], rows: list[list[Any]], name_col: int) -> list[float]:
    """Each column's width from its texts, between MIN_WIDTH and MAX_WIDTH; the name column (`name_col`, 1-based:
    the body, the place … the column a reader reads the rows by) is at least as wide as any column of figures."""
    out = []
    for i, title in enumerate(header):
        heading = max([min(len(title), HEADING_CHARS), *(len(w) for w in title.split())])
        longest = max([heading, *(_shown_length(r[i]) for r in rows if i < len(r))])
        out.append(min(max(round(longest * CHAR_WIDTH + PADDING, 1), MIN_WIDTH), MAX_WIDTH))
    figures = [
        w
        for i, w in enumerate(out)
        if all(i >= len(r) or r[i] is None or isinstance(r[i], int | float) for r in rows)
    ]
    if out:
        out[name_col - 1] = max([out[name_col - 1], *figures])
    return out


def _sheet(ws: Worksheet, title: str, header: list[str], rows: list[list[Any]], name_col: int = 1) -> None:
    ws.title = title[:31]
    ws.append(header)
    ws.freeze_panes = "A2"  # the header stays in view while the rows are scrolled
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in rows:
        ws.append([_text(v) for v in r])
    widths = _widths(header, rows, name_col)
    # Every text cell stays text: openpyxl stores a string starting with «=» as a formula, and a body or a person
    # named «=HYPERLINK(…)» would run in the reader's Excel (formula injection).
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
            elif isinstance(cell.value, float):
                # one or two decimals, as the pages show them (Excel writes the reader's decimal comma), not
                # 66.6666666666667
                cell.number_format = DECIMALS
            elif isinstance(cell.value, datetime):
                cell.number_format = MOMENT
            if cell.row > 1 and isinstance(cell.value, str) and len(cell.value) > widths[cell.column - 1]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")  # longer than the widest column
    for cell, width in zip(ws[1], widths, strict=True):
        ws.column_dimensions[cell.column_letter].width = width


def _bar(
    ws: Worksheet, title: str, y_title: str, cols: tuple[int, int], n: int, anchor: str, cats_col: int = 1
) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = y_title
    chart.height, chart.width = 8, 18
    data = Reference(ws, min_col=cols[0], max_col=cols[1], min_row=1, max_row=n + 1)
    cats = Reference(ws, min_col=cats_col, min_row=2, max_row=n + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    ws.add_chart(chart, anchor)


def monthly_xlsx(report: dict[str, Any]) -> bytes:
    wb = Workbook()
    t = report["timeliness"]
    stages = NOT_THE_ANSWER  # the stage's share is «Ответ в срок»
    rows = [*t["rows"], t["total"]]
    header = [
        "Орган",
        "Обращений",
        "Ответ в срок (п. 8.3), %",
        *[f"{_plain(label)}, % в срок" for _, label in stages],
        "Медиана до ответа, раб. мин",
        "90-й процентиль, раб. мин",
        "Нарушений",
    ]
    _sheet(
        wb.active,
        "Своевременность",
        header,
        [
            [
                r["body"],
                r["cases"],
                _percent(r["on_time_share"]),
                *[_percent(r["stages"].get(code)) for code, _ in stages],
                r["median_minutes"],
                r["p90_minutes"],
                r["violations"],
            ]
            for r in rows
        ],
    )
    ws = wb.active
    n_body = len(t["rows"])
    if n_body:
        _bar(ws, "Доля ответов в срок, %", "%", (3, 3), n_body, f"A{len(rows) + 4}")
        last = len(header)
        _bar(ws, "Нарушения сроков", "нарушений", (last, last), n_body, f"H{len(rows) + 4}")

    q = report["quality"]
    qrows = [*q["rows"], q["total"]]
    ws = wb.create_sheet()
    _sheet(
        ws,
        "Качество",
        [
            "Орган",
            "Проектов",
            "Возвратов",
            "Возвратов на проект",
            "Средняя оценка проверки",
            "Повторов",
            "Отказов",
        ],
        [
            [
                r["body"],
                r["drafts"],
                r["returns"],
                r["returns_per_draft"],
                r["avg_score"],
                r["repeats"],
                r["rejections"],
            ]
            for r in qrows
        ],
    )
    if q["rows"]:
        _bar(
            ws,
            "Возвраты на доработку на один проект",
            "возвратов",
            (4, 4),
            len(q["rows"]),
            f"A{len(qrows) + 4}",
        )

    d = report["dynamics"]
    labels = [d["periods"][k]["label"] for k in ("current", "previous", "year_ago")]
    for key in ("topic_group", "municipality", "network", "importance"):
        block = d[key]
        ws = wb.create_sheet()
        drows = [[r["name"], r["current"], r["previous"], r["year_ago"]] for r in block["rows"]]
        _sheet(ws, block["title"], [block["title"], *labels], drows)
        if drows:
            _bar(ws, f"Сообщения: {block['title'].lower()}", "сообщений", (2, 4), len(drows), "F2")
    ws = wb.create_sheet()
    _sheet(
        ws,
        "Всего сообщений",
        ["Период", "Сообщений"],
        [[labels[i], d["total"][k]] for i, k in enumerate(("current", "previous", "year_ago"))],
    )
    line = LineChart()
    line.title = "Сообщений за период"
    line.add_data(Reference(ws, min_col=2, min_row=1, max_row=4), titles_from_data=True)
    line.set_categories(Reference(ws, min_col=1, min_row=2, max_row=4))
    ws.add_chart(line, "D2")
    title = f"Ежемесячный отчёт: {report['period']['label']}"
    note = unfinished_note(report)
    wb.properties.title = title + (f". {note}" if note else "")
    _about_sheet(wb, title, report)
    return _save(wb)


ABOUT_SHEET = "Сведения"


def _about_sheet(wb: Workbook, title: str, data: dict[str, Any]) -> None:
    """R-13: the workbook of a month or a quarter not over when it was built opens on a first sheet saying so (the
    report's title, the note in bold, when it was built): the document's title alone is seen by few, and a
    month's figures so far would be forwarded as the month's report. A finished period's workbook is left as is."""
    note = unfinished_note(data)
    if note is None:
        return
    ws = wb.create_sheet(ABOUT_SHEET, 0)
    lines = [title, note, f"Сформирован {_made_at(data['generated_at'])}"]
    for line in lines:
        ws.append([_text(line)])
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"].font = Font(bold=True)
    ws.column_dimensions["A"].width = min(max(len(line) for line in lines) * CHAR_WIDTH + PADDING, 100)
    for sheet in wb.worksheets:  # only this sheet selected: two selected tabs are edited together in Excel
        sheet.sheet_view.tabSelected = sheet is ws
    wb.active = ws


RATING_CHART = "Балл рейтинга"
NEW_IN_RATING = "новый в рейтинге"  # as the page says of a body with no rank in the previous quarter


def _rating_header(data: dict[str, Any]) -> list[str]:
    """The rating table's header for the files: a component the page shows in per cent («66,7 %») says «%» after
    its name; the review score is named «…, из 100» already, as the page shows it."""
    from .models import RatingComponent
    from .rating import table

    header, _ = table(data)
    first = 3  # Место, Орган, Балл, then one column per component of the formula
    for i, c in enumerate(data["formula"]):
        if c["metric"] != RatingComponent.Metric.SCORE:
            header[first + i] = f"{c['name']}, % (вес {short(c['weight'])})"
    return header


def rating_xlsx(data: dict[str, Any]) -> bytes:
    """R-13: the rating as numbers (an empty cell where a value does not exist), charted by body; the change of a
    body new in the rating says so, as on the page. The executive bodies' ranking is the sheet «Рейтинг», the
    administrations' own ranking the next one; an empty ranking says why in its first row."""
    from .rating import RANKINGS, empty_text, table

    wb = Workbook()
    wb.properties.title = _rating_title(data)
    header = _rating_header(data)
    change = 3 + len(data["formula"])
    for i, ranking in enumerate(RANKINGS):
        _, rows = table(data, ranking)
        for row in rows:
            if row[change] is None:
                row[change] = NEW_IN_RATING
        ws = wb.active if i == 0 else wb.create_sheet()
        _sheet(ws, ranking.sheet, header, rows or [[None, empty_text(data, ranking)]], name_col=2)
        if rows:
            _bar(ws, RATING_CHART, "", (3, 3), len(rows), f"A{len(rows) + 4}", cats_col=2)
    _about_sheet(wb, f"Рейтинг органов: {data['period']['label']}", data)
    return _save(wb)


def unfinished_note(data: dict[str, Any]) -> str | None:
    """R-13: a quarter (the rating) or a month (the monthly report) that had not ended when its report was built is
    reported on the data so far: say so."""
    key = data["period"]["key"]
    period, word = (parse_quarter(key), "Квартал") if "Q" in key else (parse_month(key), "Месяц")
    made = datetime.fromisoformat(data["generated_at"])
    if made >= period.end:
        return None
    if made < period.start:
        return f"{word} ещё не начался: данных нет"
    return f"{word} не завершён: данные на {_made_at(data['generated_at'])}"


def _rating_title(data: dict[str, Any]) -> str:
    note = unfinished_note(data)
    return f"Рейтинг органов: {data['period']['label']}" + (f". {note}" if note else "")


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------------ PDF
def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for d in FONT_DIRS:
        regular, bold = d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf"
        if regular.exists():
            pdfmetrics.registerFont(TTFont(FONT, str(regular)))
            pdfmetrics.registerFont(TTFont(FONT + "-Bold", str(bold if bold.exists() else regular)))
            return
    raise FontMissing(
        "Для PDF нужен шрифт DejaVu Sans (кириллица): установите пакет fonts-dejavu-core "
        "(scripts/ensure-system-deps.sh)."
    )


CHART_WIDTH = 620
AXIS_FONT_SIZE = 6
AXIS_FONT_SIZES = (6, 5.5, 5, 4.5)  # a chart's labels are set smaller, down to 4.5 pt, before a word is cut
AXIS_LINES = 3
AXIS_GAP = 4  # points between the labels of two neighbouring bars
MIN_SLOT = 29  # points: under narrower bars (more than 21 on a chart) the labels are turned upright
ROTATED_ROOM = 150  # points: the longest an upright label may be (its chart's drawing grows to hold it)
# In chart labels only (never in tables): the kinds of municipal formation by their usual abbreviations.
AXIS_ABBREVIATIONS = (
    ("муниципальный район", "МР"),
    ("муниципальный округ", "МО"),
    ("городской округ", "ГО"),
    # a body's name: «Администрация Бокситогорского МР», «Комитет по дорожному хозяйству ЛО»
    ("муниципального района", "МР"),
    ("муниципального округа", "МО"),
    ("городского округа", "ГО"),
    ("Ленинградской области", "ЛО"),
    ("Администрация ", "Адм. "),
)


def _width(text: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    _register_font()
    return float(stringWidth(text, FONT, size))


def _cut_to(text: str, room: float, size: float) -> str:
    """`text`, or as much of it as fits `room` points with «…»."""
    if _width(text, size) <= room:
        return text
    while text and _width(text + "…", size) > room:
        text = text[:-1].rstrip()
    return text + "…"


def _wrap_to(name: str, room: float, size: float) -> list[str]:
    """`name` in lines of at most `room` points, broken between words; a word wider than `room` is broken too, and
    a name longer than AXIS_LINES lines ends with «…»."""
    lines: list[str] = []
    line = ""
    for word in name.split():
        joined = f"{line} {word}" if line else word
        if _width(joined, size) <= room:
            line = joined
            continue
        if line:
            lines.append(line)
        while len(word) > 1 and _width(word, size) > room:  # only when even the smallest size is too wide
            cut = len(word) - 1
            while cut > 1 and _width(word[:cut], size) > room:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    lines = [*lines, line] if line else lines or [""]
    if len(lines) > AXIS_LINES:
        lines = [*lines[: AXIS_LINES - 1], _cut_to(" ".join(lines[AXIS_LINES - 1 :]), room, size)]
    return lines


def _abbreviated(name: str) -> str:
    for long, short_form in AXIS_ABBREVIATIONS:
        name = name.replace(long, short_form)
    return name


def _words_fit(names: list[str], room: float, size: float) -> bool:
    return all(_width(w, size) <= room for name in names for w in name.split())


def _axis(names: list[str], chart_width: float) -> tuple[list[str], bool, float]:
    """The bar labels of a chart and their font size: each name wrapped into at most three lines under its bar,
    every line (measured in DejaVu Sans) narrower than the bar's slot less AXIS_GAP, so that neighbouring labels
    never run into each other. A word too wide for the slot: the kinds of municipal formation are abbreviated
    («Бокситогорский МР»), then the chart's labels are set smaller. Under bars too narrow for that (a word too
    wide even at the smallest size, or more than 21 bars), the labels are one line turned upright, abbreviated and
    cut with «…» at ROTATED_ROOM points."""
    slot = chart_width / max(len(names), 1)
    if slot < MIN_SLOT:
        return _upright(names)
    room = slot - AXIS_GAP
    candidates = [(names, AXIS_FONT_SIZE)] + [([_abbreviated(n) for n in names], z) for z in AXIS_FONT_SIZES]
    for labels, z in candidates:
        if _words_fit(labels, room, z):
            return ["\n".join(_wrap_to(name, room, z)) for name in labels], False, z
    # a word too wide for its bar even at the smallest size («Бокситогорского» under 20 bars): upright labels read
    # whole, where broken words («Администр/ация») do not
    return _upright(names)


def _upright(names: list[str]) -> tuple[list[str], bool, float]:
    """`_axis`'s labels turned upright: one line each, abbreviated, cut with «…» at ROTATED_ROOM points."""
    return [_cut_to(_abbreviated(name), ROTATED_ROOM, AXIS_FONT_SIZE) for name in names], True, AXIS_FONT_SIZE


def _axis_labels(names: list[str], chart_width: float) -> tuple[list[str], bool]:
    """The bar labels of `_axis` (wrapped, or upright when True)."""
    labels, rotated, _ = _axis(names, chart_width)
    return labels, rotated


CHART_HEIGHT = 110
TICK_ROOM = 8  # points between the axis and the start of an upright label


def _chart_drawing(title: str, names: list[str], values: list[Any]) -> Any:
    """A bar chart of the PDF: one bar per name, its label under it (`_axis`). Upright labels are measured: the
    drawing is as tall as the longest of them needs, so a label never runs into what follows on the page."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    labels, rotated, label_size = _axis(names, CHART_WIDTH)
    below = 30.0
    if rotated:
        below = max(_width(label, label_size) for label in labels) + TICK_ROOM + 4
    d = Drawing(700, below + CHART_HEIGHT + 30)
    bc = VerticalBarChart()
    bc.x, bc.y, bc.width, bc.height = 40, below, CHART_WIDTH, CHART_HEIGHT
    bc.data = [[float(v or 0) for v in values]]
    bc.categoryAxis.categoryNames = labels
    bc.categoryAxis.labels.fontName = FONT
    bc.categoryAxis.labels.fontSize = label_size
    if rotated:
        bc.categoryAxis.labels.angle = 90
        bc.categoryAxis.labels.boxAnchor = "e"
    bc.valueAxis.labels.fontName = FONT
    bc.valueAxis.labelTextFormat = short
    bc.valueAxis.valueMin = 0
    bc.bars[0].fillColor = colors.HexColor("#2f6db5")
    d.add(bc)
    d.add(String(40, below + CHART_HEIGHT + 15, title, fontName=FONT, fontSize=9))
    return d


CELL_PADDING = 6  # reportlab's Table: left and right padding of a cell
PAGE_HEIGHT = 10_000.0  # room enough to measure a flowable in
BODY_SIZE = 7.5
_BREAKS = re.compile(r"[ \t\n]+")  # where reportlab's Paragraph breaks a line (not at a no-break space)


def _pdf_text(value: Any) -> str:
    """A cell's or a heading's text for the PDF: «№ 171», «(п. 8.3)» and «66,7 %» never broken across lines."""
    return no_break(str(value)).replace(" %", "\u00a0%")


WORD_CAP = 150.0  # points: the widest a column is made for one word (`_col_widths`)


def _col_widths(rows: list[list[str]], total: float) -> list[float]:
    """Column widths filling `total` points in which no word is cut (a column is at least as wide as its longest
    word); the room beyond that goes to the columns whose cells (a name, not the heading, which may wrap) are
    longer. Only when even the longest words do not fit together are the columns narrowed in proportion (and
    reportlab then cuts words)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    n = max(len(r) for r in rows)
    least, most = [0.0] * n, [0.0] * n
    for row_number, r in enumerate(rows):
        for i, text in enumerate(r):
            least[i] = max([least[i], *(stringWidth(w, FONT, BODY_SIZE) for w in _BREAKS.split(text))])
            if row_number:  # the first row is the heading
                most[i] = max(most[i], stringWidth(text, FONT, BODY_SIZE))
    # a word longer than a column can ever be (a name typed without spaces) is cut by reportlab rather than
    # squeezing the other columns below their padding (reportlab refuses a negative width: the PDF failed)
    cap = max(total / n, WORD_CAP)
    least = [min(w, cap) for w in least]
    most = [max(m, w) for m, w in zip(most, least, strict=True)]
    pad = 2 * CELL_PADDING + 1
    least = [w + pad for w in least]
    most = [w + pad for w in most]
    if sum(most) <= total:
        return [w * total / sum(most) for w in most]
    if sum(least) > total:
        return [w * total / sum(least) for w in least]
    spare, wanted = total - sum(least), [m - w for m, w in zip(most, least, strict=True)]
    return [w + spare * x / sum(wanted) for w, x in zip(least, wanted, strict=True)]


def _with_heading(heading: Any, table: Any, width: float) -> list[Any]:
    """The heading and its table, the heading never alone at the foot of a page: where the heading, the table's
    heading row and its first row do not fit, the three begin the next page; where they do, a long table starts
    on this page and goes on over the next."""
    from reportlab.platypus import CondPageBreak

    _, heading_height = heading.wrap(width, PAGE_HEIGHT)
    table.wrap(width, PAGE_HEIGHT)
    first_rows = sum(table._rowHeights[:2])  # the heading row and the first row of figures
    needed = heading.getSpaceBefore() + heading_height + heading.getSpaceAfter() + first_rows
    return [CondPageBreak(needed + 2), heading, table]


# The PDF's document properties (a browser names its tab by the title; File → Properties shows them all), as the
# XLSX carries its title: without them reportlab writes «(anonymous)» and «(unspecified)».
PDF_AUTHOR = "Отклик"
REGULATION = "Положение, утверждённое распоряжением Губернатора Ленинградской области от 19.02.2020 № 148-рг"
REPORT_SUBJECT = f"Работа органов с сообщениями из открытых источников ({REGULATION})"
MONTHLY_SUBJECT = (
    "Своевременность и качество работы органов с сообщениями из открытых источников, динамика сообщений "
    f"(п. 13; {REGULATION})"
)
RATING_SUBJECT = (
    f"Рейтинг органов по качеству работы с сообщениями из открытых источников (п. 13; {REGULATION})"
)
VIOLATIONS_SUBJECT = (
    "Нарушения сроков работы с сообщениями из открытых источников: органы и ответственные "
    f"(п. 12; {REGULATION})"
)


def _pdf(
    title: str,
    subtitle: str,
    blocks: list[tuple[str, list[list[str]] | str, Any]],
    *,
    subject: str = REPORT_SUBJECT,
    doc_title: str | None = None,
) -> bytes:
    """`blocks`: a heading, its table's rows (the first is the table's heading) or a text said instead of a table,
    and a chart. `doc_title` is the document's title in its properties (the heading `title` unless given)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_font()
    h1 = ParagraphStyle("h1", fontName=FONT + "-Bold", fontSize=15, leading=19, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=FONT + "-Bold", fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=FONT, fontSize=BODY_SIZE, leading=9)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=doc_title or title,
        author=PDF_AUTHOR,
        creator=PDF_AUTHOR,
        subject=subject,
    )
    # Paragraph reads its text as markup: a name with «<», «&» or «<img src=…>» (which would read a file of the
    # server) is shown as written, never parsed.
    story: list[Any] = [
        Paragraph(xml_escape(_pdf_text(title)), h1),
        Paragraph(xml_escape(_pdf_text(subtitle)), body),
    ]
    for heading, rows, chart in blocks:
        title_of_block = Paragraph(xml_escape(_pdf_text(heading)), h2)
        if isinstance(rows, str):
            story.extend([title_of_block, Paragraph(xml_escape(_pdf_text(rows)), body)])
        elif not rows:
            story.append(title_of_block)
        else:
            texts = [[_pdf_text(c) for c in r] for r in rows]
            table = Table(
                [[Paragraph(xml_escape(c), body) for c in r] for r in texts],
                colWidths=_col_widths(texts, doc.width),
                repeatRows=1,
            )
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.extend(_with_heading(title_of_block, table, doc.width))
        if chart:
            chart_title, names, values = chart
            if names:
                story.append(Spacer(1, 4))
                story.append(_chart_drawing(chart_title, names, values))
    doc.build(story)
    return buf.getvalue()


STAGES_HEADING = "Сроки этапов: доля выполненных в срок"


def monthly_pdf(report: dict[str, Any]) -> bytes:
    t, q, d = report["timeliness"], report["quality"], report["dynamics"]
    trows = [*t["rows"], t["total"]]
    # as on the page: a summary, then the other stages (the stage's share is «Ответ в срок»)
    timeliness = [
        ["Орган", "Обращений", "Ответ в срок (п. 8.3)", "Медиана до ответа", "90-й процентиль", "Нарушений"],
        *[
            [
                r["body"],
                r["cases"],
                fmt_share(r["on_time_share"]),
                fmt_minutes(r["median_minutes"]),
                fmt_minutes(r["p90_minutes"]),
                r["violations"],
            ]
            for r in trows
        ],
    ]
    stages = [
        ["Орган", *[label for _, label in NOT_THE_ANSWER]],
        *[[r["body"], *[fmt_share(r["stages"].get(code)) for code, _ in NOT_THE_ANSWER]] for r in trows],
    ]
    quality = [
        ["Орган", "Проектов", "Возвратов", "Возвратов на проект", "Средняя оценка", "Повторов", "Отказов"],
        *[
            [
                r["body"],
                r["drafts"],
                r["returns"],
                decimal(r["returns_per_draft"], 2),
                decimal(r["avg_score"], 1),
                r["repeats"],
                r["rejections"],
            ]
            for r in [*q["rows"], q["total"]]
        ],
    ]
    labels = [d["periods"][k]["label"] for k in ("current", "previous", "year_ago")]
    blocks: list[tuple[str, list[list[str]] | str, Any]] = [
        (
            "Своевременность по органам",
            timeliness,
            (
                "Доля ответов в срок, %",
                [r["body"] for r in t["rows"]],
                [_percent(r["on_time_share"]) for r in t["rows"]],
            ),
        ),
        (STAGES_HEADING, stages, None),
        (
            "Качество работы",
            quality,
            (
                "Возвратов на проект",
                [r["body"] for r in q["rows"]],
                [r["returns_per_draft"] for r in q["rows"]],
            ),
        ),
        (
            "Динамика сообщений",
            [
                ["", *labels],
                ["Всего сообщений", *[d["total"][k] for k in ("current", "previous", "year_ago")]],
            ],
            None,
        ),
    ]
    for key in ("topic_group", "municipality", "network", "importance"):
        block = d[key]
        rows = [
            [block["title"], *labels],
            *[[r["name"], r["current"], r["previous"], r["year_ago"]] for r in block["rows"]],
        ]
        blocks.append(
            (
                block["title"],
                rows,
                (
                    f"Сообщений за {labels[0]}",
                    [r["name"] for r in block["rows"]],
                    [r["current"] for r in block["rows"]],
                ),
            )
        )
    note = unfinished_note(report)  # the month running today: its figures so far
    title = f"Ежемесячный отчёт: {report['period']['label']}"
    return _pdf(
        title,
        (f"{note}. " if note else "") + f"Сформирован {_made_at(report['generated_at'])}",
        blocks,
        subject=MONTHLY_SUBJECT,
        doc_title=title + (f". {note}" if note else ""),  # as the XLSX's
    )


def _made_at(iso: str) -> str:
    """When a report was built, in Moscow time (`generated_at` is kept as an ISO moment with its offset)."""
    return f"{datetime.fromisoformat(iso).astimezone(MSK):%d.%m.%Y %H:%M} (мск)"


def rating_pdf(data: dict[str, Any]) -> bytes:
    """R-13: the rating as on the page: Russian decimal commas, «новый в рейтинге», bodies on the chart."""
    from .rating import RANKINGS, empty_text, formula_text, table

    header = _rating_header(data)
    blocks: list[tuple[str, list[list[str]] | str, Any]] = []
    for ranking in RANKINGS:
        _, cells = table(data, ranking)
        rows = [
            [
                rank,
                body,
                decimal(score),
                *[decimal(v) for v in components],
                NEW_IN_RATING if change is None else signed(change),
                decimal(previous_rank),
            ]
            for rank, body, score, *components, change, previous_rank in cells
        ]
        ranked = data[ranking.rows]
        chart = (RATING_CHART, [r["body"] for r in ranked], [r["score"] for r in ranked])
        blocks.append((ranking.title, [header, *rows] if rows else empty_text(data, ranking), chart))
    note = unfinished_note(data)
    return _pdf(
        f"Рейтинг органов: {data['period']['label']}",
        # «Изменение — к 3 кв. 2025 г.» ends with its own full stop
        (f"{note}. " if note else "")
        + f"{formula_text(data)}. Изменение — к {data['previous_period']['short']}",
        blocks,
        subject=RATING_SUBJECT,
        doc_title=_rating_title(data),  # as the XLSX's
    )


def to_json(report: dict[str, Any]) -> bytes:
    """The report as data. A violation keeps its requirement ID (`rid`, "R-8.3") and gains the clause a person
    reads (`clause`, «п. 8.3»)."""
    if report.get("kind") == "violations":
        report = {**report, "violations": [{**r, "clause": clause(r["rid"])} for r in report["violations"]]}
    return json.dumps(report, ensure_ascii=False, indent=2, default=str).encode("utf-8")


ALL_VIOLATIONS = "Все нарушения"
CASES_CELL_CHARS = 1_000  # a summary's list of cases: readable in a cell, far below EXCEL_CELL_LIMIT


def _case_numbers(cases: list[int]) -> str:
    """«№ 3, № 5, …» of a body's (a person's) cases for a summary cell, up to CASES_CELL_CHARS characters; the
    cases beyond are counted, never cut off: «… и ещё 4480 обращений — на листе «Все нарушения»», where each
    violation is a row with its case."""
    shown: list[str] = []
    length = 0
    for i, case in enumerate(cases):
        item = f"№ {case}"
        if shown and length + len(", ") + len(item) > CASES_CELL_CHARS:
            rest = counted(len(cases) - i, "обращение")
            return f"{', '.join(shown)} и ещё {rest} — на листе «{ALL_VIOLATIONS}»"
        shown.append(item)
        length += len(item) + (len(", ") if i else 0)
    return ", ".join(shown)


def violations_xlsx(data: dict[str, Any]) -> bytes:
    from .deficiencies import HEADER, table

    wb = Workbook()
    by_body = [
        [g["body"], g["violations"], g["late_minutes"], _case_numbers(g["cases"])] for g in data["by_body"]
    ]
    _sheet(wb.active, "По органам", ["Орган", "Нарушений", "Опоздание, раб. мин", "Обращения"], by_body)
    if by_body:
        _bar(
            wb.active,
            "Нарушения сроков по органам",
            "нарушений",
            (2, 2),
            len(by_body),
            f"A{len(by_body) + 4}",
        )
    ws = wb.create_sheet()
    _sheet(
        ws,
        "По сотрудникам",
        ["Орган", "Ответственный", "Нарушений", "Опоздание, раб. мин", "Обращения"],
        [
            [
                g["body"],
                g["person"],
                g["violations"],
                g["late_minutes"],
                _case_numbers(g["cases"]),
            ]
            for g in data["by_person"]
        ],
    )
    _sheet(wb.create_sheet(), ALL_VIOLATIONS, HEADER, table(data["violations"], dates=True))
    return _save(wb)


def violations_pdf(data: dict[str, Any]) -> bytes:
    from .deficiencies import HEADER, table

    by_body = [
        ["Орган", "Нарушений", "Опоздание, раб. мин"],
        *[[g["body"], g["violations"], g["late_minutes"]] for g in data["by_body"]],
    ]
    by_person = [
        ["Орган", "Ответственный", "Нарушений", "Опоздание, раб. мин"],
        *[[g["body"], g["person"], g["violations"], g["late_minutes"]] for g in data["by_person"]],
    ]
    return _pdf(
        f"Недостатки в работе органов (п. 12 Положения): {data['period']['label']}",
        f"Нарушений сроков: {data['total']}",
        [
            (
                "По органам",
                by_body,
                (
                    "Нарушения по органам",
                    [g["body"] for g in data["by_body"]],
                    [g["violations"] for g in data["by_body"]],
                ),
            ),
            ("По сотрудникам", by_person, None),
            ("Все нарушения", [HEADER, *table(data["violations"])], None),
        ],
        subject=VIOLATIONS_SUBJECT,
    )
