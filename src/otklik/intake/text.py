"""Untrusted message text: HTML to plain text, broken encodings, oversize input (R-4 reliability).

The plain text is what the UI shows (and Django escapes it once more on output); the text as received is
kept in ``Message.text_raw`` for the record.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser
from typing import Any

MAX_TEXT_CHARS = 20_000  # the longest plain text we keep for display and analysis
MAX_RAW_CHARS = 1_000_000  # the longest text as received that we keep verbatim

_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr"}
_DROP = {"script", "style", "template", "noscript", "iframe", "object", "svg", "head"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Plain text (a network's own text field) is parsed as HTML only when it holds a real HTML tag or a comment: people
# write «<Start>» or «<<Ленинградская правда>>» in plain text, and those words must stay.
_HTML_TAGS = _BLOCK | _DROP | {
    "a", "b", "i", "u", "s", "em", "strong", "span", "img", "ul", "ol", "table", "td", "th", "tbody", "thead",
    "font", "small", "sup", "sub", "html", "body", "meta", "link", "input", "form", "button", "video", "audio",
    "source", "embed", "object", "code", "mark", "del", "ins", "abbr", "cite", "q", "picture", "figure",
}  # fmt: skip
_TAGLIKE = re.compile(
    r"<(?:!--|!doctype|/?(?:" + "|".join(sorted(_HTML_TAGS)) + r")(?=[\s/>]))", re.IGNORECASE
)
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")
# Characters plain_text would change; most messages have none of them and are returned as they are.
_SPECIAL = re.compile(r"[<&\r\t\u00a0\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _is_tidy(text: str) -> bool:
    return (
        not _SPECIAL.search(text)
        and "  " not in text
        and " \n" not in text
        and "\n " not in text
        and "\n\n\n" not in text
        and text == text.strip()
    )


def to_str(value: Any) -> str:
    """Text from bytes or str: invalid UTF-8 and lone surrogates become U+FFFD, NUL and controls go."""
    if value is None:
        return ""
    if type(value) is str and value.isprintable():
        return value  # no controls, no lone surrogates (category Cs is not printable): nothing to clean
    if isinstance(value, bytes | bytearray):
        text = bytes(value).decode("utf-8", errors="replace")
    else:
        text = str(value)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-8", errors="surrogatepass").decode("utf-8", errors="replace")
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def link_text(value: Any) -> str:
    """A link as people copy it, less the invisible characters a copy can carry: controls (`to_str`) and Unicode's
    «format» characters — zero-width spaces and joiners, direction marks, the BOM, soft hyphens — which are never
    part of an address (written in one they are percent-encoded) but would change the message it names (a VK
    comment's «?reply=3\u200b» read as its post)."""
    text = to_str(value)
    if not text.isascii():
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return text.strip()


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self._dropping += 1
        elif tag in _BLOCK and not self._dropping:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self._dropping = max(0, self._dropping - 1)
        elif tag in _BLOCK and not self._dropping:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._dropping:
            self.parts.append(data)


def html_to_text(value: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(value)
    extractor.close()
    return "".join(extractor.parts)


def plain_text(value: Any, *, is_html: bool = False, clean: bool = False) -> str:
    """Display text: markup removed (always, when it looks like markup), whitespace tidied, length capped.
    ``clean=True`` says ``value`` already came out of :func:`to_str` (and was capped)."""
    text = value if clean else to_str(value)[:MAX_RAW_CHARS]
    if not is_html and _is_tidy(text):
        return _capped(text)
    if is_html or _TAGLIKE.search(text):
        text = html_to_text(text)
    elif "&" in text:
        text = html.unescape(text)
        if _is_tidy(text):  # entities were all there was to it (VK escapes quotes and brackets)
            return _capped(text)
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _capped(_BLANKS.sub("\n\n", "\n".join(lines)).strip())


# VK writes a mention as «[id123|Павел]» (a person) or «[club45|Совет дома]» / «[public45|…]» (a community):
# what people see in VK is the name alone
_VK_MENTION = re.compile(r"\[(?:id|club|public|event)\d+\|([^\[\]|]{1,200})\]")


def vk_mentions(text: str) -> str:
    """The text as VK shows it: a mention's markup replaced by its name (the raw text keeps the markup)."""
    return _VK_MENTION.sub(r"\1", text) if "[" in text else text


def _capped(text: str) -> str:
    """At most MAX_TEXT_CHARS characters, the last one "…" when cut."""
    return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 1] + "…"


def clean_json(value: Any, *, depth: int = 0) -> Any:
    """A JSON value safe for every database: strings valid UTF-8 without NUL (PostgreSQL refuses both)."""
    if depth > 50:
        return None
    if isinstance(value, str):
        return to_str(value)[:MAX_RAW_CHARS]
    if isinstance(value, dict):
        return {to_str(k): clean_json(v, depth=depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v, depth=depth + 1) for v in value]
    if isinstance(value, bytes | bytearray):
        return to_str(value)[:MAX_RAW_CHARS]
    if value is None or isinstance(value, bool | int | float):
        return value
    return to_str(value)


def web_link(value: Any) -> str:
    """A link that came with a message (its own, its author's), kept only when it is an http(s) address: a
    ``javascript:`` or ``data:`` link from a feed or an imported file must never reach a page's ``href``."""
    text = to_str(value).strip()
    return text if text.lower().startswith(("http://", "https://")) else ""
