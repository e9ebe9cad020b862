"""Found by a review (session 26), fixed since. R-4.2–4.3, R-6: a person whose curator's role is taken off loses access to the cases at once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.org.models import Role
from tests.cases.helpers import message
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

SECRET = "Сосулька над входом в поликлинику № 7"


def test_curator_whose_role_is_taken_off_still_reads_her_review_cases_in_my_queue(personas: Personas) -> None:
    """A curator with no body on her card (the office's curators are added so, as a curator's role needs none)
    dispatched a message to the health body; its executor sent a draft for her approval. The administrator then takes
    her curator's role off (she leaves the office's work). From that moment she opens no case (the case page is
    «не найдено»), yet «Мои обращения» still lists the case with its number and the citizen's text, under the
    approval deadline that names her: another organisation's work stays readable to someone who no longer holds
    any role (R-4.2–4.3: each sees only its own work; R-6: a role taken off takes the access with it)."""
    p = personas
    ivanova = make_person("ivanova", None, Role.Kind.CURATOR, last_name="Иванова")
    case = actions.dispatch_case(
        ivanova, [message(text=SECRET)], [actions.Route(p.health, 1)], now=msk(2025, 4, 28, 10, 0)
    )
    actions.submit_draft(
        p.alice, case, "answer", "Здравствуйте, Ирина! Сосульку сбили 28 апреля.", now=msk(2025, 4, 28, 11, 0)
    )
    Role.objects.filter(person=ivanova, kind=Role.Kind.CURATOR).delete()

    client = Client()
    client.force_login(ivanova)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404  # the case is closed to her
    queue = client.get(reverse("cases:my_queue")).content.decode()
    assert SECRET not in queue, "«Мои обращения» of a person with no role still shows the case's text"
    assert f'data-case="{case.pk}"' not in queue
