"""R-7.2 on the Governor's post page: an answer refused as stale (a colleague's answer was returned by the head
while she typed hers) is kept in its form — on the page the refusal leads to and on every later showing until an
answer of that part is taken — and the refusal says so instead of «Обновите страницу», which used to throw the
typed answer away (the session kept it for one showing only). Found by a review (session 19)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _messages(html: str) -> list[str]:
    listed = re.search(r'<ul class="messages"[^>]*>(.*?)</ul>', html, re.S)
    if not listed:
        return []
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", listed[1], re.S)]


def test_a_governors_question_answer_refused_as_stale_is_still_there_after_the_refresh_the_page_asks_for(
    personas: Personas,
) -> None:
    """R-7.2 on the Governor's post page: two executors of the body answer the same question (its 2 working hours
    run); the first one's answer was returned by the head while the second typed hers. Hers is refused as stale and
    the page says «Вопрос уже изменил другой сотрудник. Обновите страницу.» — with her text in the form. Doing what
    it says (reloading the page) must not throw the typed answer away."""
    from otklik.governor import actions as gov_actions
    from otklik.org.models import Role
    from tests.conftest import make_person
    from tests.governor.helpers import HEALTH_TOPIC, ROADS_TOPIC, competence
    from tests.governor.test_join_flow import roads_question

    p = personas
    competence(p.health, *HEALTH_TOPIC)
    competence(p.roads, *ROADS_TOPIC)
    erin = make_person("erin", p.roads, Role.Kind.EXECUTOR, last_name="Ершова")
    gov_actions.set_require_approval(p.roads, p.roads_head, True)
    case, c = roads_question(p)
    page_url = reverse("governor:post", args=[c.watch_id])
    client = Client()
    client.force_login(erin)
    page = client.get(page_url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', page)
    seen = re.search(r'name="seen" value="(\d+)"', page)
    assert version and seen
    # meanwhile: dave answers, the head returns it
    gov_actions.submit_answer(case, p.dave, "Дорогу отремонтируют.", now=msk(2024, 11, 2, 9, 30))
    gov_actions.return_answer(case, p.roads_head, "Укажите месяц.", now=msk(2024, 11, 2, 9, 40))
    typed = "Здравствуйте! Ремонт дороги на Соборной улице включён в план на май, подрядчик уже выбран."
    response = client.post(
        reverse("governor:answer", args=[case.pk]),
        {"text": typed, "version": version[1], "seen": seen[1], "part": p.roads.pk},
        follow=True,
    )
    html = response.content.decode()
    said = " ".join(_messages(html))
    assert "изменил другой сотрудник" in said, said
    assert typed in html  # kept in the form after the refusal …
    again = client.get(page_url).content.decode()  # … and the page is reloaded, as the message asks
    assert typed in again, "the typed answer is gone after a reload: " + said
    assert "Обновите страницу" not in said and "сохранён в поле ответа" in said, said
    # once an answer of the part is taken, the kept text is done with (not offered again in a later form)
    seen_now = re.search(r'name="seen" value="(\d+)"', again)
    assert seen_now
    client.post(
        reverse("governor:answer", args=[case.pk]), {"text": typed, "seen": seen_now[1], "part": p.roads.pk}
    )
    assert case.drafts.filter(text=typed).exists()
    assert client.session.get("governor_typed_answer", {}) == {}
