"""A production installation behind HTTPS is configured from the environment alone (README § Configuration):
`otklik check --deploy` then has nothing to say about HTTPS, HSTS or cookies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

OTKLIK = Path(sys.executable).with_name("otklik")
HTTPS_WARNINGS = ("security.W004", "security.W008", "security.W012", "security.W016")
HSTS_WARNINGS = (
    "security.W005",
    "security.W021",
)  # sub-domains, preload: set when the domain's owner decides


def _check_deploy(tmp_path: Path, **env: str) -> str:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("SECURE_", "SESSION_", "CSRF_", "DEBUG"))
    }
    clean.update(
        OTKLIK_VAR_DIR=str(tmp_path), SECRET_KEY="x" * 60 + "-not-a-real-key-but-long-and-varied-9876", **env
    )
    done = subprocess.run(
        [str(OTKLIK), "check", "--deploy"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.stdout + done.stderr


@pytest.mark.parametrize("configured", [False, True])
def test_https_settings_come_from_the_environment(tmp_path: Path, configured: bool) -> None:
    env = (
        {
            "SECURE_SSL_REDIRECT": "1",
            "SESSION_COOKIE_SECURE": "1",
            "CSRF_COOKIE_SECURE": "1",
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
            "SECURE_HSTS_PRELOAD": "1",
        }
        if configured
        else {}
    )
    said = _check_deploy(tmp_path, **env)
    assert [w for w in HTTPS_WARNINGS if w in said] == ([] if configured else list(HTTPS_WARNINGS))
    if configured:
        assert [w for w in HSTS_WARNINGS if w in said] == []
