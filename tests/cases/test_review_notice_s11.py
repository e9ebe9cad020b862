"""R-8.5, R-6: a draft that arrives for the curator's approval is announced to her at once — in the app and by
e-mail, with the term of the review — since the term is one working hour and the first reminder would come only
half-way through it. Whoever does an absent curator's work is told instead; a curator is not told of the draft
she sent herself (a common answer she composes)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from otklik.cases import actions
from otklik.cases.models import Case, Deadline, Notification, Violation
from otklik.cases.sla import sweep
from otklik.notify.models import Mail
from otklik.org.models import Absence, Person, Role
from tests.cases.helpers import dispatch, message
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

ANSWER = "Ирина, здравствуйте! Ремонт дороги на улице Ленина запланирован на июнь."
MON = msk(2025, 4, 28, 10, 0)  # Monday


def review_notices(person: object, case: Case) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=person, case=case, text__startswith="На согласовании").order_by(
            "id"
        )
    )


def curator_away_from_noon(p: Personas) -> Person:
    """The dispatching curator is on leave from Monday noon; a second curator, named on her absence, does her work."""
    second = make_person("curator2", p.office, Role.Kind.CURATOR, last_name="Смирнов")
    Absence.objects.create(
        person=p.curator,
        reason="vacation",
        starts_at=msk(2025, 4, 28, 12, 0),
        ends_at=msk(2025, 5, 5, 18, 0),
        substitute=second,
    )
    return second


def test_r8_5_the_curator_is_told_at_once_with_the_review_term(personas: Personas) -> None:
    """R-8.5: Алексеева sends her draft at 11:00 on Monday: the curator gets «на согласовании … до 28.04.2025
    12:00» (one working hour), linked to the review deadline, and a letter with it; a revised draft comes as
    version 2 with its own term."""
    p = personas
    p.curator.email = "curator@lenreg.example"
    p.curator.save(update_fields=["email"])
    case = dispatch(p.curator, p.health, at=MON)
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 11, 0))
    [told] = review_notices(p.curator, case)
    assert told.text == (
        f"На согласовании: ответ по обращению № {case.pk}, версия 1 (автор: {p.alice}). "
        "Согласуйте или верните на доработку до 28.04.2025 12:00."
    )
    assert told.kind == Notification.Kind.WORK
    assert told.deadline is not None and told.deadline.stage == Deadline.Stage.REVIEW
    letter = Mail.objects.filter(to=["curator@lenreg.example"]).order_by("id").last()
    assert letter is not None and f"обращение № {case.pk}" in letter.subject
    assert "Согласуйте или верните на доработку до 28.04.2025 12:00." in letter.text

    actions.return_draft(p.curator, draft, "Укажите сроки точнее.", now=msk(2025, 4, 28, 11, 30))
    actions.revise_draft(p.alice, draft, ANSWER + " Сроки: 1–15 июня.", now=msk(2025, 4, 28, 17, 30))
    first, second = review_notices(p.curator, case)
    assert first == told
    # sent at 17:30, half an hour before the day's end: the hour ends at 09:30 on Tuesday
    assert second.text.startswith(
        f"На согласовании: ответ по обращению № {case.pk}, версия 2 (автор: {p.alice})."
    )
    assert second.text.endswith("до 29.04.2025 09:30.")


def test_r6_an_absent_curators_substitute_is_told_instead(personas: Personas) -> None:
    """R-6: the dispatching curator is away from noon, a second curator does her work: he is told, with why."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    second = curator_away_from_noon(p)
    actions.submit_draft(p.alice, case, "interim", ANSWER, now=msk(2025, 4, 28, 14, 0))
    assert review_notices(p.curator, case) == []
    [told] = review_notices(second, case)
    assert told.text.startswith(f"На согласовании: промежуточный ответ по обращению № {case.pk}, версия 1")
    assert told.text.endswith(
        f"до 28.04.2025 15:00. Вы получили это вместо куратора {p.curator}: отсутствует до 05.05.2025 18:00."
    )
    # the review's reminders, half-way (14:30) and at 0.8 (14:48), go to him too
    sweep(now=msk(2025, 4, 28, 14, 50))
    reminded = Notification.objects.filter(case=case, kind=Notification.Kind.REMINDER)
    assert [n.recipient for n in reminded] == [second]
    assert "Вы получили это вместо куратора" in reminded[0].text


def test_r6_with_no_substitute_named_every_present_curator_is_told(personas: Personas) -> None:
    """R-6: the dispatching curator is away with no substitute named: the curators present are told (any of them
    may approve); one who is away too is not."""
    p = personas
    present = make_person("curator2", p.office, Role.Kind.CURATOR, last_name="Смирнов")
    away = make_person("curator3", p.office, Role.Kind.CURATOR, last_name="Тихонова")
    case = dispatch(p.curator, p.health, at=MON)
    for person in (p.curator, away):
        Absence.objects.create(
            person=person,
            reason="sick_leave",
            starts_at=msk(2025, 4, 28, 12, 0),
            ends_at=msk(2025, 4, 30, 18, 0),
        )
    actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 14, 0))
    assert [
        n.recipient for n in Notification.objects.filter(case=case, text__startswith="На согласовании")
    ] == [present]


def test_r8_9_the_curator_is_not_told_of_the_common_answer_she_composed(personas: Personas) -> None:
    """R-8.9: in the curator-composes mode the bodies' parts reach her as the parts do; the common answer she
    writes herself is not announced to her."""
    p = personas
    routes = [actions.Route(p.health, 1), actions.Route(p.roads, 1)]
    case = actions.dispatch_case(
        p.curator,
        [message()],
        routes,
        now=MON,
        multi_mode=Case.MultiMode.COMMON_BY_CURATOR,
    )
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=MON + timedelta(hours=1))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=MON + timedelta(hours=2))
    case.refresh_from_db()
    assert case.composer == p.curator
    before = len(review_notices(p.curator, case))
    actions.submit_draft(p.curator, case, "answer", ANSWER, now=MON + timedelta(hours=3))
    assert len(review_notices(p.curator, case)) == before


def test_r8_5_the_review_queue_says_what_waits_and_from_whom(client: Client, personas: Personas) -> None:
    """R-8.5 (a walk: «the approval queue does not say the draft's kind or body»): each row names the kind and
    version of the draft on review, its body and its author."""
    p = personas
    first = dispatch(p.curator, p.health, at=MON)
    second = dispatch(p.curator, p.roads, at=MON)
    actions.submit_draft(p.alice, first, "interim", ANSWER, now=msk(2025, 4, 28, 11, 0))
    draft = actions.submit_draft(p.dave, second, "answer", ANSWER, now=msk(2025, 4, 28, 11, 5))
    actions.return_draft(p.curator, draft, "Уточните сроки.", now=msk(2025, 4, 28, 11, 10))
    actions.revise_draft(p.dave, draft, ANSWER + " Срок — июнь.", now=msk(2025, 4, 28, 11, 20))
    client.force_login(p.curator)
    page = client.get(reverse("cases:review_queue")).content.decode()
    cells = [
        re.sub(r"<[^>]+>", " ", c).split()
        for c in re.findall(r'data-testid="waiting">(.*?)</td>', page, re.S)
    ]
    assert [" ".join(c) for c in cells] == [
        f"промежуточный ответ, версия 1 {p.health} · {p.alice}",
        f"ответ, версия 2 {p.roads} · {p.dave}",  # revised after the return
    ]


def test_r12_a_review_missed_while_the_curator_is_away_is_her_substitutes(personas: Personas) -> None:
    """R-8.5, R-12 (a review): the substitute curator named on her absence was told to approve; when the hour runs
    out the violation is his, not nobody's, and the absent curator gets no breach notice."""
    p = personas
    case = dispatch(p.curator, p.health, at=MON)
    second = curator_away_from_noon(p)
    actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 14, 0))
    sweep(now=msk(2025, 4, 28, 15, 30))
    violation = Violation.objects.get(case=case, rid="R-8.5")
    assert violation.person == second
    assert f"Вместо куратора {p.curator} к сроку 28.04.2025 15:00 согласовывал {second}" in violation.note
    assert not Notification.objects.filter(recipient=p.curator, kind=Notification.Kind.BREACH).exists()
    assert Notification.objects.filter(recipient=second, kind=Notification.Kind.BREACH).exists()
