"""Loading the trained models: shipped defaults in ``data/models/``, installation models in ``VAR_DIR/models``."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import joblib


def package_model_path(name: str) -> Path:
    return Path(str(resources.files("otklik.analysis").joinpath("data", "models", name)))


@lru_cache(maxsize=1)
def _moderation_bundle() -> dict[str, Any]:
    bundle: dict[str, Any] = joblib.load(package_model_path("moderation.joblib"))
    return bundle


def moderation_model() -> Any:
    return _moderation_bundle()["model"]


def moderation_threshold() -> float:
    return float(_moderation_bundle()["threshold"])


def moderation_version() -> str:
    return str(_moderation_bundle()["version"])
