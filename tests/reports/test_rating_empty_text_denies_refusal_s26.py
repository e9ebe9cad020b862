"""Found by a review (session 26), fixed since. Review 72, R-13: after the administrator sets «обращения без нарушений сроков» and «обращения без отказа по
компетенции» to weight 0, a quarter whose only executive-body work is a refusal shows an empty rating whose
explanation denies the refusal happened.

Scenario (4th quarter 2025, real actions): the administrator sets both weights to 0 in «Веса составляющих
рейтинга» (the office wants the rating by the answers' timeliness and quality only). On Mon 06.10.2025 10:05 the
curator sends a message to roads; dave refuses it at 10:30 as not roads' competence (R-8.2), and the curator
closes the case at 10:40.

What the office reads on /reports/rating/?quarter=2025Q4 under «Рейтинг органов исполнительной власти»:
«Оценивать не по чему: органам исполнительной власти области в квартале направлено 1 обращение (органов: 1), но
ни по одному нет наступившего или выполненного срока, проверенного проекта ответа, нарушения сроков или отказа
по компетенции.» — yet roads refused that very case, and the line above the table («В рейтинге — органы …, у
которых … есть … отказ от обращения как не относящегося к компетенции») says such a body is in the rating.
The real reason — roads' only figure is in a component the formula now weighs 0 — is not said. `empty_text`
(rating.py:260–275) assumes an empty ranking means no `WORK`/violation/refusal; `_ranked` (rating.py:233–234)
also drops a body whose `_score` is None.
"""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.reports.models import RatingComponent
from tests.conftest import Personas, msk
from tests.reports.builders import message

pytestmark = pytest.mark.django_db
M = RatingComponent.Metric


def test_empty_rating_does_not_deny_the_refusal(personas: Personas) -> None:
    """The office opens the rating of a quarter where roads refused its case: the page must not say no body
    refused anything (R-13, the rating's explanation of whom it rates)."""
    p = personas
    RatingComponent.objects.filter(metric__in=[M.NO_VIOLATIONS, M.NO_REJECTIONS]).update(weight=0)

    r = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 6, 9, 5))], [Route(p.roads)], now=msk(2025, 10, 6, 10, 5)
    )
    actions.reject_assignment(p.dave, r.assignments.get(), "Не наш вопрос", now=msk(2025, 10, 6, 10, 30))
    actions.close_case(p.curator, r, "Вопрос не к органам области", now=msk(2025, 10, 6, 10, 40))

    client = Client()
    client.force_login(p.observer)
    page = client.get("/reports/rating/?quarter=2025Q4").content.decode()
    cell = re.search(r'data-testid="rating-empty">(.*?)</td>', page, re.S)
    assert cell is not None, "the executive bodies' ranking is not empty"
    said = " ".join(html.unescape(cell.group(1)).split())
    # it does not deny the refusal; it says the refusal is in a component the formula does not weigh
    assert "или отказа по компетенции" not in said, f"the page says: «{said}»"
    assert (
        "составляющие с весом 0 не учитываются: обращения без нарушений сроков, обращения без отказа" in said
    )
