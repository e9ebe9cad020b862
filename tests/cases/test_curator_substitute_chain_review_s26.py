"""Found by a review (session 26), fixed since. R-6 with R-8.5 and R-12 (review 67): a chain of curators' substitutes is followed by the directory but not by
the review.

The curator (Curator Тест) is on vacation with Соколова named her substitute; Соколова is on a training course the
same week with Иванова named hers. The directory says Иванова does the curator's work: the warning shown on saving
the curator's leave («… Работу в это время выполняет Иванова Тест.», `org.duty.substitute_away`), the list of
absences and Иванова's own home page («Вы замещаете: Curator Тест …», `web.views._substituting`) — all by
`org.duty.on_duty`, which follows the chain for curators (tests/web/test_curator_absence_list_s20.py).

A draft of the curator's case then waits for review (R-8.5, 1 working hour). The review does not follow the chain
(`cases.notify.curators_instead_of`: the named substitute away → «every curator present»): the notice and the
reminders go to Петрова as well, and when the hour runs out the violation is recorded on nobody —
«Куратор … отсутствовал к сроку …; согласовать мог любой куратор на месте» (`cases.sla._answerable_curator`) —
although the office was told that Иванова does the curator's work that week. Expected: as the directory says,
Иванова alone is asked and answers for the review.
"""

from __future__ import annotations

import pytest

from otklik.cases import actions, sla
from otklik.cases.models import Notification, Violation
from otklik.org.duty import substitute_away
from otklik.org.models import Absence, Role
from otklik.org.services import save_absence
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db


def test_review_of_an_absent_curator_follows_the_chain_the_directory_names(personas: Personas) -> None:
    p = personas
    sokolova = make_person("sokolova", p.office, Role.Kind.CURATOR, last_name="Соколова")
    ivanova = make_person("ivanova", p.office, Role.Kind.CURATOR, last_name="Иванова")
    make_person("petrova", p.office, Role.Kind.CURATOR, last_name="Петрова")
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 10, 0))  # Monday
    save_absence(
        Absence(
            person=sokolova,
            reason=Absence.Reason.TRAINING,
            starts_at=msk(2025, 4, 28, 10, 30),
            ends_at=msk(2025, 5, 2, 18, 0),
            substitute=ivanova,
        )
    )
    leave = save_absence(
        Absence(
            person=p.curator,
            reason=Absence.Reason.VACATION,
            starts_at=msk(2025, 4, 28, 10, 30),
            ends_at=msk(2025, 5, 2, 18, 0),
            substitute=sokolova,
        )
    )
    warning = substitute_away(leave)
    assert f"Работу в это время выполняет {ivanova}" in warning, warning  # what the office is told

    actions.submit_draft(p.alice, case, "answer", "Дорогу отремонтируют в мае.", now=msk(2025, 4, 28, 11, 0))
    told = set(  # the curators told of the draft to review
        Notification.objects.filter(case=case, recipient__roles__kind=Role.Kind.CURATOR).values_list(
            "recipient__username", flat=True
        )
    )
    sla.sweep(now=msk(2025, 4, 28, 13, 0))  # the review's working hour ran out at 12:00
    v = Violation.objects.get(case=case, stage="review")
    assert v.person == ivanova, (
        f"review recorded on {v.person}: {v.note!r}; review notice went to {sorted(told)}"
    )
    assert "petrova" not in told, f"the review notice went to {sorted(told)}"
