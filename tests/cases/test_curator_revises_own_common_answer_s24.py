"""Found by a review (session 24), fixed since. R-8.6 with R-8.9 (the curator composes the common answer, `common_by_curator`): the composing curator's returned
common answer is not offered to her for revision on the case page.

Scenario (Monday 28.04.2025, default schedule; `parts_in`). The message goes to health, then roads; health's
information comes 11:00, roads' 16:00, and the curator (Кураторова) composes the common answer. She sends it 17:00;
Смирнова, the other curator, returns it at 17:10: «Добавьте адрес поликлиники.» The R-8.6 revision term (one working
hour) is Кураторова's — `actions.may_revise` says she may revise it, and `revise_draft` takes her revision.

Now: her case page says «на доработке» but shows no «Доработать проект»: the template offers it only to a member of
one of the case's bodies (`is_member`), and a curator is a member of none. The revision link is nowhere else, so
she cannot reach the editor from the page (only by typing its address), and the revision term runs out.

Should: the case page offers «Доработать проект» to whoever `may_revise` says may revise it — here the composing
curator — and the link opens the editor.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case
from otklik.org.models import Role
from tests.cases.helpers import COMMON_ANSWER, parts_in
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def test_the_composing_curator_is_offered_the_revision_of_her_returned_common_answer(
    client: Client, personas: Personas
) -> None:
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    case = parts_in(p, Case.MultiMode.COMMON_BY_CURATOR)
    assert case.composer == p.curator
    common = actions.submit_draft(p.curator, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 28, 17, 0))
    actions.return_draft(smirnova, common, "Добавьте адрес поликлиники.", now=msk(2025, 4, 28, 17, 10))
    case.refresh_from_db()
    assert case.status == Case.Status.REVISION
    assert actions.may_revise(p.curator, common)  # the workflow takes her revision

    client.force_login(p.curator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    revise = reverse("cases:revise", args=[case.pk, common.pk])
    assert revise in page, (
        "the composing curator's case page does not offer «Доработать проект» of her common answer"
    )
    assert client.get(revise).status_code == 200

    # the reviewing curator, who is not away from nor standing in for anybody, is not offered it
    other = Client()
    other.force_login(smirnova)
    assert revise not in other.get(reverse("cases:detail", args=[case.pk])).content.decode()
    # nor are the bodies' executors: the common answer is the curator's
    other.force_login(p.alice)
    assert revise not in other.get(reverse("cases:detail", args=[case.pk])).content.decode()
