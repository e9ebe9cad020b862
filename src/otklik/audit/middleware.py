from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import acting_as


class AuditActorMiddleware:
    """Attributes every change made while serving a request to the signed-in user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        with acting_as(actor, reason=f"{request.method} {request.path}"):
            return self.get_response(request)
