"""Found by a review (session 24), fixed since. R-8.4, R-8.7: the approval's notice names what was approved.

Scenario (Monday 28.04.2025): a message goes to the health body at 10:00; Алексеева sends a clarification request
to the author at 11:00 and the curator approves it at 11:10. Before the fix her notice read «Ответ по обращению № N
согласован: разместите его …» — as if the final answer were approved, while what she is to publish is the question
to the author. Now it reads «Запрос уточнения автору по обращению № N согласован: …»; an interim answer's notice
says «Промежуточный ответ …», the final answer's still «Ответ …». The curator's comment given with the approval
ends the notice too («Комментарий куратора: …»); before, it was on the case page only.
"""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.models import Draft, Notification
from tests.cases.helpers import dispatch
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


def _last_work_notice(person: object, case: object) -> str:
    return str(
        Notification.objects.filter(recipient=person, case=case, kind=Notification.Kind.WORK)
        .order_by("-id")
        .values_list("text", flat=True)
        .first()
    )


@pytest.mark.parametrize(
    ("kind", "text", "head"),
    [
        (Draft.Kind.CLARIFICATION, "Ирина, здравствуйте! Подскажите номер дома.", "Запрос уточнения автору"),
        (Draft.Kind.INTERIM, "Ирина, здравствуйте! Проверка идёт, ответим до 5 мая.", "Промежуточный ответ"),
        (Draft.Kind.ANSWER, "Ирина, здравствуйте! Яму у дома 5 заделали 28 апреля.", "Ответ"),
    ],
)
def test_r8_7_the_approval_notice_names_the_kind_approved(
    personas: Personas, kind: str, text: str, head: str
) -> None:
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    draft = actions.submit_draft(p.alice, case, kind, text, now=msk(2025, 4, 28, 11, 0))
    actions.approve_draft(p.curator, draft, now=msk(2025, 4, 28, 11, 10))
    assert _last_work_notice(p.alice, case).startswith(f"{head} по обращению № {case.pk} согласован")


def test_r8_5_the_curators_comment_on_approval_reaches_the_publisher(personas: Personas) -> None:
    """The curator approves at 11:10 with «Опубликуйте после 12:00, когда выйдет пресс-релиз»: the executor who
    publishes reads it in her notice, not only on the case page."""
    p = personas
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))
    draft = actions.submit_draft(
        p.alice,
        case,
        Draft.Kind.ANSWER,
        "Ирина, здравствуйте! Яму у дома 5 заделали 28 апреля.",
        now=msk(2025, 4, 28, 11, 0),
    )
    actions.approve_draft(
        p.curator, draft, "Опубликуйте после 12:00, когда выйдет пресс-релиз", now=msk(2025, 4, 28, 11, 10)
    )
    notice = _last_work_notice(p.alice, case)
    assert notice.startswith("Ответ по обращению") and notice.endswith(
        "Комментарий куратора: Опубликуйте после 12:00, когда выйдет пресс-релиз"
    )
