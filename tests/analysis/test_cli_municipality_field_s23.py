"""Found by a review (session 23), fixed since. R-8.1, the `otklik analyze` contract (otklik.analysis.cli): the optional field `municipality` — the territory of
the community a message comes from, used as its place when the text names none — is either taken or refused with an
error line; it is never dropped in silence. The contract already refuses an optional field of the wrong kind for
that very reason («a value of the wrong kind would silently change the result»).

Scenario: the directory is loaded (`Тосненский муниципальный район` in it). An operator feeds three messages of the
Tosno district's VK community that name no place themselves:
  {"id": 1, "text": "Когда починят фонари у школы?", "municipality": "Тосненский муниципальный район"}
  {"id": 2, "text": "Когда починят фонари у школы?", "municipality": "Тосненский район"}
  {"id": 3, "text": "Когда починят фонари у школы?", "municipality": "Тосненский муниципальный район "}

Now: line 1 gets the Tosno district (place source «source», its municipal bodies); lines 2 and 3 — the everyday
name of the district, the full name with a trailing space from a spreadsheet — get `"municipality": null`, place
source «none», only oblast-wide bodies, and no `error`: nothing tells the operator the field was not understood.
Should: the district is recognised (the gazetteer knows «Тосненский район»; spaces are trimmed) or the line gets an
error object naming the field «municipality».
"""

from __future__ import annotations

import pytest

from otklik.org.loaders import load_directory
from otklik.org.models import Municipality
from tests.analysis.test_cli import jsonl, run

pytestmark = pytest.mark.django_db


def test_r8_1_an_unrecognised_community_territory_is_not_dropped_in_silence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_directory()
    tosno = Municipality.objects.get(name="Тосненский муниципальный район")
    text = "Когда починят фонари у школы?"
    out = run(
        ["analyze"],
        jsonl(
            {"id": 1, "text": text, "municipality": tosno.name},
            {"id": 2, "text": text, "municipality": "Тосненский район"},
            {"id": 3, "text": text, "municipality": tosno.name + " "},
        ),
        monkeypatch,
        utility=False,
    )
    assert [o["id"] for o in out] == [1, 2, 3]
    assert out[0]["municipality_id"] == tosno.pk  # the exact name is taken
    for answer in out[1:]:
        taken = answer.get("municipality_id") == tosno.pk
        refused = "municipality" in str(answer.get("error", ""))
        assert taken or refused, (
            f"line {answer['id']}: the field «municipality» was dropped without a word: "
            f"municipality={answer.get('municipality')!r}, place={answer.get('place')}"
        )


def test_a_community_territory_not_in_the_oblast_gets_an_error_line_and_the_run_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    load_directory()
    text = "Когда починят фонари у школы?"
    out = run(
        ["analyze"],
        jsonl(
            {"id": 1, "text": text, "municipality": "Нарнийский район"},
            {"id": 2, "text": text, "municipality": "Тосненский район"},
        ),
        monkeypatch,
        utility=False,
    )
    assert [o["id"] for o in out] == [1, 2]
    assert out[0]["error"] == (
        "строка 1: поле «municipality»: «Нарнийский район» — не муниципальное образование Ленинградской области "
        "из справочника (например, «Тосненский муниципальный район»)"
    )
    assert out[1]["municipality"] == "Тосненский муниципальный район"
