"""The author's reply to a clarification request entered by its link (R-8.4, R-8.8, R-10): clause 8 asks the
author of the message for details («запрос (уточнение) авторам сообщений»), so only the author's own message is
their reply. A stored message by somebody else, or one the moderation excluded from work, is refused in Russian
and the case keeps waiting; a pasted text without a link (no author known) is taken as before. Monday 03.03.2025.
"""

from __future__ import annotations

import itertools

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.pipeline import annotate_message, is_blocked
from otklik.cases import actions
from otklik.cases.actions import ActionRefused, Route
from otklik.cases.models import Case, CaseMessage
from otklik.intake.models import Message
from tests.cases.helpers import message as plain_message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

_seq = itertools.count(500)


def vk_comment(text: str, author_id: str, author_name: str, *, post: int = 7) -> Message:
    """A comment a VK connector delivered: the network's id, link and author."""
    n = next(_seq)
    return Message.objects.create(
        network="vk",
        external_id=f"-1_{post}_{n}",
        url=f"https://vk.com/wall-1_{post}?reply={n}",
        author_id=author_id,
        author_name=author_name,
        author_url=f"https://vk.com/id{author_id}",
        text=text,
        text_raw=text,
    )


def awaiting(p: Personas, *originals: Message) -> Case:
    """A case of the health committee whose clarification request is published: it waits for the author."""
    case = actions.dispatch_case(p.curator, list(originals), [Route(p.health)], now=msk(2025, 3, 3, 10, 0))
    request = actions.submit_draft(
        p.alice, case, "clarification", "Здравствуйте! Уточните номер дома.", now=msk(2025, 3, 3, 11, 0)
    )
    actions.approve_draft(p.curator, request, now=msk(2025, 3, 3, 11, 10))
    actions.confirm_publication(  # under each author's message
        p.alice,
        request,
        # comment ids of the answers far from the messages' own (`helpers.message` numbers them from 1 in a run)
        url=originals[0].url.split("?")[0] + "?reply=9001",
        also={
            m.pk: m.url.split("?")[0] + f"?reply={9000 + n}"
            for n, m in enumerate(actions.by_hand_also(case), start=2)
        },
        now=msk(2025, 3, 3, 11, 20),
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    return case


def irina() -> Message:
    return vk_comment("В поликлинике нет записи к терапевту третью неделю.", "100", "Ирина Петрова")


def post_reply(client: Client, case: Case, text: str, url: str) -> str:
    case.refresh_from_db()
    response = client.post(
        reverse("cases:reply", args=[case.pk]),
        {"text": text, "url": url, "version": case.version},
        follow=True,
    )
    return response.content.decode()


def test_r8_8_a_stored_message_by_another_person_is_not_the_authors_reply(
    personas: Personas, client: Client
) -> None:
    """R-8.8: Ирина Петрова wrote in; the executor pastes the link of a comment under the same post by Олег Смирнов.
    It is refused: the page says whose message it is and that the reply comes from the author; the case still waits
    for the author, and Олег's comment stays out of it (it is not marked as the author's reply)."""
    p = personas
    case = awaiting(p, irina())
    oleg = vk_comment("Дом 12, у нас тоже не записаться.", "200", "Олег Смирнов")
    client.force_login(p.alice)
    page = post_reply(client, case, "Дом 12", oleg.url)
    assert "написал не автор обращения, а «Олег Смирнов»" in page
    assert "Ответ автора добавлен" not in page
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    assert not CaseMessage.objects.filter(message=oleg).exists()


def test_r8_8_the_action_itself_refuses_another_persons_message(personas: Personas) -> None:
    """R-8.8: every caller of `register_author_reply` gets the check, not only the case page."""
    p = personas
    case = awaiting(p, irina())
    oleg = vk_comment("Дом 12.", "200", "Олег Смирнов")
    with pytest.raises(ActionRefused) as refused:
        actions.register_author_reply(p.alice, case, oleg, now=msk(2025, 3, 3, 15, 0))
    assert refused.value.message == (
        "Сообщение по ссылке написал не автор обращения, а «Олег Смирнов». "
        "Ответ на запрос (уточнение) принимается только от автора обращения («Ирина Петрова»)."
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR


def test_r8_8_the_authors_own_comment_by_its_link_reopens_drafting(
    personas: Personas, client: Client
) -> None:
    """R-8.8, R-8.4: the author's own comment, delivered by the connector, is taken by its link: drafting reopens
    and the stored comment (not a second copy) is the author's reply."""
    p = personas
    case = awaiting(p, irina())
    answer = vk_comment("Дом 5, подъезд 2.", "100", "Ирина Петрова")
    client.force_login(p.alice)
    page = post_reply(client, case, "Дом 5, подъезд 2.", answer.url)
    assert "Ответ автора добавлен" in page
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    assert case.case_messages.get(message=answer).is_author_reply
    assert Message.objects.filter(text="Дом 5, подъезд 2.").count() == 1


def test_r8_8_any_author_of_a_case_of_several_messages_may_reply(personas: Personas) -> None:
    """R-8.8: the curator joined two people's messages in one case; the clarification is answered by the second
    of them, and that is the authors' reply."""
    p = personas
    second = vk_comment("И у нас в Гатчине то же самое.", "300", "Анна Козлова", post=8)
    case = awaiting(p, irina(), second)
    anna = vk_comment("Улица Соборная, 3.", "300", "Анна Козлова", post=8)
    actions.register_author_reply(p.alice, case, anna, now=msk(2025, 3, 3, 15, 0))
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING and anna in case.messages.all()


def test_r8_8_a_message_whose_author_cannot_be_compared_is_taken(personas: Personas) -> None:
    """R-8.8: the case's message came without an author (a hand entry or an import), so nobody can tell; the
    executor's word stands and the reply is taken as before."""
    p = personas
    case = awaiting(p, plain_message())
    reply = vk_comment("Дом 5.", "200", "Олег Смирнов")
    actions.register_author_reply(p.alice, case, reply, now=msk(2025, 3, 3, 15, 0))
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING


def test_r8_8_a_post_a_community_published_as_its_own_has_no_person_to_compare(personas: Personas) -> None:
    """R-8.8: a resident's suggested post that a VK community published anonymously comes with the community as
    its author (id -1); the resident answers the clarification from their own account, and that is taken."""
    p = personas
    case = awaiting(p, vk_comment("Во дворе на Соборной не вывозят мусор.", "-1", "Гатчина онлайн"))
    reply = vk_comment("Соборная, 3, контейнеры у второго подъезда.", "200", "Олег Смирнов")
    actions.register_author_reply(p.alice, case, reply, now=msk(2025, 3, 3, 15, 0))
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING and reply in case.messages.all()


def test_r10_a_reply_the_moderation_excluded_is_refused_until_the_curator_returns_it(
    personas: Personas, client: Client
) -> None:
    """R-10, R-8.8: the author answers with an insult; the moderation excluded the comment, so it is not taken
    as the reply (a clear Russian reason, the case keeps waiting). Once the curator overturns the exclusion, the
    same link is taken."""
    p = personas
    case = awaiting(p, irina())
    rude = vk_comment("Дом 5. Глава района — мразь.", "100", "Ирина Петрова")
    annotate_message(rude)
    assert is_blocked(rude)
    client.force_login(p.alice)
    page = post_reply(client, case, rude.text, rude.url)
    assert "исключено модерацией" in page and "п. 10 Положения" in page
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    assert not CaseMessage.objects.filter(message=rude).exists()

    client.force_login(p.curator)
    client.post(
        reverse("cases:moderation", args=[rude.pk]), {"decision": "unblock", "reason": "Уточнение по делу"}
    )
    assert not is_blocked(rude)
    client.force_login(p.alice)
    assert "Ответ автора добавлен" in post_reply(client, case, rude.text, rude.url)
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING


def test_r8_8_a_message_of_another_case_is_refused_with_its_case_number(personas: Personas) -> None:
    """R-8.8: the link leads to the author's message that is already another case's: refused, naming that case."""
    p = personas
    case = awaiting(p, irina())
    elsewhere = vk_comment("А ещё у нас двор не убирают.", "100", "Ирина Петрова", post=9)
    other = actions.dispatch_case(p.curator, [elsewhere], [Route(p.roads)], now=msk(2025, 3, 3, 12, 0))
    with pytest.raises(ActionRefused, match=f"обращение № {other.pk}"):
        actions.register_author_reply(p.alice, case, elsewhere, now=msk(2025, 3, 3, 15, 0))


def test_r8_8_pasted_text_without_a_link_is_taken_as_before(personas: Personas, client: Client) -> None:
    """R-8.8: no link, no author to compare: the pasted text is the author's reply, as before."""
    p = personas
    case = awaiting(p, irina())
    client.force_login(p.alice)
    assert "Ответ автора добавлен" in post_reply(client, case, "Дом 5, подъезд 2.", "")
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    assert case.case_messages.filter(is_author_reply=True, message__text="Дом 5, подъезд 2.").exists()
    # the case page does not say «автор не указан» of the author's own reply: it says a colleague typed it in
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Ответ автора на запрос</strong> · текст введён сотрудником" in page
    assert "автор не указан" not in page


def test_r8_8_the_bodys_own_published_message_is_not_the_authors_reply(personas: Personas) -> None:
    """R-8.8: the executor pastes the link of the published clarification request itself (the body's official
    comment the connector delivered). The case's message came without an author, yet an official message is never
    the author's reply: refused, and the case keeps waiting."""
    p = personas
    case = awaiting(p, plain_message())
    own = vk_comment("Здравствуйте! Уточните номер дома.", "-1", "Комитет по здравоохранению")
    Message.objects.filter(pk=own.pk).update(is_official=True)
    own.refresh_from_db()
    with pytest.raises(ActionRefused, match="официального аккаунта"):
        actions.register_author_reply(p.alice, case, own, now=msk(2025, 3, 3, 15, 0))
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR


def test_r8_8_the_cases_own_message_is_not_a_reply_to_it(personas: Personas) -> None:
    """R-8.8: the link of the message the case was opened with is refused with words that say so."""
    p = personas
    first = irina()
    case = awaiting(p, first)
    with pytest.raises(ActionRefused, match="уже есть в обращении"):
        actions.register_author_reply(p.alice, case, first, now=msk(2025, 3, 3, 15, 0))
