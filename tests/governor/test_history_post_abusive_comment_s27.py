"""Found by a review (session 27), fixed since. R-10 with R-7.4: a Governor's post read only after its two days of checks is history: its comments are shown as
read on its page to every body. A comment the moderation excludes must stay hidden there («скрыто модерацией»)
also before the worker's analysis has stored its verdict — as `analysis.pipeline.excluded` judges an unanalysed
message, and as a watched post's comments are moderated before they are shown."""

from __future__ import annotations

import pytest
from django.urls import reverse

from otklik.governor import service
from otklik.governor.models import Watch
from tests.conftest import Personas, msk
from tests.governor.helpers import client_for, comment, governor_post, governor_source

pytestmark = pytest.mark.django_db


def test_an_abusive_comment_of_a_history_post_is_not_shown_to_executors_before_its_analysis(
    p: Personas,
) -> None:
    post = governor_post(
        governor_source(), msk(2024, 10, 15, 10, 0), "Губернатор: ремонт поликлиники в Гатчине."
    )
    comment(post, "Глава района — мразь, когда дадут терапевта?", msk(2024, 10, 15, 10, 30), author="301")
    service.open_watches(now=msk(2024, 11, 5, 10, 1))
    watch = Watch.objects.get(post=post)
    assert watch.mode == Watch.Mode.HISTORY
    page = client_for("alice").get(reverse("governor:post", args=[watch.pk])).content.decode()
    assert "мразь" not in page, (
        "the executor reads the insult the moderation excludes (R-10) on the post page"
    )
