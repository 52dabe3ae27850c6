"""Demo content for 互聘共享, built through the services so that every record obeys the rules.

康波 (firm_admin, talent_officer) shares the independent coating expert 周敏华 (expert) under a signed
two-party agreement: bookings, approved hours, last month's issued statement with subsidy, and an
outcome with a patent. A second request waits for the station (operator) to invite talents.

The engagement began last month, before the demo exists: the station enters its agreement and its past
bookings with a back-dating reason (audited as core.TimeRuleOverride), as it does for work arranged on
paper; the booking still to come is made by the host.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from jingxiang.sharing import services
from jingxiang.sharing.models import AvailabilityWindow, SharingProfile, SubsidyPolicy

BACKDATE = "演示数据:补录线下已开始的共享服务"


def _slot(day: dt.date, start: int, end: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time(start), tzinfo=tz), dt.datetime.combine(
        day, dt.time(end), tzinfo=tz
    )


def _weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _profiles(context: Any) -> None:
    """Every sharing talent gets a pool profile: office hours on weekdays, modes from their profile."""
    talents = [t for t in context.talents.values() if t.shares_talent]
    profiles = SharingProfile.objects.bulk_create(
        SharingProfile(
            talent=t,
            offers_onsite=True,
            offers_remote=t.kind != "craftsman",
            offers_consultation=t.think_tank,
            labour_contract_end=(
                dt.date(timezone.localdate().year + 2, 12, 31) if t.home_organisation_id else None
            ),
        )
        for t in talents
    )
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(profile=p, weekday=w, start_time=dt.time(8, 30), end_time=dt.time(17, 30))
        for p in profiles
        for w in range(6 if p.talent.think_tank else 5)
    )


def load(context: Any) -> None:
    users = context.users
    host = context.organisations["kangbo"]
    officer, operator, expert_user = users["talent_officer"], users["operator"], users["expert"]
    expert = expert_user.talent
    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)

    _profiles(context)
    SubsidyPolicy.objects.create(
        name="临海市人才科创基金 · 共享用工补贴",
        percentage=Decimal("50"),
        eligible_sizes=["micro", "small"],
        cap_per_firm_year=Decimal("60000"),
        annual_budget=Decimal("2000000"),
        valid_from=dt.date(today.year - 1, 1, 1),
        valid_to=dt.date(today.year + 1, 12, 31),
    )
    if host.size not in ("micro", "small"):
        host.size = "small"
        host.save(update_fields=["size", "updated_at"])

    # The headline engagement: 周敏华 (independent) helps 康波 with coating delamination.
    request = services.request_file(
        actor=officer,
        firm=host,
        data={
            "title": "树脂镜片加硬镀膜脱膜问题攻关",
            "problem": "1.56 折射率树脂镜片加硬后真空镀减反射膜,高温高湿试验后出现局部脱膜和彩虹纹,"
            "良率由 96% 降至 88%。需要镀膜工艺专家现场诊断前处理和膜系设计。",
            "hours_needed": 16,
            "period_start": last_month - dt.timedelta(days=20),
            "period_end": this_month + dt.timedelta(days=150),
            "mode": "onsite",
            "budget": Decimal("60000.00"),
        },
    )
    (invitation,) = services.invitation_send(actor=operator, request=request, talents=[expert])
    services.invitation_respond(actor=expert_user, invitation=invitation, accept=True)
    agreement = services.agreement_create(
        actor=operator,
        invitation=invitation,
        data={
            "period_start": request.period_start,
            "period_end": request.period_end,
            "monthly_hour_cap": min(16, expert.monthly_hours or 16),
            "mode": "onsite",
            "hourly_rate": expert.hourly_rate or Decimal("400.00"),
            "tasks": "镀膜前处理工艺诊断;减反射膜系参数优化;对镀膜车间技术员进行两次培训。",
            "supplementary_insurance": "康波为专家投保雇主责任险(保额 50 万元)",
            "backdate_reason": BACKDATE,
        },
    )
    services.agreement_sign(actor=officer, agreement=agreement, party="host")
    services.agreement_sign(actor=expert_user, agreement=agreement, party="talent", consent=True)
    agreement.refresh_from_db()

    worked_days = _weekdays(last_month, last_month + dt.timedelta(days=27))[1:12:4]
    recent = _weekdays(this_month, today - dt.timedelta(days=1))[-1:]
    for index, day in enumerate(worked_days + recent):
        starts, ends = _slot(day, 9, 12)
        booking = services.booking_create(
            actor=operator, agreement=agreement, starts_at=starts, ends_at=ends, backdate_reason=BACKDATE
        )
        timesheet = services.timesheet_log(
            actor=expert_user,
            booking=booking,
            hours=booking.hours,
            description=[
                "现场诊断前处理清洗线",
                "调整膜系参数并试镀",
                "培训镀膜车间技术员",
                "复测高温高湿结果",
            ][index % 4],
        )
        if day < this_month:
            services.timesheet_review(actor=officer, timesheet=timesheet, approve=True)
    upcoming = _weekdays(today + dt.timedelta(days=2), today + dt.timedelta(days=12))[:1]
    for day in upcoming:
        starts, ends = _slot(day, 14, 16)
        if agreement.covers(day):
            services.booking_create(
                actor=officer, agreement=agreement, starts_at=starts, ends_at=ends, note="复测"
            )

    statement = services.statement_generate(actor=operator, agreement=agreement, month=last_month)
    if statement is not None:
        services.statement_issue(actor=operator, statement=statement)
    services.outcome_record(
        actor=officer,
        agreement=agreement,
        data={
            "rating": 5,
            "problem_solved": True,
            "patent_number": "CN202510387261.4",
            "cost_saved": Decimal("186000.00"),
            "products_improved": "1.56 防蓝光加硬减反射树脂镜片",
            "note": "脱膜率由 8% 降至 0.6%,申请发明专利《一种树脂镜片镀膜前等离子清洗方法》。",
        },
    )

    # A request waiting for the station to invite talents.
    services.request_file(
        actor=users["firm_admin"],
        firm=host,
        data={
            "title": "TR90 镜架注塑缩痕与变形",
            "problem": "新款 TR90 儿童镜架注塑后镜腿出现缩痕,装配时变形,需要模具与注塑工艺方面的工匠指导。",
            "hours_needed": 12,
            "period_start": today,
            "period_end": today + dt.timedelta(days=90),
            "mode": "onsite",
            "budget": Decimal("30000.00"),
        },
    )
