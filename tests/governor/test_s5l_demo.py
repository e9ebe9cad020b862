"""`otklik demo` shows clause 7: the Governor's posts with their checks and questions (R-7.1 … R-7.4, R-12)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from otklik.cases.models import Case, Deadline
from otklik.governor.models import Check, Comment, Watch
from otklik.intake.models import Post
from tests.governor.helpers import client_for

pytestmark = pytest.mark.django_db

HEALTH = "Комитет по здравоохранению Ленинградской области"
ROADS = "Комитет по дорожному хозяйству Ленинградской области"


def _page(username: str, url: str) -> str:
    response = client_for(username).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _when(moment: object) -> str:
    assert moment is not None
    return f"{timezone.localtime(moment):%d.%m.%Y %H:%M}"  # type: ignore[arg-type]


def test_r7_the_demo_shows_the_governors_posts_with_checks_questions_and_a_violation() -> None:
    """R-7.1 … R-7.4, R-12: after `otklik demo` the «Посты Губернатора» page lists three posts; the oldest one has
    all its checks done and its questions answered (one after the author's details, one late); yesterday's has an
    interim answer waiting for the author; today's has its checks ahead and a question still open, with its
    2-working-hour deadline; the late answer is in the violations report. A second run adds nothing."""
    out = StringIO()
    ran_at = timezone.now()
    call_command("demo", stdout=out)
    assert "Демо-посты Губернатора: добавлено 3." in out.getvalue()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "Демо-посты Губернатора: добавлено 0." in out.getvalue()
    assert Post.objects.filter(is_governor=True).count() == 3
    assert Case.objects.filter(origin=Case.Origin.GOVERNOR_POST).count() == 5

    listing = _page("health_exec", "/governor/")
    assert "Постов пока нет" not in listing
    for fragment in ("новая поликлиника", "ремонте региональных дорог", "главными врачами"):
        assert fragment in listing
    old, yesterday, today = Watch.objects.order_by("started_at")
    # The latest post went up 40 minutes before the demo ran (on the day before when the demo runs just after
    # midnight, so no calendar date is compared here).
    assert ran_at - timedelta(minutes=41) <= today.started_at <= ran_at
    assert yesterday.started_at < today.started_at - timedelta(hours=12)

    # The oldest post: every check done, the questions answered with their bodies and deadlines.
    page = _page("health_head", f"/governor/posts/{old.pk}/")
    assert len(re.findall(r'data-check="\d+" data-state="done"', page)) == 8
    assert 'data-state="due"' not in page and 'data-state="missed"' not in page
    assert page.count('data-testid="question" data-state="answered"') == 2
    assert "Орган: <strong>Комитет по здравоохранению</strong>" in page
    assert "Орган: <strong>Комитет по дорожному хозяйству</strong>" in page
    assert "выполнен с нарушением" in page  # the roads answer came late
    assert "Спасибо, отличная новость!" in page  # the thank-you is kept, not work
    thanks = Comment.objects.get(watch=old, message__text="Спасибо, отличная новость!")
    assert (thanks.kind, thanks.case) == (Comment.Kind.OTHER, None)
    health_q = Comment.objects.get(watch=old, kind=Comment.Kind.QUESTION, body__name=HEALTH).case
    after_reply = Deadline.objects.get(case=health_q, stage="gov_after_reply")
    assert after_reply.met_at is not None and after_reply.state_label == "выполнен в срок"
    assert f"срок {_when(after_reply.due_at)} (выполнен в срок)" in page
    assert health_q is not None and health_q.drafts.filter(reviews__reviewer__username="health_head").exists()

    # Yesterday's post: one question answered in time, one waiting for the author's details.
    page = _page("roads_exec", f"/governor/posts/{yesterday.pk}/")
    assert 'data-testid="question" data-state="answered"' in page
    assert 'data-testid="question" data-state="waiting"' in page and "ждёт ответа автора" in page
    assert "Промежуточный" in page or "промежуточный" in page

    # Today's post: its checks ahead; the question open in the health committee with its 2-hour deadline.
    page = _page("health_exec", f"/governor/posts/{today.pk}/")
    assert len(re.findall(r'data-check="\d+" data-state="due"', page)) == 8
    assert 'data-testid="question" data-state="new"' in page
    open_q = Comment.objects.get(watch=today, kind=Comment.Kind.QUESTION)
    assert open_q.body is not None and open_q.body.name == HEALTH
    deadline = Deadline.objects.get(case=open_q.case, stage="gov_answer")
    assert deadline.due_at > timezone.now() and deadline.met_at is None
    assert f"срок {_when(deadline.due_at)} (идёт)" in page
    assert today.checks.filter(state=Check.State.DUE).count() == 8

    # the late roads answer is a violation of its executor and body in the deficiencies report.
    first_day = timezone.localdate() - timedelta(days=14)
    report = client_for("observer").get(
        "/reports/violations/",
        {"from": first_day.isoformat(), "to": timezone.localdate().isoformat(), "format": "json"},
    )
    assert report.status_code == 200
    text = json.dumps(json.loads(report.content), ensure_ascii=False)
    assert "R-7.2" in text and "Сидорова" in text
