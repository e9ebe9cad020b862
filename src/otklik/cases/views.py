"""Staff pages of the case workflow. Views validate input, call one action, and show the result; every
case is looked up through `scoping.cases_for` so a case of another body is a 404 on every URL."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from types import SimpleNamespace
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import (
    Aggregate,
    CharField,
    Exists,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from otklik.analysis.models import Decision, Kind, Suggestion
from otklik.analysis.pipeline import blocked_ids, suggestions_for, suggestions_for_many
from otklik.answers.checker import check_answer
from otklik.intake.attachments import links
from otklik.intake.manual import external_id_of, find_stored, network_of, on_network
from otklik.intake.models import Message, Network
from otklik.intake.text import to_str, web_link
from otklik.notify.models import Alert
from otklik.org.duty import MOVED, WORKING_ROLES, DutyReason, on_duty
from otklik.org.models import Absence, Body, Municipality, Person, Role, Settlement, Topic, TopicGroup
from otklik.web import search
from otklik.web.numbers import hours_minutes, record_number, short_moment, whole_number
from otklik.web.templatetags.otklik_tags import work_hours
from otklik.web.typed import posted_text
from otklik.worktime.engine import WorkTime
from otklik.worktime.service import worktime_for, worktime_then, worktimes_then

from . import actions, attachments, scoping, similar, sla, suggest
from .actions import ActionRefused, Route
from .inbox import inbox_filter, unrouted, unrouted_messages
from .models import (
    BODY_ANSWER,
    OPEN_DEADLINE,
    WHOLE_OBLAST,
    Assignment,
    Case,
    CaseEvent,
    CaseMessage,
    Deadline,
    Draft,
    Notification,
    Publication,
    Review,
)
from .paging import QuickPage, page_number, page_of

PAGE = 50
log = logging.getLogger(__name__)


class _View(Protocol):
    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase: ...


def _me(request: HttpRequest) -> Person:
    user = request.user
    assert isinstance(user, Person)
    return user


def curator_only(view: _View) -> _View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not _me(request).is_curator:
            raise Http404
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _page(request: HttpRequest, qs: Any, *, ids_first: bool = False) -> QuickPage[Any]:
    return page_of(request, qs, PAGE, ids_first=ids_first)


def _engine(deadline: Deadline, engines: dict[int | None, WorkTime]) -> WorkTime:
    """The working-time engine of the deadline's body, memoised in `engines` for one page: `worktime_then` checks
    the calendar corrections in the database on every call, which would be two queries per row of a list. It counts
    each moment by the hours the body worked by then: the time a deadline is overdue by reads as «Мои нарушения»
    counts it after the body's hours changed; what is left is counted by the present hours."""
    engine = engines.get(deadline.body_id)
    if engine is None:
        engine = engines[deadline.body_id] = worktime_then(deadline.body)
    return engine


def remaining_text(
    deadline: Deadline, now: datetime, engines: dict[int | None, WorkTime] | None = None
) -> tuple[int, str]:
    """Working minutes left (negative when overdue) in the body's working time, and the words for it («осталось
    45 мин», «осталось 3 ч 05 мин»); more than a working day, left or late, also in working days («осталось 63 ч
    36 мин (≈ 8 раб. дн.)», «просрочено на 31 ч 10 мин (≈ 4 раб. дн.)») — as «Мои обращения» counts them.
    `engines` memoises the engine per body for one page (`_engine`)."""
    engine = _engine(deadline, {} if engines is None else engines)
    left = engine.between(now, deadline.due_at)
    if deadline.due_at <= now:
        late = -left
        if late == 0:  # passed after the working day ended: no working minute of lateness yet
            return left, f"срок истёк {timezone.localtime(deadline.due_at):%d.%m.%Y %H:%M}"
        text = f"просрочено на {hours_minutes(late)}"
        if late > WORKING_DAY_MINUTES:  # «3143 ч» alone says little: about how many working days too
            text += f" ({_days_text(late)})"
        return left, text
    days = _days_text(left)
    return left, f"осталось {hours_minutes(left)}" + (f" ({days})" if days else "")


# ---------------------------------------------------------------------------------------------- lists
@dataclass
class InboxRow:
    message: Message
    found: dict[
        str, Any
    ]  # analysis suggestions_for_many: the machine's suggestions and the curator's decisions
    hints: dict[str, str]
    files: int  # the message's attachments: a photo without text is still a message to read
    answered: str = ""  # the text a short comment's suggestions were read with (`suggest.answered`)


INBOX_FILTERS = (("", "К распределению"), ("excluded", "Исключённые (модерация)"))


@curator_only
def inbox(request: HttpRequest) -> HttpResponse:
    """R-8.1: incoming messages not yet in a case, newest first, with filters and the machine's suggestions.
    R-10: messages the moderation blocked are not here but under "Исключённые (модерация)", with reasons."""
    picked = [n for n in (whole_number(x) for x in request.GET.getlist("pick")) if n]
    # a picked message a colleague has sent meanwhile, or (R-10) excluded meanwhile — the form would refuse to send
    # it —, is said and left out; the others still go on the form
    taken = CaseMessage.objects.filter(message_id__in=picked).values_list("message_id", "case_id")
    left_out = {n: f"уже направлено: обращение № {case_id}" for n, case_id in taken}
    excluded_now = actions.excluded_by_curator([n for n in picked if n not in left_out])
    left_out.update((n, f"{said}: на форму не взято") for n, said in excluded_now.items())
    # ... and one the moderation excluded meanwhile (an author's edit into abuse, R-10)
    blocked_now = blocked_ids([n for n in picked if n not in left_out])
    left_out.update((n, "исключено модерацией (п. 10): на форму не взято") for n in blocked_now)
    if left_out:
        picked = [n for n in picked if n not in left_out]
        for n, why in sorted(left_out.items()):
            messages.info(
                request,
                f"Сообщение № {n} {why}." + (" Остальные выбранные сообщения — на форме." if picked else ""),
            )
        if not picked:
            return redirect(_inbox_back(request.GET.get("back", "")))
    if picked:  # «Объединить выбранные»: one case for several messages about one issue (R-8.1)
        # the earliest written leads (the form is filled from it, the case is named by it): the first complaint,
        # not a later «поддерживаю» above it in the newest-first list
        picked = (
            list(
                Message.objects.filter(pk__in=picked)
                .order_by(Coalesce("published_at", "received_at"), "id")
                .values_list("pk", flat=True)
            )
            or picked
        )
        back = _inbox_back(request.GET.get("back", "")).partition("?")[2]
        query = urlencode([("also", n) for n in picked[1:]] + ([("back", back)] if back else []))
        return redirect(reverse("cases:dispatch", args=[picked[0]]) + (f"?{query}" if query else ""))
    if "combine" in request.GET:
        messages.error(request, "Отметьте сообщения, которые нужно направить одним обращением.")
    excluded = request.GET.get("filter") == "excluded"
    qs: QuerySet[Message] = unrouted_messages(excluded=excluded).only(
        "id",
        "network",
        "author_name",
        "author_id",
        "text",
        "url",
        "published_at",
        "received_at",
        "attachments",
        "deleted_at",
        "deleted_how",
        "deleted_by",
        "parse_error",
        "reply_to",
        "post",
    )
    if excluded:
        qs = _maybe_excluded(qs)
    network = request.GET.get("network", "")
    if network in Network.values:
        qs = qs.filter(network=network)
    q = to_str(request.GET.get("q", "")).strip()[: search.MAX_TYPED]
    if q:
        qs = _searched(qs, q)
    qs = qs.order_by("-received_at", "-id")
    with search.without_jit(bool(q)):
        page, older = _inbox_page(request, qs)
        # R-10: a message looked for but excluded by the moderation is not lost from sight: the empty result
        # says how many of the excluded match, with the link to them
        among_excluded = (
            _excluded_matching(q, network)
            if q and not excluded and not page.object_list and page.number == 1
            else 0
        )
    # a message's number looked for after it went into work: the empty result says which case has it
    number = _typed_number(q) if q and not page.object_list else None
    routed = (
        CaseMessage.objects.filter(message_id=number).values_list("case_id", flat=True).first()
        if number
        else None
    )
    shown = sorted(page.object_list, key=_arrival_order, reverse=True)
    found = suggestions_for_many(shown)
    allowed = set(Body.objects.filter(is_active=True, is_coordinator=False).values_list("id", flat=True))
    repeats = suggest.repeat_cases(found)
    answered = suggest.answered(shown, found)
    rows = [
        InboxRow(
            m,
            found[m.pk],
            suggest.hints(found[m.pk], allowed, repeats.get(m.pk)),
            len(links(m.attachments)),
            answered.get(m.pk, ""),
        )
        for m in shown
    ]
    return render(
        request,
        "cases/inbox.html",
        {
            "page_obj": page,
            "rows": rows,
            "networks": Network.choices,
            "network": network,
            "q": q,
            "filters": INBOX_FILTERS,
            "filter": "excluded" if excluded else "",
            "among_excluded": among_excluded,
            "routed": (number, routed) if routed else None,
            "excluded_link": _inbox_link(request, filter="excluded"),
            "older": older,
            "newest": _inbox_link(request),
        },
    )


def _arrival_order(m: Message) -> tuple[datetime, datetime, int]:
    """How the inbox's page lists its messages, newest first: by the minute they arrived, then as written. One read
    of a network stores its pages and their replies in several statements, each with its own `received_at`, so the
    arrival alone would put a thread's replies above newer comments; within a minute the time written orders them
    (the page itself is cut by arrival, `_inbox_page`)."""
    arrived = m.received_at.replace(second=0, microsecond=0)
    return arrived, m.published_at or m.received_at, m.pk


def _maybe_excluded(qs: QuerySet[Message]) -> QuerySet[Message]:
    """Only a message the moderation once blocked, or one a curator decided on, can be excluded now
    (`inbox_filter` still decides which are): a short list from the partial index `suggestion_blocked`, instead of
    testing every unrouted message of the year to learn there is no next page."""
    machine = Suggestion.objects.filter(kind=Kind.MODERATION, value__blocked=True)
    curator = Decision.objects.filter(kind=Kind.MODERATION)
    return qs.filter(Q(pk__in=machine.values("message_id")) | Q(pk__in=curator.values("message_id")))


EXCLUDED_SHOWN = 20  # «найдено среди исключённых: 20+» past this


def _excluded_matching(q: str, network: str) -> int:
    """How many excluded messages (R-10) match the inbox's search `q` (and network), up to EXCLUDED_SHOWN + 1."""
    qs = _maybe_excluded(unrouted_messages(excluded=True))
    if network in Network.values:
        qs = qs.filter(network=network)
    return len(_searched(qs, q).values_list("pk", flat=True)[: EXCLUDED_SHOWN + 1])


def _searched(qs: QuerySet[Message], q: str) -> QuerySet[Message]:
    """The inbox's messages matching a search (`web.search`: case, «ё»/«е», gaps; the author's name too); a number
    («210», «№ 210») is also the message's own number, which each row shows."""
    matching = search.messages_matching(qs, q)
    number = _typed_number(q)  # 0: a number no message can have
    return qs.filter(Q(pk=number) | Q(pk__in=matching.values("pk"))) if number else matching


def _inbox_link(request: HttpRequest, **extra: Any) -> str:
    """The inbox with the filters of this request (not the page, the picks) and `extra`."""
    keep = [(k, request.GET[k]) for k in ("filter", "network", "q") if request.GET.get(k)]
    query = urlencode([*keep, *((k, str(v)) for k, v in extra.items())])
    return reverse("cases:inbox") + (f"?{query}" if query else "")


def _page_after(
    request: HttpRequest, qs: QuerySet[Any], beyond: Callable[[datetime, int], Q], *, ids_first: bool = False
) -> QuickPage[Any]:
    """The page that continues after the last row the previous one showed («after»: its time and number, `beyond`
    the rows past it in the list's order), not at an offset: rows arriving or leaving meanwhile would otherwise be
    shown twice or skipped unseen. Without «after» (the first page, an old link by number) or with a hand-made one,
    the page by number."""
    stamp, _, last = request.GET.get("after", "").partition("~")
    last_id = whole_number(last)
    try:
        moment = datetime.fromisoformat(stamp) if last_id else None
    except ValueError:
        moment = None
    # a naive time, or a year 1 in another zone that overflows in UTC: a hand-made link, the first page
    if moment is None or last_id is None or timezone.is_naive(moment) or not 2000 <= moment.year <= 9000:
        return _page(request, qs, ids_first=ids_first)
    rows = list(qs.filter(beyond(moment, last_id))[: PAGE + 1])
    return QuickPage(rows[:PAGE], max(2, page_number(request.GET.get("page"))), len(rows) > PAGE)


def _inbox_page(request: HttpRequest, qs: QuerySet[Message]) -> tuple[QuickPage[Message], str]:
    """The inbox's page and the link to the next one. The next page continues after the last message shown
    («after»: its time and number), not at an offset: messages keep arriving at the top and colleagues keep
    taking messages out, and an offset would then show some messages twice and skip others unseen."""
    page = _page_after(request, qs, lambda at, pk: Q(received_at__lt=at) | Q(received_at=at, pk__lt=pk))
    older = ""
    if page.has_next and page.object_list:
        end = page.object_list[-1]
        older = _inbox_link(
            request, after=f"{end.received_at.isoformat()}~{end.pk}", page=page.next_page_number
        )
    return page, older


@curator_only
@require_POST
def moderation(request: HttpRequest, message_pk: int) -> HttpResponse:
    """R-10: the curator overturns the machine's exclusion (or excludes a message by hand); the decision is
    stored in `analysis` as training data."""
    with transaction.atomic():
        # R-8.1 with R-10: a colleague dispatching the message at this moment locks its row (`dispatch_case`); the
        # decision waits for it and sees the case, so the message never ends both in work and excluded
        list(Message.objects.select_for_update().filter(pk=message_pk).values_list("pk", flat=True))
        return _moderate(request, message_pk)


def _moderate(request: HttpRequest, message_pk: int) -> HttpResponse:
    block = request.POST.get("decision") == "block"
    reason = posted_text(request, "reason").strip()
    routed = CaseMessage.objects.filter(message_id=message_pk).values_list("case_id", flat=True).first()
    if routed is not None:
        # a colleague dispatched it meanwhile: say where it is (and what was typed), not «not found»
        typed = f" Указанная причина: «{reason[:300]}»." if reason else ""
        messages.error(
            request,
            f"Сообщение уже направлено: обращение № {routed}, из работы оно не исключено. Если отвечать на него "
            f"не нужно, закройте обращение с этой причиной.{typed}",
        )
        return redirect("cases:detail", routed)
    # R-10 with R-7.1: a comment under the Governor's post that the moderation excluded is returned here too
    from otklik.governor.models import Comment

    excluded_comment = Q(governor_comment__kind=Comment.Kind.BLOCKED, governor_comment__case__isnull=True)
    message = get_object_or_404(Message.objects.filter(unrouted() | excluded_comment), pk=message_pk)
    comment = Comment.objects.filter(message=message).first()
    if not reason:
        messages.error(request, "Укажите причину решения.")
    elif comment is not None:
        if not block:
            suggest.set_blocked(message, False, _me(request), reason)
            # triaged again by the next run of the checks, as an edited comment is: its term counts from then
            Comment.objects.filter(pk=comment.pk).update(triaged_text="")
            messages.success(
                request, "Исключение снято: комментарий будет разобран заново при следующей проверке."
            )
    else:
        suggest.set_blocked(message, block, _me(request), reason)
        messages.success(
            request, "Сообщение исключено из работы." if block else "Исключение снято, сообщение во входящих."
        )
    if comment is not None:
        return redirect("governor:post", comment.watch_id)
    return redirect(reverse("cases:inbox") + ("" if block else "?filter=excluded"))


@curator_only
def review_queue(request: HttpRequest) -> HttpResponse:
    """R-8.5: drafts waiting for the curator, the oldest deadline first. A question under the Governor's post
    waiting for its body's head (R-7.1) is not the curator's to approve and is left out."""
    due = Deadline.objects.filter(OPEN_DEADLINE, case=OuterRef("pk"), stage=Deadline.Stage.REVIEW).order_by(
        "due_at"
    )
    qs = (
        scoping.awaiting_review()
        .only("id", "summary")
        .annotate(review_due=Subquery(due.values("due_at")[:1]))
        .order_by("review_due", "id")
    )
    # the next page continues after the last draft shown: a colleague deciding a draft on page 1 meanwhile would
    # otherwise push one waiting draft past both pages
    page = _page_after(request, qs, lambda at, pk: Q(review_due__gt=at) | Q(review_due=at, pk__gt=pk))
    later = ""
    if page.has_next and page.object_list and page.object_list[-1].review_due is not None:
        end = page.object_list[-1]
        later = "?" + (
            urlencode({"after": f"{end.review_due.isoformat()}~{end.pk}", "page": page.next_page_number})
        )
    # what waits in each case: the kind, version, body and author of its draft on review (one query a page)
    waiting: dict[int, Draft] = {}
    for d in (
        Draft.objects.filter(case_id__in=[c.pk for c in page.object_list], state=Draft.State.SUBMITTED)
        .select_related("author", "assignment__body")
        .order_by("id")
    ):
        waiting[d.case_id] = d
    for c in page.object_list:
        c.waiting = waiting.get(c.pk)
        # its kind's label reads the case's mode (`Draft.kind_label`): no query a row
        if c.waiting is not None:
            c.waiting.case = c
    return render(
        request,
        "cases/review_queue.html",
        {"page_obj": page, "now": timezone.now(), "later": later, "first": reverse("cases:review_queue")},
    )


@dataclass
class QueueLine:
    """One open deadline of a case in «Мои обращения»: the stage, who answers for it and when it falls due."""

    deadline: Deadline
    left: int  # working minutes left, negative when overdue (`remaining_text`)
    left_text: str
    days: str = ""  # «≈ N раб. дн.» when more than a working day is left (`_days_text`)
    due_text: str = ""  # «до 03.12 14:00»; the year too when it is not this year's
    overdue: bool = False


@dataclass
class QueueRow:
    """A case of «Мои обращения» with every deadline of it the person works to, the nearest first."""

    case: Case
    lines: list[QueueLine]
    away: list[str] = field(
        default_factory=list
    )  # «Сидорова …: отсутствует — работу выполняет вы» (`_away_notes`)

    @property
    def overdue(self) -> bool:
        return any(line.overdue for line in self.lines)

    @property
    def responsible(self) -> list[str]:
        """Who answers for the deadlines, each once («—» for a deadline nobody's name is on)."""
        names = [str(line.deadline.responsible or "—") for line in self.lines]
        return list(dict.fromkeys(names))


WORKING_DAY_MINUTES = 8 * 60  # beyond this the due date and a rough count of days read better than minutes


def _days_text(left: int) -> str:
    """«≈ N раб. дн.» for more than a working day of working minutes left, else «» (the minutes say it)."""
    if left <= WORKING_DAY_MINUTES:
        return ""
    return f"≈ {max(1, math.floor(left / WORKING_DAY_MINUTES + 0.5))} раб. дн."


def _due_text(due: datetime, now: datetime) -> str:
    """«до 03.12 14:00» in Moscow time; «до 28.12.2025 14:00» when the year is not the current one."""
    local, today = timezone.localtime(due), timezone.localtime(now)
    return f"до {local:%d.%m.%Y %H:%M}" if local.year != today.year else f"до {local:%d.%m %H:%M}"


@login_required
def my_queue(request: HttpRequest) -> HttpResponse:
    """My queue: the cases with open deadlines of my bodies or of my own (a curator's approvals, R-8.5), one row
    a case, overdue first, then the nearest. A case has several open deadlines at once (the draft's 5 working
    hours inside the whole answer's 9, R-8.3–8.4): the row lists each with its stage, so a case is not two rows.
    Each row says the case's state, so a draft waiting for the curator's approval does not look like the
    executor's work; a deadline more than a working day away shows its date and about how many working days are
    left, not a count of hours."""
    me = _me(request)
    now = timezone.now()
    mine = scoping.my_deadlines(me)
    show = request.GET.get("show", "")
    shown = mine
    if (
        show in scoping.DUE_SHOWN
    ):  # a figure of the home page: its cases only, each with all its open deadlines
        shown = mine.filter(case_id__in=scoping.due_now(mine, show, now).values("case_id"))
    order = shown.order_by().values("case_id").annotate(nearest=Min("due_at")).order_by("nearest", "case_id")
    page = _page(request, order)
    case_ids = [entry["case_id"] for entry in page.object_list]
    lines: dict[int, list[QueueLine]] = {pk: [] for pk in case_ids}
    engines: dict[int | None, WorkTime] = {}
    cases: dict[int, Case] = {}
    deadlines = (
        mine.filter(case_id__in=case_ids)
        .select_related("case", "responsible", "body")
        .annotate(**_duty_marks(now))
    )
    for d in deadlines.order_by("due_at", "id"):
        cases[d.case_id] = d.case
        left, text = remaining_text(d, now, engines)
        late = d.due_at <= now
        lines[d.case_id].append(
            QueueLine(d, left, text, "" if late else _days_text(left), _due_text(d.due_at, now), late)
        )
    notes = _away_notes([line for pk in case_ids for line in lines[pk]], now, me)
    rows = [
        QueueRow(
            cases[pk],
            lines[pk],
            list(
                dict.fromkeys(
                    notes[n]
                    for line in lines[pk]
                    if (n := (line.deadline.responsible_id or 0, line.deadline.body_id)) in notes
                )
            ),
        )
        for pk in case_ids
        if pk in cases
    ]
    return render(
        request,
        "cases/my_queue.html",
        {"page_obj": page, "rows": rows, "now": now, "shown": scoping.DUE_SHOWN.get(show, "")},
    )


def _duty_marks(now: datetime) -> dict[str, Exists]:
    """Read with the deadlines of «Мои обращения», for `_away_notes`: whether the deadline's responsible person has
    an absence now (`absent_ids`' rule), and whether they still hold an executor's or a responsible official's role
    in its body or are a curator (`moved_ids`' rule), so that `on_duty` is asked about the suspects only and the
    page runs no query of its own for them when everybody is at work."""
    person = OuterRef("responsible_id")
    role = Q(kind__in=WORKING_ROLES, body_id=OuterRef("body_id")) | Q(kind=Role.Kind.CURATOR)
    return {
        "responsible_absent": Exists(
            Absence.objects.filter(person_id=person, starts_at__lte=now, ends_at__gt=now)
        ),
        "responsible_in_body": Exists(Role.objects.filter(role, person_id=person)),
    }


def _away_notes(lines: list[QueueLine], now: datetime, me: Person) -> dict[tuple[int, int | None], str]:
    """R-6: for each person named on a deadline of the page who is not on duty now for its body, who does their
    work, as the reminders find it (`on_duty`): «Сидорова Анна: отсутствует — работу выполняете вы», and for a
    switched-off account or a role taken off, said as it is («учётная запись отключена», «роль в органе снята»,
    «больше не работает в органе»). Keyed by (person, body). `on_duty` is asked only about those the page's query
    marked (`_duty_marks`) or whose account is off; it decides."""
    suspects: dict[tuple[int, int | None], Deadline] = {}
    for line in lines:
        d = line.deadline
        person = d.responsible
        if person is None:
            continue
        absent = getattr(d, "responsible_absent", False)
        moved = d.body_id is not None and not getattr(d, "responsible_in_body", True)
        if not person.is_active or absent or moved:
            suspects.setdefault((person.pk, d.body_id), d)
    notes = {}
    for key, d in suspects.items():
        person = d.responsible
        assert person is not None
        duty = on_duty(person, now, d.body_id)
        if duty.reason is DutyReason.PRESENT:  # e.g. back since the page's query
            continue
        if not person.is_active:
            state = "учётная запись отключена"
        elif getattr(d, "responsible_absent", False):
            state = "отсутствует"
        elif person.body_id == d.body_id:
            state = "роль в органе снята"
        else:
            state = MOVED
        if sla.curators_work(d):
            # a curators' work is shared among those present (R-6), as the case page says (`_deadline_notes`)
            doing = sla.curators_doing(d, now)[0]
            if any(c.pk == me.pk for c in doing):
                who = "работу выполняете вы" if len(doing) == 1 else "работу выполняет любой куратор на месте"
            elif len(doing) == 1:
                who = f"работу выполняет {doing[0]}"
            elif doing:
                who = "работу выполняет любой куратор на месте"
            else:
                who = "кураторов на месте нет"
        elif duty.person is None:
            who = "в органе никого нет на месте, нужно решение куратора"
        elif duty.person.pk == me.pk:
            who = "работу выполняете вы"
        else:
            who = f"работу выполняет {duty.person}"
        notes[key] = f"{person}: {state} — {who}"
    return notes


@dataclass
class CaseRow:
    case: Case
    bodies: list[tuple[int, str]]  # (id, name) of the bodies working on the case now
    due: datetime | None = None  # the nearest open deadline
    left_text: str = ""
    overdue: bool = False


_SEP = "\x1f"  # between the bodies of one case in the `_joined` column (no name holds it)


class _Joined(Aggregate):
    """The strings of a group joined with a separator: SQLite's GROUP_CONCAT, PostgreSQL's STRING_AGG."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def __init__(self, expression: Any, separator: str) -> None:
        super().__init__(expression, Value(separator))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra)


def _bodies_column() -> Subquery:
    """«id:name» of each body working on the case (not those that refused or were replaced), one string."""
    name = Coalesce(NullIf("body__short_name", Value("")), "body__name")
    entry = Concat(Cast("body_id", CharField()), Value(":"), name, output_field=CharField())
    joined = (
        Assignment.objects.filter(case=OuterRef("pk"))
        .exclude(state__in=Assignment.GONE)
        .order_by()
        .values("case")
        .annotate(joined=_Joined(entry, _SEP))
        .values("joined")
    )
    return Subquery(joined, output_field=TextField())


def _bodies_of(joined: str | None) -> list[tuple[int, str]]:
    out = []
    for entry in (joined or "").split(_SEP):
        pk, _, name = entry.partition(":")
        if pk.isdecimal():
            out.append((int(pk), name))
    return sorted(out, key=lambda b: b[1])


def _open_deadlines(of: Q | None = None) -> QuerySet[Deadline]:
    """The case's running obligations (a window of R-8.2 is not one), nearest first; `of` narrows them to those
    of some bodies (`_deadlines_of`)."""
    qs = Deadline.objects.filter(OPEN_DEADLINE, case=OuterRef("pk")).exclude(stage__in=Deadline.WINDOWS)
    if of is not None:
        qs = qs.filter(of)
    return qs.order_by("due_at", "id")


def _deadlines_of(me: Person, body_id: int | None) -> Q | None:
    """Whose deadlines a case list shows: the body filtered by, else an executor's or head's own bodies (and what
    they answer for themselves) — another body's part of a shared case, or a curator's approval (R-8.5), is not
    theirs to meet; the case's deadlines of no body and no one count for everyone. None: all of them (a
    curator's or observer's whole list)."""
    nobodys = Q(body__isnull=True, responsible__isnull=True)
    if body_id:
        return Q(body_id=body_id) | nobodys
    if scoping.sees_all(me):
        return None
    return scoping.duties_of(me) | nobodys


def _engines(pairs: list[tuple[int | None, Any]]) -> dict[int | None, WorkTime]:
    """The working-time engine of each body (id, schedule) of a page, as `_engine`'s (the hours in force at each
    moment), with one query for the page's bodies' earlier hours."""
    bodies = {body_id: SimpleNamespace(pk=body_id, schedule=schedule or None) for body_id, schedule in pairs}
    return worktimes_then([b if b.pk is not None else None for b in bodies.values()])


def _typed_number(q: str) -> int | None:
    """A case's or a message's number typed into a search box («183», «№ 183»): 0 for one no row can have
    (zero, too large), None for words."""
    try:
        return record_number(q) or 0
    except ValueError:
        return None


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """All the cases one may open (`scoping.cases_for`), newest first, with the bodies working on each, the
    nearest open deadline in the body's working time (R-8.2 … R-8.9) and «просрочено» when it has passed — the
    viewer's own bodies' deadline for an executor or head, the filtered body's when filtered by body.
    Filters: state, body (those who see every case), importance, overdue only, refused by a body and not yet
    given to another (R-8.2); the search box takes a case
    number (it opens the case) or words of the case's summary and messages (digits that are no case of the
    person's are words too: a house number)."""
    me = _me(request)
    now = timezone.now()
    qs = scoping.cases_for(me)
    status = request.GET.get("status", "")
    if status in Case.Status.values:
        qs = qs.filter(status=status)
    importance = request.GET.get("importance", "")
    if importance in Case.Importance.values:
        qs = qs.filter(importance=importance)
    body = None
    body_id = whole_number(request.GET.get("body")) if scoping.sees_all(me) else None
    if body_id:
        body = Body.objects.filter(pk=body_id).first()
        working = Assignment.objects.filter(case=OuterRef("pk"), body_id=body_id).exclude(
            state__in=Assignment.GONE
        )
        qs = qs.filter(Exists(working))
    mine = _deadlines_of(me, body_id)
    overdue = request.GET.get("overdue") == "1"
    if overdue:
        qs = qs.filter(Exists(_open_deadlines(mine).filter(due_at__lte=now)))
    refused = request.GET.get("refused") == "1"  # R-8.2: a body refused and no other is named yet
    if refused:
        qs = qs.filter(pk__in=scoping.refused_unreplaced().values("pk"))
    q = to_str(request.GET.get("q", "")).strip()[: search.MAX_TYPED]
    number = _typed_number(q) if q else None
    if number is not None and scoping.cases_for(me).filter(pk=number).exists():
        return redirect("cases:detail", number)  # the number wins over the other filters
    if number is not None and not q.isdecimal():  # «№ 183»: meant as a number only
        qs = qs.none()
    elif q:  # words, or digits that are no case of this person's («112», a house number): searched as words
        # each word in the summary or in any message of the case: «фонари Чкалова» finds the case whose summary
        # says «Не горят фонари» and whose message names «Чкалова», or whose two messages have one word each
        for word in search.words(q):
            found = search.messages_matching(Message.objects.all(), word.typed)
            in_messages = CaseMessage.objects.filter(message__in=found.values("pk")).values("case_id")
            qs = qs.filter(search.all_words(word.typed, "summary") | Q(pk__in=in_messages))
    nearest = _open_deadlines(mine)
    qs = (
        qs.only("id", "dispatched_at", "status", "importance", "summary")
        .annotate(
            bodies_joined=_bodies_column(),
            next_due=Subquery(nearest.values("due_at")[:1]),
            next_body=Subquery(nearest.values("body_id")[:1]),
            next_schedule=Subquery(nearest.values("body__schedule")[:1]),
            waiting_since=_waiting_since(),
        )
        .order_by("-dispatched_at", "-id")
    )
    with search.without_jit(bool(q)):
        # the next page continues after the last case shown (R-8.1): a case dispatched or leaving the filter
        # meanwhile would otherwise be shown twice or skipped unseen
        page = _page_after(
            request,
            qs,
            lambda at, pk: Q(dispatched_at__lt=at) | Q(dispatched_at=at, pk__lt=pk),
            ids_first=True,
        )
    cases: list[Any] = list(page.object_list)
    engines = _engines([(c.next_body, c.next_schedule) for c in cases if c.next_due is not None])
    rows = []
    for c in cases:
        row = CaseRow(c, _bodies_of(c.bodies_joined))
        if c.next_due is not None:
            left, row.left_text = remaining_text(
                Deadline(due_at=c.next_due, body_id=c.next_body), now, engines
            )
            row.due, row.overdue = c.next_due, c.next_due <= now
            if not row.overdue and left > WORKING_DAY_MINUTES:  # as «Мои обращения»: the date says when
                row.left_text = _days_text(left)
        elif c.status == Case.Status.AWAITING_AUTHOR and c.waiting_since is not None:
            row.left_text = waiting_text(c.waiting_since, now)
        rows.append(row)
    filters = {
        "status": status,
        "importance": importance,
        "body": body_id or "",
        "overdue": overdue,
        "refused": refused,
        "q": q,
    }
    keep = urlencode([(k, "1" if v is True else str(v)) for k, v in filters.items() if v])
    after = ""
    if page.has_next and cases and cases[-1].dispatched_at is not None:
        after = urlencode({"after": f"{cases[-1].dispatched_at.isoformat()}~{cases[-1].pk}"})
    return render(
        request,
        "cases/case_list.html",
        {
            "page_obj": page,
            "rows": rows,
            "statuses": Case.Status.choices,
            "importances": Case.Importance.choices,
            "body_shown": body,
            "sees_all": scoping.sees_all(me),
            "number_missing": number is not None,
            "keep": keep,
            "after": after,
            **filters,
        },
    )


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first, optionally of one kind. The ones not seen before are marked
    «новое» on this showing and count as read from then on (as a mailbox does). A posted form sets whether they
    are also e-mailed (`Person.mail_notices`): one who works in the system all day may not want each by mail."""
    me = _me(request)
    if request.method == "POST":
        me.mail_notices = request.POST.get("mail_notices") == "1"
        me.save(update_fields=["mail_notices"])
        messages.success(
            request,
            "Уведомления будут приходить и на почту."
            if me.mail_notices
            else "Уведомления будут приходить только в систему.",
        )
        kind = request.POST.get("kind", "")  # back to the list as it was shown
        return redirect(
            reverse("cases:notifications") + (f"?kind={kind}" if kind in Notification.Kind.values else "")
        )
    # newest first over the index (recipient, -created_at, -id); the page shows only the case's number, so no
    # join with the cases (which made PostgreSQL hash every case on every view)
    qs = Notification.objects.filter(recipient=me).order_by("-created_at", "-id")
    kind = request.GET.get("kind", "")
    if kind in Notification.Kind.values:
        qs = qs.filter(kind=kind)
    # older notices never shown (a page read, the ones beyond it not): the header's badge counts them, and this
    # lists just them
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    # the next page continues after the last notice shown, not at an offset: those shown count as read now, and
    # with «только непрочитанные» an offset would skip as many unread ones as the page showed
    page = _page_after(request, qs, lambda at, pk: Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    page.object_list = list(
        page.object_list
    )  # shown as loaded: «новое» on those not read before this showing
    end = page.object_list[-1] if page.object_list else None
    after = f"{end.created_at.isoformat()}~{end.pk}" if end is not None and page.has_next else ""
    unread = [n.pk for n in page.object_list if n.read_at is None]
    # R-7.1: a question under the Governor's post is answered and approved on the post's page: its notices lead
    # there, to the question (one query for the page)
    from otklik.governor.models import question_pages

    on_post = question_pages(n.case_id for n in page.object_list)
    for n in page.object_list:
        n.link = on_post.get(n.case_id) or reverse("cases:detail", args=[n.case_id])
    from otklik.notify.services import latest_notices

    # read from this showing — before the page is drawn, so that the header's badge counts what is left unread
    shown = [n.pk for n in page.object_list]  # all of them: the same queries whether or not any is new
    qs.filter(read_at__isnull=True, pk__in=shown).update(read_at=timezone.now())
    return render(
        request,
        "cases/notifications.html",
        {
            "page_obj": page,
            "kinds": Notification.Kind.choices,
            "kind": kind,
            "unread": len(unread),
            "only_unread": only_unread,
            "after": urlencode({"after": after}) if after else "",
            "keep": urlencode(
                {k: v for k, v in (("kind", kind), ("unread", "1" if only_unread else "")) if v}
            ),
            # R-13, R-14: the reports and alerts delivered in the app, on the page the header's «Уведомления» opens
            "notices": latest_notices(me) if not kind and page.number == 1 else [],
        },
    )


# ---------------------------------------------------------------------------------------------- dispatch
def _also(raw: list[str], message: Message) -> tuple[list[Message], int, list[str]]:
    """R-8.1: the other messages the curator picked in the inbox to go into the same case, as long as they are
    still in the inbox (not routed by a colleague meanwhile, not excluded by moderation), oldest first; how
    many picked ones were left out for being in another network (the case's one answer is published in the first
    message's network, R-8.7, so a message of another network needs its own case); and the words for each picked
    one that is no longer in the inbox, so that none leaves the case unsaid."""
    ids, waiting = _still_in_inbox(raw, message.pk)
    if not ids:
        return [], 0, []
    same = [m for m in waiting if m.network == message.network]
    return same, len(waiting) - len(same), _left_inbox(ids - {m.pk for m in waiting})


def _still_in_inbox(raw: list[str], lead_pk: int) -> tuple[set[int], list[Message]]:
    """The numbers picked with the lead message `lead_pk` (`raw`: the form's «also»), and those of them still in the
    inbox (not in a case, not excluded: R-10), oldest first."""
    ids = {n for n in (whole_number(x) for x in raw) if n and n != lead_pk}
    if not ids:
        return ids, []
    return ids, list(Message.objects.filter(inbox_filter(False), pk__in=ids).order_by("received_at", "id"))


def _left_inbox(ids: set[int]) -> list[str]:
    """Why each of these picked messages is no longer in the inbox: in a case (which one), or excluded (R-10)."""
    if not ids:
        return []
    cases = dict(CaseMessage.objects.filter(message_id__in=ids).values_list("message_id", "case_id"))
    out = []
    for m in Message.objects.filter(pk__in=ids).order_by("received_at", "id"):
        who = f"{m.author_name or 'автор не указан'}, {timezone.localtime(m.received_at):%d.%m.%Y %H:%M}"
        if m.pk in cases:
            out.append(f"сообщение № {m.pk} ({who}) уже направлено: обращение № {cases[m.pk]}")
        else:
            out.append(f"сообщение № {m.pk} ({who}) исключено из работы (п. 10) или не требует ответа")
    return out


# the dispatch form's values of a group of topics («group:7») and of the oblast as a whole in its place field
GROUP_CHOICE = "group:"
OBLAST_CHOICE = "oblast"


def _dispatch_form(prefill: suggest.Prefill, post: Any = None) -> dict[str, Any]:
    """The dispatch form's values: the machine's suggestions on the first view, what the curator typed after
    a refusal (so that nothing typed is lost and no suggestion silently comes back)."""
    if post is None:
        return {
            "slots": [
                (i, prefill.bodies[i - 1] if i <= len(prefill.bodies) else None, i) for i in range(1, 4)
            ],
            "multi_mode": Case.MultiMode.COMMON_BY_LAST,
            "topic": prefill.topic,
            "topic_group": prefill.topic_group,
            "municipality": prefill.municipality,
            "whole_oblast": prefill.whole_oblast,
            "settlement": prefill.settlement.pk if prefill.settlement else None,
            "importance": prefill.importance,
            "shortened_hours": "",
            "repeat_of": "" if prefill.repeat_of is None else str(prefill.repeat_of),
        }
    topic, place = to_str(post.get("topic", "")).strip(), to_str(post.get("municipality", "")).strip()
    return {
        "slots": [
            (i, whole_number(post.get(f"body_{i}")), whole_number(post.get(f"order_{i}")) or i)
            for i in range(1, 4)
        ],
        "multi_mode": post.get("multi_mode", Case.MultiMode.COMMON_BY_LAST),
        "topic": None if topic.startswith(GROUP_CHOICE) else whole_number(topic),
        "topic_group": whole_number(topic.removeprefix(GROUP_CHOICE))
        if topic.startswith(GROUP_CHOICE)
        else None,
        "municipality": whole_number(place),
        "whole_oblast": place == OBLAST_CHOICE,
        "settlement": whole_number(post.get("settlement")),
        "importance": post.get("importance", Case.Importance.NORMAL),
        "shortened_hours": post.get("shortened_hours", ""),
        "repeat_of": post.get("repeat_of", ""),
    }


def _summary(picked: list[Message]) -> str:
    """The case's short text for the lists: the first text among the messages, or what the message holds
    when none has text (a photo), never an empty line in the queue."""
    text = next((m.text.strip() for m in picked if m.text.strip()), "")
    if text:
        return text
    count = len(links(picked[0].attachments))
    return f"[без текста, вложений: {count}]" if count else "[без текста]"


@curator_only
def dispatch(request: HttpRequest, message_pk: int) -> HttpResponse:
    """R-8.1, R-8.9, R-8.10: the dispatch form (bodies with order, importance, shortened deadline). Messages
    picked together in the inbox (`also`) go into one case with this one."""
    routed = CaseMessage.objects.filter(message_id=message_pk).values_list("case_id", flat=True).first()
    if routed is not None:
        # A second click on «Направить» (or a colleague was quicker): say where the message is, not «not found» —
        # and the messages ticked with it that are still in the inbox, which were not sent either
        params = request.POST if request.method == "POST" else request.GET
        waiting = _still_in_inbox(params.getlist("also"), message_pk)[1]
        said = f"Сообщение уже направлено: обращение № {routed}."
        if waiting:
            numbers = ", ".join(f"№ {m.pk}" for m in waiting)
            said += (
                f" Отмеченные вместе с ним сообщения {numbers} не направлены — они во входящих: направьте их "
                "оттуда."
            )
        messages.info(request, said)
        return redirect("cases:detail", routed)
    message = get_object_or_404(Message.objects.filter(unrouted()), pk=message_pk)
    bodies = routable_bodies()
    found = suggestions_for(message)
    prefill = suggest.prefill(found, bodies)
    post = request.POST if request.method == "POST" else None
    also, other_network, left_inbox = _also((post or request.GET).getlist("also"), message)
    if also:
        suggest.with_also(prefill, suggestions_for_many(also))
    # a message unticked on the form stays on it, unticked, when the form comes back refused (`offered`: what
    # the form showed); one that left the inbox meanwhile is no longer offered
    offered = _also(post.getlist("offered"), message)[0] if post is not None else []
    ticked = {m.pk for m in also}
    ctx: dict[str, Any] = {
        "message": message,
        "also": also,
        "also_shown": sorted(
            [(m, True) for m in also] + [(m, False) for m in offered if m.pk not in ticked],
            key=lambda shown: (shown[0].received_at, shown[0].pk),
        ),
        "other_network": other_network,
        "left_inbox": left_inbox,
        "significant": _significant(Q(message=message)),
        "found": found,
        "answered": suggest.answered([message], {message.pk: found}).get(message.pk, ""),
        "blocked": found.get("blocked", False),
        "prefill": prefill,
        "form": _dispatch_form(prefill, post),
        "bodies": bodies,
        # every group in the directory, each with its topics in force: a group is chosen as a whole even when none
        # of its topics is (R-8.1: «тему (группу тем)»)
        "groups": TopicGroup.objects.filter(is_active=True).prefetch_related(
            Prefetch("topics", queryset=Topic.objects.filter(is_active=True).order_by("name"))
        ),
        "municipalities": Municipality.objects.filter(is_active=True),
        "whole_oblast": WHOLE_OBLAST,
        "oblast_choice": OBLAST_CHOICE,
        "importances": Case.Importance.choices,
        "modes": Case.MultiMode.choices,
        "back": to_str((post or request.GET).get("back", ""))[:2000],
    }
    if post is None:
        return render(request, "cases/dispatch.html", ctx)
    if ctx["blocked"]:
        messages.error(
            request,
            "Сообщение исключено модерацией (п. 10 Положения). Сначала снимите исключение во входящих.",
        )
        return render(request, "cases/dispatch.html", ctx, status=400)
    if left_inbox:
        # Ticked on this form but routed by a colleague (or excluded) since: the curator decides anew, with the
        # form as it is now, instead of a case silently made without them.
        messages.error(
            request,
            "Не все отмеченные сообщения можно добавить в обращение: "
            + "; ".join(left_inbox)
            + ". Проверьте форму и направьте снова.",
        )
        return render(request, "cases/dispatch.html", ctx, status=400)
    importance = post.get("importance", Case.Importance.NORMAL)
    try:
        routes: list[Route] = []
        chosen: set[int] = set()
        for slot, body_id, order in ctx["form"]["slots"]:
            if body_id:
                body = bodies.filter(pk=body_id).first()
                if body is None:  # taken out of the directory after the form was opened, or a typed number
                    raise ActionRefused("Выберите орган из списка действующих органов.", f"body_{slot}")
                if body.pk in chosen:
                    raise ActionRefused("Один и тот же орган выбран дважды.", f"body_{slot}")
                chosen.add(body.pk)
                routes.append(Route(body, order))
        repeat_of = _repeat_of(request, post.get("repeat_of", ""))
        shortened = _shortened_minutes(post.get("shortened_hours", ""), importance)
        topic, group = _topic(ctx["form"])
        municipality, settlement, whole_oblast = _place(ctx["form"])
        picked = [message, *also]
        with transaction.atomic():
            case = actions.dispatch_case(
                _me(request),
                picked,
                routes,
                importance=importance,
                topic=topic,
                topic_group=group,
                municipality=municipality,
                settlement=settlement,
                whole_oblast=whole_oblast,
                shortened_minutes=shortened,
                multi_mode=post.get("multi_mode", Case.MultiMode.COMMON_BY_LAST),
                repeat_of=repeat_of,
                summary=_summary(picked),
            )
            for m in picked:  # the curator's choices: training data
                suggest.record_dispatch(m, case, _me(request))
    except ActionRefused as exc:
        messages.error(request, exc.message)
        ctx["error_field"] = exc.code if exc.code.startswith("body_") else DISPATCH_FIELDS.get(exc.code, "")
        return render(request, "cases/dispatch.html", ctx, status=400)
    messages.success(
        request,
        format_html(
            'Обращение <a href="{}">№ {}</a> направлено{}',
            reverse("cases:detail", args=[case.pk]),
            case.pk,
            f" (сообщений: {len(picked)})." if len(picked) > 1 else ".",
        ),
    )
    if nobody := _nobody_to_take(case):  # R-6: said at once, as «Переназначить» says it
        messages.warning(
            request,
            f"В органе {nobody} сейчас нет никого на месте, кто мог бы взять обращение: свяжитесь с органом или "
            "назначьте другой на странице обращения.",
        )
    # back to the inbox the curator came from (its filters and page): the next message is one click away
    return redirect(_inbox_back(post.get("back", "")))


def routable_bodies() -> QuerySet[Body]:
    """The bodies a curator sends a case to (dispatch, «Переназначить»), each marked `staffed` when it has someone
    to take the work (R-6: a body with nobody in it is marked in the list; a new installation's are empty at first)."""
    return (
        Body.objects.filter(is_active=True, is_coordinator=False)
        .annotate(
            staffed=Exists(
                Role.objects.filter(body=OuterRef("pk"), kind__in=WORKING_ROLES, person__is_active=True)
            )
        )
        .order_by("level", "name")
    )


def _nobody_to_take(case: Case) -> str:
    """The bodies of a just dispatched case whose work nobody can take (R-6): one it started with no executor (all
    away, or nobody in it), one later in the curator's order with nobody in it at all; «» when none."""
    empty = [
        f"«{a.body}»"
        for a in case.assignments.select_related("body").order_by("order", "id")
        if (a.state == Assignment.State.ACTIVE and a.executor_id is None)
        or (a.state == Assignment.State.WAITING and actions.default_executor(a.body) is None)
    ]
    return ", ".join(empty)


# the dispatch form's field a refusal is about (`ActionRefused.code` → the field's name), marked for the person
DISPATCH_FIELDS = {
    "body": "body_1",
    "topic": "topic",
    "municipality": "municipality",
    "settlement": "settlement",
    "shortened": "shortened_hours",
    "repeat_of": "repeat_of",
}


# what of the inbox's address the dispatch form carries back (`_inbox_back`): its filters and its page
INBOX_KEPT = ("filter", "network", "q", "after", "page")


def _inbox_back(back: str) -> str:
    """The inbox with the filters and page of the address the dispatch form was opened from (`back`: its query
    string), only the inbox's own parameters of it."""
    kept = [(k, v) for k, v in parse_qsl(to_str(back)[:2000]) if k in INBOX_KEPT and v]
    return reverse("cases:inbox") + (f"?{urlencode(kept)}" if kept else "")


def _waits_since(case: Any) -> QuerySet[CaseEvent]:
    """The moments the case began to wait for the author's reply, the last first (R-8.4: no term runs meanwhile);
    `case` a case or `OuterRef("pk")`."""
    return CaseEvent.objects.filter(case=case, to_status=Case.Status.AWAITING_AUTHOR).order_by("-at", "-id")


def _waiting_since() -> Subquery:
    return Subquery(_waits_since(OuterRef("pk")).values("at")[:1])


def _case_waited(case: Case, now: datetime) -> str:
    """The case page's «с 28.04 10:45 — …» beside its status «ждёт ответа автора» (`waited_text`)."""
    if case.status != Case.Status.AWAITING_AUTHOR:
        return ""
    since = _waits_since(case).values_list("at", flat=True).first()
    return waited_text(since, now) if since else ""


def waited_text(since: datetime, now: datetime) -> str:
    """«с 28.04 10:45 — 6 ч 15 мин рабочего времени»: since when the case waits and for how much working time."""
    waited = worktime_for(None).between(since, now)
    return f"с {short_moment(since, now)} — {hours_minutes(waited)} рабочего времени"


def waiting_text(since: datetime, now: datetime) -> str:
    """«ждёт ответа автора с 28.04 10:45 — 6 ч 15 мин рабочего времени»: no deadline runs while a case waits for
    the author, so the lists say how long it has waited (the curator may go on without the reply, R-8.4)."""
    return f"ждёт ответа автора {waited_text(since, now)}"


def _topic(form: dict[str, Any]) -> tuple[Topic | None, TopicGroup | None]:
    """R-8.1: the curator sets the topic or the group of topics; the form refuses neither."""
    topic = (
        Topic.objects.filter(pk=form["topic"], is_active=True, group__is_active=True).first()
        if form["topic"]
        else None
    )
    group = (
        TopicGroup.objects.filter(pk=form["topic_group"], is_active=True).first()
        if form["topic_group"]
        else None
    )
    if topic is None and group is None:
        raise ActionRefused(
            "Выберите тему сообщения или, если ни одна не подходит, группу тем целиком (п. 8.1 Положения: "
            "тему определяет куратор).",
            "topic",
        )
    return topic, group


def _place(form: dict[str, Any]) -> tuple[Municipality | None, Settlement | None, bool]:
    """R-8.1: the curator sets the place: a municipal formation (with the settlement the machine found, if kept)
    or the oblast as a whole; the form refuses no place at all."""
    municipality = (
        Municipality.objects.filter(pk=form["municipality"]).first() if form["municipality"] else None
    )
    if municipality is not None and not municipality.is_active:  # taken out of the directory meanwhile
        raise ActionRefused(
            f"Муниципальное образование «{municipality}» исключено из справочника: выберите действующее.",
            "municipality",
        )
    settlement = _settlement(form["settlement"], municipality)
    if form["whole_oblast"] and settlement is not None:
        raise ActionRefused(
            f"Отмечен населённый пункт «{settlement.name}», а место выбрано «{WHOLE_OBLAST}»: снимите отметку "
            "с населённого пункта или выберите его муниципальное образование.",
            "settlement",
        )
    if municipality is None and settlement is None and not form["whole_oblast"]:
        raise ActionRefused(
            f"Укажите место: муниципальное образование или «{WHOLE_OBLAST}», если сообщение не об одном месте "
            "(п. 8.1 Положения).",
            "municipality",
        )
    return municipality, settlement, bool(form["whole_oblast"])


def _settlement(pk: int | None, municipality: Municipality | None) -> Settlement | None:
    """The settlement the place suggestion named (kept unless the curator unticks it); it must lie in the
    municipal formation chosen, or the case would name two places."""
    if not pk:
        return None
    settlement = Settlement.objects.select_related("municipality").filter(pk=pk).first()
    if settlement is None:
        return None
    if municipality is not None and settlement.municipality_id != municipality.pk:
        raise ActionRefused(
            f"Населённый пункт «{settlement.name}» относится к «{settlement.municipality}», а выбрано "
            f"«{municipality}»: снимите отметку с населённого пункта или выберите его муниципальное "
            "образование.",
            "settlement",
        )
    return settlement


def _repeat_of(request: HttpRequest, raw: str) -> Case | None:
    """R-8.10: the earlier case named by its number («125» or «№ 125»), among the cases the curator sees."""
    raw = raw.strip().removeprefix("№").strip()
    if not raw:
        return None
    try:
        number = record_number(raw)
    except ValueError:
        raise ActionRefused(
            "Номер повторяемого обращения укажите цифрами, например 125.", "repeat_of"
        ) from None
    repeat_of = scoping.cases_for(_me(request)).filter(pk=number).first() if number else None
    if repeat_of is None:
        raise ActionRefused(f"Обращение № {raw.lstrip('0') or raw} не найдено.", "repeat_of")
    return repeat_of


def _shortened_minutes(raw: str, importance: str) -> int | None:
    """R-8.3: the shortened deadline typed in working hours («2», «1,5»), as working minutes; refused unless it
    is a number above zero and below the normal limit for the importance (checked before rounding, so that
    «1e308» or «inf» never reach integer conversion)."""
    raw = raw.replace(",", ".").strip()
    if not raw:
        return None
    try:
        hours = float(raw)
    except ValueError:
        hours = math.nan
    if math.isnan(hours):
        raise ActionRefused("Сокращённый срок укажите числом часов, например 2 или 1,5.", "shortened")
    actions.check_shortened(importance, hours * 60)
    return round(hours * 60)


# ---------------------------------------------------------------------------------------------- the case
def _published_also(case: Case) -> list[dict[str, Any]]:
    """«Публикации» of a case of several authors (R-8.7): the answer under each other author's message, as the
    timeline records it (`actions.also_reason`: through the API, or confirmed by hand with the first one's link;
    the first author's is the case's `Publication`)."""
    found = []
    for event in case.events.filter(action="published_also").select_related("actor").order_by("at", "id"):
        match = actions.ALSO.match(event.reason)
        if match is not None:
            found.append((event, match))
    authors = Message.objects.in_bulk([int(m["message"]) for _e, m in found])
    return [
        {
            "at": event.at,
            "method": str(
                Publication.Method.API.label if event.actor_id is None else Publication.Method.MANUAL.label
            ),
            "by": event.actor,
            "kind": m["kind"],
            "where": m["where"],
            "message_pk": int(m["message"]),
            "message": authors.get(int(m["message"])),
        }
        for event, m in found
    ]


def _case(request: HttpRequest, pk: int) -> Case:
    return get_object_or_404(
        scoping.cases_for(_me(request)).select_related(
            "dispatched_by", "topic", "topic_group", "municipality", "settlement"
        ),
        pk=pk,
    )


def _version(request: HttpRequest) -> int | None:
    return whole_number(request.POST.get("version"))


def _back(case: Case) -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case.pk]))


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _detail(
    request: HttpRequest,
    pk: int,
    *,
    review_comment: str = "",
    rejecting: tuple[int, str] | None = None,
    closing: str | None = None,
    replying: tuple[str, str] | None = None,
    error_field: str = "",
    status: int = 200,
) -> HttpResponse:
    """The case page; after a refused review it keeps the curator's comment (`review_comment`), after a refused
    «не наша компетенция» the assignment and the reason the executor typed (`rejecting`), after a refused closing
    the reason the curator typed (`closing`); `error_field`: the field the refusal is about, focused and marked
    (base.html, otklik.js)."""
    me = _me(request)
    case = _case(request, pk)
    now = timezone.now()
    drafts = [
        d
        for d in case.drafts.select_related("author", "assignment__body")
        .prefetch_related("reviews__reviewer")
        .order_by("id")
        # R-7.1: another body's unpublished answer to a Governor's-post question is not theirs to read
        if scoping.may_read_draft(me, case, d)
    ]
    for draft in drafts:
        draft.files = [attachments.Attachment(n) for n in draft.attachments]  # type: ignore[attr-defined]
    pending = next((d for d in drafts if d.state == Draft.State.SUBMITTED), None)
    deadlines = list(case.deadlines.select_related("responsible", "body").order_by("started_at", "id"))
    engines: dict[int | None, WorkTime] = {}
    bodies = {d.body for d in deadlines if d.body_id is not None}
    then = worktimes_then(bodies) if bodies else {}  # the hours each body worked by, one query for the page
    for d in deadlines:
        d.left_text = remaining_text(d, now, engines)[1] if d.is_open else ""  # type: ignore[attr-defined]
        d.counted_from, d.doer_text = _deadline_notes(d, now, engines, then)  # type: ignore[attr-defined]
    my_bodies = scoping.my_body_ids(me)
    assignments = list(case.assignments.select_related("body", "executor", "intended_executor"))
    if case.status == Case.Status.CLOSED and actions.close_reason(case.pk) is not None:
        # the curator closed it (R-8.9 with `close_case`): a body that gave no answer or part did not «выполнено»
        gave = {
            d.assignment_id
            for d in drafts
            if d.state in (Draft.State.RECEIVED, Draft.State.APPROVED, Draft.State.PUBLISHED)
        }
        for a in assignments:
            a.closed_unanswered = a.state == Assignment.State.DONE and a.pk not in gave  # type: ignore[attr-defined]
    ctx: dict[str, Any] = {
        "case": case,
        # «повтор обращения № N» links the earlier case only for those who may open it (R-8.10: it may be another
        # body's)
        "repeat_opens": case.repeat_of_id is not None
        and scoping.cases_for(me).filter(pk=case.repeat_of_id).exists(),
        "governor_watch_id": _governor_watch_id(case),
        "case_messages": case.case_messages.select_related("message", "message__source")
        .prefetch_related("message__attachment_copies")
        .order_by("id"),
        "assignments": assignments,
        "drafts": drafts,
        "pending": pending,
        # the same check as in the editor and as the stored score: with the author's name (R-11)
        "pending_check": check_answer(
            pending.text,
            network=case.network or "vk",
            author_name=_author_name(case) or None,
            repeat=actions.measured(case, pending.kind),
            to_author=actions.to_author(case, pending.kind),
        )
        if pending
        else None,
        "review_comment": review_comment,
        "error_field": error_field,
        "closing": closing,
        "replying": replying,  # a refused author's reply: its text and link, back in the form (`author_reply`)
        "rejecting": rejecting[0] if rejecting else None,
        "reject_reason": rejecting[1] if rejecting else "",
        "shortened_text": work_hours(case.shortened_minutes) if case.shortened_minutes else "",
        "publications": case.publications.select_related("published_by", "draft"),
        "published_also": _published_also(case),
        # R-8.7: replies under other authors' messages the API failed to publish, to confirm by hand
        "failed_also": list(actions.failed_also(case)) if scoping.can_work(me) else [],
        "events": _readable_events(me, case, my_bodies),
        "deadlines": deadlines,
        # R-8.8 runs (an interim answer is out): the hint beside «Готовить ответ без уточнения автора»
        "final_due": next(
            (
                d.due_at
                for d in deadlines
                if d.stage == Deadline.Stage.FINAL and d.met_at is None and d.cancelled_at is None
            ),
            None,
        ),
        "violations": case.violations.select_related("person", "body"),
        "is_curator": me.is_curator,
        # R-14: the alert already sent for the case or one of its messages (marked from the inbox)
        "significant": _significant(Q(case=case) | Q(message__case_link__case=case))
        if me.is_curator
        else None,
        "my_active": [
            a for a in assignments if a.body_id in my_bodies and a.state == Assignment.State.ACTIVE
        ],
        # R-8.9 with R-8.2: my body owes its part whatever the case's status (named after an interim common
        # answer): the part and the refusal are offered to it then too
        "owes_part": actions.owed_part(case, me)
        if scoping.can_work(me) and case.origin == Case.Origin.CURATOR and case.composer_id is not None
        else None,
        "is_member": any(a.body_id in my_bodies for a in assignments),
        # the status badge already says «ждёт ответа автора»: the note says since when (R-8.8)
        "waiting_text": _case_waited(case, now),
        # R-6: the executors a body's responsible official may give the body's work to (`actions.hand_to_executor`)
        "hand_over": _hand_over_choices(case, assignments, me),
        "composes": case.status == Case.Status.DRAFTING and actions.may_compose(case, me, now),
        "can_work": scoping.can_work(me),
        # the answer goes on without the author's details; their reply, if it comes, is still added (R-8.8)
        "late_reply": actions.late_reply_awaited(case),
        # R-8.2: a body that refused this case is not offered it again («Переназначить»)
        "bodies": routable_bodies().exclude(
            pk__in={a.body_id for a in assignments if a.rejected_at is not None}
        ),
        "approved": (approved := next((d for d in drafts if d.state == Draft.State.APPROVED), None)),
        "returned": (returned := next((d for d in drafts if d.state == Draft.State.RETURNED), None)),
        # offered only to who may do it (a common answer of several bodies is one body's to revise and publish)
        "may_revise": returned is not None and actions.may_revise(me, returned, now),
        "may_confirm": approved is not None and actions.may_confirm(me, case, approved),
    }
    # R-8.7: with replies under several authors' messages, the first one's says whose it is too
    ctx["first_author"] = (
        next(iter(actions.authors_of(case)), None) if ctx["published_also"] or ctx["failed_also"] else None
    )
    return render(request, "cases/detail.html", ctx, status=status)


def _readable_events(me: Person, case: Case, my_bodies: set[int]) -> list[CaseEvent]:
    """The case's timeline. R-7.1 (`scoping.may_read_draft`): on a Governor's-post question the remark with which
    another body's head returned that body's answer is about its unpublished wording — the event stays, its
    remark is left out for the people of the other bodies."""
    events = list(case.events.select_related("actor"))
    if case.origin != Case.Origin.GOVERNOR_POST or scoping.sees_all(me):
        return events
    # whose answer it was: the returned draft's body (its return's `Review`, at the event's moment by its actor),
    # not the bodies the head works for today (his role may have moved, or he may work for both)
    returned: dict[tuple[int | None, datetime], int | None] = {
        (reviewer, at): body
        for reviewer, at, body in Review.objects.filter(
            draft__case=case, decision=Review.Decision.RETURN
        ).values_list("reviewer_id", "created_at", "draft__assignment__body_id")
    }
    ours: set[int] | None = None
    for e in events:
        if e.action != "gov_return":
            continue
        body = returned.get((e.actor_id, e.at))
        if body is not None:
            hidden = body not in my_bodies
        else:  # no review found for it: by the head's bodies
            if ours is None:
                ours = set(Role.objects.filter(body_id__in=my_bodies).values_list("person_id", flat=True))
            hidden = e.actor_id not in ours
        if hidden:
            e.reason = "замечание к ответу органа видят только сотрудники этого органа и куратор"
    return events


def _deadline_notes(
    d: Deadline, now: datetime, engines: dict[int | None, WorkTime], then: dict[int | None, WorkTime]
) -> tuple[datetime | None, str]:
    """For the case page's table of deadlines: when the working time of a deadline started outside working hours
    began to count (its next working moment; a term in working days, R-8.8, counts from the next day by its own
    rule and is left alone), and, for an open deadline whose responsible person is away now, who does the work
    (R-6, `on_duty`) — the table names the person the deadline was set for. The start is counted by the hours the
    body worked by then (`then`: `worktimes_then` of the page's bodies): the body's later change of hours does not
    move it."""
    engine = then[d.body_id] if d.body_id is not None else _engine(d, engines)
    start = engine.next_working_moment(d.started_at)
    counted_from = start if d.stage != Deadline.Stage.FINAL and start > d.started_at else None
    doer_text = ""
    if d.is_open and d.responsible is not None and sla.curators_work(d):
        # the curators share their work (R-6): who is told and answers for it, said the same way
        told, _ = sla.curators_doing(d, now)
        if told != [d.responsible]:
            who = str(told[0]) if len(told) == 1 else "любой куратор на месте"
            doer_text = f"сейчас отсутствует; работу выполняет {who}"
    elif d.is_open and d.responsible is not None:
        duty = on_duty(d.responsible, now, d.body_id)
        # R-6: a switched-off account or a role moved is said as it is, as «Мои обращения» says it (`_away_notes`)
        if not d.responsible.is_active:
            away = "учётная запись отключена"
        elif MOVED in duty.explanation.partition(";")[0]:
            away = MOVED
        else:
            away = "сейчас отсутствует"
        if duty.person is None:
            doer_text = f"{away}; в органе никого нет на месте — нужно решение куратора"
        elif duty.person.pk != d.responsible_id:
            doer_text = f"{away}; работу выполняет {duty.person}"
    return counted_from, doer_text


def _significant(subject: Q) -> Alert | None:
    """R-14: the significant-message alert already sent for this message or case (the first one)."""
    return Alert.objects.filter(subject, kind=Alert.Kind.SIGNIFICANT).order_by("id").first()


def _author_name(case: Case, authors: list[Message] | None = None) -> str:
    """The name of the author of the case's first message (the checker asks to greet them by it); none when the
    case holds several people's messages: one text answers them all (`actions.authors_of`)."""
    authors = actions.authors_of(case) if authors is None else authors
    return authors[0].author_name if len(authors) == 1 else ""


def _draft_kinds(case: Case, me: Person) -> list[tuple[str, str]]:
    """The kinds of draft the case takes now from `me` (R-8.4, R-8.9): while the bodies of a case of several bodies
    send their information, only that — also from a body that owes its part after the common answer is in hand
    (`actions.owed_part`); otherwise an answer, an interim answer or a clarification request."""
    owed = actions.is_multi(case) if case.composer_id is None else actions.owed_part(case, me) is not None
    if owed:
        if case.parts_published:  # published to the author as it is (R-8.9)
            return [(Draft.Kind.PART.value, f"{BODY_ANSWER} (публикуется автору отдельно)")]
        return [(Draft.Kind.PART.value, str(Draft.Kind.PART.label))]
    return [(k, str(label)) for k, label in Draft.Kind.choices if k in Draft.PUBLISHABLE]


def _open_deadlines_of(case: Case, me: Person) -> list[Deadline]:
    """The case's open deadlines of `me`'s bodies (all of them for a curator), earliest first, each with the words
    for the time left (`left_text`)."""
    qs = case.deadlines.filter(OPEN_DEADLINE).select_related("body", "responsible").order_by("due_at", "id")
    if not me.is_curator:
        qs = qs.filter(Q(body_id__in=scoping.my_body_ids(me)) | Q(body__isnull=True))
    now = timezone.now()
    engines: dict[int | None, WorkTime] = {}
    found = list(qs)
    for d in found:
        d.left_text = remaining_text(d, now, engines)[1]  # type: ignore[attr-defined]
    return found


# A draft editor's refusal → the field it is about (`ActionRefused.code`)
DRAFT_FIELDS = {"text": "text", "too_long": "text", "measures": "measures"}


@login_required
def draft_editor(request: HttpRequest, pk: int, draft_pk: int | None = None) -> HttpResponse:
    """R-8.4/R-8.6/R-8.9/R-8.10 and the R-11 checker: a new draft, a part, or the revision of a returned
    draft. The text is checked as it is typed (htmx → answers:check); the score is stored on submit. Beside
    the editor: the repeat's earlier answers and the body's published answers to similar messages
    (`similar.earlier_answers`); when that help fails the editor is shown without it."""
    me = _me(request)
    case = _case(request, pk)
    if not scoping.can_work(me):  # observers read only (R-4.3): no form they cannot send
        raise Http404
    # R-7.1: another body's draft of a Governor's-post question is not this page's either (404, as on the case page)
    if draft_pk is not None:
        _readable_draft(case, me, draft_pk)
    kinds = _draft_kinds(case, me)
    parts_only = [k for k, _ in kinds] == [Draft.Kind.PART]  # the bodies send their information (R-8.9)
    if request.method != "POST" and (done := _editor_done(case, me, draft_pk, parts_only)):
        # opened again («Назад» in the browser) after the draft went on: the case page, with what happened
        messages.info(request, done)
        return _back(case)
    returned = get_object_or_404(case.drafts, pk=draft_pk) if draft_pk else None
    if returned is not None and returned.state != Draft.State.RETURNED and request.method != "POST":
        raise Http404
    # a revision sent after a colleague's went on is refused by `revise_draft` («state»): said, the text kept below
    authors = actions.authors_of(case)
    ctx: dict[str, Any] = {
        "case": case,
        "returned": returned,
        "kinds": kinds,
        "author_name": _author_name(case, authors),
        # R-8.7: the answer goes under every author's message of the case
        "authors": len(authors),
        "text": returned.text if returned else "",
        "measures": returned.measures if returned else "",
        "kind": returned.kind if returned else kinds[0][0],
        # the kinds offered are all parts or all read by the author (`_draft_kinds`): one answer for the page
        "to_author": actions.to_author(case, returned.kind if returned else kinds[0][0]),
        "comment": returned.reviews.last().comment if returned and returned.reviews.exists() else "",  # type: ignore[union-attr]
        "kept": [attachments.Attachment(n) for n in returned.attachments] if returned else [],
        "unticked": [],  # of `kept`, those the executor took off in a refused form (ticked again otherwise)
        "max_mb": attachments.max_bytes() // 1024 // 1024,
        "max_files": attachments.MAX_FILES,
        # what is being answered and by when, without going back to the case page
        "case_messages": case.case_messages.select_related("message", "message__source")
        .prefetch_related("message__attachment_copies")
        .order_by("id"),
        "open_deadlines": _open_deadlines_of(case, me),
        # R-8.9: a body whose turn in the curator's order has not come sees why instead of a form
        "turn_note": actions.turn_note(case, me) if parts_only and not returned else None,
        # R-8.9: the common answer is written from the bodies' information: its composer has it beside the editor
        "parts": list(
            case.drafts.filter(kind=Draft.Kind.PART)
            .exclude(state__in=(Draft.State.REVISED, Draft.State.WITHDRAWN))
            .select_related("assignment__body", "author__body")
            .order_by("assignment__order", "submitted_at", "id")
        )
        if case.composer_id is not None and not parts_only
        else [],
        # R-8.9: a part is guarded by its own body's work, not by the case's version other bodies' parts change
        "seen": actions.part_seen(case, me) if parts_only and not returned else "",
    }
    if ctx["parts"] and returned is None:
        # R-9, R-8.9: the photos and videos the bodies sent as proof go into the common answer, ticked (the composer
        # may take one off); otherwise the answer would be published as text alone
        ctx["kept"] = [attachments.Attachment(n) for d in ctx["parts"] for n in d.attachments]

    def render_form(status: int = 200) -> HttpResponse:
        help_: similar.Help | None = None
        if case.origin != Case.Origin.GOVERNOR_POST:  # the Governor's posts have their own page (R-7)
            try:
                help_ = similar.earlier_answers(case, me)
            except Exception:
                log.exception("Earlier answers for case %s failed; the editor is shown without them", case.pk)
        ctx["earlier"] = help_
        return render(request, "cases/draft_form.html", ctx, status=status)

    if request.method != "POST":
        return render_form()
    text, measures = posted_text(request, "text"), posted_text(request, "measures")
    kind = request.POST.get("kind", ctx["kind"])
    files = request.FILES.getlist("attachments")
    kept = [a.name for a in ctx["kept"] if a.name in request.POST.getlist("keep")]
    ctx["unticked"] = [
        a.name for a in ctx["kept"] if a.name not in kept
    ]  # come back unticked after a refusal
    errors = attachments.validate(files, already=len(kept))
    if errors:
        for error in errors:
            messages.error(request, error)
        ctx.update(text=text, measures=measures, kind=kind, error_field="attachments")
        return render_form(400)
    saved = attachments.store(case.pk, files)
    try:
        if returned is not None:
            actions.revise_draft(
                me,
                returned,
                text,
                measures=measures,
                attachments=kept + saved,
                expected_version=_version(request),
            )
        else:
            seen = request.POST.get("seen")
            actions.submit_draft(
                me,
                case,
                kind,
                text,
                measures=measures,
                attachments=kept + saved,
                expected_version=_version(request),
                seen_part=seen.strip() if seen is not None and kind == Draft.Kind.PART else None,
            )
    except ActionRefused as exc:
        attachments.remove(saved)
        # a form from before the case moved on («Назад» to a refused page after the draft was sent, or a colleague
        # sent one): say what happened instead of «изменил другой сотрудник»; the typed text stays below
        done = _editor_done(case, me, draft_pk, parts_only) if exc.code in ("stale", "state") else None
        if done:
            said = f"{done} {TEXT_KEPT}"
        elif exc.code == "stale":
            said = _stale_kept(case, exc)
        else:
            said = exc.message
        messages.error(request, said)
        if saved:  # a browser cannot be given a file back: say so, or the answer would go without it (R-9)
            names = ", ".join(f"«{f.name}»" for f in files)
            messages.error(
                request, f"Не сохранены прикреплённые файлы: {names} — прикрепите их снова перед отправкой."
            )
        # the field a refusal is about gets the focus and the reason beside it (base.html, otklik.js)
        ctx.update(text=text, measures=measures, kind=kind, error_field=DRAFT_FIELDS.get(exc.code, ""))
        return render_form(400)
    if returned is None and kind == Draft.Kind.PART:
        messages.success(request, _part_sent(case, me))
    else:
        messages.success(request, "Проект направлен куратору.")
    return _back(case)


TEXT_KEPT = "Текст ниже не отправлен: он сохранён на этой странице."


def _stale_kept(case: Case, exc: ActionRefused) -> SafeString:
    """R-8.4: the draft editor's words for a form from before a colleague changed the case. The typed text is only in
    this response (reloading the editor shows an empty form), so the page never asks for a reload: it names the
    latest change and links the case page to open in another tab."""
    generic = exc.message.startswith("Обращение уже изменил другой сотрудник")
    said = "Обращение изменил другой сотрудник, пока вы писали." if generic else exc.message
    last = case.events.select_related("actor").order_by("-at", "-id").first()
    if last is not None:
        who = f", {last.actor}" if last.actor_id else ""
        said += f" Последнее изменение: «{last.label}»{who}, {timezone.localtime(last.at):%d.%m.%Y %H:%M}."
    return format_html(
        '{} {} Что изменилось, смотрите на <a href="{}" target="_blank">странице обращения № {}</a> (откроется в '
        "новой вкладке; эту страницу не обновляйте), затем отправьте текст снова, если он ещё нужен.",
        said,
        TEXT_KEPT,
        reverse("cases:detail", args=[case.pk]),
        case.pk,
    )


def _editor_done(case: Case, me: Person, draft_pk: int | None, parts_only: bool) -> str | None:
    """Why the draft editor has nothing to do (the draft already went on, the case is closed), for the message on the
    case page it leads to instead; None when there is a draft to write or revise. `parts_only`: the case takes only
    the bodies' information now (R-8.9, `_draft_kinds`)."""
    # a returned draft of a closed case is no work either (another case's draft: 404 below, as before)
    if case.status == Case.Status.CLOSED and (draft_pk is None or case.drafts.filter(pk=draft_pk).exists()):
        return actions.closed_note(case) or "Обращение закрыто."
    if draft_pk is not None:
        if case.drafts.filter(pk=draft_pk, state=Draft.State.RETURNED).exists():
            return None
        revised = case.drafts.filter(previous_id=draft_pk).order_by("-id").first()
        if (
            revised is not None
        ):  # the return link of a draft revised since («Назад» after sending the revision)
            return (
                f"Этот проект уже доработан (версия {revised.version}). "
                f"Сейчас обращение: «{case.get_status_display()}»."
            )
        if not case.drafts.filter(pk=draft_pk).exists():
            return None  # not this case's draft: 404 as before
    if (
        case.status != Case.Status.DRAFTING
        and draft_pk is None
        and parts_only
        and actions.owed_part(case, me) is not None
    ):
        return None  # R-8.9: the body's part is owed whatever the case's status (the composer's work goes on)
    if case.status == Case.Status.REVIEW:
        return "Проект уже направлен куратору."
    if case.status != Case.Status.DRAFTING or draft_pk is not None:
        return f"Проект сейчас не готовится. Сейчас: «{case.get_status_display()}»."
    if parts_only:
        mine = case.assignments.filter(body_id__in=scoping.my_body_ids(me)).exclude(state__in=Assignment.GONE)
        if (
            mine.exists()
            and not mine.filter(state__in=(Assignment.State.ACTIVE, Assignment.State.WAITING)).exists()
        ):
            return "Ваш орган уже направил информацию по этому обращению."
    if (
        case.composer_id is not None
        and actions.owed_part(case, me) is None
        and not actions.may_compose(case, me, timezone.now())
    ):
        # R-8.9: the common answer is the composer's (or whoever does her work); nobody else gets its form
        mine = case.assignments.filter(body_id__in=scoping.my_body_ids(me)).exclude(state__in=Assignment.GONE)
        if mine.exists():
            return "Ваш орган уже направил информацию по этому обращению."
        return f"Общий ответ готовит {case.composer}."
    return None


def _part_sent(case: Case, me: Person) -> str:
    """R-8.9: what became of a body's information, by the way the curator chose to put the answer together."""
    case.refresh_from_db(fields=["composer", "version"])
    mode = case.multi_mode
    if mode == Case.MultiMode.PARTS_ONE_BY_ONE:
        return (
            "Информация органа направлена куратору: когда информацию направят все органы, куратор согласует её, "
            "и она будет опубликована отдельным ответом автору."
        )
    if mode == Case.MultiMode.COMMON_BY_CURATOR:
        return (
            "Информация органа направлена куратору: он подготовит общий ответ, когда поступит информация "
            "всех органов."
        )
    if case.composer_id is not None and actions.may_compose(case, me, timezone.now()):
        return (
            "Информация органа сохранена. Вся информация поступила: подготовьте общий ответ "
            "(его готовит орган, направивший информацию последним)."
        )
    if case.composer_id is not None:
        return f"Информация органа направлена: общий ответ готовит {case.composer}."
    return (
        "Информация органа направлена: общий ответ подготовит исполнитель органа, который направит свою "
        "информацию последним."
    )


def _readable_draft(case: Case, me: Person, draft_pk: int) -> Draft:
    """The case's draft `draft_pk` for a page that shows it (the revision editor, the publication form, the review,
    an attachment); 404 when it is not the case's or when `me` may not read it (`scoping.may_read_draft`: another
    body's unpublished answer to a Governor's-post question, R-7.1, R-4.2), as on the case page."""
    draft = get_object_or_404(case.drafts.select_related("assignment"), pk=draft_pk)
    if not scoping.may_read_draft(me, case, draft):
        raise Http404
    return draft


@login_required
def attachment(request: HttpRequest, pk: int, draft_pk: int, index: int) -> HttpResponseBase:
    """R-9: a draft's photo or video, for whoever may open the case (404 for everyone else)."""
    case = _case(request, pk)
    draft = _readable_draft(case, _me(request), draft_pk)
    if not 0 <= index < len(draft.attachments):
        raise Http404
    name = draft.attachments[index]
    if not default_storage.exists(name):
        raise Http404
    item = attachments.Attachment(name)
    response = FileResponse(default_storage.open(name, "rb"), filename=item.title)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def review(request: HttpRequest, pk: int, draft_pk: int) -> HttpResponse:
    case = _case(request, pk)
    draft = _readable_draft(case, _me(request), draft_pk)
    comment = posted_text(request, "comment")
    try:
        if request.POST.get("decision") == "approve":
            actions.approve_draft(_me(request), draft, comment, expected_version=_version(request))
            messages.success(request, "Проект согласован.")
        else:
            actions.return_draft(_me(request), draft, comment, expected_version=_version(request))
            messages.success(request, "Проект возвращён на доработку.")
    except ActionRefused as exc:
        messages.error(request, exc.message)
        # the comment typed is kept; a return without one puts the focus on it
        field = "comment" if exc.code == "comment" else ""
        return _detail(request, pk, review_comment=comment, error_field=field, status=400)
    return _back(case)


def _network_label(network: str) -> str:
    """The network's Russian name («ВКонтакте»), not its code."""
    return str(Network(network).label) if network in Network.values else network or "—"


@login_required
def publish(request: HttpRequest, pk: int, draft_pk: int) -> HttpResponse:
    """R-8.7: confirm the link of the published answer."""
    case = _case(request, pk)
    if not scoping.can_work(_me(request)):  # observers read only (R-4.3): no form they cannot send
        raise Http404
    draft = _readable_draft(case, _me(request), draft_pk)
    # R-9: the approved photos and videos are posted with the text, so the page offers them to open and save
    draft.files = [attachments.Attachment(n) for n in draft.attachments]  # type: ignore[attr-defined]
    # R-8.7: a case of several people's messages is answered under each author's one: a link for each
    others = actions.by_hand_also(case, draft)
    typed = (
        {m.pk: posted_text(request, f"also_{m.pk}").strip() for m in others}
        if request.method == "POST"
        else {}
    )
    ctx = {
        "case": case,
        "draft": draft,
        "network": _network_label(case.network),
        "url": "",
        "others": [(m, typed.get(m.pk, "")) for m in others],
        "first": next(iter(actions.live_authors(case)), None) if others else None,
    }
    if request.method != "POST":
        if draft.state != Draft.State.APPROVED:  # opened again («Назад» in the browser) after the publication
            messages.info(
                request,
                "Публикация уже подтверждена."
                if draft.state == Draft.State.PUBLISHED
                else actions.REFUSALS["confirm_publication"],
            )
            return _back(case)
        return render(request, "cases/publish_form.html", ctx)
    url = ctx["url"] = posted_text(request, "url").strip()  # kept in the form when refused
    try:
        actions.confirm_publication(
            _me(request), draft, url=url, expected_version=_version(request), also=typed
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
        # the link the refusal is about gets the focus and the reason beside it (base.html, otklik.js)
        ctx["error_field"] = exc.field or ("url" if exc.code in ("url", "network") else "")
        return render(request, "cases/publish_form.html", ctx, status=400)
    messages.success(request, "Публикация подтверждена.")
    return _back(case)


@login_required
@require_POST
def confirm_also(request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
    """R-8.7: the link of the reply published by hand under another author's message (`actions.confirm_also`)."""
    case = _case(request, pk)
    if not scoping.can_work(_me(request)):
        raise Http404
    try:
        actions.confirm_also(_me(request), case, message_pk, url=posted_text(request, "url"))
        messages.success(request, f"Публикация под сообщением № {message_pk} подтверждена.")
    except ActionRefused as exc:
        messages.error(request, exc.message)
    return _back(case)


@login_required
@require_POST
def reject(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    case = _case(request, pk)
    a = get_object_or_404(case.assignments, pk=assignment_pk)
    reason = posted_text(request, "reason")
    try:
        actions.reject_assignment(_me(request), a, reason, expected_version=_version(request))
    except ActionRefused as exc:
        messages.error(request, exc.message)
        # the reason typed is kept; without one, the focus goes to this assignment's reason (an id: several forms
        # of the page have a «reason»)
        field = f"#reject-reason-{a.pk}" if exc.code == "reason" else ""
        return _detail(request, pk, rejecting=(a.pk, reason), error_field=field, status=400)
    messages.success(request, "Куратор получил сообщение об отказе.")
    return _back(case)


@dataclass(frozen=True)
class HandOverChoices:
    """The hand-over form of one assignment: the executors `actions.hand_over_duty` accepts (`away`: their substitute
    gets it) and, in words, why each other active executor of the body is not offered."""

    offered: list[Person]
    not_offered: list[str]


def _hand_over_choices(case: Case, assignments: list[Assignment], me: Person) -> dict[int, HandOverChoices]:
    """Assignment id → whom its body's responsible official (or whoever does his work while he is away, R-6) may
    give it to, by the action's own rule."""
    from otklik.governor.actions import heading_body_ids

    if case.origin != Case.Origin.CURATOR or case.status not in Case.OPEN_STATUSES:
        return {}  # a Governor's-post question is handed over on the post's page (R-7)
    now = timezone.now()
    heads_of = heading_body_ids(me, now)
    open_ones = [a for a in assignments if a.body_id in heads_of and actions.can_hand_over(case, a)]
    if not open_ones:
        return {}
    people: dict[int, list[Person]] = {}
    for role in (
        Role.objects.filter(
            kind=Role.Kind.EXECUTOR, body_id__in={a.body_id for a in open_ones}, person__is_active=True
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person_id")
    ):
        people.setdefault(role.body_id or 0, []).append(role.person)
    out: dict[int, HandOverChoices] = {}
    for a in open_ones:
        offered: list[Person] = []
        not_offered: list[str] = []
        for p in people.get(a.body_id, []):
            if p.pk == a.executor_id:
                continue
            try:
                duty = actions.hand_over_duty(a, p, now)
            except actions.HandOverRefused as exc:
                not_offered.append(exc.why)
                continue
            p.away = duty.person != p  # type: ignore[attr-defined]  # the form says so: their substitute gets it
            offered.append(p)
        out[a.pk] = HandOverChoices(offered, not_offered)
    return out


@login_required
@require_POST
def hand_over(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """R-6: the body's responsible official gives the body's work on the case to another executor."""
    case = _case(request, pk)
    a = get_object_or_404(case.assignments, pk=assignment_pk)
    executor = Person.objects.filter(pk=whole_number(request.POST.get("executor")) or 0).first()
    try:
        if executor is None:
            raise ActionRefused("Выберите исполнителя из списка.")
        a = actions.hand_to_executor(_me(request), a, executor, expected_version=_version(request))
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return _back(case)
    instead = f" ({a.duty_note})" if a.executor_id != executor.pk and a.duty_note else ""
    messages.success(
        request, f"Работа органа «{a.body}» по обращению передана: исполнитель {a.executor}{instead}."
    )
    return _back(case)


@login_required
@require_POST
def reassign(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    case = _case(request, pk)
    a = get_object_or_404(case.assignments, pk=assignment_pk)
    chosen = whole_number(request.POST.get("body"))
    body = Body.objects.filter(pk=chosen or 0).first()
    try:
        if not chosen:
            raise ActionRefused("Выберите орган.")
        if body is None:  # a stale page or a typed number; the action itself refuses a body that cannot work
            raise ActionRefused("Выберите орган из списка действующих органов.")
        new = actions.reassign(_me(request), a, body, expected_version=_version(request))
        if new.state == Assignment.State.WAITING:  # R-8.9: its turn has not come; it takes no executor yet
            if actions.default_executor(body) is None:  # R-6: and nobody in it could take it then
                messages.warning(
                    request,
                    f"Назначен орган «{body}» (получит обращение в свою очередь), но в нём нет никого, кто мог бы "
                    "взять обращение: свяжитесь с органом или назначьте другой.",
                )
            else:
                messages.success(
                    request, f"Назначен орган «{body}»: он получит обращение в свою очередь (п. 8.9)."
                )
        elif new.executor is None:  # R-6: nobody of the body can take it now; the curator must act
            messages.warning(
                request,
                f"Назначен орган «{body}», но в нём сейчас нет никого на месте, кто мог бы взять обращение: "
                "свяжитесь с органом или назначьте другой.",
            )
        else:
            messages.success(request, f"Назначен орган «{body}», исполнитель {new.executor}.")
    except ActionRefused as exc:
        messages.error(request, exc.message)
    return _back(case)


@login_required
@require_POST
def without_author(request: HttpRequest, pk: int) -> HttpResponse:
    """R-8.8: the author has not answered the clarification request; the answer is prepared without it."""
    case = _case(request, pk)
    try:
        actions.answer_without_author(_me(request), case, expected_version=_version(request))
        messages.success(request, "Подготовка ответа продолжается без уточнения автора.")
    except ActionRefused as exc:
        messages.error(request, exc.message)
    return _back(case)


@login_required
@require_POST
def author_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The author's reply to a clarification request, entered with its link (connectors: issue 5). The message
    is stored together with the action: a refused reply (an observer, another body, a case not waiting for the
    author) leaves nothing behind, neither in the inbox nor under the number the next reply would take."""
    case = _case(request, pk)
    text, url = posted_text(request, "text").strip(), posted_text(request, "url").strip()
    try:
        if not text:
            raise ActionRefused("Вставьте текст ответа автора.", "text")
        network = case.network or Network.OTHER
        # By its link the reply is the row a connector (or manual entry) stores for it, not a second copy — in the
        # link's own network when the author answered in another one (the body's Telegram channel)
        try:
            if url and not on_network(url, network) and (linked := network_of(url)) != Network.OTHER:
                network = linked
            external = (
                external_id_of(url, network)
                if url
                else f"case-{case.pk}-reply-{case.case_messages.count() + 1}"
            )
        except ValueError:  # e.g. an unbalanced "[" in the host
            raise ActionRefused("Ссылка не распознана: скопируйте её из адресной строки.", "url") from None
        with transaction.atomic():
            # Also under another form of its link: a public Telegram or blog reply the network delivered first.
            message = find_stored(url, network, external) if url else None
            if message is None:
                message, _ = Message.objects.get_or_create(
                    network=network,
                    external_id=external,
                    defaults={
                        "text": text,
                        "text_raw": text,
                        "url": web_link(url),
                    },
                )
            actions.register_author_reply(_me(request), case, message, expected_version=_version(request))
        messages.success(request, "Ответ автора добавлен, подготовка ответа продолжается.")
    except ActionRefused as exc:
        messages.error(request, exc.message)
        # the page comes back with the form open and what was pasted in it, the field at fault marked
        link_codes = ("url", "taken", "author", "blocked")
        field = "#reply-text" if exc.code == "text" else "#reply-url" if exc.code in link_codes else ""
        return _detail(request, pk, replying=(text, url), error_field=field, status=400)
    return _back(case)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    reason = posted_text(request, "reason")
    try:
        actions.close_case(_me(request), case, reason, expected_version=_version(request))
    except ActionRefused as exc:
        messages.error(request, exc.message)
        # the reason typed is kept in the opened form; without one, the focus goes to it (an id: the executor's
        # «не наша компетенция» has a «reason» too)
        field = "#close-reason" if exc.code == "reason" else ""
        return _detail(request, pk, closing=reason, error_field=field, status=400)
    messages.success(request, "Обращение закрыто.")
    return _back(case)


def _governor_watch_id(case: Case) -> int | None:
    """R-7.1: a question under the Governor's post is worked on the post's page, not through clause 8."""
    if case.origin != Case.Origin.GOVERNOR_POST:
        return None
    from otklik.governor.models import Comment

    watch_id: int | None = (
        Comment.objects.filter(case=case).values_list("watch_id", flat=True).order_by("pk").first()
    )
    return watch_id
