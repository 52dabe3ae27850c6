"""The demo loads through the services and leaves students at every step of the pipeline."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_fair_has_students_at_every_step():
    from jingxiang.core.demo import load_demo
    from jingxiang.recruitment.models import Application, ApplicationStatus, Fair, Job

    context = load_demo()
    fair = Fair.objects.get(title="2026 眼镜专场校园招聘会")
    assert fair.status == "open"
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {ApplicationStatus.HIRED, ApplicationStatus.OFFER, ApplicationStatus.INTERVIEW} <= statuses
    assert Job.objects.filter(below_norm=True).exists()
    assert any("/recruitment/f/" in note for note in context.notes)
