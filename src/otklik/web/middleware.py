"""A deadline past the production calendar is a page in Russian, not a server error.

The working-time engine counts the loaded years and one provisional year after them (`worktime.service`); a term
running further raises `CalendarRangeError`. Any view that opens or moves a deadline can meet it (a dispatch on the
last working days of the provisional year, a hand-over, an answer that opens the R-8.8 days): the person gets a 503
page saying which year's calendar is missing and to go to the administrator, and the log an ERROR line with the
request, the person, the engine's words and the years loaded. The action itself was refused as a whole: every
action is one transaction (`cases.actions`), rolled back by the exception.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from otklik.worktime.calendar import CalendarRangeError
from otklik.worktime.service import ADD_YEAR_WHERE, current_calendar, missing_year, working_calendar

log = logging.getLogger(__name__)


class CalendarRangeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, CalendarRangeError):
            return None
        loaded, counted = current_calendar(), working_calendar()
        year = missing_year()
        user = getattr(request, "user", None)
        log.error(
            "%s %s by %s refused: working time outside the production calendar (%s); loaded %s-%s, provisional "
            "%s: the %s calendar must be added",
            request.method,
            request.path,
            user.get_username() if user is not None and user.is_authenticated else "anonymous",
            exception,
            loaded.first_year,
            loaded.last_year,
            ", ".join(str(y) for y in sorted(counted.provisional_years)) or "none",
            year,
            exc_info=exception,
        )
        context = {
            "year": year,
            "first_year": loaded.first_year,
            "last_year": loaded.last_year,
            "provisional": sorted(counted.provisional_years),
            "where": ADD_YEAR_WHERE,
            "typed": request.method == "POST",
        }
        return render(request, "web/calendar_missing.html", context, status=503)
