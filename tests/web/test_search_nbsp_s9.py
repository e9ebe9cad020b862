"""Review (s9) of the word-form search (`web.search`): the same finds on SQLite (Python's `re`) and on
PostgreSQL (`~*`), R-8.1 (the search, also every admin search)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from otklik.org.models import Body
from tests.conftest import Personas
from tests.web.test_search import admin_client

pytestmark = pytest.mark.django_db


def test_a_quoted_phrase_finds_a_name_written_with_a_no_break_space_on_both_databases(
    personas: Personas,
) -> None:
    """R-8.1: official names are often typed with a no-break space after a short word («по\\u00a0делам», as
    word processors set it). The admin's quoted search «"комитет по делам молодежи"» finds such a body on
    SQLite (Python's ``\\s`` takes the no-break space for a gap) and must find it on PostgreSQL too, whose
    ``\\s`` in a C.UTF-8 or ru_RU.UTF-8 database is only the ASCII blanks. Failed on PostgreSQL before `web.search.GAP`."""
    Body.objects.create(name="Комитет по\u00a0делам молодёжи", short_name="Молодёжь")
    Body.objects.create(name="Комитет финансов", short_name="Финансы")
    client = admin_client(personas.admin)
    page = client.get(reverse("admin:org_body_changelist"), {"q": '"комитет по делам молодежи"'})
    html = page.content.decode()
    assert "делам молодёжи" in html and "Комитет финансов" not in html
