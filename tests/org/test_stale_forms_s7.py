"""Two people open the same directory card; the one who saves second no longer silently overwrites what the
first one changed (R-6: a person's card and absences kept by the body's responsible official; R-5: official
accounts kept by the curator). The form carries what the card looked like when it was opened; a save of a
card changed meanwhile is refused in Russian and the form comes back with what the person typed."""

from __future__ import annotations

import html
import re
import threading
import time
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from otklik.org.models import Absence, OfficialAccount, Person
from tests.conftest import PASSWORD, Personas, msk

pytestmark = pytest.mark.django_db
STALE = "Карточку уже изменил другой сотрудник"


def login(person: Person) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(person)
    return client


class _FormReader(HTMLParser):
    """What a browser submits from the page's form with method=post: inputs, checked boxes, selected options,
    textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._form = False
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self._form = True
        if not self._form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button"}:
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.data[name] = a.get("value") or "on"
            else:
                self.data[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = False
        elif tag == "select" and self._select:
            self.data.setdefault(self._select, self._first_option or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data


def opened(client: Client, url: str) -> dict[str, str]:
    """The form as the page shows it, ready to be changed and sent."""
    response = client.get(url)
    assert response.status_code == 200
    reader = _FormReader()
    reader.feed(response.content.decode())
    reader.data.pop("csrfmiddlewaretoken", None)
    return reader.data


def errors(response: Any) -> list[str]:
    page = response.content.decode()
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", e)).strip() for e in found]


def shows_value(response: Any, name: str, value: str) -> bool:
    page = response.content.decode()
    return re.search(rf'name="{name}"[^>]*value="{re.escape(html.escape(value))}"', page) is not None


# ---------------------------------------------------------------------------------- a person's card


def test_r6_a_card_changed_by_a_colleague_is_not_overwritten_by_a_second_save(personas: Personas) -> None:
    """R-6: the responsible official and the administrator open Alice's card at the same time. The administrator
    saves a new phone; the official then saves a new position from her page, which still shows the old phone.
    Her save used to put the old phone back without a word. Now it is refused, her typed position is in front of
    her, and the administrator's phone stays."""
    p = personas
    url = reverse("person_edit", args=[p.alice.pk])
    head, admin = login(p.health_head), login(p.admin)
    hers = opened(head, url)
    his = opened(admin, url)

    assert admin.post(url, {**his, "phone": "+7 812 539-00-01"}).status_code == 302
    response = head.post(url, {**hers, "position": "Главный специалист"})

    assert response.status_code == 200
    assert any(STALE in e and "откройте её заново" in e for e in errors(response)), errors(response)
    assert shows_value(response, "position", "Главный специалист")
    p.alice.refresh_from_db()
    assert (p.alice.phone, p.alice.position) == ("+7 812 539-00-01", "")

    # opened again, the card shows the new phone, and her change goes through
    again = opened(head, url)
    assert again["phone"] == "+7 812 539-00-01"
    assert head.post(url, {**again, "position": "Главный специалист"}).status_code == 302
    p.alice.refresh_from_db()
    assert (p.alice.phone, p.alice.position) == ("+7 812 539-00-01", "Главный специалист")


def test_r6_a_card_whose_person_signed_in_meanwhile_is_saved(personas: Personas) -> None:
    """R-6: signing in changes the person's record (the last sign-in), not the card: the official's save of a
    card opened before Alice signed in is not refused."""
    p = personas
    url = reverse("person_edit", args=[p.alice.pk])
    head = login(p.health_head)
    form = opened(head, url)
    assert Client().post("/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    p.alice.refresh_from_db()
    assert p.alice.last_login is not None

    response = head.post(url, {**form, "position": "Ведущий специалист"})

    assert response.status_code == 302, errors(response)
    p.alice.refresh_from_db()
    assert p.alice.position == "Ведущий специалист"


# ------------------------------------------------------------------------------------- an absence


def test_r6_an_absence_changed_by_a_colleague_is_not_overwritten(personas: Personas) -> None:
    """R-6: Alice and her responsible official open her vacation. The official names Bob as the substitute; Alice
    then moves the end of the vacation from her page, which still shows no substitute. Her save used to drop
    Bob without a word; now it is refused, with her new end date kept in the form."""
    p = personas
    absence = Absence.objects.create(
        person=p.alice,
        reason=Absence.Reason.VACATION,
        starts_at=msk(2030, 1, 9, 9, 0),
        ends_at=msk(2030, 1, 15, 18, 0),
    )
    url = reverse("absence_edit", args=[absence.pk])
    alice, head = login(p.alice), login(p.health_head)
    hers = opened(alice, url)
    his = opened(head, url)

    assert head.post(url, {**his, "substitute": str(p.bob.pk)}).status_code == 302
    response = alice.post(url, {**hers, "ends_at": "2030-01-17T18:00"})

    assert response.status_code == 200
    assert any(STALE in e for e in errors(response)), errors(response)
    assert shows_value(response, "ends_at", "2030-01-17T18:00")
    absence.refresh_from_db()
    assert (absence.substitute, absence.ends_at) == (p.bob, msk(2030, 1, 15, 18, 0))

    again = opened(alice, url)
    assert again["substitute"] == str(p.bob.pk)
    assert alice.post(url, {**again, "ends_at": "2030-01-17T18:00"}).status_code == 302
    absence.refresh_from_db()
    assert (absence.substitute, absence.ends_at) == (p.bob, msk(2030, 1, 17, 18, 0))


def test_r6_an_absence_saved_twice_from_the_same_page_is_refused_the_second_time(personas: Personas) -> None:
    """R-6: the same page sent twice (a second tab) after the first save changed the absence: the second is
    refused rather than silently undoing the first."""
    p = personas
    absence = Absence.objects.create(
        person=p.alice,
        reason=Absence.Reason.VACATION,
        starts_at=msk(2030, 1, 9, 9, 0),
        ends_at=msk(2030, 1, 15, 18, 0),
    )
    url = reverse("absence_edit", args=[absence.pk])
    alice = login(p.alice)
    page = opened(alice, url)
    assert alice.post(url, {**page, "comment": "в санаторий"}).status_code == 302
    response = alice.post(url, {**page, "comment": "на дачу"})
    assert response.status_code == 200 and any(STALE in e for e in errors(response))
    absence.refresh_from_db()
    assert absence.comment == "в санаторий"


def test_r6_a_new_absence_is_recorded_as_before(personas: Personas) -> None:
    """R-6: the check is for changes of an existing card; recording a new absence is not affected."""
    p = personas
    alice = login(p.alice)
    form = opened(alice, reverse("absence_create"))
    form.update(reason=Absence.Reason.SICK_LEAVE, starts_at="2030-03-02T09:00", ends_at="2030-03-06T18:00")
    assert alice.post(reverse("absence_create"), form).status_code == 302
    assert Absence.objects.get().person == p.alice


# ---------------------------------------------------------------------------------- official account


def test_r5_an_official_account_changed_by_a_colleague_is_not_overwritten(personas: Personas) -> None:
    """R-5: the curator and the administrator edit the same official account; the administrator hides it from
    the public list, then the curator fixes the title from her page. Her save used to make the account public
    again; now it is refused and her title is kept in the form."""
    p = personas
    account = OfficialAccount.objects.create(
        body=p.roads, network="vk", title="Дороги Ленобласти", url="https://vk.com/roads_demo"
    )
    url = reverse("account_edit", args=[account.pk])
    curator, admin = login(p.curator), login(p.admin)
    hers = opened(curator, url)
    his = opened(admin, url)
    assert hers["is_public"] == "on"

    his.pop("is_public")
    assert admin.post(url, his).status_code == 302
    response = curator.post(url, {**hers, "title": "Комитет по дорожному хозяйству"})

    assert response.status_code == 200
    assert any(STALE in e for e in errors(response)), errors(response)
    assert shows_value(response, "title", "Комитет по дорожному хозяйству")
    account.refresh_from_db()
    assert (account.title, account.is_public) == ("Дороги Ленобласти", False)

    again = opened(curator, url)
    assert "is_public" not in again
    assert curator.post(url, {**again, "title": "Комитет по дорожному хозяйству"}).status_code == 302
    account.refresh_from_db()
    assert (account.title, account.is_public) == ("Комитет по дорожному хозяйству", False)


def test_r5_a_new_official_account_is_added_as_before(personas: Personas) -> None:
    p = personas
    curator = login(p.curator)
    form = opened(curator, reverse("account_create"))
    form.update(body=str(p.roads.pk), network="vk", title="Дороги", url="https://vk.com/roads")
    assert curator.post(reverse("account_create"), form).status_code == 302
    assert OfficialAccount.objects.get().title == "Дороги"


@pytest.fixture
def staff_admin(personas: Personas) -> Client:
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    return login(personas.admin)


def vacation(person: Person) -> Absence:
    return Absence.objects.create(
        person=person,
        reason=Absence.Reason.VACATION,
        starts_at=msk(2030, 1, 9, 9, 0),
        ends_at=msk(2030, 1, 15, 18, 0),
    )


def test_r6_the_django_admin_shows_an_absence_in_moscow_time_and_saves_it(
    personas: Personas, staff_admin: Client
) -> None:
    """R-6: the Django admin edits absences with the site's form. Its page showed the period in UTC (a vacation
    from 09:00 showed 06:00) and every save was refused with «Введите список значений» under both dates, so an
    absence could not be changed there at all. Now the page shows Moscow time and a change is saved."""
    absence = vacation(personas.alice)
    url = reverse("admin:org_absence_change", args=[absence.pk])
    form = opened(staff_admin, url)
    assert (form["starts_at"], form["ends_at"]) == ("2030-01-09T09:00", "2030-01-15T18:00")

    response = staff_admin.post(url, {**form, "comment": "на дачу"})

    assert response.status_code == 302, errors(response)
    absence.refresh_from_db()
    assert (absence.comment, absence.starts_at, absence.ends_at) == (
        "на дачу",
        msk(2030, 1, 9, 9, 0),
        msk(2030, 1, 15, 18, 0),
    )


def test_r6_an_absence_changed_meanwhile_is_not_overwritten_from_the_django_admin(
    personas: Personas, staff_admin: Client
) -> None:
    """R-6: a save in the Django admin from a page opened before a colleague's change is refused the same way."""
    absence = vacation(personas.alice)
    url = reverse("admin:org_absence_change", args=[absence.pk])
    form = opened(staff_admin, url)
    head = login(personas.health_head)
    site = reverse("absence_edit", args=[absence.pk])
    assert head.post(site, {**opened(head, site), "comment": "в санаторий"}).status_code == 302

    response = staff_admin.post(url, {**form, "comment": "на дачу"})

    assert response.status_code == 200
    assert STALE in response.content.decode()
    absence.refresh_from_db()
    assert absence.comment == "в санаторий"


@pytest.mark.django_db(transaction=True)
def test_r6_a_save_while_a_colleagues_save_is_being_written_waits_for_it_and_is_refused(
    personas: Personas,
) -> None:
    """R-6 under real concurrency (PostgreSQL row locks): the administrator's save of Alice's card is being
    written when the official's save from an older page arrives. Without a lock her save read the card before
    his was committed, passed the check and then wrote the old phone back over his; now it waits for his save
    and is refused."""
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need a server database; SQLite writes one transaction at a time")
    p = personas
    url = reverse("person_edit", args=[p.alice.pk])
    head = login(p.health_head)
    hers = opened(head, url)
    writing, written = threading.Event(), threading.Event()

    def colleague() -> None:
        try:
            with transaction.atomic():
                Person.objects.select_for_update().filter(pk=p.alice.pk).update(phone="+7 812 539-00-01")
                writing.set()
                time.sleep(1.5)
            written.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=colleague)
    thread.start()
    assert writing.wait(30)
    response = head.post(url, {**hers, "position": "Главный специалист"})
    thread.join()

    assert written.is_set()
    assert response.status_code == 200 and any(STALE in e for e in errors(response)), errors(response)
    p.alice.refresh_from_db()
    assert (p.alice.phone, p.alice.position) == ("+7 812 539-00-01", "")
