"""Found by a review (session 26), fixed since. Review 70: the admin's «очередь публикации ответов» (intake.Outbox) lets the approved answer be rewritten before
it goes out, with no trace in the audit log (R-8.5, R-8.7)."""

from __future__ import annotations

import pytest
from django.test import Client

from otklik.audit.models import AuditEntry
from otklik.cases import actions
from otklik.intake.models import Message, Outbox, Source
from tests.conftest import Personas, msk
from tests.org.admin_pages import change_page_data

pytestmark = pytest.mark.django_db

APPROVED = "Здравствуйте, Ирина! Ремонт дороги в Гатчине запланирован на июнь."


def test_r8_7_the_text_an_approved_answer_is_published_with_cannot_be_rewritten_in_the_admin(
    personas: Personas,
) -> None:
    """R-8.5, R-8.7: the curator approved the executor's answer; it waits in the publication queue. An
    administrator opens the queue's row in the admin (/admin/intake/outbox/…/change/): «текст ответа» is an
    editable box, and a changed text is saved («изменено успешно») — the worker then publishes in the citizen's
    thread a text nobody approved, while the case's history still shows the approved draft. Nothing of it reaches
    the audit log (Outbox is not tracked). The approved text should be read-only there (or the edit at least
    logged)."""
    source = Source.objects.create(
        network="vk",
        kind=Source.Kind.COMMUNITY,
        title="Администрация Гатчинского района",
        config={"owner_id": -1, "token": "vk1.a.demo"},
    )
    message = Message.objects.create(
        source=source,
        network="vk",
        external_id="-1_1_7001",
        url="https://vk.com/wall-1_1?reply=7001",
        author_name="Ирина Петрова",
        text="Когда отремонтируют дорогу в Гатчине? Ямы по колено.",
    )
    case = actions.dispatch_case(
        personas.curator, [message], [actions.Route(personas.health)], now=msk(2025, 4, 28, 9, 0)
    )
    draft = actions.submit_draft(personas.alice, case, "answer", APPROVED, now=msk(2025, 4, 28, 10, 0))
    actions.approve_draft(personas.curator, draft, now=msk(2025, 4, 28, 10, 20))
    row = Outbox.objects.get(case_id=case.pk)
    assert row.text.startswith(APPROVED[:20]), row.text

    admin = personas.admin
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    url = f"/admin/intake/outbox/{row.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = change_page_data(page)
    data["text"] = "Здравствуйте! Обращайтесь в другой орган."
    client.post(url, data)

    row.refresh_from_db()
    logged = AuditEntry.objects.filter(model="intake.Outbox", object_pk=str(row.pk)).exists()
    assert row.text.startswith(APPROVED[:20]), (
        f"the queued answer now reads {row.text!r} (approved: {APPROVED!r}); audit entry written: {logged}"
    )
    # nor is a row added by hand: it would publish a text nobody approved
    assert client.get("/admin/intake/outbox/add/").status_code == 403
