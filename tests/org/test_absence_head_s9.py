"""R-6 (clause 6 of the regulation: while an employee is away their work goes to the substitute): the absence
form as a body's responsible official (head) sees it when she records her own absence or a colleague's.

Found on a UI walk: the executor no longer saw himself among his own substitutes, but the head, whose form lets her
choose whose absence she records, was still offered herself as her own substitute. The form now leaves out of the
«Замещающий» choices whoever is chosen as the absent person — when the page opens, when it comes back with errors
and, in the browser, when she chooses another person — and the server refuses a self-substitute whatever is sent."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from otklik.org.models import Absence, Person
from tests.conftest import Personas, msk
from tests.e2e.test_login_directory import login as browser_login
from tests.org.test_stale_forms_s7 import errors, login, opened

NEW = "/directory/absences/new/"
SELF_SUBSTITUTE = "Сотрудник не может замещать сам себя."


def offered(page: str) -> list[str]:
    """The names a user can choose in the «Замещающий» select: its options, without the empty one and without an
    option the page shows as not to be chosen (disabled or hidden)."""
    match = re.search(r'<select name="substitute".*?</select>', page, re.S)
    assert match is not None, "no «Замещающий» select"
    names = []
    for _value, attrs, label in re.findall(
        r'<option value="(\d+)"([^>]*)>(.*?)</option>', match.group(0), re.S
    ):
        if re.search(r"\b(disabled|hidden)\b", attrs):
            continue
        names.append(html.unescape(label).strip())
    return names


def names(*people: Person) -> list[str]:
    return [f"{person} ({person.body})" for person in people]


def vacation(form: dict[str, str], person: Person, days_from: int = 0) -> dict[str, str]:
    """The form filled in for a vacation of `person` in December 2030 (dates as the browser sends them)."""
    starts = msk(2030, 12, 9 + days_from, 9, 0)
    return {
        **form,
        "person": str(person.pk),
        "reason": Absence.Reason.VACATION,
        "starts_at": f"{starts:%Y-%m-%dT%H:%M}",
        "ends_at": f"{starts + timedelta(days=4, hours=9):%Y-%m-%dT%H:%M}",
    }


# ------------------------------------------------------------------------------------------ the page (server)


@pytest.mark.django_db
def test_r6_the_head_is_not_offered_as_her_own_substitute(personas: Personas) -> None:
    """R-6: the head of health opens «Новое отсутствие» (her own name is chosen as the absent person). The
    «Замещающий» list offers her body's executors and not herself."""
    p = personas
    page = login(p.health_head).get(NEW).content.decode()
    assert offered(page) == names(p.alice, p.bob, p.charlie), offered(page)


@pytest.mark.django_db
def test_r6_the_choices_follow_the_person_when_the_form_comes_back_with_errors(personas: Personas) -> None:
    """R-6: the head records Alice's absence with the end before the start; the form comes back with the error.
    Alice (the absent person now) is not offered, the head is; then the same for her own absence."""
    p = personas
    client = login(p.health_head)
    form = opened(client, NEW)

    alice_s = vacation(form, p.alice)
    alice_s["ends_at"] = "2030-12-01T09:00"
    response = client.post(NEW, alice_s)
    assert response.status_code == 200
    assert "Окончание должно быть позже начала." in errors(response), errors(response)
    assert offered(response.content.decode()) == names(p.bob, p.charlie, p.health_head)

    hers = vacation(form, p.health_head)
    hers["ends_at"] = "2030-12-01T09:00"
    response = client.post(NEW, hers)
    assert response.status_code == 200
    assert offered(response.content.decode()) == names(p.alice, p.bob, p.charlie)
    assert not Absence.objects.exists()


@pytest.mark.django_db
def test_r6_a_self_substitute_sent_anyway_is_refused_in_russian(personas: Personas) -> None:
    """R-6: whatever the browser sends, the head cannot save herself as her own substitute: the form comes back
    with «Сотрудник не может замещать сам себя.», nothing is saved, and the form does not keep her as the chosen
    substitute. Named as Alice's substitute, she is accepted."""
    p = personas
    client = login(p.health_head)
    form = vacation(opened(client, NEW), p.health_head)
    response = client.post(NEW, {**form, "substitute": str(p.health_head.pk)})

    assert response.status_code == 200
    assert SELF_SUBSTITUTE in errors(response), errors(response)
    assert not Absence.objects.exists()
    again = opened_from(response)
    assert again.get("substitute", "") == "", again

    response = client.post(NEW, {**vacation(form, p.alice), "substitute": str(p.health_head.pk)})
    assert response.status_code == 302, errors(response)
    assert Absence.objects.get().substitute == p.health_head


@pytest.mark.django_db
def test_r6_editing_an_absence_leaves_out_its_person(personas: Personas) -> None:
    """R-6: the head opens her own recorded absence, then Alice's: each time the absent person is not offered,
    the others are (the head for Alice's)."""
    p = personas
    client = login(p.health_head)
    for person, others in (
        (p.health_head, (p.alice, p.bob, p.charlie)),
        (p.alice, (p.bob, p.charlie, p.health_head)),
    ):
        absence = Absence.objects.create(
            person=person,
            reason=Absence.Reason.VACATION,
            starts_at=msk(2030, 12, 9, 9, 0),
            ends_at=msk(2030, 12, 13, 18, 0),
        )
        page = client.get(reverse("absence_edit", args=[absence.pk])).content.decode()
        assert offered(page) == names(*others), (person, offered(page))


def opened_from(response: Any) -> dict[str, str]:
    """What the browser would send from the page the response shows (as `opened` reads it)."""
    from tests.org.test_stale_forms_s7 import _FormReader

    reader = _FormReader()
    reader.feed(response.content.decode())
    return reader.data


# ------------------------------------------------------------------------------------------ in the browser


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_r6_in_the_browser_the_choices_follow_the_chosen_person(
    page: Page, live_server: Any, personas: Personas
) -> None:
    """R-6: in a browser the head opens «Новое отсутствие»: she cannot choose herself as substitute. She chooses
    Alice as the absent person: Alice can no longer be chosen, the head can; she names herself and saves; the
    list shows Alice's vacation with the head as substitute."""
    p = personas
    browser_login(page, live_server.url, "health_head")
    page.goto(live_server.url + NEW)
    substitute = page.locator("select[name=substitute]")
    head_option = substitute.locator(f"option[value='{p.health_head.pk}']")
    alice_option = substitute.locator(f"option[value='{p.alice.pk}']")
    expect(head_option).to_be_disabled()
    expect(alice_option).to_be_enabled()

    page.locator("select[name=person]").select_option(str(p.alice.pk))
    expect(alice_option).to_be_disabled()
    expect(head_option).to_be_enabled()
    substitute.select_option(str(p.health_head.pk))

    # and back: her own absence again, the choice of herself is cleared
    page.locator("select[name=person]").select_option(str(p.health_head.pk))
    expect(head_option).to_be_disabled()
    expect(substitute).to_have_value("")

    page.locator("select[name=person]").select_option(str(p.alice.pk))
    substitute.select_option(str(p.health_head.pk))
    page.locator("select[name=reason]").select_option(Absence.Reason.VACATION)
    page.locator("input[name=starts_at]").fill("2030-12-09T09:00")
    page.locator("input[name=ends_at]").fill("2030-12-13T18:00")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("Отсутствие сохранено.")).to_be_visible()
    absence = Absence.objects.get()
    assert (absence.person, absence.substitute) == (p.alice, p.health_head)
