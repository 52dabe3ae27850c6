"""Writes of the competition. Keyword-only; each validates and authorises again, in one transaction.

Reviewing (assignment, scores, normalisation) goes through ``jingxiang.reviewing``: a stage owns one
review round of scope ``competition.stage``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.competition.models import (
    Attachment,
    Award,
    Edition,
    Entry,
    EntryStatus,
    Organiser,
    Stage,
    StageEntry,
    StageKind,
    Track,
)
from jingxiang.competition.permissions import may_manage_edition
from jingxiang.competition.rules import EDITION_RULES, rules
from jingxiang.core.documents import new_verification_code
from jingxiang.core.numbering import formatted_number
from jingxiang.core.timerules import enforce_time_rules
from jingxiang.organisations.permissions import is_operator

SCOPE = "competition.stage"
OTP_PURPOSE = "competition_register"
STAGE_ORDER = (StageKind.PRELIMINARY, StageKind.SEMIFINAL, StageKind.FINAL)


def _require_manager(actor: Any, edition_id: int) -> None:
    if not may_manage_edition(actor, edition_id):
        raise PermissionDenied(_("您无权管理本届大赛。"))


def team_key(name: str) -> str:
    """Team names compared without case, width, spaces and punctuation: “镜界 团队” = “镜界团队”."""
    folded = unicodedata.normalize("NFKC", name or "").casefold()
    return "".join(char for char in folded if unicodedata.category(char)[0] in {"L", "N"})[:60]


# -- editions and tracks ---------------------------------------------------------------------------------


def edition_create(
    *,
    actor: Any,
    name: str,
    year: int,
    slug: str,
    registration_opens: dt.datetime,
    registration_closes: dt.datetime,
    description: str = "",
    advance: Sequence[int] = (20, 8),
    backdate_reason: str = "",
) -> Edition:
    """A new edition with the default tracks (editable) and its three stages (``advance``: how many
    entries the preliminary and the semi-final send on)."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营可以设立新一届大赛。"))
    enforce_time_rules(
        EDITION_RULES,
        {"registration_opens": registration_opens, "registration_closes": registration_closes},
        actor=actor,
        reason=backdate_reason,
    )
    if Edition.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("网址代码“%(s)s”已被使用。") % {"s": slug}})
    data = rules()
    with transaction.atomic():
        edition = Edition.objects.create(
            name=name,
            year=year,
            slug=slug,
            description=description,
            registration_opens=registration_opens,
            registration_closes=registration_closes,
        )
        for order, track in enumerate(data["tracks"]):
            Track.objects.create(
                edition=edition,
                code=track["code"],
                name=track["name"],
                description=track.get("description", ""),
                order=order,
            )
        counts = [*advance, 0]
        for order, kind in enumerate(STAGE_ORDER):
            Stage.objects.create(
                edition=edition,
                kind=kind,
                name=data["stages"][kind]["name"],
                order=order,
                advance_count=counts[order],
            )
    return edition


@transaction.atomic
def organiser_add(*, actor: Any, edition: Edition, user: Any) -> Organiser:
    """Appoint a login to the edition's organising committee (again, if it had been removed)."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营可以指定组委会成员。"))
    if not user.is_active:
        raise ValidationError({"user": _("该账号已停用,不能加入组委会。")}, code="inactive")
    if Organiser.objects.filter(edition=edition, user=user, active=True).exists():
        raise ValidationError({"user": _("此人已是本届大赛的组委会成员。")}, code="duplicate")
    organiser, _created = Organiser.objects.update_or_create(
        edition=edition, user=user, defaults={"active": True}
    )
    return organiser


@transaction.atomic
def organiser_remove(*, actor: Any, organiser: Organiser) -> Organiser:
    """Take a member off the committee: kept (inactive) for the record, never deleted."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营可以调整组委会成员。"))
    organiser = Organiser.objects.select_for_update().get(pk=organiser.pk)
    if not organiser.active:
        raise ValidationError(_("此人已不在组委会中。"), code="inactive")
    organiser.active = False
    organiser.save(update_fields=["active", "updated_at"])
    return organiser


def track_save(
    *,
    actor: Any,
    edition: Edition,
    code: str,
    name: str,
    description: str = "",
    order: int = 0,
    active: bool = True,
    track: Track | None = None,
) -> Track:
    """Add a track or change one; a track with entries keeps its code (entries refer to it)."""
    _require_manager(actor, edition.pk)
    with transaction.atomic():
        clash = Track.objects.filter(edition=edition, code=code)
        if track is not None:
            clash = clash.exclude(pk=track.pk)
        if clash.exists():
            raise ValidationError({"code": _("赛道代码“%(c)s”已存在。") % {"c": code}})
        if track is None:
            return Track.objects.create(
                edition=edition, code=code, name=name, description=description, order=order, active=active
            )
        locked: Track = Track.objects.select_for_update().get(pk=track.pk)
        if locked.code != code and locked.entries.exists():
            raise ValidationError({"code": _("已有项目报名该赛道,不能修改代码。")})
        locked.code, locked.name, locked.description, locked.order, locked.active = (
            code,
            name,
            description,
            order,
            active,
        )
        locked.save()
        return locked


# -- registration ----------------------------------------------------------------------------------------


def _code_message(code: str, minutes: int) -> tuple[str, str]:
    text = _("【镜享】您的大赛报名验证码是 %(code)s,%(minutes)s 分钟内有效。") % {
        "code": code,
        "minutes": minutes,
    }
    return _("大赛报名验证码"), text


def registration_code_send(*, mobile: str, ip: str | None = None) -> None:
    """A one-time code to register a team with a mobile that has no account yet."""
    from jingxiang.accounts.models import Channel
    from jingxiang.accounts.services import otp_issue

    if get_user_model().objects.filter(mobile=mobile).exists():
        raise ValidationError({"mobile": _("该手机号已有平台账号,请先登录再报名。")}, code="registered")
    try:
        otp_issue(purpose=OTP_PURPOSE, channel=Channel.SMS, destination=mobile, message=_code_message, ip=ip)
    except ValidationError as error:
        raise ValidationError({"mobile": error.messages}) from error


MEMBER_LINE = re.compile(
    r"^\s*(?P<name>[^,,/]+?)\s*(?:[,,/]\s*(?P<role>[^,,/]*?)\s*)?(?:[,,/]\s*(?P<share>[\d.]+)\s*%?\s*)?$"
)


def parse_members(text: str) -> list[dict[str, Any]]:
    """Team members, one a line: ``姓名, 角色, 股份%`` (role and share optional). Every bad line is named."""
    members: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = MEMBER_LINE.match(line)
        if not match or not match.group("name").strip():
            problems.append(_("第 %(n)s 行看不懂:请写成“姓名, 角色, 股份%%”。") % {"n": number})
            continue
        share = match.group("share")
        value = None
        if share:
            try:
                value = Decimal(share)
            except ArithmeticError:
                value = None
            if value is None or not (0 <= value <= 100):
                problems.append(_("第 %(n)s 行的股份应在 0 到 100 之间。") % {"n": number})
                continue
        members.append(
            {
                "name": match.group("name").strip()[:50],
                "role": (match.group("role") or "").strip()[:40],
                "share": float(value) if value is not None else None,
            }
        )
    limit = rules()["registration"]["max_members"]
    if not members and not problems:
        problems.append(_("请至少填写一名团队成员(含负责人)。"))
    if len(members) > limit:
        problems.append(_("团队成员最多 %(n)s 人。") % {"n": limit})
    total = sum(member["share"] or 0 for member in members)
    if total > 100:
        problems.append(_("团队成员股份合计 %(t)s%%,超过 100%%。") % {"t": f"{total:g}"})
    if problems:
        raise ValidationError({"members": problems})
    return members


def _check_files(plan: Any, others: Sequence[Any]) -> None:
    from jingxiang.demands.validation import check_attachment

    problems: list[str] = []
    if plan is None:
        problems.append(_("请上传商业计划书(PDF)。"))
    else:
        if not str(plan.name).lower().endswith(".pdf"):
            problems.append(_("商业计划书必须是 PDF 文件。"))
        else:
            try:
                check_attachment(plan)
            except ValidationError as error:
                problems.extend(error.messages)
    limit = rules()["registration"]["max_attachments"]
    if len(others) > limit:
        problems.append(_("其他材料最多 %(n)s 个。") % {"n": limit})
    for upload in others:
        try:
            check_attachment(upload)
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError({"plan": problems})


def _duplicate(edition: Edition, key: str, leader: Any, mobile: str) -> str:
    same_team = (
        Entry.objects.filter(edition=edition, team_key=key).exclude(status=EntryStatus.WITHDRAWN).first()
    )
    if same_team is not None:
        return _(
            "团队“%(t)s”已报名本届大赛(报名编号 %(n)s),不能重复报名。如需修改,请登录后在“我的参赛”中操作。"
        ) % {
            "t": same_team.team_name,
            "n": same_team.number,
        }
    mine = Entry.objects.filter(edition=edition, leader_mobile=mobile).first() if mobile else None
    if mine is None and leader is not None:
        mine = Entry.objects.filter(edition=edition, leader=leader).first()
    if mine is not None:
        return _("该负责人已报名本届大赛(报名编号 %(n)s,项目“%(p)s”),每位负责人只能报名一个项目。") % {
            "n": mine.number,
            "p": mine.title,
        }
    return ""


def entry_register(
    *,
    actor: Any,
    edition: Edition,
    track: Track,
    title: str,
    summary: str,
    team_name: str,
    leader_name: str,
    members: str,
    organisation_name: str = "",
    tags: Sequence[str] = (),
    plan: Any = None,
    attachments: Sequence[Any] = (),
    mobile: str = "",
    code: str = "",
    ip: str | None = None,
    now: dt.datetime | None = None,
) -> Entry:
    """Register a team's project. Without a login, ``mobile`` + ``code`` (the one-time code) create the
    leader's account. Refused with every reason, nothing saved (no account, no file): registration
    closed, a track of another edition or closed, bad member lines, a bad file (type by its first bytes,
    size), the same team or the same leader twice in the edition."""
    from jingxiang.accounts.models import Channel
    from jingxiang.accounts.services import otp_consume, otp_verify

    now = now or timezone.now()
    if not edition.registration_open(now):
        raise ValidationError(
            _("本届大赛当前不在报名时间内(%(a)s 至 %(b)s)。")
            % {
                "a": timezone.localtime(edition.registration_opens).strftime("%Y-%m-%d %H:%M"),
                "b": timezone.localtime(edition.registration_closes).strftime("%Y-%m-%d %H:%M"),
            }
        )
    anonymous = not getattr(actor, "is_authenticated", False)
    errors: dict[str, list[str]] = {}
    if track.edition_id != edition.pk or not track.active:
        errors.setdefault("track", []).append(_("该赛道不接受报名。"))
    parsed: list[dict[str, Any]] = []
    try:
        parsed = parse_members(members)
    except ValidationError as error:
        errors.update({k: list(v) for k, v in error.message_dict.items()})
    try:
        _check_files(plan, attachments)
    except ValidationError as error:
        errors.update({k: list(v) for k, v in error.message_dict.items()})
    key = team_key(team_name)
    if not key:
        errors.setdefault("team_name", []).append(_("请填写团队名称(至少一个汉字、字母或数字)。"))
    leader = None if anonymous else actor
    leader_mobile = mobile if anonymous else (getattr(actor, "mobile", "") or "")
    otp_row = None
    if anonymous:
        if not mobile:
            errors.setdefault("mobile", []).append(_("请填写手机号。"))
        elif get_user_model().objects.filter(mobile=mobile).exists():
            errors.setdefault("mobile", []).append(_("该手机号已有平台账号,请先登录再报名。"))
        else:
            try:
                otp_row = otp_verify(
                    purpose=OTP_PURPOSE,
                    channel=Channel.SMS,
                    destination=mobile,
                    code=code,
                    ip=ip,
                    consume=False,
                )
            except ValidationError as error:
                errors.setdefault("code", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    duplicate = _duplicate(edition, key, leader, leader_mobile)
    if duplicate:
        raise ValidationError({"team_name": [duplicate]})
    try:
        with transaction.atomic():
            Edition.objects.select_for_update().get(pk=edition.pk)
            duplicate = _duplicate(edition, key, leader, leader_mobile)
            if duplicate:
                raise ValidationError({"team_name": [duplicate]})
            if leader is None:
                user = get_user_model()(
                    username=f"team{mobile}", mobile=mobile, verified_mobile=mobile, display_name=leader_name
                )
                user.set_unusable_password()
                user.save()
                leader = user
            entry = Entry.objects.create(
                edition=edition,
                track=track,
                number=formatted_number(f"competition-{edition.pk}", edition.year, "JX{year}-{n:04d}"),
                title=title,
                summary=summary,
                team_name=team_name,
                team_key=key,
                leader=leader,
                leader_name=leader_name,
                leader_mobile=leader_mobile,
                organisation_name=organisation_name,
                members=parsed,
                tags=[str(tag).strip()[:20] for tag in tags if str(tag).strip()][:10] or [track.name],
            )
            for kind, upload in [("plan", plan), *(("other", item) for item in attachments)]:
                Attachment.objects.create(
                    entry=entry, kind=kind, file=upload, name=str(upload.name)[:200], size=upload.size
                )
            if otp_row is not None:
                otp_consume(code=otp_row)
    except IntegrityError as error:
        raise ValidationError({"team_name": [_("该团队或负责人已报名本届大赛,不能重复报名。")]}) from error
    return entry


def entry_withdraw(*, actor: Any, entry: Entry) -> Entry:
    if entry.leader_id != getattr(actor, "pk", None) and not may_manage_edition(actor, entry.edition_id):
        raise PermissionDenied(_("您无权操作该项目。"))
    with transaction.atomic():
        locked: Entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if locked.status in {EntryStatus.AWARDED, EntryStatus.WITHDRAWN}:
            raise ValidationError(_("该项目已获奖或已退赛。"))
        locked.status = EntryStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
    return locked


# -- stages and their review rounds ----------------------------------------------------------------------


def _person_keys(entry: Entry) -> list[str]:
    from jingxiang.reviewing.history import user_key

    return [user_key(entry.leader_id)] + [f"member:{entry.pk}:{m['name']}" for m in entry.members]


def stage_round_setup(
    *, actor: Any, stage: Stage, opens_at: dt.datetime, closes_at: dt.datetime, backdate_reason: str = ""
) -> Stage:
    """Create the stage's review round (criteria and scale from rules.yaml) and put its entries in.

    The preliminary takes every registered entry; a later stage the entries the previous stage sent on.
    """
    from jingxiang.reviewing import services as reviewing

    _require_manager(actor, stage.edition_id)
    if stage.round_id is not None:
        raise ValidationError(_("该赛段的评审轮次已设立。"))
    previous = Stage.objects.filter(edition=stage.edition, order=stage.order - 1).first()
    if previous is not None and previous.decided_at is None:
        raise ValidationError(_("上一赛段(%(s)s)的结果尚未确定。") % {"s": previous.name})
    config = rules()["stages"][stage.kind]
    scale = config["scale"]
    with transaction.atomic():
        locked: Stage = Stage.objects.select_for_update().get(pk=stage.pk)
        if locked.round_id is not None:
            raise ValidationError(_("该赛段的评审轮次已设立。"))
        round = reviewing.round_create(
            actor=actor,
            scope=SCOPE,
            object_id=locked.pk,
            title=f"{locked.edition.name} · {locked.name}",
            opens_at=opens_at,
            closes_at=closes_at,
            criteria=config["criteria"],
            scale_min=Decimal(str(scale["min"])),
            scale_max=Decimal(str(scale["max"])),
            scale_step=Decimal(str(scale["step"])) if scale.get("step") else None,
            reviewers_needed=int(config["reviewers_needed"]),
            mode=config["mode"],
            backdate_reason=backdate_reason,
        )
        locked.round = round
        locked.save(update_fields=["round", "updated_at"])
        if previous is None:
            entries = list(
                Entry.objects.filter(edition=locked.edition, status=EntryStatus.REGISTERED).select_related(
                    "track"
                )
            )
        else:
            entries = [
                se.entry
                for se in StageEntry.objects.filter(stage=previous, advanced=True)
                .select_related("entry__track")
                .exclude(entry__status=EntryStatus.WITHDRAWN)
            ]
        if not entries:
            raise ValidationError(_("没有可参加该赛段的项目。"))
        for entry in entries:
            submission = reviewing.submission_add(
                actor=actor,
                round=round,
                entry=entry,
                title=f"{entry.number} {entry.title}",
                organisation=entry.organisation,
                team=_person_keys(entry),
                tags=[entry.track.name, *entry.tags],
            )
            StageEntry.objects.create(stage=locked, entry=entry, submission=submission)
            if entry.status == EntryStatus.REGISTERED:
                entry.status = EntryStatus.IN_PROGRESS
                entry.save(update_fields=["status", "updated_at"])
    return locked


def judge_add(
    *,
    actor: Any,
    stage: Stage,
    user: Any,
    expertise: Sequence[str] = (),
    max_load: int = 20,
    organisation: Any = None,
) -> Any:
    """A judge for the stage (a reviewer in its review round); a judge on a team is excluded by the engine."""
    from jingxiang.reviewing import services as reviewing

    _require_manager(actor, stage.edition_id)
    if stage.round_id is None:
        raise ValidationError(_("请先设立该赛段的评审轮次。"))
    assert stage.round is not None
    return reviewing.reviewer_add(
        actor=actor,
        round=stage.round,
        user=user,
        expertise=expertise,
        max_load=max_load,
        organisation=organisation,
    )


def live_set_current(*, actor: Any, stage: Stage, entry: Entry | None) -> Stage:
    """Put an entry on stage for live scoring (None: nobody on stage)."""
    _require_manager(actor, stage.edition_id)
    if entry is not None and not StageEntry.objects.filter(stage=stage, entry=entry).exists():
        raise ValidationError(_("该项目不在本赛段。"))
    with transaction.atomic():
        locked: Stage = Stage.objects.select_for_update().get(pk=stage.pk)
        locked.current_entry = entry
        locked.save(update_fields=["current_entry", "updated_at"])
    return locked


def stage_decide(*, actor: Any, stage: Stage) -> Stage:
    """Fix the stage's result from the normalised ranking: ranks, who advances, and in the final the awards.

    Refused: scoring still open, an entry nobody scored (it cannot be ranked), a result already fixed.
    Tie-breaks are the engine's: normalised score, then raw score, then the number of scores, then the
    order of registration.
    """
    from jingxiang.reviewing import selectors as reviewing

    _require_manager(actor, stage.edition_id)
    with transaction.atomic():
        locked: Stage = (
            Stage.objects.select_for_update(of=("self",)).select_related("round", "edition").get(pk=stage.pk)
        )
        if locked.decided_at is not None:
            raise ValidationError(_("该赛段结果已确定。"))
        if locked.round is None:
            raise ValidationError(_("该赛段尚未设立评审轮次。"))
        if not locked.round.is_closed():
            raise ValidationError(_("评分尚未截止,请先截止评分再确定结果。"))
        ranking = reviewing.round_ranking(locked.round)
        unscored = [row.submission.title for row in ranking.rows if row.rank is None]
        if unscored:
            raise ValidationError(
                _("以下项目没有任何已提交的评分,无法排名:%(t)s") % {"t": "、".join(unscored[:10])}
            )
        by_submission = {row.submission.pk: row for row in ranking.rows}
        stage_entries = list(StageEntry.objects.filter(stage=locked).select_related("entry"))
        for se in stage_entries:
            row = by_submission[int(se.submission_id or 0)]
            se.rank, se.score, se.raw_score = row.rank, row.score, row.raw_score
            se.advanced = (
                locked.kind != StageKind.FINAL and row.rank is not None and row.rank <= locked.advance_count
            )
            se.save(update_fields=["rank", "score", "raw_score", "advanced", "updated_at"])
            entry = se.entry
            if locked.kind == StageKind.FINAL:
                continue
            if not se.advanced:
                entry.status = EntryStatus.ELIMINATED
            elif locked.order + 1 == len(STAGE_ORDER) - 1:
                entry.status = EntryStatus.FINALIST
            entry.save(update_fields=["status", "updated_at"])
        if locked.kind == StageKind.FINAL:
            _awards(locked, sorted(stage_entries, key=lambda se: se.rank or 0))
        locked.decided_at = timezone.now()
        locked.save(update_fields=["decided_at", "updated_at"])
    return locked


def _awards(stage: Stage, ranked: Sequence[StageEntry]) -> None:
    levels = rules()["awards"]
    position = 0
    for level in levels:
        count = level["count"] if level["count"] is not None else len(ranked) - position
        for se in ranked[position : position + count]:
            Award.objects.create(
                edition=stage.edition,
                entry=se.entry,
                level=level["code"],
                name=level["name"],
                rank=se.rank or 0,
                verification_code=new_verification_code(),
            )
            se.entry.status = EntryStatus.AWARDED
            se.entry.save(update_fields=["status", "updated_at"])
        position += count


def results_publish(*, actor: Any, edition: Edition) -> Edition:
    _require_manager(actor, edition.pk)
    with transaction.atomic():
        locked: Edition = Edition.objects.select_for_update().get(pk=edition.pk)
        final = Stage.objects.filter(edition=locked, kind=StageKind.FINAL).first()
        if final is None or final.decided_at is None:
            raise ValidationError(_("决赛结果尚未确定,不能公布。"))
        if locked.results_published_at is None:
            locked.results_published_at = timezone.now()
            locked.save(update_fields=["results_published_at", "updated_at"])
    return locked


def live_score(*, actor: Any, stage: Stage, values: Mapping[Any, Any], comment: str = "") -> Any:
    """A judge's score for the entry now on stage (the review block checks scale, window and the judge)."""
    from django.contrib.contenttypes.models import ContentType

    from jingxiang.reviewing import services as reviewing
    from jingxiang.reviewing.models import Assignment

    locked = Stage.objects.get(pk=stage.pk)
    if locked.current_entry_id is None or locked.round_id is None:
        raise ValidationError(_("当前没有路演项目。"))
    assignment = (
        Assignment.objects.visible_to(actor)
        .filter(
            round_id=locked.round_id,
            submission__content_type=ContentType.objects.get_for_model(Entry),
            submission__object_id=locked.current_entry_id,
        )
        .first()
    )
    if assignment is None:
        raise PermissionDenied(_("您不评审当前项目(可能因回避)。"))
    return reviewing.scores_submit(actor=actor, assignment=assignment, values=values, comment=comment)
