"""Topics (R-8.1): a classifier over the ЦУР taxonomy with calibrated probabilities and a top-3.

Cold start: the default model is shipped in ``data/models/topics/`` (a compact ``linear.LinearTextModel``,
trained by ``scripts/train_analysis_models.py topics-model`` from the training set in ``data/topics/``:
appeals-spb texts mapped to ЦУР topics by ``reason_to_cur.csv``, plus ``topic_lexicon.tsv`` for topics that data
lacks). Once curators have confirmed topics, ``otklik train_topics`` (or the
periodic task) trains an installation model from their ``Decision`` rows; the newest one is used.
"""

from __future__ import annotations

import gzip
import json
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from django.conf import settings

from . import linear
from .linear import LinearTextModel

DEFAULT_VERSION = "topics-default-4"
MIN_EXAMPLES = 3
_lock = threading.Lock()
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Example:
    text: str
    topic: str


@dataclass(frozen=True)
class TopicGuess:
    topic: str
    group: str
    probability: float

    def as_dict(self) -> dict[str, Any]:
        return {"topic": self.topic, "group": self.group, "probability": round(self.probability, 3)}


def _data_file(name: str) -> Any:
    return resources.files("otklik.analysis").joinpath("data", "topics", name)


@lru_cache(maxsize=1)
def topic_groups() -> dict[str, str]:
    """ЦУР topic → group, from the taxonomy shipped with the directory (org/data)."""
    text = resources.files("otklik.org").joinpath("data", "taxonomy_cur_topic2group.json").read_text("utf-8")
    groups: dict[str, str] = json.loads(text)
    return groups


def default_examples() -> list[Example]:
    """The shipped training set: mapped appeals plus the topic lexicon plus each topic's own name."""
    examples: list[Example] = []
    with gzip.open(str(_data_file("train.jsonl.gz")), "rt", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            examples.append(Example(item["text"], item["topic"]))
    return examples + default_examples_without_appeals()


def default_examples_without_appeals() -> list[Example]:
    examples: list[Example] = []
    for line in _data_file("topic_lexicon.tsv").read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        topic, phrases = line.split("\t", 1)
        examples += [Example(p.strip(), topic) for p in phrases.split("|") if p.strip()]
    examples += [Example(topic.lstrip("★ "), topic) for topic in topic_groups()]
    return examples


def train(examples: list[Example], version: str) -> LinearTextModel:
    """Fit a topic model (``linear.train``); topics with fewer than MIN_EXAMPLES examples are left out."""
    counts: dict[str, int] = {}
    for e in examples:
        counts[e.topic] = counts.get(e.topic, 0) + 1
    usable = [e for e in examples if counts[e.topic] >= MIN_EXAMPLES]
    return linear.train(
        [e.text for e in usable], [e.topic for e in usable], version=version, settings=linear.TOPICS
    )


def models_dir() -> Path:
    path = Path(settings.VAR_DIR) / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_model_dir() -> Path:
    """The shipped default model (``scripts/train_analysis_models.py topics-model`` writes it)."""
    return Path(str(resources.files("otklik.analysis").joinpath("data", "models", "topics")))


def installation_models() -> list[Path]:
    """The installation's own models (``otklik train_topics``), oldest first. A model being written is not among
    them: ``LinearTextModel.save`` writes it under another name and renames it when complete."""
    return sorted(p for p in models_dir().glob("topics-installation-*") if (p / "weights.npz").exists())


# The model this process uses, with the name of the newest installation model directory when it was chosen ("" for
# none). The weekly retraining runs in another process (the training worker, docs/operations.md), so a process
# that analyses messages looks in var/models before each page of them (`refresh_topic_model`).
_loaded: tuple[str, LinearTextModel] | None = None
# Installation models this process could not load (a damaged file): passed over, and logged once.
_unusable: set[str] = set()


def _newest_name() -> str:
    local = installation_models()
    return local[-1].name if local else ""


def _load(newest: str) -> LinearTextModel:
    """The newest installation model that loads, else the shipped default one (R-10: a damaged model must not stop
    the analysis of new messages, their moderation included): one that does not load is logged at ERROR and the
    one before it is used."""
    global _loaded
    model = None
    for directory in reversed(installation_models()):
        if directory.name in _unusable:
            continue
        try:
            model = LinearTextModel.load(directory)
            break
        except Exception as exc:  # whatever does not read as a model: the model is unusable, not the analysis
            _unusable.add(directory.name)
            log.error(
                "topic model %s cannot be loaded, the previous model is used instead (delete the directory or "
                "run `otklik train_topics`): %r",
                directory,
                exc,
            )
    if model is None:
        try:
            model = LinearTextModel.load(default_model_dir())
        except Exception as exc:
            log.error("the shipped topic model %s cannot be loaded: %r", default_model_dir(), exc)
            raise TopicModelError(
                f"модель тем, поставляемая с программой ({default_model_dir()}), повреждена: переустановите "
                "программу (pip install) или обучите модель установки (otklik train_topics)"
            ) from exc
    _loaded = (newest, model)
    return model


class TopicModelError(ValueError):
    """No topic model can be loaded, not even the shipped one (the message is in Russian)."""


def unusable_models() -> list[Path]:
    """The installation models this process passed over because they do not load, newest first."""
    with _lock:
        return sorted((models_dir() / name for name in _unusable), reverse=True)


def topic_model() -> LinearTextModel:
    """The model in use: the newest installation model, else the shipped default one; loaded at first need and
    kept until `refresh_topic_model` finds a newer one."""
    with _lock:
        return _loaded[1] if _loaded is not None else _load(_newest_name())


def refresh_topic_model() -> LinearTextModel:
    """R-8.1: the model in use, after a look in var/models (one listing of the directory, no file read): a newer
    installation model stored there since — by the training worker, another process — is loaded now. Called
    before each page of messages and each analysis of a single message, not per message of a page."""
    with _lock:
        newest = _newest_name()
        if _loaded is not None and _loaded[0] == newest:
            return _loaded[1]
        return _load(newest)


def reload_topic_model() -> None:
    """Forget the model in use (the next `topic_model` loads the newest one): after a training in this process
    and between tests."""
    global _loaded
    with _lock:
        _loaded = None
        _unusable.clear()


def guesses_from_proba(model: LinearTextModel, row: Any, k: int = 3) -> list[TopicGuess]:
    groups = topic_groups()
    order = row.argsort()[::-1][:k]
    return [TopicGuess(model.classes[i], groups.get(model.classes[i], ""), float(row[i])) for i in order]


def predict_topics(text: str, k: int = 3) -> list[TopicGuess]:
    """Top-k ЦУР topics with calibrated probabilities (R-8.1 suggestion)."""
    model = topic_model()
    return guesses_from_proba(model, model.predict_proba([text])[0], k)


def predict_topics_many(texts: list[str], k: int = 3) -> list[list[TopicGuess]]:
    """``predict_topics`` for a batch (one vectorisation: much faster per text)."""
    model = topic_model()
    return [guesses_from_proba(model, row, k) for row in model.predict_proba(texts)]


def topic_model_version() -> str:
    return topic_model().version
