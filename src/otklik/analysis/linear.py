"""A compact linear text classifier: TF-IDF over lemmas (word 1–2-grams) and characters (char_wb 2–5),
LinearSVC, softmax with a temperature fitted on held-out data for calibrated probabilities.

Stored without pickle as two files in a directory (``model.json.gz``: classes, vocabularies, settings;
``weights.npz``: idf and a pruned sparse float16 weight matrix), so that a default model fits into the package
(a few MB) and loads with any scikit-learn version. Used for topics (``topics.py``) and for
``otklik classifier train|predict``.
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from .text import lemma_text

FORMAT = "otklik-linear-1"
WORD_PATTERN = r"(?u)\b\w+\b"


@dataclass
class Settings:
    word_features: int = 40000
    char_features: int = 60000
    c: float = 0.5
    class_weight: str | None = "balanced"
    keep_weights: float = 0.6  # share of the weight mass (by absolute value) kept per class when pruning
    lemmatise: bool = True


# The shipped topic model: small (a few MB in the package).
TOPICS = Settings(c=1.0, class_weight=None)
# `otklik classifier train` (and the appeals-spb evaluation): larger vocabularies, less pruning.
CLASSIFIER = Settings(word_features=100000, char_features=150000, c=1.0, class_weight=None, keep_weights=0.85)


@dataclass
class LinearTextModel:
    classes: list[str]
    word_vocab: list[str]
    char_vocab: list[str]
    word_idf: np.ndarray
    char_idf: np.ndarray
    coef: sparse.csr_matrix  # classes × (words + chars)
    intercept: np.ndarray
    temperature: float
    version: str
    lemmatise: bool = True
    meta: dict[str, Any] = field(default_factory=dict)
    _vectorizers: tuple[Any, Any] | None = field(default=None, repr=False)

    # --- features -------------------------------------------------------------------------------------

    def prepare(self, text: str) -> str:
        return lemma_text(text) if self.lemmatise else " ".join(text.lower().replace("ё", "е").split())

    def _vecs(self) -> tuple[Any, Any]:
        if self._vectorizers is None:
            words = _word_vectorizer(vocabulary=self.word_vocab)
            words.idf_ = self.word_idf.astype(np.float64)
            chars = _char_vectorizer(vocabulary=self.char_vocab)
            chars.idf_ = self.char_idf.astype(np.float64)
            self._vectorizers = (words, chars)
        return self._vectorizers

    def features(self, prepared: Sequence[str]) -> sparse.csr_matrix:
        words, chars = self._vecs()
        return sparse.hstack([words.transform(prepared), chars.transform(prepared)], format="csr")

    # --- prediction -----------------------------------------------------------------------------------

    def decision(self, prepared: Sequence[str]) -> np.ndarray:
        x = self.features(prepared)
        scores: np.ndarray = np.asarray((x @ self.coef.T).todense()) + self.intercept
        return scores

    def predict_proba(self, texts: Sequence[str], *, prepared: bool = False) -> np.ndarray:
        """Probabilities (rows sum to 1) for each text, columns in ``self.classes`` order."""
        items = list(texts) if prepared else [self.prepare(t) for t in texts]
        if not items:
            return np.zeros((0, len(self.classes)))
        return softmax(self.decision(items), self.temperature)

    def top(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        proba = self.predict_proba([text])[0]
        order = np.argsort(-proba)[:k]
        return [(self.classes[i], float(proba[i])) for i in order]

    # --- storage --------------------------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        head = {
            "format": FORMAT,
            "version": self.version,
            "classes": self.classes,
            "temperature": self.temperature,
            "lemmatise": self.lemmatise,
            "meta": self.meta,
            "word_vocab": self.word_vocab,
            "char_vocab": self.char_vocab,
        }
        with gzip.open(directory / "model.json.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
            json.dump(head, fh, ensure_ascii=False)
        coef = self.coef.tocsr()
        np.savez_compressed(
            directory / "weights.npz",
            word_idf=self.word_idf.astype(np.float16),
            char_idf=self.char_idf.astype(np.float16),
            data=coef.data.astype(np.float16),
            indices=coef.indices.astype(np.int32),
            indptr=coef.indptr.astype(np.int64),
            shape=np.array(coef.shape, dtype=np.int64),
            intercept=self.intercept.astype(np.float32),
        )

    @classmethod
    def load(cls, directory: Path) -> LinearTextModel:
        with gzip.open(directory / "model.json.gz", "rt", encoding="utf-8") as fh:
            head = json.load(fh)
        if head.get("format") != FORMAT:
            raise ValueError(f"{directory}: неизвестный формат модели {head.get('format')!r}")
        with np.load(directory / "weights.npz") as w:
            shape = tuple(int(n) for n in w["shape"])
            coef = sparse.csr_matrix((w["data"].astype(np.float32), w["indices"], w["indptr"]), shape=shape)
            return cls(
                classes=list(head["classes"]),
                word_vocab=list(head["word_vocab"]),
                char_vocab=list(head["char_vocab"]),
                word_idf=w["word_idf"].astype(np.float32),
                char_idf=w["char_idf"].astype(np.float32),
                coef=coef,
                intercept=w["intercept"].astype(np.float32),
                temperature=float(head["temperature"]),
                version=str(head["version"]),
                lemmatise=bool(head.get("lemmatise", True)),
                meta=dict(head.get("meta", {})),
            )


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


def _word_vectorizer(**kwargs: Any) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, token_pattern=WORD_PATTERN, dtype=np.float32, **kwargs
    )


def _char_vectorizer(**kwargs: Any) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, dtype=np.float32, **kwargs
    )


def _prune(coef: np.ndarray, keep: float) -> sparse.csr_matrix:
    """Keep, per class, the largest weights holding ``keep`` of its absolute weight mass."""
    if keep >= 1.0:
        return sparse.csr_matrix(coef.astype(np.float32))
    pruned = np.zeros_like(coef, dtype=np.float32)
    for i, row in enumerate(coef):
        order = np.argsort(-np.abs(row))
        mass = np.cumsum(np.abs(row[order]))
        n = int(np.searchsorted(mass, keep * mass[-1])) + 1 if mass[-1] > 0 else 0
        pruned[i, order[:n]] = row[order[:n]]
    return sparse.csr_matrix(pruned)


def _fit_svm(x: sparse.csr_matrix, y: list[str], settings: Settings) -> Any:
    from sklearn.svm import LinearSVC

    return LinearSVC(C=settings.c, class_weight=settings.class_weight).fit(x, y)


def _rows(svm: Any, keep: float) -> tuple[sparse.csr_matrix, np.ndarray]:
    """One weight row per class (pruned) and the intercepts."""
    coef = _prune(svm.coef_, keep)
    if len(svm.classes_) == 2:
        # A binary LinearSVC has one row (for the second class); make it two so that softmax works.
        return (
            sparse.vstack([-coef / 2, coef / 2], format="csr"),
            np.array([-svm.intercept_[0] / 2, svm.intercept_[0] / 2], dtype=np.float32),
        )
    return coef, svm.intercept_.astype(np.float32)


def _fit_temperature(scores: np.ndarray, y_index: np.ndarray) -> float:
    best = (float("inf"), 1.0)
    for t in np.geomspace(0.03, 3.0, 40):
        p = softmax(scores, float(t))
        nll = -float(np.mean(np.log(np.clip(p[np.arange(len(y_index)), y_index], 1e-12, None))))
        if nll < best[0]:
            best = (nll, float(t))
    return best[1]


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    version: str,
    settings: Settings | None = None,
    seed: int = 0,
) -> LinearTextModel:
    """Fit on every example; the temperature is chosen on a 15 % hold-out fit first (labels with one
    example stay in the final fit only)."""
    settings = settings or Settings()
    if len(texts) != len(labels) or not texts:
        raise ValueError("нужны тексты с метками")
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise ValueError("нужны хотя бы две разные метки")
    t0 = time.time()
    prepared = [lemma_text(t) if settings.lemmatise else " ".join(t.lower().split()) for t in texts]
    words = _word_vectorizer(max_features=settings.word_features, min_df=1)
    chars = _char_vectorizer(max_features=settings.char_features, min_df=2 if len(texts) > 200 else 1)
    x = sparse.hstack([words.fit_transform(prepared), chars.fit_transform(prepared)], format="csr")
    y = list(labels)

    temperature = 0.3
    if len(texts) >= 40:
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(y))
        cut = int(len(y) * 0.85)
        fit_idx, val_idx = order[:cut], order[cut:]
        fit_labels = [y[i] for i in fit_idx]
        if len(set(fit_labels)) >= 2:
            svm = _fit_svm(x[fit_idx], fit_labels, settings)
            known = {c: i for i, c in enumerate(svm.classes_)}
            val = [i for i in val_idx if y[i] in known]
            if val:
                coef, intercept = _rows(svm, settings.keep_weights)
                scores = np.asarray((x[val] @ coef.T).todense()) + intercept
                temperature = _fit_temperature(scores, np.array([known[y[i]] for i in val]))
    svm = _fit_svm(x, y, settings)
    coef, intercept = _rows(svm, settings.keep_weights)
    return LinearTextModel(
        classes=[str(c) for c in svm.classes_],
        word_vocab=_vocab_list(words),
        char_vocab=_vocab_list(chars),
        word_idf=words.idf_.astype(np.float32),
        char_idf=chars.idf_.astype(np.float32),
        coef=coef,
        intercept=intercept,
        temperature=temperature,
        version=version,
        lemmatise=settings.lemmatise,
        meta={
            "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "examples": len(texts),
            "seconds": round(time.time() - t0, 1),
            "settings": settings.__dict__,
        },
    )


def _vocab_list(vectorizer: Any) -> list[str]:
    vocab: dict[str, int] = vectorizer.vocabulary_
    out = [""] * len(vocab)
    for term, i in vocab.items():
        out[i] = term
    return out
