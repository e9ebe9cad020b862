"""`otklik check-answer`: the answer checker's stable command line (issue 7).

    otklik check-answer --network vk [--author-name "Анна"] [--repeat] < answer.txt
        → {"score": int, "findings": [{"code", "start", "end", "text", "message", "suggestion"}]}
    otklik check-answer --jsonl < answers.jsonl
        one JSON object per input line {"id", "text", "network"?, "author_name"?, "repeat"?}
        → one result per line with "id" added; a bad line gives {"id": …, "line": N, "error": "…"} and the
        command goes on. Blank lines are skipped. ``network`` defaults to --network.

Offsets are in characters (Unicode code points) of the text as read; exit status 0 unless the arguments are
wrong (then 2, with the reason on stderr in Russian).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

from .checker import check_answer


def result_json(
    text: str, network: str, author_name: str | None, repeat: bool, **extra: Any
) -> dict[str, Any]:
    result = check_answer(text, network=network, author_name=author_name, repeat=repeat)
    return {**extra, **result.as_dict()}


def check_one(text: str, network: str, author_name: str | None, repeat: bool) -> dict[str, Any]:
    return result_json(text, network, author_name, repeat)


def check_lines(lines: Iterable[str | bytes], default_network: str) -> Iterator[dict[str, Any]]:
    """One result per non-blank line; a line given as bytes that is not UTF-8 is an error line, never a text
    silently altered by replacement characters."""
    for n, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield {"id": None, "line": n, "error": f"строка {n}: {not_utf8(exc)}"}
                continue
        line = raw.strip().lstrip("\ufeff")
        if not line:
            continue
        yield _check_line(n, line, default_network)


def not_utf8(exc: UnicodeDecodeError) -> str:
    return (
        f"не в кодировке UTF-8 (байт 0x{exc.object[exc.start]:02x} в позиции {exc.start}); "
        "сохраните файл в UTF-8"
    )


# A lone UTF-16 surrogate (``"\\ud83d"``: an emoji cut in half) is valid as a JSON escape, but UTF-8 cannot
# encode it, so the result line could not be written.
_SURROGATE = re.compile("[\ud800-\udfff]")


class _NotJson(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _NotJson(f"{name} не допускается в JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotJson(f"число {text} вне допустимого диапазона")
    return value


def _check_line(n: int, line: str, default_network: str) -> dict[str, Any]:
    try:
        # Strict JSON: NaN, Infinity or 1e400 as the id could not be written back as JSON.
        item = json.loads(line, parse_float=_finite, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        return {"id": None, "line": n, "error": f"строка {n}: это не JSON ({exc.msg}, позиция {exc.pos})"}
    except _NotJson as exc:
        return {"id": None, "line": n, "error": f"строка {n}: это не JSON ({exc})"}
    except ValueError:  # an integer of thousands of digits
        return {"id": None, "line": n, "error": f"строка {n}: это не JSON (слишком длинное число)"}
    except RecursionError:
        return {"id": None, "line": n, "error": f"строка {n}: это не JSON (слишком глубокая вложенность)"}
    if not isinstance(item, dict):
        return {"id": None, "line": n, "error": f"строка {n}: ожидается объект JSON {{…}}"}
    ident = item.get("id")
    text = item.get("text")
    if _SURROGATE.search(json.dumps(ident, ensure_ascii=False)):
        return {
            "id": None,
            "line": n,
            "error": f"строка {n}: в поле «id» недопустимый символ (половина эмодзи)",
        }
    if not isinstance(text, str):
        return {"id": ident, "line": n, "error": f"строка {n}: нет поля «text» со строкой текста ответа"}
    text = _SURROGATE.sub("\ufffd", text)  # one code point for one: the offsets stay right
    network = item.get("network") or default_network
    author = item.get("author_name")
    repeat = item.get("repeat", False)
    if not isinstance(network, str):
        return {"id": ident, "line": n, "error": f"строка {n}: поле «network» должно быть строкой"}
    if author is not None and not isinstance(author, str):
        return {"id": ident, "line": n, "error": f"строка {n}: поле «author_name» должно быть строкой"}
    if not isinstance(repeat, bool):
        return {"id": ident, "line": n, "error": f"строка {n}: поле «repeat» должно быть true или false"}
    network = _SURROGATE.sub("\ufffd", network)
    author = _SURROGATE.sub("\ufffd", author) if author else author
    try:
        return result_json(text, network, author or None, repeat, id=ident)
    except ValueError as exc:
        return {"id": ident, "line": n, "error": f"строка {n}: {exc}"}
