"""R-13: figures the vice-governor's office reads, each once shown wrong by a review (session 17) and fixed.

Every case is built through the real actions on a controlled clock (default schedule: Mon–Thu 09:00–18:00,
Fri 09:00–16:45, lunch 13:00–13:45; no holidays in October 2025)."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from otklik.cases import actions
from otklik.cases.actions import Route
from otklik.cases.models import Assignment, Case
from otklik.intake.models import Message
from tests.conftest import Personas, msk
from tests.reports.builders import TEXT, message, publish, two_bodies

pytestmark = pytest.mark.django_db


def _answered(p: Personas, day: int, minutes_after_ten: int) -> None:
    """A health case dispatched at 10:00 on `day` of October 2025 and answered `minutes_after_ten` later (before
    lunch, so the working minutes are the clock's)."""
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, day, 9, 0))], [Route(p.health)], now=msk(2025, 10, day, 10, 0)
    )
    draft = actions.submit_draft(p.alice, case, "answer", TEXT, now=msk(2025, 10, day, 10, 30))
    actions.approve_draft(p.curator, draft, now=msk(2025, 10, day, 10, 40))
    h, m = divmod(10 * 60 + minutes_after_ten, 60)
    publish(p.alice, draft, msk(2025, 10, day, h, m))


# ---------------------------------------------------------------- 1. a body that never received the case is rated
def test_rating_does_not_rank_first_a_body_that_never_received_its_case(
    personas: Personas, client: Client
) -> None:
    """R-13, R-8.9: only bodies that received cases in the quarter are rated. The curator sends a message to roads
    first and to health second; roads works, and the curator closes the case as a duplicate before health's turn:
    health never received it (no `received_at`, no work, no deadline). Health is not rated (it was, on «no
    violations» and «no refusals» alone: 100 points, first place, above roads, which worked its cases)."""
    p = personas
    # roads' ordinary case: answered in time, but its draft was returned once (a real, imperfect quarter)
    c = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 1, 9, 0))], [Route(p.roads)], now=msk(2025, 10, 1, 10, 0)
    )
    d = actions.submit_draft(p.dave, c, "answer", "Ответ будет позже", now=msk(2025, 10, 1, 11, 0))
    actions.return_draft(p.curator, d, "Ответьте по существу", now=msk(2025, 10, 1, 11, 10))
    d2 = actions.revise_draft(p.dave, d, TEXT, now=msk(2025, 10, 1, 11, 30))
    actions.approve_draft(p.curator, d2, now=msk(2025, 10, 1, 11, 40))
    publish(p.dave, d2, msk(2025, 10, 1, 11, 50))
    # roads first, health second; closed before health's turn
    dup = actions.dispatch_case(
        p.curator,
        [message(msk(2025, 10, 2, 9, 0))],
        [Route(p.roads, 1), Route(p.health, 2)],
        now=msk(2025, 10, 2, 10, 0),
    )
    actions.close_case(p.curator, dup, "Дубль обращения", now=msk(2025, 10, 2, 10, 5))
    health_share = Assignment.objects.get(case=dup, body=p.health)
    assert health_share.received_at is None  # health never received the message

    client.force_login(p.observer)
    data = client.get("/reports/rating/?quarter=2025Q4&format=json").json()
    rated = {r["body"]: r for r in data["rows"]}
    # what the office reads today: «1. Здравоохранение — 100,0»
    assert "Здравоохранение" not in rated, (
        f"health, which received no case, is rated: place {rated['Здравоохранение']['rank']}, "
        f"score {rated['Здравоохранение']['score']} (roads: place {rated['Дороги']['rank']}, "
        f"score {rated['Дороги']['score']})"
    )


# ---------------------------------------------------------------- 2. one common answer counted once per body
def test_monthly_oblast_total_counts_one_late_common_answer_as_half_on_time(
    personas: Personas, client: Client
) -> None:
    """R-13, R-8.9: one message, two bodies (health and roads), one common answer composed by roads' executor. The
    parts came in on time; the common answer was published the next afternoon, after the R-8.3 term (due Thu
    02.10 10:45). «Все органы» counts the one answer the citizen got, late: 0 % in time, 710 working minutes (it
    said 50 %: health's part counted as an answer in time, and its 60 minutes mixed into the median)."""
    p = personas
    case = two_bodies(p)
    actions.submit_draft(p.alice, case, "part", "Поликлиника откроется в июне.", now=msk(2025, 10, 1, 11, 0))
    actions.submit_draft(p.dave, case, "part", "Дорогу отремонтируют в мае.", now=msk(2025, 10, 1, 11, 30))
    case.refresh_from_db()
    common = actions.submit_draft(p.dave, case, "answer", TEXT, now=msk(2025, 10, 2, 14, 0))
    actions.approve_draft(p.curator, common, now=msk(2025, 10, 2, 14, 10))
    publish(p.dave, common, msk(2025, 10, 2, 14, 20))
    assert Case.objects.filter(pk=case.pk, publications__isnull=False).count() == 1  # one answer published

    client.force_login(p.observer)
    total = client.get("/reports/monthly/?month=2025-10&format=json").json()["timeliness"]["total"]
    page = client.get("/reports/monthly/?month=2025-10").content.decode()
    shown = re.search(r'data-testid="total-on-time">([^<]*)<', page)
    assert shown is not None
    assert total["cases"] == 1
    # the only answer (10:00 Wed → 14:20 Thu) was late: in time 0 of 1, its working time 10:00→18:00 less lunch
    # (7 h 15 min) + 09:00→14:20 Thu less lunch (4 h 35 min) = 710 min
    assert (total["on_time_share"], shown.group(1), total["median_minutes"]) == (0.0, "0,0 %", 710.0), (
        f"«Все органы» for one late answer: in time {shown.group(1)}, answers counted {total['answer_deadlines']}, "
        f"median {total['median_minutes']} min"
    )


# ---------------------------------------------------------------- 3. the median's half minute
def test_monthly_page_rounds_the_median_as_the_xlsx_reader_does(personas: Personas, client: Client) -> None:
    """R-13: two answers in 152 and 153 working minutes: the median is 152,5 min — 152.5 in the JSON and the XLSX
    cell «Медиана до ответа, раб. мин», and «2 ч 33 мин» on the page and in the PDF, as a reader of the file rounds
    it (Python's round() took the half to the even number: «2 ч 32 мин»)."""
    p = personas
    _answered(p, 1, 152)
    _answered(p, 2, 153)
    client.force_login(p.observer)
    data = client.get("/reports/monthly/?month=2025-10&format=json").json()
    health = next(r for r in data["timeliness"]["rows"] if r["body"] == "Здравоохранение")
    assert health["median_minutes"] == 152.5
    sheet = load_workbook(io.BytesIO(client.get("/reports/monthly/?month=2025-10&format=xlsx").content))
    ws = sheet["Своевременность"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] == "Здравоохранение")
    assert row[header.index("Медиана до ответа, раб. мин")] == 152.5
    page = client.get("/reports/monthly/?month=2025-10").content.decode()
    row_html = re.search(r"<td>Здравоохранение</td>(.*?)</tr>", page, re.S)
    assert row_html is not None
    # Обращений, Ответ в срок, Медиана до ответа, 90-й процентиль, Нарушений
    cells = re.findall(r'<td class="num">([^<]*)</td>', row_html.group(1))
    assert cells[3] == "2 ч 33 мин"  # the 90th percentile, 153 min
    assert cells[2] == "2 ч 33 мин", f"the page shows the median of 152.5 min as «{cells[2]}»"


# ---------------------------------------------------------------- 4. «-0 %»
def test_monthly_page_does_not_call_a_decline_minus_zero_per_cent(personas: Personas, client: Client) -> None:
    """R-13, dynamics of messages: 249 messages in October against 250 in September read «−0,4 %», with the real
    minus sign and a decimal comma as every other figure of the reports (it read «-0 %»)."""
    p = personas
    rows = [
        Message(
            network="vk",
            external_id=f"dyn-{month}-{i}",
            url=f"https://example.org/dyn/{month}/{i}",
            author_name="Ирина Петрова",
            text="Когда починят дорогу?",
            published_at=msk(2025, month, 10, 12, 0),
        )
        for month, n in ((9, 250), (10, 249))
        for i in range(n)
    ]
    Message.objects.bulk_create(rows)
    client.force_login(p.observer)
    page = client.get("/reports/monthly/?month=2025-10").content.decode()
    total = re.search(r'data-testid="messages-total">(.*?)</p>', page, re.S)
    assert total is not None
    text = " ".join(re.sub(r"<[^>]+>", "", total.group(1)).split())
    assert "предыдущий месяц: 250" in text
    assert "(предыдущий месяц: 250, −0,4 %;" in text, f"the page says: «{text}»"


def test_rating_waits_for_a_measure_of_the_bodys_work(personas: Personas, client: Client) -> None:
    """R-13: a body that has received a case but has nothing yet to be measured by (no deadline met or breached, no
    draft reviewed) is not rated on «no violations» and «no refusals» alone; its first draft in time rates it."""
    p = personas
    _answered(p, 1, 60)  # health answers a case in an hour: health is rated
    case = actions.dispatch_case(
        p.curator, [message(msk(2025, 10, 2, 9, 0))], [Route(p.roads)], now=msk(2025, 10, 2, 10, 0)
    )
    client.force_login(p.observer)

    def rated() -> set[str]:
        data = client.get("/reports/rating/?quarter=2025Q4&format=json").json()
        return {r["body"] for r in data["rows"]}

    assert rated() == {"Здравоохранение"}
    actions.submit_draft(p.dave, case, "answer", TEXT, now=msk(2025, 10, 2, 11, 0))  # the draft's term met
    assert rated() == {"Здравоохранение", "Дороги"}
    page = client.get("/reports/rating/?quarter=2025Q4").content.decode()
    assert "хотя бы один наступивший или выполненный срок" in page
