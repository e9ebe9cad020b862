"""Notices and R-14 alerts in the app."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from otklik.cases.models import Case
from otklik.intake.models import Message
from otklik.org.models import Person, Role

from .alerts import AlertRefused, mark_significant
from .models import Alert, Notice


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    items = Notice.objects.filter(recipient_id=request.user.pk)[:100]
    return render(request, "notify/notices.html", {"items": items})


def _may_see_alerts(user: Person) -> bool:
    return bool({Role.Kind.CURATOR, Role.Kind.OBSERVER, Role.Kind.ADMINISTRATOR} & set(user.role_kinds()))


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """R-14: the alerts sent to the Governor's office; curators mark significant messages and cases here."""
    me: Person = request.user  # type: ignore[assignment]
    if not _may_see_alerts(me):
        raise PermissionDenied("Срочные оповещения видят кураторы и наблюдатели.")
    items = Alert.objects.select_related("created_by")[:100]
    return render(
        request, "notify/alerts.html", {"items": items, "is_curator": me.has_role(Role.Kind.CURATOR)}
    )


@login_required
@require_POST
def significant(request: HttpRequest) -> HttpResponse:
    me: Person = request.user  # type: ignore[assignment]
    message_id = request.POST.get("message", "").strip()
    case_id = request.POST.get("case", "").strip()
    try:
        message = get_object_or_404(Message, pk=int(message_id)) if message_id else None
        case = get_object_or_404(Case, pk=int(case_id)) if case_id and not message_id else None
    except ValueError:
        messages.error(request, "Номер указывается цифрами.")
        return redirect("notify:alerts")
    try:
        alert = mark_significant(
            me,
            message=message,
            case=case,
            note=request.POST.get("note", ""),
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    except AlertRefused as e:
        if not me.has_role(Role.Kind.CURATOR):
            raise PermissionDenied(str(e)) from e
        messages.error(request, str(e))
        return redirect("notify:alerts")
    messages.success(request, f"Оповещение отправлено в аппарат Губернатора: {alert.title}.")
    return redirect(request.POST.get("next") or "notify:alerts")
