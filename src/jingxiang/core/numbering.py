"""One way to give records their human-readable numbers (agreements, reports, samples, certificates…).

Numbers come from per-scope, per-year sequences taken under a row lock in the caller's transaction, so
two concurrent registrations never share a number and a rolled-back one leaves no gap. The format is
the caller's (a lab writes ``L01-R2026-0001``, the academy ``JX-GJ-2026-000001``); the counting is here.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from jingxiang.core.models import NumberSequence


def next_number(scope: str, year: int) -> int:
    """Take the next value (1, 2, …) of ``scope`` in ``year``.

    Call it inside the transaction that saves the numbered record: the lock is then held until that
    record is committed, and a rollback returns the number (gap-free). Outside one it still never hands
    a number out twice.
    """
    with transaction.atomic():
        return _take(scope, year)


def _take(scope: str, year: int) -> int:
    locked = NumberSequence.objects.select_for_update(of=("self",))
    sequence = locked.filter(scope=scope, year=year).first()
    if sequence is None:
        try:
            with transaction.atomic():
                NumberSequence.objects.create(scope=scope, year=year, value=0)
        except IntegrityError:
            pass  # created concurrently; the locked read below queues us behind that transaction
        sequence = locked.get(scope=scope, year=year)
    sequence.value += 1
    sequence.save(update_fields=["value"])
    return sequence.value


def formatted_number(scope: str, year: int, template: str) -> str:
    """Take the next number and format it: ``template`` uses ``{year}`` and ``{n}`` (e.g. ``{n:04d}``)."""
    return template.format(year=year, n=next_number(scope, year))
