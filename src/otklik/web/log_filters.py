"""Logging filters: a refused or missing page is one line in the log, a server error keeps its traceback."""

from __future__ import annotations

import logging


class ClientErrorFilter(logging.Filter):
    """Turn Django's records of 4xx responses (403, 404, 400 …) into one line without a traceback.

    Django logs every PermissionDenied with the exception attached, so an ordinary «access denied» filled the log
    with tracebacks. The line keeps what an operator needs: the path (in Django's message), the user and the
    reason given by the view. Records of 5xx responses and records without a status pass unchanged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if not isinstance(status, int) or status >= 500 or getattr(record, "client_error_shortened", False):
            return True
        record.client_error_shortened = True  # the same record passes the logger's and the handler's filter
        reason = _reason(record)
        details = [f"status={status}", f"user={_username(getattr(record, 'request', None))}"]
        if reason:
            details.append(f"reason={reason}")
        record.msg = f"{record.getMessage()} ({', '.join(details)})"
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


def _reason(record: logging.LogRecord) -> str:
    if not record.exc_info:
        return ""
    exc = record.exc_info[1]
    return str(exc).strip() if exc is not None else ""


def _username(request: object) -> str:
    user = getattr(request, "user", None)  # absent when the request failed before the auth middleware
    if user is None:
        return "-"
    if not getattr(user, "is_authenticated", False):
        return "anonymous"
    return str(user.get_username())
