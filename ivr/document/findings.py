"""What the checker reports: errors refuse a document, warnings are shown with it.

A finding is a problem (ivr.errors.Problem: a code, where, the values, the English sentence) with its level.
"""

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ivr.errors import Problem


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, kw_only=True)
class Finding(Problem):
    level: Level

    def __str__(self) -> str:
        return f"{self.level.value}: {self.where}: {self.message}"

    @classmethod
    def of(cls, problem: Problem, level: Level = Level.ERROR) -> "Finding":
        return cls(problem.code, problem.where, problem.message, problem.values, level=level)


def errors(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.level is Level.ERROR]


def as_json(findings: list[Finding]) -> str:
    """The findings as `greetline lint --json` prints them: code, severity, where, message (English), values."""
    found: list[dict[str, Any]] = [
        {
            "code": str(finding.code),
            "severity": finding.level.value,
            "where": finding.where,
            "message": finding.message,
            "values": dict(finding.values),
        }
        for finding in findings
    ]
    return json.dumps(found, ensure_ascii=False, indent=2)
