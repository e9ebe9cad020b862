"""R-9: photos and video attached to a draft as proof of the work done.

Files go to Django's default storage (MEDIA_ROOT) under `cases/<case>/`; `Draft.attachments` keeps their
storage names. They are served only through `views.attachment`, which looks the case up through the
scoping helper, so an executor of another body gets 404 as on every URL of the case. The type is checked by
the file's first bytes, not by its name or the browser's word.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename

from otklik.intake.safety import sniff

MAX_FILES = 10


def max_bytes() -> int:
    return int(getattr(settings, "CASES_ATTACHMENT_MAX_MB", 50)) * 1024 * 1024


@dataclass(frozen=True)
class Attachment:
    name: str  # storage name

    @property
    def title(self) -> str:
        """The uploaded file's name, without the unique prefix."""
        base = PurePosixPath(self.name).name
        return base.split("_", 1)[1] if "_" in base else base

    @property
    def is_video(self) -> bool:
        return PurePosixPath(self.name).suffix.lower() in (".mp4", ".mov", ".webm")


# what the editor takes (its hint and `accept`; GIF too): what the networks publish; an AVIF photo, say, is not
PUBLISHABLE = frozenset(("jpg", "png", "gif", "webp", "heic", "mp4", "mov", "webm"))


def validate(files: list[UploadedFile], already: int = 0) -> list[str]:
    """Russian messages for every file that cannot be attached (empty when all are fine)."""
    errors: list[str] = []
    if already + len(files) > MAX_FILES:
        errors.append(f"К проекту можно приложить не больше {MAX_FILES} файлов.")
    limit = max_bytes()
    for f in files:
        name = f.name or "без имени"
        if not f.size:
            errors.append(f"Файл «{name}» пустой.")
            continue
        if f.size > limit:
            errors.append(
                f"Файл «{name}» слишком большой: {f.size / 1024 / 1024:.1f} МБ, допускается до {limit // 1024 // 1024} МБ."
            )
            continue
        f.seek(0)
        head = f.read(16)
        f.seek(0)
        kind = sniff(head)
        if kind is None or kind[1] not in PUBLISHABLE:
            errors.append(
                f"Файл «{name}» не подходит: прикладываются фото (JPEG, PNG, WEBP, HEIC) или видео (MP4, MOV, WEBM)."
            )
    return errors


def store(case_id: int, files: list[UploadedFile]) -> list[str]:
    """Save validated files; their storage names, for `Draft.attachments`."""
    names = []
    for f in files:
        f.seek(0)
        kind = sniff(f.read(16))
        f.seek(0)
        ext = kind[1] if kind else "bin"
        stem = _stem(f.name or "")
        names.append(default_storage.save(f"cases/{case_id}/{uuid.uuid4().hex[:12]}_{stem}.{ext}", f))
    return names


def _stem(name: str) -> str:
    """The file's name without its extension as storage takes it («фото_ямы»); «file» when nothing of it is left
    («😀.jpg», «№.jpg»: Django's `get_valid_filename` refuses a name it empties)."""
    try:
        return get_valid_filename(PurePosixPath(name).stem)[:80] or "file"
    except SuspiciousFileOperation:
        return "file"


def remove(names: list[str]) -> None:
    """Delete files saved for a draft that was then refused (nothing refers to them)."""
    for name in names:
        default_storage.delete(name)
