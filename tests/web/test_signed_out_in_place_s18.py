"""An in-place request after the session expired (htmx: the answer checker as the executor types, the significant
mark on the dispatch page) is answered with a Russian note where its answer goes; the page, and what is typed on it,
stay. Before, htmx followed the redirect and put the whole sign-in page inside the small answer box (found by the
second review of session 18). A request that is not in place still goes to the sign-in page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["answers:check", "notify:significant"])
def test_an_in_place_request_after_the_session_expired_gets_a_note_not_the_sign_in_page(name: str) -> None:
    response = Client().post(reverse(name), {"text": "Здравствуйте!", "message": "1"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Сеанс работы истёк" in page and 'role="alert"' in page
    assert "<form" not in page  # not the sign-in form inside the box


def test_a_whole_page_request_still_goes_to_the_sign_in_page() -> None:
    response = Client().post(reverse("notify:significant"), {"message": "1"})
    assert response.status_code == 302 and "/login/" in response["Location"]
