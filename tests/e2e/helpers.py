"""Steps several browser tests share."""

from __future__ import annotations

from playwright.sync_api import Page

from otklik.org.models import Topic, TopicGroup


def a_topic() -> None:
    """A topic in the directory for the dispatch form to offer (call before the form is opened)."""
    Topic.objects.get_or_create(group=TopicGroup.objects.get_or_create(name="Прочее")[0], name="Иное")


def choose_topic_and_place(page: Page) -> None:
    """On the dispatch form, what R-8.1 has the curator set beside the bodies: here the group of topics «Прочее»
    as a whole (`a_topic`) and the oblast as a whole."""
    page.get_by_label("Тема").select_option(label="(вся группа тем «Прочее»)")
    page.get_by_label("Место").select_option(label="Ленинградская область в целом")
