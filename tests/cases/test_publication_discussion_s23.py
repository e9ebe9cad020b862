"""Found by a review (session 23), fixed since. R-8.7: the answer is published «в той сети, где размещено сообщение», under the message — a link to another
discussion is no proof of it. For VK the rule is in place (`check_publication_link`: «Ссылка ведёт на другой пост
ВКонтакте», tests/cases/test_publication_link_s8.py); for Odnoklassniki and YouTube it is not.

Scenario 1 (OK, published by hand always). Галина's comment under the health committee's discussion
ok.ru/group/53/topic/777 is sent to the committee on Monday 28.04.2025 at 09:00; the answer is approved at 10:20. At
10:30 the executor confirms the link https://ok.ru/group/53/topic/999 — another discussion of the group (a wrong tab
copied, or the answer posted under the wrong topic).
Scenario 2 (YouTube, the API failed, published by hand). Олег's comment under video AAAAAAAAAAA
(youtube.com/watch?v=AAAAAAAAAAA&lc=UgxQ1) — the executor confirms youtube.com/watch?v=BBBBBBBBBBB&lc=UgzOther.ABC,
a comment under another video.

Now: the link is taken, the case closes «опубликовано» with a link that leads to another discussion; the author got
no answer and the report counts it as answered in time.
Expected: refused with a Russian reason (as for VK: the answer goes under the discussion/video where the message
was written), the case stays in «Публикация», and the right link is still taken.
"""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case
from otklik.intake.models import Message
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db

ANSWER = "Здравствуйте! Дорогу на Сиверскую отремонтируют до 15 июня, подрядчик уже выбран."


def _approved(p: Personas, message: Message) -> tuple[Case, object]:
    case = actions.dispatch_case(p.curator, [message], [actions.Route(p.health)], now=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
    actions.approve_draft(p.curator, draft, now=msk(2025, 4, 28, 10, 20))
    return case, draft


def _refused_then_taken(p: Personas, case: Case, draft: object, wrong: str, right: str) -> None:
    with pytest.raises(ActionRefused):
        actions.confirm_publication(p.alice, draft, url=wrong, now=msk(2025, 4, 28, 10, 30))  # type: ignore[arg-type]
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING and not case.publications.exists()
    actions.confirm_publication(p.alice, draft, url=right, now=msk(2025, 4, 28, 10, 31))  # type: ignore[arg-type]
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED


def test_r8_7_a_link_to_another_ok_discussion_does_not_close_the_case(personas: Personas) -> None:
    topic = "https://ok.ru/group/53/topic/777"  # as the OK connector stores a comment's link
    message = Message.objects.create(
        network="ok",
        external_id="777:MTcz",
        url=topic,
        author_id="570000000001",
        author_name="Галина Петрова",
        text="Когда отремонтируют дорогу на Сиверскую?",
    )
    case, draft = _approved(personas, message)
    _refused_then_taken(personas, case, draft, "https://ok.ru/group/53/topic/999", topic)


def test_r8_7_a_link_to_a_comment_under_another_youtube_video_does_not_close_the_case(
    personas: Personas,
) -> None:
    message = Message.objects.create(
        network="youtube",
        external_id="UgxQ1",
        url="https://www.youtube.com/watch?v=AAAAAAAAAAA&lc=UgxQ1",  # as the YouTube connector stores it
        author_id="UColeg",
        author_name="Олег",
        text="Когда откроют поликлинику после ремонта?",
    )
    case, draft = _approved(personas, message)
    _refused_then_taken(
        personas,
        case,
        draft,
        "https://www.youtube.com/watch?v=BBBBBBBBBBB&lc=UgzOther.ABC",
        "https://www.youtube.com/watch?v=AAAAAAAAAAA&lc=UgxQ1.XYZ",
    )
