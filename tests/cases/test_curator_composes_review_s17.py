"""R-6 with R-8.9 (the curator composes, `common_by_curator`): since ea94029 a curator present composes for the ill
composing curator (`may_compose`) and is reminded of the office's deadlines (`sla.told_about` → `curators_instead_of`).
Found by a review (session 17). Monday 28.04.2025, default schedule; the composing curator falls ill."""

from __future__ import annotations

import pytest

from otklik.cases import actions, sla
from otklik.cases.actions import ActionRefused
from otklik.cases.models import Case, Deadline, Notification, Violation
from otklik.org.models import Absence, Body, Role
from tests.cases.helpers import COMMON_ANSWER, COMMON_INTERIM, message, parts_in
from tests.conftest import Personas, make_person, msk

pytestmark = pytest.mark.django_db

MON = msk(2025, 4, 28, 10, 0)


def _ill(p: Personas, starts: object, ends: object) -> None:
    Absence.objects.create(person=p.curator, reason="sick_leave", starts_at=starts, ends_at=ends)


def _composed(p: Personas) -> Case:
    case = parts_in(p, Case.MultiMode.COMMON_BY_CURATOR)
    assert case.composer == p.curator
    return case


def test_curator_present_who_is_reminded_of_the_ill_curators_revision_can_make_it(personas: Personas) -> None:
    """The curator's common answer (no assignment) goes to review on Monday 17:00; she falls ill on Tuesday, and
    Смирнова returns it at 10:00. The R-8.6 revision deadline is the ill curator's; `told_about` (sla.py) now sends
    its reminders to Смирнова «вместо куратора …», but `revise_draft` (actions.py:1450-1453) and `may_revise` take the
    revision only from the draft's author: Смирнова is reminded of a revision she is refused, and the case stays
    «на доработке» until the ill curator is back."""
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    case = _composed(p)
    draft = actions.submit_draft(p.curator, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 28, 17, 0))
    _ill(p, msk(2025, 4, 29, 9, 0), msk(2025, 5, 12, 9, 0))
    actions.return_draft(smirnova, draft, "Добавьте адрес поликлиники.", now=msk(2025, 4, 29, 10, 0))
    sla.sweep(now=msk(2025, 4, 29, 10, 50))
    reminded = Notification.objects.filter(
        case=case, recipient=smirnova, kind=Notification.Kind.REMINDER, deadline__stage=Deadline.Stage.REVISE
    ).exists()
    try:
        actions.revise_draft(
            smirnova, draft, COMMON_ANSWER + " Адрес: ул. Ленина, 1.", now=msk(2025, 4, 29, 10, 55)
        )
    except ActionRefused as exc:
        pytest.fail(f"Смирнова (reminded of the revision: {reminded}) may not revise it: {exc.message}")


def test_r8_8_breach_while_the_composing_curator_is_ill_names_the_curator_present(personas: Personas) -> None:
    """The curator's interim common answer is out on Tuesday 29.04; the R-8.8 deadline (due 14.05 18:00) is hers
    (ea94029). She is ill from 13.05; Смирнова, the only curator present, is reminded and may send the final answer
    (`may_compose`). Nobody does: the sweep records the violation on nobody, «в органе не осталось никого на месте»
    / «сотрудника на месте не было» (`_answerable` → `on_duty` looks for executors of the office), whereas a missed
    review in the same situation is Смирнова's (`_answerable_curator`)."""
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    case = _composed(p)
    interim = actions.submit_draft(p.curator, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 29, 10, 0))
    actions.approve_draft(smirnova, interim, now=msk(2025, 4, 29, 10, 10))
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=90", now=msk(2025, 4, 29, 10, 20)
    )
    final = Deadline.objects.get(case=case, stage=Deadline.Stage.FINAL)
    assert final.responsible == p.curator and final.due_at == msk(2025, 5, 14, 18, 0)
    _ill(p, msk(2025, 5, 13, 9, 0), msk(2025, 5, 20, 9, 0))
    sla.sweep(now=msk(2025, 5, 15, 12, 0))
    v = Violation.objects.get(case=case, stage=Deadline.Stage.FINAL)
    assert v.person == smirnova, f"R-8.8 violation recorded on {v.person}: «{v.note}»"


def test_curator_composing_for_the_ill_one_is_told_when_the_new_bodys_part_comes(personas: Personas) -> None:
    """Roads refuses, health's part is in, the curator composes and her interim common answer is out; she names
    culture in place of roads and falls ill. The final answer is refused until culture's part comes (ea94029), and
    Смирнова may write it — but `_submit_part` (actions.py:1050-1063) tells only the ill composer that the part has
    come, not whoever composes for her now (`curators_instead_of`)."""
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    culture = Body.objects.create(name="Комитет по культуре", short_name="Культура")
    eva = make_person("eva", culture, Role.Kind.EXECUTOR, last_name="Егорова")
    case = actions.dispatch_case(
        p.curator,
        [message()],
        [actions.Route(p.health, 1), actions.Route(p.roads, 1)],
        now=MON,
        multi_mode=Case.MultiMode.COMMON_BY_CURATOR,
    )
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется 1 июня.", now=msk(2025, 4, 28, 10, 40))
    actions.reject_assignment(
        p.dave, case.assignments.get(body=p.roads), "Не дорожный вопрос", now=msk(2025, 4, 28, 10, 50)
    )
    case.refresh_from_db()
    assert case.composer == p.curator
    interim = actions.submit_draft(p.curator, case, "interim", COMMON_INTERIM, now=msk(2025, 4, 28, 12, 0))
    actions.approve_draft(smirnova, interim, now=msk(2025, 4, 28, 12, 10))
    actions.confirm_publication(
        p.alice, interim, url="https://vk.com/wall-1_1?reply=92", now=msk(2025, 4, 28, 12, 20)
    )
    actions.reassign(p.curator, case.assignments.get(body=p.roads), culture, now=msk(2025, 4, 28, 14, 0))
    _ill(p, msk(2025, 4, 29, 9, 0), msk(2025, 5, 12, 9, 0))
    with pytest.raises(ActionRefused):
        actions.submit_draft(smirnova, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 29, 9, 15))
    work = Notification.objects.filter(recipient=smirnova, case=case, kind=Notification.Kind.WORK)
    before = work.count()
    actions.submit_draft(eva, case, "part", "Библиотеку откроют в июле.", now=msk(2025, 4, 29, 9, 30))
    told = work.count() - before
    assert told, "Смирнова, who composes for the ill curator, is not told that culture's part has come"


def test_composing_curator_back_at_work_revises_the_draft_her_stand_in_wrote(personas: Personas) -> None:
    """R-6 with R-8.6: the composing curator is ill on Tuesday 29.04; Смирнова writes the common answer for her,
    and it is returned on Wednesday, when the composing curator is back. The revision is the composer's work again,
    so she is offered it and it is taken — before, only the draft's author (Смирнова, present) could revise it."""
    p = personas
    smirnova = make_person("smirnova", p.office, Role.Kind.CURATOR, last_name="Смирнова")
    petrova = make_person("petrova", p.office, Role.Kind.CURATOR, last_name="Петрова")
    case = _composed(p)
    _ill(p, msk(2025, 4, 29, 9, 0), msk(2025, 4, 30, 9, 0))
    draft = actions.submit_draft(smirnova, case, "answer", COMMON_ANSWER, now=msk(2025, 4, 29, 11, 0))
    actions.return_draft(petrova, draft, "Добавьте адрес поликлиники.", now=msk(2025, 4, 30, 10, 0))
    draft.refresh_from_db()
    assert actions.may_revise(p.curator, draft, msk(2025, 4, 30, 10, 5))
    new = actions.revise_draft(
        p.curator, draft, COMMON_ANSWER + " Адрес: ул. Ленина, 1.", now=msk(2025, 4, 30, 10, 10)
    )
    assert new.author == p.curator and new.version == draft.version + 1
    # an executor of a body is still refused the office's draft
    assert not actions.may_revise(p.alice, draft, msk(2025, 4, 30, 10, 5))
