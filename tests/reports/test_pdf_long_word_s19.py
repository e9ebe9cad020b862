"""R-13: a report's PDF is made whatever the names in it: a body's name typed as one word of 300 letters (no spaces, no short name) (no spaces)
is cut across lines instead of squeezing the other columns below their padding, which made reportlab refuse the
table and the rating's PDF a server error. Found by a review (session 19)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import Personas
from tests.reports.builders import build_october

pytestmark = pytest.mark.django_db


def test_the_rating_pdf_is_made_for_a_body_named_by_one_very_long_word(
    personas: Personas, tmp_path: Path
) -> None:
    long_name = "Комитет" + "ж" * 293  # the full name's whole length (300), shown when there is no short one
    personas.health.name, personas.health.short_name = long_name, ""
    personas.health.save(update_fields=["name", "short_name"])
    build_october(personas)  # the cases of October 2025 through the real actions, health's and roads'
    client = Client()
    client.force_login(personas.observer)
    response = client.get("/reports/rating/?quarter=2025Q4&format=pdf")
    assert response.status_code == 200
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils (scripts/ensure-system-deps.sh)")
    path = tmp_path / "rating.pdf"
    path.write_bytes(response.content)
    text = subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Комитет" + "ж" * 20 in text.replace("\n", "")  # the name is there, cut across lines
    assert "Дороги" in text or "дорожному" in text  # and the other bodies' rows with it
