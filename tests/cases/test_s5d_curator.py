"""A curator's busy day through the pages (R-7.1, R-8.1, R-8.5, R-8.10, R-10, R-14): what the review queue
lists, messages picked into one case that a colleague took meanwhile, the repeat hint naming a case, the inbox's
next page while messages come and go, marking a message or case significant and excluding a message by hand."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.analysis.models import Kind, Suggestion
from otklik.analysis.pipeline import is_blocked
from otklik.cases import actions
from otklik.cases.models import Case, CaseMessage
from otklik.governor import actions as governor_actions
from otklik.governor import service
from otklik.governor.models import Comment
from otklik.intake.models import Message
from otklik.notify.models import Alert
from otklik.org.models import Person
from tests.cases.helpers import classified, dispatch, message
from tests.conftest import Personas, msk
from tests.governor.helpers import (
    HEALTH_QUESTION,
    HEALTH_TOPIC,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db
ANSWER = "Здравствуйте, Ирина! Ремонт запланирован на июнь."


def login(client: Client, username: str) -> Client:
    client.force_login(Person.objects.get(username=username))
    return client


def flashes(response: object) -> list[str]:
    return [str(m) for m in response.context["messages"]]  # type: ignore[attr-defined]


def test_r7_1_r8_5_the_review_queue_lists_only_what_the_curator_approves(
    client: Client, personas: Personas
) -> None:
    """R-8.5: «Согласование» lists the drafts waiting for the curator. A question under the Governor's post whose
    answer waits for the body's head (R-7.1: no curator approval) is not the curator's to act on."""
    p = personas
    competence(p.health, *HEALTH_TOPIC)
    governor_actions.set_require_approval(p.health, p.health_head, True)
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30))
    service.open_watches(now=msk(2024, 11, 1, 17, 30))
    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    governor_case = Comment.objects.get(message=question).case
    assert governor_case is not None
    governor_actions.submit_answer(governor_case, p.alice, "Черновик.", now=msk(2024, 11, 2, 9, 10))
    governor_case.refresh_from_db()
    assert governor_case.status == Case.Status.REVIEW  # waiting for the head of the health committee

    mine = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    actions.submit_draft(p.alice, mine, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))

    html = login(client, "curator").get(reverse("cases:review_queue")).content.decode()
    assert f'href="/cases/{mine.pk}/"' in html
    assert f'href="/cases/{governor_case.pk}/"' not in html


def test_r8_1_a_picked_message_a_colleague_routed_meanwhile_is_named_not_silently_left_out(
    client: Client, personas: Personas
) -> None:
    """R-8.1: the curator ticks two messages about one pothole; before «Направить в работу» a colleague sends the
    second one on its own. The case is not made without it unsaid: the form says where that message went, and
    the curator sends the first one knowingly."""
    p = personas
    first, second = message("Яма на Соборной в Гатчине"), message("На Соборной яма уже неделю")
    login(client, "curator")
    form = client.get(reverse("cases:dispatch", args=[first.pk]) + f"?also={second.pk}").content.decode()
    assert f'name="also" value="{second.pk}" checked' in form
    taken = actions.dispatch_case(p.curator, [second], [actions.Route(p.roads, 1)])

    url = reverse("cases:dispatch", args=[first.pk])
    refused = client.post(url, {**classified(), "body_1": p.roads.pk, "also": [second.pk]})
    assert refused.status_code == 400
    [said] = flashes(refused)
    assert f"сообщение № {second.pk}" in said and f"уже направлено: обращение № {taken.pk}" in said
    assert not CaseMessage.objects.filter(message=first).exists()  # nothing made behind the curator's back
    assert f'name="also" value="{second.pk}"' not in refused.content.decode()

    # opened again from the inbox's ticks: the form says it at once
    again = client.get(url + f"?also={second.pk}").content.decode()
    assert f"уже направлено: обращение № {taken.pk}" in again

    done = client.post(url, {**classified(), "body_1": p.roads.pk}, follow=True)
    case = CaseMessage.objects.get(message=first).case
    assert done.redirect_chain[-1][0] == reverse("cases:inbox")  # back to the next message
    assert list(case.messages.all()) == [first]


def test_r8_1_a_message_unticked_on_a_refused_form_stays_on_it_unticked(
    client: Client, personas: Personas
) -> None:
    """R-8.1: the curator picked three messages into one case, unticked the third (another matter) and forgot the
    topic. The refused form still lists the third one — unticked — so she can tick it back; the case then made
    holds what was ticked, and the unticked message stays in the inbox."""
    p = personas
    first = message("Яма на Соборной в Гатчине")
    second, third = message("На Соборной яма уже неделю"), message("И фонари на Соборной не горят")
    login(client, "curator")
    url = reverse("cases:dispatch", args=[first.pk])
    form = client.get(url + f"?also={second.pk}&also={third.pk}").content.decode()
    assert f'name="also" value="{third.pk}" checked' in form

    offered = [second.pk, third.pk]
    refused = client.post(
        url, {"municipality": "oblast", "body_1": p.roads.pk, "also": [second.pk], "offered": offered}
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert f'name="also" value="{second.pk}" checked' in page
    assert f'name="also" value="{third.pk}">' in page  # still offered, not ticked
    assert "И фонари на Соборной не горят" in page

    client.post(url, {**classified(), "body_1": p.roads.pk, "also": [second.pk], "offered": offered})
    case = CaseMessage.objects.get(message=first).case
    assert sorted(m.pk for m in case.messages.all()) == [first.pk, second.pk]
    assert not CaseMessage.objects.filter(message=third).exists()


def _repeat_suggestion(m: Message, *earlier: Message) -> None:
    Suggestion.objects.create(
        message=m,
        kind=Kind.REPEAT,
        value={
            "candidates": [{"message_id": e.pk, "similarity": 0.93, "same_author": True} for e in earlier]
        },
        confidence=0.93,
        model_version="test-1",
    )


def test_r8_10_the_repeat_hint_names_the_case_to_type_in_not_a_message_number(
    client: Client, personas: Personas
) -> None:
    """R-8.10: the field is «Повтор обращения №», so the hint in the inbox and in the form names the earlier case;
    a similar message that is in no case is said to be one, its number never passed off as a case's."""
    p = personas
    for _ in range(3):  # case numbers and message numbers drift apart, as in any real database
        message("Посторонний текст")
    earlier = dispatch(p.curator, p.roads, at=msk(2025, 4, 28, 9, 0))
    earlier_message = earlier.messages.get()
    assert earlier_message.pk != earlier.pk
    repeat = message("Опять яма на том же месте в Гатчине, ничего не сделали")
    _repeat_suggestion(repeat, earlier_message)
    unsent = message("Яма у школы в Луге")
    lookalike = message("Яма у школы в Луге, второй раз пишу")
    _repeat_suggestion(lookalike, unsent)

    login(client, "curator")
    inbox = client.get(reverse("cases:inbox")).content.decode()
    row = re.search(rf'<tr data-message="{repeat.pk}">.*?</tr>', inbox, re.S)
    assert row is not None
    assert f'Повтор: <a href="/cases/{earlier.pk}/">похоже на обращение № {earlier.pk}' in row[0]
    assert f"сообщение № {earlier_message.pk}" not in row[0]
    other = re.search(rf'<tr data-message="{lookalike.pk}">.*?</tr>', inbox, re.S)
    assert other is not None
    assert f"похоже на сообщение № {unsent.pk} (93 %), не направленное в работу" in other[0]

    form = client.get(reverse("cases:dispatch", args=[repeat.pk])).content.decode()
    assert f"похоже на обращение № {earlier.pk}" in form and 'name="repeat_of" inputmode="numeric"' in form
    assert re.search(rf'name="repeat_of"[^>]*value="{earlier.pk}"', form)
    form = client.get(reverse("cases:dispatch", args=[lookalike.pk])).content.decode()
    assert "не направленное в работу" in form and re.search(r'name="repeat_of"[^>]*value=""', form)


def test_r8_1_the_next_inbox_page_goes_on_after_the_last_message_seen(
    client: Client, personas: Personas
) -> None:
    """R-8.1 on a busy day: while the curator reads the first page, a colleague sends five of its messages and
    three new ones arrive. «Дальше» shows the messages older than the last one seen — none skipped, none twice."""
    p = personas
    start = timezone.now() - timedelta(hours=2)
    old = []
    for i in range(55):
        m = message(f"Сообщение номер {i:02d}")
        Message.objects.filter(pk=m.pk).update(received_at=start + timedelta(minutes=i))
        old.append(m)
    login(client, "curator")
    first = client.get(reverse("cases:inbox")).content.decode()
    seen = {int(n) for n in re.findall(r'<tr data-message="(\d+)">', first)}
    assert seen == {m.pk for m in old[5:]}  # the newest fifty
    for m in old[-5:]:  # taken by a colleague from the top of the page
        actions.dispatch_case(p.curator, [m], [actions.Route(p.roads, 1)])
    for i in range(3):
        message(f"Новое сообщение {i}")

    link = re.search(r'<a rel="next" href="([^"]+)">', first)
    assert link is not None
    second = client.get(link[1].replace("&amp;", "&")).content.decode()
    shown = {int(n) for n in re.findall(r'<tr data-message="(\d+)">', second)}
    assert shown == {m.pk for m in old[:5]}  # exactly the five the first page did not show
    assert "страница 2" in second and 'rel="next"' not in second

    # past the last one: said so, with the way back to the newest
    later = re.search(r'<tr data-message="(\d+)">', second)
    assert later is not None
    for m in old[:5]:
        actions.dispatch_case(p.curator, [m], [actions.Route(p.roads, 1)])
    empty = client.get(link[1].replace("&amp;", "&")).content.decode()
    assert "Более ранних сообщений здесь нет." in empty and 'rel="prev"' in empty


def test_r8_1_the_inbox_keeps_its_filters_on_the_next_page(client: Client, personas: Personas) -> None:
    """The network and the words searched stay on «дальше»: the second page is the same search."""
    for i in range(52):
        message(f"Нет света на улице {i}", network="telegram")
    message("Нет света на улице, но во ВКонтакте")
    login(client, "curator")
    first = client.get(reverse("cases:inbox"), {"network": "telegram", "q": "нет света"}).content.decode()
    link = re.search(r'<a rel="next" href="([^"]+)">', first)
    assert link is not None and "network=telegram" in link[1] and "q=" in link[1]
    second = client.get(link[1].replace("&amp;", "&")).content.decode()
    assert second.count("<tr data-message=") == 2 and "во ВКонтакте" not in second


def test_r14_the_curator_marks_a_message_from_its_dispatch_page_and_a_case_from_its_page(
    client: Client, personas: Personas
) -> None:
    """R-14: the curator reading a message (or a case) marks it significant right there; the page then says when
    it was marked, and a case made of a marked message is shown as marked, not offered as new."""
    p = personas
    m = message("В Кировске третий день нет воды, в больнице тоже")
    login(client, "curator")
    url = reverse("cases:dispatch", args=[m.pk])
    form = client.get(url).content.decode()
    assert f"Сообщение № {m.pk}" in form and 'action="/notify/significant/"' in form
    done = client.post(
        reverse("notify:significant"),
        {"message": m.pk, "note": "Больница без воды", "next": url},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == url
    alert = Alert.objects.get(kind=Alert.Kind.SIGNIFICANT, message=m)
    assert "Больница без воды" in alert.text
    marked = timezone.localtime(alert.created_at).strftime("%d.%m.%Y %H:%M")
    assert f"отмечено {marked}" in done.content.decode()

    case = actions.dispatch_case(p.curator, [m], [actions.Route(p.health, 1)])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"отмечено {marked}" in page

    other = dispatch(p.curator, p.roads, at=msk(2025, 4, 28, 9, 0))
    page = client.get(reverse("cases:detail", args=[other.pk])).content.decode()
    assert f'name="case" value="{other.pk}"' in page and "отмечено" not in page
    client.post(
        reverse("notify:significant"), {"case": other.pk, "next": reverse("cases:detail", args=[other.pk])}
    )
    assert Alert.objects.filter(kind=Alert.Kind.SIGNIFICANT, case=other).count() == 1
    # an executor sees no such form
    login(client, "alice")
    assert (
        'action="/notify/significant/"'
        not in client.get(reverse("cases:detail", args=[other.pk])).content.decode()
    )


def test_r10_the_curator_excludes_an_abusive_message_the_moderation_missed(
    client: Client, personas: Personas
) -> None:
    """R-10: an insult the machine did not catch is excluded by the curator with a reason from the message's
    page; it is kept, listed under «Исключённые (модерация)» with that reason, and leaves the inbox."""
    m = message("Чиновники — ворьё, чтоб вам всем пусто было")
    login(client, "curator")
    form = client.get(reverse("cases:dispatch", args=[m.pk])).content.decode()
    assert f'action="/cases/inbox/{m.pk}/moderation/"' in form and 'name="decision" value="block"' in form
    client.post(reverse("cases:moderation", args=[m.pk]), {"decision": "block", "reason": "оскорбление"})
    assert is_blocked(m) and Message.objects.filter(pk=m.pk).exists()
    assert f'data-message="{m.pk}"' not in client.get(reverse("cases:inbox")).content.decode()
    excluded = client.get(reverse("cases:inbox"), {"filter": "excluded"}).content.decode()
    assert f'data-message="{m.pk}"' in excluded and "оскорбление" in excluded


def test_r8_1_an_imported_message_shows_when_it_was_written_as_its_case_page_does(
    client: Client, personas: Personas
) -> None:
    """R-8.1: a message loaded today from an export of last week is shown in the inbox and the dispatch form with
    the time its author wrote it (Moscow time, as on the case page), and when it reached the system."""
    m = message("Третий день нет света в Луге")
    Message.objects.filter(pk=m.pk).update(
        published_at=msk(2025, 4, 21, 8, 5), received_at=msk(2025, 4, 28, 10, 30)
    )
    login(client, "curator")
    inbox = client.get(reverse("cases:inbox")).content.decode()
    row = re.search(rf'<tr data-message="{m.pk}">.*?</tr>', inbox, re.S)
    assert row is not None
    assert "<td>21.04.2025 08:05" in row[0] and "получено 28.04.2025 10:30" in row[0]
    form = client.get(reverse("cases:dispatch", args=[m.pk])).content.decode()
    assert "21.04.2025 08:05 (получено 28.04.2025 10:30)" in form
    case = actions.dispatch_case(personas.curator, [m], [actions.Route(personas.roads, 1)])
    assert "21.04.2025 08:05" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


@pytest.mark.parametrize(
    "after",
    ["0001-01-01T00:00:00+05:00~1", "9999-12-31T23:59:59-05:00~7", "вчера~3", "2026-11-29T10:00:00~x"],
)
def test_a_hand_made_next_page_link_shows_the_first_page(personas: Personas, after: str) -> None:
    """R-8.1: an «after» link edited by hand (a year the database cannot hold, a word, no number) shows the
    inbox's first page, never a server error."""
    m = message("Яма на дороге в Гатчине")
    client = Client()
    client.force_login(personas.curator)
    response = client.get(reverse("cases:inbox"), {"after": after})
    assert response.status_code == 200
    assert f'data-message="{m.pk}"' in response.content.decode()
