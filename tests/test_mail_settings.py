"""Where the e-mail of notices, reports and alerts goes (docs/operations.md § E-mail): with no mail server
configured, every letter is kept as a file under var/mail — a fresh install loses none and sends none."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.core.mail import send_mail
print(settings.EMAIL_BACKEND.rsplit(".", 2)[-2])
if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    send_mail("Отклик: проверка", "Текст письма", None, ["observer@example.org"])
"""


def _settings(tmp_path: Path, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    clean.update(DJANGO_SETTINGS_MODULE="otklik.settings", OTKLIK_VAR_DIR=str(tmp_path), **env)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=clean, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout.strip()


def test_without_a_mail_server_letters_are_kept_as_files(tmp_path: Path) -> None:
    assert _settings(tmp_path) == "filebased"
    (letter,) = (tmp_path / "mail").iterdir()
    text = letter.read_text(encoding="utf-8")
    assert "observer@example.org" in text and "Subject: =?utf-8?" in text


def test_a_mail_server_from_the_environment_is_used(tmp_path: Path) -> None:
    assert _settings(tmp_path, EMAIL_HOST="mail.example.org", EMAIL_PORT="587") == "smtp"
    assert not (tmp_path / "mail").exists()
