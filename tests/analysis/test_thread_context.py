"""A short comment is read with the text it answers (R-8.1 suggestions): «У нас та же проблема» under a question
about a polyclinic in Kudrovo is about the polyclinic, in Kudrovo; a comment that says enough is read alone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from otklik.analysis.pipeline import annotate_message, suggestions_for
from otklik.cases.suggest import answered, hints
from otklik.intake.models import Message, Network, Post

from .conftest import make_message

QUESTION = "Когда откроют поликлинику в Кудрово? Уже два года обещают, а здание так и стоит пустое"


def test_a_short_reply_gets_the_topic_and_place_of_the_comment_it_answers(directory: None) -> None:
    question = make_message(QUESTION)
    reply = make_message("У нас та же проблема", reply_to=question)
    alone = make_message("У нас та же проблема")
    for m in (question, reply, alone):
        annotate_message(m)

    asked, answered, bare = (suggestions_for(m) for m in (question, reply, alone))
    assert answered["topic"]["value"]["topic"] == asked["topic"]["value"]["topic"]
    assert answered["topic"]["value"]["context"] == "reply"
    assert bare["topic"]["value"]["topic"] != asked["topic"]["value"]["topic"]
    assert "context" not in bare["topic"]["value"]
    place = answered["place"]["value"]
    assert (place["settlement"], place["source"]) == ("Кудрово", "reply")
    assert bare["place"]["value"]["source"] == "none"
    # the curator is told where the suggestion comes from
    shown = hints(answered, [])
    assert shown["topic"].endswith("по комментарию, на который он отвечает")
    assert shown["place"].startswith("Всеволожский") and "Кудрово" in shown["place"]


def test_a_short_comment_under_a_post_is_read_with_the_post(directory: None) -> None:
    post = Post.objects.create(
        network=Network.VK,
        external_id="-1_500",
        text="В Тосно началось строительство новой школы на 1100 мест, откроется в 2027 году.",
    )
    comment = make_message("А спортзал там будет?", post=post)
    annotate_message(comment)
    found = suggestions_for(comment)
    assert found["topic"]["value"]["group"] == "Образование"
    assert found["topic"]["value"]["context"] == "post"
    assert found["place"]["value"]["municipality"].startswith("Тосненский")


def test_a_comment_that_names_its_own_place_and_problem_is_read_alone(directory: None) -> None:
    """Context never overrides what the comment says itself."""
    question = make_message(QUESTION)
    reply = make_message(
        "А в Луге на улице Победы третий день нет горячей воды в доме, дети моются в тазике",
        reply_to=question,
    )
    annotate_message(reply)
    found = suggestions_for(reply)
    assert "context" not in found["topic"]["value"]
    assert found["topic"]["value"]["group"] == "ЖКХ"
    assert (found["place"]["value"]["settlement"], found["place"]["value"]["source"]) == ("Луга", "text")


def test_an_abusive_comment_is_neither_read_nor_shown_as_context(directory: None) -> None:
    """R-10: the comment a short reply answers was excluded as abusive: the reply is read alone, and the curator is
    not shown the abusive text under it — whether the moderation has already run on the parent or not."""
    abusive = make_message("Глава администрации Кудрово — мразь, бл@ть, ворюга")
    reply = make_message("У нас та же проблема", reply_to=abusive)
    annotate_message(reply)  # before the parent's own annotation
    annotate_message(abusive)
    found = suggestions_for(reply)
    assert "context" not in found["topic"]["value"]
    assert found["place"]["value"]["source"] == "none"
    # a suggestion read with the parent before it was excluded (or by another rule) is still not shown with it
    found["topic"]["value"]["context"] = "reply"
    assert answered([reply], {reply.pk: found}) == {}


def test_the_comment_answered_is_shown_deleted_when_its_network_deleted_it(directory: None) -> None:
    """The curator checks a short reply's suggestion against the comment it answers; when the author has deleted
    that comment in the network since, it is still shown (it is what the reply was read with) and said to be gone,
    as the message page says it."""
    question = make_message(QUESTION, author="id1")
    reply = make_message("У нас та же проблема", reply_to=question)
    annotate_message(reply)
    found = {reply.pk: suggestions_for(reply)}
    assert answered([reply], found) == {reply.pk: "В ответ на: " + QUESTION}

    when = datetime(2026, 3, 2, 10, 15, tzinfo=ZoneInfo("Europe/Moscow"))
    Message.objects.filter(pk=question.pk).update(deleted_at=when, deleted_by="id1")
    assert answered([reply], found) == {
        reply.pk: "В ответ на: " + QUESTION + " (Удалено автором в сети 02.03.2026 10:15)"
    }
