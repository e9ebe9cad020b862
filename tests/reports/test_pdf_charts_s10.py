"""R-13: a PDF chart with more bars than leave room for wrapped labels (a rating of every executive body of the
oblast: dozens of committees and district administrations) turns its labels upright; the chart's drawing is as
tall as its longest label needs, so no label runs past the drawing into the table or heading that follows. It was
a fixed 100 points under the axis, and a label of 32 characters took about 110."""

from __future__ import annotations

from pathlib import Path

import pytest

from otklik.reports import export
from tests.reports.test_explore_fixes import _pdf_text

BODIES = [
    "Комитет по дорожному хозяйству Ленинградской области",
    "Администрация Бокситогорского муниципального района",
    "Комитет по жилищно-коммунальному хозяйству Ленинградской области",
    "Администрация Сосновоборского городского округа",
    "Комитет общего и профессионального образования Ленинградской области",
]
MANY = [f"{BODIES[i % len(BODIES)]} {i}" for i in range(45)]


@pytest.mark.parametrize("count", [3, 12, 21, 22, 45])
def test_every_label_stays_inside_its_chart(count: int) -> None:
    names = MANY[:count]
    drawing = export._chart_drawing("Балл по органам", names, list(range(count)))
    x0, y0, x1, y1 = drawing.getBounds()
    assert y0 >= 0, (count, y0)  # nothing below the drawing's own foot
    assert y1 <= drawing.height and x0 >= 0 and x1 <= drawing.width, (count, drawing.getBounds())


def test_an_upright_label_is_abbreviated_and_cut_readably() -> None:
    labels, rotated, size = export._axis(MANY, export.CHART_WIDTH)
    assert rotated
    assert labels[1] == "Адм. Бокситогорского МР 1"  # the kinds abbreviated, the name whole
    assert all(export._width(label, size) <= export.ROTATED_ROOM for label in labels)


def test_the_pdf_with_an_upright_chart_keeps_the_next_heading(tmp_path: Path) -> None:
    """A chart of 45 bars followed by another block: the PDF opens and has both headings and the labels."""
    rows = [["Орган", "Балл"], *[[n, str(i)] for i, n in enumerate(MANY)]]
    pdf = export._pdf(
        "Рейтинг органов",
        "Проверка",
        [("Первый блок", rows, ("Балл по органам", MANY, list(range(45)))), ("Второй блок", rows[:3], None)],
    )
    text = _pdf_text(pdf, tmp_path)
    assert "Первый блок" in text and "Второй блок" in text and "Адм. Бокситогорского МР 1" in text


def test_names_too_wide_for_their_bars_turn_upright_instead_of_breaking_words() -> None:
    """R-13: twenty bodies (a rating of part of the oblast): «Бокситогорского» does not fit a bar's slot even at the
    smallest size; the labels turn upright, whole words and abbreviated («Адм. Бокситогорского МР»), where they
    were broken mid-word («Администр/ация»)."""
    names = MANY[:20]
    labels, rotated, _ = export._axis(names, export.CHART_WIDTH)
    assert rotated
    assert "Адм. Бокситогорского МР 1" in labels
    for name, label in zip(names, labels, strict=True):
        words = export._abbreviated(name).split()
        assert all(w in words for w in label.rstrip("…").split()[:-1]), (name, label)
