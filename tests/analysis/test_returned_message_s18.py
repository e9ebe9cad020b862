"""R-10 with R-8.1 and R-8.10: a message the curator returns from «Исключённые (модерация)» («Вернуть во входящие»,
with her reason) is analysed again as a message in work: the inbox and the dispatch form show its place, topic,
bodies and importance, and «Повтор обращения №» is filled in when the same author's complaint was handled before, so
the answer must say what was done (clause 8.10). `cases.suggest.set_blocked` runs `analysis.pipeline.analyse_returned`,
and `annotate_message` follows the curator's latest moderation decision over the machine's verdict whenever the
message is analysed again: returned stays returned, excluded by hand stays excluded.

Found by a review (session 18)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.models import Kind, Suggestion
from otklik.analysis.pipeline import annotate_message, is_blocked
from otklik.analysis.repeats import reset_repeat_index
from otklik.cases.models import Case
from tests.cases.helpers import classified, message
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

EARLIER = (
    "Сосед из квартиры 12 в доме 5 на улице Чехова в Гатчине каждый вечер пьяный кричит в подъезде, дети боятся "
    "выходить."
)
# the neighbour's word quoted: the lexicon blocks it (an obscene word stays blocked even when reported), and the
# curator returns it: it is a complaint about the abuse, not abuse of an official
AGAIN = (
    "Сосед из квартиры 12 в доме 5 на улице Чехова в Гатчине опять пьяный кричит в подъезде на детей «суки», дети "
    "боятся выходить."
)
REASON = "Жалоба на соседа, ругательство — его слова, а не автора"


@pytest.fixture(autouse=True)
def _fresh_repeat_index() -> None:
    reset_repeat_index()


def test_r8_10_a_message_returned_from_the_excluded_is_offered_as_a_repeat_of_the_earlier_case(
    client: Client, personas: Personas
) -> None:
    p = personas
    client.force_login(p.curator)
    first = message(EARLIER, author="Ольга Смирнова")
    annotate_message(first)
    response = client.post(
        reverse("cases:dispatch", args=[first.pk]), {"body_1": p.health.pk, **classified()}
    )
    assert response.status_code == 302
    earlier = Case.objects.get()

    again = message(AGAIN, author="Ольга Смирнова")
    annotate_message(again)
    assert is_blocked(again)
    client.post(
        reverse("cases:moderation", args=[again.pk]),
        {"decision": "unblock", "reason": REASON},
    )
    assert not is_blocked(again)

    form = client.get(reverse("cases:dispatch", args=[again.pk])).content.decode()
    assert f'name="repeat_of" inputmode="numeric" placeholder="нет" value="{earlier.pk}"' in form, (
        "the returned message is not offered as a repeat of the earlier case"
    )


def test_r8_1_a_message_returned_from_the_excluded_comes_with_the_place_it_names(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.curator)
    again = message(AGAIN)
    annotate_message(again)
    assert is_blocked(again)
    client.post(
        reverse("cases:moderation", args=[again.pk]),
        {"decision": "unblock", "reason": REASON},
    )
    inbox = client.get(reverse("cases:inbox")).content.decode()
    row = inbox[inbox.index(f'data-message="{again.pk}"') :]
    row = row[: row.index("</tr>")]
    hints = row[row.index('data-testid="hints"') :]
    assert "Гатчин" in hints, "no place suggested for the returned message"


def test_r10_a_returned_message_analysed_again_stays_in_work_with_its_suggestions(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.curator)
    again = message(AGAIN)
    annotate_message(again)
    client.post(reverse("cases:moderation", args=[again.pk]), {"decision": "unblock", "reason": REASON})
    annotate_message(again)  # the worker analyses it again (an edit, a Governor's-post comment triaged anew)
    assert not is_blocked(again)
    place = Suggestion.objects.filter(message=again, kind=Kind.PLACE).order_by("-id").first()
    assert place is not None and place.value["settlement"] == "Гатчина"


def test_r10_a_message_excluded_by_hand_analysed_again_stays_excluded(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.curator)
    rude = message("Гатчина, Соборная улица: опять яма у школы, сколько можно")
    annotate_message(rude)
    assert not is_blocked(rude)
    client.post(reverse("cases:moderation", args=[rude.pk]), {"decision": "block", "reason": "Спам"})
    places = Suggestion.objects.filter(message=rude, kind=Kind.PLACE).count()
    annotate_message(rude)
    assert is_blocked(rude)
    assert Suggestion.objects.filter(message=rude, kind=Kind.PLACE).count() == places
