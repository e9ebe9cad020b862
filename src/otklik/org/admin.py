from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm, UsernameField
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from . import models
from .duty import WORKING_ROLES, DutyReason, on_duty, substitute_away
from .forms import AbsenceForm, OfficialAccountForm, ScheduleField, SeenCardForm


# The admin's pages refuse to overwrite a card a colleague changed while it was open, as the site's pages do.
class PersonAdminForm(SeenCardForm[models.Person], UserChangeForm):  # type: ignore[type-arg]
    not_compared = (
        "last_login",
        "password",
    )  # a sign-in or a password change meanwhile is no edit of the card

    class Meta:  # UserChangeForm's, for our model
        model = models.Person
        fields = "__all__"
        field_classes = {"username": UsernameField}


class BodyAdminForm(SeenCardForm[models.Body]):
    # an empty box for the standard schedule, an example to copy, Russian words for a mistake (`ScheduleField`)
    schedule = ScheduleField(required=False, label="График работы")

    class Meta:
        model = models.Body
        fields = "__all__"


class RoleInline(admin.TabularInline[models.Role, models.Person]):
    model = models.Role
    extra = 0


@admin.register(models.Person)
class PersonAdmin(UserAdmin):  # type: ignore[type-arg]
    form = PersonAdminForm
    # recorded by the sign-in, not typed (a save from an older page wrote its old sign-in back)
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "last_name", "first_name", "middle_name", "body", "position", "is_active")
    list_filter = ("is_active", "body", "roles__kind")
    search_fields = ("username", "last_name__folded", "first_name__folded", "email")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        ("Место работы", {"fields": ("middle_name", "body", "position", "phone", "seen")}),
    )
    # the add page asks at once what the directory and the routing need of a new colleague (the name on the cases,
    # the e-mail the notices go to, the body), not only a login and a password
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (
            "Сотрудник",
            {"fields": ("last_name", "first_name", "middle_name", "email", "body", "position", "phone")},
        ),
    )
    inlines = [RoleInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """A person given an executor's or responsible official's role of one body and no body of their own works
        in that body: its responsible official manages their card and absences (R-6), the lists show it. A person
        with no working role left in their body, all of them now in one other body, moves there, unless the body
        itself was chosen on the same page (a person seconded to help keeps the body the administrator gives)."""
        person = form.instance
        before = self._role_bodies(person) if change else set()
        super().save_related(request, form, formsets, change)
        after = self._role_bodies(person)
        for body_id in sorted(before - after):
            self._warn_open_cases(request, person, body_id)
        if len(after) != 1:
            return
        target = models.Body.objects.get(pk=next(iter(after)))
        whole_oblast = models.whole_oblast_roles(person.roles.all())
        if whole_oblast and target.level == models.Body.Level.MUNICIPAL and person.body_id != target.pk:
            # R-4.1 (decision 0001): a card naming an administration and a role reading the whole oblast are never
            # one person's; the card is left as it is, and the administrator told why
            messages.warning(
                request,
                f"Место работы не изменено на «{target}»: у сотрудника роли на всю область — {whole_oblast}. "
                + models.municipal_roles_hint(target),
            )
            return
        if person.body_id is None:
            person.body_id = next(iter(after))
            person.save(update_fields=["body"])
            messages.info(request, f"Место работы сотрудника: {person.body} (по его роли).")
        elif "body" not in form.changed_data and person.body_id in before and person.body_id not in after:
            person.body_id = next(iter(after))
            person.save(update_fields=["body"])
            messages.info(
                request, f"Место работы сотрудника изменено: {person.body} (роль перенесена в этот орган)."
            )

    @staticmethod
    def _warn_open_cases(request: HttpRequest, person: models.Person, body_id: int) -> None:
        """R-6, R-8.4, R-12: a person whose last working role in a body was taken off or moved away cannot open
        that body's cases any more; from then on its people do the work on those she still held (`org.duty.on_duty`).
        The administrator is told which cases and who now does their work, as a body is not switched off without
        naming its cases in work (`Body.clean`)."""
        from django.apps import apps

        assignment = apps.get_model("cases", "Assignment")
        case = apps.get_model("cases", "Case")
        deadline = apps.get_model("cases", "Deadline")
        held = set(
            assignment.objects.filter(executor=person, body_id=body_id)
            .exclude(state__in=[*assignment.GONE, assignment.State.DONE])
            .exclude(case__status=case.Status.CLOSED)
            .values_list("case_id", flat=True)
        ) | set(
            deadline.objects.filter(
                responsible=person, body_id=body_id, met_at__isnull=True, cancelled_at__isnull=True
            ).values_list("case_id", flat=True)
        )
        if not held:
            return
        numbers = sorted(held)
        listed = ", ".join(f"№ {pk}" for pk in numbers[:10])
        more = f" и ещё {len(numbers) - 10}" if len(numbers) > 10 else ""
        body = models.Body.objects.get(pk=body_id)
        duty = on_duty(person, timezone.now(), body_id)
        if duty.person is None:
            doer = "в органе никого нет на месте — нужно решение куратора"
        else:
            label = {
                DutyReason.FALLBACK_EXECUTOR: "другой исполнитель органа",
                DutyReason.FALLBACK_RESPONSIBLE: "ответственное должностное лицо органа",
                DutyReason.SUBSTITUTE: "замещающий",
            }.get(duty.reason, "")
            doer = (
                f"работу по ним выполняет и напоминания получает {label + ': ' if label else ''}{duty.person}"
            )
        messages.warning(
            request,
            f"У сотрудника {person} больше нет роли исполнителя или ответственного должностного лица в органе "
            f"«{body}», а за ним остались обращения этого органа в работе: {listed}{more}. Открыть их сотрудник больше "
            f"не сможет; {doer}. Передать обращение другому исполнителю "
            "может ответственное должностное лицо органа в карточке обращения («Передать другому исполнителю»).",
        )

    @staticmethod
    def _role_bodies(person: models.Person) -> set[int]:
        return set(
            person.roles.filter(kind__in=WORKING_ROLES, body__isnull=False).values_list("body_id", flat=True)
        )


@admin.register(models.Absence)
class AbsenceAdmin(admin.ModelAdmin[models.Absence]):
    form = AbsenceForm
    list_display = ("person", "reason", "starts_at", "ends_at", "substitute")
    list_filter = ("reason",)

    def save_model(self, request: HttpRequest, obj: models.Absence, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        warning = substitute_away(obj)  # the substitute is away too — saved all the same, said at once
        if warning:
            messages.warning(request, warning)


@admin.register(models.Body)
class BodyAdmin(admin.ModelAdmin[models.Body]):
    form = BodyAdminForm
    list_display = ("name", "short_name", "level", "municipality", "is_coordinator", "to_verify", "is_active")
    list_filter = ("level", "is_coordinator", "to_verify", "is_active")
    search_fields = ("name__folded", "short_name__folded")
    readonly_fields = ("earlier_hours",)

    @admin.display(description="прежние графики работы")
    def earlier_hours(self, obj: models.Body | None) -> str:
        """The hours the body worked by before its schedule changed (`worktime.models.BodySchedule`): the past is
        counted by them, whatever the schedule is now."""
        from otklik.worktime.models import BodySchedule
        from otklik.worktime.schedule import ScheduleError, WeeklySchedule

        kept = (
            list(BodySchedule.objects.filter(body_id=obj.pk).order_by("valid_until", "id"))
            if obj is not None and obj.pk
            else []
        )
        if not kept:
            return "не менялся: сроки и отчёты считаются по графику выше"
        lines = []
        for row in kept:
            try:
                hours = (
                    WeeklySchedule.from_dict(row.schedule).describe_ru() if row.schedule else "типовой график"
                )
            except ScheduleError as exc:
                hours = f"график с ошибкой ({exc})"
            since = f"с {timezone.localtime(row.valid_from):%d.%m.%Y %H:%M} " if row.valid_from else ""
            lines.append(f"{since}до {timezone.localtime(row.valid_until):%d.%m.%Y %H:%M}: {hours}")
        return format_html_join("", "<div>{}</div>", ((line,) for line in lines)) + format_html(
            '<div class="help">{}</div>',
            "Прошедшее время считается по графику, действовавшему тогда: опоздания и время ответа в отправленных "
            "отчётах не меняются.",
        )

    def save_model(self, request: HttpRequest, obj: models.Body, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # a new schedule moved the body's open deadlines (`worktime.signals`), as a calendar change does
        moved = getattr(obj, "deadlines_moved", 0)
        if moved:
            messages.warning(
                request,
                f"Открытые сроки органа пересчитаны по новому графику работы: перенесено {moved}; "
                "в истории обращений указано, с какого времени и на какое.",
            )


@admin.register(models.Competence)
class CompetenceAdmin(admin.ModelAdmin[models.Competence]):
    list_display = ("topic", "body", "municipality")
    list_filter = ("body", "topic__group")
    autocomplete_fields = ("topic",)


@admin.register(models.OfficialAccount)
class OfficialAccountAdmin(admin.ModelAdmin[models.OfficialAccount]):
    form = OfficialAccountForm
    list_display = ("body", "network", "title", "url", "is_public", "is_active")
    list_filter = ("network", "is_public")


@admin.register(models.Topic)
class TopicAdmin(admin.ModelAdmin[models.Topic]):
    list_display = ("name", "group", "code", "is_active")
    list_filter = ("group",)
    search_fields = ("name__folded",)


admin.site.register(models.TopicGroup)
admin.site.register(models.Municipality)
admin.site.register(models.Settlement)
admin.site.register(models.Role)
