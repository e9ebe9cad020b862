"""Two people acting on the same case at once: one wins, the other gets a clear message (no lost update)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from otklik.cases import actions
from otklik.cases.actions import ActionRefused, StaleCase
from otklik.cases.models import Case, Review
from otklik.org.models import Role
from tests.cases.helpers import dispatch
from tests.conftest import Personas, make_person, msk

ANSWER = "Здравствуйте! Ремонт запланирован на июнь."


@pytest.mark.django_db
def test_second_approval_of_the_same_version_is_refused_with_a_clear_message(personas: Personas) -> None:
    """R-8.5: both curators opened the page at the same version; the first approval wins."""
    p = personas
    curator2 = make_person("curator2", p.office, Role.Kind.CURATOR)
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
    case.refresh_from_db()
    seen = case.version
    actions.approve_draft(p.curator, draft, now=msk(2025, 4, 28, 10, 5), expected_version=seen)
    with pytest.raises(StaleCase, match="другой сотрудник"):
        actions.return_draft(curator2, draft, "Поправьте", now=msk(2025, 4, 28, 10, 5), expected_version=seen)
    # without a version (e.g. an API call) the transition table refuses it just as clearly
    with pytest.raises(ActionRefused, match="уже рассмотрен"):
        actions.approve_draft(curator2, draft, now=msk(2025, 4, 28, 10, 6))
    assert Review.objects.filter(draft=draft).count() == 1
    case.refresh_from_db()
    assert case.status == Case.Status.PUBLISHING


@pytest.mark.django_db(transaction=True)
def test_two_curators_approving_in_parallel_threads_one_wins(personas: Personas) -> None:
    """R-8.5 under real concurrency (PostgreSQL row locks): exactly one approval, one clear refusal."""
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need a server database; SQLite is covered by the version test above")
    p = personas
    curator2 = make_person("curator2", p.office, Role.Kind.CURATOR)
    case = dispatch(p.curator, p.health, at=msk(2025, 4, 28, 9, 0))
    draft = actions.submit_draft(p.alice, case, "answer", ANSWER, now=msk(2025, 4, 28, 10, 0))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(who: object) -> None:
        from django.db import connections

        try:
            barrier.wait()
            actions.approve_draft(who, draft, now=msk(2025, 4, 28, 10, 5))  # type: ignore[arg-type]
            outcomes.append("ok")
        except ActionRefused as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(c,)) for c in (p.curator, curator2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 2 and outcomes.count("ok") == 1
    assert any("уже рассмотрен" in o for o in outcomes)
    assert Review.objects.filter(draft=draft).count() == 1
