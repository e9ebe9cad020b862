"""The case page as the walk of 2026-11-30 read it (R-6, R-8.3–8.6, R-10):

- a deadline set before the working day showed its start (06:41) with nothing saying the count began at 09:00;
- an open deadline of a person on sick leave named her alone: nobody could tell who does the work now;
- every replaced version of a draft was shown in full (a page 6,900 px tall);
- the curator's own exclusion of a message read «причина не указана»."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from otklik.analysis.models import Kind
from otklik.cases import actions
from otklik.org.models import Absence, Person
from tests.cases.helpers import dispatch, message
from tests.cases.test_inbox_suggestions import suggest
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте, Ирина! Ремонт дороги запланирован на июнь, подрядчик определён."


def page(person: Person, url: str) -> str:
    client = Client()
    client.force_login(person)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def deadline_row(text: str, stage: str) -> str:
    row = re.search(rf'<tr data-stage="{stage}">(.*?)</tr>', text, re.S)
    assert row is not None, stage
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row.group(1))).split())


def test_a_deadline_set_before_the_working_day_says_when_its_count_began(personas: Personas) -> None:
    """R-8.3, R-8.4: sent on Monday 28.04.2025 at 06:41, the draft's 5 working hours count from 09:00; one sent at
    10:00 started counting at once and says nothing more."""
    p = personas
    early = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 6, 41))
    row = deadline_row(page(p.curator, reverse("cases:detail", args=[early.pk])), "draft")
    assert "28.04.2025 06:41 отсчёт с 28.04.2025 09:00" in row, row
    later = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    assert "отсчёт с" not in deadline_row(page(p.curator, reverse("cases:detail", args=[later.pk])), "draft")


def test_an_open_deadline_of_someone_away_names_who_does_the_work(personas: Personas) -> None:
    """R-6: Alice's draft deadline is open; she is on sick leave from an hour ago with Bob as her substitute. The
    case page names her and says Bob does the work now; once she is back, it names her alone."""
    p = personas
    case = actions.dispatch_case(
        p.curator, [message()], [actions.Route(p.health, executor=p.alice)], now=timezone.now()
    )
    url = reverse("cases:detail", args=[case.pk])
    assert "отсутствует" not in deadline_row(page(p.curator, url), "draft")
    Absence.objects.create(
        person=p.alice,
        reason=Absence.Reason.SICK_LEAVE,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(days=3),
        substitute=p.bob,
    )
    row = deadline_row(page(p.curator, url), "draft")
    assert f"{p.alice}" in row and f"сейчас отсутствует; работу выполняет {p.bob}" in row, row


def test_a_replaced_version_is_folded_and_the_current_one_is_shown(personas: Personas) -> None:
    """R-8.5, R-8.6: a draft returned and revised: the first version's text is folded under «Текст версии 1
    (заменён доработанным)»; the revision is shown open."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    first = actions.submit_draft(
        p.alice, case, "answer", "Здравствуйте! Разберёмся.", now=msk(2025, 4, 28, 11, 0)
    )
    actions.return_draft(p.curator, first, "Напишите по существу", now=msk(2025, 4, 28, 11, 10))
    actions.revise_draft(p.alice, first, ANSWER, now=msk(2025, 4, 28, 11, 30))
    text = page(p.curator, reverse("cases:detail", args=[case.pk]))
    folded = re.findall(r'<details data-testid="replaced-version">(.*?)</details>', text, re.S)
    assert len(folded) == 1 and "Текст версии 1 (заменён доработанным)" in folded[0]
    assert "Разберёмся." in folded[0] and ANSWER not in folded[0]
    assert ANSWER in text


def test_a_message_the_curator_excluded_says_so(personas: Personas, client: Client) -> None:
    """R-10: the curator excludes a message the moderation let through; the excluded list gives the curator's
    exclusion and her reason, not «причина не указана»."""
    m = message("Вы все там бездельники, ничего не делаете")
    suggest(m, Kind.MODERATION, {"blocked": False, "reasons": [], "score": 0.4}, 0.6)
    client.force_login(personas.curator)
    sent = client.post(
        reverse("cases:moderation", args=[m.pk]), {"decision": "block", "reason": "оскорбление"}
    )
    assert sent.status_code in (200, 302)
    excluded = client.get(reverse("cases:inbox") + "?filter=excluded").content.decode()
    reasons = re.search(r'<td data-testid="reasons">(.*?)</td>', excluded, re.S)
    assert reasons is not None
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", reasons.group(1))).split())
    assert words.startswith("исключено куратором") and "оскорбление" in words, words
    assert "причина не указана" not in words


def test_my_queue_says_who_works_for_someone_away(personas: Personas) -> None:
    """R-6: Alice is on sick leave with Bob as her substitute. Bob's «Мои обращения» lists her case (his body's)
    under her name and says that he does her work now; Charlie, a colleague, reads that Bob does it."""
    p = personas
    case = actions.dispatch_case(
        p.curator, [message()], [actions.Route(p.health, executor=p.alice)], now=timezone.now()
    )
    Absence.objects.create(
        person=p.alice,
        reason=Absence.Reason.SICK_LEAVE,
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(days=3),
        substitute=p.bob,
    )

    def note(person: Person) -> list[str]:
        text = page(person, reverse("cases:my_queue"))
        row = re.search(rf'<tr data-case="{case.pk}".*?</tr>', text, re.S)
        assert row is not None
        return re.findall(r'<span class="badge warn" data-testid="away">(.*?)</span>', row.group(0))

    assert note(p.bob) == [f"{p.alice}: отсутствует — работу выполняете вы"]
    assert note(p.charlie) == [f"{p.alice}: отсутствует — работу выполняет {p.bob}"]
    Absence.objects.all().delete()
    assert note(p.bob) == []


def test_a_search_that_finds_only_excluded_messages_points_to_them(
    personas: Personas, client: Client
) -> None:
    """R-10, R-8.1: the curator looks for a message the moderation excluded; the inbox finds nothing there and says
    how many excluded messages match, with the link to them, where the message is."""
    from tests.cases.test_inbox_suggestions import blocked_message

    bad = blocked_message()
    message("Когда починят дорогу в Гатчине?")
    client.force_login(personas.curator)
    inbox = client.get(reverse("cases:inbox") + "?q=мразь").content.decode()
    note = re.search(r'<span data-testid="among-excluded">(.*?)</span>', inbox, re.S)
    assert note is not None, inbox
    assert "Среди исключённых модерацией: 1" in note.group(1)
    link = html.unescape(re.search(r'href="([^"]+)"', note.group(1)).group(1))  # type: ignore[union-attr]
    excluded = client.get(link).content.decode()
    assert f'data-message="{bad.pk}"' in excluded
    nothing = client.get(reverse("cases:inbox") + "?q=трамвай").content.decode()
    assert "Ничего не найдено" in nothing and "among-excluded" not in nothing
