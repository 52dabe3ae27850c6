"""A fair a week ahead with two firms and a job each, set up through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jingxiang.academy.tests.conftest import academy, rules  # noqa: F401  (order-class trainees)
from jingxiang.organisations.models import OrganisationKind
from jingxiang.recruitment import services
from jingxiang.recruitment.models import Degree, Fair, Job, Student
from jingxiang.testing.factories import OrganisationFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Setup:
    fair: Fair
    university: Any
    job: Job  # 康波: 验光, one place
    other_job: Job  # 远方: 质检, two places


def fair_data(university: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "title": "2026 眼镜专场校园招聘会",
        "university": university,
        "fair_date": timezone.localdate() + dt.timedelta(days=7),
        "venue": "天津职业大学 体育馆",
        "description": "",
        "booths": 4,
        "interviews_from": dt.time(9, 0),
        "interviews_until": dt.time(10, 0),
        "slot_minutes": 20,
        "region": "临海市",
    }
    data.update(extra)
    return data


def job_data(**extra: Any) -> dict[str, Any]:
    data = {
        "post": "验光",
        "skill_level": "intermediate",
        "degree": Degree.COLLEGE,
        "headcount": 1,
        "salary_min": Decimal("3600"),
        "salary_max": Decimal("4500"),
        "location": "临海市杜桥镇",
        "description": "",
    }
    data.update(extra)
    return data


@pytest.fixture
def setup(cast: Any) -> Setup:
    university = OrganisationFactory(name="天津职业大学", kind=OrganisationKind.UNIVERSITY, uscc=None)
    fair = services.fair_create(actor=cast.operator, data=fair_data(university))
    services.fair_open(actor=cast.operator, fair=fair)
    rows = services.firm_invite(actor=cast.operator, fair=fair, firms=[cast.firm, cast.other_firm])
    own = services.fair_join(actor=cast.firm_admin, fair_firm=rows[0])
    other = services.fair_join(actor=cast.other_firm_admin, fair_firm=rows[1])
    job = services.job_post(actor=cast.talent_officer, fair_firm=own, data=job_data())
    other_job = services.job_post(
        actor=cast.other_firm_admin, fair_firm=other, data=job_data(post="质检", headcount=2)
    )
    fair.refresh_from_db()
    return Setup(fair=fair, university=university, job=job, other_job=other_job)


def register(
    otp_outbox: Any, mobile: str, name: str = "李明", degree: str = Degree.COLLEGE, cv: bool = True
) -> Student:
    """A student registers with the code sent to their phone (read from the test outbox) and uploads a CV."""
    services.student_code_send(mobile=mobile)
    code = otp_outbox[-1].code
    student = services.student_register(
        mobile=mobile,
        code=code,
        data={
            "name": name,
            "school": "天津职业大学",
            "major": "眼视光技术",
            "degree": degree,
            "graduation_year": 2026,
        },
    )
    if cv:
        services.cv_upload(
            actor=student.user, cv=SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf")
        )
    return student


@pytest.fixture(autouse=True)
def _codes_without_waiting(settings: Any) -> None:
    """A student here registers and signs in within a second; the resend pause is tested by accounts."""
    settings.JINGXIANG_OTP_RESEND_SECONDS = 0
