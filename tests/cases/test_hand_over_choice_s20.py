"""R-6: «Передать другому исполнителю» on the case page offers the body's head only the executors the hand-over
accepts (`actions.hand_over_duty`, the action's own rule): not one who is away and whose work is done by the case's own
executor. The form says why such a colleague is not offered («Борисов отсутствует до …, его работу выполняет
Алексеева — нынешний исполнитель»), and when nobody can take the case the page says so in place of the form. Found by a
review (session 20): Комитет по здравоохранению, Петров on leave with Иванова as his substitute, Иванова the case's
executor — the only choice offered was Петров, choosing him was refused with «… нынешний исполнитель: выберите
другого»: a dead end."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.org.models import Absence
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def shown(page: str) -> list[str]:
    listed = re.search(r'<ul class="messages"[^>]*>(.*?)</ul>', page, re.S)
    items = re.findall(r"<li[^>]*>(.*?)</li>", listed.group(1), re.S) if listed else []
    return [html.unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in items]


def test_every_executor_the_head_is_offered_can_take_the_case(personas: Personas) -> None:
    p = personas
    # Monday; its executor is Алексеева (alice)
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    a = case.assignments.get()
    assert a.executor == p.alice
    # Борисов (bob) is on leave now, Алексеева does his work; Чернов (charlie) has left the body's work
    now = timezone.now()
    Absence.objects.create(
        person=p.bob, starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=10),
        reason=Absence.Reason.VACATION, substitute=p.alice,
    )  # fmt: skip
    p.charlie.is_active = False
    p.charlie.save(update_fields=["is_active"])

    head = Client()
    head.force_login(p.health_head)
    page = head.get(reverse("cases:detail", args=[case.pk])).content.decode()
    form = re.search(r'<details data-testid="hand-over">.*?</details>', page, re.S)
    offered = re.findall(r'<option value="(\d+)">', form[0]) if form else []

    refused = []
    for pk in offered:
        case.refresh_from_db()
        response = head.post(
            reverse("cases:hand_over", args=[case.pk, a.pk]),
            {"executor": pk, "version": case.version},
            follow=True,
        )
        refused += [m for m in shown(response.content.decode()) if "выберите другого" in m]
    # Before: Борисов was offered («отсутствует, получит замещающий») and choosing him was refused — «Борисов …
    # отсутствует, его работу выполняет Алексеева … — нынешний исполнитель: выберите другого» — with nobody else to
    # choose. An executor whose work would come back to the case's own executor is no choice to offer.
    assert refused == [], refused
    assert offered == [], "nobody can take it: no form"
    nobody = re.search(r'<p class="muted" data-testid="hand-over-nobody">(.*?)</p>', page, re.S)
    assert nobody is not None
    assert html.unescape(nobody[1]) == (
        f"Передать другому исполнителю некому: {p.bob} отсутствует до "
        f"{timezone.localtime(now + timedelta(days=10)):%d.%m.%Y %H:%M}, его работу выполняет {p.alice} — "
        "нынешний исполнитель."
    )


def test_the_form_offers_the_others_and_says_why_the_one_away_is_not_offered(personas: Personas) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    a = case.assignments.get()
    now = timezone.now()
    Absence.objects.create(
        person=p.bob, starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=10),
        reason=Absence.Reason.VACATION, substitute=p.alice,
    )  # fmt: skip
    head = Client()
    head.force_login(p.health_head)
    page = head.get(reverse("cases:detail", args=[case.pk])).content.decode()
    form = re.search(r'<details data-testid="hand-over">.*?</details>', page, re.S)
    assert form is not None
    assert re.findall(r'<option value="(\d+)">', form[0]) == [str(p.charlie.pk)]
    note = re.search(r'data-testid="hand-over-not-offered">(.*?)</small>', form[0], re.S)
    assert note is not None and html.unescape(note[1]).startswith(f"Не предлагаются: {p.bob} отсутствует до ")
    assert "hand-over-nobody" not in page
    case.refresh_from_db()
    response = head.post(
        reverse("cases:hand_over", args=[case.pk, a.pk]), {"executor": p.charlie.pk, "version": case.version}
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.executor == p.charlie
