"""R-7.2, R-7.4 (review of 2026-11-30): a question under the Governor's post that no body has is counted on the home
page of every body's people and the curators until it is dealt with (`web.views._unrouted_governor`). A question
found by the post's last check (R-7.4: the checks run for two working days) was never counted there: the figure
took only posts with a check «to come», and the check that found it was done by the same run."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client

from otklik.governor import service
from otklik.governor.models import Check, Comment
from tests.conftest import Personas
from tests.governor.helpers import comment, governor_post, governor_source
from tests.governor.test_unrouted_s12 import POST_AT, QUESTION, figure

pytestmark = pytest.mark.django_db


def unrouted_on_the_list(client: Client) -> str:
    cell = re.search(
        r'data-testid="unrouted-questions">(.*?)</td>', client.get("/governor/").content.decode(), re.S
    )
    assert cell
    return re.sub(r"<[^>]+>", "", cell[1])


def test_r7_2_a_question_found_by_the_posts_last_check_is_counted_on_the_home_page(
    personas: Personas, client: Client
) -> None:
    p = personas
    post = governor_post(governor_source(), POST_AT)
    service.open_watches(now=POST_AT)
    checks = list(Check.objects.filter(watch__post=post).order_by("number"))
    assert len(checks) > 1
    *earlier, last = checks
    for check in earlier:  # the checks of the two working days run, nothing new under the post
        assert service.run_checks(now=check.due_at, fetch=False).done == 1
    # a citizen asks shortly before the last check; the last check finds and triages the question
    msg = comment(post, QUESTION, last.due_at - timedelta(minutes=10))
    assert service.run_checks(now=last.due_at, fetch=False).done == 1
    row = Comment.objects.get(message=msg)
    assert (row.kind, row.case, row.body) == (Comment.Kind.QUESTION, None, None)

    for person in (p.alice, p.dave, p.curator):
        client.force_login(person)
        # the list of posts counts it «Без органа» …
        assert unrouted_on_the_list(client) == "1", person.username
        # … and the home page, where the bodies look, should too, until a body takes it
        assert figure(client) == (1, f"/governor/posts/{row.watch_id}/"), person.username
