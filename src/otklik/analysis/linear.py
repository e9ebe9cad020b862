"""A compact linear text classifier: TF-IDF over lemmas (word 1–2-grams) and characters (char_wb 2–5),
LinearSVC, softmax with a temperature fitted on held-out data for calibrated probabilities.

Two optional extensions (used by ``otklik classifier train``, not by the small shipped topic model):

- a second view of the raw text (word 1–2 + char_wb 2–5 TF-IDF over the lower-cased words as written) with its
  own LinearSVC; the two views' scores are averaged (stored as one weight matrix over both feature blocks);
- a finer label (e.g. the portal's ``reason`` under its ``category``): a second model over the fine labels whose
  probabilities, summed within each coarse label, are mixed log-linearly with the coarse model's own;
- a small neural network beside each LinearSVC (fastText-like: the same TF-IDF features summed into a hidden
  layer of ``hidden`` ReLU units, dropout, softmax; trained with Adam, numpy only); its probabilities are mixed
  log-linearly (equal weights) with the SVM's calibrated ones.

Stored without pickle as two files in a directory (``model.json.gz``: classes, vocabularies, settings;
``weights.npz``: idf and a pruned sparse float16 weight matrix, and the networks' float16 arrays if any: up to
77 MB per network with the ``CLASSIFIER`` vocabularies), so that a default model fits into the package
(a few MB) and loads with any scikit-learn version. Used for topics (``topics.py``) and for
``otklik classifier train|predict``.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import secrets
import shutil
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
    raw_word_features: int = (
        0  # > 0: add the raw-text view (word 1–2 + char_wb 2–5 over the words as written)
    )
    raw_char_features: int = 0
    hidden: int = 0  # > 0: add the small network (that many hidden units) beside each LinearSVC
    epochs: int = 4


# The shipped topic model: small (a few MB in the package).
TOPICS = Settings(c=1.0, class_weight=None)
# `otklik classifier train` (and the appeals-spb evaluation): larger vocabularies, less pruning.
CLASSIFIER = Settings(
    word_features=100000,
    char_features=150000,
    c=1.0,
    class_weight=None,
    keep_weights=0.85,
    raw_word_features=150000,
    raw_char_features=200000,
    hidden=64,
)


@dataclass
class Network:
    """One hidden layer over the sparse features: ``softmax(relu(x @ embed + bias) @ out + out_bias)``;
    ``temperature`` is that of the log-linear mix with the SVM's probabilities."""

    embed: np.ndarray  # features × hidden
    bias: np.ndarray
    out: np.ndarray  # hidden × classes
    out_bias: np.ndarray
    temperature: float = 1.0

    def scores(self, x: sparse.csr_matrix) -> np.ndarray:
        hidden = np.maximum(np.asarray(x @ self.embed) + self.bias, 0.0)
        scores: np.ndarray = hidden @ self.out + self.out_bias
        return scores

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {
            prefix + "embed": self.embed.astype(np.float16),
            prefix + "bias": self.bias.astype(np.float32),
            prefix + "out": self.out.astype(np.float32),
            prefix + "out_bias": self.out_bias.astype(np.float32),
        }

    @classmethod
    def from_arrays(cls, arrays: Any, prefix: str, temperature: float) -> Network:
        return cls(
            embed=arrays[prefix + "embed"].astype(np.float32),
            bias=arrays[prefix + "bias"].astype(np.float32),
            out=arrays[prefix + "out"].astype(np.float32),
            out_bias=arrays[prefix + "out_bias"].astype(np.float32),
            temperature=temperature,
        )


@dataclass
class FineLabels:
    """A model over finer labels, each belonging to one of the coarse ``classes`` (``parent``: its index)."""

    classes: list[str]
    parent: list[int]
    coef: sparse.csr_matrix  # fine classes × all features
    intercept: np.ndarray
    temperature: float
    mix_temperature: float  # of the log-linear mix of the coarse and the summed fine probabilities
    net: Network | None = None

    def parent_matrix(self, n_coarse: int) -> sparse.csr_matrix:
        ones = np.ones(len(self.parent), dtype=np.float64)
        return sparse.csr_matrix(
            (ones, (np.arange(len(self.parent)), self.parent)), shape=(len(self.parent), n_coarse)
        )


def raw_text(text: str) -> str:
    return " ".join(text.lower().split())


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
    raw_word_vocab: list[str] = field(default_factory=list)
    raw_char_vocab: list[str] = field(default_factory=list)
    raw_word_idf: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    raw_char_idf: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    fine: FineLabels | None = None
    net: Network | None = None
    _vectorizers: list[tuple[Any, Any]] | None = field(default=None, repr=False)

    # --- features -------------------------------------------------------------------------------------

    def prepare(self, text: str) -> str:
        return lemma_text(text) if self.lemmatise else " ".join(text.lower().replace("ё", "е").split())

    def _vecs(self) -> list[tuple[Any, Any]]:
        if self._vectorizers is None:
            words = _word_vectorizer(vocabulary=self.word_vocab)
            words.idf_ = self.word_idf.astype(np.float64)
            chars = _char_vectorizer(vocabulary=self.char_vocab)
            chars.idf_ = self.char_idf.astype(np.float64)
            self._vectorizers = [(words, chars)]
            if self.raw_word_vocab:
                raw_words = _raw_word_vectorizer(vocabulary=self.raw_word_vocab)
                raw_words.idf_ = self.raw_word_idf.astype(np.float64)
                raw_chars = _char_vectorizer(vocabulary=self.raw_char_vocab)
                raw_chars.idf_ = self.raw_char_idf.astype(np.float64)
                self._vectorizers.append((raw_words, raw_chars))
        return self._vectorizers

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        views = self._vecs()
        blocks = []
        for n, (words, chars) in enumerate(views):
            items = [self.prepare(t) for t in texts] if n == 0 else [raw_text(t) for t in texts]
            blocks += [words.transform(items), chars.transform(items)]
        return sparse.hstack(blocks, format="csr")

    # --- prediction -----------------------------------------------------------------------------------

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        return _scores(self.features(texts), self.coef, self.intercept)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities (rows sum to 1) for each text, columns in ``self.classes`` order."""
        if not texts:
            return np.zeros((0, len(self.classes)))
        x = self.features(texts)
        proba = _with_net(softmax(_scores(x, self.coef, self.intercept), self.temperature), x, self.net)
        if self.fine is not None:
            proba = _mix(proba, x, self.fine)
        return proba

    def top(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        proba = self.predict_proba([text])[0]
        order = np.argsort(-proba)[:k]
        return [(self.classes[i], float(proba[i])) for i in order]

    # --- storage --------------------------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        """Store the model in ``directory``, whole or not at all: written into a temporary directory beside it
        (``.NAME.*.part``, skipped by every reader) and renamed into place once complete, so a training killed
        halfway, or a full disk, never leaves a truncated model where ``topics`` or ``otklik classifier predict``
        would load it. Into a directory that already holds files (``--out`` given again) each of the two files
        is replaced whole. An OSError names ``directory`` (not the temporary one)."""
        parent = directory.parent
        try:
            if parent.exists() and not parent.is_dir():  # `mkdir` would say "exists", not "is a file"
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(parent))
            parent.mkdir(parents=True, exist_ok=True)
            part = parent / f".{directory.name}.{os.getpid()}-{secrets.token_hex(4)}.part"
            part.mkdir()
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(directory)) from exc
        try:
            self._write(part)
            try:
                part.rename(directory)  # a new directory, or an empty one: the whole model appears at once
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST) or not directory.is_dir():
                    raise
                for name in ("weights.npz", "model.json.gz"):
                    os.replace(part / name, directory / name)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(directory)) from exc
        finally:
            shutil.rmtree(part, ignore_errors=True)

    def _write(self, directory: Path) -> None:
        head: dict[str, Any] = {
            "format": FORMAT,
            "version": self.version,
            "classes": self.classes,
            "temperature": self.temperature,
            "lemmatise": self.lemmatise,
            "meta": self.meta,
            "word_vocab": self.word_vocab,
            "char_vocab": self.char_vocab,
            "raw_word_vocab": self.raw_word_vocab,
            "raw_char_vocab": self.raw_char_vocab,
        }
        arrays: dict[str, Any] = {
            "word_idf": self.word_idf.astype(np.float16),
            "char_idf": self.char_idf.astype(np.float16),
            "raw_word_idf": self.raw_word_idf.astype(np.float16),
            "raw_char_idf": self.raw_char_idf.astype(np.float16),
            "intercept": self.intercept.astype(np.float32),
            **_matrix_arrays(self.coef),
        }
        if self.fine is not None:
            head["fine"] = {
                "classes": self.fine.classes,
                "parent": self.fine.parent,
                "temperature": self.fine.temperature,
                "mix_temperature": self.fine.mix_temperature,
            }
            arrays.update({f"fine_{k}": v for k, v in _matrix_arrays(self.fine.coef).items()})
            arrays["fine_intercept"] = self.fine.intercept.astype(np.float32)
            if self.fine.net is not None:
                head["fine"]["net_temperature"] = self.fine.net.temperature
                arrays.update(self.fine.net.arrays("fine_net_"))
        if self.net is not None:
            head["net_temperature"] = self.net.temperature
            arrays.update(self.net.arrays("net_"))
        with gzip.open(directory / "model.json.gz", "wt", encoding="utf-8", compresslevel=9) as fh:
            json.dump(head, fh, ensure_ascii=False)
        np.savez_compressed(directory / "weights.npz", **arrays)

    @classmethod
    def load(cls, directory: Path) -> LinearTextModel:
        with gzip.open(directory / "model.json.gz", "rt", encoding="utf-8") as fh:
            head = json.load(fh)
        if head.get("format") != FORMAT:
            raise ValueError(f"{directory}: неизвестный формат модели {head.get('format')!r}")
        with np.load(directory / "weights.npz") as w:
            coef = _matrix(w, "")
            fine = None
            if head.get("fine"):
                fine = FineLabels(
                    classes=list(head["fine"]["classes"]),
                    parent=[int(i) for i in head["fine"]["parent"]],
                    coef=_matrix(w, "fine_"),
                    intercept=w["fine_intercept"].astype(np.float32),
                    temperature=float(head["fine"]["temperature"]),
                    mix_temperature=float(head["fine"]["mix_temperature"]),
                    net=(
                        Network.from_arrays(w, "fine_net_", float(head["fine"]["net_temperature"]))
                        if "fine_net_embed" in w
                        else None
                    ),
                )
            empty = np.zeros(0, dtype=np.float32)
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
                raw_word_vocab=list(head.get("raw_word_vocab", [])),
                raw_char_vocab=list(head.get("raw_char_vocab", [])),
                raw_word_idf=w["raw_word_idf"].astype(np.float32) if "raw_word_idf" in w else empty,
                raw_char_idf=w["raw_char_idf"].astype(np.float32) if "raw_char_idf" in w else empty,
                fine=fine,
                net=Network.from_arrays(w, "net_", float(head["net_temperature"]))
                if "net_embed" in w
                else None,
            )


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: np.ndarray = e / e.sum(axis=1, keepdims=True)
    return out


def _scores(x: sparse.csr_matrix, coef: sparse.csr_matrix, intercept: np.ndarray) -> np.ndarray:
    scores: np.ndarray = np.asarray((x @ coef.T).todense()) + intercept
    return scores


def _mix_logits(proba: np.ndarray, fine_proba: np.ndarray, parents: sparse.csr_matrix) -> np.ndarray:
    """Log-linear mix (equal weights) of the coarse probabilities and the fine ones summed per coarse label."""
    summed = np.asarray(fine_proba @ parents)
    logits: np.ndarray = 0.5 * np.log(np.clip(proba, 1e-12, None)) + 0.5 * np.log(
        np.clip(summed, 1e-12, None)
    )
    return logits


def _net_logits(proba: np.ndarray, net_scores: np.ndarray) -> np.ndarray:
    """Log-linear mix (equal weights) of the SVM's calibrated probabilities and the network's."""
    logits: np.ndarray = 0.5 * np.log(np.clip(proba, 1e-12, None)) + 0.5 * np.log(
        np.clip(softmax(net_scores, 1.0), 1e-12, None)
    )
    return logits


def _with_net(proba: np.ndarray, x: sparse.csr_matrix, net: Network | None) -> np.ndarray:
    if net is None:
        return proba
    return softmax(_net_logits(proba, net.scores(x)), net.temperature)


def _mix(proba: np.ndarray, x: sparse.csr_matrix, fine: FineLabels) -> np.ndarray:
    fine_proba = _with_net(softmax(_scores(x, fine.coef, fine.intercept), fine.temperature), x, fine.net)
    return softmax(_mix_logits(proba, fine_proba, fine.parent_matrix(proba.shape[1])), fine.mix_temperature)


def _matrix_arrays(matrix: sparse.csr_matrix) -> dict[str, np.ndarray]:
    m = matrix.tocsr()
    return {
        "data": m.data.astype(np.float16),
        "indices": m.indices.astype(np.int32),
        "indptr": m.indptr.astype(np.int64),
        "shape": np.array(m.shape, dtype=np.int64),
    }


def _matrix(arrays: Any, prefix: str) -> sparse.csr_matrix:
    shape = tuple(int(n) for n in arrays[prefix + "shape"])
    return sparse.csr_matrix(
        (arrays[prefix + "data"].astype(np.float32), arrays[prefix + "indices"], arrays[prefix + "indptr"]),
        shape=shape,
    )


def _word_vectorizer(**kwargs: Any) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        ngram_range=(1, 2), sublinear_tf=True, token_pattern=WORD_PATTERN, dtype=np.float32, **kwargs
    )


def _raw_word_vectorizer(**kwargs: Any) -> Any:
    """Words as written (scikit-learn's default tokens: two or more word characters)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, dtype=np.float32, **kwargs)


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

    return LinearSVC(C=settings.c, class_weight=settings.class_weight, random_state=0).fit(x, y)


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


def _fit_views(
    views: list[sparse.csr_matrix], y: list[str], settings: Settings
) -> tuple[list[str], sparse.csr_matrix, np.ndarray]:
    """One LinearSVC per feature view; the views' scores are averaged: one weight matrix over all blocks."""
    coefs, intercepts, classes = [], [], None
    for x in views:
        svm = _fit_svm(x, y, settings)
        classes = [str(c) for c in svm.classes_]
        coef, intercept = _rows(svm, settings.keep_weights)
        coefs.append(coef / len(views))
        intercepts.append(intercept / len(views))
    assert classes is not None
    return classes, sparse.hstack(coefs, format="csr"), np.sum(intercepts, axis=0).astype(np.float32)


def _fit_network(
    x: sparse.csr_matrix, y: Sequence[str], classes: list[str], settings: Settings, seed: int
) -> Network:
    """The small network (see the module docstring): minibatches of 64, Adam (lr 0.003; for the embedding
    only the rows of the batch's features are updated, as in a sparse Adam), dropout 0.3, cross-entropy."""
    rng = np.random.default_rng(seed)
    index = {c: i for i, c in enumerate(classes)}
    y_index = np.array([index[label] for label in y])
    hidden, n_classes = settings.hidden, len(classes)
    bound = 1.0 / np.sqrt(hidden)
    embed = rng.normal(0.0, 0.05, size=(x.shape[1], hidden)).astype(np.float32)
    params = [
        np.zeros(hidden, dtype=np.float32),
        rng.uniform(-bound, bound, size=(hidden, n_classes)).astype(np.float32),
        rng.uniform(-bound, bound, size=n_classes).astype(np.float32),
    ]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    embed_m, embed_v = np.zeros_like(embed), np.zeros_like(embed)
    lr, beta1, beta2, eps, dropout, batch = 3e-3, 0.9, 0.999, 1e-8, 0.3, 64
    x = x.tocsr().astype(np.float32)
    step = 0
    for _ in range(settings.epochs):
        order = rng.permutation(x.shape[0])
        for start in range(0, len(order), batch):
            rows = order[start : start + batch]
            xb = x[rows]
            cols, inverse = np.unique(xb.indices, return_inverse=True)
            xc = sparse.csr_matrix((xb.data, inverse, xb.indptr), shape=(len(rows), len(cols)))
            bias, out, out_bias = params
            pre = np.asarray(xc @ embed[cols]) + bias
            keep = (rng.random(pre.shape) >= dropout).astype(np.float32) / (1 - dropout)
            h = np.maximum(pre, 0.0) * keep
            grad = softmax(h @ out + out_bias, 1.0)
            grad[np.arange(len(rows)), y_index[rows]] -= 1.0
            grad /= len(rows)
            d_pre = (grad @ out.T) * keep * (pre > 0)
            grads = [d_pre.sum(axis=0), h.T @ grad, grad.sum(axis=0)]
            step += 1
            c1, c2 = 1 - beta1**step, 1 - beta2**step
            for p, g, (m, v) in zip(params, grads, moments, strict=True):
                m *= beta1
                m += (1 - beta1) * g
                v *= beta2
                v += (1 - beta2) * g * g
                p -= (lr * (m / c1) / (np.sqrt(v / c2) + eps)).astype(np.float32)
            d_embed = np.asarray(xc.T @ d_pre, dtype=np.float32)
            m_rows = beta1 * embed_m[cols] + (1 - beta1) * d_embed
            v_rows = beta2 * embed_v[cols] + (1 - beta2) * d_embed * d_embed
            embed_m[cols], embed_v[cols] = m_rows, v_rows
            embed[cols] -= lr * (m_rows / c1) / (np.sqrt(v_rows / c2) + eps)
    return Network(embed, params[0], params[1], params[2])


def _calibrated(
    x_fit: sparse.csr_matrix,
    fit_labels: Sequence[str],
    classes: list[str],
    x_val: sparse.csr_matrix,
    coef: sparse.csr_matrix,
    intercept: np.ndarray,
    rows: np.ndarray,
    y_index: np.ndarray,
    temperatures: tuple[float, float],
    settings: Settings,
    seed: int,
) -> tuple[np.ndarray, float, float]:
    """Held-out probabilities of an SVM fitted on (`x_fit`, `fit_labels`) for `x_val` — mixed with those of a
    network fitted on the same, with `settings.hidden` — and the two temperatures, each fitted on the held-out
    `rows` (labels `y_index`) or kept as given when there are none."""
    temperature, net_temperature = temperatures
    scores = _scores(x_val, coef, intercept)
    if len(rows):
        temperature = _fit_temperature(scores[rows], y_index)
    proba = softmax(scores, temperature)
    if settings.hidden:
        net = _fit_network(x_fit, fit_labels, classes, settings, seed)
        logits = _net_logits(proba, net.scores(x_val))
        if len(rows):
            net_temperature = _fit_temperature(logits[rows], y_index)
        proba = softmax(logits, net_temperature)
    return proba, temperature, net_temperature


def _fit_temperature(scores: np.ndarray, y_index: np.ndarray) -> float:
    best = (float("inf"), 1.0)
    for t in np.geomspace(0.03, 3.0, 40):
        p = softmax(scores, float(t))
        nll = -float(np.mean(np.log(np.clip(p[np.arange(len(y_index)), y_index], 1e-12, None))))
        if nll < best[0]:
            best = (nll, float(t))
    return best[1]


def _parents(
    labels: Sequence[str], fine_labels: Sequence[str], classes: list[str], fine: list[str]
) -> list[int]:
    """Each fine label's coarse label (the most frequent one among its examples)."""
    counts: dict[str, dict[str, int]] = {}
    for coarse, label in zip(labels, fine_labels, strict=True):
        counts.setdefault(label, {})
        counts[label][coarse] = counts[label].get(coarse, 0) + 1
    index = {c: i for i, c in enumerate(classes)}
    return [index[max(counts[f].items(), key=lambda kv: (kv[1], kv[0]))[0]] for f in fine]


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    version: str,
    settings: Settings | None = None,
    seed: int = 0,
    fine_labels: Sequence[str] | None = None,
) -> LinearTextModel:
    """Fit on every example; the temperature is chosen on a 15 % hold-out fit first (labels with one
    example stay in the final fit only). ``fine_labels`` (one per text, each under one label): see the module
    docstring."""
    settings = settings or Settings()
    if len(texts) != len(labels) or not texts:
        raise ValueError("нужны тексты с метками")
    if fine_labels is not None and len(fine_labels) != len(labels):
        raise ValueError("нужна уточняющая метка для каждого текста")
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise ValueError("нужны хотя бы две разные метки")
    t0 = time.time()
    prepared = [lemma_text(t) if settings.lemmatise else " ".join(t.lower().split()) for t in texts]
    min_df = 2 if len(texts) > 200 else 1
    words = _word_vectorizer(max_features=settings.word_features, min_df=1)
    chars = _char_vectorizer(max_features=settings.char_features, min_df=min_df)
    views = [sparse.hstack([words.fit_transform(prepared), chars.fit_transform(prepared)], format="csr")]
    raw_words = raw_chars = None
    if settings.raw_word_features and settings.raw_char_features:
        raw = [raw_text(t) for t in texts]
        raw_words = _raw_word_vectorizer(max_features=settings.raw_word_features)
        raw_chars = _char_vectorizer(max_features=settings.raw_char_features, min_df=min_df)
        views.append(
            sparse.hstack([raw_words.fit_transform(raw), raw_chars.fit_transform(raw)], format="csr")
        )
    x = sparse.hstack(views, format="csr")
    y = list(labels)
    fine_y = list(fine_labels) if fine_labels is not None and len(set(fine_labels)) >= 2 else None

    temperature, fine_temperature, mix_temperature = 0.3, 0.3, 1.0
    net_temperature, fine_net_temperature = 1.0, 1.0
    if len(texts) >= 40:
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(y))
        cut = int(len(y) * 0.85)
        fit_idx, val_idx = order[:cut], order[cut:]
        fit_labels = [y[i] for i in fit_idx]
        if len(set(fit_labels)) >= 2:
            fit_classes, coef, intercept = _fit_views([v[fit_idx] for v in views], fit_labels, settings)
            known = {c: i for i, c in enumerate(fit_classes)}
            val = [i for i in val_idx if y[i] in known]
            if val:
                val_y = np.array([known[y[i]] for i in val])
                held = (x[fit_idx], fit_labels, fit_classes, x[val], coef, intercept)
                val_proba, temperature, net_temperature = _calibrated(
                    *held, np.arange(len(val)), val_y, (temperature, net_temperature), settings, seed
                )
                fit_fine = [fine_y[i] for i in fit_idx] if fine_y is not None else []
                if fine_y is not None and len(set(fit_fine)) >= 2:
                    fine_classes, fine_coef, fine_intercept = _fit_views(
                        [v[fit_idx] for v in views], fit_fine, settings
                    )
                    fine_known = {c: i for i, c in enumerate(fine_classes)}
                    both = [n for n, i in enumerate(val) if fine_y[i] in fine_known]
                    held = (x[fit_idx], fit_fine, fine_classes, x[val], fine_coef, fine_intercept)
                    fine_proba, fine_temperature, fine_net_temperature = _calibrated(
                        *held,
                        np.asarray(both, dtype=np.intp),
                        np.array([fine_known[fine_y[val[n]]] for n in both]),
                        (fine_temperature, fine_net_temperature),
                        settings,
                        seed,
                    )
                    parents = FineLabels(
                        fine_classes,
                        _parents(fit_labels, fit_fine, fit_classes, fine_classes),
                        fine_coef,
                        fine_intercept,
                        fine_temperature,
                        1.0,
                    ).parent_matrix(len(fit_classes))
                    logits = _mix_logits(val_proba, fine_proba, parents)
                    mix_temperature = _fit_temperature(logits, val_y)
    final_classes, coef, intercept = _fit_views(views, y, settings)
    net: Network | None = None
    if settings.hidden:
        net = _fit_network(x, y, final_classes, settings, seed)
        net.temperature = net_temperature
    fine = None
    if fine_y is not None:
        fine_classes, fine_coef, fine_intercept = _fit_views(views, fine_y, settings)
        fine = FineLabels(
            fine_classes,
            _parents(y, fine_y, final_classes, fine_classes),
            fine_coef,
            fine_intercept,
            fine_temperature,
            mix_temperature,
        )
        if settings.hidden:
            fine.net = _fit_network(x, fine_y, fine_classes, settings, seed)
            fine.net.temperature = fine_net_temperature
    empty = np.zeros(0, dtype=np.float32)
    return LinearTextModel(
        classes=final_classes,
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
        raw_word_vocab=_vocab_list(raw_words) if raw_words is not None else [],
        raw_char_vocab=_vocab_list(raw_chars) if raw_chars is not None else [],
        raw_word_idf=raw_words.idf_.astype(np.float32) if raw_words is not None else empty,
        raw_char_idf=raw_chars.idf_.astype(np.float32) if raw_chars is not None else empty,
        fine=fine,
        net=net,
    )


def _vocab_list(vectorizer: Any) -> list[str]:
    vocab: dict[str, int] = vectorizer.vocabulary_
    out = [""] * len(vocab)
    for term, i in vocab.items():
        out[i] = term
    return out
