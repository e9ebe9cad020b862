"""R-4, R-9: what a file of the ISO base media family (MP4, MOV, HEIC, AVIF, M4A share the «ftyp» box) really is,
told by its major brand: a network's AVIF photo is copied as a photo, not refused as «не фото и не видео» nor
named «.mp4»; an audio file or a camera's raw photo is no video."""

from __future__ import annotations

import pytest

from otklik.intake.safety import sniff


def _ftyp(brand: bytes) -> bytes:
    return b"\x00\x00\x00\x1cftyp" + brand


@pytest.mark.parametrize(
    ("brand", "kind"),
    [
        (b"avif", ("photo", "avif")),
        (b"heic", ("photo", "heic")),
        (b"qt  ", ("video", "mov")),
        (b"isom", ("video", "mp4")),
        (b"mp42", ("video", "mp4")),
        (b"3gp5", ("video", "mp4")),
        (b"M4A ", None),  # a voice message's audio
        (b"crx ", None),  # a Canon camera's raw photo
    ],
)
def test_ftyp_files_by_brand(brand: bytes, kind: tuple[str, str] | None) -> None:
    assert sniff(_ftyp(brand)) == kind
