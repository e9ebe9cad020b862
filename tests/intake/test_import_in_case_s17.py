"""R-4: a message already in work is not rewritten by another message under the same link — as manual entry
refuses since session 17 (`intake.manual.enter_message` → «in_case»), so must a file import."""

from __future__ import annotations

import pytest

from otklik.cases import actions
from otklik.intake.imports import ensure_default_mappings, import_file
from otklik.intake.models import ImportMapping, Message
from tests.conftest import Personas
from tests.intake.test_imports import IM_HEADER, im_row

pytestmark = pytest.mark.django_db

THREAD = "https://forum.gatchina.example/topic/512"  # a forum thread: the export gives the thread's address


def _csv(text: str) -> bytes:
    return "\n".join([";".join(IM_HEADER), ";".join(im_row(text, THREAD))]).encode("cp1251")


def test_an_import_does_not_rewrite_a_message_already_in_work(personas: Personas) -> None:
    """Ирина's forum message came in the monitoring export and went to the health committee. The next export has
    Олег's message from the same thread, under the same thread link: the import leaves the case's message as it
    is and says so in its summary (it replaced the text with Олег's, and the body was shown a complaint it was
    never sent)."""
    ensure_default_mappings()
    mapping = ImportMapping.objects.get(name="Инцидент Менеджмент")
    import_file(_csv("В поликлинике нет терапевта."), "monday.csv", mapping)
    m = Message.objects.get()
    actions.dispatch_case(personas.curator, [m], [actions.Route(personas.health)])

    report = import_file(_csv("Когда починят дорогу на Киевской?"), "tuesday.csv", mapping)
    assert "уже в работе (в обращениях) и оставлены как есть 1" in report.summary()
    m.refresh_from_db()
    assert m.text == "В поликлинике нет терапевта.", f"the case's message now reads «{m.text}»"
