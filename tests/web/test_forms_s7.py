"""Small form-handling bugs found by the audit, each as a person would meet it: a refused «не наша компетенция»
that lost the reason typed, the draft editor and publish form shown to people who cannot use them, a double
click on «удалить» in the competence directory that showed a 404 page, `otklik ingest --max-pages 0` that read a
page all the same."""

from __future__ import annotations

import html
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Assignment, Case
from otklik.org.models import Competence, Person, Topic, TopicGroup
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db
ANSWER = "Здравствуйте, Ирина! Ремонт запланирован на июнь."
REASON = "Дороги к поликлинике — это комитет по дорожному хозяйству, не наш вопрос"


def login(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(Person.objects.get(username=username))
    return client


def shown(response: object) -> list[str]:
    """The messages («Обращение уже изменил…») on a page, as the person reads them."""
    page = response.content.decode()  # type: ignore[attr-defined]
    listed = re.search(r'<ul class="messages"[^>]*>(.*?)</ul>', page, re.S)
    items = re.findall(r"<li[^>]*>(.*?)</li>", listed.group(1), re.S) if listed else []
    return [html.unescape(re.sub(r"<[^>]+>", "", m)) for m in items]


def reject_form(response: object, assignment: Assignment) -> str:
    """The «Не наша компетенция» form of `assignment` on the case page."""
    page = response.content.decode()  # type: ignore[attr-defined]
    action = reverse("cases:reject", args=[assignment.case_id, assignment.pk])
    found = re.search(
        rf'<details[^>]*>\s*<summary>Не наша компетенция</summary>\s*<form[^>]*action="{action}".*?</form>',
        page,
        re.S,
    )
    assert found, "the refusal form is not on the page"
    return found.group(0)


# ------------------------------------------------------------------------------ the reason typed is kept


def test_r8_2_a_stale_refusal_keeps_the_reason_the_executor_typed(personas: Personas) -> None:
    """R-8.2: the executor opened the case page, the case changed meanwhile, and «Сообщить куратору» is refused
    as stale. The reason she typed was lost (a redirect to the page with an empty field); like a refused review
    comment, it is now in front of her again, with the Russian reason of the refusal and the case's current
    version, so sending it once more goes through."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    a = case.assignments.get()
    stale = case.version - 1
    alice = login("alice")
    url = reverse("cases:reject", args=[case.pk, a.pk])

    response = alice.post(url, {"reason": REASON, "version": stale})

    assert response.status_code == 400
    assert any("уже изменил другой сотрудник" in m for m in shown(response))
    form = reject_form(response, a)
    assert f'value="{html.escape(REASON)}"' in form, form
    assert "<details open" in form  # not folded away: she sees what she typed
    a.refresh_from_db()
    assert a.state == Assignment.State.ACTIVE and a.reject_reason == ""

    # sent again from that page, with the version it carries, the refusal goes through
    version = re.search(r'name="version" value="(\d+)"', form)
    assert version is not None
    assert alice.post(url, {"reason": REASON, "version": version.group(1)}).status_code == 302
    a.refresh_from_db()
    assert a.state == Assignment.State.REJECTED and a.reject_reason == REASON


def test_r8_2_an_empty_reason_is_refused_on_the_case_page_with_the_form_open(personas: Personas) -> None:
    """R-8.2: a reason of spaces is refused in Russian on the page itself, the form still open to fill in."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    a = case.assignments.get()
    response = login("alice").post(
        reverse("cases:reject", args=[case.pk, a.pk]), {"reason": "   ", "version": case.version}
    )
    assert response.status_code == 400
    assert "Укажите, почему вопрос не относится к компетенции органа." in shown(response)
    assert "<details open" in reject_form(response, a)
    a.refresh_from_db()
    assert a.state == Assignment.State.ACTIVE


# --------------------------------------------- the forms are not shown to people who cannot use them


def test_r4_3_observer_and_administrator_do_not_get_the_draft_editor_or_the_publish_form(
    personas: Personas,
) -> None:
    """R-4.3: an observer and an administrator without a workflow role read the case, but the draft editor
    and the publish form were shown to them (200) and refused only when sent. They now get «Страница не
    найдена», as for the curator's inbox; the executor still gets both forms."""
    p = personas
    drafting = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    publishing = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 5))
    draft = actions.submit_draft(p.alice, publishing, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
    actions.approve_draft(p.curator, draft, "", now=msk(2025, 4, 28, 10, 10))
    publishing.refresh_from_db()
    assert publishing.status == Case.Status.PUBLISHING
    editor = reverse("cases:draft", args=[drafting.pk])
    publish = reverse("cases:publish", args=[publishing.pk, draft.pk])
    for who in ("observer", "admin"):
        client = login(who)
        assert client.get(reverse("cases:detail", args=[drafting.pk])).status_code == 200, who  # reads
        for url in (editor, publish):
            response = client.get(url)
            assert response.status_code == 404, (who, url)
            assert "Страница не найдена" in response.content.decode()
    alice = login("alice")
    assert alice.get(editor).status_code == 200
    assert alice.get(publish).status_code == 200


# -------------------------------------------------- R-8.1 (routing directory): a double click on «удалить»


def test_r8_1_a_second_click_on_delete_competence_says_it_is_already_deleted(personas: Personas) -> None:
    """R-8.1: the second request of a double click on «удалить» in the competence directory showed «Страница
    не найдена». It now returns to the list and says the competence is already deleted."""
    group = TopicGroup.objects.create(name="Здравоохранение")
    topic = Topic.objects.create(group=group, name="Запись к врачу")
    rule = Competence.objects.create(topic=topic, body=personas.health)
    curator = login("curator")
    url = reverse("competence_delete", args=[rule.pk])

    first = curator.post(url)
    assert first.status_code == 302 and first["Location"] == reverse("competence_list")
    second = curator.post(url, follow=True)

    assert second.redirect_chain == [(reverse("competence_list"), 302)]
    assert second.status_code == 200
    assert "Компетенция уже удалена." in shown(second)
    assert not Competence.objects.filter(pk=rule.pk).exists()


# -------------------------------------------------------------------- `otklik ingest --max-pages`


@pytest.mark.parametrize("value", ["0", "-1", "две"])
def test_r4_ingest_max_pages_that_is_not_a_positive_number_is_refused_in_russian(value: str) -> None:
    """R-4: `otklik ingest --max-pages 0` (or -1) quietly read one page of every source; a word was refused in
    English («invalid int value»). Each is now refused before anything is read, in Russian."""
    with pytest.raises(CommandError) as info:
        call_command("ingest", "--max-pages", value, stdout=io.StringIO(), stderr=io.StringIO())
    text = str(info.value)
    assert "--max-pages" in text and "больше нуля" in text and value in text
    assert "invalid" not in text


def test_r4_ingest_max_pages_of_a_positive_number_is_taken() -> None:
    assert call_command("ingest", "--max-pages", "3", stdout=io.StringIO()) is None
