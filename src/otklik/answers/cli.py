"""`otklik check-answer`: the answer checker's stable command line (issue 7).

    otklik check-answer --network vk [--author-name "Анна"] [--repeat] < answer.txt
        → {"score": int, "findings": [{"code", "start", "end", "text", "message", "suggestion"}]}
    otklik check-answer --jsonl < answers.jsonl
        one JSON object per input line {"id", "text", "network"?, "author_name"?, "repeat"?}
        → one result per line with "id" added; a bad line gives {"id": …, "line": N, "error": "…"} and the
        command goes on. Blank lines are skipped. ``network`` defaults to --network. Lines are read and written
        as by the analysis commands (`analysis.cli.parse_lines`, `_jsonl.write_jsonl`): strict JSON, a line that
        is not UTF-8 is an error line, an ``id`` is echoed exactly (half an emoji as its JSON escape).

Offsets are in characters (Unicode code points) of the text as read. Exit status 0; 2 when the arguments are
wrong or the text is not UTF-8; 1 when every line of --jsonl was bad or the reader went away (reasons on stderr,
in Russian).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from otklik.analysis.cli import SURROGATE, Item, Line, parse_lines

from .checker import check_answer


def result_json(
    text: str, network: str, author_name: str | None, repeat: bool, **extra: Any
) -> dict[str, Any]:
    result = check_answer(text, network=network, author_name=author_name, repeat=repeat)
    return {**extra, **result.as_dict()}


def check_one(text: str, network: str, author_name: str | None, repeat: bool) -> dict[str, Any]:
    return result_json(text, network, author_name, repeat)


def _answer_fields(item: dict[str, Any]) -> str | None:
    """What is wrong with the optional fields of one answer line (in Russian), or None."""
    network, author, repeat = item.get("network"), item.get("author_name"), item.get("repeat", False)
    if network is not None and not isinstance(network, str):
        return "поле «network» должно быть строкой"
    if author is not None and not isinstance(author, str):
        return "поле «author_name» должно быть строкой"
    if not isinstance(repeat, bool):
        return "поле «repeat» должно быть true или false"
    return None


def check_lines(lines: Iterable[Line], default_network: str) -> Iterator[Item]:
    """One result per non-blank line, read as the analysis commands read theirs (`analysis.cli.parse_lines`:
    strict JSON, a line that is not UTF-8 reported, half an emoji in a text made U+FFFD); a bad line is an error
    object and the run goes on."""
    for item in parse_lines(lines, check=_answer_fields):
        if not isinstance(item, dict) or "error" in item:
            yield item
            continue
        n = item["_line"]
        network = SURROGATE.sub("\ufffd", item.get("network") or default_network)
        author = item.get("author_name")
        author = SURROGATE.sub("\ufffd", author) if author else None
        try:
            yield result_json(item["text"], network, author, item.get("repeat", False), id=item.get("id"))
        except ValueError as exc:
            yield {"id": item.get("id"), "line": n, "error": f"строка {n}: {exc}"}
