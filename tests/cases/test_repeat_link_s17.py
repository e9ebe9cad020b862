"""R-8.10: a repeat sent to another body than the earlier case's — the case page links the earlier case."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from tests.cases.helpers import message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_the_case_page_does_not_link_an_earlier_case_the_executor_cannot_open(
    client: Client, personas: Personas
) -> None:
    """The earlier case went to the health committee; the repeat goes to the roads committee (the curator chose the
    competent body anew). Давыдов of the roads committee reads «повтор обращения № N (другого органа)», not a link to
    «Страница не найдена» (as the draft editor says it: `similar.can_open`)."""
    p = personas
    earlier = actions.dispatch_case(p.curator, [message()], [actions.Route(p.health)])
    repeat = actions.dispatch_case(
        p.curator, [message("Опять яма у поликлиники")], [actions.Route(p.roads)], repeat_of=earlier
    )
    client.force_login(p.dave)
    page = client.get(reverse("cases:detail", args=[repeat.pk])).content.decode()
    assert f"№ {earlier.pk}" in page  # the page says it is a repeat of № N
    earlier_url = reverse("cases:detail", args=[earlier.pk])
    linked = re.search(rf'href="{re.escape(earlier_url)}"', page) is not None
    opens = client.get(earlier_url).status_code == 200
    assert not opens and not linked, f"the page links {earlier_url}, which is 404 for this executor"
    assert f"№ {earlier.pk} (другого органа)" in page
    client.force_login(p.curator)  # the curator opens every case: the number is a link
    page = client.get(reverse("cases:detail", args=[repeat.pk])).content.decode()
    assert f'href="{earlier_url}"' in page
