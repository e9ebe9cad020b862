"""Found by using the curator's inbox and dispatch and the executor's draft editor as the people do (R-8.1 …
R-8.10, R-11): a refused form keeps what was typed, the machine's settlement reaches the case, several
messages go into one case, a photo without text is visible, the editor offers the kind the case takes, the
curator's check matches the executor's, and the deadlines read in the hours they were typed in."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.models import Decision, Kind
from otklik.cases import actions
from otklik.cases.models import Case, Draft
from otklik.intake.models import Message
from otklik.org.models import Municipality, Settlement, Topic
from tests.cases.helpers import classified, dispatch, message
from tests.cases.test_inbox_suggestions import annotated, selected, suggest
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db
ANSWER = "Ирина, здравствуйте! Ремонт дороги на улице Ленина запланирован на июнь."


def input_value(html: str, name: str) -> str:
    field = re.search(rf'<input name="{name}"[^>]*>', html)
    assert field, name
    value = re.search(r'value="([^"]*)"', field[0])
    return value[1] if value else ""


def flashes(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


def test_a_refused_dispatch_keeps_what_the_curator_chose(client: Client, personas: Personas) -> None:
    """R-8.1, R-8.9: the curator overrode the machine (roads first, health second, normal importance, the
    curator composes, 3 hours) and mistyped the repeat number; the form comes back with her choices, not with
    the suggestions, so that a second click does not send the message to the body she had rejected."""
    p = personas
    earlier = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    m, topic, _ = annotated(p, earlier.messages.get())  # suggests health, high importance, repeat of earlier
    other = Topic.objects.create(group=topic.group, name="Дороги к поликлинике")
    client.force_login(p.curator)
    url = reverse("cases:dispatch", args=[m.pk])
    chosen = {
        "body_1": p.roads.pk,
        "order_1": 1,
        "body_2": p.health.pk,
        "order_2": 2,
        "multi_mode": "common_by_curator",
        "topic": other.pk,
        "municipality": "oblast",
        "importance": "normal",
        "shortened_hours": "3",
        "repeat_of": "сто",
    }
    response = client.post(url, chosen)
    assert response.status_code == 400
    assert flashes(response) == ["Номер повторяемого обращения укажите цифрами, например 125."]
    html = response.content.decode()
    assert selected(html, "body_1") == [str(p.roads.pk)]
    assert selected(html, "body_2") == [str(p.health.pk)]
    assert selected(html, "multi_mode") == ["common_by_curator"]
    assert selected(html, "topic") == [str(other.pk)]
    assert selected(html, "municipality") == ["oblast"]
    assert selected(html, "importance") == ["normal"]
    assert input_value(html, "shortened_hours") == "3"
    assert input_value(html, "repeat_of") == "сто"
    assert 'name="order_2" value="2"' in html

    # the curator corrects the number only, and the case goes as she chose
    response = client.post(url, {**chosen, "repeat_of": str(earlier.pk)})
    assert response.status_code == 302
    case = Case.objects.exclude(pk=earlier.pk).get()
    assert [(a.body, a.order) for a in case.assignments.order_by("order")] == [(p.roads, 1), (p.health, 2)]
    assert (case.importance, case.shortened_minutes, case.topic, case.multi_mode) == (
        "normal",
        180,
        other,
        "common_by_curator",
    )


def test_a_body_gone_from_the_directory_is_named_not_a_missing_page(
    client: Client, personas: Personas
) -> None:
    """R-8.1: a body taken out of the directory while the form was open is a clear refusal with the form
    kept, not «Страница не найдена»."""
    p = personas
    m = message()
    client.force_login(p.curator)
    p.roads.is_active = False
    p.roads.save()
    response = client.post(
        reverse("cases:dispatch", args=[m.pk]),
        {**classified(), "body_1": p.roads.pk, "importance": "high", "shortened_hours": "2"},
    )
    assert response.status_code == 400
    assert flashes(response) == ["Выберите орган из списка действующих органов."]
    html = response.content.decode()
    assert selected(html, "importance") == ["high"] and input_value(html, "shortened_hours") == "2"
    assert not Case.objects.exists()


def test_the_suggested_settlement_reaches_the_case(client: Client, personas: Personas) -> None:
    """R-8.1 (place): the machine found the settlement; the dispatch form showed it as a hint but dropped it,
    so the case knew only the district. Now it is a ticked box that goes into the case and the decision; a
    settlement outside the municipal formation chosen is refused with the form kept."""
    p = personas
    kirovsk_district = Municipality.objects.create(name="Кировский муниципальный район")
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный район")
    kirovsk = Settlement.objects.create(municipality=kirovsk_district, name="Кировск", kind="город")
    m = message("В Кировске на улице Ленина яма")
    suggest(
        m,
        Kind.PLACE,
        {
            "municipality_id": kirovsk_district.pk,
            "municipality": kirovsk_district.name,
            "settlement_id": kirovsk.pk,
            "settlement": "Кировск",
        },
    )
    client.force_login(p.curator)
    url = reverse("cases:dispatch", args=[m.pk])
    form = client.get(url).content.decode()
    assert f'name="settlement" value="{kirovsk.pk}" checked' in form
    assert selected(form, "municipality") == [str(kirovsk_district.pk)]

    response = client.post(
        url,
        {
            "topic": classified()["topic"],
            "body_1": p.roads.pk,
            "municipality": gatchina.pk,
            "settlement": kirovsk.pk,
            "importance": "normal",
        },
    )
    assert response.status_code == 400
    assert "Кировск" in flashes(response)[0] and "Гатчинский" in flashes(response)[0]
    assert selected(response.content.decode(), "municipality") == [str(gatchina.pk)]

    response = client.post(
        url,
        {
            "topic": classified()["topic"],
            "body_1": p.roads.pk,
            "municipality": kirovsk_district.pk,
            "settlement": kirovsk.pk,
            "importance": "normal",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.municipality, case.settlement) == (kirovsk_district, kirovsk)
    assert Decision.objects.get(message=m, kind=Kind.PLACE).value["settlement_id"] == kirovsk.pk


def test_several_messages_picked_in_the_inbox_go_into_one_case(client: Client, personas: Personas) -> None:
    """R-8.1: three people write about the same pothole; the curator ticks them in the inbox and sends one
    case; a message a colleague routed meanwhile is not taken twice; each message's choice is recorded."""
    p = personas
    first, second, third, fourth = (
        message(f"Яма на Ленина, {n}") for n in ("первое", "второе", "третье", "четвёртое")
    )
    client.force_login(p.curator)
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert "Направить выбранные одним обращением" in inbox
    assert f'name="pick" value="{second.pk}" form="pick"' in inbox

    response = client.get(reverse("cases:inbox"), {"combine": "1"})
    assert flashes(response) == ["Отметьте сообщения, которые нужно направить одним обращением."]

    picked = [first.pk, second.pk, third.pk, fourth.pk]
    response = client.get(reverse("cases:inbox"), {"combine": "1", "pick": picked})
    assert response.status_code == 302
    actions.dispatch_case(p.curator, [fourth], [actions.Route(p.roads)])  # a colleague was quicker
    form = client.get(response["Location"]).content.decode()
    assert "Яма на Ленина, второе" in form and "Яма на Ленина, третье" in form
    assert f'name="also" value="{third.pk}" checked' in form
    assert "четвёртое" not in form

    response = client.post(
        reverse("cases:dispatch", args=[first.pk]),
        {**classified(), "body_1": p.health.pk, "importance": "normal", "also": [second.pk, third.pk]},
    )
    assert response.status_code == 302
    case = Case.objects.get(case_messages__message=first)
    assert set(case.messages.all()) == {first, second, third}
    assert response["Location"] == reverse("cases:inbox")  # back to the next message
    assert flashes(client.get(response["Location"])) == [
        f'Обращение <a href="/cases/{case.pk}/">№ {case.pk}</a> направлено (сообщений: 3).'
    ]
    assert Decision.objects.filter(kind=Kind.BODY, message__in=[first, second, third]).count() == 3
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert "Яма на Ленина" not in inbox


def test_a_photo_without_text_is_visible_in_the_inbox_and_in_the_lists(
    client: Client, personas: Personas
) -> None:
    """R-8.1, R-9: a message that is only a photo showed as an empty cell in the inbox, and its case had an
    empty line in the lists and the executor's queue."""
    p = personas
    photo = Message.objects.create(
        network="vk",
        external_id="wall-1_77",
        url="https://vk.com/wall-1_77",
        author_name="Олег",
        text="",
        attachments=[{"type": "photo", "url": "https://sun9-1.userapi.com/pothole.jpg"}],
    )
    client.force_login(p.curator)
    inbox = client.get(reverse("cases:inbox")).content.decode()
    row = inbox[inbox.index(f'data-message="{photo.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "без текста" in row and "вложений: 1" in row
    response = client.post(
        reverse("cases:dispatch", args=[photo.pk]),
        {**classified(), "body_1": p.roads.pk, "importance": "normal"},
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.summary == "[без текста, вложений: 1]"
    client.force_login(p.dave)
    assert "[без текста, вложений: 1]" in client.get(reverse("cases:my_queue")).content.decode()


def test_the_editor_offers_the_kind_of_draft_the_case_takes(client: Client, personas: Personas) -> None:
    """R-8.9: in a case of two bodies the executor first sends her body's information; the editor offered
    «ответ» first and the submit was refused with «Общий ответ готовится…», which did not say what to do.
    R-8.4: a case of one body takes an answer, interim answer or clarification request, not a part."""
    p = personas
    multi = dispatch(p.curator, p.health, p.roads, at=msk(2025, 4, 28, 9, 0))
    single = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    client.force_login(p.alice)
    editor = client.get(reverse("cases:draft", args=[multi.pk])).content.decode()
    assert selected(editor, "kind") == ["part"]
    assert re.findall(r'<option value="(\w+)"', editor) == ["part"]
    multi.refresh_from_db()
    response = client.post(
        reverse("cases:draft", args=[multi.pk]),
        {"text": "Запись к терапевту откроется 5 мая.", "version": multi.version},
    )
    assert response.status_code == 302
    assert multi.drafts.get().kind == Draft.Kind.PART

    editor = client.get(reverse("cases:draft", args=[single.pk])).content.decode()
    assert selected(editor, "kind") == ["answer"]
    assert re.findall(r'<option value="(\w+)"', editor) == ["answer", "interim", "clarification"]


def test_the_curator_sees_the_check_the_executor_saw(client: Client, personas: Personas) -> None:
    """R-11: the checker in the editor asks to greet the author by name and stores that score; at review it
    ran without the name, showed a higher score and no finding about the name."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(
        p.alice,
        case,
        "answer",
        "Здравствуйте! Запись к терапевту откроется 5 мая.",
        now=msk(2025, 4, 28, 10, 0),
    )
    client.force_login(p.curator)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f'data-score="{draft.score}"' in page
    assert "Автор не назван по имени" in page


def test_a_refused_approval_keeps_the_curators_comment(client: Client, personas: Personas) -> None:
    """R-8.10, R-8.5: approving an answer to a repeat without measures is refused; the comment the curator
    wrote stays in the form for «Вернуть на доработку». (Such a draft is refused when sent since 2026-11-30; one
    sent before then, stored without measures, still reaches the curator.)"""
    p = personas
    earlier = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0), repeat_of=earlier)
    draft = actions.submit_draft(
        p.alice, case, "answer", ANSWER, measures="Проверено", now=msk(2025, 4, 28, 10, 0)
    )
    Draft.objects.filter(pk=draft.pk).update(measures="")  # a draft sent before the check at sending
    case.refresh_from_db()
    client.force_login(p.curator)
    comment = "Напишите, что уже сделано с прошлого обращения"
    response = client.post(
        reverse("cases:review", args=[case.pk, draft.pk]),
        {"decision": "approve", "comment": comment, "version": case.version},
    )
    assert response.status_code == 400
    assert "п. 8.10 Положения" in flashes(response)[0]
    assert f'<textarea name="comment" rows="2">{comment}</textarea>' in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.REVIEW


def test_a_refused_link_stays_in_the_publication_form(client: Client, personas: Personas) -> None:
    """R-8.7: a link to another network is refused; the executor corrects it instead of pasting again."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
    actions.approve_draft(p.curator, draft, now=msk(2025, 4, 28, 10, 5))
    case.refresh_from_db()
    client.force_login(p.alice)
    response = client.post(
        reverse("cases:publish", args=[case.pk, draft.pk]),
        {"url": "https://ok.ru/group/1/topic/2", "version": case.version},
    )
    assert response.status_code == 400
    assert 'value="https://ok.ru/group/1/topic/2"' in response.content.decode()


def test_a_shortened_deadline_reads_in_the_hours_it_was_typed_in(client: Client, personas: Personas) -> None:
    """R-8.3: the curator typed «1,5» working hours; the case said «сокращённый срок 90 раб. мин»."""
    p = personas
    m = message()
    client.force_login(p.curator)
    response = client.post(
        reverse("cases:dispatch", args=[m.pk]),
        {**classified(), "body_1": p.health.pk, "importance": "normal", "shortened_hours": "1,5"},
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[Case.objects.get().pk])).content.decode()
    assert "сокращённый срок: 1 ч 30 мин рабочего времени" in page
    assert "раб. мин" not in page


def test_r8_7_a_message_of_another_network_is_not_joined_to_the_case(
    client: Client, personas: Personas
) -> None:
    """The case's one answer is published in the first message's network: an OK message picked with a VK one
    stays in the inbox for its own case, and the curator is told why."""
    p = personas
    vk = message("Яма на Ленина, ВКонтакте")
    ok = message("Яма на Ленина, Одноклассники", network="ok")
    client.force_login(p.curator)
    form = client.get(reverse("cases:dispatch", args=[vk.pk]), {"also": [ok.pk]}).content.decode()
    assert "Не добавлено сообщений из другой сети: 1" in form and f'value="{ok.pk}" checked' not in form
    response = client.post(
        reverse("cases:dispatch", args=[vk.pk]),
        {**classified(), "body_1": p.health.pk, "importance": "normal", "also": [ok.pk]},
    )
    assert response.status_code == 302
    case = Case.objects.get(case_messages__message=vk)
    assert list(case.messages.all()) == [vk]
    assert "Одноклассники" in client.get(reverse("cases:inbox")).content.decode()
