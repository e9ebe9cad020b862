"""Numbers as people read and type them (otklik.web.numbers): the reports, the alerts and the forms share these."""

from __future__ import annotations

import pytest

from otklik.web.numbers import counted, decimal, record_number, short, signed, whole_number


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        (66.666, 1, "66,7"),
        (0.5, 2, "0,50"),
        (7, 1, "7"),
        (None, 1, "—"),
        (-0.25, 1, "−0,3"),
        (0.125, 2, "0,13"),
    ],
)
def test_decimal_has_a_comma_and_fixed_digits(value: float | int | None, digits: int, shown: str) -> None:
    assert decimal(value, digits) == shown


def test_signed_and_short() -> None:
    assert (signed(2.5), signed(-14.3), signed(0.0)) == ("+2,5", "−14,3", "+0,0")
    assert (short(0.5), short(2.0), short(1.25)) == ("0,5", "2", "1,25")


@pytest.mark.parametrize(("typed", "number"), [("125", 125), ("№ 125", 125), (" №125 ", 125), ("0", None)])
def test_a_record_number_as_typed(typed: str, number: int | None) -> None:
    assert record_number(typed) == number


@pytest.mark.parametrize("typed", ["abc", "+5", "1_000", "²", "12a", ""])
def test_what_is_not_a_record_number(typed: str) -> None:
    with pytest.raises(ValueError):
        record_number(typed)


def test_a_number_beyond_any_key_is_no_record() -> None:
    assert record_number("9" * 30) is None


@pytest.mark.parametrize(
    ("number", "noun", "shown"),
    [
        (1, "час", "1 час"),
        (4, "час", "4 часа"),
        (9, "час", "9 часов"),
        (11, "час", "11 часов"),
        (21, "день", "21 день"),
    ],
)
def test_a_noun_agrees_with_its_number(number: int, noun: str, shown: str) -> None:
    assert counted(number, noun) == shown


@pytest.mark.parametrize(
    ("typed", "number"),
    [("12", 12), (" 7 ", 7), ("²", None), ("-3", None), ("", None), (None, None), ("9" * 30, None)],
)
def test_a_form_fields_whole_number(typed: str | None, number: int | None) -> None:
    assert whole_number(typed) == number


@pytest.mark.parametrize(
    ("link", "shown"),
    [
        ("https://vk.com/wall-1_5", "https://vk.com/wall-1_5"),
        ("/cases/7/", "/cases/7/"),
        ("javascript:alert(1)", ""),
        ("//evil.example/x", ""),
        ("/\t/evil.example/x", ""),  # a browser drops the tab and goes to //evil.example
        ("https://vk.com/\nx", ""),
    ],
)
def test_only_web_links_reach_an_href(link: str, shown: str) -> None:
    from otklik.web.templatetags.otklik_tags import web_url

    assert web_url(link) == shown
