"""Found by walking the case life in the running demo as the people do (R-8.4 … R-8.10, R-6, R-9): a repeat's
measures are asked when the draft is sent, not an approval later; a text the network will not take is not sent
on; a body whose turn has not come is told so; the executors hear when the curator closes their case; the
message after a body's part says where it went; and going back in the browser does not open a form for work
already done.

The pages are driven at the real time (the views take `timezone.now()`); the actions on a fixed clock where the
page is not what is tested."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.answers.formats import network_format
from otklik.cases import actions
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Assignment, Case, Draft, Notification
from otklik.org.models import Absence
from tests.cases.helpers import dispatch, message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

ANSWER = "Ирина, здравствуйте! Ремонт дороги на улице Ленина запланирован на июнь."
MEASURES = "Ямочный ремонт выполнен 20.04, капремонт в июне."
MON = msk(2025, 4, 28, 10, 0)  # Monday


def flashes(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


def page_messages(response: object) -> list[str]:
    """The messages (errors and notices) the page shows after a redirect, as the person reads them."""
    html = response.content.decode()  # type: ignore[attr-defined]
    listed = re.search(r'<ul class="messages"[^>]*>(.*?)</ul>', html, re.S)
    assert listed, "no messages on the page"
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li[^>]*>(.*?)</li>", listed[1], re.S)]


def repeat_case(p: Personas, *bodies: object, at: object = MON, **kwargs: object) -> Case:
    earlier = dispatch(p.curator, p.health, at=msk(2025, 4, 1, 10, 0))
    return dispatch(p.curator, *(bodies or (p.health,)), at=at, repeat_of=earlier, **kwargs)  # type: ignore[arg-type]


def long_text(n: int) -> str:
    """A readable answer of exactly `n` characters."""
    start = "Ирина, здравствуйте! "
    body = "Ремонт дороги на улице Ленина запланирован на июнь. "
    return (start + body * (n // len(body) + 1))[:n]


# ---------------------------------------------------------------------------------------------- 1.
@pytest.mark.parametrize("kind", ["answer", "interim"])
def test_r8_10_a_repeats_draft_without_measures_is_refused_when_sent_not_at_approval(
    personas: Personas, kind: str
) -> None:
    """R-8.10, R-8.4: the answer (or interim answer) to a repeat without «Принятые меры…» is refused when the
    executor sends it, with the clause named: no return round is spent on it. With the measures it goes."""
    p = personas
    case = repeat_case(p)
    with pytest.raises(ActionRefused, match=r"п\. 8\.10 Положения") as refused:
        actions.submit_draft(p.alice, case, kind, ANSWER, now=MON + timedelta(hours=1))
    assert refused.value.code == "measures"
    assert "Принятые меры" in refused.value.message
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING and not case.drafts.exists()
    with pytest.raises(ActionRefused, match=r"п\. 8\.10"):  # blanks are no measures
        actions.submit_draft(p.alice, case, kind, ANSWER, measures=" \r\n ", now=MON + timedelta(hours=1))
    actions.submit_draft(p.alice, case, kind, ANSWER, measures=MEASURES, now=MON + timedelta(hours=1))
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW


def test_r8_10_a_clarification_request_of_a_repeat_needs_no_measures(personas: Personas) -> None:
    """R-8.10, R-8.8: a clarification request asks the author, it reports no measures: it goes without them."""
    p = personas
    case = repeat_case(p)
    actions.submit_draft(
        p.alice, case, "clarification", "Ирина, уточните, пожалуйста, адрес.", now=MON + timedelta(hours=1)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW


def test_r8_10_a_repeats_part_without_measures_is_refused(personas: Personas) -> None:
    """R-8.10, R-8.9: a body's part of the answer to a repeat states its measures too (as approval asks)."""
    p = personas
    case = repeat_case(p, p.health, p.roads, multi_mode=Case.MultiMode.PARTS_ONE_BY_ONE)
    with pytest.raises(ActionRefused, match=r"п\. 8\.10 Положения"):
        actions.submit_draft(p.alice, case, "part", ANSWER, now=MON + timedelta(hours=1))
    assert case.assignments.get(body=p.health).state == Assignment.State.ACTIVE
    actions.submit_draft(p.alice, case, "part", ANSWER, measures=MEASURES, now=MON + timedelta(hours=1))
    assert case.assignments.get(body=p.health).state == Assignment.State.PART_SUBMITTED


def test_r8_10_a_revision_that_blanks_the_measures_is_refused(personas: Personas) -> None:
    """R-8.10, R-8.6: the revision of a repeat's answer whose measures field was cleared to blanks is refused
    (it used to be sent with empty measures, and the curator's approval refused it again)."""
    p = personas
    case = repeat_case(p)
    draft = actions.submit_draft(
        p.alice, case, "answer", ANSWER, measures=MEASURES, now=MON + timedelta(hours=1)
    )
    actions.return_draft(p.curator, draft, "Уточните срок", now=MON + timedelta(hours=2))
    with pytest.raises(ActionRefused, match=r"п\. 8\.10 Положения") as refused:
        actions.revise_draft(p.alice, draft, ANSWER, measures="   ", now=MON + timedelta(hours=2, minutes=30))
    assert refused.value.code == "measures"
    case.refresh_from_db()
    assert case.status == Case.Status.REVISION


def test_r8_10_the_editor_marks_measures_required_and_keeps_the_typed_text(
    client: Client, personas: Personas
) -> None:
    """R-8.10: for a repeat the editor's measures field is required; sent without it (a browser that skips the
    check), the refusal is shown and the typed text stays in the editor."""
    p = personas
    case = repeat_case(p, at=timezone.now())
    client.force_login(p.alice)
    url = reverse("cases:draft", args=[case.pk])
    form = client.get(url).content.decode()
    assert re.search(r'<textarea name="measures"[^>]*\brequired\b', form)
    response = client.post(url, {"kind": "answer", "text": ANSWER, "measures": "", "version": case.version})
    assert response.status_code == 400
    assert any("п. 8.10 Положения" in m for m in flashes(response))
    assert ANSWER in response.content.decode()
    assert not case.drafts.exists()


def test_r8_10_measures_are_not_required_in_the_editor_of_an_ordinary_case(
    client: Client, personas: Personas
) -> None:
    """R-8.10: a case that is not a repeat has no measures field at all."""
    p = personas
    case = dispatch(p.curator, p.health, at=timezone.now())
    client.force_login(p.alice)
    form = client.get(reverse("cases:draft", args=[case.pk])).content.decode()
    assert 'name="measures"' not in form


# ---------------------------------------------------------------------------------------------- 2. R-9
def test_r9_a_text_longer_than_vk_takes_is_refused_when_sent(personas: Personas) -> None:
    """R-9: VK takes a comment of up to its limit (`answers.formats`, the checker's); one character more is
    refused when sent, naming the limit and the length, instead of failing at publication."""
    p = personas
    limit = network_format("vk").max_chars
    case = dispatch(p.curator, p.health, at=MON)
    with pytest.raises(ActionRefused) as refused:
        actions.submit_draft(p.alice, case, "answer", long_text(limit + 1), now=MON + timedelta(hours=1))
    assert refused.value.code == "too_long"
    text = refused.value.message
    assert "ВКонтакте" in text and str(limit) in text and str(limit + 1) in text
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING and not case.drafts.exists()
    # exactly the limit goes (a CRLF from the browser counts as one character, as the network counts it)
    exact = long_text(limit - 1)[:-1] + "\r\n" + "."
    actions.submit_draft(p.alice, case, "answer", exact, now=MON + timedelta(hours=1))
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW


def test_r9_telegram_has_its_own_limit(personas: Personas) -> None:
    """R-9: an answer in Telegram is held to Telegram's limit, not VK's."""
    p = personas
    limit = network_format("telegram").max_chars
    case = actions.dispatch_case(p.curator, [message(network="telegram")], [actions.Route(p.health)], now=MON)
    with pytest.raises(ActionRefused, match="Telegram") as refused:
        actions.submit_draft(p.alice, case, "interim", long_text(limit + 100), now=MON + timedelta(hours=1))
    assert str(limit) in refused.value.message and str(limit + 100) in refused.value.message


def test_r9_a_forum_of_no_known_limit_takes_a_long_answer(personas: Personas) -> None:
    """R-9: a forum's limit is not known (the checker's 10,000 characters there are advice): a longer answer is
    sent to the curator; the checker still marks it."""
    p = personas
    case = actions.dispatch_case(p.curator, [message(network="forum")], [actions.Route(p.health)], now=MON)
    text = long_text(network_format("forum").max_chars + 500)
    draft = actions.submit_draft(p.alice, case, "answer", text, now=MON + timedelta(hours=1))
    assert draft.state == Draft.State.SUBMITTED


def test_r9_a_revision_longer_than_the_network_takes_is_refused(personas: Personas) -> None:
    """R-9, R-8.6: the revised text is held to the same limit."""
    p = personas
    limit = network_format("vk").max_chars
    case = dispatch(p.curator, p.health, at=MON)
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=MON + timedelta(hours=1))
    actions.return_draft(p.curator, draft, "Подробнее, пожалуйста", now=MON + timedelta(hours=2))
    with pytest.raises(ActionRefused, match=str(limit)) as refused:
        actions.revise_draft(p.alice, draft, long_text(limit + 5), now=MON + timedelta(hours=2, minutes=30))
    assert refused.value.code == "too_long"
    case.refresh_from_db()
    assert case.status == Case.Status.REVISION


def test_r9_a_too_long_part_published_on_its_own_is_refused(personas: Personas) -> None:
    """R-9, R-8.9: where each body's part is published as its own answer, the part is held to the limit."""
    p = personas
    limit = network_format("vk").max_chars
    case = dispatch(p.curator, p.health, p.roads, at=MON, multi_mode=Case.MultiMode.PARTS_ONE_BY_ONE)
    with pytest.raises(ActionRefused, match=str(limit)):
        actions.submit_draft(p.alice, case, "part", long_text(limit + 1), now=MON + timedelta(hours=1))
    assert case.assignments.get(body=p.health).state == Assignment.State.ACTIVE


def test_r9_approval_of_a_too_long_draft_is_refused(personas: Personas) -> None:
    """R-9, R-8.5: a draft sent before the limit was checked on sending (its text is set straight in the
    database here, as such a draft is stored) is not approved: the curator is told to return it."""
    p = personas
    limit = network_format("vk").max_chars
    case = dispatch(p.curator, p.health, at=MON)
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=MON + timedelta(hours=1))
    Draft.objects.filter(pk=draft.pk).update(text=long_text(limit + 1))
    with pytest.raises(ActionRefused, match=str(limit + 1)) as refused:
        actions.approve_draft(p.curator, draft, now=MON + timedelta(hours=1, minutes=30))
    assert "Верните проект на доработку" in refused.value.message
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW


# ---------------------------------------------------------------------------------------------- 3.
def test_r8_9_a_body_whose_turn_has_not_come_is_told_so(personas: Personas) -> None:
    """R-8.9: health first, roads second in the curator's order. Roads' executor sending information now is told
    the case comes to roads in its turn and who prepares information now — not that roads already sent it."""
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=MON)
    with pytest.raises(ActionRefused) as refused:
        actions.submit_draft(p.dave, case, "part", ANSWER, now=MON + timedelta(hours=1))
    text = refused.value.message
    assert "уже направил" not in text
    assert "в свою очередь" in text and f"«{p.health}»" in text
    assert refused.value.code == "turn"


def test_r8_9_the_editor_of_a_body_whose_turn_has_not_come_shows_a_note_not_the_form(
    client: Client, personas: Personas
) -> None:
    """R-8.9: the draft editor opened by roads' executor before roads' turn says so, with no form to fill."""
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=timezone.now())
    client.force_login(p.dave)
    page = client.get(reverse("cases:draft", args=[case.pk])).content.decode()
    assert 'data-testid="turn-note"' in page
    assert "в свою очередь" in page and f"«{p.health}»" in page
    assert (
        'name="text"' not in page and "Направить куратору" not in page and "Направить информацию" not in page
    )
    # health, whose turn it is, gets the form
    client.force_login(p.alice)
    assert 'name="text"' in client.get(reverse("cases:draft", args=[case.pk])).content.decode()


# ---------------------------------------------------------------------------------------------- 4. closing
def test_closing_a_case_tells_the_executor_at_work(personas: Personas) -> None:
    """The curator closes a case the executor is drafting: the executor is notified with the reason."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    actions.close_case(p.curator, case, "Автор удалил сообщение", now=MON + timedelta(hours=1))
    told = Notification.objects.filter(recipient=p.alice, case=case).order_by("id").last()
    assert told is not None
    assert f"Куратор закрыл обращение № {case.pk}: Автор удалил сообщение." in told.text
    assert "Работа по нему не нужна" in told.text
    # filed (and e-mailed) as the closing it is, not as «новая работа»
    assert told.kind == Notification.Kind.CLOSED and told.get_kind_display() == "обращение закрыто"


def test_r6_closing_tells_whoever_does_the_absent_executors_work(personas: Personas) -> None:
    """R-6: Алексеева is away from Monday noon, Борисов does her work: he is told the case is closed."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    Absence.objects.create(
        person=p.alice,
        reason="vacation",
        starts_at=msk(2025, 4, 28, 12, 0),
        ends_at=msk(2025, 5, 5, 18, 0),
        substitute=p.bob,
    )
    actions.close_case(p.curator, case, "Вопрос снят автором", now=msk(2025, 4, 28, 14, 0))
    told = Notification.objects.filter(recipient=p.bob, case=case).order_by("id").last()
    assert told is not None and "Куратор закрыл обращение" in told.text and "Вопрос снят автором" in told.text


def test_closing_a_case_of_several_bodies_tells_every_body_at_work(personas: Personas) -> None:
    """R-8.9: two bodies work at once (same place in the order): both executors are told."""
    p = personas
    routes = [actions.Route(p.health, 1), actions.Route(p.roads, 1)]
    case = actions.dispatch_case(p.curator, [message()], routes, now=MON)
    actions.close_case(p.curator, case, "Дубль обращения", now=MON + timedelta(hours=1))
    for person in (p.alice, p.dave):
        assert Notification.objects.filter(
            recipient=person, case=case, text__startswith=f"Куратор закрыл обращение № {case.pk}"
        ).exists()
    assert not Notification.objects.filter(recipient=p.curator, text__startswith="Куратор закрыл").exists()


def test_an_action_on_a_closed_case_says_it_was_closed_and_why(personas: Personas) -> None:
    """The executor sends the draft of a case the curator closed meanwhile: the refusal says the case is closed
    and why, instead of «Обращение уже изменил другой сотрудник»."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    seen = case.version
    actions.close_case(p.curator, case, "Автор удалил сообщение", now=MON + timedelta(hours=1))
    for version in (seen, None):
        with pytest.raises(ActionRefused) as refused:
            actions.submit_draft(
                p.alice, case, "answer", ANSWER, now=MON + timedelta(hours=2), expected_version=version
            )
        assert "другой сотрудник" not in refused.value.message
        assert "закрыл" in refused.value.message and "Автор удалил сообщение" in refused.value.message
        assert refused.value.code == "closed"


def test_the_editor_posted_after_closing_shows_why_and_keeps_the_text(
    client: Client, personas: Personas
) -> None:
    """The same through the page: the reason is shown and the typed text stays on screen."""
    p = personas
    case = dispatch(p.curator, p.health, at=timezone.now())
    client.force_login(p.alice)
    url = reverse("cases:draft", args=[case.pk])
    version = case.version
    client.get(url)
    actions.close_case(p.curator, case, "Автор удалил сообщение")
    response = client.post(url, {"kind": "answer", "text": ANSWER, "version": version})
    assert response.status_code == 400
    assert any("закрыл" in m and "Автор удалил сообщение" in m for m in flashes(response))


# ---------------------------------------------------------------------------------------------- 5.
def test_r8_9_the_message_after_a_part_says_who_gets_it_when_the_last_body_composes(
    client: Client, personas: Personas
) -> None:
    """R-8.9 (common answer by the last body): health's part goes to nobody's review: it waits for the common
    answer the last body to send its information writes. The message says that, not «Проект направлен куратору»;
    roads, sending last, is told to prepare the common answer."""
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=timezone.now(), multi_mode=Case.MultiMode.COMMON_BY_LAST)
    client.force_login(p.alice)
    response = client.post(
        reverse("cases:draft", args=[case.pk]),
        {"kind": "part", "text": ANSWER, "version": case.version},
        follow=True,
    )
    shown = page_messages(response)
    assert not any("Проект направлен куратору" in m for m in shown)
    assert any("Информация органа направлена" in m and "общий ответ" in m for m in shown), shown
    case.refresh_from_db()
    client.force_login(p.dave)
    response = client.post(
        reverse("cases:draft", args=[case.pk]),
        {"kind": "part", "text": ANSWER, "version": case.version},
        follow=True,
    )
    shown = page_messages(response)
    assert any("подготовьте общий ответ" in m for m in shown), shown


@pytest.mark.parametrize(
    "mode", [Case.MultiMode.COMMON_BY_CURATOR, Case.MultiMode.PARTS_ONE_BY_ONE], ids=["curator", "one_by_one"]
)
def test_r8_9_the_message_after_a_part_names_the_curator_when_the_curator_gets_it(
    client: Client, personas: Personas, mode: str
) -> None:
    """R-8.9: where the curator composes, or approves each part for its own publication, the information goes
    to the curator, and the message says so and what comes next."""
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=timezone.now(), multi_mode=mode)
    client.force_login(p.alice)
    response = client.post(
        reverse("cases:draft", args=[case.pk]),
        {"kind": "part", "text": ANSWER, "version": case.version},
        follow=True,
    )
    shown = page_messages(response)
    assert any(m.startswith("Информация органа направлена куратору") for m in shown), shown
    expected = "общий ответ" if mode == Case.MultiMode.COMMON_BY_CURATOR else "отдельным ответом"
    assert any(expected in m for m in shown), shown


def test_an_answer_still_says_it_went_to_the_curator(client: Client, personas: Personas) -> None:
    """R-8.4: a draft answer goes to the curator's approval: «Проект направлен куратору»."""
    p = personas
    case = dispatch(p.curator, p.health, at=timezone.now())
    client.force_login(p.alice)
    response = client.post(
        reverse("cases:draft", args=[case.pk]),
        {"kind": "answer", "text": ANSWER, "version": case.version},
        follow=True,
    )
    assert "Проект направлен куратору." in page_messages(response)


# ---------------------------------------------------------------------------------------------- 6. going back
def test_the_editor_of_a_draft_already_sent_leads_back_to_the_case(
    client: Client, personas: Personas
) -> None:
    """R-8.4: after sending, «Назад» in the browser opens the editor again: it leads to the case page and says
    the draft is with the curator, instead of a form whose sending would be refused."""
    p = personas
    case = dispatch(p.curator, p.health, at=timezone.now())
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER)
    client.force_login(p.alice)
    for url in (reverse("cases:draft", args=[case.pk]), reverse("cases:revise", args=[case.pk, draft.pk])):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
        assert "Проект уже направлен куратору." in page_messages(response)


def test_the_publication_form_of_a_published_answer_leads_back_to_the_case(
    client: Client, personas: Personas
) -> None:
    """R-8.7: the publication form opened again after the publication was confirmed leads to the case page."""
    p = personas
    case = dispatch(p.curator, p.health, at=timezone.now())
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER)
    actions.approve_draft(p.curator, draft)
    client.force_login(p.alice)
    url = reverse("cases:publish", args=[case.pk, draft.pk])
    assert client.get(url).status_code == 200  # before: the form
    actions.confirm_publication(p.alice, draft, url="https://vk.com/wall-1_1?reply=99")
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    assert "Публикация уже подтверждена." in page_messages(response)


def test_back_to_the_return_link_of_a_revised_draft_says_it_was_revised(
    personas: Personas, client: Client
) -> None:
    """R-8.6, R-8.8: an interim answer returned, revised, approved and published; the case is in drafting again (the
    final answer). The old return link leads to the case page saying the draft was revised — not «Проект сейчас
    не готовится. Сейчас: «подготовка проекта»», which contradicted itself."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    d1 = actions.submit_draft(p.alice, case, "interim", ANSWER, now=MON + timedelta(hours=1))
    actions.return_draft(p.curator, d1, "Уточните срок", now=MON + timedelta(hours=1, minutes=10))
    d2 = actions.revise_draft(p.alice, d1, ANSWER + " Срок — июнь.", now=MON + timedelta(hours=1, minutes=20))
    actions.approve_draft(p.curator, d2, "", now=MON + timedelta(hours=1, minutes=30))
    actions.confirm_publication(
        p.alice, d2, url="https://vk.com/wall-1_1?reply=2", now=MON + timedelta(hours=1, minutes=40)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    client.force_login(p.alice)
    said = page_messages(client.get(reverse("cases:revise", args=[case.pk, d1.pk]), follow=True))
    assert said == ["Этот проект уже доработан (версия 2). Сейчас обращение: «подготовка проекта»."], said


def test_the_return_link_of_a_closed_case_opens_no_form(personas: Personas, client: Client) -> None:
    """A draft returned, then the case closed by the curator: the revision link leads to the case page with why it
    was closed, not to a form whose text would be refused on sending."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    d1 = actions.submit_draft(p.alice, case, "answer", ANSWER, now=MON + timedelta(hours=1))
    actions.return_draft(p.curator, d1, "Уточните срок", now=MON + timedelta(hours=1, minutes=10))
    actions.close_case(p.curator, case, "Автор удалил сообщение", now=MON + timedelta(hours=1, minutes=15))
    client.force_login(p.alice)
    response = client.get(reverse("cases:revise", args=[case.pk, d1.pk]))
    assert response.status_code == 302
    said = page_messages(client.get(response["Location"]))
    assert said == [f"Куратор закрыл обращение № {case.pk}: Автор удалил сообщение. Работа по нему не нужна."]


def test_sending_again_from_an_old_form_says_the_draft_went_on_and_keeps_the_text(
    personas: Personas, client: Client
) -> None:
    """R-8.4: the executor sends a draft, goes «Назад» to the editor page the browser kept (a refusal before the
    send) and sends again: the page says the draft is already with the curator — not «изменил другой сотрудник» —
    and keeps the text typed."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    old_version = case.version
    actions.submit_draft(p.alice, case, "answer", ANSWER, now=MON + timedelta(hours=1))
    client.force_login(p.alice)
    again = ANSWER + " Добавлю: подрядчик определён."
    response = client.post(
        reverse("cases:draft", args=[case.pk]), {"kind": "answer", "text": again, "version": old_version}
    )
    assert response.status_code == 400
    assert page_messages(response) == [
        "Проект уже направлен куратору. Текст ниже не отправлен: он сохранён на этой странице."
    ], page_messages(response)
    assert again in response.content.decode()
    assert case.drafts.count() == 1


def test_r8_9_the_composer_of_the_common_answer_has_the_bodies_information_in_the_editor(
    client: Client, personas: Personas
) -> None:
    """R-8.9: health sends its information, roads sends last and composes the common answer: its editor shows both
    bodies' information beside the form (it was only on the case page)."""
    p = personas
    case = dispatch(p.curator, p.health, p.roads, at=timezone.now(), multi_mode=Case.MultiMode.COMMON_BY_LAST)
    health_says = "Поликлиника примет с понедельника, запись открыта."
    roads_says = "Дорогу к поликлинике отремонтируют до 1 июня."
    actions.submit_draft(p.alice, case, "part", health_says)
    actions.submit_draft(p.dave, case, "part", roads_says)
    client.force_login(p.dave)
    page = client.get(reverse("cases:draft", args=[case.pk])).content.decode()
    parts = re.findall(r'<article data-testid="part">(.*?)</article>', page, re.S)
    assert len(parts) == 2, page
    assert health_says in parts[0] and "Здравоохранение" in parts[0]
    assert roads_says in parts[1] and "Дороги" in parts[1]
    assert 'name="text"' in page  # the form to write the common answer
