"""The Django admin's cards of a person, a body and an official account refuse a save from a page opened before
a colleague's change, as the site's own directory pages do (R-3, R-5, R-6): the second save no longer silently
writes the old values back over the first. A person's sign-in meanwhile is no change of their card."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.org.models import Body, OfficialAccount, Person
from tests.conftest import PASSWORD, Personas, make_person
from tests.org.test_stale_forms_s7 import STALE, opened

pytestmark = pytest.mark.django_db


def superuser(person: Person) -> Client:
    person.is_staff = person.is_superuser = True
    person.save()
    client = Client(raise_request_exception=False)
    client.force_login(person)
    return client


def person_page(client: Client, url: str) -> dict[str, str]:
    """The admin's person form as a browser sends it: its multiple selects (groups, permissions) with nothing
    selected send nothing."""
    form = opened(client, url)
    for multiple in ("groups", "user_permissions"):
        form.pop(multiple, None)
    return form


@pytest.fixture
def admins(personas: Personas) -> tuple[Client, Client]:
    return superuser(personas.admin), superuser(make_person("admin2", None, "administrator"))


def test_r3_a_body_changed_by_another_administrator_is_not_overwritten(
    personas: Personas, admins: tuple[Client, Client]
) -> None:
    first, second = admins
    url = reverse("admin:org_body_change", args=[personas.health.pk])
    mine, theirs = opened(first, url), opened(second, url)
    assert mine["seen"]
    assert second.post(url, {**theirs, "phone": "+7 812 539-41-00"}).status_code == 302
    response = first.post(url, {**mine, "email": "health@lenreg.ru"})
    assert response.status_code == 200 and STALE in response.content.decode()
    body = Body.objects.get(pk=personas.health.pk)
    assert body.phone == "+7 812 539-41-00" and body.email != "health@lenreg.ru"
    # opened again, the card saves
    assert first.post(url, {**opened(first, url), "email": "health@lenreg.ru"}).status_code == 302


def test_r5_an_official_account_changed_by_another_administrator_is_not_overwritten(
    personas: Personas, admins: tuple[Client, Client]
) -> None:
    account = OfficialAccount.objects.create(
        body=personas.health,
        network="vk",
        title="Комитет в ВК",
        url="https://vk.com/zdrav47",
        external_id="-1",
    )
    first, second = admins
    url = reverse("admin:org_officialaccount_change", args=[account.pk])
    mine, theirs = opened(first, url), opened(second, url)
    theirs.pop("is_public", None)  # unticked: hidden from the public list
    assert second.post(url, theirs).status_code == 302
    response = first.post(url, {**mine, "title": "Комитет по здравоохранению ВКонтакте"})
    assert response.status_code == 200 and STALE in response.content.decode()
    account.refresh_from_db()
    assert account.is_public is False and account.title == "Комитет в ВК"


def test_r6_a_persons_card_in_the_admin_survives_their_sign_in_but_not_a_colleagues_change(
    personas: Personas, admins: tuple[Client, Client]
) -> None:
    first, second = admins
    url = reverse("admin:org_person_change", args=[personas.alice.pk])
    mine = person_page(first, url)
    assert mine["seen"]
    signed_in = Client().post("/login/", {"username": "alice", "password": PASSWORD})
    assert signed_in.status_code == 302  # her sign-in changes last_login only
    assert Person.objects.get(pk=personas.alice.pk).last_login is not None
    assert first.post(url, {**mine, "position": "главный специалист"}).status_code == 302
    assert Person.objects.get(pk=personas.alice.pk).last_login is not None  # not written back from the page
    mine, theirs = person_page(first, url), person_page(second, url)
    assert second.post(url, {**theirs, "phone": "+7 812 000-00-01"}).status_code == 302
    response = first.post(url, {**mine, "position": "ведущий специалист"})
    assert response.status_code == 200 and STALE in response.content.decode()
    alice = Person.objects.get(pk=personas.alice.pk)
    assert (alice.position, alice.phone) == ("главный специалист", "+7 812 000-00-01")
