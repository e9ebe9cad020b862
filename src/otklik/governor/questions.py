"""The question detector for comments under the Governor's posts (R-7.2: the bodies answer questions).

Deliberately simple and explainable, so that a body sees why a comment reached its queue. A comment is a
question when any of these holds:

1. it contains «?»;
2. it contains an interrogative word as a whole word (когда, почему, зачем, где, куда, откуда, кто, сколько,
   какой/какая/какое/какие/каких/каким, чей/чья, доколе, как) or the particle «ли» after a word («будет ли», «можно ли»);
3. it contains a request or an appeal (прошу, просим, просьба, помогите, подскажите, скажите, объясните,
   разберитесь, примите меры, обратите внимание, сообщите, ответьте, проверьте, уточните, требуем/требую,
   хочу/хотим/хотелось бы узнать, обращаюсь).

An indefinite pronoun (когда-нибудь, где-то, кто-либо, кое-как) is not an interrogative word, and «как» in
praise or a comparison («Как хорошо!», «как всегда») is not a question: a thank-you must not become a
body's work with a deadline.

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
    "просьба",
    "просьбой",
    "проверьте",
    "уточните",
    "обращаюсь",
    "хочу узнать",
    "хотим узнать",
    "хотелось бы узнать",
)
# «как» that asks nothing: praise («Как хорошо!») or a comparison («как всегда», «как и обещали»).
_NOT_ASKING_KAK = re.compile(
    r"как\s+(?:всегда|обычно|и|раз|будто|бы|только|хорошо|здорово|приятно|красиво|замечательно|прекрасно"
    r"|отлично|радостно)(?![а-яё\w])",
    re.IGNORECASE,
)

_WORD = r"(?<![а-яё\w]){}(?![а-яё\w])"
# An indefinite pronoun (где-то, когда-нибудь, кто-либо, кое-как) asks nothing.
_INTERROGATIVE_RE = re.compile(
    "|".join(
        r"(?<![а-яё\w-])" + w + r"(?![а-яё\w])" + r"(?!-(?:то|нибудь|либо)(?![а-яё\w]))"
        for w in INTERROGATIVES
    ),
    re.IGNORECASE,
)
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
    for match in _INTERROGATIVE_RE.finditer(text):
        if match.group(0).lower() == "как" and _NOT_ASKING_KAK.match(text, match.start()):
            continue
        return Verdict(True, f"вопросительное слово: «{match.group(0).lower()}»")
    match = _LI_RE.search(text)
    if match:
        return Verdict(True, f"вопрос с частицей «ли»: «{match.group(0).lower()}»")
    return Verdict(False, "нет вопроса или просьбы")
