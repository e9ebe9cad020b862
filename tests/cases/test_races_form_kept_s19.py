"""R-8.9 with R-8.4: several bodies prepare their information for one common answer at the same time (the curator
gave them one place in the order). One body's executor types her part while another body's executor sends his: her
page was opened before his part came, and nothing of her body's work changed meanwhile — her part is now taken. The
editor's form carries her body's own mark (`seen`: the assignment, its executor and its latest draft), as the
Governor's post page does, and another body's part does not make it stale.

A send refused as stale (the body's head gave the case to another executor meanwhile) now says «Текст ниже не
отправлен: он сохранён на этой странице», names the latest change and links the case page to open in a new tab —
never «Обновите страницу», which would show an empty editor and lose the typed answer.

Found by a review (session 19).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case, Draft
from tests.cases.helpers import message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

PART = (
    "Поликлиника на Соборной, 5 откроется после ремонта 1 июня; до этого приём ведёт поликлиника на ул. Ленина, 12. "
    "Запись по телефону 122."
)


def _messages(html: str) -> list[str]:
    listed = re.search(r'<ul class="messages"[^>]*>(.*?)</ul>', html, re.S)
    if not listed:
        return []
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", listed[1], re.S)]


def test_a_part_typed_while_another_body_sent_its_own_is_taken(personas: Personas, client: Client) -> None:
    """R-8.9: the other body's part changes nothing of hers; her part is taken (as on the Governor's post page, where
    «another body's action in between must not make this body's answer stale»), not refused with «Обращение уже
    изменил другой сотрудник. Обновите страницу…» — a refresh the page asks for would throw the typed part away."""
    p = personas
    case = actions.dispatch_case(
        p.curator,
        [message()],
        [actions.Route(p.health, 1), actions.Route(p.roads, 1)],  # both at once
        multi_mode=Case.MultiMode.COMMON_BY_LAST,
        now=msk(2025, 4, 28, 10, 0),
    )
    client.force_login(p.alice)
    page = client.get(reverse("cases:draft", args=[case.pk]))
    assert page.status_code == 200
    seen = re.search(r'name="version" value="(\d+)"', page.content.decode())
    assert seen
    mark = re.search(
        r'name="seen" value="([^"]+)"', page.content.decode()
    )  # her body's own work, as the form sends
    assert mark
    # meanwhile the roads executor sends his body's information
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 11, 0))
    response = client.post(
        reverse("cases:draft", args=[case.pk]),
        {"kind": "part", "text": PART, "version": seen[1], "seen": mark[1]},
    )
    said = _messages(response.content.decode()) if response.status_code != 302 else []
    assert response.status_code == 302, said
    assert Draft.objects.filter(case=case, author=p.alice, kind=Draft.Kind.PART).exists()


def test_a_refused_draft_does_not_ask_for_a_refresh_that_would_lose_the_typed_text(
    personas: Personas, client: Client
) -> None:
    """R-8.4: the body's head gives the case to another executor while the first one types the answer (R-6): her
    send is refused as stale. The text is in the form below; the page must say so and not tell her to «обновите
    страницу» — reloading the editor shows an empty form and the long answer is gone."""
    p = personas
    case = actions.dispatch_case(
        p.curator, [message()], [actions.Route(p.health, 1)], now=msk(2025, 4, 28, 10, 0)
    )
    client.force_login(p.alice)
    page = client.get(reverse("cases:draft", args=[case.pk]))
    seen = re.search(r'name="version" value="(\d+)"', page.content.decode())
    assert seen
    a = case.assignments.get()
    actions.hand_to_executor(p.health_head, a, p.bob, now=msk(2025, 4, 28, 10, 30))
    response = client.post(
        reverse("cases:draft", args=[case.pk]), {"kind": "answer", "text": PART, "version": seen[1]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert PART in html  # the text is kept in the form …
    said = " ".join(_messages(html))
    # … and the page says so instead of sending her to reload an empty editor
    assert "Обновите страницу" not in said, said
    assert "сохранён на этой странице" in said, said


def test_a_part_is_still_refused_when_her_own_bodys_work_changed_meanwhile(
    personas: Personas, client: Client
) -> None:
    """R-8.9 with R-6: the guard is her body's own work: the head gives the body's part to another executor while she
    types, and her part is refused as stale — the text kept on the page, no «Обновите страницу»."""
    p = personas
    case = actions.dispatch_case(
        p.curator,
        [message()],
        [actions.Route(p.health, 1), actions.Route(p.roads, 1)],
        multi_mode=Case.MultiMode.COMMON_BY_LAST,
        now=msk(2025, 4, 28, 10, 0),
    )
    client.force_login(p.alice)
    html = client.get(reverse("cases:draft", args=[case.pk])).content.decode()
    version = re.search(r'name="version" value="(\d+)"', html)
    mark = re.search(r'name="seen" value="([^"]+)"', html)
    assert version and mark
    actions.hand_to_executor(
        p.health_head, case.assignments.get(body=p.health), p.bob, now=msk(2025, 4, 28, 10, 30)
    )
    response = client.post(
        reverse("cases:draft", args=[case.pk]),
        {"kind": "part", "text": PART, "version": version[1], "seen": mark[1]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert PART in html
    said = " ".join(_messages(html))
    assert "Обновите страницу" not in said and "сохранён на этой странице" in said, said
    assert "передано другому исполнителю органа" in said, said
    assert not Draft.objects.filter(case=case, kind=Draft.Kind.PART).exists()
