"""R-8.7: an answer approved in a source that lacks the token it publishes with is not published automatically
(`integrations.publish.can_publish`); the approval's notice now says why — «автоматическая публикация недоступна: в
источнике «…» не задан токен доступа для публикации ответов (параметр «token» задаёт администратор)» — and asks to
place the answer by hand and confirm its link, instead of a bare «разместите его».

Found by a review (session 19).
"""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.models import Notification
from otklik.intake.models import Message, Outbox, Source
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _approved_in(p: Personas, source: Source) -> Notification:
    message = Message.objects.create(
        source=source,
        network=source.network,
        external_id="-1_1_501",
        url="https://vk.com/wall-1_1?reply=501",
        author_name="Ирина Петрова",
        text="Когда отремонтируют дорогу в Гатчине? Ямы по колено.",
    )
    case = actions.dispatch_case(p.curator, [message], [actions.Route(p.health)], now=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(
        p.alice, case, "answer", "Ремонт дороги запланирован на июнь.", now=msk(2025, 4, 28, 10, 0)
    )
    actions.approve_draft(p.curator, draft, now=msk(2025, 4, 28, 10, 20))
    assert not Outbox.objects.filter(case_id=case.pk).exists()
    told = Notification.objects.filter(recipient=p.alice, case=case, text__contains="согласован").get()
    return told


def test_an_answer_approved_in_a_source_without_its_token_says_why_it_is_published_by_hand(
    personas: Personas,
) -> None:
    source = Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Администрация Гатчинского района",
        config={"owner_id": -1},
    )
    text = _approved_in(personas, source).text
    assert "автоматическая публикация недоступна" in text, text
    assert "«Администрация Гатчинского района»" in text and "токен" in text and "«token»" in text, text
    assert "разместите его вручную и укажите ссылку" in text, text


def test_with_its_token_the_answer_goes_out_by_itself(personas: Personas) -> None:
    source = Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Администрация Гатчинского района",
        config={"owner_id": -1, "token": "vk1.a.demo"},
    )
    message = Message.objects.create(
        source=source,
        network="vk",
        external_id="-1_1_502",
        author_name="Ирина Петрова",
        text="Ямы по колено.",
    )
    case = actions.dispatch_case(
        personas.curator, [message], [actions.Route(personas.health)], now=msk(2025, 4, 28, 9, 0)
    )
    draft = actions.submit_draft(
        personas.alice, case, "answer", "Ремонт — в июне.", now=msk(2025, 4, 28, 10, 0)
    )
    actions.approve_draft(personas.curator, draft, now=msk(2025, 4, 28, 10, 20))
    assert Outbox.objects.filter(case_id=case.pk).exists()
    told = Notification.objects.filter(recipient=personas.alice, case=case, text__contains="согласован").get()
    assert "будет опубликован автоматически" in told.text and "недоступна" not in told.text
