"""Production calendar load in the admin: «Годы производственного календаря» → «или файл календаря (XML с
xmlcalendar.ru)». A file that is not the expected XML — plain text, a download cut short, a year or a day type that
is not a number — is refused with a Russian reason («это не XML», «файл оборван в строке N», «день 01.01.2028: тип
дня t=«x» — не число», «год «20 28» … — не число»), the parser's own English words only in the log
(`worktime.admin.unreadable_reason`); the empty year field says nothing, since the file gives the year
(R-8.3 … R-8.9: deadlines count by this calendar). Found by a review (session 19).
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "content",
    [
        b"not xml at all",
        b'<?xml version="1.0" encoding="UTF-8"?>\n<calendar year="2028" lang="ru"><holidays>',  # cut short
        b'<calendar year="2028"><days><day d="01.01" t="x"/></days></calendar>',
        b'<calendar year="20 28"><days/></calendar>',
        b'<calendar year="2028"><days><day d="1x.01" t="1"/></days></calendar>',
    ],
)
def test_a_calendar_file_that_does_not_read_is_refused_in_russian(
    client: Client, personas: Personas, content: bytes
) -> None:
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    page = client.post(
        "/admin/worktime/calendaryear/add/",
        {"year": "", "data": "", "source": "", "xml": SimpleUploadedFile("calendar.xml", content)},
    )
    assert page.status_code == 200
    errors = " ".join(
        re.sub(r"<[^>]+>", "", e)
        for e in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page.content.decode(), re.S)
    )
    assert "Файл календаря не прочитан" in errors
    assert "Обязательное поле" not in errors and "NULL" not in errors, errors  # the file gives the year
    english = re.findall(r"\b(?:syntax|error|line|column|invalid|literal|element|found|token|base)\b", errors)
    assert not english, errors


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not xml at all", "это не XML"),
        (b'<?xml version="1.0"?>\n<calendar year="2028" lang="ru"><holidays>', "файл оборван в строке 2"),
        (b'<calendar year="2028"><days><day d="01.01" t="x"/></days></calendar>', "день 01.01.2028: тип дня"),
        (b'<calendar year="20 28"><days/></calendar>', "год «20 28»"),
        (b'<calendar year="2028"><days><day d="1x.01" t="1"/></days></calendar>', "месяц и день должны быть"),
        (
            b'<calendar year="2028"><days><day d="02.30" t="1"/></days></calendar>',
            "такого дня нет в 2028 году",
        ),
    ],
)
def test_the_reason_is_named_and_the_parsers_own_words_are_in_the_log(
    client: Client, personas: Personas, content: bytes, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    with caplog.at_level("WARNING", logger="otklik.worktime.admin"):
        page = client.post(
            "/admin/worktime/calendaryear/add/",
            {"year": "", "data": "", "source": "", "xml": SimpleUploadedFile("calendar.xml", content)},
        )
    assert reason in page.content.decode().replace("&lt;", "<").replace("&gt;", ">")
    logged = [r.getMessage() for r in caplog.records if r.name == "otklik.worktime.admin"]
    assert logged and "calendar.xml" in logged[0] and ("Error" in logged[0] or "ValueError" in logged[0])
