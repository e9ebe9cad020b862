"""The analysis CLI contracts (stable: other checks use them). JSON Lines in and out, one object per line,
``id`` echoed; a bad line gives ``{"id": …, "line": N, "error": "…"}`` (in Russian) and the run goes on. Bad:
not UTF-8, not a JSON object (NaN and Infinity are not JSON), ``text`` missing or not a string, and for
``analyze`` an optional field of the wrong kind, or a ``municipality`` (the territory of the message's community)
that names no municipal formation of the oblast (the directory's name, or an everyday one such as «Тосненский
район»); an input in UTF-16 (Windows Notepad's «Юникод», PowerShell's
``>``) or UTF-32 gets one error per line of it saying so, and the run fails. Blank lines are skipped. A message
that the analysis fails on gets an error object too; an answer is written as soon as no more input is waiting
(line-by-line use).

- ``otklik classifier train --input FILE.jsonl --label FIELD --out DIR [--fine FIELD2]`` — each line has ``text``
  and FIELD (and FIELD2, a finer label under FIELD, e.g. reason under category, if given: it helps training);
- ``otklik classifier predict --model DIR`` — ``{"id", "text"}`` → ``{"id", "label", "confidence", "top"}``;
- ``otklik moderate`` — ``{"id", "text"}`` → ``{"id", "blocked", "reasons", "score"}``;
- ``otklik analyze`` — ``{"id", "text"[, "author", "municipality", "metrics", "governor"]}`` → the whole
  annotation (moderation, topic group and topic, bodies, municipality, settlement, importance with reasons,
  repeat candidates among the earlier lines of the same input).

``moderate`` and ``analyze`` read ``text`` as Otklik stores a message it receives (`intake.text`): markup and HTML
entities resolved, a VK mention «[id123|Иван]» as the name VK shows, the length capped — so a network's text
gives what the product's own pipeline gives; ``metrics`` counters may be numbers or a monitoring export's text
(«25 000»), as the product reads them.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

BATCH = 256

log = logging.getLogger(__name__)


class _Flush:
    """Passed along the pipeline when the input has nothing more waiting: the batch so far is processed and
    written out at once (see ``management/commands/_jsonl.stdin_lines``)."""


FLUSH = _Flush()

Line = str | bytes | _Flush
Item = dict[str, Any] | _Flush

# A lone UTF-16 surrogate: JSON may carry one as an escape (``"\\ud83d"``, an emoji cut in half by a network's
# length limit), and UTF-8 cannot encode it. In texts it becomes U+FFFD (one code point for one, so offsets
# stay right); the output writer escapes any other one back (management/commands/_jsonl.py).
SURROGATE = re.compile("[\ud800-\udfff]")

# Counters in ``metrics`` that the importance rules add up (analysis.importance._reach), each a number or a
# number as an export writes it (analysis.importance.counter_value).
METRIC_COUNTERS = ("views", "likes", "reposts", "comments", "shares", "audience", "followers", "reach")


# What `json` says of a line that is not JSON, in Russian for the operator (the English goes to the log at DEBUG).
JSON_ERRORS = {
    "Expecting value": "ожидается значение: текст в кавычках, число, объект или список",
    "Expecting ',' delimiter": "ожидается запятая или закрывающая скобка",
    "Expecting ':' delimiter": "ожидается двоеточие после имени поля",
    "Expecting property name enclosed in double quotes": "ожидается имя поля в двойных кавычках",
    "Unterminated string starting at": "не закрыта кавычка текста, начатого здесь",
    "Extra data": "лишние символы после объекта",
    "Invalid control character at": "управляющий символ внутри кавычек: перевод строки пишется \\n, табуляция \\t",
    "Invalid \\escape": "неверный символ после обратной косой черты",
    "Invalid \\uXXXX escape": "после \\u нужны четыре шестнадцатеричные цифры",
    "Illegal trailing comma before end of object": "лишняя запятая перед закрывающей скобкой",
    "Illegal trailing comma before end of array": "лишняя запятая перед закрывающей скобкой",
}


def _json_error(lineno: int, text: str, line: str, exc: json.JSONDecodeError) -> str:
    """Why ``line`` (``text`` stripped) is not JSON, in Russian, with the column in ``text`` where it shows."""
    log.debug("input line %d is not JSON: %s", lineno, exc)
    reason = JSON_ERRORS.get(exc.msg, "ошибка разбора")
    where = "в конце строки" if exc.pos >= len(line) else f"столбец {text.find(line) + exc.pos + 1}"
    return f"строка {lineno}: не JSON — {reason} ({where})"


def _error(lineno: int, message: str, ident: Any = None) -> dict[str, Any]:
    return {"id": ident, "line": lineno, "error": message}


class _BadNumber(ValueError):
    pass


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _BadNumber(f"число {text} вне допустимого диапазона")
    return value


def _no_constant(name: str) -> Any:
    raise _BadNumber(f"{name} не допускается в JSON")


def _loads(line: str) -> Any:
    """``json.loads`` of one input line; ValueError (in Russian) for what strict JSON does not allow, which
    Python would otherwise accept (NaN, Infinity, 1e400) and could not write back as JSON."""
    try:
        return json.loads(line, parse_float=_finite, parse_constant=_no_constant)
    except (json.JSONDecodeError, _BadNumber):
        raise
    except ValueError:  # an integer of thousands of digits
        raise _BadNumber("слишком длинное число") from None
    except RecursionError:
        raise _BadNumber("слишком глубокая вложенность") from None


def _json_kind(value: Any) -> str:
    """The kind of a JSON value, in the instrumental case («должно быть строкой, а не числом»)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "числом"
    if isinstance(value, str):
        return "строкой"
    return "списком" if isinstance(value, list) else "объектом"


def _field_error(item: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    """What is wrong with the text fields of one input object (in Russian), or None."""
    for field in fields:
        if field not in item:
            return f"нет поля «{field}»"
        if not isinstance(item[field], str):
            return f"поле «{field}» должно быть строкой, а не {_json_kind(item[field])}"
    return None


def _analyze_field_error(item: dict[str, Any]) -> str | None:
    """What is wrong with the optional fields of ``otklik analyze`` (in Russian), or None: a value of the
    wrong kind would silently change the result (``"governor": "no"`` is not the Governor's account)."""
    from .importance import counter_value

    author = item.get("author")
    if author is not None and not (isinstance(author, str | int) and not isinstance(author, bool)):
        return f"поле «author» должно быть строкой, а не {_json_kind(author)}"
    municipality = item.get("municipality")
    if municipality is not None and not isinstance(municipality, str):
        return f"поле «municipality» должно быть строкой (название), а не {_json_kind(municipality)}"
    governor = item.get("governor")
    if governor is not None and not isinstance(governor, bool):
        return f"поле «governor» должно быть true или false, а не {_json_kind(governor)}"
    metrics = item.get("metrics")
    if metrics is None:
        return None
    if not isinstance(metrics, dict):
        return f"поле «metrics» должно быть объектом, а не {_json_kind(metrics)}"
    for key in METRIC_COUNTERS:
        value = metrics.get(key)
        if value is None:
            continue
        if counter_value(value) is None:  # a number, or a number as an export writes it («25 000»)
            shown = json.dumps(value, ensure_ascii=False)
            return f"поле «metrics.{key}» должно быть неотрицательным числом, а не {shown}"
    return None


def _decode(raw: str | bytes, lineno: int) -> tuple[str, str | None]:
    """The line as text, and the reason it is not valid UTF-8 (then the text has U+FFFD in place of the bad
    bytes, only to find the line's ``id``)."""
    if isinstance(raw, str):
        return raw, None
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return raw.decode("utf-8", errors="replace"), (
            f"строка {lineno}: не в кодировке UTF-8 (байт 0x{raw[exc.start]:02x} в позиции {exc.start}); "
            "сохраните данные в UTF-8"
        )


def parse_lines(
    lines: Iterable[Line],
    *,
    fields: tuple[str, ...] = ("text",),
    check: Callable[[dict[str, Any]], str | None] | None = None,
) -> Iterator[Item]:
    """Each non-blank line as an object with ``_line``; a bad one as an error object (``error`` key). Lines
    may be bytes (decoded as UTF-8: a line that is not is reported) or text; ``FLUSH`` is passed through."""
    lineno = 0
    chunks = iter(lines)
    for chunk in chunks:
        if isinstance(chunk, _Flush):
            yield chunk
            continue
        wide = _wide_encoding(chunk) if lineno == 0 and isinstance(chunk, bytes) else None
        if wide is not None and isinstance(chunk, bytes):
            yield from _refuse_wide(wide, chunk, chunks)
            return
        for raw in _split(chunk):
            lineno += 1
            item = _parse_line(raw, lineno, fields, check)
            if item is not None:
                yield item


def _wide_encoding(head: bytes) -> str | None:
    """The codec of an input saved in UTF-16 or UTF-32 (Windows Notepad's «Юникод», PowerShell's ``>``), told by
    its first line: a byte order mark, or NULs at every other byte (JSON text in UTF-8 has no NUL byte); else
    None."""
    if head.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    parity = {i % 2 for i, byte in enumerate(head[:256]) if byte == 0}
    if len(parity) == 1 and head[:256].count(0) >= 2:
        return "utf-16-le" if parity == {1} else "utf-16-be"
    return None


def _refuse_wide(codec: str, first: bytes, rest: Iterable[Line]) -> Iterator[Item]:
    """An input in UTF-16 or UTF-32: one error object per line of it (its lines counted, and its ids read, in its
    own encoding), each saying to save it in UTF-8. Read to the end first: its line ends are not UTF-8's."""
    data = first + b"".join(chunk for chunk in rest if isinstance(chunk, bytes))
    name, fix = codec[:6].upper(), "сохраните его в UTF-8"
    text = data.decode(codec, errors="replace").lstrip("\ufeff")
    for lineno, line in enumerate(re.split(r"\r\n?|\n", text.rstrip("\r\n")), start=1):
        if not line.strip():
            continue
        try:
            item = _loads(line.strip())
        except (ValueError, RecursionError):
            item = None
        ident = item.get("id") if isinstance(item, dict) else None
        yield _error(lineno, f"строка {lineno}: файл в кодировке {name}, а не UTF-8: {fix}", ident)


def _split(chunk: str | bytes) -> list[str] | list[bytes]:
    """One line as read, split again at a lone CR (old Mac line ends: JSON has no raw CR in a string)."""
    if isinstance(chunk, bytes):
        return re.split(rb"\r\n?|\n", chunk.rstrip(b"\r\n"))
    return re.split(r"\r\n?|\n", chunk.rstrip("\r\n"))


def _parse_line(
    raw: str | bytes,
    lineno: int,
    fields: tuple[str, ...],
    check: Callable[[dict[str, Any]], str | None] | None,
) -> dict[str, Any] | None:
    """One line as an object with ``_line``, an error object, or None for a blank line."""
    text, bad_encoding = _decode(raw, lineno)
    line = text.strip().lstrip("\ufeff").strip()
    if not line:
        return None
    try:
        item = _loads(line)
    except json.JSONDecodeError as exc:
        return _error(lineno, bad_encoding or _json_error(lineno, text, line, exc))
    except _BadNumber as exc:
        return _error(lineno, bad_encoding or f"строка {lineno}: не JSON ({exc})")
    if not isinstance(item, dict):
        return _error(lineno, bad_encoding or f"строка {lineno}: ожидается объект JSON")
    ident = item.get("id")
    problem = bad_encoding or _field_error(item, fields) or (check(item) if check else None)
    if problem:
        return _error(lineno, problem if bad_encoding else f"строка {lineno}: {problem}", ident)
    for field in fields:
        item[field] = SURROGATE.sub("\ufffd", item[field])
    item["_line"] = lineno
    return item


def _batches(items: Iterable[Item]) -> Iterator[list[Item]]:
    """Up to BATCH items at a time; a batch ends early at ``FLUSH``, which ends it."""
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH or isinstance(item, _Flush):
            yield batch
            batch = []
    if batch:
        yield batch


def _annotate(
    items: Iterable[Item],
    annotate: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
) -> Iterator[Item]:
    """``annotate`` over the good items of each batch, results in input order with the error objects and
    ``FLUSH`` in place. If a batch fails, its items are retried one by one, and an item that still fails
    gets an error object: one message never stops the run."""
    for batch in _batches(items):
        good = [item for item in batch if isinstance(item, dict) and "error" not in item]
        try:
            results = iter(annotate(good))
        except Exception:
            results = iter([_annotate_one(item, annotate) for item in good])
        for item in batch:
            yield item if isinstance(item, _Flush) or "error" in item else next(results)


def _annotate_one(
    item: dict[str, Any], annotate: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]
) -> dict[str, Any]:
    try:
        return annotate([item])[0]
    except Exception as exc:
        log.error("analysis of input line %s (id %r) failed: %r", item["_line"], item.get("id"), exc)
        return _error(
            item["_line"],
            f"строка {item['_line']}: сообщение не удалось обработать (внутренняя ошибка, подробности в журнале)",
            item.get("id"),
        )


# --- moderate -------------------------------------------------------------------------------------------


def as_stored(text: str) -> str:
    """The text as the product stores a received message's (`intake.pipeline`), which its analysis reads."""
    from otklik.intake.text import plain_text, vk_mentions

    return vk_mentions(plain_text(text))


def moderate_lines(lines: Iterable[Line]) -> Iterator[Item]:
    from .moderation import moderate_many

    def annotate(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        verdicts = moderate_many([as_stored(item["text"]) for item in items])
        return [{"id": item.get("id"), **v.as_dict()} for item, v in zip(items, verdicts, strict=True)]

    return _annotate(parse_lines(lines), annotate)


# --- classifier -----------------------------------------------------------------------------------------


def _label_value(item: dict[str, Any], field: str) -> str | None:
    value = item.get(field)
    if value is None or value == "" or isinstance(value, dict | list):
        return None
    return SURROGATE.sub("\ufffd", str(value))


def train_file(path: Path, label: str, out: Path, fine: str | None = None) -> Iterator[dict[str, Any]]:
    """Train a ``linear.LinearTextModel`` on FILE.jsonl; yields the bad lines' errors, then a summary.
    Raises ValueError (in Russian) when no model can be trained, OSError when the model cannot be written."""
    from . import linear

    texts: list[str] = []
    labels: list[str] = []
    fine_labels: list[str] = []
    with path.open("rb") as fh:
        for item in parse_lines(fh, fields=("text",)):
            if isinstance(item, _Flush):
                continue
            if "error" in item:
                yield item
                continue
            value = _label_value(item, label)
            if value is None:
                yield _error(item["_line"], f"строка {item['_line']}: нет метки «{label}»", item.get("id"))
                continue
            fine_value = _label_value(item, fine) if fine else None
            if fine and fine_value is None:
                yield _error(item["_line"], f"строка {item['_line']}: нет метки «{fine}»", item.get("id"))
                continue
            texts.append(item["text"])
            labels.append(value)
            fine_labels.append(str(fine_value))
    try:
        model = linear.train(
            texts,
            labels,
            version=f"classifier-{label}-{len(texts)}",
            settings=linear.CLASSIFIER,
            fine_labels=fine_labels if fine else None,
        )
    except ValueError as exc:
        if "empty vocabulary" in str(exc):  # scikit-learn's vectorizer: no word in any text
            raise ValueError("в текстах нет ни одного слова, по которому можно обучить модель") from exc
        raise
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


def load_model(model_dir: Path) -> Any:
    """The model saved by ``train_file``; ValueError (in Russian) if the directory holds none or a damaged
    one."""
    import zipfile

    from .linear import LinearTextModel

    if not (model_dir / "weights.npz").is_file() or not (model_dir / "model.json.gz").is_file():
        raise ValueError(f"в каталоге {model_dir} нет модели (сначала otklik classifier train)")
    try:
        return LinearTextModel.load(model_dir)
    except (OSError, EOFError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        log.error("cannot load the classifier from %s: %r", model_dir, exc)
        raise ValueError(
            f"модель в каталоге {model_dir} повреждена или сохранена другой версией программы; "
            "обучите её заново (otklik classifier train)"
        ) from exc


def predict_lines(model_dir: Path, lines: Iterable[Line], k: int = 3, model: Any = None) -> Iterator[Item]:
    model = model if model is not None else load_model(model_dir)

    def annotate(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for item, proba in zip(items, model.predict_proba([item["text"] for item in items]), strict=True):
            order = proba.argsort()[::-1][:k]
            top = [[model.classes[i], round(float(proba[i]), 4)] for i in order]
            out.append({"id": item.get("id"), "label": top[0][0], "confidence": top[0][1], "top": top})
        return out

    return _annotate(parse_lines(lines), annotate)


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
        self.repeats = RepeatIndex(same_place=True)
        self.versions = {"moderation": moderation_version(), "topics": self.topics.version}
        self._municipalities: dict[str, Any] | None = None

    def _source_municipality(self, name: Any) -> Any:
        from django.db import DatabaseError

        from otklik.org.models import Municipality

        if not isinstance(name, str) or not name.strip():
            return None
        if self._municipalities is None:
            try:
                self._municipalities = {
                    m.name.lower(): m for m in Municipality.objects.filter(is_active=True)
                }
            except DatabaseError:
                self._municipalities = {}
        exact = self._municipalities.get(name.strip().lower())
        if exact is not None:
            return exact
        # the everyday name («Тосненский район», «в Тосненском районе»), as the text is read (the gazetteer, the
        # shipped one before the directory is loaded): one municipal formation named, or none
        from .place import find_places

        named = {
            (m.entry.municipality_id, m.entry.municipality)
            for m in find_places(name)
            if m.entry.kind == "municipality"
        }
        if len(named) != 1:
            return None
        ((pk, title),) = named
        by_id = {m.pk: m for m in self._municipalities.values()}
        return by_id.get(pk) or SimpleNamespace(pk=pk, name=title)

    def analyze_batch(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from .importance import assess
        from .moderation import moderate_many
        from .place import extract_place
        from .routing import topics_to_route
        from .topics import guesses_from_proba

        texts = [as_stored(item["text"]) for item in items]
        verdicts = moderate_many(texts)
        proba = self.topics.predict_proba(texts)
        out = []
        for item, text, verdict, row in zip(items, texts, verdicts, proba, strict=True):
            source = self._source_municipality(item.get("municipality"))
            if source is None and str(item.get("municipality") or "").strip():
                # the field is said, not dropped: it would silently leave the message without its place
                shown = str(item["municipality"]).strip()[:100]
                out.append(
                    _error(
                        item["_line"],
                        f"строка {item['_line']}: поле «municipality»: «{shown}» — не муниципальное образование "
                        "Ленинградской области из справочника (например, «Тосненский муниципальный район»)",
                        item.get("id"),
                    )
                )
                continue
            place = extract_place(text, source)
            guesses = guesses_from_proba(self.topics, row)
            bodies = self.router.route(
                topics_to_route([(g.topic, g.probability) for g in guesses]), place.municipality_id
            )
            metrics = item.get("metrics") if isinstance(item.get("metrics"), dict) else None
            importance = assess(text, metrics, governor=bool(item.get("governor")))
            out.append(
                {
                    "id": item.get("id"),
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
                    "repeats": [],
                    "versions": self.versions,
                }
            )
        # The repeat index changes only once every other part has succeeded, so a batch retried item by
        # item (see _annotate) does not find its own messages as repeats.
        for item, text, result in zip(items, texts, out, strict=True):
            if "error" in result:  # refused (its municipality): not analysed, so no one's repeat either
                continue
            author = str(item.get("author") or "")
            ident = item.get("id")
            key = (
                ident
                if isinstance(ident, str | int) and not isinstance(ident, bool)
                else f"line-{item['_line']}"
            )
            result["repeats"] = [
                {"id": r.message_id, "similarity": r.similarity, "same_author": r.same_author}
                for r in self.repeats.query(text, author)
            ]
            self.repeats.add(key, text, author)
        return out


def analyze_lines(lines: Iterable[Line], analyzer: Analyzer | None = None) -> Iterator[Item]:
    analyzer = analyzer or Analyzer()
    return _annotate(parse_lines(lines, check=_analyze_field_error), analyzer.analyze_batch)
