"""Writes of 权益链: the agreement's procedure (rounds, vote, filing, review, versions), wage lines and
their follow-up, and the renewal reminder. Keyword-only, authorised here, one transaction each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.numbering import next_number
from jingxiang.core.services import notification_send
from jingxiang.core.timerules import enforce_time_rules
from jingxiang.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
)
from jingxiang.organisations.permissions import approved_organisation_ids, managed_firm_ids
from jingxiang.wagenorms import rules, texts
from jingxiang.wagenorms.engine import agreement_of, problem_text
from jingxiang.wagenorms.models import (
    AgreementStatus,
    AgreementVersion,
    LineStatus,
    NegotiationRound,
    RepresentativeVote,
    WageAgreement,
    WageLine,
    WageReport,
)
from jingxiang.wagenorms.permissions import may_manage_agreements, represents_employers
from jingxiang.wages import AgreementInvalidError, load_agreement_text

REVIEW_DAYS = 15
RENEWAL_NOTICE_DAYS = 60


def _union_only(actor: Any) -> None:
    if not may_manage_agreements(actor):
        raise PermissionDenied(_("只有工会工作人员可以办理能级工资协议。"))


def validate_agreement_data(text: str) -> None:
    """Refuse agreement data the engine cannot use, naming every problem."""
    try:
        load_agreement_text(text, source="upload")
    except AgreementInvalidError as error:
        raise ValidationError(
            {"text": [problem_text(problem) for problem in error.problems if problem.is_error][:50]}
        ) from error


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    title: str,
    employers: str,
    text: str,
    note: str = "",
    employer_association: Organisation | None = None,
) -> WageAgreement:
    """Open a negotiation with the union's first draft (version 1). The employer side may be an industry
    association on the platform: it then confirms each round's minutes before the agreement is filed."""
    _union_only(actor)
    if employer_association is not None and (
        employer_association.kind != OrganisationKind.ASSOCIATION
        or employer_association.status != OrganisationStatus.APPROVED
    ):
        raise ValidationError({"employer_association": _("企业方代表须是已入驻平台的行业协会。")})
    validate_agreement_data(text)
    union_ids = sorted(approved_organisation_ids(actor, Role.UNION_STAFF))
    year = timezone.localdate().year
    agreement = WageAgreement.objects.create(
        number=f"NJ{year}-{next_number('wagenorms.agreement', year):04d}",
        title=title,
        union_id=union_ids[0],
        employers=employers,
        employer_association=employer_association,
        created_by=actor,
    )
    AgreementVersion.objects.create(agreement=agreement, number=1, text=text, note=note, created_by=actor)
    return agreement


def _locked(agreement: WageAgreement) -> WageAgreement:
    locked: WageAgreement = WageAgreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    return locked


@transaction.atomic
def version_add(*, actor: Any, agreement: WageAgreement, text: str, note: str) -> AgreementVersion:
    """A new text during negotiation (the earlier ones are kept for comparison)."""
    _union_only(actor)
    agreement = _locked(agreement)
    if agreement.status not in (
        AgreementStatus.NEGOTIATING,
        AgreementStatus.REJECTED,
        AgreementStatus.OBJECTED,
    ):
        raise ValidationError(_("协议已表决通过,不能再修改文本;如需修改请重新协商。"))
    validate_agreement_data(text)
    last = agreement.versions.order_by("-number").first()
    if last is not None and last.text.strip() == text.strip():
        raise ValidationError({"text": [_("新版本与上一版本内容相同。")]})
    number = (last.number if last else 0) + 1
    if agreement.status != AgreementStatus.NEGOTIATING:
        agreement.status = AgreementStatus.NEGOTIATING
        agreement.save(update_fields=["status", "updated_at"])
    return AgreementVersion.objects.create(
        agreement=agreement, number=number, text=text, note=note, created_by=actor
    )


@transaction.atomic
def round_record(
    *,
    actor: Any,
    agreement: WageAgreement,
    held_on: dt.date,
    union_proposal: str,
    employer_proposal: str,
    minutes: str,
) -> NegotiationRound:
    """One round of negotiation: each side's proposal and the minutes."""
    _union_only(actor)
    agreement = _locked(agreement)
    if agreement.status not in (
        AgreementStatus.NEGOTIATING,
        AgreementStatus.REJECTED,
        AgreementStatus.OBJECTED,
    ):
        raise ValidationError(_("协议已进入报送程序,不能再记录协商轮次。"))
    enforce_time_rules(rules.ROUND_RULES, {"held_on": held_on}, actor=actor)
    number = agreement.rounds.count() + 1
    if agreement.status != AgreementStatus.NEGOTIATING:
        agreement.status = AgreementStatus.NEGOTIATING
        agreement.save(update_fields=["status", "updated_at"])
    return NegotiationRound.objects.create(
        agreement=agreement,
        number=number,
        held_on=held_on,
        union_proposal=union_proposal,
        employer_proposal=employer_proposal,
        minutes=minutes,
        created_by=actor,
    )


@transaction.atomic
def round_confirm(*, actor: Any, negotiation_round: NegotiationRound, remark: str = "") -> NegotiationRound:
    """The employer side (the agreement's industry association) confirms a round's minutes, with an
    optional remark; confirmed minutes are not confirmed again."""
    agreement = _locked(negotiation_round.agreement)
    if not represents_employers(actor, agreement):
        raise PermissionDenied
    round = NegotiationRound.objects.select_for_update(of=("self",)).get(pk=negotiation_round.pk)
    if round.employer_confirmed_at is not None:
        raise ValidationError(_("这一轮的纪要已经确认过。"))
    round.employer_confirmed_at = timezone.now()
    round.employer_confirmed_by = actor
    round.employer_remark = remark.strip()
    round.save(
        update_fields=["employer_confirmed_at", "employer_confirmed_by", "employer_remark", "updated_at"]
    )
    return round


def vote_outcome(*, representatives: int, present: int, approve: int) -> tuple[bool, bool]:
    """(quorum met, passed): at least two thirds present, more than half of those present approving.

    Compared in whole numbers (3 × present ≥ 2 × total; 2 × approve > present): no fractions at the edge.
    """
    quorum = 3 * present >= 2 * representatives
    return quorum, quorum and 2 * approve > present


@transaction.atomic
def vote_record(
    *,
    actor: Any,
    agreement: WageAgreement,
    held_on: dt.date,
    representatives: int,
    present: int,
    approve: int,
    against: int,
    abstain: int,
) -> RepresentativeVote:
    """The employee representatives' vote on the current version, with its quorum and result."""
    _union_only(actor)
    agreement = _locked(agreement)
    if agreement.status != AgreementStatus.NEGOTIATING:
        raise ValidationError(_("只有协商中的协议可以提交职工代表表决。"))
    if not agreement.rounds.exists():
        raise ValidationError(_("表决前至少要记录一轮协商。"))
    errors: dict[str, list[str]] = {}
    if representatives < 1:
        errors["representatives"] = [_("职工代表总数至少为 1。")]
    if present > representatives:
        errors["present"] = [_("到会人数不能多于职工代表总数。")]
    if approve + against + abstain != present:
        errors["approve"] = [
            _("赞成、反对、弃权之和(%(sum)s)应等于到会人数(%(present)s)。")
            % {"sum": approve + against + abstain, "present": present}
        ]
    if errors:
        raise ValidationError(errors)
    enforce_time_rules(rules.VOTE_RULES, {"held_on": held_on}, actor=actor)
    version = agreement.current_version
    assert version is not None  # created with version 1
    quorum, passed = vote_outcome(representatives=representatives, present=present, approve=approve)
    vote = RepresentativeVote.objects.create(
        agreement=agreement,
        version=version,
        held_on=held_on,
        representatives=representatives,
        present=present,
        approve=approve,
        against=against,
        abstain=abstain,
        quorum_met=quorum,
        passed=passed,
        created_by=actor,
    )
    agreement.status = AgreementStatus.PASSED if passed else AgreementStatus.REJECTED
    agreement.save(update_fields=["status", "updated_at"])
    return vote


@transaction.atomic
def agreement_file(
    *, actor: Any, agreement: WageAgreement, filed_on: dt.date, authority: str
) -> WageAgreement:
    """Filing with the labour authority; its 15-day review starts the next day."""
    _union_only(actor)
    agreement = _locked(agreement)
    if agreement.status != AgreementStatus.PASSED:
        raise ValidationError(_("只有职工代表表决通过的协议可以报送审查。"))
    if agreement.employer_association_id:
        open_rounds = list(
            agreement.rounds.filter(employer_confirmed_at__isnull=True).values_list("number", flat=True)
        )
        if open_rounds:
            raise ValidationError(
                _("企业方(行业协会)尚未确认第 %(n)s 轮协商纪要,不能报送。")
                % {"n": "、".join(str(n) for n in open_rounds)}
            )
    vote = agreement.votes.filter(passed=True).order_by("-pk").first()
    enforce_time_rules(
        rules.FILING_RULES,
        {"filed_on": filed_on, "voted_on": vote.held_on if vote else filed_on},
        actor=actor,
    )
    agreement.filed_on = filed_on
    agreement.authority = authority
    agreement.review_due = filed_on + dt.timedelta(days=REVIEW_DAYS)
    agreement.status = AgreementStatus.FILED
    agreement.save(update_fields=["filed_on", "authority", "review_due", "status", "updated_at"])
    return agreement


@transaction.atomic
def agreement_review_result(
    *,
    actor: Any,
    agreement: WageAgreement,
    objection: str = "",
    receipt: bool = False,
    today: dt.date | None = None,
) -> WageAgreement:
    """The review's outcome: an objection sends it back; no objection within 15 days (or the authority's
    written 无异议 opinion before then) makes it effective on the dates of the voted version's terms."""
    _union_only(actor)
    agreement = _locked(agreement)
    today = today or timezone.localdate()
    if agreement.status != AgreementStatus.FILED:
        raise ValidationError(_("协议尚未报送审查。"))
    objection = objection.strip()
    if objection:
        agreement.status = AgreementStatus.OBJECTED
        agreement.review_note = objection
        agreement.save(update_fields=["status", "review_note", "updated_at"])
        return agreement
    assert agreement.review_due is not None
    if not receipt and today <= agreement.review_due:
        raise ValidationError(
            _("审查期至 %(date)s 届满;期满前生效需有审查机关的无异议意见。") % {"date": agreement.review_due}
        )
    version = agreement.voted_version
    assert version is not None
    terms = agreement_of(version).terms
    effective_from = min(term.effective_from for term in terms)
    expires_on = max(term.expires_on for term in terms)
    clash = (
        WageAgreement.objects.filter(
            status=AgreementStatus.EFFECTIVE, effective_from__lte=expires_on, expires_on__gte=effective_from
        )
        .exclude(pk=agreement.pk)
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("协议期与已生效的协议 %(number)s 重叠;请先调整协议期。") % {"number": clash.number}
        )
    agreement.effective_from = effective_from
    agreement.expires_on = expires_on
    agreement.review_note = _("审查机关无异议") if receipt else _("审查期满未提出异议")
    agreement.status = AgreementStatus.EFFECTIVE
    agreement.save(update_fields=["effective_from", "expires_on", "review_note", "status", "updated_at"])
    return agreement


def renewal_remind(due_date: dt.date) -> int:
    """Tell the union's staff once per expiry date when an agreement ends within 60 days (idempotent)."""
    sent = 0
    horizon = due_date + dt.timedelta(days=RENEWAL_NOTICE_DAYS)
    due = WageAgreement.objects.filter(
        status=AgreementStatus.EFFECTIVE, expires_on__gte=due_date, expires_on__lte=horizon
    )
    for agreement in due:
        with transaction.atomic():
            locked = _locked(agreement)
            if locked.renewal_reminded_for == locked.expires_on:
                continue
            staff = Membership.objects.filter(
                organisation_id=locked.union_id,
                role=Role.UNION_STAFF,
                organisation__status=OrganisationStatus.APPROVED,
            ).select_related("user")
            for membership in staff:
                notification_send(
                    recipient=membership.user,
                    message=texts.RENEWAL_DUE(number=locked.number, date=str(locked.expires_on)),
                    url=reverse("wagenorms:agreement", args=[locked.pk]),
                    kind="wagenorms",
                )
                sent += 1
            locked.renewal_reminded_for = locked.expires_on
            locked.save(update_fields=["renewal_reminded_for", "updated_at"])
    return sent


@transaction.atomic
def line_follow_up(*, actor: Any, line: WageLine, status: str, explanation: str) -> WageLine:
    """The firm answers a failed line: topped up (补发) or explained; the reason is kept."""
    if line.firm_id not in managed_firm_ids(actor):
        raise PermissionDenied(_("只能处理本企业的工资行。"))
    line = WageLine.objects.select_for_update(of=("self",)).get(pk=line.pk)
    if line.status == LineStatus.PASSED:
        raise ValidationError(_("该行已达标,无需处理。"))
    if status not in (LineStatus.FIXED, LineStatus.EXPLAINED):
        raise ValidationError({"status": [_("请选择已补发或说明原因。")]})
    if not explanation.strip():
        raise ValidationError({"explanation": [_("请写明补发情况或原因。")]})
    line.status = status
    line.explanation = explanation.strip()
    line.save(update_fields=["status", "explanation", "updated_at"])
    return line


def report_save(
    *,
    actor: Any,
    firm_id: int,
    source: str,
    checked: Sequence[dict[str, Any]],
    progress: Callable[[int, int], None] | None = None,
) -> WageReport:
    """Store an already fully checked file's lines (called inside the import's transaction)."""
    if firm_id not in managed_firm_ids(actor):
        raise PermissionDenied(_("只能报送本企业的工资。"))
    report = WageReport.objects.create(firm_id=firm_id, source=source, created_by=actor)
    lines = [WageLine(report=report, firm_id=firm_id, **values) for values in checked]
    for start in range(0, len(lines), 1000):
        WageLine.objects.bulk_create(lines[start : start + 1000])
        if progress:
            progress(min(start + 1000, len(lines)), len(lines))
    report.rows = len(lines)
    report.failed = sum(1 for line in lines if line.status == LineStatus.FAILED)
    report.save(update_fields=["rows", "failed", "updated_at"])
    return report
