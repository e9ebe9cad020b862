"""Bugs an exploratory tester found in the case workflow, each reproduced through the pages a curator or an
executor uses: the shortened deadline (R-8.3), the repeat number (R-8.10), reassignment after a refusal
(R-8.2), the network of the published link (R-8.7), the answer checker's trigger (R-11) and the state of a
window that was not needed (R-8.2)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.cases import actions, sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Assignment, Case, Draft, Publication
from otklik.cases.policy import Policy
from otklik.intake.models import Message
from otklik.org.models import Absence, Body, Person
from tests.cases.helpers import classified, deadline, dispatch, message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db
ANSWER = "Здравствуйте, Ирина! Ремонт запланирован на июнь."


def login(client: Client, username: str) -> Client:
    client.force_login(Person.objects.get(username=username))
    return client


def page_text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------- items 1, 5
def post_dispatch(client: Client, p: Personas, msg: Message, **fields: str) -> object:
    data = {
        **classified(),
        "body_1": str(p.health.pk),
        "order_1": "1",
        "importance": "normal",
        "multi_mode": "common_by_last",
    }
    data.update(fields)
    return client.post(reverse("cases:dispatch", args=[msg.pk]), data)


@pytest.mark.parametrize("hours", ["1e308", "inf", "-inf", "1e9", "nan"])
def test_r8_3_absurd_shortened_deadline_is_a_form_message_not_a_500(
    client: Client, personas: Personas, hours: str
) -> None:
    """R-8.3: «1e308» or «inf» crashed with OverflowError (HTTP 500), «1e9» was called "not a number"; now each
    gets a clear message on the form and nothing is dispatched."""
    msg = message()
    login(client, "curator")
    response = post_dispatch(client, personas, msg, shortened_hours=hours)
    assert response.status_code == 400  # type: ignore[attr-defined]
    text = page_text(response)
    assert re.search(r"Сокращённый срок (должен быть|укажите)", text)
    if hours in ("1e308", "inf", "1e9"):
        assert "меньше обычного (п. 8.3): 9 часов рабочего времени для обычной важности" in text
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("importance", "hours", "limit_text"),
    [
        ("normal", "1000", "9 часов рабочего времени для обычной важности"),
        ("normal", "9", "9 часов рабочего времени для обычной важности"),
        ("high", "5", "4 часа рабочего времени для высокой важности"),
        ("high", "4", "4 часа рабочего времени для высокой важности"),
        ("normal", "8,995", "9 часов рабочего времени для обычной важности"),  # rounds to the limit itself
    ],
)
def test_r8_3_shortened_deadline_must_be_shorter_than_the_normal_limit(
    client: Client, personas: Personas, importance: str, hours: str, limit_text: str
) -> None:
    """R-8.3: 1000 hours gave an «overall» deadline in June 2027; a shortened term at or above the normal limit
    for the importance is refused with the limit in words."""
    msg = message()
    login(client, "curator")
    response = post_dispatch(client, personas, msg, importance=importance, shortened_hours=hours)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert f"Сокращённый срок должен быть меньше обычного (п. 8.3): {limit_text}." in page_text(response)
    assert not Case.objects.exists()


def test_r8_3_shortened_deadline_below_the_limit_is_kept_and_the_limit_follows_the_policy_table(
    client: Client, personas: Personas
) -> None:
    """R-8.3: 3,5 h of a normal case is accepted; the limit is the policy table's value, not a constant."""
    login(client, "curator")
    response = post_dispatch(client, personas, message(), shortened_hours="3,5")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert Case.objects.get().shortened_minutes == 210

    Policy.objects.update_or_create(
        key="overall_normal", defaults={"rid": "R-8.3", "title": "обычная", "value": 180, "unit": "minutes"}
    )
    response = post_dispatch(client, personas, message(), shortened_hours="3,5")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "меньше обычного (п. 8.3): 3 часа рабочего времени для обычной важности" in page_text(response)
    assert Case.objects.count() == 1


def test_r8_3_the_action_itself_refuses_a_term_longer_than_the_normal_one(personas: Personas) -> None:
    """R-8.3 in `dispatch_case`, for every caller, not only the form."""
    p = personas
    with pytest.raises(ActionRefused, match="меньше обычного"):
        dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0), shortened_minutes=60_000)
    with pytest.raises(ActionRefused, match="больше нуля"):
        dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0), shortened_minutes=0)
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0), shortened_minutes=120)
    assert deadline(case, "overall").due_at == msk(2025, 4, 28, 11, 0)


# ---------------------------------------------------------------------------------------------- item 6
@pytest.mark.parametrize("number", ["abc", "12a", "²", "-5", "1.5"])
def test_r8_10_repeat_number_that_is_not_a_number_is_refused(
    client: Client, personas: Personas, number: str
) -> None:
    """R-8.10: «abc» was silently ignored and the case went out without the repeat link."""
    login(client, "curator")
    response = post_dispatch(client, personas, message(), repeat_of=number)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Номер повторяемого обращения укажите цифрами" in page_text(response)
    assert not Case.objects.exists()


def test_r8_10_repeat_number_is_found_with_or_without_the_sign_and_a_missing_one_is_named(
    client: Client, personas: Personas
) -> None:
    p = personas
    earlier = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    login(client, "curator")
    for missing in ("999999", "99999999999999999999999"):
        response = post_dispatch(client, p, message(), repeat_of=missing)
        assert response.status_code == 400  # type: ignore[attr-defined]
        assert f"Обращение № {missing} не найдено." in page_text(response)
    response = post_dispatch(client, p, message(), repeat_of=f"№ {earlier.pk}")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert Case.objects.exclude(pk=earlier.pk).get().repeat_of == earlier


# ---------------------------------------------------------------------------------------------- item 3
def rejected_case(p: Personas) -> tuple[Case, Assignment]:
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    a = case.assignments.get()
    actions.reject_assignment(p.alice, a, "Дороги — не наша компетенция", now=msk(2025, 4, 28, 9, 20))
    return case, a


def test_r8_2_a_refused_assignment_is_replaced_once(client: Client, personas: Personas) -> None:
    """R-8.2: each click on «Переназначить» of the same refusal added another active assignment (three in
    parallel); now the refused row becomes «заменён» and a second click is refused."""
    p = personas
    case, refused = rejected_case(p)
    login(client, "curator")
    url = reverse("cases:reassign", args=[case.pk, refused.pk])
    first = client.post(url, {"body": p.roads.pk}, follow=True)
    assert "Назначен орган «Дороги», исполнитель" in page_text(first)
    third = Body.objects.create(name="Комитет по ЖКХ", short_name="ЖКХ")
    second = client.post(url, {"body": third.pk}, follow=True)
    assert "Это назначение уже заменено" in page_text(second)
    refused.refresh_from_db()
    assert refused.state == Assignment.State.REPLACED and refused.reject_reason  # the refusal stays on record
    active = case.assignments.filter(state=Assignment.State.ACTIVE)
    assert [a.body for a in active] == [p.roads]
    page = page_text(client.get(reverse("cases:detail", args=[case.pk])))
    assert "отказ: не компетенция — Дороги — не наша компетенция; заменён куратором" in page


def test_r8_2_cannot_reassign_to_the_body_that_refused(client: Client, personas: Personas) -> None:
    p = personas
    case, refused = rejected_case(p)
    login(client, "curator")
    response = client.post(
        reverse("cases:reassign", args=[case.pk, refused.pk]), {"body": p.health.pk}, follow=True
    )
    assert "«Здравоохранение» сообщил, что вопрос не относится к его компетенции" in page_text(response)
    refused.refresh_from_db()
    assert refused.state == Assignment.State.REJECTED
    assert not case.assignments.filter(state=Assignment.State.ACTIVE).exists()
    case.refresh_from_db()
    assert case.status == Case.Status.REROUTING


def test_r8_2_reassign_only_to_a_working_body_as_the_list_offers(client: Client, personas: Personas) -> None:
    p = personas
    case, refused = rejected_case(p)
    p.roads.is_active = False
    p.roads.save()
    login(client, "curator")
    url = reverse("cases:reassign", args=[case.pk, refused.pk])
    for body, said in (
        (p.roads.pk, f"Орган «{p.roads}» не принимает обращения: выберите орган из списка действующих."),
        (999999, "Выберите орган из списка действующих органов."),
    ):
        response = client.post(url, {"body": body}, follow=True)
        assert said in page_text(response)
    refused.refresh_from_db()
    assert refused.state == Assignment.State.REJECTED
    assert not case.assignments.filter(state=Assignment.State.ACTIVE).exists()


def test_r8_2_reassign_dropdown_starts_empty_and_leaves_out_the_refusing_body(
    client: Client, personas: Personas
) -> None:
    p = personas
    case, refused = rejected_case(p)
    login(client, "curator")
    page = page_text(client.get(reverse("cases:detail", args=[case.pk])))
    form = page[page.index(reverse("cases:reassign", args=[case.pk, refused.pk])) :]
    select = form[form.index('<select name="body"') : form.index("</select>")]
    assert re.match(r'<select name="body"[^>]*required><option value="">— выберите орган —</option>', select)
    assert f'value="{p.roads.pk}"' in select and f'value="{p.health.pk}"' not in select
    response = client.post(reverse("cases:reassign", args=[case.pk, refused.pk]), {"body": ""}, follow=True)
    assert "Выберите орган." in page_text(response)
    assert case.assignments.count() == 1


def test_r6_curator_is_told_when_nobody_of_the_new_body_is_on_duty(
    client: Client, personas: Personas
) -> None:
    """R-6: the only roads people are away; the timeline said «никого нет на месте», now the curator is told."""
    p = personas
    case, refused = rejected_case(p)
    now = timezone.now()  # the page reassigns at the real time
    for person in (p.dave, p.roads_head):
        Absence.objects.create(
            person=person,
            reason="vacation",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=1),
        )
    login(client, "curator")
    response = client.post(
        reverse("cases:reassign", args=[case.pk, refused.pk]), {"body": p.roads.pk}, follow=True
    )
    text = page_text(response)
    assert "Назначен орган «Дороги», но в нём сейчас нет никого на месте" in text
    new = case.assignments.get(state=Assignment.State.ACTIVE)
    assert new.body == p.roads and new.executor is None


# ---------------------------------------------------------------------------------------------- item 7
def approved(p: Personas, network: str) -> tuple[Case, Draft]:
    msg = message(network=network)
    case = actions.dispatch_case(p.curator, [msg], [actions.Route(p.health)], now=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
    actions.approve_draft(p.curator, draft, now=msk(2025, 4, 28, 10, 10))
    case.refresh_from_db()
    return case, draft


def confirm(client: Client, case: Case, draft: Draft, url: str) -> object:
    return client.post(
        reverse("cases:publish", args=[case.pk, draft.pk]), {"url": url, "version": case.version}
    )


def test_r8_7_link_from_another_network_is_refused(client: Client, personas: Personas) -> None:
    """R-8.7: a VK message «published» at t.me closed the case; the link must lead to the message's network."""
    case, draft = approved(personas, "vk")
    login(client, "alice")
    response = confirm(client, case, draft, "https://t.me/somechannel/5")
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert (
        "Ответ размещается в той же сети, где написано сообщение (п. 8.7): ВКонтакте, а ссылка ведёт на t.me."
        in page_text(response)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING and not Publication.objects.exists()
    for url in ("https://vk.com.evil.example/wall-1_1", "https://[vk.com/wall-1_1"):
        response = confirm(client, case, draft, url)
        assert response.status_code == 400  # type: ignore[attr-defined]
    assert "Ссылка не распознана" in page_text(response)
    response = confirm(client, case, draft, "https://m.vk.com/wall-1_1?reply=2")
    assert response.status_code == 302  # type: ignore[attr-defined]
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


@pytest.mark.parametrize(
    ("network", "wrong", "right"),
    [
        ("telegram", "https://vk.com/wall-1_1", "https://t.me/lenobl/77"),
        ("ok", "https://t.me/x/1", "https://ok.ru/group/1/topic/2"),
        ("youtube", "https://ok.ru/group/1", "https://youtu.be/abc?lc=1"),
    ],
)
def test_r8_7_each_known_network_accepts_only_its_hosts(
    client: Client, personas: Personas, network: str, wrong: str, right: str
) -> None:
    case, draft = approved(personas, network)
    login(client, "alice")
    assert confirm(client, case, draft, wrong).status_code == 400  # type: ignore[attr-defined]
    assert confirm(client, case, draft, right).status_code == 302  # type: ignore[attr-defined]
    assert Publication.objects.get().url == right


def test_r8_7_network_without_a_known_host_accepts_any_link_and_the_page_names_the_network(
    client: Client, personas: Personas
) -> None:
    case, draft = approved(personas, "forum")
    login(client, "alice")
    form = page_text(client.get(reverse("cases:publish", args=[case.pk, draft.pk])))
    assert "в сети, где написано сообщение (Форум)" in form
    assert confirm(client, case, draft, "https://forum.example.org/t/5#p9").status_code == 302  # type: ignore[attr-defined]
    vk_case, vk_draft = approved(personas, "vk")
    form = page_text(client.get(reverse("cases:publish", args=[vk_case.pk, vk_draft.pk])))
    assert "в сети, где написано сообщение (ВКонтакте)" in form and "(vk)" not in form


# ---------------------------------------------------------------------------------------------- item 11
def test_r11_draft_editor_rechecks_on_every_change_of_the_text(client: Client, personas: Personas) -> None:
    """R-11: the checker ran on key release only: a paste with the mouse, drag-and-drop or autofill left stale
    findings. It now runs on `input` (every change), still debounced."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    login(client, "alice")
    editor = page_text(client.get(reverse("cases:draft", args=[case.pk])))
    trigger = re.search(r'<textarea name="text"[^>]*hx-trigger="([^"]+)"', editor)
    assert trigger is not None
    assert re.match(r"input changed delay:\d+ms", trigger.group(1)) and "keyup" not in trigger.group(1)


# ---------------------------------------------------------------------------------------------- item 19
def test_r8_2_window_closed_before_its_end_reads_not_needed_not_expired(
    client: Client, personas: Personas
) -> None:
    """R-8.2: the draft went in at 10:00, so the rejection window (due 10:00 + …) closed unused; it showed
    «истёк» like an overdue deadline. A window that really ran out still reads «истёк»."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 9, 30))
    window = deadline(case, "reject_window")
    assert window.cancelled_at is not None and window.cancelled_at < window.due_at
    late = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    sla.sweep(now=msk(2025, 4, 28, 10, 30))
    login(client, "curator")
    row = _deadline_row(page_text(client.get(reverse("cases:detail", args=[case.pk]))), "reject_window")
    assert "не понадобился" in row and "истёк" not in row
    row = _deadline_row(page_text(client.get(reverse("cases:detail", args=[late.pk]))), "reject_window")
    assert "истёк" in row


def _deadline_row(page: str, stage: str) -> str:
    start = page.index(f'<tr data-stage="{stage}">')
    return page[start : page.index("</tr>", start)]


def test_r8_1_r8_2_the_actions_send_cases_only_to_working_bodies(personas: Personas) -> None:
    """Whoever calls them (a page, an import, the demo), dispatch and reassign refuse a body taken out of the
    directory and the information policy office itself."""
    p = personas
    p.roads.is_active = False
    p.roads.save()
    for body in (p.roads, p.office):
        with pytest.raises(ActionRefused, match="не принимает обращения"):
            dispatch(p.curator, body, at=msk(2025, 4, 28, 9, 0))
    _, refused = rejected_case(p)
    for body in (p.roads, p.office):
        with pytest.raises(ActionRefused, match="не принимает обращения"):
            actions.reassign(p.curator, refused, body, now=msk(2025, 4, 28, 9, 30))
    refused.refresh_from_db()
    assert refused.state == Assignment.State.REJECTED


def test_r8_7_the_action_itself_refuses_a_link_from_another_network(personas: Personas) -> None:
    """Whoever confirms (a page, a script, an import of past work), the link must be in the message's network."""
    case, draft = approved(personas, "vk")
    with pytest.raises(ActionRefused, match=r"ВКонтакте, а ссылка ведёт на t\.me"):
        actions.confirm_publication(personas.alice, draft, url="https://t.me/somechannel/5")
    assert not Publication.objects.filter(case=case).exists()
    actions.confirm_publication(personas.alice, draft, url="https://m.vk.com/wall-1_1?reply=3")
    assert Publication.objects.filter(case=case).count() == 1
