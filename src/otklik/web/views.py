from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any, Generic, TypeVar

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import Count, DateField, DateTimeField, Model, Prefetch, QuerySet
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from django.views import View
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from django.views.generic.list import MultipleObjectMixin

from otklik.audit.models import AuditEntry
from otklik.cases import scoping as case_scoping
from otklik.cases.inbox import unrouted_messages
from otklik.governor import actions as governor_actions
from otklik.governor import service as governor_service
from otklik.governor.models import Comment, GovernorSettings
from otklik.intake.text import to_str
from otklik.notify.models import Alert
from otklik.notify.services import unseen_alerts
from otklik.org import scoping
from otklik.org.duty import on_duty, substitute_away, unfit_substitutes, work_body_ids
from otklik.org.forms import AbsenceForm, CompetenceForm, OfficialAccountForm, PersonForm
from otklik.org.models import (
    Absence,
    Body,
    Competence,
    Municipality,
    OfficialAccount,
    Person,
    Role,
    TopicGroup,
)
from otklik.org.services import save_absence
from otklik.reports.dashboard import overdue_deadlines
from otklik.reports.monthly import messages_in
from otklik.reports.periods import MSK, Period
from otklik.web.numbers import record_number, whole_number
from otklik.web.search import MAX_TYPED, all_words


class StaffView(LoginRequiredMixin):
    request: HttpRequest

    @property
    def me(self) -> Person:
        return self.request.user  # type: ignore[return-value]


@dataclass(frozen=True)
class Waiting:
    """One figure of the home page: how many, of what, and the page that lists them."""

    key: str  # data-testid of the figure
    count: int
    label: str
    url: str


def _overdue_cases(now: datetime) -> int:
    """Open cases with an overdue deadline, as the dashboard's «С нарушенным сроком» counts them (a case overdue
    for two bodies is one case)."""
    return overdue_deadlines(now).values("case_id").distinct().count()


def _unrouted_governor() -> list[Waiting]:
    """R-7.2: questions under the Governor's posts that no body has, as the list of posts counts them «Без органа»:
    every body watches the posts, so every body's people and the curators see the figure while it is not 0, until
    a body takes the question or a curator sends it to one or finds no answer is needed; it opens the post (the
    list of posts when there are several)."""
    waiting = governor_service.unrouted_questions()
    count = waiting.count()
    if not count:
        return []
    posts = list(waiting.order_by("watch_id").values_list("watch_id", flat=True).distinct()[:2])
    return [
        Waiting(
            "governor-unrouted",
            count,
            "Вопросы под постами Губернатора без органа: возьмите в работу, если они в вашей компетенции (п. 7.2)",
            reverse("governor:post", args=[posts[0]]) if len(posts) == 1 else reverse("governor:posts"),
        )
    ]


def _waiting(me: Person, now: datetime) -> dict[str, list[Waiting]]:
    """What is waiting for `me`, by role: a few COUNTs, each the same selection as the page its link opens."""
    out: dict[str, list[Waiting]] = {}
    if me.is_curator:
        review = case_scoping.awaiting_review()
        out["curator"] = [  # as `cases.views.inbox` and `cases.views.review_queue` select them
            Waiting(
                "inbox-new",
                # the last day's only: the inbox's floor may lie far back (an old message kept apart by the
                # moderation holds it), and a count from there would walk every message since on each visit
                unrouted_messages().filter(received_at__gte=now - timedelta(days=1)).count(),
                "Новые сообщения во входящих за сутки",
                reverse("cases:inbox"),
            ),
            Waiting(
                "review-waiting",
                review.count(),
                "Проекты ответа на согласовании",
                reverse("cases:review_queue"),
            ),
            # a body refused it for competence and she has not named another: a case of one body waits (no
            # term runs), one of several goes on without the refused body's share
            Waiting(
                "rerouting",
                case_scoping.refused_unreplaced().count(),
                "Обращения, от которых орган отказался (не компетенция): направьте другому органу (п. 8.2)",
                f"{reverse('cases:list')}?refused=1",
            ),
            Waiting(
                "overdue-cases",
                _overdue_cases(now),
                "Обращения с нарушенным сроком",
                reverse("reports:dashboard"),
            ),
            # a curator gets no notice of alerts (`notify.services.unseen_alerts`): the last day's
            Waiting(
                "alerts-day",
                Alert.objects.filter(created_at__gt=now - timedelta(hours=24)).count(),
                "Срочные оповещения за последние 24 часа",
                reverse("notify:alerts"),
            ),
            *_unrouted_governor(),
        ]
    body_ids = case_scoping.my_body_ids(me)
    if body_ids or me.is_curator:
        # `cases.views.my_queue`: the cases with open deadlines of my bodies and of my own (a curator's too: a
        # common answer she composes, R-8.9), no window; it lists a case once with all its deadlines, so the
        # figures count cases, not deadlines
        mine = case_scoping.my_deadlines(me)
        queue = reverse("cases:my_queue")

        def cases_of(show: str) -> int:
            return case_scoping.due_now(mine, show, now).order_by().values("case_id").distinct().count()

        out["body"] = [  # each opens «Мои обращения» with just the cases it counts
            # every case waiting for the body's work: a new one due tomorrow is not «today» yet, but it is work
            Waiting(
                "in-work",
                mine.order_by().values("case_id").distinct().count(),
                "Обращения в работе",
                queue,
            ),
            Waiting(
                "due-today",
                cases_of("today"),
                "Обращения со сроком, истекающим сегодня",
                f"{queue}?show=today",
            ),
            Waiting(
                "overdue-deadlines",
                cases_of("overdue"),
                "Обращения с просроченным сроком",
                f"{queue}?show=overdue",
            ),
            *([] if me.is_curator else _unrouted_governor()),  # a curator has it among her figures
        ]
        # the bodies whose answers they approve: theirs as its head, or while its head is away the one they
        # substitute him in (R-6, `governor.actions.approving_body_ids`)
        heads_of = governor_actions.approving_body_ids(me, now)
        # answers under the Governor's posts the body's head approves, while the 2 working hours of
        # run; approved on the post's page (that post's when one post waits, else the list of posts)
        on_review = governor_actions.awaiting_approval(heads_of)
        pending = on_review.count() if heads_of else 0
        # shown where a body of theirs has its answers approved (its own setting), or an answer still waits for
        # approval after the setting was switched off: elsewhere it is always 0
        if pending or (
            heads_of and GovernorSettings.objects.filter(body_id__in=heads_of, require_approval=True).exists()
        ):
            posts = list(
                Comment.objects.filter(case__drafts__in=on_review)
                .order_by("watch_id")  # not the model's ordering, which DISTINCT would keep apart
                .values_list("watch_id", flat=True)
                .distinct()[:2]
            )
            out["body"].append(
                Waiting(
                    "governor-approval",
                    pending,
                    "Ответы под постами Губернатора на вашем согласовании (п. 7.1)",
                    reverse("governor:post", args=[posts[0]])
                    if len(posts) == 1
                    else reverse("governor:posts"),
                )
            )
    if me.is_observer:
        local = now.astimezone(MSK)
        today = Period(datetime.combine(local.date(), time(), MSK), now, "сегодня", "today")
        dashboard = reverse("reports:dashboard")
        out["observer"] = [  # the dashboard's «Поступило сегодня» and «С нарушенным сроком»
            Waiting("incoming-today", messages_in(today).count(), "Поступило сегодня", dashboard),
            Waiting("observer-overdue", _overdue_cases(now), "Обращения с нарушенным сроком", dashboard),
            # the alerts this person has not yet seen on the alerts page (opening it makes them seen)
            Waiting(
                "new-alerts", unseen_alerts(me).count(), "Новые срочные оповещения", reverse("notify:alerts")
            ),
        ]
    return out


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("login")
    me: Person = request.user
    now = timezone.now()
    duty = on_duty(me, now)
    ctx = {
        "duty": duty,
        "substituting": _substituting(me, now),
        "now": now,
        "can_record": scoping.can_record_absences(me),
        "waiting": _waiting(me, now),
    }
    return render(request, "web/home.html", ctx)


def _substituting(me: Person, now: datetime) -> list[Absence]:
    """R-6: the absences whose work is mine now, as `on_duty` gives it: those naming me as substitute, and those
    reaching me through a chain (Алексеева's substitute Борисов is away too and names me) — but not one whose work
    passes me by (I am away myself, or I cannot do it for her body)."""
    current = Absence.objects.filter(starts_at__lte=now, ends_at__gt=now)
    found: dict[int, Absence] = {}
    reach = {me.pk}
    while True:  # the people whose substitute, or whose substitute's substitute …, I am
        more = [
            a for a in current.filter(substitute_id__in=reach).select_related("person") if a.pk not in found
        ]
        if not more:
            break
        for a in more:
            found[a.pk] = a
        reach |= {a.person_id for a in more}

    def mine(a: Absence) -> bool:
        # in any of her bodies: the one doing her work in her second body is her substitute there
        for body_id in [None, *sorted(work_body_ids(a.person))]:
            duty = on_duty(a.person, now, body_id=body_id)
            if duty.person is not None and duty.person.pk == me.pk:
                return True
        return False

    return [a for a in sorted(found.values(), key=lambda a: (a.ends_at, a.pk)) if mine(a)]


class PasswordChange(PasswordChangeView):
    """Everybody changes their own password (the first one comes from the administrator); the session stays
    signed in, the others of this person end."""

    template_name = "directory/simple_form.html"
    success_url = reverse_lazy("home")
    extra_context = {"title": "Смена пароля"}

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Пароль изменён.")
        return response


_Card = TypeVar("_Card", bound=Model)


class SeenCardSave(StaffView, Generic[_Card]):
    """The save of a directory card (the form is a `SeenCardForm`): the card is read again and locked for the
    save, so that the check «has anybody changed it since the page was opened» and the save are one step; two
    saves sent at once cannot both pass it."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with transaction.atomic():
            return super().post(request, *args, **kwargs)  # type: ignore[misc,no-any-return]

    def get_object(self, queryset: QuerySet[_Card] | None = None) -> _Card:
        card: _Card = super().get_object(queryset)  # type: ignore[misc]
        if self.request.method != "POST":
            return card
        return type(card)._default_manager.select_for_update().get(pk=card.pk)


class BodyList(StaffView, ListView[Body]):
    template_name = "directory/body_list.html"

    def get_queryset(self) -> QuerySet[Body]:
        qs = Body.objects.select_related("municipality").annotate(
            n_people=Count("people", distinct=True), n_accounts=Count("accounts", distinct=True)
        )
        level = self.request.GET.get("level")
        if level in Body.Level.values:
            qs = qs.filter(level=level)
        return qs.order_by("-level", "name")  # oblast bodies first, then municipal administrations


class BodyDetail(StaffView, DetailView[Body]):
    template_name = "directory/body_detail.html"
    queryset = Body.objects.select_related("municipality")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        body = self.object
        ctx["roles"] = (
            Role.objects.filter(body=body).select_related("person").order_by("kind", "person__last_name")
        )
        ctx["people"] = body.people.order_by("last_name")
        ctx["accounts"] = body.accounts.order_by("network")
        ctx["competences"] = body.competences.select_related("topic", "topic__group", "municipality")
        return ctx


class NearestPage(MultipleObjectMixin[Any]):
    """A list's page that is no longer there (its last row deleted, an old link) or a garbled page number shows
    the nearest page, not a 404."""

    def paginate_queryset(self, queryset: Any, page_size: int) -> tuple[Any, Any, Any, bool]:
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=self.get_allow_empty())
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))  # type: ignore[attr-defined]
        return paginator, page, page.object_list, page.has_other_pages()


class PersonList(StaffView, NearestPage, ListView[Person]):
    template_name = "directory/person_list.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Person]:
        qs = Person.objects.select_related("body").prefetch_related(
            Prefetch("roles", queryset=Role.objects.select_related("body"))
        )
        body = self.request.GET.get("body", "")
        try:
            body_id = record_number(body) if body else None
        except ValueError:  # «abc», «²»: not a body's number; the whole list, as without the filter
            body = ""
        if body:
            qs = qs.filter(body_id=body_id or 0)  # zero or beyond the largest key: no such body, nobody
        return qs.order_by("last_name", "first_name")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["editable_ids"] = {
            p.pk for p in scoping.editable_people(self.me) if scoping.can_change_person(self.me, p)
        }
        ctx["now"] = timezone.now()
        return ctx


class PersonUpdate(SeenCardSave[Person], UpdateView[Person, PersonForm]):
    template_name = "directory/person_form.html"
    form_class = PersonForm

    def get_queryset(self) -> QuerySet[Person]:
        # People outside the user's reach do not exist for them (404).
        return scoping.editable_people(self.me)

    def get_object(self, queryset: QuerySet[Person] | None = None) -> Person:
        person = super().get_object(queryset)
        refusal = scoping.person_change_refusal(self.me, person)
        if refusal:
            raise PermissionDenied(refusal)
        return person

    def get_form(self, form_class: Any = None) -> PersonForm:
        form = super().get_form(form_class)
        if not self.me.is_administrator:
            # A responsible official cannot move people into other bodies, nor out of hers (decision 0001): a card
            # with no body would leave her reach while its roles still bring the body's cases.
            field = form.fields["body"]
            field.queryset = Body.objects.filter(  # type: ignore[attr-defined]
                pk__in=self.me.responsible_body_ids()
            )
            field.required = self.object.body_id is not None
        return form

    def form_valid(self, form: PersonForm) -> HttpResponse:
        messages.success(self.request, "Карточка сотрудника сохранена.")
        return super().form_valid(form)

    def get_success_url(self) -> str:
        return reverse("person_list")


class AbsenceList(StaffView, NearestPage, ListView[Absence]):
    template_name = "directory/absence_list.html"
    paginate_by = 100

    def get_queryset(self) -> QuerySet[Absence]:
        qs = scoping.visible_absences(self.me)
        if self.request.GET.get("all") != "1":
            qs = qs.filter(ends_at__gt=timezone.now())
        return qs.order_by("starts_at")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        now = timezone.now()
        ctx["now"] = now
        ctx["duties"] = {a.pk: on_duty(a.person, max(now, a.starts_at)) for a in ctx["object_list"]}
        # Recorded before substitutes had to be of the person's body: shown, so that it gets corrected.
        ctx["unfit"] = unfit_substitutes(ctx["object_list"])
        ctx["can_record"] = scoping.can_record_absences(self.me)
        ctx["recordable_ids"] = set(scoping.people_for_absence(self.me).values_list("pk", flat=True))
        return ctx


class AbsenceFormMixin(StaffView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not scoping.can_record_absences(request.user):
            raise PermissionDenied(
                "Вносить отсутствия могут исполнители (свои), ответственные должностные лица "
                "(сотрудников своего органа) и администраторы."
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["people"] = scoping.people_for_absence(self.me).order_by("last_name")
        kwargs["substitutes"] = scoping.substitutes_for_absence(self.me).select_related("body")
        return kwargs

    def form_valid(self, form: AbsenceForm) -> HttpResponse:
        save_absence(form.instance)
        messages.success(self.request, "Отсутствие сохранено.")
        warning = substitute_away(form.instance)
        if warning:  # saved all the same: the substitute's own absence may be recorded wrongly, or be right
            messages.warning(self.request, warning)
        return redirect("absence_list")


class AbsenceCreate(AbsenceFormMixin, CreateView[Absence, AbsenceForm]):
    form_class = AbsenceForm
    template_name = "directory/absence_form.html"

    def get_initial(self) -> dict[str, Any]:
        return {"person": self.me.pk}


class AbsenceUpdate(SeenCardSave[Absence], AbsenceFormMixin, UpdateView[Absence, AbsenceForm]):
    form_class = AbsenceForm
    template_name = "directory/absence_form.html"

    def get_queryset(self) -> QuerySet[Absence]:
        return Absence.objects.filter(person__in=scoping.people_for_absence(self.me))


class CompetenceList(StaffView, NearestPage, ListView[Competence]):
    """The competence matrix, a page of 100 rows at a time, narrowed by body, topic group, territory («вся
    область» or one municipal formation) and words of the topic's name; a garbled filter value is no filter."""

    template_name = "directory/competence_list.html"
    paginate_by = 100

    @cached_property
    def filters(self) -> dict[str, Any]:
        get = self.request.GET
        territory = get.get("territory", "")
        return {
            "body": whole_number(get.get("body")),
            "group": whole_number(get.get("group")),
            "territory": "oblast" if territory == "oblast" else whole_number(territory),
            "q": to_str(get.get("q", "")).strip()[:MAX_TYPED],
        }

    def get_queryset(self) -> QuerySet[Competence]:
        qs = Competence.objects.select_related("topic", "topic__group", "body", "municipality")
        f = self.filters
        if f["body"] is not None:
            qs = qs.filter(body_id=f["body"])
        if f["group"] is not None:
            qs = qs.filter(topic__group_id=f["group"])
        if f["territory"] == "oblast":
            qs = qs.filter(municipality__isnull=True)
        elif f["territory"] is not None:
            qs = qs.filter(municipality_id=f["territory"])
        if f["q"]:
            qs = qs.filter(all_words(f["q"], "topic__name", "topic__group__name"))
        # whole order: pages never repeat or skip rows of one topic and body in several districts
        return qs.order_by("topic__group__name", "topic__name", "body__name", "municipality__name", "id")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = scoping.can_edit_routing(self.me)
        ctx["form"] = CompetenceForm() if ctx["can_edit"] else None
        ctx["filters"] = f = self.filters
        ctx["filtered"] = any(v not in (None, "") for v in f.values())
        # in the order of the names the select shows (a body's short name)
        ctx["bodies"] = sorted(
            Body.objects.filter(competences__isnull=False).distinct(), key=lambda b: str(b)
        )
        ctx["groups"] = (
            TopicGroup.objects.filter(topics__competences__isnull=False).distinct().order_by("name")
        )
        ctx["municipalities"] = (
            Municipality.objects.filter(competences__isnull=False).distinct().order_by("name")
        )
        return ctx


class RoutingEditorMixin(StaffView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not scoping.can_edit_routing(request.user):
            raise PermissionDenied("Изменять справочник могут кураторы и администраторы.")
        return super().dispatch(request, *args, **kwargs)


class CompetenceCreate(RoutingEditorMixin, CreateView[Competence, CompetenceForm]):
    form_class = CompetenceForm
    template_name = "directory/simple_form.html"
    success_url = reverse_lazy("competence_list")
    extra_context = {"title": "Новая компетенция"}


class CompetenceDelete(RoutingEditorMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        # A double click (or a colleague first) finds it gone: said on the list, not a 404 page.
        competence = Competence.objects.filter(pk=pk).first()
        if competence is None or not competence.delete()[0]:
            messages.info(request, "Компетенция уже удалена.")
        else:
            messages.success(request, f"Компетенция удалена: {competence}.")
        # back to the page and narrowing the row was deleted from; only this list's
        back = request.POST.get("next", "")
        if back.startswith(reverse("competence_list") + "?"):
            return redirect(back)
        return redirect("competence_list")


class AccountList(StaffView, ListView[OfficialAccount]):
    template_name = "directory/account_list.html"
    queryset = OfficialAccount.objects.select_related("body").order_by("body__name", "network")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["can_edit"] = scoping.can_edit_routing(self.me)
        return ctx


class AccountCreate(RoutingEditorMixin, CreateView[OfficialAccount, OfficialAccountForm]):
    form_class = OfficialAccountForm
    template_name = "directory/simple_form.html"
    success_url = reverse_lazy("account_list")
    extra_context = {"title": "Новый официальный аккаунт"}


class AccountUpdate(
    SeenCardSave[OfficialAccount], RoutingEditorMixin, UpdateView[OfficialAccount, OfficialAccountForm]
):
    form_class = OfficialAccountForm
    template_name = "directory/simple_form.html"
    success_url = reverse_lazy("account_list")
    queryset = OfficialAccount.objects.all()
    extra_context = {"title": "Официальный аккаунт"}


def public_accounts(request: HttpRequest) -> HttpResponse:
    """R-5: the public list of the bodies' official accounts, no sign-in needed."""
    accounts = (
        OfficialAccount.objects.filter(is_public=True, is_active=True, body__is_active=True)
        .select_related("body")
        .order_by("body__level", "body__name", "network")
    )
    return render(request, "web/public_accounts.html", {"accounts": accounts})


class AuditList(StaffView, NearestPage, ListView[AuditEntry]):
    template_name = "directory/audit_list.html"
    paginate_by = 50

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not request.user.is_administrator:
            raise PermissionDenied("Журнал изменений доступен администраторам.")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[AuditEntry]:
        qs = AuditEntry.objects.all()
        model = self.request.GET.get("model")
        if model:
            qs = qs.filter(model=model)
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        for entry in ctx["object_list"]:
            entry.readable_model, entry.readable_changes = _readable_audit(entry)
        return ctx


def _readable_audit(entry: AuditEntry) -> tuple[str, list[tuple[str, str, str]]]:
    """What the log entry says as a person reads it: the object type's and fields' Russian names, choice
    labels, «да»/«нет», Moscow time and the related objects' names instead of stored codes, UTC and ids."""
    try:
        model = apps.get_model(entry.model)
    except (LookupError, ValueError):
        return entry.model, [(name, _plain(old), _plain(new)) for name, old, new in entry.changed_fields()]
    changes = []
    for name, old, new in entry.changed_fields():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            changes.append((name, _plain(old), _plain(new)))
            continue
        label = capfirst(str(getattr(field, "verbose_name", name)))
        changes.append((label, _audit_value(field, old), _audit_value(field, new)))
    return capfirst(str(model._meta.verbose_name)), changes


def _plain(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _audit_value(field: Any, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field.is_relation and field.related_model is not None:
        pks = value if isinstance(value, list) else [value]
        found = field.related_model._default_manager.in_bulk(pks)
        names = [
            str(found[pk]) if pk in found else f"№ {pk}"
            for pk in (field.related_model._meta.pk.to_python(v) for v in pks)
        ]
        return ", ".join(names)
    if getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and isinstance(field, DateTimeField):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return date_format(timezone.localtime(moment), "d.m.Y H:i")
    if isinstance(value, str) and isinstance(field, DateField):
        try:
            return date_format(date.fromisoformat(value), "d.m.Y")
        except ValueError:
            return value
    return _plain(value)
