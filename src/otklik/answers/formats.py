"""Per-network format of an answer (R-9): length limits and what formatting a network shows literally.

Limits: Telegram 4096 characters is the Bot API's documented limit for ``sendMessage`` text. VK 16384 and
YouTube 10000 are the comment limits as given by secondary sources (unverified against primary documentation);
OK has no documented public comment method, so its limit is the most cautious of the others. ``readable`` is a
project policy, not a network fact: a longer answer is collapsed behind «Показать полностью» and mostly unread.

Formatting: the connectors publish plain text (VK ``wall.createComment``, Telegram ``sendMessage`` without
``parse_mode``, OK by hand, YouTube ``textOriginal``), so Markdown and HTML show up as symbols. VK renders its
own mentions ``[id1|Имя]``/``[club1|…]``; YouTube renders ``*bold*``, ``_italic_`` and ``-strike-`` itself.

Length is counted as the networks count it (`network_length`): in characters (code points; Telegram's limit
counts characters, not UTF-16 units, so an emoji is one), and a line break is one character also when the
browser's form sent it as CRLF, as every draft from the editor has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class NetworkFormat:
    code: str
    title: str
    max_chars: int
    readable: int
    vk_mentions: bool = False
    single_star_markup: bool = False  # *bold*, _italic_ shown as formatting (YouTube)


NETWORKS: dict[str, NetworkFormat] = {
    "vk": NetworkFormat("vk", "ВКонтакте", max_chars=16384, readable=1000, vk_mentions=True),
    "ok": NetworkFormat("ok", "Одноклассники", max_chars=4096, readable=1000),
    "telegram": NetworkFormat("telegram", "Telegram", max_chars=4096, readable=1000),
    "youtube": NetworkFormat("youtube", "YouTube", max_chars=10000, readable=1000, single_star_markup=True),
    # The other sources of intake.Network (blogs, forums, messengers, review sites): plain text, no known limit.
    "other": NetworkFormat("other", "другая площадка", max_chars=10000, readable=1500),
}
ALIASES = {
    "vk": "vk",
    "вк": "vk",
    "vkontakte": "vk",
    "ok": "ok",
    "ок": "ok",
    "odnoklassniki": "ok",
    "telegram": "telegram",
    "tg": "telegram",
    "youtube": "youtube",
    "yt": "youtube",
    "feed": "other",
    "forum": "other",
    "messenger": "other",
    "reviews": "other",
    "other": "other",
}


def network_length(text: str) -> int:
    """The length of ``text`` as a network counts it: a CRLF line break is one character."""
    return len(text) - text.count("\r\n")


def offset_after(text: str, n: int) -> int:
    """The offset into ``text`` just after its first ``n`` characters as a network counts them."""
    if "\r\n" not in text:
        return min(n, len(text))
    i = count = 0
    while i < len(text) and count < n:
        i += 2 if text.startswith("\r\n", i) else 1
        count += 1
    return i


def network_format(network: str) -> NetworkFormat:
    key = ALIASES.get((network or "").strip().lower())
    if key is None:
        raise ValueError(f"неизвестная сеть «{network}»: ожидается одна из vk, ok, telegram, youtube, other")
    return NETWORKS[key]


@dataclass(frozen=True)
class Markup:
    pattern: re.Pattern[str]
    what: str  # in the accusative: the finding reads «{сеть} покажет {what} как есть, символами»
    suggestion: str


_ALL_NETWORKS = [
    Markup(
        re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),
        "жирный шрифт Markdown",
        "Уберите звёздочки: выделите главное словами или отдельной строкой.",
    ),
    Markup(
        re.compile(r"\[[^\]\n]+\]\((?:https?://|www\.)[^)\s]+\)"),
        "ссылку Markdown",
        "Вставьте ссылку как есть: https://…",
    ),
    Markup(
        re.compile(r"(?m)^#{1,6}\s+\S"), "заголовок Markdown", "Уберите решётки; заголовок в ответе не нужен."
    ),
    Markup(
        re.compile(r"</?(?:b|i|u|s|a|p|br|strong|em|ul|ol|li|div|span|h[1-6])(?:\s[^<>]*)?/?>", re.I),
        "HTML-тег",
        "Уберите теги: сеть публикует простой текст.",
    ),
    Markup(
        re.compile(r"&(?:nbsp|quot|laquo|raquo|amp|lt|gt|mdash|ndash|#\d+);"),
        "HTML-сущность",
        "Замените на сам символ (пробел, кавычки, тире).",
    ),
    Markup(re.compile(r"`[^`\n]+`"), "код Markdown", "Уберите обратные кавычки."),
    Markup(re.compile(r"(?m)^\s*\|.*\|\s*$"), "таблицу Markdown", "Перепишите таблицу обычными фразами."),
]
_SINGLE_STAR = Markup(
    re.compile(r"(?<![\w*])\*[^*\s][^*\n]*?\*(?![\w*])|(?<![\w_])_[^_\s][^_\n]*?_(?![\w_])"),
    "выделение Markdown звёздочками",
    "Уберите звёздочки и подчёркивания.",
)
_VK_MENTION = Markup(
    re.compile(r"\[(?:id|club|public)\d+\|[^\]\n]+\]"),
    "упоминание в формате ВКонтакте",
    "Напишите имя обычным текстом.",
)


def markup_rules(fmt: NetworkFormat) -> list[Markup]:
    rules = list(_ALL_NETWORKS)
    if not fmt.single_star_markup:
        rules.append(_SINGLE_STAR)
    if not fmt.vk_mentions:
        rules.append(_VK_MENTION)
    return rules
