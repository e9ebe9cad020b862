"""PLACEHOLDER until issue 7 lands: the interface the draft editor and review use.

check_answer(text, network="vk", author_name=None, repeat=False) -> CheckResult
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    code: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str = ""


@dataclass(frozen=True)
class CheckResult:
    score: int
    findings: list[Finding] = field(default_factory=list)


def check_answer(
    text: str, network: str = "vk", author_name: str | None = None, repeat: bool = False
) -> CheckResult:
    return CheckResult(score=100, findings=[])
