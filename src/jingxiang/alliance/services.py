"""Writes of the alliance app: keyword-only, authorised, one transaction each (audited by auditlog)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.alliance import texts
from jingxiang.alliance.models import (
    HOLDING,
    OPEN_OBLIGATION,
    OPEN_TASK,
    STANDARD_DOMAINS,
    Agreement,
    AgreementParty,
    AgreementStatus,
    Alliance,
    Decision,
    DeclaredKind,
    Domain,
    Meeting,
    MeetingStatus,
    Member,
    MemberRole,
    MemberStatus,
    Obligation,
    ObligationStatus,
    Output,
    Task,
    TaskNote,
    TaskStatus,
)
from jingxiang.alliance.outputs import DECLARED, LINK_KINDS
from jingxiang.alliance.permissions import (
    is_secretariat,
    may_create_alliance,
    may_plan,
    may_report_obligation,
    may_run_meeting,
    may_work_on,
    secretariat_org_ids,
)
from jingxiang.alliance.rules import AGREEMENT_RULES, ALLIANCE_RULES, MEMBER_RULES
from jingxiang.core.documents import new_verification_code
from jingxiang.core.numbering import next_number
from jingxiang.core.services import notification_send
from jingxiang.core.timerules import enforce_time_rules
from jingxiang.core.validators import clean_uscc
from jingxiang.organisations.models import Membership, Organisation, OrganisationStatus, Role
from jingxiang.organisations.permissions import is_org_admin

#: Days before an obligation's due date when its owner is reminded.
DUE_SOON_DAYS = 14


def _require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied(_("您没有权限进行此操作。"))


def _secretariat(actor: Any, alliance: Alliance) -> None:
    _require(is_secretariat(actor, alliance))


def _locked(alliance: Alliance) -> Alliance:
    """Serialise the writes of one alliance (membership periods, numbers) on its row."""
    locked: Alliance = Alliance.objects.select_for_update(of=("self",)).get(pk=alliance.pk)
    return locked


def _admins(organisation_id: int) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.active()
        .filter(organisation_id=organisation_id, role=Role.ORG_ADMIN)
        .select_related("user")
    ]


def _secretariat_people(alliance: Alliance) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.active()
        .filter(organisation_id=alliance.secretariat_id, role=Role.OPERATOR)
        .select_related("user")
    ]


def _notify(users: Iterable[Any], message: Any, url: str, kind: str) -> None:
    for user in {u.pk: u for u in users}.values():
        notification_send(recipient=user, message=message, url=url, kind=kind)


# Alliance ---------------------------------------------------------------------------------------------

ALLIANCE_FIELDS = ("name", "short_name", "kind", "founded_on", "charter", "description", "is_public")


@transaction.atomic
def alliance_create(
    *, actor: Any, data: dict[str, Any], secretariat: Organisation, standard_domains: bool = True
) -> Alliance:
    """Register an alliance run by ``secretariat`` (an organisation the actor operates for); with
    ``standard_domains`` it starts with the five domains of the innovation alliance."""
    _require(may_create_alliance(actor))
    if not (getattr(actor, "is_superuser", False) or secretariat.pk in secretariat_org_ids(actor)):
        raise ValidationError({"secretariat": _("只能以您所在的秘书处单位创建联盟。")})
    check = enforce_time_rules(ALLIANCE_RULES, data, actor=actor, reason=data.get("backdate_reason", ""))
    if Alliance.objects.filter(name=data["name"]).exists():
        raise ValidationError({"name": _("已有同名的联盟。")})
    alliance = Alliance.objects.create(
        **{k: data[k] for k in ALLIANCE_FIELDS if k in data}, secretariat=secretariat, created_by=actor
    )
    if standard_domains:
        for order, (code, name) in enumerate(STANDARD_DOMAINS):
            Domain.objects.create(alliance=alliance, code=code, name=name, order=order)
    check.record(alliance)
    return alliance


@transaction.atomic
def alliance_update(*, actor: Any, alliance: Alliance, data: dict[str, Any]) -> Alliance:
    _secretariat(actor, alliance)
    if Alliance.objects.filter(name=data.get("name", alliance.name)).exclude(pk=alliance.pk).exists():
        raise ValidationError({"name": _("已有同名的联盟。")})
    check = enforce_time_rules(ALLIANCE_RULES, data, actor=actor, reason=data.get("backdate_reason", ""))
    for key in ALLIANCE_FIELDS:
        if key in data:
            setattr(alliance, key, data[key])
    alliance.save()
    check.record(alliance)
    return alliance


# Members ----------------------------------------------------------------------------------------------


def _check_period(
    alliance: Alliance, organisation: Organisation, joined_on: dt.date, exclude: int | None
) -> None:
    """A unit holds at most one membership at a time: refuse a period that overlaps another one."""
    others = Member.objects.filter(alliance=alliance, organisation=organisation).exclude(
        status=MemberStatus.REJECTED
    )
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others:
        if other.status in HOLDING:
            raise ValidationError(
                {
                    "organisation": _("%(org)s 已是本联盟成员(或申请正在审核),不能重复加入。")
                    % {"org": organisation}
                }
            )
        if other.left_on is not None and joined_on <= other.left_on:
            raise ValidationError(
                {
                    "joined_on": _("入盟日期与该单位上一段成员期(至 %(date)s)重叠。")
                    % {"date": other.left_on.isoformat()}
                }
            )


def _member_values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "role": data.get("role") or MemberRole.MEMBER,
        "joined_on": data["joined_on"],
        "contact_name": data.get("contact_name", ""),
        "contact_mobile": data.get("contact_mobile", ""),
        "note": data.get("note", ""),
    }


@transaction.atomic
def member_add(
    *,
    actor: Any,
    alliance: Alliance,
    organisation: Organisation,
    data: dict[str, Any],
    domains: Sequence[Domain] = (),
) -> Member:
    """The secretariat admits a unit directly (reviewed on entry)."""
    _secretariat(actor, alliance)
    alliance = _locked(alliance)
    if organisation.status != OrganisationStatus.APPROVED or organisation.archived_at is not None:
        raise ValidationError({"organisation": _("只有已入驻平台的单位可以成为成员单位。")})
    enforce_time_rules(MEMBER_RULES, data, actor=actor)
    _check_period(alliance, organisation, data["joined_on"], None)
    member = Member.objects.create(
        alliance=alliance,
        organisation=organisation,
        status=MemberStatus.ACTIVE,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        **_member_values(data),
    )
    _set_domains(member, alliance, domains)
    return member


def _set_domains(member: Member, alliance: Alliance, domains: Sequence[Domain]) -> None:
    if any(d.alliance_id != alliance.pk for d in domains):
        raise ValidationError({"domains": _("所选领域不属于本联盟。")})
    member.domains.set(domains)


@transaction.atomic
def member_apply(
    *,
    actor: Any,
    alliance: Alliance,
    organisation: Organisation,
    data: dict[str, Any],
    domains: Sequence[Domain] = (),
) -> Member:
    """An organisation's admin applies to join; the secretariat reviews the application."""
    _require(is_org_admin(actor, organisation.pk) and organisation.status == OrganisationStatus.APPROVED)
    alliance = _locked(alliance)
    _check_period(alliance, organisation, data["joined_on"], None)
    values = _member_values(data)
    values["role"] = MemberRole.MEMBER
    member = Member.objects.create(
        alliance=alliance, organisation=organisation, status=MemberStatus.PENDING, **values
    )
    _set_domains(member, alliance, domains)
    _notify(
        _secretariat_people(alliance),
        texts.MEMBER_APPLIED(org=organisation.name, alliance=alliance.name),
        reverse("alliance:detail", args=[alliance.pk]),
        "alliance",
    )
    return member


@transaction.atomic
def member_review(*, actor: Any, member: Member, approve: bool, note: str = "") -> Member:
    """The secretariat admits or refuses a pending application."""
    _secretariat(actor, member.alliance)
    member = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
    if member.status != MemberStatus.PENDING:
        raise ValidationError(_("这份入盟申请已经处理过了。"))
    member.status = MemberStatus.ACTIVE if approve else MemberStatus.REJECTED
    member.reviewed_by, member.reviewed_at = actor, timezone.now()
    if note:
        member.note = note
    member.save()
    result = _("已通过") if approve else _("未通过")
    _notify(
        _admins(member.organisation_id),
        texts.MEMBER_REVIEWED(alliance=member.alliance.name, result=result),
        reverse("alliance:detail", args=[member.alliance_id]),
        "alliance",
    )
    return member


@transaction.atomic
def member_update(*, actor: Any, member: Member, data: dict[str, Any], domains: Sequence[Domain]) -> Member:
    """The secretariat changes a unit's role, contact and domains."""
    _secretariat(actor, member.alliance)
    for key in ("role", "contact_name", "contact_mobile", "note"):
        if key in data:
            setattr(member, key, data[key])
    member.save()
    _set_domains(member, member.alliance, domains)
    return member


def _open_tasks(member: Member) -> int:
    return Task.objects.filter(owner=member, status__in=OPEN_TASK).count()


@transaction.atomic
def member_leave_request(*, actor: Any, member: Member, left_on: dt.date, reason: str) -> Member:
    """A unit's admin asks to leave; the secretariat approves once the unit's open tasks are reassigned."""
    _require(is_org_admin(actor, member.organisation_id))
    member = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(_("只有在盟单位可以申请退盟。"))
    enforce_time_rules(MEMBER_RULES, {"joined_on": member.joined_on, "left_on": left_on}, actor=actor)
    member.status, member.left_on, member.leave_reason = MemberStatus.LEAVING, left_on, reason
    member.save()
    _notify(
        _secretariat_people(member.alliance),
        texts.LEAVE_REQUESTED(org=member.organisation.name, alliance=member.alliance.name),
        reverse("alliance:member", args=[member.pk]),
        "alliance",
    )
    return member


@transaction.atomic
def member_leave(*, actor: Any, member: Member, left_on: dt.date | None = None, reason: str = "") -> Member:
    """The secretariat records a unit's leaving (approving its request, or on its own account).

    Refused while the unit still owns open tasks: the secretariat reassigns them first.
    """
    _secretariat(actor, member.alliance)
    member = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
    if member.status not in (MemberStatus.ACTIVE, MemberStatus.LEAVING):
        raise ValidationError(_("该单位目前不在盟,无需办理退盟。"))
    left_on = left_on or member.left_on or timezone.localdate()
    enforce_time_rules(MEMBER_RULES, {"joined_on": member.joined_on, "left_on": left_on}, actor=actor)
    open_count = _open_tasks(member)
    if open_count:
        raise ValidationError(
            _("%(org)s 还负责 %(n)s 项未完成的任务,请先把任务改派给其他成员单位。")
            % {"org": member.organisation.name, "n": open_count}
        )
    member.status, member.left_on = MemberStatus.LEFT, left_on
    if reason:
        member.leave_reason = reason
    member.reviewed_by, member.reviewed_at = actor, timezone.now()
    member.save()
    Domain.objects.filter(lead=member).update(lead=None)
    member.domains.clear()
    _notify(
        _admins(member.organisation_id),
        texts.LEAVE_APPROVED(org=member.organisation.name, alliance=member.alliance.name),
        reverse("alliance:detail", args=[member.alliance_id]),
        "alliance",
    )
    return member


# Domains ----------------------------------------------------------------------------------------------


def _current_member(alliance: Alliance, member: Member | None, field: str) -> None:
    if member is not None:
        member = Member.objects.select_related("organisation").get(pk=member.pk)
    if member is not None and (member.alliance_id != alliance.pk or not member.is_current):
        raise ValidationError({field: _("%(org)s 不是本联盟的在盟单位。") % {"org": member.organisation}})


@transaction.atomic
def domain_save(
    *,
    actor: Any,
    alliance: Alliance,
    data: dict[str, Any],
    members: Sequence[Member],
    domain: Domain | None = None,
) -> Domain:
    """Create or change a domain work group: its name, goal, lead unit and members (the lead is one)."""
    _secretariat(actor, alliance)
    lead = data.get("lead")
    _current_member(alliance, lead, "lead")
    for member in members:
        _current_member(alliance, member, "members")
    clash = Domain.objects.filter(alliance=alliance, name=data["name"])
    if domain is not None:
        clash = clash.exclude(pk=domain.pk)
    if clash.exists():
        raise ValidationError({"name": _("本联盟已有这个领域。")})
    if domain is None:
        code = data.get("code") or f"d{Domain.objects.filter(alliance=alliance).count() + 1}"
        domain = Domain(alliance=alliance, code=code)
    domain.name = data["name"]
    domain.description = data.get("description", "")
    domain.order = data.get("order") or domain.order or 0
    domain.lead = lead
    domain.save()
    group = set(members) | ({lead} if lead else set())
    domain.members.set(group)
    return domain


# Tasks ------------------------------------------------------------------------------------------------

TASK_FIELDS = ("title", "description", "owner", "due_on", "expected_output")


def _check_task(domain: Domain, data: dict[str, Any], year: int) -> None:
    errors: dict[str, str] = {}
    owner = data.get("owner")
    if owner is not None:
        owner = Member.objects.filter(pk=owner.pk).first()  # its status now, not as the form read it
    if owner is not None and (owner.alliance_id != domain.alliance_id or not owner.is_current):
        errors["owner"] = _("责任单位必须是本联盟的在盟单位。")
    due = data.get("due_on")
    if due is not None and due.year < year:
        errors["due_on"] = _("完成期限(%(due)s)早于计划年度 %(year)s 年。") % {
            "due": due.isoformat(),
            "year": year,
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_create(
    *, actor: Any, domain: Domain, year: int, data: dict[str, Any], decision: Decision | None = None
) -> Task:
    """Add a task to the domain's plan for ``year`` (the secretariat or the domain's lead unit)."""
    _require(may_plan(actor, domain))
    _check_task(domain, data, year)
    task = Task.objects.create(
        domain=domain,
        year=year,
        created_by=actor,
        decision=decision,
        **{k: data[k] for k in TASK_FIELDS if k in data},
    )
    _notify(
        _admins(task.owner.organisation_id),
        texts.TASK_ASSIGNED(task=task.title, due=task.due_on.isoformat()),
        reverse("alliance:task", args=[task.pk]),
        "alliance",
    )
    return task


@transaction.atomic
def task_update(*, actor: Any, task: Task, data: dict[str, Any]) -> Task:
    """Change a task's plan data (the secretariat or the domain's lead unit)."""
    _require(may_plan(actor, task.domain))
    _check_task(task.domain, data, task.year)
    for key in TASK_FIELDS:
        if key in data:
            setattr(task, key, data[key])
    task.save()
    return task


@transaction.atomic
def task_reassign(*, actor: Any, task: Task, owner: Member) -> Task:
    """The secretariat hands a task to another unit (before its owner leaves, say)."""
    _secretariat(actor, task.domain.alliance)
    _check_task(task.domain, {"owner": owner}, task.year)
    task.owner = owner
    task.save(update_fields=["owner", "updated_at"])
    _notify(
        _admins(owner.organisation_id),
        texts.TASK_ASSIGNED(task=task.title, due=task.due_on.isoformat()),
        reverse("alliance:task", args=[task.pk]),
        "alliance",
    )
    return task


@transaction.atomic
def task_progress(*, actor: Any, task: Task, status: str, note: str) -> Task:
    """Report progress: a note and the task's status (owner unit, lead unit or secretariat)."""
    _require(may_work_on(actor, task))
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("请选择有效的状态。")})
    if status == TaskStatus.CANCELLED and not is_secretariat(actor, task.domain.alliance):
        raise ValidationError({"status": _("只有秘书处可以取消任务。")})
    note = (note or "").strip()
    if not note and status == task.status:
        raise ValidationError({"note": _("请填写进展说明或改变状态。")})
    task.status = status
    task.save(update_fields=["status", "updated_at"])
    if note:
        TaskNote.objects.create(task=task, text=note, author=actor)
    return task


# Outputs ----------------------------------------------------------------------------------------------


@transaction.atomic
def output_link(*, actor: Any, task: Task, kind: str, object_id: int, confidential: bool = False) -> Output:
    """Link a record the platform holds as an output of ``task``; it is counted from that record.

    The actor must be able to see the record in its own app; a record counts once per alliance.
    """
    _require(may_work_on(actor, task))
    link = LINK_KINDS.get(kind)
    if link is None:
        raise ValidationError({"kind": _("不支持这种成果类型。")})
    record = link.candidates(actor).filter(pk=object_id).first()
    if record is None:
        raise ValidationError(
            {"record": _("找不到这条记录,或它还不是可计入的成果(例如需求尚未标记为已解决)。")}
        )
    alliance = _locked(task.domain.alliance)
    content_type = link.content_type()
    existing = (
        Output.objects.filter(
            alliance=alliance, content_type=content_type, object_id=record.pk, archived_at__isnull=True
        )
        .select_related("task")
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "record": _("这条记录已作为任务「%(task)s」的成果计入,同一记录只计一次。")
                % {"task": existing.task.title}
            }
        )
    return Output.objects.create(
        alliance=alliance,
        task=task,
        member=task.owner,
        kind=kind,
        content_type=content_type,
        object_id=record.pk,
        confidential=confidential,
        linked_by=actor,
    )


@transaction.atomic
def output_declare(
    *,
    actor: Any,
    task: Task,
    declared_kind: str,
    title: str,
    attachment: UploadedFile[Any] | None,
    confidential: bool = False,
) -> Output:
    """A free-form output (a standard drafted, a paper): it carries an attachment and counts as declared."""
    _require(may_work_on(actor, task))
    errors: dict[str, str] = {}
    if declared_kind not in DeclaredKind.values:
        errors["declared_kind"] = _("请选择申报类型。")
    if not (title or "").strip():
        errors["title"] = _("请填写成果名称。")
    if attachment is None:
        errors["attachment"] = _("自主申报的成果须附佐证材料。")
    if errors:
        raise ValidationError(errors)
    output = Output(
        alliance=task.domain.alliance,
        task=task,
        member=task.owner,
        kind=DECLARED,
        declared_kind=declared_kind,
        title=title.strip(),
        confidential=confidential,
        linked_by=actor,
    )
    output.attachment.save(attachment.name or "attachment", attachment, save=False)  # type: ignore[union-attr, arg-type]
    output.save()
    return output


@transaction.atomic
def output_withdraw(*, actor: Any, output: Output) -> Output:
    """Take an output off the count (archived, kept for the audit trail)."""
    _require(may_work_on(actor, output.task))
    output.archived_at = timezone.now()
    output.save(update_fields=["archived_at", "updated_at"])
    return output


# Meetings ---------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor: Any, alliance: Alliance, data: dict[str, Any]) -> Meeting:
    domain = data.get("domain")
    if domain is not None and domain.alliance_id != alliance.pk:
        raise ValidationError({"domain": _("所选工作组不属于本联盟。")})
    _require(may_run_meeting(actor, alliance, domain))
    return Meeting.objects.create(
        alliance=alliance,
        domain=domain,
        title=data["title"],
        starts_at=data["starts_at"],
        venue=data.get("venue", ""),
        agenda=data["agenda"],
        created_by=actor,
    )


@transaction.atomic
def meeting_record(*, actor: Any, meeting: Meeting, minutes: str, attendees: Sequence[Member]) -> Meeting:
    """Record a held meeting: who attended and its minutes (printable as a PDF with a QR code)."""
    _require(may_run_meeting(actor, meeting.alliance, meeting.domain))
    if meeting.starts_at > timezone.now():
        raise ValidationError({"minutes": _("会议尚未召开,不能登记纪要。")})
    if not (minutes or "").strip():
        raise ValidationError({"minutes": _("请填写会议纪要。")})
    if any(m.alliance_id != meeting.alliance_id for m in attendees):
        raise ValidationError({"attendees": _("出席单位必须是本联盟成员。")})
    meeting.minutes = minutes.strip()
    meeting.status = MeetingStatus.HELD
    if not meeting.verify_code:
        meeting.verify_code = new_verification_code()
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def decision_add(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    task_data: dict[str, Any] | None = None,
    year: int | None = None,
) -> Decision:
    """Record a decision of a held meeting; with ``task_data`` it becomes a task of the meeting's domain."""
    _require(may_run_meeting(actor, meeting.alliance, meeting.domain))
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("请先登记会议纪要,再记录决议。"))
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写决议内容。")})
    decision = Decision.objects.create(meeting=meeting, text=text.strip())
    if task_data is not None:
        domain = task_data.get("domain") or meeting.domain
        if domain is None or domain.alliance_id != meeting.alliance_id:
            raise ValidationError({"domain": _("请选择决议落实的领域。")})
        task_create(
            actor=actor,
            domain=domain,
            year=year or timezone.localtime(meeting.starts_at).year,
            data={**task_data, "title": task_data.get("title") or text.strip()[:120]},
            decision=decision,
        )
    return decision


# Agreements -------------------------------------------------------------------------------------------

AGREEMENT_FIELDS = ("title", "scope", "signed_on", "term_start", "term_end", "confidential")


def _outside_rows(outside: Sequence[tuple[str, str]], seen: set[str]) -> list[tuple[None, str, str]]:
    """Outside parties (one per line: name, USCC), checked all at once; ``seen`` holds the names already
    on the agreement, so a party is never entered twice."""
    rows: list[tuple[None, str, str]] = []
    problems = []
    for line, (name, uscc) in enumerate(outside, start=1):
        name = name.strip()
        try:
            uscc = clean_uscc(uscc.strip()) if uscc.strip() else ""
        except ValidationError as error:
            problems.append(
                _("第 %(n)s 行(%(name)s):%(e)s") % {"n": line, "name": name, "e": " ".join(error.messages)}
            )
            continue
        if not name:
            problems.append(_("第 %(n)s 行:请填写单位名称。") % {"n": line})
            continue
        if not uscc:
            problems.append(
                _("第 %(n)s 行(%(name)s):平台外单位须填写统一社会信用代码。") % {"n": line, "name": name}
            )
            continue
        if name in seen:
            problems.append(_("第 %(n)s 行:%(name)s 重复。") % {"n": line, "name": name})
            continue
        seen.add(name)
        rows.append((None, name, uscc))
    if problems:
        raise ValidationError({"outside_parties": problems})
    return rows


def _party_rows(
    organisations: Sequence[Organisation], outside: Sequence[tuple[str, str]]
) -> list[tuple[Organisation | None, str, str]]:
    rows: list[tuple[Organisation | None, str, str]] = [(o, o.name, o.uscc or "") for o in organisations]
    rows += _outside_rows(outside, {o.name for o in organisations})
    if len(rows) < 2:
        raise ValidationError({"parties": _("协议至少要有两方。")})
    return rows


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    alliance: Alliance,
    data: dict[str, Any],
    organisations: Sequence[Organisation],
    outside: Sequence[tuple[str, str]] = (),
    text_file: UploadedFile[Any] | None = None,
) -> Agreement:
    """Register a strategic agreement with its parties (platform organisations, or outside ones by name
    and USCC) and the agreement text."""
    _secretariat(actor, alliance)
    check = enforce_time_rules(AGREEMENT_RULES, data, actor=actor, reason=data.get("backdate_reason", ""))
    rows = _party_rows(organisations, outside)
    alliance = _locked(alliance)
    year = data["signed_on"].year
    number = f"ZL{year}-{next_number('alliance-agreement', year):03d}"
    agreement = Agreement(
        alliance=alliance,
        number=number,
        created_by=actor,
        **{k: data[k] for k in AGREEMENT_FIELDS if k in data},
    )
    if text_file is not None:
        agreement.text_file.save(text_file.name or "agreement", text_file, save=False)
    agreement.save()
    for order, (organisation, name, uscc) in enumerate(rows):
        AgreementParty.objects.create(
            agreement=agreement, organisation=organisation, name=name, uscc=uscc, order=order
        )
    check.record(agreement)
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor: Any,
    agreement: Agreement,
    data: dict[str, Any],
    organisations: Sequence[Organisation],
    outside: Sequence[tuple[str, str]] = (),
    text_file: UploadedFile[Any] | None = None,
) -> Agreement:
    """Correct a registered agreement (title, scope, dates, confidentiality, the text) or add the parties
    of a supplementary signing. A party once registered stays: obligations and reports refer to it, so
    leaving it out of ``organisations`` is refused rather than dropping it silently. The signing date
    cannot move past an obligation's due date."""
    _secretariat(actor, agreement.alliance)
    agreement = Agreement.objects.select_for_update(of=("self",)).get(pk=agreement.pk)
    errors: dict[str, Any] = {}
    try:  # the dates' rules report together with the parties' and the obligations' checks
        check = enforce_time_rules(AGREEMENT_RULES, data, actor=actor, reason=data.get("backdate_reason", ""))
    except ValidationError as error:
        errors.update(error.message_dict)
    parties = list(agreement.parties.select_related("organisation"))
    chosen = {o.pk for o in organisations}
    outside_names = {name.strip() for name, _uscc in outside}
    dropped = [
        p.name
        for p in parties
        if (p.organisation_id and p.organisation_id not in chosen)
        or (not p.organisation_id and p.name not in outside_names)
    ]
    if dropped:
        errors["parties"] = _("已登记的签约方不能移除:%(names)s。") % {"names": "、".join(dropped)}
    known_orgs = {p.organisation_id for p in parties if p.organisation_id}
    earliest = agreement.obligations.order_by("due_on").values_list("due_on", flat=True).first()
    if earliest is not None and data["signed_on"] > earliest and "signed_on" not in errors:
        errors["signed_on"] = _("签约日期不能晚于已有义务的最早完成期限 %(d)s。") % {
            "d": earliest.isoformat()
        }
    seen = {p.name for p in parties}
    # Outside parties already on file may be listed again in the form: only new names are added.
    listed = [(name, uscc) for name, uscc in outside if name.strip() not in seen]
    rows: list[tuple[Organisation | None, str, str]] = [
        (o, o.name, o.uscc or "") for o in organisations if o.pk not in known_orgs
    ]
    try:
        rows += _outside_rows(listed, seen | {name for _o, name, _u in rows})
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    for key in AGREEMENT_FIELDS:
        if key in data:
            setattr(agreement, key, data[key])
    if text_file is not None:
        agreement.text_file.save(text_file.name or "agreement", text_file, save=False)
    agreement.save()
    order = len(parties)
    for organisation, name, uscc in rows:
        AgreementParty.objects.create(
            agreement=agreement, organisation=organisation, name=name, uscc=uscc, order=order
        )
        order += 1
    check.record(agreement)
    return agreement


@transaction.atomic
def agreement_status_set(*, actor: Any, agreement: Agreement, status: str) -> Agreement:
    _secretariat(actor, agreement.alliance)
    if status not in AgreementStatus.values:
        raise ValidationError({"status": _("请选择有效的状态。")})
    if (
        status == AgreementStatus.COMPLETED
        and agreement.obligations.filter(status__in=OPEN_OBLIGATION).exists()
    ):
        raise ValidationError({"status": _("还有未履行的义务,不能标记为已履行完毕。")})
    agreement.status = status
    agreement.save(update_fields=["status", "updated_at"])
    return agreement


@transaction.atomic
def obligation_add(*, actor: Any, agreement: Agreement, data: dict[str, Any]) -> Obligation:
    """Add who owes what by when; the owing party must be a party to the agreement."""
    _secretariat(actor, agreement.alliance)
    party = data.get("party")
    if party is None or party.agreement_id != agreement.pk:
        raise ValidationError({"party": _("履约方必须是本协议的签约方。")})
    errors = {}
    if data.get("achieved") is not None and data.get("target") is None:
        errors["achieved"] = _("没有目标值时不能填写完成值。")
    if data["due_on"] < agreement.signed_on:
        errors["due_on"] = _("完成期限不能早于签约日期 %(d)s。") % {"d": agreement.signed_on.isoformat()}
    if errors:
        raise ValidationError(errors)
    return Obligation.objects.create(
        agreement=agreement,
        party=party,
        description=data["description"],
        target=data.get("target"),
        unit=data.get("unit", ""),
        due_on=data["due_on"],
    )


@transaction.atomic
def obligation_update(*, actor: Any, obligation: Obligation, data: dict[str, Any]) -> Obligation:
    """Correct an open obligation: who owes it (a party of the agreement), what, the target and the due
    date. A delivered or waived one is closed and stays as reported. Moving the due date resets its
    reminders; moving an overdue one into the future makes it open again (in progress when something
    was already reported)."""
    _secretariat(actor, obligation.agreement.alliance)
    obligation = (
        Obligation.objects.select_for_update(of=("self",)).select_related("agreement").get(pk=obligation.pk)
    )
    agreement = obligation.agreement
    errors: dict[str, Any] = {}
    if obligation.status not in OPEN_OBLIGATION:
        errors["status"] = _("这项义务已经办结,不能再修改。")
    party = data.get("party")
    if party is None or party.agreement_id != agreement.pk:
        errors["party"] = _("履约方必须是本协议的签约方。")
    if data["due_on"] < agreement.signed_on:
        errors["due_on"] = _("完成期限不能早于签约日期 %(d)s。") % {"d": agreement.signed_on.isoformat()}
    if data.get("target") is None and obligation.achieved is not None:
        errors["target"] = _("已填报完成值的义务必须保留目标值。")
    if errors:
        raise ValidationError(errors)
    if data["due_on"] != obligation.due_on:
        obligation.reminded_due_at = None
        obligation.reminded_overdue_at = None
        if obligation.status == ObligationStatus.OVERDUE and data["due_on"] >= timezone.localdate():
            reported = obligation.achieved is not None or obligation.evidence_note or obligation.evidence
            obligation.status = ObligationStatus.IN_PROGRESS if reported else ObligationStatus.NOT_STARTED
    obligation.party = data["party"]
    obligation.description = data["description"]
    obligation.target = data.get("target")
    obligation.unit = data.get("unit", "")
    obligation.due_on = data["due_on"]
    obligation.save()
    return obligation


@transaction.atomic
def obligation_report(
    *,
    actor: Any,
    obligation: Obligation,
    status: str,
    note: str = "",
    achieved: Decimal | None = None,
    evidence: UploadedFile[Any] | None = None,
    waive_reason: str = "",
) -> Obligation:
    """Report on an obligation: in progress, delivered (with evidence), or waived (secretariat, with a
    reason). The owing party's admins and the secretariat may report."""
    _require(may_report_obligation(actor, obligation))
    obligation = Obligation.objects.select_for_update(of=("self",)).get(pk=obligation.pk)
    errors: dict[str, str] = {}
    if status not in (ObligationStatus.IN_PROGRESS, ObligationStatus.DELIVERED, ObligationStatus.WAIVED):
        errors["status"] = _("请选择履行中、已交付或豁免。")
    if obligation.status in (ObligationStatus.DELIVERED, ObligationStatus.WAIVED):
        errors["status"] = _("这项义务已经办结。")
    if status == ObligationStatus.WAIVED:
        if not is_secretariat(actor, obligation.agreement.alliance):
            errors["status"] = _("只有秘书处可以豁免义务。")
        elif not (waive_reason or "").strip():
            errors["waive_reason"] = _("豁免须说明原因。")
    if (
        status == ObligationStatus.DELIVERED
        and evidence is None
        and not obligation.evidence
        and not note.strip()
    ):
        errors["evidence"] = _("标记为已交付须上传佐证材料或填写履约说明。")
    if achieved is not None and obligation.target is None:
        errors["achieved"] = _("这项义务没有目标值。")
    if errors:
        raise ValidationError(errors)
    if status == ObligationStatus.IN_PROGRESS and obligation.status == ObligationStatus.OVERDUE:
        status = ObligationStatus.OVERDUE  # still late: reporting progress does not clear it
    obligation.status = status
    if achieved is not None:
        obligation.achieved = achieved
    if note:
        obligation.evidence_note = note.strip()
    if waive_reason:
        obligation.waive_reason = waive_reason.strip()
    if status == ObligationStatus.DELIVERED:
        obligation.delivered_on = timezone.localdate()
    if evidence is not None:
        obligation.evidence.save(evidence.name or "evidence", evidence, save=False)
    obligation.save()
    return obligation


def _obligation_owners(obligation: Obligation) -> list[Any]:
    """Who is reminded before the due date: the owing party's admins; an outside party has no login on
    the platform, so the secretariat is reminded for it."""
    if obligation.party.organisation_id:
        admins = _admins(obligation.party.organisation_id)
        if admins:
            return admins
    return _secretariat_people(obligation.agreement.alliance)


def obligation_reminders_send(*, today: dt.date | None = None) -> dict[str, int]:
    """The reminder sweep: obligations due within ``DUE_SOON_DAYS`` remind their owner once; those past
    their due date are marked overdue and the secretariat is told once. Run daily as the calendar duty
    ``alliance.obligation_reminders`` (jobs.periodic) and by the ``alliance_reminders`` job from the
    secretariat's button; each obligation is handled in its own transaction."""
    today = today or timezone.localdate()
    due_soon = overdue = 0
    soon = Obligation.objects.filter(
        status__in=[ObligationStatus.NOT_STARTED, ObligationStatus.IN_PROGRESS],
        due_on__gte=today,
        due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        reminded_due_at__isnull=True,
        agreement__archived_at__isnull=True,
    ).values_list("pk", flat=True)
    for pk in list(soon):
        with transaction.atomic():
            obligation = (
                Obligation.objects.select_for_update(of=("self",))
                .select_related("agreement__alliance", "party")
                .filter(pk=pk, reminded_due_at__isnull=True)
                .first()
            )
            if obligation is None:
                continue
            obligation.reminded_due_at = timezone.now()
            obligation.save(update_fields=["reminded_due_at", "updated_at"])
            _notify(
                _obligation_owners(obligation),
                texts.OBLIGATION_DUE(
                    agreement=obligation.agreement.title,
                    obligation=obligation.description,
                    due=obligation.due_on.isoformat(),
                ),
                reverse("alliance:agreement", args=[obligation.agreement_id]),
                "alliance",
            )
            due_soon += 1
    late = Obligation.objects.filter(
        Q(status__in=[ObligationStatus.NOT_STARTED, ObligationStatus.IN_PROGRESS])
        | Q(status=ObligationStatus.OVERDUE, reminded_overdue_at__isnull=True),
        due_on__lt=today,
        agreement__archived_at__isnull=True,
    ).values_list("pk", flat=True)
    for pk in list(late):
        with transaction.atomic():
            obligation = (
                Obligation.objects.select_for_update(of=("self",))
                .select_related("agreement__alliance", "party")
                .filter(pk=pk)
                .first()
            )
            if obligation is None or obligation.status in (
                ObligationStatus.DELIVERED,
                ObligationStatus.WAIVED,
            ):
                continue
            first_time = obligation.reminded_overdue_at is None
            obligation.status = ObligationStatus.OVERDUE
            if first_time:
                obligation.reminded_overdue_at = timezone.now()
            obligation.save(update_fields=["status", "reminded_overdue_at", "updated_at"])
            if first_time:
                _notify(
                    _secretariat_people(obligation.agreement.alliance),
                    texts.OBLIGATION_OVERDUE(
                        agreement=obligation.agreement.title,
                        obligation=obligation.description,
                        party=obligation.party.name,
                        due=obligation.due_on.isoformat(),
                    ),
                    reverse("alliance:agreement", args=[obligation.agreement_id]),
                    "alliance",
                )
                overdue += 1
    return {"due_soon": due_soon, "overdue": overdue}


def reminders_start(*, actor: Any, alliance: Alliance | None = None) -> Any:
    """Queue the reminder sweep as a background job (the secretariat's button, the sweep command)."""
    from jingxiang.jobs.services import job_enqueue

    if actor is not None and alliance is not None:
        _secretariat(actor, alliance)
    params = {"alliance_id": alliance.pk} if alliance is not None else {}
    return job_enqueue(
        kind="alliance_reminders", title=texts.REMINDERS_TITLE(), created_by=actor, params=params
    )
