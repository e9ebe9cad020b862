"""R-7.2: the notice of a question under the Governor's post names the body as the notice of a new case does:
«Вопрос под постом Губернатора № N для органа «…»». Found by a walk through the demo (session 18): it read «для
«Комитет по здравоохранению»», a body's name in quotes straight after «для»."""

from __future__ import annotations

import pytest

from otklik.cases.models import Case, Notification
from otklik.governor.models import Comment
from tests.conftest import Personas
from tests.governor.conftest import post_with_question  # noqa: F401 (the governor tests' fixture)

pytestmark = pytest.mark.django_db


def test_the_notice_of_a_governor_question_names_the_body_in_good_russian(
    post_with_question: tuple[Personas, int, Case, Comment],  # noqa: F811
) -> None:
    p, _, case, _ = post_with_question
    notice = Notification.objects.get(recipient=p.alice, case=case, text__startswith="Вопрос под постом")
    assert f"для органа «{p.health}»" in notice.text, notice.text
