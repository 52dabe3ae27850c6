"""Problems (input the engine refuses to evaluate) and reasons (rules that refuse a refund).

The two are kept apart on purpose. A *problem* is bad input — a date that is not a date, a line
that names an unknown store — and stops the evaluation with every problem listed, because a
half-evaluated case would be a wrong answer. A *reason* is the outcome of a rule on good input:
the basket is below the threshold, the line is a service. A refused refund is a normal result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"
# At most this many problems are listed; a file with a million bad lines says how many more.
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a case or a rules file, addressed by a JSON-pointer path (``/purchases/0/date``)."""

    path: str
    message: str
    code: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "code": self.code, "severity": self.severity, "message": self.message}


class _ProblemsError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        listed = problems[:MAX_PROBLEMS]
        if len(problems) > MAX_PROBLEMS:
            listed.append(
                Problem("", f"{len(problems) - MAX_PROBLEMS} more problems not listed", "truncated")
            )
        super().__init__("; ".join(f"{problem.path or '/'}: {problem.message}" for problem in listed))
        self.problems = listed


class CaseRejectedError(_ProblemsError):
    """The case cannot be evaluated; ``problems`` lists every reason (up to ``MAX_PROBLEMS``)."""


class RulesInvalidError(_ProblemsError):
    """A rules file cannot be used; ``problems`` lists every reason."""


@dataclass(frozen=True)
class Reason:
    """The outcome of one rule: why a line, a form or an instant refund is refused, or a note.

    ``stage`` says when the rule bites: ``issue`` (the store may not issue the refund form),
    ``departure`` (the refund fails at departure), ``instant`` (no instant refund, the ordinary
    refund may remain), ``outcome`` (an instant refund's advance is recovered) or ``note``
    (information: transfer only, the latest departure date). ``figures`` are the numbers and dates
    the message was built from, as strings.
    """

    rule: str
    stage: str
    message_zh: str
    message_en: str
    basis: str
    certainty: str
    source: str
    figures: Mapping[str, str] = field(default_factory=dict)

    @property
    def refuses(self) -> bool:
        return self.stage != "note"

    def message(self, language: str) -> str:
        return self.message_en if language == "en" else self.message_zh

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "stage": self.stage,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "basis": self.basis,
            "certainty": self.certainty,
            "source": self.source,
            "figures": dict(self.figures),
        }
