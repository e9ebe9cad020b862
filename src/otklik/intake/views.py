"""Staff pages of intake: the list of received messages, manual entry by link, file import (R-4)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .models import Message, Network

PAGE_SIZE = 50


def _require(request: HttpRequest, *, manage: bool) -> None:
    user: Any = request.user
    allowed = user.is_administrator or user.is_curator or (not manage and user.is_observer)
    if not allowed:
        raise PermissionDenied("Раздел доступен кураторам и администраторам")


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    _require(request, manage=False)
    qs = Message.objects.select_related("source", "post").order_by("-received_at", "-id")
    network = request.GET.get("network", "")
    if network in Network.values:
        qs = qs.filter(network=network)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    user: Any = request.user
    return render(
        request,
        "intake/message_list.html",
        {
            "page_obj": page,
            "networks": Network.choices,
            "network": network,
            "can_manage": user.is_administrator or user.is_curator,
        },
    )


@login_required
def manual_entry(request: HttpRequest) -> HttpResponse:
    """A message seen somewhere without an API, entered by its link (R-4)."""
    _require(request, manage=True)
    from .forms import ManualMessageForm
    from .manual import enter_message

    form = ManualMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _message, created = enter_message(**form.cleaned_data)
        if created:
            messages.success(request, "Сообщение добавлено.")
        else:
            messages.info(request, "Сообщение с этой ссылкой уже было, данные обновлены.")
        return redirect("intake:message_list")
    return render(request, "intake/manual_entry.html", {"form": form})


@login_required
def import_messages(request: HttpRequest) -> HttpResponse:
    """Upload a CSV, XLSX or JSON export with a saved column mapping (R-4)."""
    _require(request, manage=True)
    from otklik.integrations.base import ParseError

    from .forms import ImportForm
    from .imports import ensure_default_mappings, import_file
    from .models import ImportMapping

    ensure_default_mappings()
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        mapping = form.cleaned_data["mapping"]
        try:
            report = import_file(upload.read(), upload.name, mapping)
        except ParseError as exc:
            form.add_error("file", f"Файл не удалось прочитать: {exc}")
        else:
            messages.success(
                request,
                f"Импорт: новых {report.created}, обновлено {report.updated}, "
                f"не разобрано {report.quarantined} (см. карантин).",
            )
            return redirect("intake:message_list")
    form.fields["mapping"].queryset = ImportMapping.objects.all()  # type: ignore[attr-defined]
    return render(request, "intake/import.html", {"form": form})
