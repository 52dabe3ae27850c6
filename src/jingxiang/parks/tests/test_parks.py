"""Parks: leases never overlap, occupancy adds up, incubation stages, tenant requests, reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jingxiang.core.models import Notification
from jingxiang.parks import selectors, services
from jingxiang.parks.models import Lease, RequestStatus, Stage

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def test_overlapping_leases_for_one_unit_are_refused_and_nothing_saved(cast, park):
    first = services.lease_sign(
        actor=park.manager, unit=park.a101, tenant=cast.firm, starts_on=days(-30), ends_on=days(335)
    )
    assert first.monthly_rent == Decimal("3600.00") and first.number.startswith("ZY")
    with pytest.raises(ValidationError, match="租期不能重叠") as error:
        services.lease_sign(
            actor=park.manager, unit=park.a101, tenant=cast.other_firm, starts_on=days(300), ends_on=days(700)
        )
    assert error.value.code == "lease_overlap"
    assert Lease.objects.count() == 1
    # Back to back is fine.
    services.lease_sign(
        actor=park.manager, unit=park.a101, tenant=cast.other_firm, starts_on=days(336), ends_on=days(700)
    )
    with pytest.raises(ValidationError):
        services.lease_sign(
            actor=park.manager, unit=park.a102, tenant=cast.firm, starts_on=days(10), ends_on=days(5)
        )


def test_only_the_sites_managers_and_operators_sign(cast, park):
    for actor in (cast.firm_admin, cast.lab_staff, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.lease_sign(
                actor=actor, unit=park.a101, tenant=cast.firm, starts_on=days(0), ends_on=days(30)
            )
    services.lease_sign(
        actor=cast.operator, unit=park.a101, tenant=cast.firm, starts_on=days(0), ends_on=days(30)
    )


def test_occupancy_figures_add_up_to_the_units_listed(cast, park):
    services.lease_sign(
        actor=park.manager, unit=park.a101, tenant=cast.firm, starts_on=days(-1), ends_on=days(100)
    )
    services.lease_sign(
        actor=park.manager, unit=park.a102, tenant=cast.firm, starts_on=days(10), ends_on=days(100)
    )
    figures = selectors.occupancy(park.site)
    rows = selectors.site_units(park.site)
    assert figures["units"] == len(rows) == 2
    assert figures["leased"] == sum(1 for _unit, lease in rows if lease) == 1
    assert figures["rate"] == Decimal("60.0") and figures["tenants"] == 1


def test_incubation_entry_yearly_and_graduation_with_reasons(cast, park):
    with pytest.raises(ValidationError):
        services.incubation_review(
            actor=park.manager, site=park.site, tenant=cast.firm, kind="entry", passed=True, reason=" "
        )
    inc = services.incubation_review(
        actor=park.manager, site=park.site, tenant=cast.firm, kind="entry", passed=True, reason="团队完整"
    )
    assert inc.stage == Stage.INCUBATING and inc.entered_on == timezone.localdate()
    with pytest.raises(ValidationError, match="不能进行"):
        services.incubation_review(
            actor=park.manager, site=park.site, tenant=cast.firm, kind="entry", passed=True, reason="x"
        )
    services.incubation_review(
        actor=park.manager, site=park.site, tenant=cast.firm, kind="yearly", passed=True, reason="营收增长"
    )
    inc = services.incubation_review(
        actor=park.manager,
        site=park.site,
        tenant=cast.firm,
        kind="graduation",
        passed=True,
        reason="迁入标准厂房",
    )
    assert inc.stage == Stage.GRADUATED and inc.reviews.count() == 3
    with pytest.raises(PermissionDenied):
        services.incubation_review(
            actor=cast.firm_admin, site=park.site, tenant=cast.firm, kind="exit", passed=True, reason="x"
        )


def test_tenants_file_requests_managers_resolve(cast, park):
    with pytest.raises(ValidationError, match="没有有效租约"):
        services.request_file(
            actor=cast.member, site=park.site, tenant=cast.firm, kind="repair", description="空调漏水"
        )
    services.lease_sign(
        actor=park.manager, unit=park.a101, tenant=cast.firm, starts_on=days(-1), ends_on=days(100)
    )
    req = services.request_file(
        actor=cast.member, site=park.site, tenant=cast.firm, kind="repair", description="空调漏水"
    )
    with pytest.raises(PermissionDenied):
        services.request_file(
            actor=cast.other_firm_admin, site=park.site, tenant=cast.firm, kind="repair", description="x"
        )
    with pytest.raises(PermissionDenied):
        services.request_resolve(actor=cast.firm_admin, request=req, resolution="x")
    req = services.request_resolve(actor=park.manager, request=req, resolution="已更换排水管")
    assert req.status == RequestStatus.DONE
    assert Notification.objects.filter(recipient=cast.member).exists()


def test_lease_expiry_reminders_once_per_lease(cast, park):
    soon = services.lease_sign(
        actor=park.manager, unit=park.a101, tenant=cast.firm, starts_on=days(-300), ends_on=days(20)
    )
    services.lease_sign(
        actor=park.manager, unit=park.a102, tenant=cast.firm, starts_on=days(-300), ends_on=days(200)
    )
    assert services.lease_reminders_send() == 1
    assert services.lease_reminders_send() == 0
    soon.refresh_from_db()
    assert soon.reminded_at is not None
    recipients = set(
        Notification.objects.filter(kind="parks_lease").values_list("recipient__username", flat=True)
    )
    assert recipients == {"park_manager", "firm_admin", "talent_officer"}


def test_lease_reminder_job_runs(cast, park, django_capture_on_commit_callbacks):
    from jingxiang.jobs.models import Job
    from jingxiang.jobs.services import job_enqueue
    from jingxiang.parks import texts

    services.lease_sign(
        actor=park.manager, unit=park.a101, tenant=cast.firm, starts_on=days(-300), ends_on=days(5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(
            kind="parks_lease_reminders", title=texts.REMINDERS_TITLE(), created_by=park.manager
        )
    job = Job.objects.get(pk=job.pk)
    assert job.status == "succeeded", job.result
    assert job.result["sent"] == 1


def test_reminders_are_a_daily_calendar_duty(cast, park, django_capture_on_commit_callbacks):
    from jingxiang.jobs.periodic import run_due_periodic

    services.lease_sign(
        actor=park.manager, unit=park.a101, tenant=cast.firm, starts_on=days(-300), ends_on=days(3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        ran = run_due_periodic(keys=["parks.lease_reminders"])
    assert [key for key, _day in ran] == ["parks.lease_reminders"]
    assert Lease.objects.get().reminded_at is not None
