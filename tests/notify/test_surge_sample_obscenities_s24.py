"""Found by a review (session 24), fixed since. R-14 with R-10: a surge alert's sample messages reach the Governor's office with obscene words in full.

Scenario (Moscow time): a quiet September in «ЖКХ», Гатчинский муниципальный округ (six messages at 11:0x on six
working days), then on Wed 08.10.2025 seven residents write about hot water five minutes apart from 11:00. The
last one, at 11:30, swears: «Нет горячей воды в доме 6, бл@ть, третий день!». The moderation excludes it (R-10);
the curator returns it to work (the event is real, the same street) and sends it on with the others. At 11:40
the detector raises the surge.

Now: the alert's text (in-app notice, letter, Telegram) and its evidence on the alerts page quote the sample as
written, «бл@ть» and all, to the Governor's office — while the same message marked significant by the curator
reaches the office with the word hidden (`notify.alerts.without_obscenities`, session 24).

Expected: the surge's samples are shown as a significant alert's text is: the obscene word by its first letter
and «…», the rest of the text (what happened, where) as written.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from otklik.analysis import surges
from otklik.analysis.models import Kind, Suggestion
from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.notify.alerts import telegram_text
from otklik.notify.models import Alert, Notice
from otklik.org.models import Municipality, TopicGroup
from tests.conftest import Personas, msk
from tests.reports.builders import message

pytestmark = pytest.mark.django_db

SWEARING = "Нет горячей воды в доме 6, бл@ть, третий день!"


def test_r14_surge_samples_do_not_carry_obscene_words_to_the_governors_office(
    personas: Personas, client: Client, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.OTKLIK_ALERT_TELEGRAM = None
    p = personas
    group = TopicGroup.objects.create(name="ЖКХ")
    place = Municipality.objects.create(name="Гатчинский муниципальный округ")
    for i, day in enumerate((10, 11, 15, 16, 17, 18)):
        at = msk(2025, 9, day, 11, i)
        actions.dispatch_case(
            p.curator, [message(at)], [Route(p.roads)], topic_group=group, municipality=place, now=at
        )
    client.force_login(p.curator)
    for i in range(7):
        at = msk(2025, 10, 8, 11, 0) + timedelta(minutes=5 * i)
        text = SWEARING if i == 6 else f"Нет горячей воды в доме {i}"
        m = message(at, text=text)
        if i == 6:
            # the moderation excluded it; the curator returns it to work with her reason
            Suggestion.objects.create(
                message=m,
                kind=Kind.MODERATION,
                value={
                    "blocked": True,
                    "reasons": [{"kind": "obscene", "text": "бл@ть", "label": "нецензурная лексика"}],
                    "score": 0.99,
                },
                confidence=0.99,
                model_version="test-1",
            )
            response = client.post(
                reverse("cases:moderation", args=[m.pk]),
                {"decision": "unblock", "reason": "Сообщение о реальной аварии"},
            )
            assert response.status_code == 302
        actions.dispatch_case(p.curator, [m], [Route(p.roads)], topic_group=group, municipality=place, now=at)

    with django_capture_on_commit_callbacks(execute=True):
        raised = surges.detect(msk(2025, 10, 8, 11, 40))
    assert len(raised) == 1
    alert = Alert.objects.get(kind=Alert.Kind.SURGE)
    assert any("третий день" in s["text"] for s in alert.evidence["samples"])  # the sample is there

    observer = Client()
    observer.force_login(p.observer)
    page = observer.get(reverse("notify:alerts")).content.decode()
    told = [
        alert.text,
        telegram_text(alert),
        *Notice.objects.filter(kind=Notice.Kind.ALERT).values_list("text", flat=True),
        page,
    ]
    for text in told:
        assert "горячей воды в доме 6" in text  # what happened stays readable
        assert "бл@ть" not in text, text[:2000]
