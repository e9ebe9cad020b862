"""Topics (R-8.1): a classifier over the ЦУР taxonomy with calibrated probabilities and a top-3.

Cold start: the default model is trained at first use from the small training set shipped in ``data/topics/``
(appeals-spb texts mapped to ЦУР topics by ``reason_to_cur.csv``, plus ``topic_lexicon.tsv`` for topics that data
lacks) and cached in ``VAR_DIR/models``. Once curators have confirmed topics, ``otklik train_topics`` (or the
periodic task) trains an installation model from their ``Decision`` rows; the newest one is used.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import joblib
from django.conf import settings

from .text import lemma_text

DEFAULT_VERSION = "topics-default-1"
MIN_EXAMPLES = 3
_lock = threading.Lock()


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


def build_pipeline() -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, max_features=60000)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=80000
                ),
            ),
        ]
    )
    classifier = CalibratedClassifierCV(LinearSVC(C=0.5, class_weight="balanced"), method="sigmoid", cv=3)
    return Pipeline([("features", features), ("clf", classifier)])


def train(examples: list[Example], version: str) -> dict[str, Any]:
    """Fit a topic model; topics with fewer than MIN_EXAMPLES examples are left out (cannot be calibrated)."""
    import sklearn

    counts: dict[str, int] = {}
    for e in examples:
        counts[e.topic] = counts.get(e.topic, 0) + 1
    usable = [e for e in examples if counts[e.topic] >= MIN_EXAMPLES]
    model = build_pipeline()
    model.fit([lemma_text(e.text) for e in usable], [e.topic for e in usable])
    return {
        "model": model,
        "version": version,
        "sklearn": sklearn.__version__,
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "examples": len(usable),
        "topics": sorted({e.topic for e in usable}),
    }


def models_dir() -> Path:
    path = Path(settings.VAR_DIR) / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _default_cache_path() -> Path:
    import sklearn

    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(_data_file("train.jsonl.gz").read_bytes())
    digest.update(_data_file("topic_lexicon.tsv").read_bytes())
    digest.update(sklearn.__version__.encode())
    return models_dir() / f"{DEFAULT_VERSION}-{digest.hexdigest()[:10]}.joblib"


def installation_models() -> list[Path]:
    return sorted(models_dir().glob("topics-installation-*.joblib"))


@lru_cache(maxsize=1)
def topic_model() -> dict[str, Any]:
    """The newest installation model, else the default one (trained once from the shipped set, then cached)."""
    with _lock:
        local = installation_models()
        if local:
            bundle: dict[str, Any] = joblib.load(local[-1])
            return bundle
        path = _default_cache_path()
        if path.exists():
            bundle = joblib.load(path)
            return bundle
        bundle = train(default_examples(), DEFAULT_VERSION)
        joblib.dump(bundle, path, compress=3)
        return bundle


def reload_topic_model() -> None:
    topic_model.cache_clear()


def predict_topics(text: str, k: int = 3) -> list[TopicGuess]:
    """Top-k ЦУР topics with calibrated probabilities (R-8.1 suggestion)."""
    bundle = topic_model()
    model = bundle["model"]
    probabilities = model.predict_proba([lemma_text(text)])[0]
    order = probabilities.argsort()[::-1][:k]
    groups = topic_groups()
    return [
        TopicGuess(str(model.classes_[i]), groups.get(str(model.classes_[i]), ""), float(probabilities[i]))
        for i in order
    ]


def topic_model_version() -> str:
    return str(topic_model()["version"])
