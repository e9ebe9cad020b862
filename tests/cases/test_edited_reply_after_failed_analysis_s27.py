"""Found by a review (session 27), fixed since. Review 11. R-8.8 with R-10: the author's insulting reply (excluded) is edited into a proper one; the worker's
analysis of the edited text fails once (an analyser's error: `record_failure` stores the moderation's clean verdict
and the failure mark) and is retried. The retry analyses it fully — but the reply never reaches the waiting case:
`annotate_message` links only when the message *was blocked* before this analysis, and the failed attempt already
stored «not blocked». The case keeps waiting for the author, the reply sits in the curator's inbox."""

from __future__ import annotations

import pytest

from otklik.analysis import pipeline
from otklik.analysis.pipeline import annotate_message, is_blocked
from otklik.cases.models import Case, CaseMessage
from otklik.intake.models import Message, Source
from tests.cases.test_author_reply_in_thread_s19 import awaiting, comment, read
from tests.conftest import Personas, msk

pytestmark = pytest.mark.django_db


@pytest.fixture
def source() -> Source:
    return Source.objects.create(
        network="vk", kind="community", title="Здравоохранение", external_id="1", config={"group_id": 1}
    )


def test_edited_clean_reply_reaches_the_case_when_its_first_analysis_failed(
    personas: Personas, source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = awaiting(personas, source)
    read(
        source,
        comment(
            503, msk(2025, 4, 28, 12, 0), "Глава района — мразь. Соборная, 5.", parents=[501], reply_to=502
        ),
    )
    rude = Message.objects.get(external_id="-1_1_503")
    annotate_message(rude)
    assert is_blocked(rude)

    read(source, comment(503, msk(2025, 4, 28, 12, 0), "Улица Соборная, дом 5.", parents=[501], reply_to=502))
    rude.refresh_from_db()

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("place analyser down")

    with monkeypatch.context() as m:
        m.setattr(pipeline, "extract_place", broken)
        annotate_message(rude, retry=False)  # the worker's first try fails; the task retries the page
    assert not is_blocked(rude)  # the failure stored the edited text's clean verdict
    annotate_message(rude, retry=False)  # the retry succeeds
    case.refresh_from_db()
    linked = CaseMessage.objects.filter(case=case, message=rude, is_author_reply=True).exists()
    assert linked and case.status == Case.Status.DRAFTING, (
        f"the edited reply, analysed after one failed try, is not linked; the case reads "
        f"«{case.get_status_display()}»"
    )
