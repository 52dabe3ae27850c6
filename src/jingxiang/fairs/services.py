"""Writes of the fairs. Keyword-only; each validates, authorises again and runs in one transaction.

Meetings are the events app's: a fair is created with its own ``events.Event`` (sessions on each fair
day, meeting tables, opened), exhibitors and buyers become its participants through
``events.services.participant_register`` and meeting requests go through
``events.services.meeting_request_create`` (answers, scheduling and publishing through the events app).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jingxiang.core.numbering import formatted_number
from jingxiang.core.services import mail_to_address, notification_send
from jingxiang.core.texts import Text
from jingxiang.core.timerules import REASON_FIELD, enforce_time_rules, may_override
from jingxiang.events import services as events
from jingxiang.events.models import Meeting, Participant, ParticipantKey, ParticipantKind
from jingxiang.events.permissions import registrable_profiles
from jingxiang.fairs import texts
from jingxiang.fairs.models import (
    Allocation,
    AllocationMethod,
    ApplicationStatus,
    Booth,
    BoothPreference,
    BoothState,
    Buyer,
    BuyerLink,
    ExhibitorApplication,
    Fair,
    FairStatus,
    Hall,
    Lead,
    LeadMethod,
    ReportIssue,
    country_choices,
)
from jingxiang.fairs.rules import FAIR_RULES, LEAD_RULES
from jingxiang.organisations.models import Organisation
from jingxiang.organisations.permissions import FIRM_PEOPLE, firm_ids, is_operator, managed_firm_ids

MAX_PREFERENCES = 3
MAX_FAIR_DAYS = 7
ALLOCATION_JOB_KIND = "fairs_allocate"
BOOTH_IMPORT_JOB_KIND = "fairs_booth_import"
MEETING_SESSION = (dt.time(9, 30), dt.time(12, 0))
#: Meeting requests a buyer may send through their personal link in one hour, and new links they may
#: ask for in one day (counted from the records, as the login codes are).
LINK_REQUESTS_PER_HOUR = 5
LINK_RENEWALS_PER_DAY = 3


def _require_operator(actor: Any) -> None:
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以管理展会。"))


def _notify_firm(organisation_id: int, message: Text, url: str) -> None:
    from jingxiang.organisations.models import Membership

    users = {
        m.user for m in Membership.objects.filter(organisation_id=organisation_id).select_related("user")
    }
    for user in users:
        notification_send(recipient=user, message=message, url=url, kind="fairs")


# Fairs, halls, booths -------------------------------------------------------------------------------


@transaction.atomic
def fair_create(
    *,
    actor: Any,
    code: str,
    title: str,
    city: str,
    venue: str,
    starts_on: dt.date,
    ends_on: dt.date,
    description: str = "",
    slot_minutes: int = 30,
    meeting_tables: int = 10,
    backdate_reason: str = "",
) -> Fair:
    """An operator sets up a fair and, with it, its buyer–exhibitor meeting event: a morning session of
    meetings on each fair day and ``meeting_tables`` tables, open for registration."""
    _require_operator(actor)
    values = {"starts_on": starts_on, "ends_on": ends_on}
    check = enforce_time_rules(FAIR_RULES, values, actor=actor, reason=backdate_reason)
    days = (ends_on - starts_on).days + 1
    if days > MAX_FAIR_DAYS:
        raise ValidationError({"ends_on": _("一届展会最长 %(n)s 天。") % {"n": MAX_FAIR_DAYS}})
    code = code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9-]{2,20}", code):
        raise ValidationError({"code": _("展会代码只能用字母、数字和连字符(2–20 位)。")})
    if Fair.objects.filter(code=code).exists():
        raise ValidationError({"code": _("展会代码 %(c)s 已被使用。") % {"c": code}})
    first = timezone.make_aware(dt.datetime.combine(starts_on, MEETING_SESSION[0]))
    event = events.event_create(
        actor=actor,
        data={
            "title": _("%(fair)s · 采购洽谈") % {"fair": title},
            "venue": venue,
            "description": description,
            "event_date": starts_on,
            "allow_firms": True,
            "allow_experts": False,
            "allow_institutions": True,
            "max_meetings_cap": 8,
            "request_cap_firm": 10,
            "request_cap_expert": 1,
            "request_cap_institution": 10,
            # Requests are answered before the first meeting begins.
            "requests_expire_at": first,
            REASON_FIELD: backdate_reason,
        },
    )
    for day in range(days):
        date = starts_on + dt.timedelta(days=day)
        start = timezone.make_aware(dt.datetime.combine(date, MEETING_SESSION[0]))
        end = timezone.make_aware(dt.datetime.combine(date, MEETING_SESSION[1]))
        events.session_add(
            actor=actor,
            event=event,
            name=_("第 %(n)s 天 上午") % {"n": day + 1},
            starts_at=start,
            ends_at=end,
            slot_minutes=slot_minutes,
            backdate_reason=backdate_reason,
        )
    events.tables_add(actor=actor, event=event, count=meeting_tables, capacity=2, prefix=_("洽谈区"))
    events.event_open(actor=actor, event=event)
    fair = Fair(
        code=code,
        title=title,
        city=city,
        venue=venue,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        event=event,
        created_by=actor,
    )
    fair.full_clean()
    fair.save()
    check.record(fair)
    return fair


@transaction.atomic
def fair_open(*, actor: Any, fair: Fair) -> Fair:
    """Open applications and buyer registration: the fair needs booths first."""
    _require_operator(actor)
    fair = Fair.objects.select_for_update(of=("self",)).get(pk=fair.pk)
    if fair.status != FairStatus.DRAFT:
        raise ValidationError(_("只有筹备中的展会可以开始招展。"), code="not_draft")
    if not fair.booths.exists():
        raise ValidationError(_("请先添加展馆和展位,再开始招展。"), code="no_booths")
    fair.status = FairStatus.OPEN
    fair.save(update_fields=["status", "updated_at"])
    return fair


@transaction.atomic
def fair_close(*, actor: Any, fair: Fair) -> Fair:
    _require_operator(actor)
    fair = Fair.objects.select_for_update(of=("self",)).get(pk=fair.pk)
    if fair.status == FairStatus.CLOSED:
        raise ValidationError(_("展会已经闭幕。"), code="closed")
    fair.status = FairStatus.CLOSED
    fair.save(update_fields=["status", "updated_at"])
    return fair


@transaction.atomic
def hall_add(*, actor: Any, fair: Fair, code: str, name: str, width_m: Decimal, depth_m: Decimal) -> Hall:
    _require_operator(actor)
    fair = Fair.objects.select_for_update(of=("self",)).get(pk=fair.pk)
    if fair.status == FairStatus.CLOSED:
        raise ValidationError(_("展会已闭幕,不能再增加展馆。"), code="closed")
    code = code.strip().upper()
    if Hall.objects.filter(fair=fair, code=code).exists():
        raise ValidationError({"code": _("展馆代码 %(c)s 已存在。") % {"c": code}})
    if width_m <= 0 or depth_m <= 0:
        raise ValidationError(_("展馆的宽和深必须大于 0。"), code="size")
    return Hall.objects.create(fair=fair, code=code, name=name, width_m=width_m, depth_m=depth_m)


def booth_geometry_problem(
    hall: Hall,
    *,
    x_m: Decimal,
    y_m: Decimal,
    width_m: Decimal,
    depth_m: Decimal,
    others: Sequence[tuple[str, Decimal, Decimal, Decimal, Decimal]],
) -> str | None:
    """Why a booth cannot stand there (outside the hall, overlapping another booth), or None."""
    if width_m <= 0 or depth_m <= 0:
        return _("展位的宽和深必须大于 0。")
    if x_m < 0 or y_m < 0 or x_m + width_m > hall.width_m or y_m + depth_m > hall.depth_m:
        return _("展位超出展馆范围(展馆 %(w)s × %(d)s 米)。") % {"w": hall.width_m, "d": hall.depth_m}
    for code, ox, oy, ow, od in others:
        if x_m < ox + ow and ox < x_m + width_m and y_m < oy + od and oy < y_m + depth_m:
            return _("与展位 %(c)s 位置重叠。") % {"c": code}
    return None


def hall_footprints(hall: Hall) -> list[tuple[str, Decimal, Decimal, Decimal, Decimal]]:
    return [
        (b.code, b.x_m, b.y_m, b.width_m, b.depth_m)
        for b in Booth.objects.filter(hall=hall).only("code", "x_m", "y_m", "width_m", "depth_m")
    ]


@transaction.atomic
def booth_add(
    *,
    actor: Any,
    hall: Hall,
    code: str,
    width_m: Decimal,
    depth_m: Decimal,
    x_m: Decimal,
    y_m: Decimal,
    price: Decimal,
) -> Booth:
    """Place a booth on a hall's plan (inside the hall, not overlapping another booth)."""
    _require_operator(actor)
    hall = Hall.objects.select_for_update(of=("self",)).select_related("fair").get(pk=hall.pk)
    if hall.fair.status == FairStatus.CLOSED:
        raise ValidationError(_("展会已闭幕,不能再增加展位。"), code="closed")
    code = code.strip().upper()
    if Booth.objects.filter(fair_id=hall.fair_id, code=code).exists():
        raise ValidationError({"code": _("展位号 %(c)s 已存在。") % {"c": code}})
    if price < 0:
        raise ValidationError({"price": _("价格不能为负数。")})
    problem = booth_geometry_problem(
        hall, x_m=x_m, y_m=y_m, width_m=width_m, depth_m=depth_m, others=hall_footprints(hall)
    )
    if problem:
        raise ValidationError(problem, code="geometry")
    return Booth.objects.create(
        fair_id=hall.fair_id,
        hall=hall,
        code=code,
        width_m=width_m,
        depth_m=depth_m,
        x_m=x_m,
        y_m=y_m,
        price=price,
    )


@transaction.atomic
def booth_set_state(*, actor: Any, booth: Booth, state: str, note: str = "") -> Booth:
    """An operator holds a booth (for a sponsor, the organiser), blocks it (a pillar, a fire exit) or
    frees it again. An allocated booth is released through its application, not here."""
    _require_operator(actor)
    booth = Booth.objects.select_for_update(of=("self",)).get(pk=booth.pk)
    if state not in {BoothState.FREE, BoothState.HELD, BoothState.BLOCKED}:
        raise ValidationError(_("请选择空闲、预留或不可用。"), code="state")
    if booth.state == BoothState.ALLOCATED:
        raise ValidationError(
            _("展位 %(c)s 已分配,请先在参展申请中释放展位。") % {"c": booth.code}, code="allocated"
        )
    if state != BoothState.FREE and not note.strip():
        raise ValidationError(_("预留或设为不可用时请写明原因。"), code="note_required")
    booth.state = state
    booth.state_note = "" if state == BoothState.FREE else note.strip()
    booth.save(update_fields=["state", "state_note", "updated_at"])
    return booth


# Exhibitor applications and allocation -------------------------------------------------------------


def _preferred_booths(fair: Fair, booth_ids: Sequence[int]) -> list[Booth]:
    wanted = [int(pk) for pk in booth_ids if pk]
    if not wanted:
        raise ValidationError({"booths": _("请至少选择一个意向展位。")})
    if len(wanted) > MAX_PREFERENCES:
        raise ValidationError({"booths": _("最多填写 %(n)s 个意向展位。") % {"n": MAX_PREFERENCES}})
    if len(set(wanted)) != len(wanted):
        raise ValidationError({"booths": _("意向展位不能重复。")})
    booths = {b.pk: b for b in Booth.objects.filter(fair=fair, pk__in=wanted)}
    if len(booths) != len(wanted):
        raise ValidationError({"booths": _("所选展位不属于本届展会。")})
    ordered = [booths[pk] for pk in wanted]
    for booth in ordered:
        if booth.state != BoothState.FREE:
            raise ValidationError(
                {
                    "booths": _("展位 %(c)s 当前为“%(s)s”,不能申请。")
                    % {"c": booth.code, "s": booth.get_state_display()}
                }
            )
    return ordered


def _fair_participant(
    *, actor: Any, fair: Fair, kind: str, organisation_id: int, contact_name: str, needs: str
) -> Participant:
    """The organisation's registration for the fair's meeting event (the events app's own service)."""
    existing: Participant | None = Participant.objects.filter(
        event=fair.event, organisation_id=organisation_id, archived_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    event = fair.event
    participant: Participant = events.participant_register(
        actor=actor,
        event=event,
        kind=kind,
        profile_id=organisation_id,
        slot_ids=list(event.slots.values_list("pk", flat=True)),
        max_meetings=event.max_meetings_cap,
        needs=needs,
        contact_name=contact_name,
    )
    return participant


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    fair: Fair,
    organisation: Organisation,
    booth_ids: Sequence[int],
    products: str,
    contact_name: str,
) -> ExhibitorApplication:
    """A firm's org admin or talent officer applies to exhibit with up to three preferred booths, in
    order. The firm is registered for the fair's meetings at the same time."""
    fair = Fair.objects.select_for_update(of=("self",)).select_related("event").get(pk=fair.pk)
    if organisation.pk not in managed_firm_ids(actor):
        raise PermissionDenied(_("您不能代表该企业申请参展。"))
    if fair.status != FairStatus.OPEN:
        raise ValidationError(_("本届展会当前不接受参展申请。"), code="not_open")
    if ExhibitorApplication.objects.filter(
        fair=fair,
        organisation=organisation,
        status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.ALLOCATED],
    ).exists():
        raise ValidationError(_("该企业已申请过本届展会,请在“我的参展”中查看。"), code="duplicate")
    if not products.strip():
        raise ValidationError({"products": _("请填写展品。")})
    booths = _preferred_booths(fair, booth_ids)
    application = ExhibitorApplication.objects.create(
        fair=fair,
        organisation=organisation,
        products=products.strip(),
        contact_name=contact_name.strip() or str(actor),
        submitted_at=timezone.now(),
        submitted_by=actor,
    )
    BoothPreference.objects.bulk_create(
        BoothPreference(application=application, booth=booth, rank=rank)
        for rank, booth in enumerate(booths, start=1)
    )
    application.participant = _fair_participant(
        actor=actor,
        fair=fair,
        kind=ParticipantKind.FIRM,
        organisation_id=organisation.pk,
        contact_name=application.contact_name,
        needs=application.products,
    )
    application.save(update_fields=["participant", "updated_at"])
    return application


def _allocate(
    *, actor: Any, application: ExhibitorApplication, booth: Booth, method: str, rank: int | None
) -> Allocation:
    """Give ``booth`` to ``application`` under row locks (application first, then booth: one order for
    every caller, so two allocations never deadlock). The unique constraint is the last line."""
    application = ExhibitorApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)
    booth = Booth.objects.select_for_update(of=("self",)).select_related("hall").get(pk=booth.pk)
    if booth.fair_id != application.fair_id:
        raise ValidationError(_("该展位不属于本届展会。"), code="foreign_booth")
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(
            _("该申请当前为“%(s)s”,不能分配展位。") % {"s": application.get_status_display()},
            code="not_submitted",
        )
    if booth.state == BoothState.ALLOCATED:
        holder = (
            Allocation.objects.filter(booth=booth, released_at__isnull=True)
            .select_related("application__organisation")
            .first()
        )
        raise ValidationError(
            _("展位 %(c)s 已分配给 %(who)s,不能重复分配。")
            % {"c": booth.code, "who": holder.application.organisation.name if holder else "—"},
            code="booth_taken",
        )
    allowed = {BoothState.FREE, BoothState.HELD} if method == AllocationMethod.MANUAL else {BoothState.FREE}
    if booth.state not in allowed:
        raise ValidationError(
            _("展位 %(c)s 当前为“%(s)s”,不能分配。") % {"c": booth.code, "s": booth.get_state_display()},
            code="booth_unavailable",
        )
    try:
        with transaction.atomic():
            allocation = Allocation.objects.create(
                fair_id=application.fair_id,
                booth=booth,
                application=application,
                method=method,
                preference_rank=rank,
                allocated_by=actor,
            )
    except IntegrityError as error:
        raise ValidationError(
            _("展位 %(c)s 刚刚已被分配,不能重复分配。") % {"c": booth.code}, code="booth_taken"
        ) from error
    booth.state, booth.state_note = BoothState.ALLOCATED, ""
    booth.save(update_fields=["state", "state_note", "updated_at"])
    application.status = ApplicationStatus.ALLOCATED
    application.unplaced_reason = ""
    application.save(update_fields=["status", "unplaced_reason", "updated_at"])
    fair = application.fair
    _notify_firm(
        application.organisation_id,
        texts.BOOTH_ALLOCATED(fair=fair.title, booth=booth.code, hall=booth.hall.name),
        reverse("fairs:application", args=[application.pk]),
    )
    return allocation


def _release(application: ExhibitorApplication, reason: str) -> Allocation | None:
    allocation = (
        Allocation.objects.select_for_update(of=("self",))
        .filter(application=application, released_at__isnull=True)
        .first()
    )
    if allocation is None:
        return None
    allocation.released_at = timezone.now()
    allocation.release_reason = reason[:200]
    allocation.save(update_fields=["released_at", "release_reason", "updated_at"])
    Booth.objects.filter(pk=allocation.booth_id).update(
        state=BoothState.FREE, state_note="", updated_at=timezone.now()
    )
    return allocation


@transaction.atomic
def booth_allocate(*, actor: Any, application: ExhibitorApplication, booth: Booth) -> Allocation:
    """An operator gives a booth to an application by hand (also a booth they held); an application
    that already has a booth is moved (its old booth becomes free)."""
    _require_operator(actor)
    locked = ExhibitorApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if locked.status == ApplicationStatus.ALLOCATED:
        current = locked.booth
        if current is not None and current.pk == booth.pk:
            raise ValidationError(_("该申请已分配在展位 %(c)s。") % {"c": booth.code}, code="same_booth")
        _release(locked, _("运营人员调整展位"))
        locked.status = ApplicationStatus.SUBMITTED
        locked.save(update_fields=["status", "updated_at"])
    rank = (
        BoothPreference.objects.filter(application=locked, booth=booth).values_list("rank", flat=True).first()
    )
    return _allocate(actor=actor, application=locked, booth=booth, method=AllocationMethod.MANUAL, rank=rank)


@transaction.atomic
def booth_release(*, actor: Any, application: ExhibitorApplication, reason: str) -> ExhibitorApplication:
    """An operator takes an allocated booth back (the application waits for a booth again)."""
    _require_operator(actor)
    application = ExhibitorApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.status != ApplicationStatus.ALLOCATED:
        raise ValidationError(_("该申请没有已分配的展位。"), code="not_allocated")
    if not reason.strip():
        raise ValidationError(_("请写明释放原因,企业会看到。"), code="reason_required")
    allocation = _release(application, reason.strip())
    application.status = ApplicationStatus.SUBMITTED
    application.save(update_fields=["status", "updated_at"])
    if allocation is not None:
        _notify_firm(
            application.organisation_id,
            texts.BOOTH_RELEASED(fair=application.fair.title, booth=allocation.booth.code, reason=reason),
            reverse("fairs:application", args=[application.pk]),
        )
    return application


@transaction.atomic
def application_withdraw(*, actor: Any, application: ExhibitorApplication) -> ExhibitorApplication:
    """The firm (or an operator) withdraws: the booth is freed and the meeting registration cancelled
    (the events app tells the other parties of its meetings)."""
    application = ExhibitorApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if not (is_operator(actor) or application.organisation_id in managed_firm_ids(actor)):
        raise PermissionDenied(_("您不能撤回这份参展申请。"))
    if application.status not in {ApplicationStatus.SUBMITTED, ApplicationStatus.ALLOCATED}:
        raise ValidationError(_("该申请已结束,不能撤回。"), code="not_open")
    _release(application, _("企业撤回参展申请"))
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    _withdraw_participant(actor, application.participant_id)
    return application


def _withdraw_participant(actor: Any, participant_id: int | None) -> None:
    if participant_id is None:
        return
    participant = Participant.objects.filter(pk=participant_id, archived_at__isnull=True).first()
    if participant is None:
        return
    try:
        with transaction.atomic():
            events.participant_withdraw(actor=actor, participant=participant)
    except (PermissionDenied, ValidationError):
        # A closed event keeps its registrations; an operator acting for nobody withdraws as operator.
        pass


@transaction.atomic
def application_reject(*, actor: Any, application: ExhibitorApplication, reason: str) -> ExhibitorApplication:
    _require_operator(actor)
    application = ExhibitorApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("只有待分配的申请可以不予通过。"), code="not_submitted")
    if not reason.strip():
        raise ValidationError(_("请写明原因,企业会看到。"), code="reason_required")
    application.status = ApplicationStatus.REJECTED
    application.unplaced_reason = reason.strip()[:300]
    application.save(update_fields=["status", "unplaced_reason", "updated_at"])
    _withdraw_participant(actor, application.participant_id)
    _notify_firm(
        application.organisation_id,
        texts.APPLICATION_REJECTED(fair=application.fair.title, reason=reason),
        reverse("fairs:application", args=[application.pk]),
    )
    return application


@transaction.atomic
def allocation_start(*, actor: Any, fair: Fair) -> Any:
    """Queue the allocation run as a background job."""
    from jingxiang.jobs.services import job_enqueue

    _require_operator(actor)
    fair = Fair.objects.select_for_update(of=("self",)).get(pk=fair.pk)
    if fair.status != FairStatus.OPEN:
        raise ValidationError(_("只有招展中的展会可以分配展位。"), code="not_open")
    if not fair.applications.filter(status=ApplicationStatus.SUBMITTED).exists():
        raise ValidationError(_("没有待分配的参展申请。"), code="nothing")
    return job_enqueue(
        kind=ALLOCATION_JOB_KIND,
        title=texts.ALLOCATION_TITLE(fair=fair.title),
        created_by=actor,
        params={"fair_id": fair.pk},
    )


def allocation_run(*, actor: Any, fair: Fair, progress: Callable[[int, Text], None]) -> tuple[int, int]:
    """Assign booths by preference, in the order the applications came in: each application gets its
    first preferred booth still free. Each allocation is its own transaction (under the same locks as a
    manual one), so a run cut short may run again and an operator may allocate meanwhile. Applications
    none of whose booths is free keep waiting, with the reason, for the operator. Returns
    (allocated, unplaced)."""
    _require_operator(actor)
    pending = list(
        ExhibitorApplication.objects.filter(fair=fair, status=ApplicationStatus.SUBMITTED)
        .order_by("submitted_at", "pk")
        .prefetch_related("preferences__booth")
    )
    allocated = unplaced = 0
    for index, application in enumerate(pending, start=1):
        placed = False
        tried = []
        for preference in application.preferences.all():
            tried.append(preference.booth.code)
            try:
                with transaction.atomic():
                    _allocate(
                        actor=actor,
                        application=application,
                        booth=preference.booth,
                        method=AllocationMethod.RUN,
                        rank=preference.rank,
                    )
            except ValidationError as error:
                if error.code == "not_submitted":
                    placed = True  # allocated by hand meanwhile
                    break
                continue
            placed = True
            allocated += 1
            break
        if not placed:
            unplaced += 1
            ExhibitorApplication.objects.filter(pk=application.pk, status=ApplicationStatus.SUBMITTED).update(
                unplaced_reason=_("意向展位(%(codes)s)均已分配或不可用,请运营人员指定展位。")
                % {"codes": _("、").join(tried)},
                updated_at=timezone.now(),
            )
        progress(
            5 + int(90 * index / len(pending)),
            texts.ALLOCATION_PROGRESS(i=index, n=len(pending), a=allocated),
        )
    return allocated, unplaced


# Buyers ---------------------------------------------------------------------------------------------


@transaction.atomic
def buyer_register(
    *,
    actor: Any,
    fair: Fair,
    name: str,
    company: str,
    country: str,
    kind: str,
    mobile: str,
    email: str = "",
    interests: str = "",
    organisation_id: int | None = None,
) -> Buyer:
    """A buyer pre-registers (no login needed) and gets a badge. A buyer signed in who acts for an
    organisation on the platform may name it: it is then registered for the fair's meetings too."""
    fair = Fair.objects.select_for_update(of=("self",)).select_related("event").get(pk=fair.pk)
    if fair.status != FairStatus.OPEN:
        raise ValidationError(_("本届展会当前不接受采购商登记。"), code="not_open")
    if country not in dict(country_choices()):
        raise ValidationError({"country": _("请选择国家或地区。")})
    mobile = re.sub(r"[\s-]", "", mobile)
    if not re.fullmatch(r"\+?\d{6,15}", mobile):
        raise ValidationError({"mobile": _("请填写有效的手机号(可带国际区号)。")})
    if Buyer.objects.filter(fair=fair, mobile=mobile, archived_at__isnull=True).exists():
        raise ValidationError({"mobile": _("该手机号已登记过本届展会,无需重复登记。")}, code="duplicate")
    user = actor if getattr(actor, "is_authenticated", False) else None
    profile_kind = None
    if organisation_id:
        profile_kind = next(
            (k for k, p in registrable_profiles(user) if p.pk == int(organisation_id) and k != "expert"), None
        )
        if profile_kind is None:
            raise PermissionDenied(_("您不能代表该机构登记。"))
        if ExhibitorApplication.objects.filter(
            fair=fair,
            organisation_id=organisation_id,
            status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.ALLOCATED],
        ).exists():
            raise ValidationError(_("该机构是本届展会的参展商,不能再登记为采购商。"), code="is_exhibitor")
    year = fair.starts_on.year
    buyer = Buyer(
        fair=fair,
        name=name.strip(),
        company=company.strip(),
        country=country,
        kind=kind,
        mobile=mobile,
        email=email.strip(),
        interests=interests.strip(),
        badge_number=formatted_number(f"fairs.badge.{fair.code}", year, fair.code + "-{n:05d}"),
        user=user,
    )
    buyer.full_clean()
    buyer.save()
    if profile_kind is not None and organisation_id:
        buyer.participant = _fair_participant(
            actor=user,
            fair=fair,
            kind=profile_kind,
            organisation_id=int(organisation_id),
            contact_name=buyer.name,
            needs=buyer.interests,
        )
        buyer.save(update_fields=["participant", "updated_at"])
    else:
        # Not on the platform as an organisation: a guest registration of the fair's meeting event,
        # used through the buyer's personal link (the events' own request flow).
        if fair.event.status in {"open", "published"}:
            buyer.participant = events.guest_register(
                event=fair.event,
                name=buyer.company,
                contact_name=buyer.name,
                needs=buyer.interests,
                registered_by=user or fair.created_by,
            )
            buyer.save(update_fields=["participant", "updated_at"])
        _link_issue(buyer)
    return buyer


# Buyers' personal links ---------------------------------------------------------------------------


def buyer_link_path(link: BuyerLink) -> str:
    return reverse("fairs:buyer_page", args=[link.token])


def _link_issue(buyer: Buyer, *, actor: Any = None) -> BuyerLink:
    """Revoke the buyer's live link (if any) and issue a new one; e-mail it when they gave an address."""
    now = timezone.now()
    for live in BuyerLink.objects.select_for_update(of=("self",)).filter(
        buyer=buyer, revoked_at__isnull=True
    ):
        live.revoked_at = now
        live.revoked_by = actor if getattr(actor, "is_authenticated", False) else None
        live.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    link = BuyerLink.objects.create(buyer=buyer)
    if buyer.email:
        mail_to_address(
            address=buyer.email,
            language=translation.get_language() or "",
            message=texts.BUYER_LINK(fair=buyer.fair.title, name=buyer.name, badge=buyer.badge_number),
            url=buyer_link_path(link),
        )
    return link


def _may_manage_link(actor: Any, buyer: Buyer) -> bool:
    return is_operator(actor) or (buyer.user_id is not None and buyer.user_id == getattr(actor, "pk", None))


@transaction.atomic
def buyer_link_renew(*, actor: Any, buyer: Buyer, link: BuyerLink | None = None) -> BuyerLink:
    """A new personal link for a buyer (the old one stops working at once): by an operator, by the
    buyer's own login, or by the holder of the live link (``link``) who fears it was passed on; the
    holder may do so a few times a day."""
    buyer = Buyer.objects.select_for_update(of=("self",)).select_related("fair").get(pk=buyer.pk)
    holder = link is not None and _live_link_of(link, buyer)
    if not (holder or _may_manage_link(actor, buyer)):
        raise PermissionDenied(_("您不能为该采购商换发专属链接。"))
    if buyer.archived_at is not None:
        raise ValidationError(_("该采购商登记已注销。"), code="archived")
    if holder and not _may_manage_link(actor, buyer):
        recent = BuyerLink.objects.filter(buyer=buyer, created_at__gte=timezone.now() - dt.timedelta(days=1))
        if recent.count() >= LINK_RENEWALS_PER_DAY:
            raise ValidationError(
                _("专属链接一天内最多换发 %(n)s 次,请明天再试或联系展会服务台。")
                % {"n": LINK_RENEWALS_PER_DAY},
                code="throttled",
            )
    return _link_issue(buyer, actor=actor)


@transaction.atomic
def buyer_link_revoke(*, actor: Any, buyer: Buyer) -> int:
    """An operator (or the buyer's own login) stops the buyer's personal link without issuing a new
    one. Returns how many links were revoked."""
    buyer = Buyer.objects.select_for_update(of=("self",)).get(pk=buyer.pk)
    if not _may_manage_link(actor, buyer):
        raise PermissionDenied(_("您不能停用该采购商的专属链接。"))
    live = list(
        BuyerLink.objects.select_for_update(of=("self",)).filter(buyer=buyer, revoked_at__isnull=True)
    )
    if not live:
        raise ValidationError(_("该采购商没有可用的专属链接。"), code="none")
    for row in live:
        row.revoked_at = timezone.now()
        row.revoked_by = actor
        row.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    return len(live)


def _live_link_of(link: BuyerLink, buyer: Buyer) -> bool:
    return BuyerLink.objects.filter(pk=link.pk, buyer=buyer, revoked_at__isnull=True).exists()


def buyer_link_used(*, link: BuyerLink) -> None:
    """Note when the link was last opened (at most once a minute, so a page view writes rarely)."""
    now = timezone.now()
    BuyerLink.objects.filter(pk=link.pk).filter(models_q_used_before(now - dt.timedelta(minutes=1))).update(
        last_used_at=now
    )


@transaction.atomic
def meeting_request(
    *,
    actor: Any,
    buyer: Buyer,
    application: ExhibitorApplication,
    priority: str,
    message: str = "",
    link: BuyerLink | None = None,
) -> Meeting:
    """A buyer asks an exhibitor for a meeting at the fair: the events app's request (its caps, duplicate
    and presence checks and the notification to the exhibitor).

    A buyer with a login acts as themself; a buyer without one acts through their personal ``link``
    (live, theirs), which the events app sees as the holder of that one registration
    (``ParticipantKey``), and may send a few requests an hour."""
    buyer = Buyer.objects.select_for_update(of=("self",)).get(pk=buyer.pk)
    application = ExhibitorApplication.objects.get(pk=application.pk)
    by_link = link is not None
    if link is not None:
        if not _live_link_of(link, buyer) or buyer.archived_at is not None:
            raise PermissionDenied(_("该专属链接已失效。"))
    elif buyer.user_id is None or buyer.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("您不能代表该采购商预约。"))
    if buyer.participant_id is None:
        raise ValidationError(
            _("您的登记没有关联平台上的机构,不能在线预约洽谈;请到展会服务台预约。"), code="no_participant"
        )
    if application.fair_id != buyer.fair_id or application.status != ApplicationStatus.ALLOCATED:
        raise ValidationError(_("该企业不是本届展会的参展商。"), code="not_exhibitor")
    if application.participant_id is None:
        raise ValidationError(_("该参展商没有参加采购洽谈。"), code="no_participant")
    requester = Participant.objects.get(pk=buyer.participant_id)
    # A guest registration (no organisation on the platform) is acted for by its key: the link, or the
    # buyer's own login checked above.
    guest = requester.organisation_id is None and requester.talent_id is None
    if by_link or guest:
        hour_ago = timezone.now() - dt.timedelta(hours=1)
        if (
            Meeting.objects.filter(requester=requester, created_at__gte=hour_ago).count()
            >= LINK_REQUESTS_PER_HOUR
        ):
            raise ValidationError(
                _("一小时内最多发出 %(n)s 个洽谈预约,请稍后再试。") % {"n": LINK_REQUESTS_PER_HOUR},
                code="throttled",
            )
    return events.meeting_request_create(
        actor=ParticipantKey(requester.pk) if by_link or guest else actor,
        requester=requester,
        recipient_id=application.participant_id,
        priority=priority,
        message=message,
    )


@transaction.atomic
def meeting_respond_by_link(*, link: BuyerLink, meeting: Meeting, accept: bool, reason: str = "") -> Meeting:
    """A buyer without a login answers an exhibitor's request on their personal page: the events app's
    own answer (its deadline and reason checks, the notification to the exhibitor)."""
    link = BuyerLink.objects.select_related("buyer").get(pk=link.pk)
    buyer = link.buyer
    if link.revoked_at is not None or buyer.archived_at is not None or buyer.participant_id is None:
        raise PermissionDenied(_("该专属链接已失效。"))
    if meeting.recipient_id != buyer.participant_id:
        raise PermissionDenied(_("只有被邀请方可以答复预约。"))
    return events.meeting_request_respond(
        actor=ParticipantKey(buyer.participant_id), meeting=meeting, accept=accept, reason=reason
    )


def schedule_start(*, actor: Any, fair: Fair, time_limit: int = 20) -> Any:
    """Schedule the accepted meetings with the events app's scheduler (a background job)."""
    return events.schedule_start(actor=actor, event=fair.event, time_limit=time_limit)


# Leads ------------------------------------------------------------------------------------------------

_CODE = re.compile(r"[A-Z0-9-]{4,40}")


def badge_code_from(raw: str) -> str:
    """What a scanner or a person typed: the badge number, the verification code, or the whole
    verification URL from the QR."""
    text = raw.strip().rstrip("/").upper()
    if "/" in text:
        text = text.rsplit("/", 1)[-1]
    return text


@transaction.atomic
def lead_capture(
    *,
    actor: Any,
    application: ExhibitorApplication,
    code: str,
    note: str = "",
    method: str = LeadMethod.TYPED,
    backdate_reason: str = "",
) -> Lead:
    """An exhibitor's staff record a buyer met at the booth by the badge's code, while the fair is on
    (its dates, Asia/Shanghai). A second capture of the same buyer is refused with when and by whom the
    first was recorded; the first is kept. An operator may record a lead for the exhibitor outside the
    fair's dates (a pre-show meeting, a list brought after the fair) with a reason, which is stored as
    a time-rule override."""
    application = (
        ExhibitorApplication.objects.select_for_update(of=("self",))
        .select_related("fair")
        .get(pk=application.pk)
    )
    if not (is_operator(actor) or application.organisation_id in firm_ids(actor, *FIRM_PEOPLE)):
        raise PermissionDenied(_("只有参展企业的人员可以记录客户线索。"))
    if application.status != ApplicationStatus.ALLOCATED:
        raise ValidationError(_("分配展位之后才能记录客户线索。"), code="not_allocated")
    check = _lead_window_check(application.fair, actor, backdate_reason)
    if method not in LeadMethod.values:
        method = LeadMethod.TYPED
    value = badge_code_from(code)
    if not _CODE.fullmatch(value):
        raise ValidationError({"code": _("请扫描或输入胸卡上的胸卡号。")}, code="bad_code")
    buyer = (
        Buyer.objects.filter(fair=application.fair, archived_at__isnull=True)
        .filter(models_q_code(value))
        .first()
    )
    if buyer is None:
        raise ValidationError(
            {"code": _("没有找到胸卡 %(c)s(本届展会的采购商胸卡)。") % {"c": value}}, code="unknown_badge"
        )
    first = Lead.objects.filter(application=application, buyer=buyer).select_related("captured_by").first()
    if first is not None:
        message = _("%(name)s 已于 %(time)s 由 %(who)s 记录为线索,无需重复扫码(首次记录已保留)。") % {
            "name": buyer.name,
            "time": timezone.localtime(first.created_at).strftime("%m-%d %H:%M"),
            "who": first.captured_by,
        }
        raise ValidationError({"code": ValidationError(message, code="duplicate")})
    lead = Lead.objects.create(
        fair=application.fair,
        application=application,
        buyer=buyer,
        method=method,
        note=note.strip()[:300],
        captured_by=actor,
    )
    check.record(lead)
    return lead


def _lead_window_check(fair: Fair, actor: Any, reason: str) -> Any:
    """The fair's dates as a time rule (``LEAD_RULES``), with one clear message whichever side fails."""
    today = timezone.localdate()
    values = {"scanned_on": today, "starts_on": fair.starts_on, "ends_on": fair.ends_on}
    try:
        return enforce_time_rules(LEAD_RULES, values, actor=actor, reason=reason)
    except ValidationError as error:
        period = {"start": f"{fair.starts_on:%Y-%m-%d}", "end": f"{fair.ends_on:%Y-%m-%d}"}
        if "scanned_on" in error.message_dict:
            message = _("展会尚未开幕:只有展期内(%(start)s 至 %(end)s)可以扫码记录线索。") % period
        else:
            message = _("展会已闭幕:只有展期内(%(start)s 至 %(end)s)可以扫码记录线索。") % period
        if may_override(actor):
            hint = _("如确需补录,请填写补录原因。")
        else:
            hint = _("展期外的线索请联系平台运营人员补录。")
        message = f"{message} {hint}"
        raise ValidationError(message, code="outside_fair") from None


def lead_window_open(fair: Fair) -> bool:
    return fair.starts_on <= timezone.localdate() <= fair.ends_on


# Reports ----------------------------------------------------------------------------------------------


@transaction.atomic
def report_issue(*, actor: Any, application: ExhibitorApplication) -> ReportIssue:
    """Issue the exhibitor's report as it stands: its figures and rows are stored under a new
    verification code, so the PDF and its public verification page never disagree."""
    from jingxiang.fairs.selectors import exhibitor_report, report_snapshot

    application = (
        ExhibitorApplication.objects.select_for_update(of=("self",))
        .select_related("fair", "organisation", "participant")
        .get(pk=application.pk)
    )
    if not (is_operator(actor) or application.organisation_id in firm_ids(actor, *FIRM_PEOPLE)):
        raise PermissionDenied(_("只有参展企业的人员和平台运营人员可以出具参展报告。"))
    if application.status != ApplicationStatus.ALLOCATED:
        raise ValidationError(_("分配展位之后才能出具参展报告。"), code="not_allocated")
    # An official document: in Chinese whatever the interface language (as it will be printed).
    with translation.override("zh-hans"):
        figures = report_snapshot(exhibitor_report(application))
    return ReportIssue.objects.create(application=application, figures=figures, issued_by=actor)


def models_q_used_before(moment: dt.datetime) -> Any:
    from django.db.models import Q

    return Q(last_used_at__isnull=True) | Q(last_used_at__lt=moment)


def models_q_code(value: str) -> Any:
    from django.db.models import Q

    return Q(badge_number=value) | Q(badge_code=value)
