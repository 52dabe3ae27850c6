"""Writes for 互聘共享. Each function validates, authorises and runs in one transaction.

The legal rules come from 人社厅发〔2020〕98号 (共享用工): the home employer keeps the labour contract and
pays wages and social insurance in full; the host arranges the work and pays the home employer; no fee
is taken from the talent; work-injury liability stays with the home employer; the talent must consent;
the term may not exceed the remaining term of the labour contract.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jingxiang.conversations.services import invitation_note_post
from jingxiang.core.documents import new_verification_code
from jingxiang.core.numbering import next_number
from jingxiang.core.services import notification_send
from jingxiang.core.texts import Text
from jingxiang.core.timerules import REASON_FIELD, TimeRuleCheck, enforce_time_rules
from jingxiang.organisations.models import Membership, Organisation
from jingxiang.organisations.permissions import FIRM_MANAGERS, is_operator
from jingxiang.organisations.selectors import operators
from jingxiang.sharing import rules, texts
from jingxiang.sharing.models import (
    ZERO,
    Agreement,
    AgreementKind,
    AgreementSignature,
    AgreementStatus,
    AvailabilityException,
    AvailabilityWindow,
    Booking,
    BookingStatus,
    Invitation,
    InvitationStatus,
    Outcome,
    Party,
    RequestStatus,
    SharingProfile,
    SharingRequest,
    Statement,
    StatementAdjustment,
    StatementLine,
    StatementStatus,
    SubsidyPolicy,
    Timesheet,
    TimesheetStatus,
    month_bounds,
    month_start,
    next_month,
    text_hash,
)
from jingxiang.sharing.permissions import (
    is_booked_talent,
    is_invited_talent,
    may_book,
    may_cancel_booking,
    may_file_request,
    may_manage_agreement,
    may_manage_request,
    may_record_outcome,
    may_resolve_timesheet,
    may_review_timesheet,
    signable_parties,
)
from jingxiang.sharing.selectors import booked_hours
from jingxiang.talents.models import Talent
from jingxiang.talents.permissions import may_edit

CENT = Decimal("0.01")
PATENT_NUMBER = re.compile(r"^(CN|ZL)?\d{12}\.[\dX]$")
# Part of the zh-hans contract text (agreements are always generated in Chinese), hence no gettext.
DEFAULT_CONFIDENTIALITY = (
    "共享人才对在用工单位工作期间知悉的技术信息和经营信息负有保密义务,保密期限至协议终止后两年。"
    "为完成本协议约定任务而产生的职务技术成果(含专利申请权),归用工单位所有,共享人才享有署名权;"
    "共享人才既有的技术成果不因本协议转移。"
)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def _officers(organisation_id: int | None) -> list[Any]:
    if organisation_id is None:
        return []
    memberships = Membership.objects.active().filter(
        organisation_id=organisation_id, role__in=FIRM_MANAGERS, user__is_active=True
    )
    return [m.user for m in memberships.select_related("user")]


def _notify(recipients: Iterable[Any], *, message: Text, url: str, kind: str) -> None:
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        notification_send(recipient=user, message=message, url=url, kind=kind)


def _conflicted(talent: Talent, firm_id: int) -> bool:
    profile = SharingProfile.objects.filter(talent=talent).first()
    return profile is not None and profile.conflict_firms.filter(pk=firm_id).exists()


def _conflict_error(talent: Talent) -> ValidationError:
    return ValidationError(
        _("%(name)s 已将该企业列入回避名单(利益冲突/竞业限制),不能为该企业提供共享服务。")
        % {"name": talent.name},
        code="conflict_of_interest",
    )


# Pool ---------------------------------------------------------------------------------------------


DEFAULT_WINDOWS = [(weekday, dt.time(9), dt.time(17)) for weekday in range(5)]


def sharing_profile_for(talent: Talent) -> SharingProfile:
    """The talent's pool profile; created on first use with office hours on weekdays."""
    profile, created = SharingProfile.objects.get_or_create(
        talent=talent, defaults={"offers_consultation": talent.think_tank}
    )
    if created:
        AvailabilityWindow.objects.bulk_create(
            AvailabilityWindow(profile=profile, weekday=w, start_time=s, end_time=e)
            for w, s, e in DEFAULT_WINDOWS
        )
    return profile


@transaction.atomic
def sharing_profile_update(
    *,
    actor: Any,
    talent: Talent,
    data: dict[str, Any],
    conflict_firms: Iterable[Organisation],
    windows: list[tuple[int, dt.time, dt.time]],
    exceptions: list[tuple[dt.date, str]],
) -> SharingProfile:
    """Service modes, conflict list, contract end and calendar: the talent, their home admin or the station."""
    if not may_edit(actor, talent):
        raise PermissionDenied(_("只有人才本人、其所在单位管理员或平台运营人员可以修改共享档案。"))
    if not (data.get("offers_onsite") or data.get("offers_remote") or data.get("offers_consultation")):
        raise ValidationError(_("请至少选择一种服务方式(驻厂、远程或智库咨询)。"), code="no_mode")
    for _weekday, start, end in windows:
        if end <= start:
            raise ValidationError(_("可用时段的结束时间必须晚于开始时间。"), code="window_order")
    profile = sharing_profile_for(talent)
    profile = SharingProfile.objects.select_for_update(of=("self",)).get(pk=profile.pk)
    for field in ("offers_onsite", "offers_remote", "offers_consultation", "labour_contract_end", "note"):
        if field in data:
            setattr(
                profile,
                field,
                data[field] if data[field] is not None or field == "labour_contract_end" else "",
            )
    profile.full_clean(exclude=["talent"])
    profile.save()
    profile.conflict_firms.set(list(conflict_firms))
    profile.windows.all().delete()
    AvailabilityWindow.objects.bulk_create(
        AvailabilityWindow(profile=profile, weekday=w, start_time=s, end_time=e) for w, s, e in windows
    )
    profile.exceptions.all().delete()
    AvailabilityException.objects.bulk_create(
        AvailabilityException(profile=profile, date=day, note=note) for day, note in dict(exceptions).items()
    )
    return profile


# Requests and invitations -------------------------------------------------------------------------


@transaction.atomic
def request_file(
    *, actor: Any, firm: Organisation, data: dict[str, Any], skills: Iterable[Any] = ()
) -> SharingRequest:
    """A firm's 共享人才官 (or admin) files a request with the sharing station; operators are told."""
    if not may_file_request(actor, firm.pk):
        raise PermissionDenied(_("只有本企业的共享人才官或管理员可以提交共享需求。"))
    enforce_time_rules(rules.REQUEST_RULES, data, actor=actor)
    request = SharingRequest(
        firm=firm,
        created_by=actor,
        title=data["title"],
        problem=data["problem"],
        hours_needed=data["hours_needed"],
        period_start=data["period_start"],
        period_end=data["period_end"],
        mode=data["mode"],
        budget=data["budget"],
    )
    request.full_clean()
    request.save()
    request.skills.set(list(skills))
    _notify(
        operators(),
        message=texts.REQUEST_POSTED(firm=firm.name, title=request.title),
        url=reverse("sharing:request_detail", args=[request.pk]),
        kind="sharing_request",
    )
    return request


@transaction.atomic
def request_close(*, actor: Any, request: SharingRequest) -> SharingRequest:
    if not may_manage_request(actor, request):
        raise PermissionDenied(_("只有需求企业或共享驿站可以关闭需求。"))
    request = SharingRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if request.status == RequestStatus.CLOSED:
        raise ValidationError(_("该需求已关闭。"), code="already_closed")
    request.status = RequestStatus.CLOSED
    request.save(update_fields=["status", "updated_at"])
    return request


@transaction.atomic
def invitation_send(
    *, actor: Any, request: SharingRequest, talents: Iterable[Talent], note: str = ""
) -> list[Invitation]:
    """Invite one or more pool talents to a request; each talent is checked against the pool rules.

    A personal ``note`` becomes the first message of each invitation's conversation.
    """
    if not may_manage_request(actor, request):
        raise PermissionDenied(_("只有共享驿站或需求企业的共享人才官可以发出邀请。"))
    request = SharingRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    if request.status not in (RequestStatus.OPEN, RequestStatus.INVITED):
        raise ValidationError(_("需求已签约或已关闭,不能再发出邀请。"), code="request_closed")
    talents = list(talents)
    if not talents:
        raise ValidationError(_("请至少选择一位人才。"), code="no_talent")
    invitations = []
    for talent in talents:
        if not talent.shares_talent or talent.is_archived:
            raise ValidationError(
                _("%(name)s 未参与互聘共享,不能邀请。") % {"name": talent.name}, code="not_sharing"
            )
        if talent.home_organisation_id == request.firm_id:
            raise ValidationError(
                _("%(name)s 是本企业员工,无需通过共享用工邀请。") % {"name": talent.name}, code="own_employee"
            )
        if _conflicted(talent, request.firm_id):
            raise _conflict_error(talent)
        if talent.user_id is None:
            raise ValidationError(
                _("%(name)s 尚未开通平台账号,无法接收和回复邀请;请先联系其开通账号。")
                % {"name": talent.name},
                code="no_login",
            )
        if Invitation.objects.filter(request=request, talent=talent).exists():
            raise ValidationError(
                _("已经邀请过 %(name)s,请等待其回复。") % {"name": talent.name}, code="duplicate_invitation"
            )
        invitation = Invitation.objects.create(request=request, talent=talent, invited_by=actor)
        invitations.append(invitation)
        invitation_note_post(actor=actor, invitation=invitation, note=note)
        notification_send(
            recipient=talent.user,
            message=texts.INVITED(firm=request.firm.name, title=request.title, problem=request.problem[:300]),
            url=reverse("sharing:me"),
            kind="sharing_invitation",
        )
    if request.status == RequestStatus.OPEN:
        request.status = RequestStatus.INVITED
        request.save(update_fields=["status", "updated_at"])
    return invitations


@transaction.atomic
def invitation_respond(*, actor: Any, invitation: Invitation, accept: bool, reason: str = "") -> Invitation:
    """The invited talent accepts, or declines with a reason; the requesting firm and station are told."""
    if not is_invited_talent(actor, invitation):
        raise PermissionDenied(_("只有被邀请的人才本人可以回复邀请。"))
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("request__firm", "talent")
        .get(pk=invitation.pk)
    )
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("该邀请已回复过,不能重复回复。"), code="already_answered")
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationError(_("婉拒邀请时请写明原因,便于驿站重新匹配。"), code="reason_required")
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.response_note = reason
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "response_note", "responded_at", "updated_at"])
    answer = texts.INVITATION_ACCEPTED if accept else texts.INVITATION_DECLINED
    _notify(
        [invitation.request.created_by, invitation.invited_by, *_officers(invitation.request.firm_id)],
        message=answer(name=invitation.talent.name, reason=reason),
        url=reverse("sharing:request_detail", args=[invitation.request_id]),
        kind="sharing_invitation",
    )
    return invitation


# Agreements ---------------------------------------------------------------------------------------


def _agreement_text(agreement: Agreement) -> str:
    """The agreement text from the zh-hans template; the exact text that every party signs."""
    template = (
        "sharing/agreement_three_party.txt"
        if agreement.kind == AgreementKind.THREE_PARTY
        else "sharing/agreement_two_party.txt"
    )
    with translation.override("zh-hans"):
        return render_to_string(template, {"a": agreement}).strip() + "\n"


def _check_terms(
    *, actor: Any, talent: Talent, host: Organisation, data: dict[str, Any], start_moved: bool = True
) -> TimeRuleCheck:
    """The terms the law and the talent's offer allow, then the time rules (what an operator waived
    is returned, to be recorded once the agreement exists)."""
    if talent.home_organisation_id == host.pk:
        raise ValidationError(_("原用人单位与用工单位不能是同一家企业。"), code="same_firm")
    if _conflicted(talent, host.pk):
        raise _conflict_error(talent)
    profile = sharing_profile_for(talent)
    if (
        talent.home_organisation_id
        and profile.labour_contract_end
        and data["period_end"] > profile.labour_contract_end
    ):
        raise ValidationError(
            _("共享期限不得超过劳动合同剩余期限:%(name)s 的劳动合同于 %(end)s 到期。")
            % {"name": talent.name, "end": f"{profile.labour_contract_end:%Y-%m-%d}"},
            code="beyond_contract",
        )
    if talent.monthly_hours and data["monthly_hour_cap"] > talent.monthly_hours:
        raise ValidationError(
            _("每月工时上限不能超过该人才每月可共享的 %(n)s 小时。") % {"n": talent.monthly_hours},
            code="cap_beyond_offer",
        )
    if not profile.offers(data["mode"]):
        raise ValidationError(_("该人才不提供所选的服务方式。"), code="mode_not_offered")
    if data["hourly_rate"] < ZERO:
        raise ValidationError(_("服务费率不能为负数。"), code="negative_rate")
    return enforce_time_rules(
        rules.agreement_rules(start_moved=start_moved), data, actor=actor, reason=data.get(REASON_FIELD, "")
    )


def _new_agreement(
    *, actor: Any, talent: Talent, host: Organisation, data: dict[str, Any], **extra: Any
) -> Agreement:
    agreement = Agreement(
        kind=AgreementKind.THREE_PARTY if talent.home_organisation_id else AgreementKind.TWO_PARTY,
        talent=talent,
        host=host,
        home=talent.home_organisation,
        period_start=data["period_start"],
        period_end=data["period_end"],
        monthly_hour_cap=data["monthly_hour_cap"],
        tasks=data["tasks"],
        hourly_rate=data["hourly_rate"],
        mode=data["mode"],
        confidentiality=data.get("confidentiality") or DEFAULT_CONFIDENTIALITY,
        supplementary_insurance=data.get("supplementary_insurance") or "",
        verification_code=new_verification_code(),
        created_by=actor,
        **extra,
    )
    if not agreement.number:
        year = timezone.localdate().year
        agreement.number = f"GX{year}-{next_number('sharing-agreement', year):05d}"
    agreement.text = _agreement_text(agreement)
    agreement.text_sha256 = text_hash(agreement.text)
    agreement.full_clean()
    agreement.save()
    return agreement


def _signers(agreement: Agreement) -> list[Any]:
    users = [*_officers(agreement.host_id), agreement.talent.user]
    if agreement.home_id:
        users.extend(_officers(agreement.home_id))
    return users


@transaction.atomic
def agreement_create(*, actor: Any, invitation: Invitation, data: dict[str, Any]) -> Agreement:
    """Draft the agreement for an accepted invitation and ask every party to sign."""
    request = invitation.request
    if not may_manage_request(actor, request):
        raise PermissionDenied(_("只有共享驿站或用工企业的共享人才官可以起草共享协议。"))
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if invitation.status != InvitationStatus.ACCEPTED:
        raise ValidationError(_("人才接受邀请后才能起草协议。"), code="not_accepted")
    if Agreement.objects.filter(invitation=invitation).exists():
        raise ValidationError(_("该邀请已起草过协议,请在协议页面修订。"), code="duplicate_agreement")
    talent = Talent.objects.select_related("home_organisation", "user").get(pk=invitation.talent_id)
    check = _check_terms(actor=actor, talent=talent, host=request.firm, data=data)
    agreement = _new_agreement(
        actor=actor, talent=talent, host=request.firm, data=data, request=request, invitation=invitation
    )
    check.record(agreement)
    _notify(
        _signers(agreement),
        message=texts.SIGNATURE_REQUESTED(
            number=agreement.number, talent=talent.name, host=agreement.host.name
        ),
        url=reverse("sharing:agreement_detail", args=[agreement.pk]),
        kind="sharing_signature",
    )
    return agreement


@transaction.atomic
def agreement_amend(*, actor: Any, agreement: Agreement, data: dict[str, Any]) -> Agreement:
    """An amendment is a new version that every party signs again; the old one stays until then."""
    if not may_manage_agreement(actor, agreement):
        raise PermissionDenied(_("只有用工企业的共享人才官或共享驿站可以发起协议修订。"))
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("talent__user", "host", "home")
        .get(pk=agreement.pk)
    )
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError(_("只有生效中的协议可以修订。"), code="not_active")
    if Agreement.objects.filter(previous=agreement).exists():
        raise ValidationError(_("已有待签署的修订版本,请先完成签署。"), code="amendment_pending")
    check = _check_terms(
        actor=actor,
        talent=agreement.talent,
        host=agreement.host,
        data=data,
        start_moved=data["period_start"] != agreement.period_start,
    )
    base = agreement.number.split("-V")[0]
    amended = _new_agreement(
        actor=actor,
        talent=agreement.talent,
        host=agreement.host,
        data=data,
        request=agreement.request,
        invitation=None,
        previous=agreement,
        version=agreement.version + 1,
        number=f"{base}-V{agreement.version + 1}",
    )
    check.record(amended)
    _notify(
        _signers(amended),
        message=texts.AMENDMENT_SIGNATURE_REQUESTED(number=amended.number),
        url=reverse("sharing:agreement_detail", args=[amended.pk]),
        kind="sharing_signature",
    )
    return amended


def agreement_activate(*, agreement: Agreement) -> Agreement:
    """Activate once every party has signed the same text and the talent has explicitly consented.

    Called inside ``agreement_sign``'s transaction; refuses rather than activating a half-signed text.
    """
    signatures = {s.party: s for s in agreement.signatures.all()}
    missing = [p for p in agreement.parties if p not in signatures]
    if missing:
        raise ValidationError(_("各方签署完成后协议才能生效。"), code="unsigned")
    if not signatures[Party.TALENT].consent:
        raise ValidationError(_("未取得共享人才本人的明确同意,协议不能生效。"), code="no_consent")
    if any(s.text_sha256 != agreement.text_sha256 for s in signatures.values()):
        raise ValidationError(_("签署的文本与协议文本不一致,协议不能生效。"), code="hash_mismatch")
    agreement.status = AgreementStatus.ACTIVE
    agreement.activated_at = timezone.now()
    agreement.save(update_fields=["status", "activated_at", "updated_at"])
    if agreement.previous_id:
        Agreement.objects.filter(pk=agreement.previous_id).update(
            status=AgreementStatus.SUPERSEDED, updated_at=timezone.now()
        )
    if agreement.request_id:
        SharingRequest.objects.filter(pk=agreement.request_id).exclude(status=RequestStatus.CLOSED).update(
            status=RequestStatus.MATCHED, updated_at=timezone.now()
        )
    return agreement


@transaction.atomic
def agreement_sign(
    *, actor: Any, agreement: Agreement, party: str, consent: bool = False
) -> AgreementSignature:
    """Sign for one party: binds the signing user, the party, the time and the SHA-256 of the exact text.

    The agreement becomes active only when all parties have signed.
    """
    agreement = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("talent__user", "host", "home")
        .get(pk=agreement.pk)
    )
    if party not in agreement.parties:
        raise ValidationError(_("该协议没有这一签署方。"), code="unknown_party")
    if party not in signable_parties(actor, agreement):
        raise PermissionDenied(
            _(
                "您不是该协议「%(party)s」的签署人,不能代为签署:只有协议当事方本人或其共享人才官/管理员可以签署。"
            )
            % {"party": Party(party).label}
        )
    if agreement.status != AgreementStatus.PENDING:
        raise ValidationError(_("协议已生效或已失效,不能再签署。"), code="not_pending")
    if agreement.signatures.filter(party=party).exists():
        raise ValidationError(_("该签署方已签署过。"), code="already_signed")
    if party == Party.TALENT and not consent:
        raise ValidationError(
            _("共享人才须明确同意本协议(勾选“本人知情并同意”)后方可签署。"), code="consent_required"
        )
    if text_hash(agreement.text) != agreement.text_sha256:
        raise ValidationError(_("协议文本已被改动,与登记的哈希不一致,不能签署。"), code="hash_mismatch")
    signature = AgreementSignature.objects.create(
        agreement=agreement,
        party=party,
        organisation=agreement.home
        if party == Party.HOME
        else agreement.host
        if party == Party.HOST
        else None,
        signed_by=actor,
        text_sha256=agreement.text_sha256,
        consent=consent if party == Party.TALENT else False,
    )
    signed = set(agreement.signatures.values_list("party", flat=True))
    url = reverse("sharing:agreement_detail", args=[agreement.pk])
    if signed >= set(agreement.parties):
        agreement_activate(agreement=agreement)
        _notify(
            _signers(agreement) + list(operators()),
            message=texts.AGREEMENT_ACTIVE(number=agreement.number),
            url=url,
            kind="sharing_signature",
        )
    else:
        _notify(
            [u for u in _signers(agreement) if u is not None and u.pk != actor.pk],
            message=texts.PARTY_SIGNED(party=Party(party).label, number=agreement.number),
            url=url,
            kind="sharing_signature",
        )
    return signature


@transaction.atomic
def agreement_end(*, actor: Any, agreement: Agreement) -> Agreement:
    """End an active agreement early (the talent returns to the home employer)."""
    if not may_manage_agreement(actor, agreement):
        raise PermissionDenied(_("只有用工企业或共享驿站可以终止协议。"))
    agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError(_("只有生效中的协议可以终止。"), code="not_active")
    agreement.status = AgreementStatus.ENDED
    agreement.save(update_fields=["status", "updated_at"])
    return agreement


# Bookings -----------------------------------------------------------------------------------------


def _version_chain(agreement: Agreement) -> list[int]:
    ids = [agreement.pk]
    current = agreement
    while current.previous_id:
        ids.append(current.previous_id)
        current = Agreement.objects.only("pk", "previous_id").get(pk=current.previous_id)
    return ids


def _check_availability(profile: SharingProfile, starts: dt.datetime, ends: dt.datetime) -> None:
    day = starts.date()
    exception = profile.exceptions.filter(date=day).first()
    if exception is not None:
        raise ValidationError(
            _("%(day)s 该人才不可用(%(note)s),请改约其他日期。")
            % {"day": f"{day:%Y-%m-%d}", "note": exception.note or _("已标记为不可用")},
            code="unavailable_date",
        )
    fits = profile.windows.filter(
        weekday=day.weekday(), start_time__lte=starts.time(), end_time__gte=ends.time()
    ).exists()
    if not fits:
        windows = pgettext("list separator", "、").join(str(w) for w in profile.windows.all()) or _("未设置")
        raise ValidationError(
            _("所选时段不在该人才的可用时间内(可用时间:%(windows)s)。") % {"windows": windows},
            code="outside_availability",
        )


@transaction.atomic
def booking_create(
    *,
    actor: Any,
    agreement: Agreement,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    note: str = "",
    backdate_reason: str = "",
) -> Booking:
    """Book a block of the talent's time for the host (or, for the station, enter one that took place).

    The talent row is locked first, so two firms booking the same slot at the same moment are
    serialised: the second sees the first's booking and is refused as an overlap.
    """
    if not may_book(actor, agreement):
        raise PermissionDenied(_("只有用工企业的共享人才官或管理员可以预约共享人才的时间。"))
    talent = Talent.objects.select_for_update(of=("self",)).get(pk=agreement.talent_id)
    agreement = Agreement.objects.select_related("host").get(pk=agreement.pk)
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError(_("协议尚未生效(须各方签署)或已失效,不能预约。"), code="agreement_not_active")
    starts, ends = _local(starts_at), _local(ends_at)
    check = enforce_time_rules(
        rules.BOOKING_RULES, {"starts_at": starts, "ends_at": ends}, actor=actor, reason=backdate_reason
    )
    if not may_book(actor, agreement, backdated=bool(check.waived)):
        raise PermissionDenied(
            _("共享驿站只补录已发生的预约(须填写补录原因);今后的时间由用工企业的共享人才官预约。")
        )
    if starts.date() != ends.date():
        raise ValidationError(_("一次预约不能跨天,请按天分别预约。"), code="booking_spans_days")
    if not agreement.covers(starts.date()):
        raise ValidationError(
            _("预约日期不在协议期限内(%(start)s 至 %(end)s)。")
            % {"start": f"{agreement.period_start:%Y-%m-%d}", "end": f"{agreement.period_end:%Y-%m-%d}"},
            code="outside_period",
        )
    if _conflicted(talent, agreement.host_id):
        raise _conflict_error(talent)
    _check_availability(sharing_profile_for(talent), starts, ends)
    overlapping = (
        Booking.objects.live()
        .filter(talent=talent, starts_at__lt=ends, ends_at__gt=starts)
        .select_related("agreement__host")
        .first()
    )
    if overlapping is not None:
        raise ValidationError(
            _("与该人才已有的预约重叠(%(slot)s),同一时段不能重复预约。") % {"slot": str(overlapping)},
            code="overlap",
        )
    hours = _money(Decimal((ends - starts).total_seconds()) / Decimal(3600))
    month = starts.date()
    used = booked_hours([talent.pk], month, agreement_ids=_version_chain(agreement)).get(talent.pk, ZERO)
    if used + hours > agreement.monthly_hour_cap:
        raise ValidationError(
            _("超出协议每月工时上限:本月已预约 %(used)s 小时,上限 %(cap)s 小时,本次 %(hours)s 小时。")
            % {"used": _money(used), "cap": agreement.monthly_hour_cap, "hours": hours},
            code="over_cap",
        )
    if talent.monthly_hours:
        total = booked_hours([talent.pk], month).get(talent.pk, ZERO)
        if total + hours > talent.monthly_hours:
            raise ValidationError(
                _("超出该人才每月可共享的 %(cap)s 小时(各企业合计本月已预约 %(used)s 小时)。")
                % {"cap": talent.monthly_hours, "used": _money(total)},
                code="over_talent_cap",
            )
    booking = Booking(
        agreement=agreement,
        talent=talent,
        starts_at=starts,
        ends_at=ends,
        hours=hours,
        note=note,
        created_by=actor,
    )
    booking.full_clean()
    booking.save()
    check.record(booking)
    if talent.user is not None:
        notification_send(
            recipient=talent.user,
            message=texts.BOOKED(host=agreement.host.name, slot=str(booking)),
            url=reverse("sharing:me"),
            kind="sharing_booking",
        )
    return booking


@transaction.atomic
def booking_cancel(*, actor: Any, booking: Booking) -> Booking:
    if not may_cancel_booking(actor, booking):
        raise PermissionDenied(_("只有用工企业可以取消预约。"))
    booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
    if booking.status != BookingStatus.BOOKED:
        raise ValidationError(_("该预约已取消。"), code="already_cancelled")
    if booking.timesheets.exists():
        raise ValidationError(_("已登记工时的预约不能取消。"), code="has_timesheets")
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    return booking


# Timesheets ---------------------------------------------------------------------------------------


@transaction.atomic
def timesheet_log(*, actor: Any, booking: Booking, hours: Decimal, description: str) -> Timesheet:
    """The talent logs work against one of their bookings; unbooked time cannot be logged."""
    if not is_booked_talent(actor, booking):
        raise PermissionDenied(_("只有共享人才本人可以登记工时。"))
    booking = Booking.objects.select_for_update(of=("self",)).select_related("agreement").get(pk=booking.pk)
    if booking.status != BookingStatus.BOOKED:
        raise ValidationError(_("不能为未预约或已取消的时间登记工时。"), code="unbooked")
    enforce_time_rules(rules.TIMESHEET_RULES, rules.timesheet_moments(booking), actor=actor)
    if hours is None or hours <= ZERO:
        raise ValidationError(_("工时必须大于 0。"), code="hours_positive")
    if not description.strip():
        raise ValidationError(_("请填写工作内容。"), code="description_required")
    logged = booking.timesheets.aggregate(total=Sum("hours"))["total"] or ZERO
    if logged + hours > booking.hours:
        raise ValidationError(
            _("登记工时超出预约时长:该预约 %(booked)s 小时,已登记 %(logged)s 小时。未预约的时间不能登记。")
            % {"booked": booking.hours, "logged": _money(logged)},
            code="beyond_booking",
        )
    timesheet = Timesheet.objects.create(
        booking=booking, hours=_money(hours), description=description.strip(), logged_by=actor
    )
    _notify(
        _officers(booking.agreement.host_id),
        message=texts.TIMESHEET_LOGGED(name=booking.talent.name, hours=timesheet.hours),
        url=reverse("sharing:timesheets") + "?status=submitted",
        kind="sharing_timesheet",
    )
    return timesheet


@transaction.atomic
def timesheet_review(*, actor: Any, timesheet: Timesheet, approve: bool, reason: str = "") -> Timesheet:
    """The host's 共享人才官 approves logged hours, or disputes them with a reason (then the station decides)."""
    if not may_review_timesheet(actor, timesheet):
        raise PermissionDenied(_("只有用工企业的共享人才官或管理员可以确认工时。"))
    timesheet = (
        Timesheet.objects.select_for_update(of=("self",))
        .select_related("booking__talent__user")
        .get(pk=timesheet.pk)
    )
    if timesheet.status != TimesheetStatus.SUBMITTED:
        raise ValidationError(_("该工时已处理过。"), code="already_reviewed")
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError(_("提出异议时必须写明理由。"), code="reason_required")
    timesheet.status = TimesheetStatus.APPROVED if approve else TimesheetStatus.DISPUTED
    timesheet.approved_hours = timesheet.hours if approve else None
    timesheet.dispute_reason = "" if approve else reason
    timesheet.reviewed_by = actor
    timesheet.reviewed_at = timezone.now()
    timesheet.save()
    url = reverse("sharing:timesheets")
    talent_user = timesheet.booking.talent.user
    if approve:
        _notify(
            [talent_user],
            message=texts.TIMESHEET_APPROVED(h=timesheet.hours),
            url=url,
            kind="sharing_timesheet",
        )
    else:
        _notify(
            [talent_user, *operators()],
            message=texts.TIMESHEET_DISPUTED(
                name=timesheet.booking.talent.name, h=timesheet.hours, reason=reason
            ),
            url=url + "?status=disputed",
            kind="sharing_dispute",
        )
    return timesheet


@transaction.atomic
def timesheet_resolve(*, actor: Any, timesheet: Timesheet, approved_hours: Decimal, note: str) -> Timesheet:
    """The station operator settles a dispute by fixing the hours that count (0 … logged)."""
    if not may_resolve_timesheet(actor, timesheet):
        raise PermissionDenied(_("工时异议由共享驿站(平台运营人员)裁定。"))
    timesheet = (
        Timesheet.objects.select_for_update(of=("self",))
        .select_related("booking__talent__user", "booking__agreement")
        .get(pk=timesheet.pk)
    )
    if timesheet.status != TimesheetStatus.DISPUTED:
        raise ValidationError(_("只有有异议的工时需要裁定。"), code="not_disputed")
    if approved_hours is None or approved_hours < ZERO or approved_hours > timesheet.hours:
        raise ValidationError(
            _("裁定工时须在 0 到登记的 %(h)s 小时之间。") % {"h": timesheet.hours}, code="hours_range"
        )
    if not note.strip():
        raise ValidationError(_("请写明裁定意见。"), code="note_required")
    timesheet.status = TimesheetStatus.RESOLVED
    timesheet.approved_hours = _money(approved_hours)
    timesheet.resolution_note = note.strip()
    timesheet.resolved_by = actor
    timesheet.resolved_at = timezone.now()
    timesheet.save()
    _notify(
        [timesheet.booking.talent.user, *_officers(timesheet.booking.agreement.host_id)],
        message=texts.DISPUTE_RESOLVED(h=timesheet.approved_hours, note=timesheet.resolution_note),
        url=reverse("sharing:timesheets"),
        kind="sharing_dispute",
    )
    return timesheet


# Settlement ---------------------------------------------------------------------------------------


def policy_for(*, size: str, month: dt.date) -> SubsidyPolicy | None:
    """The subsidy policy that applies to a firm of this size in this month (the newest one wins)."""
    for policy in SubsidyPolicy.objects.active().filter(valid_from__lte=month, valid_to__gte=month):
        if policy.applies_to(size, month):
            return policy
    return None


def _subsidy(*, statement: Statement, gross: Decimal, policy: SubsidyPolicy | None) -> Decimal:
    """Subsidy = gross × percentage, within what is left of the firm's yearly cap and of the budget."""
    if policy is None or gross <= ZERO:
        return ZERO
    spent = (
        Statement.objects.issued()
        .filter(policy=policy, month__year=statement.month.year)
        .exclude(pk=statement.pk)
    )
    firm_used = spent.filter(host_id=statement.host_id).aggregate(total=Sum("subsidy"))["total"] or ZERO
    total_used = spent.aggregate(total=Sum("subsidy"))["total"] or ZERO
    wanted = _money(gross * policy.percentage / Decimal(100))
    return max(ZERO, min(wanted, policy.cap_per_firm_year - firm_used, policy.annual_budget - total_used))


def _rebuild(statement: Statement, *, lock_policy: bool) -> Statement:
    """Recompute a draft from approved timesheets not yet on an issued statement, and pending adjustments."""
    agreement = statement.agreement
    _start, end = month_bounds(statement.month)
    statement.lines.all().delete()
    billed = StatementLine.objects.filter(
        statement__status=StatementStatus.ISSUED, timesheet__isnull=False
    ).values("timesheet_id")
    timesheets = (
        Timesheet.objects.billable()
        .filter(booking__agreement=agreement, booking__starts_at__lt=end)
        .exclude(pk__in=billed)
        .select_related("booking__talent")
        .order_by("booking__starts_at", "pk")
    )
    lines = [
        StatementLine(
            statement=statement,
            description=_("%(slot)s 工时") % {"slot": str(ts.booking)},
            hours=ts.approved_hours,
            amount=_money(ts.approved_hours * agreement.hourly_rate),
            timesheet=ts,
        )
        for ts in timesheets
    ]
    adjustments = (
        StatementAdjustment.objects.filter(agreement=agreement)
        .filter(Q(applied_to__isnull=True) | Q(applied_to=statement))
        .select_related("corrects")
    )
    lines += [
        StatementLine(
            statement=statement,
            description=_("调整(更正 %(number)s):%(reason)s")
            % {"number": adj.corrects.number, "reason": adj.reason},
            hours=adj.hours,
            amount=_money(adj.amount),
            adjustment=adj,
        )
        for adj in adjustments
    ]
    StatementLine.objects.bulk_create(lines)
    statement.hours = sum((line.hours for line in lines), ZERO)
    statement.gross = sum((line.amount for line in lines), ZERO)
    policy = policy_for(size=statement.host.size, month=statement.month)
    if policy is not None and lock_policy:
        # Issuing statements against one budget is serialised on the policy row.
        policy = SubsidyPolicy.objects.select_for_update(of=("self",)).get(pk=policy.pk)
    statement.policy = policy
    statement.subsidy = _subsidy(statement=statement, gross=statement.gross, policy=policy)
    statement.host_pays = statement.gross - statement.subsidy
    statement.payee = agreement.payee_name
    statement.save()
    return statement


@transaction.atomic
def statement_generate(*, actor: Any, agreement: Agreement, month: dt.date) -> Statement | None:
    """Create or refresh the draft statement of one agreement for one month; None when nothing to bill."""
    if not is_operator(actor):
        raise PermissionDenied(_("月度结算单由共享驿站生成。"))
    month = month_start(month)
    agreement = Agreement.objects.select_related("host", "home", "talent").get(pk=agreement.pk)
    existing = (
        Statement.objects.select_for_update(of=("self",)).filter(agreement=agreement, month=month).first()
    )
    if existing is not None and existing.is_issued:
        raise ValidationError(
            _("%(month)s 的结算单 %(number)s 已出具,不可修改;更正请在结算单上添加调整项,计入下期结算。")
            % {"month": f"{month:%Y-%m}", "number": existing.number},
            code="statement_issued",
        )
    statement = existing or Statement(
        agreement=agreement,
        host=agreement.host,
        talent=agreement.talent,
        month=month,
        number=f"JS{month:%Y%m}-{agreement.number}",
        payee=agreement.payee_name,
        verification_code=new_verification_code(),
    )
    if statement.pk is None:
        statement.save()
    statement = _rebuild(statement, lock_policy=False)
    if not statement.lines.exists():
        statement.delete()
        return None
    return statement


def agreements_for_month(month: dt.date) -> Any:
    month = month_start(month)
    last = next_month(month) - dt.timedelta(days=1)
    return Agreement.objects.filter(
        status__in=[AgreementStatus.ACTIVE, AgreementStatus.SUPERSEDED, AgreementStatus.ENDED],
        period_start__lte=last,
    ).order_by("pk")


def statements_generate_month(*, actor: Any, month: dt.date, progress: Any = None) -> dict[str, Any]:
    """Month-end run: a draft statement for every agreement with billable hours (one transaction each)."""
    if not is_operator(actor):
        raise PermissionDenied(_("月度结算单由共享驿站生成。"))
    ids = list(agreements_for_month(month).values_list("pk", flat=True))
    created, skipped, issued = 0, 0, 0
    for index, pk in enumerate(ids, start=1):
        try:
            statement = statement_generate(actor=actor, agreement=Agreement.objects.get(pk=pk), month=month)
        except ValidationError:
            issued += 1
            statement = None
        else:
            if statement is None:
                skipped += 1
            else:
                created += 1
        if progress is not None:
            progress(int(index * 100 / max(1, len(ids))), texts.STATEMENTS_PROGRESS(i=index, n=len(ids)))
    return {"created": created, "skipped": skipped, "already_issued": issued, "agreements": len(ids)}


@transaction.atomic
def statement_issue(*, actor: Any, statement: Statement) -> Statement:
    """Issue a statement: final and irreversible. Amounts are recomputed under lock before freezing."""
    if not is_operator(actor):
        raise PermissionDenied(_("结算单由共享驿站出具。"))
    statement = (
        Statement.objects.select_for_update(of=("self",))
        .select_related("agreement__home", "agreement__talent__user", "host")
        .get(pk=statement.pk)
    )
    if statement.is_issued:
        raise ValidationError(_("结算单已出具,不可修改或重复出具。"), code="statement_issued")
    statement = _rebuild(statement, lock_policy=True)
    if not statement.lines.exists():
        raise ValidationError(_("结算单没有可结算的工时或调整项,不能出具。"), code="empty_statement")
    statement.status = StatementStatus.ISSUED
    statement.issued_at = timezone.now()
    statement.issued_by = actor
    statement.save(update_fields=["status", "issued_at", "issued_by", "updated_at"])
    StatementAdjustment.objects.filter(
        agreement=statement.agreement, applied_to__isnull=True, pk__in=statement.lines.values("adjustment_id")
    ).update(applied_to=statement)
    agreement = statement.agreement
    recipients = [*_officers(statement.host_id), *_officers(agreement.home_id)]
    if agreement.home_id is None:
        recipients.append(agreement.talent.user)
    _notify(
        recipients,
        message=texts.STATEMENT_ISSUED(
            month=f"{statement.month:%Y-%m}", number=statement.number, amount=statement.host_pays
        ),
        url=reverse("sharing:statement_detail", args=[statement.pk]),
        kind="sharing_statement",
    )
    return statement


@transaction.atomic
def statement_adjust(
    *, actor: Any, statement: Statement, hours: Decimal, amount: Decimal, reason: str
) -> StatementAdjustment:
    """Record a correction of an issued statement; it becomes a line on the agreement's next statement."""
    if not is_operator(actor):
        raise PermissionDenied(_("结算调整由共享驿站办理。"))
    if not statement.is_issued:
        raise ValidationError(
            _("草稿结算单会按最新工时重新计算,无需调整;只有已出具的结算单需要更正。"), code="draft"
        )
    if not reason.strip():
        raise ValidationError(_("请写明调整原因。"), code="reason_required")
    if amount == ZERO and hours == ZERO:
        raise ValidationError(_("调整工时和金额不能都为 0。"), code="empty_adjustment")
    return StatementAdjustment.objects.create(
        agreement=statement.agreement,
        corrects=statement,
        hours=hours,
        amount=_money(amount),
        reason=reason.strip(),
        created_by=actor,
    )


@transaction.atomic
def subsidy_policy_save(
    *, actor: Any, data: dict[str, Any], policy: SubsidyPolicy | None = None
) -> SubsidyPolicy:
    """Create or change a subsidy rule (kept as data, with validity dates); station only."""
    if not is_operator(actor):
        raise PermissionDenied(_("补贴政策由平台运营人员维护。"))
    enforce_time_rules(rules.SUBSIDY_RULES, data, actor=actor)
    if not data.get("eligible_sizes"):
        raise ValidationError(_("请至少选择一种适用的企业规模。"), code="no_sizes")
    policy = (
        SubsidyPolicy.objects.select_for_update(of=("self",)).get(pk=policy.pk) if policy else SubsidyPolicy()
    )
    for field in (
        "name",
        "percentage",
        "eligible_sizes",
        "cap_per_firm_year",
        "annual_budget",
        "valid_from",
        "valid_to",
    ):
        setattr(policy, field, data[field])
    policy.full_clean()
    policy.save()
    return policy


# Outcomes -----------------------------------------------------------------------------------------


@transaction.atomic
def outcome_record(
    *, actor: Any, agreement: Agreement, data: dict[str, Any], evidence: Any = None
) -> Outcome:
    """The host rates the engagement and records what it achieved; these feed the cluster KPIs."""
    if not may_record_outcome(actor, agreement):
        raise PermissionDenied(_("只有用工企业的共享人才官或管理员可以评价并登记成效。"))
    if agreement.activated_at is None:
        raise ValidationError(_("协议生效并开展服务后才能登记成效。"), code="not_started")
    rating = data.get("rating")
    if rating is None or not 1 <= int(rating) <= 5:
        raise ValidationError(_("评分须为 1 到 5 分。"), code="rating_range")
    patent = (data.get("patent_number") or "").strip().upper().replace(" ", "")
    if patent and not PATENT_NUMBER.match(patent):
        raise ValidationError(
            _("专利申请号格式不正确,应为 12 位数字加校验位,如 CN202510123456.7。"), code="patent_format"
        )
    cost_saved = data.get("cost_saved") or ZERO
    if cost_saved < ZERO:
        raise ValidationError(_("节约成本不能为负数。"), code="negative_cost")
    outcome = Outcome(
        agreement=agreement,
        rating=int(rating),
        problem_solved=bool(data.get("problem_solved")),
        patent_number=patent,
        cost_saved=_money(cost_saved),
        products_improved=data.get("products_improved") or "",
        note=data.get("note") or "",
        recorded_by=actor,
    )
    if evidence is not None:
        outcome.evidence = evidence
    outcome.full_clean()
    outcome.save()
    _notify(
        [agreement.talent.user],
        message=texts.OUTCOME_RATED(host=agreement.host.name, r=outcome.rating),
        url=reverse("sharing:agreement_detail", args=[agreement.pk]),
        kind="sharing_outcome",
    )
    return outcome
