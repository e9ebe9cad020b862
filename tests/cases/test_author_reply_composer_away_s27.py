"""Found by a review (session 27), fixed since. R-6 with R-8.8, R-8.9 (`common_by_curator`): Monday 28.04.2025. The curator composes the common answer; her
clarification request is published at 13:20. At 14:05 she falls ill until 12.05, naming Смирнова (a curator) her
substitute. On 29.04 at 10:00 the author answers and the reply is added to the case: drafting reopens and the
common answer (the COMPOSE term) is due again.

The notice and the letter «Автор ответил на запрос по обращению № N.» go only to the ill composer
(`actions._reopen_drafting` skips R-6 for the curator's common answer); Смирнова, who composes in her place (she
is reminded and charged for the term), is not told and learns of the reply only at the first reminder."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from otklik.cases import actions
from otklik.cases.models import Case, Notification
from otklik.org.models import Absence, Role
from tests.cases.helpers import dispatch, message
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)
ASK = "Здравствуйте, Ирина! Уточните, пожалуйста, адрес поликлиники и номер дороги, о которых вы пишете."


def test_substitute_curator_is_told_of_the_authors_reply_to_the_common_answer(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    smirnova.email = "smirnova@example.org"
    smirnova.save()
    case = dispatch(p.curator, p.health, p.roads, at=MON, multi_mode=Case.MultiMode.COMMON_BY_CURATOR)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 12, 0))
    case.refresh_from_db()
    assert case.composer == p.curator
    ask = actions.submit_draft(p.curator, case, "clarification", ASK, now=msk(2025, 4, 28, 13, 0))
    actions.approve_draft(smirnova, ask, now=msk(2025, 4, 28, 13, 10))
    actions.confirm_publication(
        p.alice, ask, url="https://vk.com/wall-1_1?reply=90", now=msk(2025, 4, 28, 13, 20)
    )
    Absence.objects.create(
        person=p.curator,
        reason="sick_leave",
        starts_at=msk(2025, 4, 28, 14, 5),
        ends_at=msk(2025, 5, 12, 9, 0),
        substitute=smirnova,
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    with django_capture_on_commit_callbacks(execute=True):
        actions.register_author_reply(
            None,
            case,
            message(text="Поликлиника на Садовой, 5; дорога Кировск — Мга."),
            now=msk(2025, 4, 29, 10, 0),
        )
    told = Notification.objects.filter(case=case, text__contains="Автор ответил на запрос")
    whom = sorted(str(n.recipient) for n in told)
    assert told.filter(recipient=smirnova).exists(), (
        f"Смирнова composes for the ill curator, but the author's reply is told to: {whom}"
    )
    assert [m for m in mail.outbox if m.to == ["smirnova@example.org"] and "Автор ответил" in m.body]
