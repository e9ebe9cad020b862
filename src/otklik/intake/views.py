"""Staff pages of intake: the list of received messages, manual entry by link, file import (R-4)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render

from otklik.cases.paging import page_of
from otklik.web.typed import posted_text

from .models import AttachmentCopy, Message, Network

PAGE_SIZE = 50
PROBLEMS_SHOWN = 500  # quarantined rows listed after an import; the rest are counted


def _require(request: HttpRequest, *, manage: bool) -> None:
    user: Any = request.user
    allowed = user.is_administrator or user.is_curator or (not manage and user.is_observer)
    if not allowed:
        raise PermissionDenied("Раздел доступен кураторам и администраторам")


@login_required
def message_list(request: HttpRequest) -> HttpResponse:
    _require(request, manage=False)
    qs = (
        Message.objects.select_related("source", "post")
        .prefetch_related("attachment_copies")
        .order_by("-received_at", "-id")
    )
    network = request.GET.get("network", "")
    if network in Network.values:
        qs = qs.filter(network=network)
    # No total count: the archive grows to millions of messages (see cases.paging).
    page = page_of(request, qs, PAGE_SIZE, ids_first=True)
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
def attachment(request: HttpRequest, pk: int, copy_pk: int) -> HttpResponseBase:
    """Our copy of a message's photo or video (R-4), for whoever may read the message: curators,
    administrators and observers, and the people of a body that has a case on it (404 for everyone else)."""
    from otklik.cases import scoping

    user: Any = request.user
    reads_all = user.is_administrator or user.is_curator or user.is_observer
    if not reads_all and not scoping.cases_for(user).filter(case_messages__message_id=pk).exists():
        raise Http404
    copy = get_object_or_404(AttachmentCopy, pk=copy_pk, message_id=pk)
    if not copy.stored or not default_storage.exists(copy.stored):
        raise Http404
    response = FileResponse(default_storage.open(copy.stored, "rb"), content_type=_content_type(copy.stored))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


def _content_type(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower()
    return {
        "jpg": "image/jpeg",
        "png": "image/png",
        "gif": "image/gif",
        "webp": "image/webp",
        "heic": "image/heic",
        "avif": "image/avif",
        "mp4": "video/mp4",
        "mov": "video/quicktime",
        "webm": "video/webm",
    }.get(ext, "application/octet-stream")


@login_required
def manual_entry(request: HttpRequest) -> HttpResponse:
    """A message seen somewhere without an API, entered by its link (R-4)."""
    _require(request, manage=True)
    from .forms import ManualMessageForm
    from .manual import enter_message

    posted = None
    if request.method == "POST":
        # A text copied from a PDF or an old editor can carry a NUL nobody sees: dropped, as the case forms do,
        # rather than the whole form refused for a character the curator cannot find.
        posted = request.POST.copy()
        for name in ("url", "author_name", "text"):
            if name in posted:
                posted[name] = posted_text(request, name)
    form = ManualMessageForm(posted)
    if request.method == "POST" and form.is_valid():
        message, outcome = enter_message(**form.cleaned_data)
        if outcome == "in_case":  # what was typed stays in the form: it may be another message of the thread
            case_id = message.case_link.case_id
            form.add_error(
                "url",
                f"Сообщение с этой ссылкой уже в работе — обращение № {case_id}, его данные не изменены. Если это "
                "другое сообщение той же ветки, укажите ссылку на него самого (у комментария она своя).",
            )
            return render(request, "intake/manual_entry.html", {"form": form})
        if outcome == "created":
            messages.success(request, "Сообщение добавлено.")
        elif outcome == "known":
            messages.info(
                request,
                f"Это сообщение уже получено из сети «{message.get_network_display()}»: оно оставлено как есть.",
            )
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
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        mapping = form.cleaned_data["mapping"]
        try:
            report = import_file(upload.read(), upload.name, mapping)
        except ParseError as exc:
            form.add_error("file", f"Файл не импортирован, ничего не сохранено: {exc}.")
        else:
            # The summary and every quarantined row with its place and reason are shown on this page:
            # the quarantine itself is in the administrators' admin, out of the curators' reach.
            form = ImportForm(initial={"mapping": mapping.pk})
    form.fields["mapping"].queryset = ImportMapping.objects.all()  # type: ignore[attr-defined]
    return render(
        request,
        "intake/import.html",
        {
            "form": form,
            "report": report,
            "problems": report.problems[:PROBLEMS_SHOWN] if report else [],
            "repeats": report.repeats[:PROBLEMS_SHOWN] if report else [],
            "caveats": report.caveats[:PROBLEMS_SHOWN] if report else [],
            "problems_shown": PROBLEMS_SHOWN,
        },
    )
