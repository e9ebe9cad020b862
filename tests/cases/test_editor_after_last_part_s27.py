"""Found by a review (session 27), fixed since. R-8.9, `common_by_curator`: the last body's executor (Давыдов, «Дороги») sends his part on the editor page; his
part completes the information and the curator now composes the common answer. He presses «Назад» in the browser
(or opens the editor's address again): the editor must say his body's information is already sent, as it does for
a body whose part is in while another body still works — not offer him the common answer's editor («Ответ /
Промежуточный ответ / Запрос уточнения» with every body's information beside it), which he may not send."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.models import Case, Draft
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def test_last_bodys_executor_is_not_given_the_curators_common_answer_editor_after_his_part(
    personas: Personas, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = personas
    case = dispatch(
        p.curator, p.health, p.roads, at=msk(2025, 4, 28, 10, 0), multi_mode=Case.MultiMode.COMMON_BY_CURATOR
    )
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    monkeypatch.setattr(timezone, "now", lambda: msk(2025, 4, 28, 16, 0))
    client.force_login(p.dave)
    editor = reverse("cases:draft", args=[case.pk])
    page = client.get(editor)
    assert page.status_code == 200
    seen = page.context["seen"]
    sent = client.post(
        editor, {"kind": "part", "text": "Дорогу отремонтируют в мае.", "seen": seen, "version": case.version}
    )
    assert sent.status_code == 302
    case.refresh_from_db()
    assert case.composer == p.curator  # the curator composes the common answer now
    assert case.drafts.filter(kind=Draft.Kind.PART, assignment__body=p.roads).exists()

    # «Назад» in the browser: the editor again
    again = client.get(editor, follow=True)
    html = again.content.decode()
    kinds = (
        [k for k, _ in again.context.get("kinds", [])] if again.context and "kinds" in again.context else []
    )
    assert "Ваш орган уже направил информацию" in html, (
        f"Давыдов is given an editor for the curator's common answer (kinds {kinds}, "
        f"«Информация органов для общего ответа» shown: {'Информация органов для общего ответа' in html})"
    )
