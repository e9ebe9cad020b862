"""Found by a review (session 25), fixed since. R-8.1 with R-10: «Направить выбранные одним обращением» when one of the ticked messages was edited in the
network into abuse (and excluded by the moderation) after the inbox page was shown.

Scenario: two VK comments about the same potholes are in the curator's inbox; she ticks both. Meanwhile the
author of the first (earliest) one edits it in VK and adds insults; the edit is delivered and the moderation
excludes it (R-10). She presses «Направить выбранные одним обращением».

The inbox promises (`cases.views.inbox`) that a picked message «excluded meanwhile — the form would refuse to send
it — is said and left out; the others still go on the form». That is done only for a curator's exclusion
(`actions.excluded_by_curator`), not for the moderation's: the excluded comment becomes the lead of the dispatch
form (it is the earliest written), the form says «Сообщение исключено модерацией» with the «Направить в работу»
button disabled, and the neighbour's comment cannot be sent from it at all; nothing said why in the inbox.
Expected: the excluded comment is left out with a note and the form opens for the other ticked message.
Source: src/otklik/cases/views.py `inbox` (the `picked` filtering uses `actions.excluded_by_curator` only, not the
moderation verdict `inbox_filter`/`is_blocked`).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis.pipeline import is_blocked
from otklik.analysis.repeats import reset_repeat_index
from tests.conftest import Personas
from tests.intake.helpers import deliver_vk_comment, run_queued_analysis

pytestmark = pytest.mark.django_db

FIRST = "Когда отремонтируют дорогу на улице Чехова в Гатчине? Ямы по колено, машины ломаются."
SECOND = "Поддерживаю, на улице Чехова в Гатчине вчера разбил колесо в яме у дома 5."
EDITED = FIRST + " А глава администрации Гатчины — вор и мразь, сдохни, тварь."


@pytest.fixture(autouse=True)
def _fresh_repeat_index() -> None:
    reset_repeat_index()


def test_combine_leaves_out_a_ticked_message_the_moderation_excluded_meanwhile(
    client: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    done: set[int] = set()
    first = deliver_vk_comment(
        FIRST, 1_700_000_000, django_capture_on_commit_callbacks, author="88", author_name="Ольга Смирнова"
    )
    second = deliver_vk_comment(
        SECOND, 1_700_000_300, django_capture_on_commit_callbacks, author="89", author_name="Пётр Иванов"
    )
    run_queued_analysis(done)
    assert not is_blocked(first) and not is_blocked(second)

    client.force_login(personas.curator)
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert f'data-message="{first.pk}"' in inbox and f'data-message="{second.pk}"' in inbox  # she ticks both

    # meanwhile the first author edits the comment into abuse; the moderation excludes it
    deliver_vk_comment(
        EDITED, 1_700_000_600, django_capture_on_commit_callbacks, author="88", author_name="Ольга Смирнова"
    )
    run_queued_analysis(done)
    assert is_blocked(first)

    combined = client.get(
        reverse("cases:inbox"), {"combine": "1", "pick": [str(first.pk), str(second.pk)]}, follow=True
    )
    page = combined.content.decode()
    assert 'data-testid="blocked"' not in page and '<button type="submit" disabled>' not in page, (
        "the form opened for the comment the moderation excluded meanwhile: «Направить в работу» is disabled, and "
        f"the other ticked comment (№ {second.pk}) cannot be sent from it"
    )
    assert combined.resolver_match.url_name == "dispatch"
    assert combined.resolver_match.kwargs["message_pk"] == second.pk
    assert f"Сообщение № {first.pk}" in page
