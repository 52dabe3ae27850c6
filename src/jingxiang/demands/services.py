"""Writes for demands, invitations, proposals, the engine's knowledge tables and 揭榜挂帅 challenges.

Each function validates, authorises (PermissionDenied / ValidationError with a message that names the
rule) and runs in one transaction; rows whose state decides what may happen next are locked first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.documents import new_verification_code
from jingxiang.core.services import notification_send
from jingxiang.core.texts import Text
from jingxiang.core.timerules import REASON_FIELD, TimeRuleCheck, enforce_time_rules
from jingxiang.demands import permissions, rules, texts, validation
from jingxiang.demands.models import (
    OPEN_STATUSES,
    ApplicationStatus,
    Category,
    Challenge,
    ChallengeApplication,
    ChallengeCriterion,
    ChallengeMilestone,
    ChallengeReviewer,
    ChallengeScore,
    ChallengeStatus,
    Demand,
    DemandAttachment,
    DemandStatus,
    FeedbackKind,
    Invitation,
    InvitationStatus,
    KnowledgeDocument,
    KnowledgeVersion,
    KnowledgeVersionStatus,
    MatchFeedback,
    MilestoneStatus,
    Proposal,
    ProposalStatus,
    Visibility,
)
from jingxiang.demands.permissions import acts_for_supplier, may_manage_demand
from jingxiang.matchindex.suppliers import parse_key, supplier_organisations, supplier_talents
from jingxiang.organisations.models import Organisation, Role
from jingxiang.organisations.permissions import FIRM_MANAGERS, is_operator, managed_firm_ids
from jingxiang.organisations.selectors import operators

DUPLICATE_THRESHOLD = 0.45
"""Bigram Jaccard similarity above which a new demand is flagged as a likely duplicate."""
DEFAULT_CRITERIA = (("技术方案可行性", 40), ("团队能力与业绩", 25), ("进度计划", 20), ("费用合理性", 15))
DEMAND_FIELDS = (
    "title",
    "category",
    "description",
    "budget",
    "deadline",
    "hours_needed",
    "region",
    "visibility",
)


def _demand_url(demand: Demand) -> str:
    return reverse("demands:detail", args=[demand.pk])


def _firm_managers(organisation_id: int) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__role__in=FIRM_MANAGERS,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
    )


def _supplier_users(*, talent: Any = None, organisation: Any = None) -> list[Any]:
    """Who hears about an invitation: the talent's login, or the organisation's admins."""
    if talent is not None:
        return [talent.user] if talent.user_id and talent.user.is_active else []
    return list(
        get_user_model()
        .objects.filter(
            memberships__organisation=organisation,
            memberships__role=Role.ORG_ADMIN,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
    )


def _notify(users: list[Any], *, message: Text, url: str = "", kind: str = "demand") -> None:
    for user in users:
        notification_send(recipient=user, message=message, url=url, kind=kind)


def _clean_demand_data(data: dict[str, Any], *, actor: Any) -> tuple[dict[str, Any], TimeRuleCheck]:
    """Every rule on a demand's fields, the time rules included, all problems reported at once by field."""
    errors: dict[str, list[ValidationError]] = {}
    cleaned: dict[str, Any] = {}

    def check(field: str, function: Any) -> None:
        try:
            cleaned[field] = function()
        except ValidationError as error:
            errors.setdefault(field, []).append(error)

    check(
        "title", lambda: validation.clean_text(data.get("title", ""), label=_("标题"), minimum=2, maximum=80)
    )
    check(
        "description",
        lambda: validation.clean_text(
            data.get("description", ""),
            label=_("需求描述"),
            minimum=validation.DESCRIPTION_MIN,
            maximum=validation.DESCRIPTION_MAX,
        ),
    )

    def category() -> str:
        value = str(data.get("category", ""))
        if value not in Category.values:
            raise ValidationError(
                _("未知的需求类别“%(value)s”,请从:%(choices)s 中选择。")
                % {"value": value, "choices": _("、").join(str(label) for label in Category.labels)},
                code="unknown_category",
            )
        return value

    check("category", category)

    def visibility() -> str:
        value = str(data.get("visibility") or Visibility.PUBLIC)
        if value not in Visibility.values:
            raise ValidationError(_("未知的可见范围。"), code="unknown_visibility")
        return value

    check("visibility", visibility)

    def budget() -> Decimal | None:
        value = data.get("budget")
        if value in (None, ""):
            return None
        try:
            amount = Decimal(str(value))
        except InvalidOperation as error:
            raise ValidationError(_("预算请填写金额数字,如 50000。"), code="budget") from error
        if not amount.is_finite() or amount < 0 or amount >= Decimal("1e10"):
            raise ValidationError(_("预算必须是 0 到 100 亿元之间的金额。"), code="budget")
        return amount.quantize(Decimal("0.01"))

    check("budget", budget)

    def deadline() -> dt.date | None:
        value = data.get("deadline")
        if value in (None, ""):
            return None
        if not isinstance(value, dt.date):
            raise ValidationError(_("日期格式应为 2026-06-20。"), code="deadline")
        return value

    check("deadline", deadline)

    def hours() -> int:
        value = data.get("hours_needed") or 0
        try:
            number = int(value)
        except (TypeError, ValueError) as error:
            raise ValidationError(_("工时请填写整数小时。"), code="hours") from error
        if not 0 <= number <= 10_000:
            raise ValidationError(_("预计工时应在 0 到 10000 小时之间。"), code="hours")
        return number

    check("hours_needed", hours)

    def region() -> str:
        value = str(data.get("region") or "").strip()
        if value:
            validation.reject_markup(value)
        if len(value) > 50:
            raise ValidationError(_("区域最多 50 字。"), code="region")
        return value

    check("region", region)
    time_check = TimeRuleCheck()
    try:
        time_check = enforce_time_rules(
            rules.DEMAND_RULES, cleaned, actor=actor, reason=data.get(REASON_FIELD, "")
        )
    except ValidationError as error:
        for field, problems in error.error_dict.items():
            errors.setdefault(field, []).extend(problems)
    if errors:
        raise ValidationError(errors)
    return cleaned, time_check


def _save_attachments(*, demand: Demand, actor: Any, files: list[Any]) -> None:
    existing = demand.attachments.count()
    if existing + len(files) > validation.ATTACHMENT_MAX_COUNT:
        raise ValidationError(
            {"attachments": [_("每个需求最多 %(n)s 个附件。") % {"n": validation.ATTACHMENT_MAX_COUNT}]}
        )
    problems = []
    for upload in files:
        try:
            validation.check_attachment(upload)
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError({"attachments": problems})
    for upload in files:
        attachment = DemandAttachment(
            demand=demand, name=upload.name[:200], size=upload.size, uploaded_by=actor
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()


@transaction.atomic
def demand_create(
    *, actor: Any, organisation: Organisation, data: dict[str, Any], files: list[Any] | None = None
) -> Demand:
    """A firm's admin or 共享人才官 writes a demand; it starts as a draft only the firm sees."""
    if organisation.pk not in managed_firm_ids(actor):
        raise PermissionDenied(_("只有已入驻企业的管理员或共享人才官可以发布需求。"))
    cleaned, time_check = _clean_demand_data(data, actor=actor)
    demand = Demand(organisation=organisation, created_by=actor, **cleaned)
    demand.save()
    time_check.record(demand)
    _save_attachments(demand=demand, actor=actor, files=files or [])
    return demand


@transaction.atomic
def demand_update(
    *, actor: Any, demand: Demand, data: dict[str, Any], files: list[Any] | None = None
) -> Demand:
    """Edit a draft (or a demand returned for edits). Published demands are frozen: suppliers answered them."""
    if not may_manage_demand(actor, demand):
        raise PermissionDenied(_("只有发布企业的管理员或共享人才官可以修改需求。"))
    demand = Demand.objects.select_for_update(of=("self",)).get(pk=demand.pk)
    if demand.status != DemandStatus.DRAFT:
        raise ValidationError(
            _("只有草稿状态的需求可以修改;已提交或已发布的需求请联系平台运营。"), code="not_draft"
        )
    cleaned, time_check = _clean_demand_data(data, actor=actor)
    for field, value in cleaned.items():
        setattr(demand, field, value)
    demand.save()
    time_check.record(demand)
    _save_attachments(demand=demand, actor=actor, files=files or [])
    return demand


def _duplicate_candidate(demand: Demand) -> tuple[Demand | None, float | None]:
    """The most similar open or waiting demand of the same firm and category, if similar enough."""
    candidates = Demand.objects.filter(
        organisation_id=demand.organisation_id,
        category=demand.category,
        status__in=[DemandStatus.SCREENING, *OPEN_STATUSES],
        archived_at__isnull=True,
    ).exclude(pk=demand.pk)
    text = f"{demand.title} {demand.description}"
    best, best_score = None, 0.0
    for other in candidates.only("pk", "title", "description"):
        score = validation.similarity(text, f"{other.title} {other.description}")
        if score > best_score:
            best, best_score = other, score
    if best is not None and best_score >= DUPLICATE_THRESHOLD:
        return best, round(best_score, 3)
    return None, None


@transaction.atomic
def demand_submit(*, actor: Any, demand: Demand) -> Demand:
    """Send a draft to the operators for screening; a likely duplicate is flagged for them."""
    if not may_manage_demand(actor, demand):
        raise PermissionDenied(_("只有发布企业的管理员或共享人才官可以提交需求。"))
    demand = Demand.objects.select_for_update(of=("self",)).get(pk=demand.pk)
    if demand.status != DemandStatus.DRAFT:
        raise ValidationError(_("只有草稿可以提交审核。"), code="not_draft")
    demand.duplicate_of, demand.duplicate_score = _duplicate_candidate(demand)
    demand.status = DemandStatus.SCREENING
    demand.submitted_at = timezone.now()
    demand.return_reason = ""
    demand.save()
    _notify(
        operators(),
        message=texts.SCREENING_NEEDED_DUPLICATE(title=demand.title, other=demand.duplicate_of.number)
        if demand.duplicate_of
        else texts.SCREENING_NEEDED(title=demand.title),
        url=_demand_url(demand),
        kind="demand_screening",
    )
    return demand


def _screenable(actor: Any, demand: Demand) -> Demand:
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以审核需求。"))
    demand = Demand.objects.select_for_update(of=("self",)).get(pk=demand.pk)
    if demand.status != DemandStatus.SCREENING:
        raise ValidationError(_("该需求不在待审核状态,可能已被其他运营人员处理。"), code="not_screening")
    return demand


@transaction.atomic
def demand_publish(*, actor: Any, demand: Demand) -> Demand:
    """Operators publish a screened demand: it appears on the board and in suppliers' lists."""
    demand = _screenable(actor, demand)
    demand.status = DemandStatus.PUBLISHED
    demand.published_at = timezone.now()
    demand.screened_by = actor
    demand.save()
    _notify(
        _firm_managers(demand.organisation_id),
        message=texts.PUBLISHED(title=demand.title),
        url=_demand_url(demand),
    )
    return demand


@transaction.atomic
def demand_return(*, actor: Any, demand: Demand, reason: str) -> Demand:
    """Back to the firm as a draft, with the reason they must address."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("退回修改时必须写明原因,企业会看到。"), code="reason_required")
    validation.reject_markup(reason)
    demand = _screenable(actor, demand)
    demand.status = DemandStatus.DRAFT
    demand.return_reason = reason[:300]
    demand.screened_by = actor
    demand.save()
    _notify(
        _firm_managers(demand.organisation_id),
        message=texts.RETURNED(title=demand.title, reason=demand.return_reason),
        url=_demand_url(demand),
    )
    return demand


@transaction.atomic
def demand_merge(*, actor: Any, demand: Demand, into: Demand) -> Demand:
    """A near-duplicate is merged into the firm's existing demand instead of being published twice."""
    demand = _screenable(actor, demand)
    into = Demand.objects.select_for_update(of=("self",)).get(pk=into.pk)
    if into.pk == demand.pk:
        raise ValidationError(_("不能合并到自身。"), code="merge_self")
    if into.organisation_id != demand.organisation_id:
        raise ValidationError(_("只能合并到同一企业的需求。"), code="merge_other_firm")
    if into.status not in {DemandStatus.SCREENING, *OPEN_STATUSES}:
        raise ValidationError(_("只能合并到待审核、已发布或洽谈中的需求。"), code="merge_target_state")
    demand.status = DemandStatus.MERGED
    demand.merged_into = into
    demand.screened_by = actor
    demand.closed_at = timezone.now()
    demand.save()
    _notify(
        _firm_managers(demand.organisation_id),
        message=texts.MERGED(title=demand.title, other=into.number),
        url=_demand_url(into),
    )
    return demand


@transaction.atomic
def demand_archive(*, actor: Any, demand: Demand, reason: str) -> Demand:
    """Operators take a demand off the platform (spam, a firm that left); it is kept, never deleted."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以归档需求。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("归档时请写明原因,企业会收到通知。"), code="reason_required")
    validation.reject_markup(reason)
    demand = Demand.objects.select_for_update(of=("self",)).get(pk=demand.pk)
    if demand.archived_at is not None:
        raise ValidationError(_("该需求已归档。"), code="archived")
    if Challenge.objects.filter(
        demand=demand, status__in=[ChallengeStatus.REVIEWING, ChallengeStatus.AWARDED]
    ).exists():
        raise ValidationError(_("该需求的揭榜挂帅正在评审或实施中,不能归档。"), code="challenge_running")
    demand.archived_at = timezone.now()
    demand.save()
    _notify(
        _firm_managers(demand.organisation_id),
        message=texts.ARCHIVED(title=demand.title, reason=reason[:300]),
        url=_demand_url(demand),
    )
    return demand


def _supplier_from_key(key: str) -> tuple[Any, Any]:
    """(talent, organisation) for a key "T-3" / "O-7", only if it is a current supplier."""
    try:
        kind, pk = parse_key(key)
    except ValueError as error:
        raise ValidationError(_("请选择要邀请的专家或机构。"), code="supplier") from error
    if kind == "talent":
        talent = supplier_talents().select_related("user").filter(pk=pk).first()
        if talent is None:
            raise ValidationError(_("该人才不存在或已停止提供服务。"), code="supplier")
        return talent, None
    organisation = supplier_organisations().filter(pk=pk).first()
    if organisation is None:
        raise ValidationError(_("只能邀请已入驻的高校、检测机构或服务机构。"), code="supplier")
    return None, organisation


def _feedback(
    demand: Demand,
    *,
    talent_id: int | None,
    organisation_id: int | None,
    kind: str,
    rating: int | None = None,
) -> None:
    key = f"T-{talent_id}" if talent_id else f"O-{organisation_id}"
    MatchFeedback.objects.create(demand=demand, supplier_key=key, kind=kind, rating=rating)


@transaction.atomic
def invitation_create(
    *,
    actor: Any,
    demand: Demand,
    supplier_key: str,
    message: str = "",
    score: float | None = None,
    why: list[str] | None = None,
) -> Invitation:
    """The firm invites a suggested (or any) supplier to answer its published demand."""
    if not may_manage_demand(actor, demand):
        raise PermissionDenied(_("只有发布企业的管理员或共享人才官可以邀请对接。"))
    demand = Demand.objects.select_for_update(of=("self",)).get(pk=demand.pk)
    if demand.status not in OPEN_STATUSES:
        raise ValidationError(_("需求发布后、对接达成前才能邀请专家或机构。"), code="not_open")
    message = (message or "").strip()
    if message:
        validation.reject_markup(message)
    talent, organisation = _supplier_from_key(supplier_key)
    if talent is not None and talent.home_organisation_id == demand.organisation_id:
        raise ValidationError(_("不能邀请本企业自己的人员。"), code="own_staff")
    if talent is not None and (talent.user_id is None or not talent.user.is_active):
        raise ValidationError(
            _("%(name)s 尚未开通平台账号,无法在线回复邀请;请通过其所在单位或人才共享驿站联系。")
            % {"name": talent.name},
            code="no_login",
        )
    duplicate = Invitation.objects.filter(demand=demand, talent=talent, organisation=organisation).exists()
    if duplicate:
        raise ValidationError(
            _("已经邀请过%(name)s,请等待对方回复。") % {"name": talent or organisation},
            code="already_invited",
        )
    invitation = Invitation.objects.create(
        demand=demand,
        talent=talent,
        organisation=organisation,
        invited_by=actor,
        message=message[:300],
        score=score,
        why=list(why or [])[:12],
    )
    recipients = _supplier_users(talent=talent, organisation=organisation)
    _notify(
        recipients,
        message=texts.INVITED(firm=demand.organisation.name, title=demand.title, note=invitation.message),
        url=_demand_url(demand),
        kind="demand_invitation",
    )
    return invitation


@transaction.atomic
def invitation_decline(*, actor: Any, invitation: Invitation, reason: str) -> Invitation:
    """The supplier declines; the reason is kept and tells the engine this was not a fit."""
    if not acts_for_supplier(
        actor, talent_id=invitation.talent_id, organisation_id=invitation.organisation_id
    ):
        raise PermissionDenied(_("只有被邀请的专家或机构可以回复邀请。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("婉拒时请简单说明原因(如:时间排不开、不在擅长领域)。"), code="reason_required"
        )
    validation.reject_markup(reason)
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("demand").get(pk=invitation.pk)
    )
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("该邀请已经回复过了。"), code="already_answered")
    invitation.status = InvitationStatus.DECLINED
    invitation.decline_reason = reason[:300]
    invitation.responded_by = actor
    invitation.responded_at = timezone.now()
    invitation.save()
    _feedback(
        invitation.demand,
        talent_id=invitation.talent_id,
        organisation_id=invitation.organisation_id,
        kind=FeedbackKind.DECLINED,
    )
    _notify(
        _firm_managers(invitation.demand.organisation_id),
        message=texts.INVITATION_DECLINED(name=invitation.supplier_name, reason=invitation.decline_reason),
        url=_demand_url(invitation.demand),
    )
    return invitation


@transaction.atomic
def proposal_submit(
    *,
    actor: Any,
    demand: Demand,
    supplier_key: str,
    summary: str,
    price: Decimal | None = None,
    hours: int | None = None,
) -> Proposal:
    """A supplier answers an open demand with a short proposal (accepting an invitation if there is one)."""
    talent, organisation = _supplier_from_key(supplier_key)
    if not acts_for_supplier(
        actor,
        talent_id=talent.pk if talent else None,
        organisation_id=organisation.pk if organisation else None,
    ):
        raise PermissionDenied(_("只能以本人或本机构的名义提交方案。"))
    summary = validation.clean_text(summary, label=_("方案简述"), minimum=10, maximum=1000)
    if price is not None and price < 0:
        raise ValidationError({"price": [_("报价不能为负数。")]})
    if hours is not None and not 0 <= hours <= 10_000:
        raise ValidationError({"hours": [_("工时应在 0 到 10000 小时之间。")]})
    if not Demand.objects.visible_to(actor).filter(pk=demand.pk).exists():
        raise PermissionDenied
    demand = Demand.objects.select_for_update(of=("self",)).get(pk=demand.pk)
    if demand.status not in OPEN_STATUSES:
        raise ValidationError(_("该需求已不再接受方案(已对接或已关闭)。"), code="not_open")
    if (talent and talent.home_organisation_id == demand.organisation_id) or (
        organisation and organisation.pk == demand.organisation_id
    ):
        raise ValidationError(_("不能对本企业自己的需求提交方案。"), code="own_demand")
    if Proposal.objects.filter(
        demand=demand, talent=talent, organisation=organisation, status=ProposalStatus.SUBMITTED
    ).exists():
        raise ValidationError(_("您已提交过方案,请等待企业决定。"), code="already_proposed")
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .filter(demand=demand, talent=talent, organisation=organisation)
        .first()
    )
    if invitation is not None and invitation.status == InvitationStatus.PENDING:
        invitation.status = InvitationStatus.ACCEPTED
        invitation.responded_by = actor
        invitation.responded_at = timezone.now()
        invitation.save()
        _feedback(
            demand,
            talent_id=invitation.talent_id,
            organisation_id=invitation.organisation_id,
            kind=FeedbackKind.ACCEPTED,
        )
    proposal = Proposal.objects.create(
        demand=demand,
        invitation=invitation,
        talent=talent,
        organisation=organisation,
        submitted_by=actor,
        summary=summary,
        price=price,
        hours=hours,
    )
    if demand.status == DemandStatus.PUBLISHED:
        demand.status = DemandStatus.IN_TALKS
        demand.save()
    _notify(
        _firm_managers(demand.organisation_id),
        message=texts.PROPOSAL_SUBMITTED(
            name=proposal.supplier_name, title=demand.title, summary=summary[:200]
        ),
        url=_demand_url(demand),
        kind="demand_proposal",
    )
    return proposal


@transaction.atomic
def proposal_decide(*, actor: Any, proposal: Proposal, accept: bool, reason: str = "") -> Proposal:
    """The firm accepts a proposal (the demand is matched, other proposals are declined) or declines it."""
    if not may_manage_demand(actor, proposal.demand):
        raise PermissionDenied(_("只有发布企业的管理员或共享人才官可以决定方案。"))
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(_("不采纳时请写明原因,对方会看到。"), code="reason_required")
    if reason:
        validation.reject_markup(reason)
    demand = Demand.objects.select_for_update(of=("self",)).get(pk=proposal.demand_id)
    proposal = Proposal.objects.select_for_update(of=("self",)).get(pk=proposal.pk)
    if proposal.status != ProposalStatus.SUBMITTED:
        raise ValidationError(_("该方案已经决定过了。"), code="already_decided")
    if demand.status not in OPEN_STATUSES:
        raise ValidationError(_("需求已对接或已关闭,不能再决定方案。"), code="not_open")
    now = timezone.now()
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    proposal.decided_by, proposal.decided_at, proposal.decision_reason = actor, now, reason[:300]
    proposal.save()
    told = [proposal]
    if accept:
        demand.status = DemandStatus.MATCHED
        demand.matched_proposal = proposal
        demand.matched_at = now
        demand.save()
        for other in Proposal.objects.select_for_update(of=("self",)).filter(
            demand=demand, status=ProposalStatus.SUBMITTED
        ):
            other.status = ProposalStatus.DECLINED
            other.decided_by, other.decided_at = actor, now
            other.decision_reason = _("企业已采纳其他方案。")
            other.save()
            told.append(other)
    for item in told:
        answer = (
            texts.PROPOSAL_ACCEPTED if item.status == ProposalStatus.ACCEPTED else texts.PROPOSAL_DECLINED
        )
        # The others' stored reason is the platform's own sentence: send it as a text, not in one language.
        reason = item.decision_reason if item.pk == proposal.pk else texts.OTHER_CHOSEN()
        _notify(
            _supplier_users(talent=item.talent, organisation=item.organisation) or [item.submitted_by],
            message=answer(title=demand.title, reason=reason),
            url=_demand_url(demand),
        )
    return proposal


@transaction.atomic
def demand_close(
    *, actor: Any, demand: Demand, solved: bool | None, notes: str, rating: int | None = None
) -> Demand:
    """Close with the outcome. A matched demand needs a 1–5 rating of the engagement (which the engine
    learns from); an unmatched one is withdrawn with a note."""
    if not may_manage_demand(actor, demand):
        raise PermissionDenied(_("只有发布企业的管理员或共享人才官可以关闭需求。"))
    notes = (notes or "").strip()
    if notes:
        validation.reject_markup(notes)
    demand = Demand.objects.select_for_update(of=("self",)).get(pk=demand.pk)
    if demand.status in {DemandStatus.CLOSED, DemandStatus.MERGED}:
        raise ValidationError(_("该需求已经关闭。"), code="closed")
    if hasattr(demand, "challenge") and demand.challenge.status != ChallengeStatus.CLOSED:
        raise ValidationError(_("该需求已设为揭榜挂帅,请在榜单结项时记录结果。"), code="challenge")
    if demand.status == DemandStatus.MATCHED:
        if solved is None:
            raise ValidationError({"solved": [_("请说明问题是否已解决。")]})
        if rating is None or not 1 <= int(rating) <= 5:
            raise ValidationError({"rating": [_("请为这次合作打分(1–5 分)。")]})
        proposal = demand.matched_proposal
        assert proposal is not None
        _feedback(
            demand,
            talent_id=proposal.talent_id,
            organisation_id=proposal.organisation_id,
            kind=FeedbackKind.RATED,
            rating=int(rating),
        )
        demand.rating = int(rating)
    else:
        if not notes:
            raise ValidationError({"notes": [_("未对接就关闭时,请写明原因。")]})
        rating = None
    demand.solved = solved if demand.status == DemandStatus.MATCHED else False
    demand.outcome_notes = notes
    demand.status = DemandStatus.CLOSED
    demand.closed_at = timezone.now()
    demand.save()
    return demand


def demands_rerank_all(*, progress: Any = None, top: int = 10) -> int:
    """Re-rank every open demand and keep the result on the demand (background job)."""
    from jingxiang.demands.selectors import demand_suggestions

    demand_ids = list(Demand.objects.open().order_by("pk").values_list("pk", flat=True))
    total = len(demand_ids)
    for done, demand_id in enumerate(demand_ids, start=1):
        demand = Demand.objects.select_related("organisation").get(pk=demand_id)
        suggestions = demand_suggestions(demand, top=top)
        Demand.objects.filter(pk=demand_id).update(
            ranking=[
                {
                    "key": f"{'T' if s.kind == 'talent' else 'O'}-{s.object_id}",
                    "name": s.name,
                    "score": round(s.score, 4),
                }
                for s in suggestions
            ],
            ranked_at=timezone.now(),
        )
        if progress and (done % 10 == 0 or done == total):
            progress(int(done * 100 / max(total, 1)), texts.RERANK_PROGRESS(n=done, t=total))
    return total


# -- knowledge tables ----------------------------------------------------------------------------------


def knowledge_problems(document: str, content: str) -> list[str]:
    """Every problem with an edited table, found by loading it with the engine's own loader."""
    from jingxiang.demands.selectors import active_overrides
    from jingxiang.matching import KnowledgeError, load_knowledge

    if document not in KnowledgeDocument.values:
        return [_("未知的知识表。")]
    try:
        parsed = yaml.safe_load(content)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _("第 %(line)s 行") % {"line": mark.line + 1} if mark is not None else ""
        return [
            _("YAML 格式错误%(where)s:%(problem)s")
            % {"where": where, "problem": getattr(error, "problem", error)}
        ]
    if not isinstance(parsed, dict):
        return [_("内容的最外层必须是键值对(mapping)。")]
    _key, overrides = active_overrides()
    overrides[document] = parsed
    try:
        load_knowledge(overrides=overrides)
    except KnowledgeError as error:
        return list(error.problems)
    except (TypeError, ValueError, AttributeError, KeyError) as error:
        return [_("结构不符合要求:%(error)s") % {"error": error}]
    return []


@transaction.atomic
def knowledge_version_save(*, actor: Any, document: str, content: str, note: str) -> KnowledgeVersion:
    """Save an operator's edited table as a new version (only if the engine loads it) and start the index
    rebuild that activates it."""
    from jingxiang.jobs.services import job_enqueue
    from jingxiang.matchindex.handlers import REBUILD

    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以修改匹配知识表。"))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请写明修改说明,便于日后追溯。")]})
    validation.reject_markup(note)
    problems = knowledge_problems(document, content)
    if problems:
        raise ValidationError({"content": problems})
    last = (
        KnowledgeVersion.objects.select_for_update(of=("self",))
        .filter(document=document)
        .order_by("-version")
        .first()
    )
    version = KnowledgeVersion.objects.create(
        document=document,
        version=(last.version + 1) if last else 1,
        content=content,
        note=note[:200],
        created_by=actor,
    )
    job_enqueue(
        kind=REBUILD,
        title=texts.REBUILD_TITLE(doc=KnowledgeDocument(version.document).label, v=version.version),
        created_by=actor,
        params={"version_id": version.pk},
    )
    return version


def knowledge_version_activate(*, version_id: int) -> None:
    """Make the version the active one of its document (called by the index rebuild once it built)."""
    version = KnowledgeVersion.objects.get(pk=version_id)
    with transaction.atomic():
        KnowledgeVersion.objects.filter(
            document=version.document, status=KnowledgeVersionStatus.ACTIVE
        ).update(status=KnowledgeVersionStatus.SUPERSEDED)
        KnowledgeVersion.objects.filter(pk=version.pk).update(
            status=KnowledgeVersionStatus.ACTIVE, activated_at=timezone.now()
        )


def knowledge_version_reject(*, version_id: int) -> None:
    """The version's tables do not load: it never becomes active."""
    KnowledgeVersion.objects.filter(pk=version_id).update(status=KnowledgeVersionStatus.FAILED)


# -- 揭榜挂帅 challenges ---------------------------------------------------------------------------------


def _parse_criteria(criteria: list[tuple[str, int]] | None) -> list[tuple[str, int]]:
    rows = list(criteria or DEFAULT_CRITERIA)
    if not rows:
        raise ValidationError({"criteria": [_("至少要有一个评分项。")]})
    names = [name for name, _weight in rows]
    if any(not name.strip() for name in names) or len(set(names)) != len(names):
        raise ValidationError({"criteria": [_("评分项名称不能为空,也不能重复。")]})
    if any(weight <= 0 for _name, weight in rows):
        raise ValidationError({"criteria": [_("每个评分项的权重必须大于 0。")]})
    total = sum(weight for _name, weight in rows)
    if total != 100:
        raise ValidationError({"criteria": [_("评分项权重之和必须是 100,现在是 %(n)s。") % {"n": total}]})
    return rows


@transaction.atomic
def challenge_create(
    *,
    actor: Any,
    demand: Demand,
    title: str,
    award_amount: Decimal,
    deadline: dt.date,
    ip_terms: str,
    deliverables: str,
    criteria: list[tuple[str, int]] | None = None,
    backdate_reason: str = "",
) -> Challenge:
    """An operator promotes a published public demand to a 揭榜挂帅 challenge with a weighted scorecard.

    The application deadline lies after today (``rules.CHALLENGE_RULES``); an operator entering a
    challenge that ran before the platform gives ``backdate_reason``, which is kept as an override."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以发布揭榜挂帅榜单。"))
    demand = Demand.objects.select_for_update(of=("self",)).get(pk=demand.pk)
    if demand.status not in OPEN_STATUSES:
        raise ValidationError(_("只有已发布且未对接的需求可以设为揭榜挂帅。"), code="not_open")
    if demand.visibility != Visibility.PUBLIC:
        raise ValidationError(
            _("揭榜挂帅榜单是公开的,只有可见范围为“公开”的需求可以设为榜单。"), code="not_public"
        )
    if Challenge.objects.filter(demand=demand).exists():
        raise ValidationError(_("该需求已经是揭榜挂帅榜单。"), code="already_challenge")
    errors: dict[str, list[str]] = {}
    try:
        title = validation.clean_text(title, label=_("榜单名称"), minimum=2, maximum=80)
    except ValidationError as error:
        errors["title"] = error.messages
    for field, label, value in (
        ("ip_terms", _("知识产权约定"), ip_terms),
        ("deliverables", _("交付成果要求"), deliverables),
    ):
        try:
            validation.clean_text(value, label=label, minimum=2, maximum=3000)
        except ValidationError as error:
            errors[field] = error.messages
    if award_amount is None or award_amount <= 0:
        errors["award_amount"] = [_("榜额必须大于 0。")]
    if deadline is None:
        errors["deadline"] = [_("请填写揭榜截止日期。")]
    try:
        time_check = enforce_time_rules(
            rules.CHALLENGE_RULES,
            {"deadline": deadline, "today": timezone.localdate()},
            actor=actor,
            reason=backdate_reason,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        rows = _parse_criteria(criteria)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    challenge = Challenge.objects.create(
        demand=demand,
        title=title,
        award_amount=award_amount,
        deadline=deadline,
        ip_terms=ip_terms.strip(),
        deliverables=deliverables.strip(),
        created_by=actor,
    )
    time_check.record(challenge)
    ChallengeCriterion.objects.bulk_create(
        ChallengeCriterion(challenge=challenge, name=name.strip(), weight=weight, order=index)
        for index, (name, weight) in enumerate(rows)
    )
    _notify(
        _firm_managers(demand.organisation_id),
        message=texts.CHALLENGE_SET(title=title),
        url=reverse("demands:challenge_detail", args=[challenge.pk]),
    )
    return challenge


@transaction.atomic
def challenge_apply(
    *, actor: Any, challenge: Challenge, supplier_key: str, team: str, proposal: str
) -> ChallengeApplication:
    """A team (an expert with a login, or an approved university, lab or agency) takes up the challenge."""
    talent, organisation = _supplier_from_key(supplier_key)
    if not acts_for_supplier(
        actor,
        talent_id=talent.pk if talent else None,
        organisation_id=organisation.pk if organisation else None,
    ):
        raise PermissionDenied(_("只能以本人或本机构的名义揭榜。"))
    challenge = (
        Challenge.objects.select_for_update(of=("self",)).select_related("demand").get(pk=challenge.pk)
    )
    if challenge.status != ChallengeStatus.OPEN or challenge.archived_at is not None:
        raise ValidationError(_("该榜单已停止揭榜。"), code="not_open")
    if challenge.deadline < timezone.localdate():
        raise ValidationError(_("已过揭榜截止日期。"), code="deadline_passed")
    if talent is not None and talent.home_organisation_id == challenge.demand.organisation_id:
        raise ValidationError(_("发榜企业自己的人员不能揭榜。"), code="own_firm")
    errors: dict[str, list[str]] = {}
    try:
        team = validation.clean_text(team, label=_("团队成员"), minimum=2, maximum=300)
    except ValidationError as error:
        errors["team"] = error.messages
    try:
        proposal = validation.clean_text(proposal, label=_("揭榜方案"), minimum=20, maximum=5000)
    except ValidationError as error:
        errors["proposal"] = error.messages
    if errors:
        raise ValidationError(errors)
    if ChallengeApplication.objects.filter(
        challenge=challenge, talent=talent, organisation=organisation
    ).exists():
        raise ValidationError(_("您已经揭榜,不能重复申请。"), code="already_applied")
    application = ChallengeApplication.objects.create(
        challenge=challenge,
        talent=talent,
        organisation=organisation,
        submitted_by=actor,
        team=team,
        proposal=proposal,
    )
    _notify(
        operators(),
        message=texts.CHALLENGE_APPLIED(title=challenge.title, supplier=application.supplier_name),
        url=reverse("demands:challenge_detail", args=[challenge.pk]),
        kind="challenge",
    )
    return application


@transaction.atomic
def challenge_reviewer_invite(*, actor: Any, challenge: Challenge, user: Any) -> ChallengeReviewer:
    """Operators invite reviewers; anyone from the firm's or an applicant's organisation is refused."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以邀请评审专家。"))
    challenge = (
        Challenge.objects.select_for_update(of=("self",))
        .select_related("demand__organisation")
        .get(pk=challenge.pk)
    )
    if challenge.status not in {ChallengeStatus.OPEN, ChallengeStatus.REVIEWING}:
        raise ValidationError(_("已选定揭榜方,不能再邀请评审专家。"), code="closed")
    if user is None or not user.is_active:
        raise ValidationError({"user": [_("找不到该用户。")]})
    if ChallengeReviewer.objects.filter(challenge=challenge, user=user).exists():
        raise ValidationError({"user": [_("%(user)s 已是本榜单的评审专家。") % {"user": user}]})
    conflicts = permissions.reviewer_conflicts(user, challenge)
    if conflicts:
        raise ValidationError({"user": conflicts})
    reviewer = ChallengeReviewer.objects.create(challenge=challenge, user=user, invited_by=actor)
    notification_send(
        recipient=user,
        message=texts.REVIEWER_INVITED(title=challenge.title),
        url=reverse("demands:challenge_detail", args=[challenge.pk]),
        kind="challenge",
    )
    return reviewer


@transaction.atomic
def challenge_start_review(*, actor: Any, challenge: Challenge) -> Challenge:
    """Close applications and open scoring."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以开始评审。"))
    challenge = Challenge.objects.select_for_update(of=("self",)).get(pk=challenge.pk)
    if challenge.status != ChallengeStatus.OPEN:
        raise ValidationError(_("榜单不在揭榜中。"), code="not_open")
    if not challenge.applications.exists():
        raise ValidationError(_("还没有人揭榜,不能开始评审。"), code="no_applications")
    if not challenge.reviewers.exists():
        raise ValidationError(_("请先邀请至少一位评审专家。"), code="no_reviewers")
    challenge.status = ChallengeStatus.REVIEWING
    challenge.save()
    return challenge


@transaction.atomic
def challenge_score(
    *, actor: Any, application: ChallengeApplication, scores: dict[int, int]
) -> list[ChallengeScore]:
    """A reviewer scores one application on every criterion (0–10); conflicted reviewers are refused."""
    challenge = (
        Challenge.objects.select_for_update(of=("self",))
        .select_related("demand__organisation")
        .get(pk=application.challenge_id)
    )
    reviewer = ChallengeReviewer.objects.filter(challenge=challenge, user=actor).first()
    if reviewer is None:
        raise PermissionDenied(_("只有受邀的评审专家可以评分。"))
    if challenge.status != ChallengeStatus.REVIEWING:
        raise ValidationError(_("榜单不在评审阶段,不能评分。"), code="not_reviewing")
    conflicts = permissions.reviewer_conflicts(actor, challenge, application)
    if conflicts:
        raise ValidationError(conflicts, code="conflict")
    criteria = list(challenge.criteria.all())
    missing = [c.name for c in criteria if c.pk not in scores]
    if missing:
        raise ValidationError(_("请为每个评分项打分,缺少:%(names)s。") % {"names": _("、").join(missing)})
    bad = [c.name for c in criteria if not 0 <= int(scores[c.pk]) <= 10]
    if bad:
        raise ValidationError(_("分数必须是 0–10 的整数:%(names)s。") % {"names": _("、").join(bad)})
    saved = []
    for criterion in criteria:
        score, _created = ChallengeScore.objects.update_or_create(
            application=application,
            reviewer=reviewer,
            criterion=criterion,
            defaults={"score": int(scores[criterion.pk])},
        )
        saved.append(score)
    return saved


@transaction.atomic
def challenge_select_winner(
    *, actor: Any, challenge: Challenge, application: ChallengeApplication, reason: str = ""
) -> Challenge:
    """The operator selects the winner; choosing other than the best weighted score needs a reason."""
    from jingxiang.demands.selectors import weighted_scores

    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以选定揭榜方。"))
    challenge = Challenge.objects.select_for_update(of=("self",)).get(pk=challenge.pk)
    if challenge.status != ChallengeStatus.REVIEWING:
        raise ValidationError(_("只有评审中的榜单可以选定揭榜方。"), code="not_reviewing")
    if application.challenge_id != challenge.pk:
        raise ValidationError(_("该申请不属于本榜单。"), code="wrong_challenge")
    ranking = weighted_scores(challenge)
    scored = [row for row in ranking if row["score"] is not None]
    if not scored:
        raise ValidationError(_("还没有任何评分,请等评审专家评分后再选定。"), code="no_scores")
    reason = (reason or "").strip()
    if reason:
        validation.reject_markup(reason)
    best = scored[0]
    if best["application"].pk != application.pk and not reason:
        raise ValidationError(
            {
                "reason": [
                    _("所选揭榜方不是加权得分最高的(最高为 %(name)s),请写明理由。")
                    % {"name": best["application"].supplier_name}
                ]
            }
        )
    now = timezone.now()
    challenge.status = ChallengeStatus.AWARDED
    challenge.winner = application
    challenge.winner_reason = reason[:300]
    challenge.selected_at = now
    challenge.verify_code = new_verification_code()
    challenge.save()
    ChallengeApplication.objects.filter(challenge=challenge).exclude(pk=application.pk).update(
        status=ApplicationStatus.NOT_SELECTED
    )
    ChallengeApplication.objects.filter(pk=application.pk).update(status=ApplicationStatus.WINNER)
    Demand.objects.filter(pk=challenge.demand_id).update(status=DemandStatus.MATCHED, matched_at=now)
    winner_users = _supplier_users(talent=application.talent, organisation=application.organisation)
    _notify(
        winner_users or [application.submitted_by],
        message=texts.CHALLENGE_WON(title=challenge.title),
        url=reverse("demands:challenge_detail", args=[challenge.pk]),
        kind="challenge",
    )
    return challenge


@transaction.atomic
def challenge_plan_set(
    *,
    actor: Any,
    challenge: Challenge,
    milestones: list[tuple[str, dt.date, Decimal]],
    backdate_reason: str = "",
) -> list[ChallengeMilestone]:
    """Milestones with the instalment paid on each acceptance; instalments must add up to the award.

    Every problem of the plan is reported at once: names, amounts, the total, and the time rules of each
    milestone (``rules.MILESTONE_RULES``: not in the past unless an operator gives ``backdate_reason``,
    never due before the milestone it follows)."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以制定里程碑与付款计划。"))
    challenge = Challenge.objects.select_for_update(of=("self",)).get(pk=challenge.pk)
    if challenge.status != ChallengeStatus.AWARDED:
        raise ValidationError(_("选定揭榜方后、结项前才能制定里程碑。"), code="not_awarded")
    if challenge.milestones.exists():
        raise ValidationError(_("里程碑与付款计划已经制定,不能重复制定。"), code="plan_exists")
    if not milestones:
        raise ValidationError(_("至少要有一个里程碑。"), code="empty_plan")
    problems = []
    time_checks: list[TimeRuleCheck] = []
    previous = None
    for index, (title, due, amount) in enumerate(milestones, start=1):
        if not (title or "").strip():
            problems.append(_("第 %(n)s 个里程碑缺少名称。") % {"n": index})
        if amount is None or amount <= 0:
            problems.append(_("第 %(n)s 个里程碑的付款金额必须大于 0。") % {"n": index})
        try:
            time_checks.append(
                enforce_time_rules(
                    rules.MILESTONE_RULES,
                    {"due_date": due, "previous_due_date": previous},
                    actor=actor,
                    reason=backdate_reason,
                )
            )
        except ValidationError as error:
            problems.extend(
                _("第 %(n)s 个里程碑:%(problem)s") % {"n": index, "problem": message}
                for message in error.messages
            )
        previous = due
    total = sum((amount for _t, _d, amount in milestones if amount is not None), Decimal("0"))
    if total != challenge.award_amount:
        problems.append(
            _("各期付款合计 ¥%(total)s,与榜额 ¥%(award)s 不一致。")
            % {"total": f"{total:,.2f}", "award": f"{challenge.award_amount:,.2f}"}
        )
    if problems:
        raise ValidationError(problems)
    saved = []
    for index, ((title, due, amount), time_check) in enumerate(zip(milestones, time_checks, strict=True)):
        milestone = ChallengeMilestone.objects.create(
            challenge=challenge, title=title.strip(), due_date=due, payment=amount, order=index
        )
        time_check.record(milestone)
        saved.append(milestone)
    return saved


@transaction.atomic
def milestone_accept(*, actor: Any, milestone: ChallengeMilestone, note: str = "") -> ChallengeMilestone:
    """The firm (or an operator) accepts a delivered milestone, which makes its instalment payable."""
    milestone = (
        ChallengeMilestone.objects.select_for_update(of=("self",))
        .select_related("challenge__demand")
        .get(pk=milestone.pk)
    )
    if not permissions.may_accept_milestones(actor, milestone.challenge):
        raise PermissionDenied(_("只有发榜企业或平台运营人员可以验收。"))
    if milestone.challenge.status != ChallengeStatus.AWARDED:
        raise ValidationError(_("榜单不在实施阶段。"), code="not_awarded")
    if milestone.status == MilestoneStatus.ACCEPTED:
        raise ValidationError(_("该里程碑已验收。"), code="already_accepted")
    note = (note or "").strip()
    if note:
        validation.reject_markup(note)
    milestone.status = MilestoneStatus.ACCEPTED
    milestone.accepted_by = actor
    milestone.accepted_at = timezone.now()
    milestone.acceptance_note = note[:300]
    milestone.save()
    return milestone


@transaction.atomic
def milestone_pay(*, actor: Any, milestone: ChallengeMilestone, reference: str) -> ChallengeMilestone:
    """Record the payment of an accepted milestone's instalment."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以登记付款。"))
    milestone = ChallengeMilestone.objects.select_for_update(of=("self",)).get(pk=milestone.pk)
    if milestone.status != MilestoneStatus.ACCEPTED:
        raise ValidationError(_("里程碑验收通过后才能付款。"), code="not_accepted")
    if milestone.paid_at is not None:
        raise ValidationError(_("该期款项已登记付款。"), code="already_paid")
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError(_("请填写付款凭证号。"), code="reference_required")
    validation.reject_markup(reference)
    milestone.paid_at = timezone.now()
    milestone.payment_reference = reference[:60]
    milestone.save()
    return milestone


@transaction.atomic
def challenge_close(*, actor: Any, challenge: Challenge, notes: str, solved: bool) -> Challenge:
    """Close the challenge when every milestone is accepted and paid; the demand closes with the outcome."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以结项。"))
    challenge = Challenge.objects.select_for_update(of=("self",)).get(pk=challenge.pk)
    if challenge.status != ChallengeStatus.AWARDED:
        raise ValidationError(_("只有已选定揭榜方的榜单可以结项。"), code="not_awarded")
    milestones = list(challenge.milestones.all())
    if not milestones:
        raise ValidationError(_("请先制定里程碑与付款计划。"), code="no_plan")
    open_items = [m.title for m in milestones if m.status != MilestoneStatus.ACCEPTED or m.paid_at is None]
    if open_items:
        raise ValidationError(_("以下里程碑尚未验收或付款:%(items)s。") % {"items": _("、").join(open_items)})
    notes = validation.clean_text(notes, label=_("结项说明"), minimum=4, maximum=3000)
    now = timezone.now()
    challenge.status = ChallengeStatus.CLOSED
    challenge.closed_at = now
    challenge.outcome_notes = notes
    challenge.save()
    Demand.objects.filter(pk=challenge.demand_id).update(
        status=DemandStatus.CLOSED, closed_at=now, solved=solved, outcome_notes=notes
    )
    return challenge
