"""What the checker reports: errors refuse a document, warnings are shown with it."""

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    level: Level
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level.value}: {self.where}: {self.message}"


def errors(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.level is Level.ERROR]
