"""Problems and refusals shared by the agreement loader, the row reader and the checker.

Every refusal carries *all* its problems, not the first one: a union officer fixing an agreement or
a firm fixing a wage sheet should see everything wrong in one pass.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in an agreement, a minimum-wage table or a wage row.

    ``path`` addresses the place: a JSON-pointer-like path into a data file (``/terms/1/…``), or
    ``row 12 / base_wage`` for a wage row, in which case ``row`` and ``field`` are set too.
    """

    path: str
    message: str
    code: str
    severity: str = ERROR
    row: int | None = None
    field: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }
        if self.row is not None:
            data["row"] = self.row
        if self.field is not None:
            data["field"] = self.field
        return data


class _ProblemsError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{problem.path}: {problem.message}" for problem in problems))
        self.problems = problems


class AgreementInvalidError(_ProblemsError):
    """An agreement (or the statutory table it relies on) cannot be used; ``problems`` says why."""


class MinimumWageTableInvalidError(_ProblemsError):
    """A statutory minimum-wage table cannot be used; ``problems`` says why."""


class RowsRejectedError(_ProblemsError):
    """A wage file was refused as a whole; every bad row and field is in ``problems``."""


class NormUnavailableError(_ProblemsError):
    """No norm can be given for the post, level, region and month asked for."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole file's rows and results are built.

    Tens of thousands of long-lived row and result objects make the collector rescan them again
    and again; pausing it cut the check of 63,000 rows to a third. Nothing built here forms
    reference cycles, so nothing is left for the collector to find afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
