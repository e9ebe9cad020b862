"""R-8.1, R-8.3, R-14: the curator fills the dispatch form of a message about a polyclinic queue — body, topic,
importance «высокая», a shortened deadline of 2 working hours — then, before «Направить в работу», opens
«Общественно значимое (п. 14)» below it and marks the message. The mark is answered in place and the dispatch form
keeps what she chose. Found by a walk through the demo (session 18): the page came back with the machine's
suggestions, her importance and shortened deadline gone, so the case would have gone with the ordinary term."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from otklik.intake.models import Message
from tests.conftest import Personas
from tests.e2e.helpers import a_topic, choose_topic_and_place
from tests.e2e.test_login_directory import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_marking_the_message_significant_keeps_what_the_curator_typed_on_the_dispatch_form(
    page: Page, live_server: Any, personas: Personas
) -> None:
    Message.objects.create(
        network="vk",
        external_id="wall-1_950",
        url="https://vk.com/wall-1_950",
        author_name="Олег",
        text="Вот очередь у регистратуры в Гатчине сегодня утром, стоим второй час",
    )
    a_topic()
    login(page, live_server.url, "curator")
    page.get_by_role("link", name="Входящие", exact=True).click()
    page.get_by_role("row").filter(has_text="регистратуры").get_by_role("button", name="Направить").click()
    page.get_by_label("Орган 1").select_option(label="Комитет по здравоохранению")
    choose_topic_and_place(page)
    page.locator("select[name=importance]").select_option(label="высокая")
    page.get_by_label("Сокращённый срок, рабочих часов").fill("2")

    page.get_by_text("Общественно значимое (п. 14)").click()
    page.get_by_label("Пояснение для аппарата Губернатора").fill("Очереди в поликлинике, много жалоб")
    page.get_by_role("button", name="Отметить как общественно значимое").click()
    expect(page.get_by_test_id("said")).to_contain_text("Оповещение отправлено в аппарат Губернатора")

    expect(page.get_by_label("Орган 1")).to_have_value(str(personas.health.pk))
    expect(page.locator("select[name=importance]")).to_have_value("high")
    expect(page.get_by_label("Сокращённый срок, рабочих часов")).to_have_value("2")


@pytest.mark.django_db
def test_a_mark_sent_in_place_is_answered_with_the_result_not_a_redirect(personas: Personas) -> None:
    """What the dispatch page's form gets without a reload: the result as a message, a refusal too (200, as htmx
    swaps only those)."""
    from django.test import Client
    from django.urls import reverse

    m = Message.objects.create(
        network="vk", external_id="wall-1_951", text="Прорвало трубу, весь квартал без воды"
    )
    client = Client()
    client.force_login(personas.curator)
    url = reverse("notify:significant")
    done = client.post(url, {"message": m.pk, "note": ""}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200
    assert "Оповещение отправлено в аппарат Губернатора" in done.content.decode()
    refused = client.post(url, {"message": 999999, "note": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
