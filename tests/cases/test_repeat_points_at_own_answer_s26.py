"""Found by a review (session 26), fixed since. R-8.10 (review 74): a citizen who writes again quoting the answer the government published is told to the
curator as a repeat of «сообщение № N, не направленное в работу» — N being our own published answer, read back from
the network (an official message, never in the inbox) — instead of the earlier case it answered."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.pipeline import annotate_message
from otklik.cases import actions
from otklik.intake.models import Message
from tests.cases.helpers import approved, message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте, Ирина! Ямы на улице Соборной в Гатчине засыплют до 20 мая, подрядчик уже работает."
AGAIN = (
    "Обещали, что ямы на улице Соборной в Гатчине засыплют до 20 мая и подрядчик уже работает. Где подрядчик?"
)


def test_r8_10_a_repeat_is_not_pointed_at_the_governments_own_published_answer(
    client: Client, personas: Personas
) -> None:
    """R-8.10. Case N: Ирина's «На Соборной огромная яма, вчера пробила колесо» went to «Дороги», whose answer
    «Ямы на улице Соборной в Гатчине засыплют до 20 мая …» was published under her comment and read back with the
    next reading of the thread (an official message: kept out of the inbox, `intake.official`). In June she writes
    «Обещали, что ямы на улице Соборной в Гатчине засыплют до 20 мая и подрядчик уже работает. Где подрядчик?». The inbox says
    «Повтор: похоже на сообщение № M (… %), не направленное в работу», M being the government's own answer: no
    such message is in the inbox (searching «№ M» finds nothing), «Повтор обращения №» stays empty, and case N, whose
    promise she quotes, is named nowhere. `analysis.repeats.find_repeats` compares the new text with every stored
    message, official ones included (`is_official` is not filtered out), and `cases.suggest.hints` calls any
    candidate that is in no case «не направленное в работу»."""
    p = personas
    first = message("На Соборной огромная яма, вчера пробила колесо", author="Ирина Петрова")
    case, draft = approved(p, [first], ANSWER)
    actions.confirm_publication(p.alice, draft, url="https://vk.com/wall-1_1?reply=90")
    # the published answer comes back with the next reading of the thread: the government's own message
    Message.objects.create(
        network="vk",
        external_id="wall-1_90",
        url="https://vk.com/wall-1_1?reply=90",
        author_name="Администрация",
        text=ANSWER,
        is_official=True,
    )
    again = message(AGAIN, author="Ирина Петрова")
    annotate_message(again)

    client.force_login(p.curator)
    inbox = client.get(reverse("cases:inbox")).content.decode()
    row = inbox[inbox.index(f'data-message="{again.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "не направленное в работу" not in row, (
        "the inbox calls the government's own published answer a message «не направленное в работу»"
    )
    form = client.get(reverse("cases:dispatch", args=[again.pk])).content.decode()
    assert f'name="repeat_of" inputmode="numeric" placeholder="нет" value="{case.pk}"' in form
