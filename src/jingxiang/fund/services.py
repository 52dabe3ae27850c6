"""Writes of the talent fund: keyword-only, authorised here, one transaction each, audited.

Money moves only through ``_move`` which locks the fund row (``select_for_update``) and the award row,
checks what is available, and writes a ledger entry; the database's CHECK constraints refuse any fund
or award row that would go below zero even if a code path forgot to lock.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.documents import new_verification_code
from jingxiang.core.numbering import next_number
from jingxiang.core.services import notification_send
from jingxiang.core.texts import Text
from jingxiang.core.timerules import enforce_time_rules
from jingxiang.fund import review, texts
from jingxiang.fund import rules as fund_rules
from jingxiang.fund.catalogue import attachment_kinds, catalogue, defaults
from jingxiang.fund.models import (
    ZERO,
    Appeal,
    AppealStatus,
    AppStatus,
    Attachment,
    Award,
    AwardKind,
    AwardStatus,
    CallRule,
    CallStatus,
    DiligenceItem,
    EliteGrade,
    EntryKind,
    Fund,
    FundApplication,
    FundCall,
    FundReviewer,
    IPItem,
    LedgerEntry,
    ProgressReport,
    Recovery,
    ReviewCriterion,
    RuleKind,
    Stage,
    TalentTier,
    TeamMember,
    Tranche,
    TrancheStatus,
)
from jingxiang.organisations.models import Membership
from jingxiang.organisations.permissions import FIRM_MANAGERS, is_operator, managed_firm_ids
from jingxiang.reviewing import services as review_services

APPLICATION_FIELDS = (
    "project_title",
    "summary",
    "talent_name",
    "talent_tier",
    "elite_grade",
    "founder_equity",
    "registered_town",
    "registration_date",
    "requested_amount",
    "ip_summary",
    "tags",
    "revenue_last_year",
    "investment_raised",
    "employees",
)


def _require_operator(actor: Any) -> None:
    if not is_operator(actor):
        raise PermissionDenied


def _require_firm(actor: Any, organisation_id: int) -> None:
    if organisation_id not in managed_firm_ids(actor):
        raise PermissionDenied


def _refuse(message: str, field: str | None = None, code: str = "invalid") -> ValidationError:
    if field:
        return ValidationError({field: [ValidationError(message, code=code)]})
    return ValidationError(message, code=code)


def _notify_firm(application: FundApplication, message: Text) -> None:
    url = reverse("fund:application", args=[application.pk])

    def send(user: Any) -> None:
        notification_send(recipient=user, message=message, url=url, kind="fund")

    for membership in (
        Membership.objects.active()
        .filter(organisation_id=application.organisation_id, role__in=FIRM_MANAGERS)
        .select_related("user")
    ):
        transaction.on_commit(functools.partial(send, membership.user))


def _lock_application(application: FundApplication) -> FundApplication:
    locked: FundApplication = (
        FundApplication.objects.select_for_update(of=("self",)).select_related("call").get(pk=application.pk)
    )
    return locked


def _expect(application: FundApplication, *statuses: str) -> None:
    if application.status not in statuses:
        raise _refuse(
            _("申请当前状态为“%(s)s”,不能进行此操作。") % {"s": application.get_status_display()},
            code="state",
        )


# Catalogue ---------------------------------------------------------------------------------------------


def _dated(actor: Any, data: Mapping[str, Any]) -> None:
    enforce_time_rules(fund_rules.DATED_RULES, data, actor=actor)


@transaction.atomic
def tier_save(*, actor: Any, data: Mapping[str, Any], tier: TalentTier | None = None) -> TalentTier:
    _require_operator(actor)
    _dated(actor, data)
    tier = tier or TalentTier()
    for name in ("code", "name", "rank", "valid_from", "valid_to", "source"):
        setattr(tier, name, data.get(name, getattr(tier, name)))
    tier.full_clean()
    tier.save()
    return tier


@transaction.atomic
def grade_save(*, actor: Any, data: Mapping[str, Any], grade: EliteGrade | None = None) -> EliteGrade:
    _require_operator(actor)
    _dated(actor, data)
    grade = grade or EliteGrade()
    for name in ("code", "name", "support", "valid_from", "valid_to", "source"):
        setattr(grade, name, data.get(name, getattr(grade, name)))
    grade.full_clean()
    grade.save()
    return grade


# Funds and the ledger ------------------------------------------------------------------------------------


@transaction.atomic
def fund_create(*, actor: Any, data: Mapping[str, Any]) -> Fund:
    _require_operator(actor)
    fund = Fund(name=data["name"], manager=data["manager"], capital=data["capital"])
    fund.full_clean()
    fund.save()
    if fund.capital > 0:
        LedgerEntry.objects.create(
            fund=fund,
            kind=EntryKind.CAPITAL,
            amount=fund.capital,
            available_after=fund.available,
            actor=actor,
        )
    return fund


@transaction.atomic
def capital_add(*, actor: Any, fund: Fund, amount: Decimal, note: str = "") -> Fund:
    _require_operator(actor)
    if amount is None or amount <= 0:
        raise _refuse(_("注资金额须大于 0。"), "amount")
    locked: Fund = Fund.objects.select_for_update().get(pk=fund.pk)
    locked.capital += amount
    locked.save(update_fields=["capital", "updated_at"])
    LedgerEntry.objects.create(
        fund=locked,
        kind=EntryKind.CAPITAL,
        amount=amount,
        available_after=locked.available,
        actor=actor,
        note=note,
    )
    return locked


def _locked(fund_id: int, award_id: int | None = None) -> tuple[Fund, Award | None]:
    """Lock the fund row, then the award row (always in this order, so two movements cannot deadlock)."""
    fund = Fund.objects.select_for_update().get(pk=fund_id)
    award = Award.objects.select_for_update().get(pk=award_id) if award_id else None
    return fund, award


def _entry(fund: Fund, award: Award | None, kind: str, amount: Decimal, actor: Any, note: str = "") -> None:
    LedgerEntry.objects.create(
        fund=fund,
        award=award,
        kind=kind,
        amount=amount,
        available_after=fund.available,
        actor=actor,
        note=note[:200],
    )


# Calls and their rules -----------------------------------------------------------------------------------


CALL_FIELDS = (
    "review_days",
    "scale_max",
    "title",
    "description",
    "opens_on",
    "closes_on",
    "appeal_days",
    "reviewers_per_application",
    "exit_premium_team_share",
)
DEFAULT_CRITERIA = (
    (Stage.EXPERT, "技术先进性", Decimal("3")),
    (Stage.EXPERT, "市场前景", Decimal("3")),
    (Stage.EXPERT, "团队能力", Decimal("2")),
    (Stage.EXPERT, "与眼镜产业关联度", Decimal("2")),
    (Stage.DEFENCE, "路演表现", Decimal("1")),
    (Stage.DEFENCE, "答辩质量", Decimal("1")),
)


@transaction.atomic
def call_create(*, actor: Any, fund: Fund, data: Mapping[str, Any], backdate_reason: str = "") -> FundCall:
    """A call in preparation with the catalogue's default rules (dated from its opening) and criteria."""
    _require_operator(actor)
    check = enforce_time_rules(fund_rules.CALL_RULES, data, actor=actor, reason=backdate_reason)
    call = FundCall(fund=fund, created_by=actor, **{name: data[name] for name in CALL_FIELDS if name in data})
    year = call.opens_on.year
    call.number = f"JJ-{year}-{next_number('fund.call', year):03d}"
    call.full_clean()
    call.save()
    check.record(call)
    values = defaults()
    for kind, value in (
        (RuleKind.FOUNDER_EQUITY, values["founder_equity_min"]),
        (RuleKind.TOWN, values["registration_town"]),
        (RuleKind.REGISTRATION_DAYS, values["registration_days"]),
    ):
        CallRule.objects.create(call=call, kind=kind, value=str(value), valid_from=call.opens_on)
    for stage, name, weight in DEFAULT_CRITERIA:
        ReviewCriterion.objects.create(call=call, stage=stage, name=name, weight=weight)
    return call


def _conflicts(call: FundCall, rules: list[Any], *, require_cover: bool) -> list[str]:
    return fund_rules.rule_conflicts(
        rules,
        opens_on=call.opens_on,
        closes_on=call.closes_on,
        tiers=TalentTier.objects.all(),
        grades=EliteGrade.objects.filter(archived_at__isnull=True),
        require_cover=require_cover,
    )


@transaction.atomic
def rule_add(
    *, actor: Any, call: FundCall, kind: str, value: str, valid_from: dt.date, valid_to: dt.date | None = None
) -> CallRule:
    """Add a dated rule; refused, with every contradiction named, when it does not fit the others."""
    _require_operator(actor)
    call = FundCall.objects.select_for_update().get(pk=call.pk)
    enforce_time_rules(fund_rules.RULE_RULES, {"valid_from": valid_from, "valid_to": valid_to}, actor=actor)
    try:
        fund_rules.parse_value(kind, value)
    except ValueError as error:
        raise _refuse(str(error), "value") from None
    rule = CallRule(call=call, kind=kind, value=value.strip(), valid_from=valid_from, valid_to=valid_to)
    rule.full_clean()
    existing = list(call.rules.filter(archived_at__isnull=True))
    problems = _conflicts(call, [*existing, rule], require_cover=call.status == CallStatus.OPEN)
    if problems:
        raise ValidationError(problems, code="contradiction")
    rule.save()
    return rule


@transaction.atomic
def rule_archive(*, actor: Any, rule: CallRule) -> CallRule:
    _require_operator(actor)
    rule = CallRule.objects.select_for_update(of=("self",)).select_related("call").get(pk=rule.pk)
    rest = list(rule.call.rules.filter(archived_at__isnull=True).exclude(pk=rule.pk))
    if rule.call.status == CallStatus.OPEN:
        problems = _conflicts(rule.call, rest, require_cover=True)
        if problems:
            raise ValidationError(problems, code="contradiction")
    rule.archived_at = timezone.now()
    rule.save(update_fields=["archived_at", "updated_at"])
    return rule


@transaction.atomic
def call_open(*, actor: Any, call: FundCall) -> FundCall:
    """Open a call for applications; refused with every contradiction when its rules do not agree."""
    _require_operator(actor)
    call = FundCall.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.DRAFT:
        raise _refuse(_("只有筹备中的申报通知可以开放申报。"), code="state")
    rules = list(call.rules.filter(archived_at__isnull=True))
    problems = _conflicts(call, rules, require_cover=True)
    if not rules:
        problems.append(_("申报通知还没有任何申报条件。"))
    if not call.criteria.filter(stage=Stage.EXPERT).exists():
        problems.append(_("请至少设置一个专家评审评分项。"))
    if problems:
        raise ValidationError(problems, code="contradiction")
    call.status = CallStatus.OPEN
    call.save(update_fields=["status", "updated_at"])
    return call


@transaction.atomic
def call_close(*, actor: Any, call: FundCall) -> FundCall:
    _require_operator(actor)
    call = FundCall.objects.select_for_update().get(pk=call.pk)
    if call.status != CallStatus.OPEN:
        raise _refuse(_("只有申报中的通知可以截止。"), code="state")
    call.status = CallStatus.CLOSED
    call.save(update_fields=["status", "updated_at"])
    return call


@transaction.atomic
def criterion_add(*, actor: Any, call: FundCall, data: Mapping[str, Any]) -> ReviewCriterion:
    _require_operator(actor)
    criterion = ReviewCriterion(call=call, **{k: data[k] for k in ("stage", "name", "weight")})
    criterion.full_clean()
    if review.stage_round(call, criterion.stage) is not None:
        raise _refuse(_("该环节的评审轮次已设立,不能再增加评分项。"), code="state")
    criterion.save()
    return criterion


@transaction.atomic
def reviewer_add(*, actor: Any, call: FundCall, data: Mapping[str, Any]) -> FundReviewer:
    _require_operator(actor)
    user = data["user"]
    if call.reviewers.filter(user=user).exists():
        raise _refuse(_("该专家已在评审库中。"), "user", code="duplicate")
    reviewer = FundReviewer(
        call=call,
        user=user,
        organisation=data.get("organisation"),
        expertise=data.get("expertise", ""),
        max_load=data.get("max_load") or 10,
    )
    reviewer.full_clean()
    reviewer.save()
    reviewer.conflicts.set(data.get("conflicts") or [])
    review.pool_added(actor, call)
    return reviewer


# Applications ------------------------------------------------------------------------------------------


def _apply_fields(application: FundApplication, data: Mapping[str, Any]) -> None:
    for name in APPLICATION_FIELDS:
        if name in data:
            setattr(application, name, data[name])


@transaction.atomic
def application_create(
    *,
    actor: Any,
    call: FundCall,
    organisation: Any,
    data: Mapping[str, Any],
    team: Iterable[tuple[str, str, Decimal | None]] = (),
    carried_from: str = "",
    carried_url: str = "",
) -> FundApplication:
    """A draft application of a firm the actor manages (``team`` rows come with a carried-over entry)."""
    _require_firm(actor, organisation.pk)
    call = FundCall.objects.get(pk=call.pk)
    if call.status != CallStatus.OPEN or call.archived_at is not None:
        raise _refuse(_("该申报通知未在申报中。"), code="state")
    if timezone.localdate() > call.closes_on:
        raise _refuse(_("申报已于 %(d)s 截止。") % {"d": call.closes_on.isoformat()}, code="late")
    application = FundApplication(
        call=call,
        organisation=organisation,
        created_by=actor,
        carried_from=carried_from[:200],
        carried_url=carried_url[:300],
    )
    _apply_fields(application, data)
    year = timezone.localdate().year
    application.number = f"JJSQ-{year}-{next_number('fund.application', year):04d}"
    application.full_clean()
    application.save()
    for name, role, share in team:
        member = TeamMember(
            application=application, name=name[:50], role=(role or "")[:50] or _("成员"), share=share
        )
        member.full_clean(exclude=["application"])
        member.save()
    return application


def _editable(actor: Any, application: FundApplication) -> FundApplication:
    _require_firm(actor, application.organisation_id)
    locked = _lock_application(application)
    _expect(locked, AppStatus.DRAFT)
    return locked


@transaction.atomic
def application_update(
    *, actor: Any, application: FundApplication, data: Mapping[str, Any]
) -> FundApplication:
    application = _editable(actor, application)
    _apply_fields(application, data)
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def team_add(*, actor: Any, application: FundApplication, data: Mapping[str, Any]) -> TeamMember:
    application = _editable(actor, application)
    member = TeamMember(
        application=application, name=data["name"], role=data["role"], share=data.get("share")
    )
    member.full_clean()
    existing = application.team.exclude(share__isnull=True).aggregate(s=Sum("share"))["s"] or ZERO
    if member.share is not None and existing + member.share > 100:
        raise _refuse(
            _("团队持股合计将达到 %(t)s%%,超过 100%%。") % {"t": existing + member.share},
            "share",
            code="too_much",
        )
    member.save()
    return member


@transaction.atomic
def ip_add(*, actor: Any, application: FundApplication, data: Mapping[str, Any]) -> IPItem:
    application = _editable(actor, application)
    item = IPItem(
        application=application, kind=data["kind"], title=data["title"], number=data.get("number", "")
    )
    item.full_clean()
    item.save()
    return item


def check_upload(kind: str, upload: UploadedFile[Any] | None) -> dict[str, Any]:
    """Type and size rules of an attachment kind (catalogue.yaml); the refusal names the file's problem."""
    spec = attachment_kinds().get(kind)
    if spec is None:
        raise _refuse(_("未知的附件类型。"), "kind")
    if upload is None:
        raise _refuse(_("请选择文件。"), "file")
    name = (upload.name or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = [str(e) for e in spec["extensions"]]
    label = _(spec["label"])
    if extension not in allowed:
        raise _refuse(
            _("%(kind)s只接受 %(ext)s 文件。")
            % {"kind": label, "ext": "、".join(e.upper() for e in allowed)},
            "file",
            code="type",
        )
    size = upload.size or 0
    if size == 0:
        raise _refuse(_("文件是空的。"), "file", code="empty")
    limit = int(spec["max_mb"]) * 1024 * 1024
    if size > limit:
        raise _refuse(
            _("%(kind)s不能超过 %(mb)s MB。") % {"kind": label, "mb": spec["max_mb"]}, "file", code="too_big"
        )
    head = upload.read(8)
    upload.seek(0)
    magic = {"pdf": (b"%PDF-",), "png": (b"\x89PNG",), "jpg": (b"\xff\xd8\xff",), "xlsx": (b"PK\x03\x04",)}
    if not any(head.startswith(m) for m in magic.get(extension, (b"",))):
        raise _refuse(_("文件内容与扩展名 .%(ext)s 不符。") % {"ext": extension}, "file", code="type")
    return {"name": name[:120], "size": size}


def _store(application: FundApplication, kind: str, upload: UploadedFile[Any], actor: Any) -> Attachment:
    facts = check_upload(kind, upload)
    attachment = Attachment(application=application, kind=kind, uploaded_by=actor, **facts)
    attachment.file.save(facts["name"], upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_add(
    *, actor: Any, application: FundApplication, kind: str, upload: UploadedFile[Any]
) -> Attachment:
    application = _editable(actor, application)
    if kind == "evidence":
        raise _refuse(_("里程碑佐证请在拨付期次中提交。"), "kind")
    return _store(application, kind, upload, actor)


def eligibility(application: FundApplication, *, day: dt.date | None = None) -> list[str]:
    """Every reason the application fails its call's rules on ``day`` (today by default)."""
    return fund_rules.eligibility_reasons(
        application,
        rules=list(application.call.rules.all()),
        day=day or timezone.localdate(),
        team=list(application.team.all()),
        attachment_kinds_present=set(
            application.attachments.filter(archived_at__isnull=True).values_list("kind", flat=True)
        ),
        grades=EliteGrade.objects.all(),
    )


@transaction.atomic
def precheck(*, actor: Any, application: FundApplication) -> list[str]:
    """Run the eligibility pre-check and keep its result on the application (every reason, not the first)."""
    if not (is_operator(actor) or application.organisation_id in managed_firm_ids(actor)):
        raise PermissionDenied
    application = _lock_application(application)
    reasons = eligibility(application)
    application.precheck_reasons = reasons
    application.prechecked_at = timezone.now()
    application.save(update_fields=["precheck_reasons", "prechecked_at", "updated_at"])
    return reasons


@transaction.atomic
def submit(*, actor: Any, application: FundApplication) -> FundApplication:
    """Submit a draft that passes the pre-check; refused with every failing reason otherwise."""
    application = _editable(actor, application)
    reasons = eligibility(application)
    if reasons:
        raise ValidationError(reasons, code="ineligible")
    application.status = AppStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.precheck_reasons = []
    application.prechecked_at = application.submitted_at
    application.save(
        update_fields=["status", "submitted_at", "precheck_reasons", "prechecked_at", "updated_at"]
    )
    return application


@transaction.atomic
def withdraw(*, actor: Any, application: FundApplication) -> FundApplication:
    _require_firm(actor, application.organisation_id)
    application = _lock_application(application)
    _expect(application, AppStatus.DRAFT, AppStatus.SUBMITTED, AppStatus.DILIGENCE, AppStatus.REVIEW)
    application.status = AppStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    return application


# Due diligence, review, defence ------------------------------------------------------------------------


@transaction.atomic
def diligence_start(*, actor: Any, application: FundApplication) -> FundApplication:
    _require_operator(actor)
    application = _lock_application(application)
    _expect(application, AppStatus.SUBMITTED)
    for title in catalogue()["diligence_checklist"]:
        DiligenceItem.objects.create(application=application, title=title)
    application.status = AppStatus.DILIGENCE
    application.save(update_fields=["status", "updated_at"])
    return application


@transaction.atomic
def diligence_check(*, actor: Any, item: DiligenceItem, done: bool, finding: str = "") -> DiligenceItem:
    _require_operator(actor)
    item = DiligenceItem.objects.select_for_update(of=("self",)).select_related("application").get(pk=item.pk)
    _expect(item.application, AppStatus.DILIGENCE)
    if not done and not finding.strip():
        raise _refuse(_("核查未通过时请写明核查意见。"), "finding")
    item.done, item.finding = done, finding.strip()
    item.checked_by, item.checked_at = actor, timezone.now()
    item.save()
    return item


@transaction.atomic
def review_start(*, actor: Any, application: FundApplication) -> FundApplication:
    """Diligence done (every item checked and passed) → the call's expert-review round."""
    _require_operator(actor)
    application = _lock_application(application)
    _expect(application, AppStatus.DILIGENCE)
    open_items = [i.title for i in application.diligence.all() if not i.done]
    if open_items:
        raise ValidationError(
            [_("尽调事项“%(t)s”尚未核查通过。") % {"t": title} for title in open_items], code="diligence"
        )
    review.enter(actor, application, review.ensure_round(actor, application.call, Stage.EXPERT))
    application.status = AppStatus.REVIEW
    application.save(update_fields=["status", "updated_at"])
    return application


def assign_reviewers(*, actor: Any, call: FundCall, stage: str) -> Any:
    """Start the review block's engine assignment for the call's round of ``stage`` (a background job:
    no expert on their own organisation's or a declared conflict's project, loads even). Refused with
    the block's reason (no round yet, pool too small, scores already given)."""
    _require_operator(actor)
    round = review.stage_round(call, stage)
    if round is None:
        raise _refuse(_("还没有项目进入%(s)s。") % {"s": Stage(stage).label}, code="nothing")
    return review_services.assignment_start(actor=actor, round=round)


def _stage_complete(application: FundApplication, round: Any, stage: str) -> None:
    missing = review.missing_sheets(application, round)
    label = Stage(stage).label
    if missing is None:
        raise _refuse(_("%(s)s尚未分配专家。") % {"s": label}, code="stage")
    if missing:
        raise _refuse(
            _("%(s)s还有专家未提交评分:%(who)s。") % {"s": label, "who": "、".join(missing)}, code="stage"
        )


@transaction.atomic
def defence_start(*, actor: Any, application: FundApplication) -> FundApplication:
    """Every expert sheet in → the call's roadshow/defence round."""
    _require_operator(actor)
    application = _lock_application(application)
    _expect(application, AppStatus.REVIEW)
    _stage_complete(application, review.stage_round(application.call, Stage.EXPERT), Stage.EXPERT)
    review.enter(actor, application, review.ensure_round(actor, application.call, Stage.DEFENCE))
    application.status = AppStatus.DEFENCE
    application.save(update_fields=["status", "updated_at"])
    return application


@transaction.atomic
def decide(*, actor: Any, application: FundApplication, approve: bool, reasons: str) -> FundApplication:
    """The fund's decision with its reasons; it opens the appeal window (call.appeal_days)."""
    _require_operator(actor)
    application = _lock_application(application)
    if not (reasons or "").strip():
        raise _refuse(_("请写明决定理由。"), "reasons")
    if approve:
        _expect(application, AppStatus.DEFENCE)
        _stage_complete(application, review.defence_round(application), Stage.DEFENCE)
    else:
        _expect(application, AppStatus.SUBMITTED, AppStatus.DILIGENCE, AppStatus.REVIEW, AppStatus.DEFENCE)
    now = timezone.now()
    application.status = AppStatus.APPROVED if approve else AppStatus.REJECTED
    application.decision_reasons = reasons.strip()
    application.decided_at = now
    application.appeal_until = now + dt.timedelta(days=application.call.appeal_days)
    application.save(update_fields=["status", "decision_reasons", "decided_at", "appeal_until", "updated_at"])
    _notify_firm(
        application,
        texts.DECIDED(number=application.number, outcome=application.get_status_display()),
    )
    return application


@transaction.atomic
def appeal_file(*, actor: Any, application: FundApplication, grounds: str) -> Appeal:
    _require_firm(actor, application.organisation_id)
    application = _lock_application(application)
    _expect(application, AppStatus.REJECTED)
    if not grounds.strip():
        raise _refuse(_("请写明申诉理由。"), "grounds")
    if application.appeal_until is None or timezone.now() > application.appeal_until:
        until = (
            timezone.localtime(application.appeal_until).strftime("%Y-%m-%d %H:%M")
            if application.appeal_until
            else "—"
        )
        raise _refuse(_("申诉期已于 %(t)s 截止。") % {"t": until}, "grounds", code="late")
    if application.appeals.filter(status=AppealStatus.PENDING).exists():
        raise _refuse(_("已有待处理的申诉。"), "grounds", code="duplicate")
    return Appeal.objects.create(application=application, grounds=grounds.strip(), filed_by=actor)


@transaction.atomic
def appeal_decide(*, actor: Any, appeal: Appeal, uphold: bool, reply: str) -> Appeal:
    """Uphold (the project is heard again at the defence) or dismiss, with a reply."""
    _require_operator(actor)
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != AppealStatus.PENDING:
        raise _refuse(_("该申诉已处理。"), code="state")
    if not reply.strip():
        raise _refuse(_("请填写答复。"), "reply")
    application = _lock_application(appeal.application)
    appeal.status = AppealStatus.UPHELD if uphold else AppealStatus.DISMISSED
    appeal.reply, appeal.decided_at = reply.strip(), timezone.now()
    appeal.save()
    if uphold:
        application.status = AppStatus.DEFENCE
        application.save(update_fields=["status", "updated_at"])
        review.open_rehearing(actor, application)  # heard again by the pool in a round of its own
    return appeal


# Awards, tranches, reports, recovery ----------------------------------------------------------------------


@transaction.atomic
def award_make(*, actor: Any, application: FundApplication, data: Mapping[str, Any]) -> Award:
    """Sign the award terms and commit the amount in the ledger (refused when the fund has not enough left)."""
    _require_operator(actor)
    application = _lock_application(application)
    _expect(application, AppStatus.APPROVED)
    kind, amount = data["kind"], data["amount"]
    stake, share = data.get("stake"), data.get("team_premium_share")
    errors: dict[str, list[str]] = {}
    if kind == AwardKind.EQUITY:
        if stake is None:
            errors["stake"] = [_("股权投资须写明基金持股比例。")]
        if share is None:
            share = application.call.exit_premium_team_share
    else:
        stake, share = None, None
    if amount is None or amount <= 0:
        errors["amount"] = [_("金额须大于 0。")]
    elif amount > application.requested_amount:
        errors["amount"] = [
            _("金额不能超过申请资助 %(r)s 元。") % {"r": f"{application.requested_amount:,.2f}"}
        ]
    if errors:
        raise ValidationError(errors)
    fund, _award = _locked(application.call.fund_id)
    if amount > fund.available:
        raise _refuse(
            _("基金可用额度 %(a)s 元,不足以承诺 %(n)s 元。")
            % {"a": f"{fund.available:,.2f}", "n": f"{amount:,.2f}"},
            "amount",
            code="insufficient",
        )
    year = timezone.localdate().year
    award = Award(
        application=application,
        fund=fund,
        number=f"JJXY-{year}-{next_number('fund.award', year):04d}",
        kind=kind,
        amount=amount,
        stake=stake,
        team_premium_share=share,
        terms=data.get("terms", ""),
        verify_code=new_verification_code(),
        awarded_by=actor,
    )
    award.full_clean(exclude=["application", "fund"])
    award.save()
    fund.committed += amount
    fund.save(update_fields=["committed", "updated_at"])
    _entry(fund, award, EntryKind.COMMIT, amount, actor, application.project_title)
    application.status = AppStatus.AWARDED
    application.save(update_fields=["status", "updated_at"])
    _notify_firm(application, texts.AWARDED(number=award.number, amount=f"{amount:,.2f}"))
    return award


def _award_locked(award: Award) -> tuple[Fund, Award]:
    fund, locked = _locked(award.fund_id, award.pk)
    assert locked is not None
    return fund, locked


@transaction.atomic
def tranche_add(
    *, actor: Any, award: Award, milestone: str, amount: Decimal, due_on: dt.date, backdate_reason: str = ""
) -> Tranche:
    """A milestone tranche; refused when larger than what is left of the award after the other tranches."""
    _require_operator(actor)
    _fund, award = _award_locked(award)
    if award.status != AwardStatus.ACTIVE:
        raise _refuse(_("该协议已不在执行中。"), code="state")
    check = enforce_time_rules(
        fund_rules.TRANCHE_RULES, {"due_on": due_on}, actor=actor, reason=backdate_reason
    )
    planned = award.tranches.exclude(status=TrancheStatus.FAILED).aggregate(s=Sum("amount"))["s"] or ZERO
    left = award.amount - planned
    if amount is None or amount <= 0:
        raise _refuse(_("金额须大于 0。"), "amount")
    if amount > left:
        raise _refuse(
            _("本期 %(a)s 元超过协议尚未安排的余额 %(l)s 元。")
            % {"a": f"{amount:,.2f}", "l": f"{left:,.2f}"},
            "amount",
            code="too_much",
        )
    seq = (award.tranches.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    tranche = Tranche(award=award, seq=seq, milestone=milestone.strip(), amount=amount, due_on=due_on)
    tranche.full_clean(exclude=["award"])
    tranche.save()
    check.record(tranche)
    return tranche


@transaction.atomic
def evidence_submit(*, actor: Any, tranche: Tranche, upload: UploadedFile[Any], note: str) -> Tranche:
    tranche = (
        Tranche.objects.select_for_update(of=("self",))
        .select_related("award__application")
        .get(pk=tranche.pk)
    )
    application = tranche.award.application
    _require_firm(actor, application.organisation_id)
    if tranche.status != TrancheStatus.PLANNED or tranche.award.status != AwardStatus.ACTIVE:
        raise _refuse(_("本期当前不能提交佐证。"), code="state")
    if not note.strip():
        raise _refuse(_("请说明里程碑完成情况。"), "note")
    tranche.evidence = _store(application, "evidence", upload, actor)
    tranche.evidence_note = note.strip()
    tranche.status = TrancheStatus.EVIDENCE
    tranche.save()
    return tranche


@transaction.atomic
def evidence_review(*, actor: Any, tranche: Tranche, approve: bool, note: str = "") -> Tranche:
    """Approve the evidence and release the tranche (money moves), or send the evidence back with a note."""
    _require_operator(actor)
    fund, award = _award_locked(tranche.award)
    tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
    if tranche.status != TrancheStatus.EVIDENCE:
        raise _refuse(_("本期没有待审核的佐证。"), code="state")
    tranche.reviewed_by, tranche.review_note = actor, note.strip()[:300]
    if not approve:
        if not tranche.review_note:
            raise _refuse(_("退回佐证时请写明原因。"), "note")
        tranche.status = TrancheStatus.PLANNED
        tranche.save()
        return tranche
    if award.status != AwardStatus.ACTIVE:
        raise _refuse(_("该协议已不在执行中。"), code="state")
    if tranche.amount > award.undisbursed:
        raise _refuse(
            _("本期 %(a)s 元超过协议未拨付余额 %(l)s 元。")
            % {"a": f"{tranche.amount:,.2f}", "l": f"{award.undisbursed:,.2f}"},
            code="too_much",
        )
    fund.committed -= tranche.amount
    fund.disbursed += tranche.amount
    fund.save(update_fields=["committed", "disbursed", "updated_at"])
    award.disbursed += tranche.amount
    if award.disbursed == award.amount:
        award.status = AwardStatus.COMPLETED
    award.save(update_fields=["disbursed", "status", "updated_at"])
    tranche.status, tranche.released_at = TrancheStatus.RELEASED, timezone.now()
    tranche.save()
    _entry(fund, award, EntryKind.DISBURSE, tranche.amount, actor, tranche.milestone)
    _notify_firm(award.application, texts.RELEASED(seq=tranche.seq, amount=f"{tranche.amount:,.2f}"))
    return tranche


@transaction.atomic
def tranche_fail(*, actor: Any, tranche: Tranche, note: str) -> Tranche:
    """The milestone was not met; the tranche will not be paid (recovery is a separate decision)."""
    _require_operator(actor)
    tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
    if tranche.status not in (TrancheStatus.PLANNED, TrancheStatus.EVIDENCE):
        raise _refuse(_("本期已拨付或已判定未达成。"), code="state")
    if not note.strip():
        raise _refuse(_("请写明未达成的情况。"), "note")
    tranche.status, tranche.review_note, tranche.reviewed_by = TrancheStatus.FAILED, note.strip()[:300], actor
    tranche.save()
    return tranche


@transaction.atomic
def report_submit(*, actor: Any, award: Award, data: Mapping[str, Any]) -> ProgressReport:
    award = Award.objects.select_related("application").get(pk=award.pk)
    _require_firm(actor, award.application.organisation_id)
    year = data["year"]
    if year > timezone.localdate().year or year < award.created_at.year:
        raise _refuse(
            _("年度须在 %(a)s 到 %(b)s 之间。")
            % {"a": award.created_at.year, "b": timezone.localdate().year},
            "year",
        )
    if award.reports.filter(year=year).exists():
        raise _refuse(_("%(y)s 年度报告已提交。") % {"y": year}, "year", code="duplicate")
    report = ProgressReport(
        award=award,
        submitted_by=actor,
        **{k: data.get(k) for k in ("year", "progress", "revenue", "employees")},
        still_in_town=bool(data.get("still_in_town")),
    )
    report.full_clean(exclude=["award"])
    report.save()
    return report


@transaction.atomic
def recover(*, actor: Any, award: Award, cause: str, amount: Decimal, note: str) -> Recovery:
    """End the award: release what was committed but not paid, and book what the company pays back."""
    _require_operator(actor)
    fund, award = _award_locked(award)
    if award.status == AwardStatus.RECOVERED:
        raise _refuse(_("该协议已终止收回。"), code="state")
    if not note.strip():
        raise _refuse(_("请写明收回依据。"), "note")
    refundable = award.disbursed - award.recovered
    if amount is None or amount < 0 or amount > refundable:
        raise _refuse(
            _("收回金额须在 0 到已拨付未收回的 %(r)s 元之间。") % {"r": f"{refundable:,.2f}"},
            "amount",
            code="too_much",
        )
    released = award.undisbursed
    fund.committed -= released
    fund.recovered += amount
    fund.save(update_fields=["committed", "recovered", "updated_at"])
    award.recovered += amount
    award.status = AwardStatus.RECOVERED
    award.save(update_fields=["recovered", "status", "updated_at"])
    award.tranches.filter(status__in=(TrancheStatus.PLANNED, TrancheStatus.EVIDENCE)).update(
        status=TrancheStatus.FAILED, review_note=_("协议终止")
    )
    recovery = Recovery.objects.create(
        award=award, cause=cause, amount=amount, released=released, note=note.strip(), decided_by=actor
    )
    if released > 0:
        _entry(fund, award, EntryKind.RELEASE, released, actor, Recovery(cause=cause).get_cause_display())
    if amount > 0:
        _entry(fund, award, EntryKind.RECOVER, amount, actor, Recovery(cause=cause).get_cause_display())
    return recovery
