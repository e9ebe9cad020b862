"""The analysis CLI contracts (stable: other checks use them). JSON Lines in and out, one object per line,
``id`` echoed; a bad line gives ``{"id": …, "line": N, "error": "…"}`` (in Russian) and the run goes on.

- ``otklik classifier train --input FILE.jsonl --label FIELD --out DIR [--fine FIELD2]`` — each line has ``text``
  and FIELD (and FIELD2, a finer label under FIELD, e.g. reason under category, if given: it helps training);
- ``otklik classifier predict --model DIR`` — ``{"id", "text"}`` → ``{"id", "label", "confidence", "top"}``;
- ``otklik moderate`` — ``{"id", "text"}`` → ``{"id", "blocked", "reasons", "score"}``;
- ``otklik analyze`` — ``{"id", "text"[, "author", "municipality", "metrics", "governor"]}`` → the whole
  annotation (moderation, topic group and topic, bodies, municipality, settlement, importance with reasons,
  repeat candidates among the earlier lines of the same input).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

BATCH = 256


def _error(lineno: int, message: str, ident: Any = None) -> dict[str, Any]:
    return {"id": ident, "line": lineno, "error": message}


def parse_lines(lines: Iterable[str], *, fields: tuple[str, ...] = ("text",)) -> Iterator[dict[str, Any]]:
    """Each non-blank line as an object with ``_line``; a bad one as an error object (``error`` key)."""
    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _error(lineno, f"строка {lineno}: не JSON ({exc.msg})")
            continue
        if not isinstance(item, dict):
            yield _error(lineno, f"строка {lineno}: ожидается объект JSON")
            continue
        ident = item.get("id")
        bad = [f for f in fields if not isinstance(item.get(f), str)]
        if bad:
            yield _error(lineno, f"строка {lineno}: нет текстового поля «{bad[0]}»", ident)
            continue
        item["_line"] = lineno
        yield item


def _batches(items: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


# --- moderate -------------------------------------------------------------------------------------------


def moderate_lines(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    from .moderation import moderate_many

    for batch in _batches(parse_lines(lines)):
        good = [item for item in batch if "error" not in item]
        results = iter(moderate_many([item["text"] for item in good]))
        for item in batch:
            if "error" in item:
                yield item
                continue
            verdict = next(results).as_dict()
            yield {"id": item.get("id"), **verdict}


# --- classifier -----------------------------------------------------------------------------------------


def train_file(path: Path, label: str, out: Path, fine: str | None = None) -> Iterator[dict[str, Any]]:
    """Train a ``linear.LinearTextModel`` on FILE.jsonl; yields the bad lines' errors, then a summary."""
    from . import linear

    texts: list[str] = []
    labels: list[str] = []
    fine_labels: list[str] = []
    with path.open(encoding="utf-8") as fh:
        for item in parse_lines(fh, fields=("text",)):
            if "error" in item:
                yield item
                continue
            value = item.get(label)
            if value is None or value == "" or isinstance(value, dict | list):
                yield _error(item["_line"], f"строка {item['_line']}: нет метки «{label}»", item.get("id"))
                continue
            fine_value = item.get(fine) if fine else None
            if fine and (fine_value is None or fine_value == "" or isinstance(fine_value, dict | list)):
                yield _error(item["_line"], f"строка {item['_line']}: нет метки «{fine}»", item.get("id"))
                continue
            texts.append(item["text"])
            labels.append(str(value))
            fine_labels.append(str(fine_value))
    model = linear.train(
        texts,
        labels,
        version=f"classifier-{label}-{len(texts)}",
        settings=linear.CLASSIFIER,
        fine_labels=fine_labels if fine else None,
    )
    model.meta["label_field"] = label
    if fine:
        model.meta["fine_field"] = fine
    model.save(out)
    yield {
        "model": str(out),
        "version": model.version,
        "examples": len(texts),
        "labels": len(model.classes),
        "temperature": round(model.temperature, 4),
    }


def predict_lines(model_dir: Path, lines: Iterable[str], k: int = 3) -> Iterator[dict[str, Any]]:
    from .linear import LinearTextModel

    model = LinearTextModel.load(model_dir)
    for batch in _batches(parse_lines(lines)):
        good = [item for item in batch if "error" not in item]
        rows = iter(model.predict_proba([item["text"] for item in good]))
        for item in batch:
            if "error" in item:
                yield item
                continue
            proba = next(rows)
            order = proba.argsort()[::-1][:k]
            top = [[model.classes[i], round(float(proba[i]), 4)] for i in order]
            yield {"id": item.get("id"), "label": top[0][0], "confidence": top[0][1], "top": top}


# --- analyze --------------------------------------------------------------------------------------------


class Analyzer:
    """Everything ``otklik analyze`` needs, loaded once; ``analyze_batch`` annotates many texts."""

    def __init__(self) -> None:
        from .models_store import moderation_version
        from .place import gazetteer
        from .repeats import RepeatIndex
        from .routing import Router
        from .topics import topic_model

        self.topics = topic_model()
        self.router = Router()
        gazetteer()
        self.repeats = RepeatIndex()
        self.versions = {"moderation": moderation_version(), "topics": self.topics.version}
        self._municipalities: dict[str, Any] | None = None

    def _source_municipality(self, name: Any) -> Any:
        from django.db import DatabaseError

        from otklik.org.models import Municipality

        if not isinstance(name, str) or not name:
            return None
        if self._municipalities is None:
            try:
                self._municipalities = {m.name.lower(): m for m in Municipality.objects.all()}
            except DatabaseError:
                self._municipalities = {}
        return self._municipalities.get(name.lower())

    def analyze_batch(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from .importance import assess
        from .moderation import moderate_many
        from .place import extract_place
        from .routing import topics_to_route
        from .topics import guesses_from_proba

        texts = [item["text"] for item in items]
        verdicts = moderate_many(texts)
        proba = self.topics.predict_proba(texts)
        out = []
        for item, text, verdict, row in zip(items, texts, verdicts, proba, strict=True):
            source = self._source_municipality(item.get("municipality"))
            place = extract_place(text, source)
            guesses = guesses_from_proba(self.topics, row)
            bodies = self.router.route(
                topics_to_route([(g.topic, g.probability) for g in guesses]), place.municipality_id
            )
            metrics = item.get("metrics") if isinstance(item.get("metrics"), dict) else None
            importance = assess(text, metrics, governor=bool(item.get("governor")))
            author = str(item.get("author") or "")
            ident = item.get("id")
            repeats = self.repeats.query(text, author)
            key = (
                ident
                if isinstance(ident, str | int) and not isinstance(ident, bool)
                else f"line-{item['_line']}"
            )
            self.repeats.add(key, text, author)
            out.append(
                {
                    "id": ident,
                    "blocked": verdict.blocked,
                    "moderation": verdict.as_dict(),
                    "topic_group": guesses[0].group,
                    "topic": guesses[0].topic,
                    "topic_confidence": round(guesses[0].probability, 4),
                    "topics": [g.as_dict() for g in guesses],
                    "bodies": [b.as_dict() for b in bodies],
                    "municipality": place.municipality or None,
                    "municipality_id": place.municipality_id,
                    "settlement": place.settlement or None,
                    "settlement_id": place.settlement_id,
                    "street": place.street or None,
                    "place": {
                        "source": place.source,
                        "mentions": [m.as_dict() for m in place.mentions],
                        "streets": [m.as_dict() for m in place.streets],
                    },
                    "importance": importance.as_dict(),
                    "repeats": [
                        {"id": r.message_id, "similarity": r.similarity, "same_author": r.same_author}
                        for r in repeats
                    ],
                    "versions": self.versions,
                }
            )
        return out


def analyze_lines(lines: Iterable[str], analyzer: Analyzer | None = None) -> Iterator[dict[str, Any]]:
    analyzer = analyzer or Analyzer()
    for batch in _batches(parse_lines(lines)):
        good = [item for item in batch if "error" not in item]
        results = iter(analyzer.analyze_batch(good))
        for item in batch:
            yield item if "error" in item else next(results)
