"""Found by a review (session 25), fixed since. The administrator's lists in the admin site count their rows in broken Russian: «3 органы», «9 сотрудники»,
«7 источники», «0 курсоры источников», «187 сообщения», «46 органы» (all seen on the demo data).

Django's own `admin/pagination.html` prints ``{{ cl.result_count }}`` followed by the model's `verbose_name`
when the count is 1 and its nominative `verbose_name_plural` otherwise — right in English, wrong for Russian,
which needs «1 орган / 3 органа / 10 органов». The project overrides the admin's `base_site.html` and
`index.html` (src/otklik/templates/admin/) but not `pagination.html`, so every changelist of the project's models
(and the «Выбрать все N …» link of the actions bar) shows the wrong count form. R-5/R-6 (the directory of bodies,
people and accounts the administrator keeps in the admin; the Russian interface, as `web.numbers.counted` gives the
site's own pages) — cause: the missing override of `admin/pagination.html` under
src/otklik/templates/admin/ (and of `admin/actions.html`'s «Select all N {module_name}»)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from otklik.org.models import Body, Person
from tests.conftest import Personas, make_person
from tests.web.test_russian_everywhere import visible_text

pytestmark = pytest.mark.django_db


def _admin(p: Personas) -> Client:
    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save()
    client = Client()
    client.force_login(p.admin)
    return client


def _paginator_line(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    match = re.search(r'<p class="paginator">(.*?)</p>', html, re.S)
    assert match, url
    return " ".join(" ".join(visible_text(match.group(1))).split())


def test_body_and_person_lists_count_in_russian(personas: Personas) -> None:
    p = personas
    client = _admin(p)
    assert Body.objects.count() == 3 and Person.objects.count() == 9
    # what an administrator reads under the list of bodies and of people
    assert _paginator_line(client, "/admin/org/body/") == "3 органа"
    assert _paginator_line(client, "/admin/org/person/") == "9 сотрудников"


def test_twenty_one_people_is_one_form(personas: Personas) -> None:
    p = personas
    for i in range(12):
        make_person(f"extra{i}", p.health)
    client = _admin(p)
    assert Person.objects.count() == 21
    assert _paginator_line(client, "/admin/org/person/") == "21 сотрудник"


def test_select_all_across_pages_and_a_name_without_a_noun(personas: Personas) -> None:
    """«Выбрать все: 101 сообщение» over a list of two pages; «неразобранные данные» (no singular) keeps its
    plural and puts the number after it."""
    from otklik.intake.models import Message
    from otklik.web.numbers import counted_phrase

    Message.objects.bulk_create(
        Message(network="vk", external_id=f"-1_1_{n}", text=f"Сообщение {n}") for n in range(101)
    )
    page = _admin(personas).get("/admin/intake/message/").content.decode()
    assert "Выбрать все: 101 сообщение" in page
    assert counted_phrase(3, "неразобранные данные", "неразобранные данные") == "неразобранные данные: 3"
    assert counted_phrase(3, "официальный аккаунт", "официальные аккаунты") == "3 официальных аккаунта"
