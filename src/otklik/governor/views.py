"""The Governor's posts: the list and the post page with its R-7.4 schedule and every comment (R-7.1 … R-7.4).

Every staff member with a body (and curators, observers) sees the Governor's posts, so that a body can take a
comment routed elsewhere (R-7.1); acting on a question is the actions' business (they refuse what a person may
not do)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from otklik.analysis.models import Kind
from otklik.analysis.pipeline import excluded, suggestions_for_many
from otklik.cases import scoping
from otklik.cases.actions import ActionRefused, StaleCase, body_ids_of
from otklik.cases.models import Assignment, Case, CaseMessage, Deadline, Draft, Publication
from otklik.intake.models import Message
from otklik.org.models import Body, Person, Role
from otklik.web.numbers import whole_number
from otklik.web.typed import posted_text

from . import actions, service
from .models import Comment, GovernorSettings, Watch


def _me(request: HttpRequest) -> Person:
    user = request.user
    assert isinstance(user, Person)
    return user


def _may_see(person: Person) -> bool:
    return scoping.sees_all(person) or bool(scoping.my_body_ids(person))


def _body(request: HttpRequest) -> Body:
    """The body a form posted; a missing or garbled number (a tampered «abc») is a 404, never a 500."""
    return get_object_or_404(Body, pk=whole_number(request.POST.get("body")) or 0)


def _my_bodies(person: Person) -> list[Body]:
    return list(Body.objects.filter(pk__in=scoping.my_body_ids(person)).order_by("name"))


@login_required
def post_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    if not _may_see(me):
        raise Http404
    watches = list(Watch.objects.select_related("post", "post__source").order_by("-started_at")[:200])
    # the questions still in work under each post, and those among them one's own body answers (two queries)
    in_work = Comment.objects.filter(
        watch_id__in=[w.pk for w in watches], case__status__in=Case.OPEN_STATUSES
    ).exclude(kind=Comment.Kind.BLOCKED)
    counts = dict(
        in_work.values("watch_id").annotate(n=Count("case", distinct=True)).values_list("watch_id", "n")
    )
    my_ids = scoping.my_body_ids(me)
    # a body's live part (`actions.parts_of`): the same assignment row is the body's and not handed over; a part
    # another body handed over to it counts, whatever became of the earlier body's; one it has answered (published)
    # is no longer its to answer while the others' parts run (R-7.2 with several bodies)
    my_parts = Assignment.objects.filter(body_id__in=my_ids).exclude(
        state__in=[*Assignment.GONE, Assignment.State.DONE]
    )
    mine = (
        dict(
            in_work.filter(case__assignments__in=my_parts)
            .values("watch_id")
            .annotate(n=Count("case", distinct=True))
            .values_list("watch_id", "n")
        )
        if my_ids
        else {}
    )
    # questions no body has, for a body to take (`service.unrouted_questions`)
    unrouted = dict(
        service.unrouted_questions()
        .filter(watch_id__in=[w.pk for w in watches])
        .values("watch_id")
        .annotate(n=Count("pk"))
        .values_list("watch_id", "n")
    )
    for w in watches:
        w.unrouted = unrouted.get(w.pk, 0)  # type: ignore[attr-defined]
        w.open_questions = counts.get(w.pk, 0)  # type: ignore[attr-defined]
        w.my_open_questions = mine.get(w.pk, 0)  # type: ignore[attr-defined]
    return render(request, "governor/post_list.html", {"watches": watches, "has_body": bool(my_ids)})


@login_required
def post_page(request: HttpRequest, pk: int) -> HttpResponse:
    """R-7.4: the schedule, each check done or missed, every question with its state; the rest of the comments."""
    me = _me(request)
    if not _may_see(me):
        raise Http404
    watch = get_object_or_404(Watch.objects.select_related("post", "post__source"), pk=pk)
    now = timezone.now()
    my_bodies = _my_bodies(me)
    my_ids = {b.pk for b in my_bodies}
    # an answer refused on this page, kept in its form until one of the part is taken (`answer`): a reload loses
    # nothing
    typed: dict[str, str] = request.session.get(TYPED, {})
    typed_interim: list[str] = request.session.get(TYPED_INTERIM, [])  # ... and whether it was an interim one
    typed_urls: dict[str, str] = request.session.pop(TYPED_URL, {})  # a link refused a moment ago (`confirm`)
    rows: list[dict[str, Any]] = []
    comments = list(
        watch.comments.select_related("message", "body", "case").order_by("message__published_at", "id")
    )
    # read once for the page, not per question: each question's bodies, their answers, terms and publications,
    # the case's own answers, terms and the author's details (`actions.prefetched`)
    prefetch_related_objects([c.case for c in comments if c.case is not None], *QUESTION_PREFETCH)
    # ... and the viewer's roles and the questions' «ответ не нужен» decisions
    heading = actions.heading_body_ids(me, now)
    page = QuestionPage(
        heads=heading,
        approving=actions.approving_body_ids(me, now, heading),
        not_needed=actions.not_needed_reasons_of(c.case_id for c in comments if c.case_id is not None),
    )
    for c in comments:
        row: dict[str, Any] = {"comment": c, "case": c.case}
        if c.case is not None and c.kind in TAKEN_KINDS:
            row.update(_question_row(c.case, me, my_bodies, now, page))
            for part in row["parts"]:
                key = f"{c.case.pk}-{part['assignment'].body_id}"
                part["typed"], part["typed_url"] = (
                    _still_kept(typed.get(key), part["seen"]),
                    typed_urls.get(key, ""),
                )
                part["typed_interim"] = key in typed_interim
        else:
            # a comment deleted in the network can be answered under by nobody: neither taken nor sent on
            live = not c.message.is_official and c.message.deleted_at is None
            row.update(
                can_take=bool(my_ids) and c.case is None and c.kind != Comment.Kind.BLOCKED and live,
                # a question no body has: a curator sends it to a body or finds no answer is needed
                can_route=me.is_curator and c.case is None and c.kind == Comment.Kind.QUESTION and live,
            )
        rows.append(row)

    # A comment a body took in is work too, whatever the detector said; what an official account wrote (a
    # body's answer published by hand) is nobody's work even when it asks the author something.
    def is_work(r: dict[str, Any]) -> bool:
        c = r["comment"]
        return "state" in r or (c.kind == Comment.Kind.QUESTION and not c.message.is_official)

    questions = [r for r in rows if is_work(r)]
    others = [r for r in rows if not is_work(r)]
    # a case number is a link for those who may open the case (its bodies, curators, observers)
    in_cases = {r["case"].pk for r in rows if r["case"] is not None}
    openable = set(scoping.cases_for(me).filter(pk__in=in_cases).values_list("pk", flat=True))
    return render(
        request,
        "governor/post.html",
        {
            "watch": watch,
            "post": watch.post,
            "checks": watch.checks.order_by("number"),
            "questions": questions,
            "others": others,
            "openable": openable,
            "unwatched": [] if watch.is_watched else _unwatched_comments(watch),
            "my_bodies": my_bodies,
            # the bodies a question may go to: the office curates and answers none
            "all_bodies": Body.objects.filter(is_active=True, is_coordinator=False).order_by("name"),
            "settings_rows": _settings_rows(me, my_bodies),
            "now": now,
            # the field a refusal a moment ago is about, focused and marked (`_refused`, base.html, otklik.js)
            "error_field": request.session.pop(REFUSED_FIELD, ""),
        },
    )


# what the post page reads of its questions' cases at once, each relation whole and in id order (`_question_row`,
# `actions.parts_of`, `actions.part_phase`, `service.part_state`, `service.question_state`)
QUESTION_PREFETCH = (
    Prefetch("assignments", queryset=Assignment.objects.select_related("body", "executor").order_by("id")),
    Prefetch("assignments__drafts", queryset=Draft.objects.order_by("id")),
    "assignments__drafts__publication",
    Prefetch("assignments__deadlines", queryset=Deadline.objects.order_by("id")),
    Prefetch("drafts", queryset=Draft.objects.select_related("assignment").order_by("id")),
    Prefetch("deadlines", queryset=Deadline.objects.order_by("id")),
    Prefetch("case_messages", queryset=CaseMessage.objects.select_related("message").order_by("id")),
)


def _publication(draft: Draft) -> Publication | None:
    """The draft's publication, from the page's prefetch."""
    try:
        return draft.publication
    except Publication.DoesNotExist:
        return None


# the comments whose case is shown as a question on the post page: questions and whatever a body took in
TAKEN_KINDS = (Comment.Kind.QUESTION, Comment.Kind.OTHER, Comment.Kind.AFTER_WATCH, Comment.Kind.REPEAT)


def _settings_rows(me: Person, my_bodies: list[Body]) -> list[tuple[Body, bool]]:
    return [
        (b, GovernorSettings.objects.filter(body=b, require_approval=True).exists())
        for b in my_bodies
        if actions.is_responsible(me, b)
    ]


def _unwatched_comments(watch: Watch) -> list[dict[str, Any]]:
    """The comments of a post without checks or deadlines (history, or dates out of the calendar): kept and
    shown as read, not triaged; what moderation blocked (R-10) stays hidden."""
    post = watch.post
    found = list(
        Message.objects.filter(post=post)
        .exclude(network=post.network, external_id=post.external_id)
        .order_by("published_at", "id")
    )
    verdicts = suggestions_for_many(found)
    return [
        {
            "message": m,
            # not analysed yet (the worker's queue, or the worker down): as the moderation would decide, never
            # shown in full before its verdict (`pipeline.excluded`)
            "blocked": verdicts[m.pk]["blocked"]
            if Kind.MODERATION in verdicts[m.pk] or m.is_official  # our own answers are not analysed
            else excluded(m),
        }
        for m in found
    ]


@dataclass
class QuestionPage:
    """What every question row of a post page shares: the viewer's bodies where they are the responsible official,
    those whose answers they approve now (`actions.approving_body_ids`: also an absent head's substitute, R-6), and
    the «ответ не нужен» decisions of the page's questions by case."""

    heads: set[int]
    approving: set[int]
    not_needed: dict[int, list[str]]


def _question_row(
    case: Case, me: Person, my_bodies: list[Body], now: Any, page: QuestionPage
) -> dict[str, Any]:
    """A question on the post page: its overall state and one part per body answering it (R-7.2), each with
    the body's deadline, answers and what the person may do with that part."""
    my_ids = {b.pk for b in my_bodies}
    office = scoping.sees_all(me)

    def readable(drafts: list[Draft], body_id: int | None) -> list[Draft]:
        # a body's unpublished wording is its own and the office's; the others see what went out
        if office or body_id in my_ids:
            return drafts
        return [d for d in drafts if d.state == Draft.State.PUBLISHED]

    parts: list[dict[str, Any]] = []
    live = actions.parts_of(case)
    for a in live:
        phase = actions.part_phase(a)
        state = service.part_state(case, a, now)
        drafts = sorted(a.drafts.all(), key=lambda d: d.pk)  # prefetched (`QUESTION_PREFETCH`)
        terms = [
            d
            for d in sorted(a.deadlines.all(), key=lambda d: d.pk)
            if d.case_id == case.pk and d.stage in actions.GOV_STAGES
        ]
        mine = a.body_id in my_ids
        parts.append(
            {
                "assignment": a,
                "state": state,
                "state_label": service.QUESTION_STATES[state],
                "deadline": terms[-1] if terms else None,
                "drafts": readable(drafts, a.body_id),
                "publications": sorted(
                    (pub for d in drafts if (pub := _publication(d)) is not None), key=lambda pub: pub.pk
                ),
                "seen": drafts[-1].pk if drafts else 0,
                "mine": mine,
                "can_answer": mine and phase in actions.TRANSITIONS["gov_submit"][0],
                "can_hand_over": mine and phase in actions.TRANSITIONS["gov_handover"][0],
                # `actions.may_approve`, from the viewer's roles and absences read once for the page
                "can_approve": mine and phase == Case.Status.REVIEW and a.body_id in page.approving,
                "can_confirm": mine and phase == Case.Status.PUBLISHING,
            }
        )
    live_ids = {a.pk for a in live}
    state = service.question_state(case, now)
    answering = {a.body_id for a in live}
    free = [b for b in my_bodies if b.pk not in answering]
    still_open = [p for p in parts if p["state"] not in ("answered", "not_needed")]
    mine = any(p["mine"] for p in parts)
    heads = page.heads
    return {
        # «ответ не нужен» (`actions.end_question`): a curator, or the head of a body whose part is still open
        "can_end": case.status in Case.OPEN_STATUSES
        and bool(
            actions.parts_to_end(
                me,
                [p["assignment"] for p in parts if p["assignment"].state != Assignment.State.DONE],
                heads,
                now=now,
            )
        ),
        "not_needed": page.not_needed.get(case.pk, []),
        "state": state,
        "state_label": service.QUESTION_STATES[state],
        "parts": parts,
        "assignment": live[-1] if live else None,
        # what bodies replaced by a hand-over wrote stays visible
        "earlier_drafts": [
            d
            for d in sorted(case.drafts.all(), key=lambda d: d.pk)  # prefetched with their assignments
            if d.assignment_id not in live_ids
            and readable([d], d.assignment.body_id if d.assignment is not None else None)
        ],
        # the author's details, where the answer is written (not only among the post's other comments)
        # (prefetched with their messages)
        "author_replies": [
            link.message
            for link in sorted(case.case_messages.all(), key=lambda link: link.pk)
            if link.is_author_reply
        ],
        "mine": mine,
        "join_bodies": free if case.status in Case.OPEN_STATUSES and live else [],
        "can_take": bool(free)
        and not mine
        and len(still_open) == 1
        and actions.part_phase(still_open[0]["assignment"]) in (Case.Status.DRAFTING, Case.Status.REVISION),
    }


def _part_body(request: HttpRequest) -> Body | None:
    """Which body's part of the question a form acts on (hidden «part»); none: the person's only part."""
    if "part" not in request.POST:
        return None
    return get_object_or_404(Body, pk=whole_number(request.POST.get("part")) or 0)


def _case(pk: int) -> Case:
    return get_object_or_404(Case, pk=pk, origin=Case.Origin.GOVERNOR_POST)


# the session key of an answer refused on the post page, shown again in its form (`answer`, `post_page`)
TYPED = "governor_typed_answer"
# ... whether that answer was an interim one (R-7.3: a request for details must not come back as a final answer)
TYPED_INTERIM = "governor_typed_interim"
# ... of a publication link refused there (`confirm`), and of the id of the field a refusal is about
TYPED_URL = "governor_typed_url"
REFUSED_FIELD = "governor_refused_field"


def _refused(request: HttpRequest, exc: ActionRefused, field: str = "") -> None:
    """The refusal's reason on the post page; ``field`` (an element id, «#answer-…») when it is about a field
    of one of its forms: the page the redirect leads to focuses and marks it. Each question on the page has
    its own forms, so the fields are told apart by id, not by name."""
    messages.error(request, exc.message)
    if field:
        request.session[REFUSED_FIELD] = field


def _part_key(request: HttpRequest, case: Case, me: Person) -> str:
    """«<case>-<body>»: which part's form a refused text or link is shown again in, and its fields' ids."""
    body_id = whole_number(request.POST.get("part", "")) or next(
        (a.body_id for a in actions.parts_of(case) if a.body_id in body_ids_of(me)), 0
    )
    return f"{case.pk}-{body_id}"


def _back(case_or_watch: Case | Watch) -> HttpResponse:
    if isinstance(case_or_watch, Watch):
        return redirect("governor:post", case_or_watch.pk)
    comment = Comment.objects.filter(case=case_or_watch).select_related("watch").first()
    if comment is None:
        raise Http404
    return redirect("governor:post", comment.watch_id)


@require_POST
@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    case = _case(pk)
    raw_version = request.POST.get("version", "").strip()
    raw_seen = request.POST.get("seen", "").strip()
    try:
        if (raw_version and whole_number(raw_version) is None) or (
            raw_seen and whole_number(raw_seen) is None
        ):
            raise ActionRefused("Страница устарела: обновите её и повторите ответ.", "stale")
        part = _part_body(request)
        if raw_seen:
            # The part's own latest answer guards against a lost update: another body's action in between
            # (several bodies answer one question) must not make this body's answer stale.
            version, seen = None, whole_number(raw_seen)
        else:
            version, seen = whole_number(raw_version) if raw_version else case.version, None
        draft = actions.submit_answer(
            case,
            me,
            posted_text(request, "text"),
            interim=request.POST.get("interim") == "1",
            expected_version=version,
            body=part,
            seen_draft=seen,
        )
        if draft.state == Draft.State.APPROVED:
            error = service.publish(case, me, draft=draft)
            if error == service.UNKNOWN_OUTCOME:
                messages.warning(request, f"Ответ отправлен в сеть, но {error}; затем укажите ссылку.")
            elif error:
                messages.warning(
                    request,
                    f"Ответ не опубликован автоматически ({error}): опубликуйте вручную и укажите ссылку.",
                )
            else:
                messages.success(request, "Ответ опубликован под комментарием.")
        else:
            messages.success(
                request, "Ответ направлен на согласование ответственному должностному лицу органа."
            )
        _keep_typed(request, _part_key(request, case, me), None)  # taken: the kept text is done with
    except ActionRefused as exc:
        key = _part_key(request, case, me)
        if isinstance(
            exc, StaleCase
        ):  # the page the redirect shows: the question as it is now, the text kept
            exc = ActionRefused(
                "Вопрос уже изменил другой сотрудник: на странице он показан как есть сейчас. Ваш ответ не "
                "отправлен и сохранён в поле ответа — проверьте его и отправьте снова.",
                "stale",
            )
        _refused(request, exc, f"#answer-{key}" if exc.code in ("empty", "too_long", "stale") else "")
        # the typed answer comes back in its form: a refusal (too long for the network, a stale page) loses nothing
        body_id = int(key.rpartition("-")[2] or 0)
        part_now = next((a for a in actions.parts_of(case) if a.body_id == body_id), None)
        last = part_now.drafts.order_by("-id").values_list("pk", flat=True).first() if part_now else None
        _keep_typed(
            request,
            key,
            posted_text(request, "text"),
            interim=request.POST.get("interim") == "1",
            last=last or 0,
        )
    return _back(case)


def _still_kept(kept: Any, seen: int) -> str:
    """The answer kept for a part (`_keep_typed`: [text, the part's last answer then]) while no answer of the part
    was taken since it was refused — by this person or a colleague, here or on the case page; "" after."""
    if isinstance(kept, list) and len(kept) == 2 and kept[1] == seen:
        return str(kept[0])
    return ""


def _keep_typed(
    request: HttpRequest, key: str, text: str | None, *, interim: bool = False, last: int = 0
) -> None:
    """Keep the answer typed for the part `key` in the session (None: forget it, the answer was taken), with the
    part's last answer then (`last`): the post page shows it in the part's form on every showing until an answer
    of the part is taken (`_still_kept`)."""
    typed = dict(request.session.get(TYPED, {}))
    marked = [k for k in request.session.get(TYPED_INTERIM, []) if k != key]
    typed.pop(key, None)
    if text is not None:
        typed[key] = [text, last]
        if interim:
            marked.append(key)
    if typed != request.session.get(TYPED, {}) or marked != request.session.get(TYPED_INTERIM, []):
        request.session[TYPED], request.session[TYPED_INTERIM] = typed, marked


@require_POST
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    case = _case(pk)
    try:
        part = _part_body(request)
        if request.POST.get("decision") == "return":
            actions.return_answer(case, me, posted_text(request, "comment"), body=part)
            messages.success(request, "Ответ возвращён исполнителю.")
        else:
            draft = actions.approve_answer(case, me, body=part)
            error = service.publish(case, me, draft=draft)
            if error == service.UNKNOWN_OUTCOME:
                messages.warning(
                    request, f"Согласовано и отправлено в сеть, но {error}; затем укажите ссылку."
                )
            elif error:
                messages.warning(request, f"Согласовано; опубликуйте вручную и укажите ссылку ({error}).")
            else:
                messages.success(request, "Согласовано и опубликовано.")
    except ActionRefused as exc:
        key = _part_key(request, case, me)
        _refused(request, exc, f"#return-comment-{key}" if exc.code == "comment" else "")
    return _back(case)


@require_POST
@login_required
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    case = _case(pk)
    try:
        part = _part_body(request)
        draft = None
        if part is not None:
            draft = (
                case.drafts.filter(state=Draft.State.APPROVED, assignment__body=part).order_by("-id").first()
            )
            if draft is None:
                raise ActionRefused(f"{actions.REFUSALS['gov_publish']} Ответ органа «{part}» не согласован.")
        actions.confirm_publication(
            case, method="manual", url=posted_text(request, "url"), actor=me, draft=draft
        )
        messages.success(request, "Публикация подтверждена.")
    except ActionRefused as exc:
        key = _part_key(request, case, me)
        _refused(request, exc, f"#confirm-url-{key}" if exc.code in ("url", "network") else "")
        request.session[TYPED_URL] = {key: posted_text(request, "url")}
    return _back(case)


@require_POST
@login_required
def take(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    comment = get_object_or_404(Comment.objects.select_related("watch", "message"), pk=pk)
    body = _body(request)
    try:
        # a comment the moderation excluded has no «Взять» button; a posted form does not take it either.
        if comment.kind == Comment.Kind.BLOCKED:
            raise ActionRefused(
                "Комментарий исключён модерацией (п. 10 Положения): в работу его не берут.", "blocked"
            )
        service.take_comment(comment, me, body)
        messages.success(request, f"Комментарий взят в работу органом «{body}».")
    except ActionRefused as exc:
        messages.error(request, exc.message)
    return _back(comment.watch)


@require_POST
@login_required
def route(request: HttpRequest, pk: int) -> HttpResponse:
    """R-7.2: a curator sends a question no body has to the competent body (`service.route_comment`)."""
    comment = get_object_or_404(Comment.objects.select_related("watch"), pk=pk)
    body = _body(request)
    try:
        case = service.route_comment(comment, _me(request), body)
        messages.success(request, f"Вопрос направлен органу «{body}»: обращение № {case.pk}.")
    except ActionRefused as exc:
        messages.error(request, exc.message)
    return _back(comment.watch)


@require_POST
@login_required
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """A curator finds a question no body has needs no body's answer (`service.dismiss_question`)."""
    comment = get_object_or_404(Comment.objects.select_related("watch"), pk=pk)
    try:
        service.dismiss_question(comment, _me(request), posted_text(request, "reason"))
        messages.success(
            request, "Отмечено: ответ органа не нужен. Комментарий — среди других комментариев поста."
        )
    except ActionRefused as exc:
        _refused(request, exc, f"#dismiss-reason-{comment.pk}" if exc.code == "reason" else "")
    return _back(comment.watch)


@require_POST
@login_required
def not_needed(request: HttpRequest, pk: int) -> HttpResponse:
    """R-7.1, R-7.2: the body's head or a curator ends a question that needs no answer (`actions.end_question`)."""
    me = _me(request)
    case = _case(pk)
    try:
        actions.end_question(case, me, posted_text(request, "reason"), body=_part_body(request))
        messages.success(request, "Отмечено: ответ не нужен. Сроки по вопросу закрыты.")
    except ActionRefused as exc:
        _refused(request, exc, f"#not-needed-reason-{case.pk}" if exc.code == "reason" else "")
    return _back(case)


@require_POST
@login_required
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    case = _case(pk)
    body = _body(request)
    try:
        actions.hand_over(case, me, body, reason=posted_text(request, "reason"), body=_part_body(request))
        messages.success(request, f"Вопрос передан органу «{body}».")
    except ActionRefused as exc:
        key = _part_key(request, case, me)
        _refused(request, exc, f"#handover-reason-{key}" if exc.code == "reason" else "")
    return _back(case)


@require_POST
@login_required
def join(request: HttpRequest, pk: int) -> HttpResponse:
    """R-7.2: the question is also in this body's competence: the body answers its own part."""
    me = _me(request)
    case = _case(pk)
    body = _body(request)
    try:
        actions.join_question(case, me, body, reason=posted_text(request, "reason"))
        messages.success(
            request, f"Орган «{body}» тоже отвечает на вопрос: вопрос в работе органа, срок ответа — ниже."
        )
    except ActionRefused as exc:
        messages.error(request, exc.message)
    return _back(case)


@require_POST
@login_required
def approval_setting(request: HttpRequest, pk: int) -> HttpResponse:
    """R-7.1: the body's responsible official switches approval of its executors' answers."""
    me = _me(request)
    body = _body(request)
    if not Role.objects.filter(person=me, body=body, kind=Role.Kind.RESPONSIBLE).exists():
        raise Http404
    actions.set_require_approval(body, me, request.POST.get("require_approval") == "1")
    messages.success(request, "Настройка согласования сохранена.")
    return redirect("governor:post", pk)
