"""Found by a review (session 23), fixed since. R-7.1 with R-8.1: a post an administrator unticks «пост Губернатора» on is still watched as the Governor's: a
question written after the unticking goes straight to a body as a Governor's question with a 2-working-hour
term, skipping the curator.

Scenario: a post of the Governor's community is published Tue 5.11.2024 10:00 and watched (checks, first window to
12:00). At 10:40 the administrator finds it was wrongly marked and unticks «пост Губернатора» in the admin
(`intake.admin.PostAdmin`). The project supports this: its comments not in work come back to the curator's inbox at
once (`cases.inbox._post_saved`, docs/requirements.md R-8.1 «… «пост Губернатора» unticked … is back in the inbox at
once», tests/cases/test_inbox_floor_s17.py). At 11:30 a resident asks «Когда отремонтируют дорогу в Гатчине? Ямы по
колено.»; the checks run at 11:35.

Now: the run triages the comment as a Governor's question (`service.process_comments` selects comments by the
post's `Watch` only, never looking at `Post.is_governor`): a case «комментарий под постом Губернатора» for «Дороги»
with a «п. 7.2» term due 12:01 — a violation of the body if late — and the comment never reaches the curator's
inbox; the checks of the unmarked post go on being recorded.
Should: a post no longer the Governor's gets no Governor's triage: the comment written after the unticking is in
no case and waits for the curator in the inbox (R-8.1: the curator finds it, sets topic, place and importance).
"""

from __future__ import annotations

import pytest

from otklik.cases.models import Case, CaseMessage
from otklik.governor import service
from otklik.governor.models import Check, Comment
from tests.conftest import Personas, msk
from tests.governor.conftest import p  # noqa: F401  (health and roads competent for their topics)
from tests.governor.helpers import ROADS_QUESTION, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def test_r7_1_a_comment_under_a_post_unticked_as_the_governors_waits_for_the_curator(
    p: Personas,  # noqa: F811
) -> None:
    post = governor_post(governor_source(), msk(2024, 11, 5, 10, 0))
    service.open_watches(now=msk(2024, 11, 5, 10, 1))

    post.is_governor = False  # 10:40, the admin's change form: not the Governor's post
    post.save()
    question = comment(post, ROADS_QUESTION, msk(2024, 11, 5, 11, 30), author="202")

    service.run_checks(msk(2024, 11, 5, 11, 35), fetch=False)

    governor_cases = Case.objects.filter(origin=Case.Origin.GOVERNOR_POST, case_messages__message=question)
    assert not governor_cases.exists(), (
        "the comment under the unmarked post became a Governor's question with a «п. 7.2» term: "
        f"{list(Comment.objects.filter(message=question).values_list('kind', 'reason'))}"
    )
    assert not CaseMessage.objects.filter(message=question).exists(), (
        "the comment is in a case instead of waiting for the curator in the inbox"
    )
    assert not Comment.objects.filter(message=question).exists(), "triaged as a Governor's comment"
    # its scheduled checks wait, neither run nor recorded as missed; ticked again, they go on
    checks = Check.objects.filter(watch__post=post)
    assert not checks.exclude(state=Check.State.DUE).filter(due_at__gte=msk(2024, 11, 5, 10, 40)).exists()
    service.run_checks(msk(2024, 11, 7, 12, 0), fetch=False)
    assert not checks.filter(state=Check.State.MISSED, due_at__gte=msk(2024, 11, 5, 10, 40)).exists()
    post.is_governor = True
    post.save()
    service.run_checks(msk(2024, 11, 7, 12, 5), fetch=False)
    assert checks.filter(state=Check.State.MISSED).exists(), (
        "ticked again, the checks not run are said missed"
    )
