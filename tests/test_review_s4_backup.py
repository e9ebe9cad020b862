"""Review of `otklik backup`: a folder the installation keeps on another disk through a symbolic link (the usual
way to give var/media a volume of its own) is backed up with its files, not as the link alone (R-4: nothing the
installation holds is lost; docs/operations.md § Backup and restore)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.fakes.vk import tiny_png
from tests.test_backup import Target, installation, target  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_media_on_another_disk_through_a_link_is_backed_up_and_restored(
    installation: Path,  # noqa: F811
    target: Target,  # noqa: F811
    tmp_path: Path,
) -> None:
    volume = tmp_path / "volume" / "otklik-media"
    (volume / "messages" / "7").mkdir(parents=True)
    (volume / "messages" / "7" / "0.png").write_bytes(tiny_png())
    installation.mkdir(parents=True, exist_ok=True)
    (installation / "media").symlink_to(volume, target_is_directory=True)
    out = tmp_path / "backup"

    call_command("backup", out=out)
    done = target.otklik("restore", "--from", str(out))

    assert done.returncode == 0, done.stderr
    restored = target.var / "media" / "messages" / "7" / "0.png"
    assert restored.is_file() and not (target.var / "media").is_symlink()
    assert restored.read_bytes() == tiny_png()
