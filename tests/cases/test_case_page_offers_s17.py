"""R-8.6, R-8.7 with R-8.9: the case page offers «Доработать проект» and «Подтвердить публикацию» of a common
answer only to the body that may do it (`actions.may_revise`, `may_confirm`); its fallback composer gets the draft
(review, session 17). Monday 28.04.2025, default schedule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case
from otklik.org.models import Absence, Role
from tests.cases.helpers import COMMON_ANSWER, parts_in
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def test_case_page_of_the_fallback_composer_offers_the_draft(client: Client, personas: Personas) -> None:
    """Control (sound): the last body's executor who composes is away with Ершова named: Ершова's case page offers
    «Подготовить проект» and her common answer goes through."""
    p = personas
    ella = make_person("ella", p.roads, Role.Kind.EXECUTOR, last_name="Ершова")
    case = parts_in(p, Case.MultiMode.COMMON_BY_LAST)
    now = timezone.now()  # the case page reads the real clock
    Absence.objects.create(
        person=p.dave,
        substitute=ella,
        reason="vacation",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=1),
    )
    client.force_login(ella)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:draft", args=[case.pk]) in page
    actions.submit_draft(ella, case, "answer", COMMON_ANSWER)


def test_case_page_offers_the_revision_only_to_the_body_that_may_revise(
    client: Client, personas: Personas
) -> None:
    """R-8.6 with R-8.9 (the last executor composes): Давыдов's (roads) common answer is returned. Алексеева's
    (health) case page shows «Доработать проект» (`is_member`: any body of the case), the editor opens for her, and
    what she types is then refused («Доработку выполняет исполнитель органа, которому направлено обращение»):
    `revise_draft` takes only the draft's body."""
    p = personas
    case = parts_in(p, Case.MultiMode.COMMON_BY_LAST)
    common = actions.submit_draft(p.dave, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 28, 17, 0))
    actions.return_draft(p.curator, common, "Добавьте адрес поликлиники.", now=msk(2025, 4, 28, 17, 10))
    with pytest.raises(ActionRefused):
        actions.revise_draft(p.alice, common, COMMON_ANSWER + " Адрес: ул. Соборная, 1.")
    client.force_login(p.alice)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:revise", args=[case.pk, common.pk]) not in page, (
        "health's executor is offered «Доработать проект» for roads' common answer, which she may not revise"
    )


def test_case_page_offers_the_publication_only_to_the_body_that_may_confirm_it(
    client: Client, personas: Personas
) -> None:
    """R-8.7 with R-8.9: the same common answer, approved: Алексеева's (health) page shows «Подтвердить публикацию»,
    the form opens, and her link is refused («Публикацию выполняет исполнитель органа …»): only roads publishes."""
    p = personas
    case = parts_in(p, Case.MultiMode.COMMON_BY_LAST)
    common = actions.submit_draft(p.dave, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 28, 17, 0))
    actions.approve_draft(p.curator, common, now=msk(2025, 4, 28, 17, 10))
    with pytest.raises(ActionRefused):
        actions.confirm_publication(p.alice, common, url="https://vk.com/wall-1_1?reply=94")
    client.force_login(p.alice)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:publish", args=[case.pk, common.pk]) not in page, (
        "health's executor is offered «Подтвердить публикацию» for roads' answer, which she may not confirm"
    )
