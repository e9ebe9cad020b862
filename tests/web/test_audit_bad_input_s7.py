"""Bad input audit (s7): forms, webhooks and commands given what people and networks really send by mistake —
a control character pasted with a text, a search with one, a webhook body that is JSON but not an event, a
moment out of any calendar, a negative interval. Each gets a Russian refusal (or is cleaned and kept), never a
server error or a traceback, and a message that cannot be parsed is kept in the quarantine (R-4)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from otklik.analysis.models import Decision
from otklik.cases import actions
from otklik.cases.models import Assignment, Case, CaseEvent, Draft, Review
from otklik.governor import service
from otklik.governor.models import Comment
from otklik.intake.models import Message, Quarantine, Source
from otklik.org.models import Person
from tests.cases.helpers import dispatch, message
from tests.conftest import Personas, msk
from tests.governor.helpers import (
    HEALTH_QUESTION,
    HEALTH_TOPIC,
    ROADS_TOPIC,
    comment,
    competence,
    governor_post,
    governor_source,
)

pytestmark = pytest.mark.django_db

# A text as it comes from a clipboard that carried a NUL (a PDF, an old editor): PostgreSQL refuses to store it.
PASTED = "Здравствуйте, Ирина!\x00 Ремонт дороги запланирован на июнь."
CLEAN = "Здравствуйте, Ирина! Ремонт дороги запланирован на июнь."
ANSWER = "Здравствуйте, Ирина! Ремонт запланирован на июнь."


def signed_in(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(Person.objects.get(username=username))
    return client


def no_nul_anywhere(*values: Any) -> bool:
    return all("\x00" not in json.dumps(v, ensure_ascii=False, default=str) for v in values)


# ------------------------------------------------------------------------------------ the inbox search


def test_r8_1_inbox_search_with_a_pasted_control_character_finds_instead_of_failing(
    personas: Personas,
) -> None:
    """R-8.1: the curator pastes a fragment with a NUL into the inbox search: the inbox shows what the words
    find (the search was a server error: SQLite's full-text query refused the character)."""
    m = message("Когда отремонтируют дорогу в Гатчине? Ямы по колено.")
    other = message("Нет света на улице Ленина в Луге.")
    response = signed_in("curator").get("/cases/inbox/", {"q": "дорогу в Гатч\x00ине"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"/cases/inbox/{m.pk}/dispatch/" in page and f"/cases/inbox/{other.pk}/dispatch/" not in page


# ------------------------------------------------------------------------- free text with a NUL in it


def test_r8_4_a_draft_pasted_with_a_nul_is_saved_without_it(personas: Personas) -> None:
    """R-8.4: the executor's draft (and its measures) pasted with a NUL is sent to the curator, the character
    dropped; it was a server error on PostgreSQL and a NUL stored in the answer on SQLite."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    response = signed_in("alice").post(
        f"/cases/{case.pk}/draft/",
        {"text": PASTED, "kind": "answer", "measures": "Ямочный\x00 ремонт", "version": case.version},
    )
    assert response.status_code == 302
    draft = Draft.objects.get(case=case)
    assert (draft.text, draft.measures) == (CLEAN, "Ямочный ремонт")


def test_r8_5_review_comment_reason_and_close_with_a_nul_are_kept_without_it(personas: Personas) -> None:
    """R-8.5, R-8.6, R-8.9: the curator's return comment, the executor's refusal reason and the curator's closing
    reason, each pasted with a NUL, are recorded without it (each was a server error on PostgreSQL)."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
    case.refresh_from_db()
    curator = signed_in("curator")
    back = curator.post(
        f"/cases/{case.pk}/drafts/{draft.pk}/review/",
        {"decision": "return", "comment": "Уточните\x00 сроки", "version": case.version},
    )
    assert back.status_code == 302
    assert Review.objects.get(draft=draft).comment == "Уточните сроки"

    other = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    a = other.assignments.get()
    refused = signed_in("alice").post(
        f"/cases/{other.pk}/assignments/{a.pk}/reject/",
        {"reason": "Не наша\x00 компетенция", "version": other.version},
    )
    assert refused.status_code == 302
    a.refresh_from_db()
    assert a.state == Assignment.State.REJECTED
    assert no_nul_anywhere(
        a.reject_reason, list(CaseEvent.objects.filter(case=other).values_list("reason", flat=True))
    )

    third = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    closed = curator.post(f"/cases/{third.pk}/close/", {"reason": "Дубль\x00", "version": third.version})
    assert closed.status_code == 302
    third.refresh_from_db()
    assert third.status == Case.Status.CLOSED
    assert no_nul_anywhere(list(CaseEvent.objects.filter(case=third).values_list("reason", flat=True)))


def test_r8_8_an_authors_reply_pasted_with_a_nul_is_added_without_it(personas: Personas) -> None:
    """R-8.8: the author's reply to a clarification request, pasted with a NUL, joins the case without it."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(
        p.alice, case, "clarification", "Здравствуйте, Ирина! Уточните адрес.", now=msk(2025, 4, 28, 10, 0)
    )
    actions.approve_draft(p.curator, draft, "", now=msk(2025, 4, 28, 10, 30))
    actions.confirm_publication(
        p.alice, draft, url="https://vk.com/wall-1_1?reply=9", now=msk(2025, 4, 28, 11)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    response = signed_in("curator").post(
        f"/cases/{case.pk}/reply/", {"text": "Гатчина,\x00 ул. Чкалова, 5", "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status != Case.Status.AWAITING_AUTHOR
    reply = Message.objects.get(cases=case, external_id__startswith=f"case-{case.pk}-reply")
    assert reply.text == "Гатчина, ул. Чкалова, 5" and "\x00" not in reply.text_raw


def test_r10_a_moderation_reason_pasted_with_a_nul_is_recorded_without_it(personas: Personas) -> None:
    """R-10: the curator excludes a message with a reason that carries a NUL: the decision is recorded (it was
    a server error on PostgreSQL, whose JSON refuses \\u0000)."""
    m = message()
    response = signed_in("curator").post(
        f"/cases/inbox/{m.pk}/moderation/", {"decision": "block", "reason": "Реклама\x00 магазина"}
    )
    assert response.status_code == 302
    decision = Decision.objects.get(message=m)
    assert no_nul_anywhere(decision.value)
    assert "Реклама магазина" in json.dumps(decision.value, ensure_ascii=False)


@pytest.fixture
def question(personas: Personas) -> Case:
    competence(personas.health, *HEALTH_TOPIC)
    competence(personas.roads, *ROADS_TOPIC)
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30))
    service.open_watches(now=msk(2024, 11, 1, 17, 31))
    asked = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    case = Comment.objects.get(message=asked).case
    assert case is not None
    return case


def test_r7_1_an_answer_to_the_governors_post_pasted_with_a_nul_is_saved_without_it(
    personas: Personas, question: Case
) -> None:
    """R-7.1: the executor's answer to a question under the Governor's post, pasted with a NUL, is saved."""
    response = signed_in("alice").post(
        f"/governor/questions/{question.pk}/answer/", {"text": PASTED, "version": question.version}
    )
    assert response.status_code == 302
    assert Draft.objects.get(case=question).text == CLEAN


def test_r7_2_handover_and_joining_with_a_nul_in_the_reason_are_recorded(
    personas: Personas, question: Case
) -> None:
    """R-7.2: a question handed over, or joined by another body, with a reason pasted with a NUL."""
    p = personas
    joined = signed_in("dave").post(
        f"/governor/questions/{question.pk}/join/", {"body": p.roads.pk, "reason": "Дорога\x00 тоже наша"}
    )
    assert joined.status_code == 302
    assert question.assignments.filter(body=p.roads).exists()
    handed = signed_in("alice").post(
        f"/governor/questions/{question.pk}/handover/",
        {"body": p.roads.pk, "reason": "Это\x00 не поликлиника", "part": p.health.pk},
    )
    assert handed.status_code == 302
    assert no_nul_anywhere(list(CaseEvent.objects.filter(case=question).values_list("reason", flat=True)))


# ------------------------------------------------------------------------------------------- webhooks


@pytest.fixture
def vk_group() -> Source:
    return Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Здравоохранение ЛО",
        external_id="200000001",
        config={"group_id": 200000001, "callback_secret": "demo-callback-secret"},
    )


@pytest.fixture
def tg_channel() -> Source:
    return Source.objects.create(
        network="telegram",
        kind=Source.Kind.CHANNEL,
        title="Здравоохранение ЛО (Telegram)",
        config={"webhook_secret": "tg-secret"},
    )


def vk_post(body: bytes) -> Any:
    return Client().post("/integrations/vk/callback/", data=body, content_type="application/json")


def tg_post(source: Source, body: bytes) -> Any:
    return Client().post(
        f"/integrations/telegram/webhook/{source.pk}/",
        data=body,
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": "tg-secret"},
    )


@pytest.mark.parametrize("body", [b"[]", b'"wall_reply_new"', b"null", b"42"])
def test_r4_a_vk_callback_that_is_json_but_not_an_event_is_refused_and_not_stored(
    vk_group: Source, body: bytes
) -> None:
    """R-4: a body that is valid JSON but no event object names no community and carries no secret: anyone could
    send it, so it is refused with 400 and not stored (session 19: strangers filled the quarantine with such
    bodies); VK delivers again what it did not get «ok» for, so a real delivery cut on its way is not lost."""
    response = vk_post(body)
    assert response.status_code == 400
    assert not Quarantine.objects.exists()


def test_r4_a_telegram_update_that_is_json_null_is_kept_in_the_quarantine(tg_channel: Source) -> None:
    """R-4: the same for the Telegram webhook: `null` was taken for an already quarantined body and dropped."""
    assert tg_post(tg_channel, b"null").status_code == 200
    assert Quarantine.objects.get().network == "telegram"


# ------------------------------------------------------------------------------------------- commands


def run(*argv: str) -> str:
    out = io.StringIO()
    call_command(*argv, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize("command", ["sweep_deadlines", "governor_checks"])
@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "0001-01-01T00:00+14:00", "9999-12-31T23:59-12:00"])
def test_r8_3_a_now_outside_any_calendar_is_refused_in_russian(command: str, moment: str) -> None:
    """R-8.3, R-7.4: `--now 0001-01-01` (a typo in the year) was an OverflowError traceback."""
    with pytest.raises(CommandError) as info:
        run(command, "--now", moment, *(["--no-fetch"] if command == "governor_checks" else []))
    assert "--now" in str(info.value) and moment in str(info.value)


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "сорок"])
def test_r4_a_negative_or_not_a_number_interval_is_refused_before_anything_runs(value: str) -> None:
    """R-4: `otklik ingest --loop -1` read the sources once and died with «sleep length must be non-negative»
    (a traceback); `otklik clock --tick -1` enqueued every periodic job and died the same way."""
    with pytest.raises(CommandError) as info:
        run("ingest", "--loop", value, "--passes", "2")
    assert "--loop" in str(info.value) and "секунд" in str(info.value)
    with pytest.raises(CommandError) as info:
        run("clock", "--tick", value)
    assert "--tick" in str(info.value) and "секунд" in str(info.value)


def test_r4_a_clock_tick_of_zero_is_refused_and_a_loop_of_zero_is_one_pass() -> None:
    """R-4: `clock --tick 0` would keep a processor busy checking the schedule; `ingest --loop 0` is the
    documented single pass and stays allowed."""
    with pytest.raises(CommandError) as info:
        run("clock", "--tick", "0")
    assert "больше нуля" in str(info.value)
    assert run("ingest", "--loop", "0") == ""  # no sources: nothing to say, and no error


def test_r4_ingest_of_a_source_that_is_not_there_says_so(personas: Personas) -> None:
    """R-4: `otklik ingest --source 999` (a mistyped id) printed nothing and succeeded; so did an inactive or an
    import source, which ingestion never reads."""
    imported = Source.objects.create(network="other", kind="import", title="Импорт файлов")
    stopped = Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Закрытое сообщество",
        external_id="5",
        is_active=False,
    )
    for missing, words in [(999, "не найден"), (imported.pk, "не читается"), (stopped.pk, "отключён")]:
        with pytest.raises(CommandError) as info:
            run("ingest", "--source", str(missing))
        assert str(missing) in str(info.value) and words in str(info.value)
