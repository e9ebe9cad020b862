"""R-13: the quarterly rating ranks the oblast's executive bodies among themselves.

Clause 13 of the regulation: «Управление информационной политики … ежеквартально формирует рейтинг по качеству
работы органов исполнительной власти Ленинградской области». Municipal administrations take part as answering bodies
(`Body.Level.MUNICIPAL`, R-4.1; `otklik demo` loads 18 of them), but they are not executive bodies of the oblast.
The rating ranked every body with cases in one list, so a committee answering in time was «2nd» behind a district
administration. Now the executive bodies have the places of the rating (the page's first table, the XLSX's sheet
«Рейтинг», the PDF's first table, the JSON's `rows`), and the administrations, ranked among themselves by the same
formula, follow in a ranking of their own (second table, sheet «Администрации МО», `municipal_rows`), each body's
change since the last quarter measured in its own ranking; the letter that delivers the rating names both.
Found by a review (session 21)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.notify.models import Notice
from otklik.org.models import Body, Municipality, Person, Role
from otklik.reports import periods, rating
from otklik.reports.delivery import deliver_rating
from tests.conftest import Personas, make_person, msk
from tests.reports.builders import TEXT, message, publish

pytestmark = pytest.mark.django_db


def _administration() -> tuple[Body, Person]:
    gatchina = Municipality.objects.create(name="Гатчинский муниципальный округ")
    administration = Body.objects.create(
        name="Администрация Гатчинского муниципального округа",
        short_name="Администрация Гатчины",
        level=Body.Level.MUNICIPAL,
        municipality=gatchina,
    )
    clerk = make_person("gatchina_clerk", administration, Role.Kind.EXECUTOR, last_name="Громов")
    return administration, clerk


def _answered_at_once(p: Personas, body: Body, who: Person, day: datetime) -> None:
    """A case of `day` answered in 40 minutes: every component at its best."""
    case = actions.dispatch_case(
        p.curator, [message(day.replace(hour=9))], [Route(body)], now=day.replace(hour=10)
    )
    d = actions.submit_draft(who, case, "answer", TEXT, now=day.replace(hour=10, minute=20))
    actions.approve_draft(p.curator, d, now=day.replace(hour=10, minute=30))
    publish(who, d, day.replace(hour=10, minute=40))


def _answered_after_a_return(p: Personas, day: datetime) -> None:
    """A case of `day` for roads answered in time after one return: «без возврата» 0."""
    case = actions.dispatch_case(
        p.curator, [message(day.replace(hour=9))], [Route(p.roads)], now=day.replace(hour=10)
    )
    d = actions.submit_draft(p.dave, case, "answer", "Ответ будет позже", now=day.replace(hour=11))
    actions.return_draft(p.curator, d, "Ответьте по существу", now=day.replace(hour=11, minute=10))
    d2 = actions.revise_draft(p.dave, d, TEXT, now=day.replace(hour=11, minute=30))
    actions.approve_draft(p.curator, d2, now=day.replace(hour=11, minute=40))
    publish(p.dave, d2, day.replace(hour=11, minute=50))


def test_a_municipal_administration_takes_no_place_among_the_oblast_bodies(
    personas: Personas, client: Client
) -> None:
    p = personas
    administration, clerk = _administration()
    # the administration answers in 40 minutes; roads answers in time after one return
    _answered_at_once(p, administration, clerk, msk(2025, 10, 1))
    _answered_after_a_return(p, msk(2025, 10, 2))

    client.force_login(p.observer)
    data = client.get("/reports/rating/?quarter=2025Q4&format=json").json()
    ranks = {r["body"]: r["rank"] for r in data["rows"]}
    assert ranks == {"Дороги": 1}, (
        f"the rating of the oblast's executive bodies (clause 13) reads {ranks}: the only oblast body rated is "
        "placed behind a municipal administration"
    )
    (own,) = data["municipal_rows"]
    assert (own["body"], own["rank"], own["level"]) == ("Администрация Гатчины", 1, "municipal")
    assert own["score"] > data["rows"][0]["score"]  # the better score, in a ranking of its own


def test_the_page_the_files_and_the_letter_show_the_two_rankings(
    personas: Personas, client: Client, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    p = personas
    administration, clerk = _administration()
    _answered_at_once(p, administration, clerk, msk(2025, 10, 1))
    _answered_after_a_return(p, msk(2025, 10, 2))
    client.force_login(p.observer)

    html = client.get("/reports/rating/?quarter=2025Q4").content.decode()
    executive = re.search(r'data-testid="rating">(.*?)</table>', html, re.S)
    municipal = re.search(r'data-testid="rating-municipal">(.*?)</table>', html, re.S)
    assert executive is not None and municipal is not None
    assert "Дороги" in executive[1] and "Администрация Гатчины" not in executive[1]
    assert "Администрация Гатчины" in municipal[1] and "Дороги" not in municipal[1]
    assert html.index("Рейтинг органов исполнительной власти Ленинградской области") < html.index(
        "Рейтинг администраций муниципальных образований"
    )

    book = load_workbook(io.BytesIO(client.get("/reports/rating/?quarter=2025Q4&format=xlsx").content))
    assert book.sheetnames == ["Рейтинг", "Администрации МО"]
    assert [(c[0].value, c[1].value) for c in book["Рейтинг"].iter_rows(min_row=2)] == [(1, "Дороги")]
    assert [(c[0].value, c[1].value) for c in book["Администрации МО"].iter_rows(min_row=2)] == [
        (1, "Администрация Гатчины")
    ]

    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (scripts/ensure-system-deps.sh)")
    path = tmp_path / "rating.pdf"
    path.write_bytes(client.get("/reports/rating/?quarter=2025Q4&format=pdf").content)
    text = " ".join(
        subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    first = text.index("Рейтинг органов исполнительной власти Ленинградской области")
    second = text.index("Рейтинг администраций муниципальных образований")
    assert first < text.index("Дороги") < second < text.rindex("Гатчины")

    p.observer.email = "observer@example.org"
    p.observer.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_rating(msk(2026, 1, 12, 9, 0)) is not None
    letter = Notice.objects.get(recipient=p.observer, title__startswith="Квартальный").text
    assert "Органов в рейтинге: 1 (органы исполнительной власти области); первое место: Дороги" in letter
    assert (
        "Администраций муниципальных образований в их отдельном рейтинге: 1; первое место: Администрация Гатчины"
        in letter
    ), letter


def test_the_change_since_last_quarter_is_measured_in_the_bodys_own_ranking(personas: Personas) -> None:
    p = personas
    administration, clerk = _administration()
    for day in (msk(2025, 7, 1), msk(2025, 10, 1)):  # the third quarter and the fourth alike
        _answered_at_once(p, administration, clerk, day)
        _answered_after_a_return(p, day.replace(day=2))
    data = rating.build(periods.quarter(2025, 4))
    (roads,) = data["rows"]
    (own,) = data["municipal_rows"]
    # in one list roads was 2nd in the third quarter, and would read «moved up one place»
    assert (roads["rank"], roads["previous_rank"], roads["rank_change"], roads["score_change"]) == (
        1,
        1,
        0,
        0.0,
    )
    assert (own["rank"], own["previous_rank"], own["rank_change"], own["score_change"]) == (1, 1, 0, 0.0)


def test_an_empty_ranking_of_the_administrations_says_so(personas: Personas, client: Client) -> None:
    _answered_after_a_return(personas, msk(2025, 10, 2))
    client.force_login(personas.observer)
    html = client.get("/reports/rating/?quarter=2025Q4").content.decode()
    empty = re.search(r'data-testid="rating-municipal-empty">([^<]*)<', html)
    assert empty is not None
    assert empty[1] == "В квартале администрациям муниципальных образований не направлялись обращения."
    book = load_workbook(io.BytesIO(client.get("/reports/rating/?quarter=2025Q4&format=xlsx").content))
    assert book["Администрации МО"]["B2"].value == empty[1]
