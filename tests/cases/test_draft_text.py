"""R-9: a draft typed in the browser arrives with CRLF line breaks (HTML form submission); it is stored, scored
and published with one «\\n» per break, as the networks count them, so a Telegram answer that fits 4096 characters
is sent whole, and the checker's score is the score of the stored text."""

from __future__ import annotations

import pytest

from otklik.answers.checker import check_answer
from otklik.cases import actions
from tests.cases.helpers import message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_a_browsers_crlf_draft_is_stored_and_scored_with_one_break_per_line(personas: Personas) -> None:
    m = message("Когда уберут снег во дворе на Советской, 5 в Гатчине?", network="telegram")
    case = actions.dispatch_case(
        personas.curator, [m], [actions.Route(personas.roads, 1)], now=msk(2025, 5, 5, 10, 0)
    )
    paragraph = "Снег во дворе на Советской, 5 уберут до 12:00 завтра, техника уже выехала."
    body = "\r\n".join([paragraph] * 54)  # 54 lines: 4,103 characters with CRLF, 4,050 with «\n»
    text = f"Здравствуйте, Ирина!\r\n{body}\r\n\r\n"
    assert len(text) > 4096 >= len(text.replace("\r\n", "\n").strip())
    draft = actions.submit_draft(personas.dave, case, "answer", text, now=msk(2025, 5, 5, 11, 0))
    assert "\r" not in draft.text and draft.text.count("\n") == 54
    expected = check_answer(draft.text, network="telegram", author_name="Ирина Петрова")
    assert draft.score == expected.score
    assert len(draft.text) <= 4096  # Telegram's hard limit, which the CRLF text exceeded
