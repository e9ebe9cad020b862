"""The log: an ordinary refusal (403) or a missing page (404) is one WARNING line with the path, the user and the
reason; only a real error (500) keeps its traceback."""

from __future__ import annotations

import logging

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from tests.conftest import Personas


def broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("report generator crashed")


# Used by the 500 test through @pytest.mark.urls: the project's URLs plus one page that fails.
urlpatterns = [path("test-boom/", broken_view), path("", include("otklik.urls"))]


def request_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.request"]


def test_403_is_one_warning_line_with_user_and_reason(
    personas: Personas, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    client.force_login(personas.alice)
    with caplog.at_level(logging.INFO):
        assert client.get("/audit/").status_code == 403
    [record] = request_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    message = record.getMessage()
    assert "/audit/" in message
    assert "user=alice" in message
    assert "reason=Журнал изменений доступен администраторам." in message
    assert "Traceback" not in caplog.text


def test_404_is_one_warning_line_with_user(
    personas: Personas, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    client.force_login(personas.dave)
    with caplog.at_level(logging.INFO):
        assert client.get(f"/directory/people/{personas.alice.pk}/edit/").status_code == 404
    [record] = request_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert f"/directory/people/{personas.alice.pk}/edit/" in record.getMessage()
    assert "user=dave" in record.getMessage()
    assert "Traceback" not in caplog.text


@pytest.mark.urls("tests.web.test_request_logging")
def test_500_keeps_its_traceback(personas: Personas, caplog: pytest.LogCaptureFixture) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(personas.alice)
    with caplog.at_level(logging.INFO):
        assert client.get("/test-boom/").status_code == 500
    [record] = request_records(caplog)
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert "Traceback" in caplog.text
    assert "report generator crashed" in caplog.text
