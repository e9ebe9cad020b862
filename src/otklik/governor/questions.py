"""The question detector for comments under the Governor's posts (R-7.2: the bodies answer questions).

Deliberately simple and explainable, so that a body sees why a comment reached its queue. A comment is a
question when any of these holds:

1. it contains «?»;
2. it contains an interrogative word as a whole word (когда, почему, зачем, где, куда, откуда, кто, сколько,
   какой/какая/какое/какие/каких/каким, чей/чья, доколе, как) or the particle «ли» after a word («будет ли», «можно ли»);
3. it contains a request or an appeal (прошу, просим, помогите, подскажите, скажите, объясните, разберитесь,
   примите меры, обратите внимание, сообщите, ответьте, требуем/требую).

Everything else (thanks, opinions, emoji) is kept and shown on the post page; a body may still take any comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

INTERROGATIVES = (
    "когда",
    "почему",
    "зачем",
    "где",
    "куда",
    "откуда",
    "кто",
    "сколько",
    "какой",
    "какая",
    "какое",
    "какие",
    "каких",
    "каким",
    "чей",
    "чья",
    "доколе",
    "как",
)
REQUESTS = (
    "прошу",
    "просим",
    "помогите",
    "подскажите",
    "скажите",
    "объясните",
    "разберитесь",
    "примите меры",
    "обратите внимание",
    "сообщите",
    "ответьте",
    "требуем",
    "требую",
)

_WORD = r"(?<![а-яё\w]){}(?![а-яё\w])"
_INTERROGATIVE_RE = re.compile("|".join(_WORD.format(w) for w in INTERROGATIVES), re.IGNORECASE)
_REQUEST_RE = re.compile("|".join(_WORD.format(re.escape(w)) for w in REQUESTS), re.IGNORECASE)
_LI_RE = re.compile(r"[а-яё]+\s+ли(?![а-яё\w])", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    is_question: bool
    reason: str


def detect(text: str) -> Verdict:
    """R-7.2: is this comment a question a body must answer? Returns the verdict with the reason (Russian)."""
    text = (text or "").strip()
    if not text:
        return Verdict(False, "пустой комментарий")
    if "?" in text:
        return Verdict(True, "есть знак вопроса")
    match = _REQUEST_RE.search(text)
    if match:
        return Verdict(True, f"просьба: «{match.group(0).lower()}»")
    match = _INTERROGATIVE_RE.search(text)
    if match:
        return Verdict(True, f"вопросительное слово: «{match.group(0).lower()}»")
    match = _LI_RE.search(text)
    if match:
        return Verdict(True, f"вопрос с частицей «ли»: «{match.group(0).lower()}»")
    return Verdict(False, "нет вопроса или просьбы")
