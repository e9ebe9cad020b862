from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from .checker import check_answer


@login_required
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """htmx endpoint: POST text, network, author_name, repeat → the findings fragment (never blocks)."""
    result = check_answer(
        request.POST.get("text", ""),
        network=request.POST.get("network", "vk"),
        author_name=request.POST.get("author_name") or None,
        repeat=request.POST.get("repeat") in {"1", "on", "true"},
    )
    return render(request, "answers/_findings.html", {"result": result})
