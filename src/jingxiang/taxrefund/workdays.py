"""Working days for the instant-refund recovery deadline (three working days after the promised departure).

A working day is Monday to Friday, except the State Council's public holidays, plus the weekend
days it turns into working days (调休上班). The holiday data covers a stated range of dates;
outside it only weekends are non-working and the caller is told which dates fell outside, because
a deadline counted without holidays may come too early.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

SATURDAY = 5


@dataclass(frozen=True)
class Calendar:
    covers_from: datetime.date
    covers_until: datetime.date
    holidays: frozenset[datetime.date]
    working_weekend_days: frozenset[datetime.date]
    certainty: str
    source: str

    def covers(self, day: datetime.date) -> bool:
        return self.covers_from <= day <= self.covers_until

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.working_weekend_days:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < SATURDAY

    def add_working_days(self, start: datetime.date, count: int) -> tuple[datetime.date, list[datetime.date]]:
        """The ``count``-th working day after ``start`` (``start`` itself not counted), and the days outside the data."""
        day = start
        outside: list[datetime.date] = []
        remaining = count
        while remaining > 0:
            day += datetime.timedelta(days=1)
            if not self.covers(day):
                outside.append(day)
            if self.is_working_day(day):
                remaining -= 1
        return day, outside
