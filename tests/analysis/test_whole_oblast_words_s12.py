"""R-8.1 (review of bf3ff9c..HEAD): «Ленинградская область в целом» is suggested for a text that speaks of the whole
oblast (`analysis.place.whole_oblast_words`), not for one that names the oblast in a title or an organisation's
name — the suggestion fills the dispatch form's place, and a case about one house filed under the whole oblast
is missing from its municipality's figures (R-13 reports by place)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from otklik.analysis.place import extract_place, reset_gazetteer
from otklik.org.loaders import load_directory


@pytest.fixture
def directory(db: None) -> Iterator[None]:
    """The oblast's places, as tests/analysis load them (the in-memory gazetteer does not outlive the database)."""
    reset_gazetteer()
    load_directory()
    yield
    reset_gazetteer()


@pytest.mark.parametrize(
    "text",
    [
        # the Governor's title in the dative, as most letters to him begin
        "Губернатору Ленинградской области. Прошу помочь с ремонтом крыши нашего дома, течёт второй год",
        # organisations «по Ленинградской области» (the federal bodies' regional offices)
        "ГУ МВД по Ленинградской области второй месяц не отвечает на моё заявление о краже",
        "Росреестр по Ленобласти не регистрирует участок, документы поданы в августе",
        # the oblast's own organisations
        "Обратилась в Госжилинспекцию Ленинградской области, ответа нет",
        "Комитет по здравоохранению Ленинградской области, когда в нашу амбулаторию пришлют врача?",
    ],
    ids=[
        "governor-dative",
        "mvd-po-oblasti",
        "rosreestr-po-lenoblasti",
        "gzhi-of-the-oblast",
        "oblast-committee",
    ],
)
def test_r8_1_the_oblast_in_a_title_or_an_organisations_name_is_no_place(directory: None, text: str) -> None:
    """R-8.1: as for «Губернатор Ленинградской области» and «Правительство Ленобласти» (`tests/analysis/
    test_place.py`), the oblast in a title or an organisation's name does not make the message about the whole
    oblast."""
    place = extract_place(text)
    assert (place.source, place.as_dict().get("oblast_words", "")) == ("none", "")
