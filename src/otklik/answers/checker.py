"""The answer checker (R-9, R-11, R-8.10): findings with spans, explanations and suggestions, and a score.

    check_answer(text, network="vk", author_name=None, repeat=False, to_author=True) -> CheckResult

The draft editor calls it as the executor types (through ``answers:check``), the case workflow stores the
score with each submitted draft, and ``otklik check-answer`` gives the same result as JSON. It never blocks:
findings are advice for the executor and figures for the quality report (R-13).
"""

from __future__ import annotations

from .findings import CODES, MESSAGES, CheckResult, Finding
from .formats import network_format
from .rules import (
    Context,
    bureaucratese,
    format_,
    impolite,
    missing_measures,
    no_greeting,
    no_name,
    no_substance,
    offtopic_question,
    profanity,
    redirection,
    template,
    too_long,
)
from .scoring import WEIGHTS, score
from .text import parse

__all__ = ["CODES", "MESSAGES", "WEIGHTS", "CheckResult", "Finding", "check_answer"]


def check_answer(
    text: str,
    network: str = "vk",
    author_name: str | None = None,
    repeat: bool = False,
    to_author: bool = True,
) -> CheckResult:
    """Check one answer draft. ``network`` is vk, ok, telegram, youtube (or another intake network: plain
    text); an unknown network raises ``ValueError`` with a Russian message. ``repeat`` marks the answer to a
    repeated message, which must say what was done (R-8.10). ``to_author=False``: a text the author never reads as
    it is — a body's information for a common answer that another executor or the curator composes (R-8.9) — so it
    needs no greeting and no name (R-11 is about the published answer); everything else is checked alike."""
    fmt = network_format(network)
    ctx = Context(parse(text), fmt, (author_name or "").strip() or None, repeat)

    templates, t_spans = template(ctx)
    bureau = [f for f in bureaucratese(ctx) if not any(s <= f.start and f.end <= e for s, e in t_spans)]
    redirections = redirection(ctx)
    # Officialese still names actions («работы по уборке произведены»); templates and redirections do not.
    ctx.empty_spans = [(f.start, f.end) for f in (*templates, *redirections)]

    findings: list[Finding] = [
        *(no_greeting(ctx) if to_author else ()),
        *(no_name(ctx) if to_author else ()),
        *impolite(ctx),
        *bureau,
        *templates,
        *redirections,
        *offtopic_question(ctx),
        *no_substance(ctx),
        *missing_measures(ctx),
        *too_long(ctx),
        *format_(ctx),
        *profanity(ctx),
    ]
    findings = _dedupe(findings)
    findings.sort(key=lambda f: (f.start, f.end, CODES.index(f.code)))
    return CheckResult(score=score(findings), findings=findings)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for f in findings:
        key = (f.code, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
