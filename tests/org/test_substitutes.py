"""R-6: only people who can do the absent person's work — active executors and responsible officials of the same
body — may be named substitutes; the form offers only them, the server refuses others, and routing ignores a
substitute recorded before this rule."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from otklik.org.duty import DutyReason, on_duty
from otklik.org.models import Absence
from otklik.org.services import save_absence
from tests.conftest import Personas, msk


def absence_form(person_pk: int, substitute_pk: int | str) -> dict[str, object]:
    return {
        "person": person_pk,
        "reason": "vacation",
        "starts_at": "2025-07-01T00:00",
        "ends_at": "2025-07-15T00:00",
        "substitute": substitute_pk,
        "comment": "",
    }


def substitute_options(html: str) -> str:
    match = re.search(r'<select name="substitute".*?</select>', html, re.S)
    assert match, "the form has no substitute field"
    return match.group(0)


def test_r6_form_offers_only_executors_and_responsible_of_the_body(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.alice)
    options = substitute_options(client.get("/directory/absences/new/").content.decode())
    for offered in (personas.bob, personas.charlie, personas.health_head):
        assert str(offered) in options
    for refused in (personas.observer, personas.curator, personas.admin, personas.dave, personas.roads_head):
        assert str(refused) not in options


def test_r6_observer_cannot_be_named_substitute(personas: Personas, client: Client) -> None:
    client.force_login(personas.alice)
    response = client.post("/directory/absences/new/", absence_form(personas.alice.pk, personas.observer.pk))
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert Absence.objects.count() == 0


def test_r6_administrator_cannot_name_another_bodys_executor(personas: Personas, client: Client) -> None:
    client.force_login(personas.admin)
    response = client.post("/directory/absences/new/", absence_form(personas.alice.pk, personas.dave.pk))
    assert response.status_code == 200
    assert (
        "Замещающим может быть только исполнитель или ответственное должностное лицо органа «Здравоохранение»; "
        "Давыдов Тест к ним не относится." in response.content.decode()
    )
    assert Absence.objects.count() == 0


def test_r6_responsible_official_of_the_body_may_substitute(personas: Personas, client: Client) -> None:
    client.force_login(personas.alice)
    response = client.post(
        "/directory/absences/new/", absence_form(personas.alice.pk, personas.health_head.pk)
    )
    assert response.status_code == 302
    assert Absence.objects.get().substitute == personas.health_head


@pytest.mark.parametrize("who", ["observer", "curator", "dave"])
def test_r6_save_absence_refuses_a_substitute_outside_the_body(personas: Personas, who: str) -> None:
    with pytest.raises(ValidationError) as exc:
        save_absence(
            Absence(
                person=personas.alice,
                starts_at=msk(2025, 7, 1, 0, 0),
                ends_at=msk(2025, 7, 15, 0, 0),
                reason=Absence.Reason.VACATION,
                substitute=getattr(personas, who),
            )
        )
    assert "Замещающим может быть только исполнитель" in " ".join(exc.value.messages)
    assert Absence.objects.count() == 0


def test_r6_routing_skips_a_recorded_substitute_who_cannot_act(personas: Personas) -> None:
    """An absence stored before the rule (observer as substitute) must not leave cases stuck with the observer."""
    Absence.objects.create(
        person=personas.alice,
        starts_at=msk(2025, 3, 10, 0, 0),
        ends_at=msk(2025, 3, 20, 0, 0),
        reason=Absence.Reason.VACATION,
        substitute=personas.observer,
    )
    duty = on_duty(personas.alice, msk(2025, 3, 12, 11, 0))
    assert duty.person == personas.bob
    assert duty.reason == DutyReason.FALLBACK_EXECUTOR
    assert f"{personas.observer} не может замещать" in duty.explanation


def test_r6_the_absence_list_flags_a_recorded_substitute_who_cannot_act(
    personas: Personas, client: Client
) -> None:
    p = personas
    now = timezone.now()
    Absence.objects.create(
        person=p.alice, starts_at=now, ends_at=now + timedelta(days=5), reason=Absence.Reason.VACATION,
        substitute=p.observer,
    )  # fmt: skip
    Absence.objects.create(
        person=p.bob, starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=12),
        reason=Absence.Reason.VACATION, substitute=p.alice,
    )  # fmt: skip
    client.force_login(p.curator)
    html = client.get("/directory/absences/").content.decode()
    assert html.count('data-testid="unfit-substitute"') == 1
    row = html[html.index(str(p.observer)) :]
    assert row.index("не может замещать") < row.index("</tr>")
