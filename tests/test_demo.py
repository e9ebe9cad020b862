"""`otklik demo --now …`: the demo's history ends at «now» and follows the competence matrix (its directory, people
and a second run: tests/test_demo_again.py)."""

from __future__ import annotations

from datetime import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.test import Client

from otklik.org.models import Competence, Person
from tests.conftest import msk

SUNDAY_MORNING = msk(2026, 11, 29, 7, 40)  # the tester's run: the next working step would be on Monday
WEDNESDAY_NOON = msk(2026, 11, 25, 12, 5)  # in working hours: steps of today's cases both done and pending


def _after(now: datetime) -> dict[str, int]:
    """Demo rows dated after `now`, by what the user would see them as."""
    from otklik.cases.models import (
        Case,
        CaseEvent,
        Deadline,
        Draft,
        Notification,
        Publication,
        Review,
        Violation,
    )
    from otklik.intake.models import Message
    from otklik.notify.models import Alert, Notice

    rows = {
        "события в истории обращений": CaseEvent.objects.filter(at__gt=now),
        "обращения": Case.objects.filter(dispatched_at__gt=now),
        "проекты ответов": Draft.objects.filter(submitted_at__gt=now),
        "решения по проектам": Review.objects.filter(created_at__gt=now),
        "публикации": Publication.objects.filter(published_at__gt=now),
        "выполненные сроки": Deadline.objects.filter(met_at__gt=now),
        "нарушенные сроки": Deadline.objects.filter(breached_at__gt=now),
        "нарушения": Violation.objects.filter(detected_at__gt=now),
        "уведомления": Notification.objects.filter(created_at__gt=now),
        "оповещения": Notice.objects.filter(created_at__gt=now),
        "срочные оповещения": Alert.objects.filter(created_at__gt=now),
        "сообщения (опубликованы)": Message.objects.filter(published_at__gt=now),
        "сообщения (получены)": Message.objects.filter(received_at__gt=now),
    }
    return {name: qs.count() for name, qs in rows.items() if qs.exists()}


@pytest.mark.django_db
@pytest.mark.parametrize("now", [SUNDAY_MORNING, WEDNESDAY_NOON], ids=["sunday-morning", "wednesday-noon"])
def test_r8_r12_r14_demo_history_ends_now_and_follows_the_competence_matrix(
    client: Client, now: datetime
) -> None:
    """`otklik demo --now …`: no event, violation or notice after «now» (R-12); every case dispatched after its
    messages were published and received; every body of a case competent for its topic in its place per the
    competence matrix (R-8.1); the surge alert (R-14) names the group its messages are about; the inbox the
    curator opens has suggestions for every message (R-8.1, R-10)."""
    from otklik.analysis.topics import predict_topics
    from otklik.cases.demo import MESSAGES
    from otklik.cases.models import Assignment, Case, CaseMessage
    from otklik.notify.models import Alert

    call_command("demo", now=now.isoformat(), stdout=StringIO())

    assert _after(now) == {}

    early = [
        (link.case_id, link.message.external_id)
        for link in CaseMessage.objects.filter(is_author_reply=False).select_related("case", "message")
        if link.message.received_at > link.case.dispatched_at
        or (link.message.published_at or link.case.dispatched_at) > link.case.dispatched_at
    ]
    assert early == []

    # a message about two things names its second topic in the demo; all others: the case's topic
    declared = {f"demo-wall-1_{1000 + i}": topics for i, (_, _, topics, _) in enumerate(MESSAGES)}
    assert not Case.objects.filter(topic=None).exclude(origin=Case.Origin.GOVERNOR_POST).exists()
    incompetent = []
    for a in (
        Assignment.objects.exclude(state__in=Assignment.GONE)
        .exclude(case__origin=Case.Origin.GOVERNOR_POST)
        .select_related("case__topic", "body")
    ):
        case = a.case
        first = case.case_messages.select_related("message").first()
        assert case.topic is not None and first is not None
        topics = declared.get(first.message.external_id, (case.topic.name,))
        assert topics[0] == case.topic.name
        where = Q(municipality__isnull=True) | Q(municipality_id=case.municipality_id)
        if not Competence.objects.filter(where, body=a.body, topic__name__in=topics).exists():
            incompetent.append((case.pk, case.topic.name, a.body.name))
    assert incompetent == []

    surge = Alert.objects.get(kind=Alert.Kind.SURGE)
    samples = surge.evidence["samples"]
    assert samples
    for sample in samples:
        group = Case.objects.get(case_messages__message_id=sample["id"]).topic_group
        assert group is not None and f": {group.name}" in surge.title
        assert predict_topics(sample["text"])[0].group == group.name  # the product's classifier agrees

    client.force_login(Person.objects.get(username="curator"))
    inbox = client.get("/cases/inbox/").content.decode()
    assert "нет подсказок" not in inbox
    if now == SUNDAY_MORNING:  # Saturday's messages wait for Monday, analysed; nothing older is left
        assert inbox.count('data-testid="hints"') >= 1 and "Тема: " in inbox
