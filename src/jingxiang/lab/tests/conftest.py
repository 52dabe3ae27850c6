"""Lab fixtures on top of the project personas (`cast`): a second technician, instruments, helpers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from jingxiang.lab import services
from jingxiang.lab.models import CustodyEvent, CustodyKind, Instrument, LabProfile
from jingxiang.organisations.models import Role
from jingxiang.testing.factories import MembershipFactory, UserFactory

GOOD_GOGGLES = {
    "nominal": {"declared_category": 4},
    "measured": {
        "luminous_transmittance": "5.2",
        "uvb_transmittance": "0.4",
        "uva_transmittance": "1.5",
        "marked_not_for_driving": True,
    },
}
BAD_GOGGLES = {
    "nominal": {"declared_category": 4},
    "measured": {**GOOD_GOGGLES["measured"], "marked_not_for_driving": False},
}


@dataclass
class LabSetup:
    cast: Any
    reviewer: Any
    instrument: Instrument
    expired: Instrument

    def submit(
        self,
        *,
        line: str = "雪域 GX 高原护目镜",
        product_type: str = "high_altitude_goggles",
        standard: str = "JX-HA-2026",
        quantity: int = 1,
        items: list[str] | None = None,
        by: Any = None,
        **extra: Any,
    ) -> Any:
        return services.request_submit(
            actor=by or self.cast.firm_admin,
            firm=self.cast.firm,
            lab=self.cast.lab,
            product_type=product_type,
            product_line_name=line,
            product_name="GX-7",
            standard=standard,
            items=items or [],
            quantity=quantity,
            **extra,
        )

    def register(self, request: Any, **extra: Any) -> Any:
        return services.sample_register(actor=self.cast.lab_staff, request=request, **extra)

    def enter(
        self, sample: Any, values: dict[str, Any], *, submit: bool = True, by: Any = None, **extra: Any
    ) -> Any:
        day = extra.get("test_date")
        if day is not None and day < services.sample_received_on(sample):
            # A test dated in the past needs a sample that had arrived by then: record that receipt
            # (the time rule itself is tested on its own in test_services).
            CustodyEvent.objects.filter(sample=sample, kind=CustodyKind.RECEIVED).update(
                at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0)))
            )
        return services.results_enter(
            actor=by or self.cast.lab_staff,
            sample=sample,
            test_date=extra.pop("test_date", timezone.localdate()),
            instrument=extra.pop("instrument", self.instrument),
            nominal=values["nominal"],
            measured=values["measured"],
            submit=submit,
            **extra,
        )

    def approve(self, sample: Any, **extra: Any) -> Any:
        return services.result_review(actor=self.reviewer, sample=sample, approve=True, **extra)

    def report(self, values: dict[str, Any] | None = None, **submit_kwargs: Any) -> Any:
        """A whole pass through the workflow: request → sample → results → approval."""
        sample = self.register(self.submit(**submit_kwargs))
        self.enter(sample, values or GOOD_GOGGLES)
        return self.approve(sample)


@pytest.fixture
def lab_setup(cast: Any) -> LabSetup:
    reviewer = UserFactory(username="lab_reviewer", display_name="沈若兰")
    MembershipFactory(user=reviewer, organisation=cast.lab, role=Role.LAB_STAFF)
    LabProfile.objects.create(lab=cast.lab, code_prefix="DHU", accreditation="CMA 123")
    today = timezone.localdate()
    instrument = Instrument.objects.create(
        lab=cast.lab,
        name="分光光度计",
        kind="spectrophotometer",
        serial="SP-1",
        calibration_due=today + datetime.timedelta(days=100),
    )
    expired = Instrument.objects.create(
        lab=cast.lab,
        name="分光光度计(旧)",
        kind="spectrophotometer",
        serial="LM-1",
        calibration_due=today - datetime.timedelta(days=1),
    )
    return LabSetup(cast=cast, reviewer=reviewer, instrument=instrument, expired=expired)
