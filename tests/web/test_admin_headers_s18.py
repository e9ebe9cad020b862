"""The UI speaks Russian, the Django admin included: no list page of the admin heads a column in English. Found by a
walk through the demo (session 18): the alerts' list had a last column «TELEGRAM PROBLEM» (a model property shown
without a Russian description). Every registered model's list page is checked, with one row in it where that is
simple, so that a column shown only for rows is seen too."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from otklik.notify.alerts import raise_alert
from tests.conftest import Personas

pytestmark = pytest.mark.django_db

# names of networks, formats and products are written in Latin letters in Russian text too
ALLOWED = re.compile(
    r"Telegram|VK|OK|YouTube|RSS|Atom|XLSX|PDF|JSON|CSV|URL|ID|SMTP|User-Agent|e-mail|email", re.I
)


def _headers(page: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", h)).strip()
        for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', page, re.S)
    ]


def test_no_admin_list_page_heads_a_column_in_english(personas: Personas) -> None:
    assert raise_alert("significant", "significant:message:1", "Прорыв теплотрассы", "Жители пишут о беде")
    person = personas.admin
    person.is_staff = person.is_superuser = True
    person.save()
    client = Client()
    client.force_login(person)
    english: dict[str, list[str]] = {}
    for model in admin.site._registry:
        meta = model._meta
        response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert response.status_code == 200, f"{meta.label}: {response.status_code}"
        bad = [
            h for h in _headers(response.content.decode()) if re.search(r"[A-Za-z]{3,}", ALLOWED.sub("", h))
        ]
        if bad:
            english[meta.label] = bad
    assert not english, english
