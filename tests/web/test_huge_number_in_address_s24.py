"""Found by a review (session 24), fixed since. R-8.1 / R-4 (pages of a message): a message's number in the address beyond the database's integers — a link
copied with extra digits stuck to it, e.g. /cases/inbox/99999999999999999999/dispatch/ — gives a server error
instead of «Страница не найдена».

Scenario (SQLite, the default database of a small installation; 01.10.2025): the curator opens the dispatch form
of message 99999999999999999999; an executor of the health body (and a body's head, a municipal employee) opens
a message's photo /intake/messages/99999999999999999999/attachments/1/.

Now: 500. The number is put as it is into a query on a foreign key (`cases.views.dispatch`:
`CaseMessage.objects.filter(message_id=message_pk)`; `intake.views.attachment`:
`scoping.cases_for(user).filter(case_messages__message_id=pk)`), and SQLite refuses an integer past 2**63 − 1
(«OverflowError: Python int too large to convert to SQLite INTEGER»). Django guards only lookups on the model's
own primary key, which is why /cases/99999999999999999999/ is a proper 404 and these pages are not.

Should be: the 404 page in Russian («Страница не найдена»), as for any other number no message has
(`web.numbers.MAX_ID` is there for exactly this).
"""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.org.models import Person
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("curator", f"/cases/inbox/{HUGE}/dispatch/"),
        ("alice", f"/intake/messages/{HUGE}/attachments/1/"),
        ("health_head", f"/intake/messages/{HUGE}/attachments/1/"),
    ],
)
def test_a_huge_message_number_in_the_address_is_not_found_not_a_server_error(
    personas: Personas, who: str, url: str
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(Person.objects.get(username=who))
    response = client.get(url)
    assert response.status_code == 404, f"{who} got {response.status_code} for {url}"
    assert "Страница не найдена" in response.content.decode()
