"""Found by a review (session 27), fixed since. R-8.9 with R-8.2 and R-6, `common_by_curator`: Monday 28.04.2025. The message goes to «Здравоохранение» and
«Дороги» at 10:00; health's part comes at 10:40; the composing curator falls ill at 10:45 with Смирнова named as her
substitute; roads refuses at 10:50, so all the information is in and Смирнова is told «Подготовьте общий ответ …
вместо куратора» (`_advance_parts` → `curators_instead_of`). At 11:30 Петрова, another curator, names «Культура» in
place of roads on the case page: the common answer must now wait for culture's part (`_await_new_part`, the compose
deadline cancelled). The notice «Общий ответ … пока не готовьте» goes to the ill curator only: Смирнова, who does the
composing and was just told to write it, hears nothing (as `_submit_part` already tells whoever composes now)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.models import Case, Notification
from otklik.org.models import Absence, Body, Role
from tests.cases.helpers import message
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def test_curator_composing_for_the_ill_one_is_told_the_common_answer_waits_for_the_new_body(
    personas: Personas, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    petrova = make_person("petrova", p.office, Role.Kind.CURATOR, last_name="Петрова")
    culture = Body.objects.create(name="Комитет по культуре", short_name="Культура")
    make_person("eva", culture, Role.Kind.EXECUTOR, last_name="Егорова")
    case = actions.dispatch_case(
        p.curator,
        [message()],
        [actions.Route(p.health, 1), actions.Route(p.roads, 1)],
        now=msk(2025, 4, 28, 10, 0),
        multi_mode=Case.MultiMode.COMMON_BY_CURATOR,
    )
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 10, 40))
    Absence.objects.create(
        person=p.curator,
        reason="sick_leave",
        starts_at=msk(2025, 4, 28, 10, 45),
        ends_at=msk(2025, 5, 12, 9, 0),
        substitute=smirnova,
    )
    actions.reject_assignment(
        p.dave, case.assignments.get(body=p.roads), "Не дорожный вопрос", now=msk(2025, 4, 28, 10, 50)
    )
    work = Notification.objects.filter(recipient=smirnova, case=case, kind=Notification.Kind.WORK)
    assert work.filter(text__startswith="Подготовьте общий ответ").exists()  # she composes now

    monkeypatch.setattr(timezone, "now", lambda: msk(2025, 4, 28, 11, 30))
    case.refresh_from_db()
    client.force_login(petrova)
    answer = client.post(
        reverse("cases:reassign", args=[case.pk, case.assignments.get(body=p.roads).pk]),
        {"body": culture.pk, "version": case.version},
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.composer is None  # the common answer waits for culture's part

    told = list(work.values_list("text", flat=True))
    assert any("пока не готовьте" in t for t in told), (
        f"Смирнова, who composes for the ill curator, is not told to wait for «Культура»: she was told {told}; "
        f"the ill curator got {list(Notification.objects.filter(recipient=p.curator, case=case, text__contains='пока не готовьте').values_list('text', flat=True))}"
    )
