from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from .checker import check_answer
from .formats import NETWORKS


@login_required
@require_POST
def check(request: HttpRequest) -> HttpResponse:
    """htmx endpoint: POST text, network, author_name, repeat → the findings fragment (never blocks)."""
    text = request.POST.get("text", "")
    if not text.strip():  # nothing typed yet (the editor's first load): no score of an empty answer
        return render(request, "answers/_findings.html", {"empty": True, "text": text})
    # «0» from the draft editor of a body's information for a common answer another composes
    # (`cases.actions.to_author`, R-8.9)
    to_author = request.POST.get("to_author") != "0"
    try:
        result = check_answer(
            text,
            network=request.POST.get("network", "vk"),
            author_name=request.POST.get("author_name") or None,
            # a clarification request of a repeat asks, it states no measures (`cases.actions.MEASURED`)
            repeat=request.POST.get("repeat") in {"1", "on", "true"}
            and request.POST.get("kind") != "clarification",
            to_author=to_author,
        )
    except ValueError as exc:
        # A bad network name must not stop the executor typing: say so in the fragment.
        return render(request, "answers/_findings.html", {"error": str(exc), "text": text})
    return render(request, "answers/_findings.html", {"result": result, "text": text, "to_author": to_author})


@login_required
def page(request: HttpRequest) -> HttpResponse:
    """«Проверка ответа»: a standalone page to try the checker (R-9, R-11) until the draft editor has it."""
    networks = [(code, fmt.title) for code, fmt in NETWORKS.items() if code != "other"]
    return render(request, "answers/page.html", {"networks": networks})
