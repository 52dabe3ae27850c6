"""The fund's rules: time rules of its records, the check that a call's rules do not contradict each
other, and the eligibility pre-check that names every failing reason at once.

The values all come from rows (CallRule, TalentTier, EliteGrade) that operators edit; this module only
knows what each kind of rule means.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingxiang.core.timerules import NotBefore, NotInPast
from jingxiang.fund.catalogue import attachment_kinds
from jingxiang.fund.models import CallRule, EliteGrade, RuleKind, TalentTier

CALL_RULES = (
    NotInPast("opens_on", label=gettext_lazy("申报开始")),
    NotBefore("closes_on", "opens_on", label=gettext_lazy("申报截止"), other_label=gettext_lazy("申报开始")),
)
RULE_RULES = (
    NotBefore("valid_to", "valid_from", label=gettext_lazy("失效日期"), other_label=gettext_lazy("生效日期")),
)
DATED_RULES = RULE_RULES
TRANCHE_RULES = (NotInPast("due_on", label=gettext_lazy("应达成日期")),)


def parse_value(kind: str, value: str) -> Any:
    """The rule's value in its kind's type; a ValueError with a readable message when it is not one."""
    text = (value or "").strip()
    if kind in (RuleKind.TIERS, RuleKind.ELITE):
        codes = [part.strip() for part in text.replace(",", ",").split(",") if part.strip()]
        if not codes:
            raise ValueError(_("请填写至少一个代码,用逗号分隔。"))
        return codes
    if kind == RuleKind.TOWN:
        if not text:
            raise ValueError(_("请填写注册地。"))
        return text
    if kind == RuleKind.REGISTRATION_DAYS:
        if not text.isdigit() or int(text) > 3650:
            raise ValueError(_("天数须为 0 到 3650 之间的整数。"))
        return int(text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("请填写数字。")) from None
    if kind == RuleKind.FOUNDER_EQUITY and not (Decimal("0") < number <= Decimal("100")):
        raise ValueError(_("持股比例须大于 0 且不超过 100。"))
    if kind == RuleKind.MAX_AWARD and number <= 0:
        raise ValueError(_("资助上限须大于 0。"))
    return number


def _overlap(a: Any, b: Any) -> bool:
    far = dt.date.max
    return bool(a.valid_from <= (b.valid_to or far) and b.valid_from <= (a.valid_to or far))


def _window_days(rule: Any, opens: dt.date, closes: dt.date) -> tuple[dt.date, dt.date] | None:
    start, end = max(rule.valid_from, opens), min(rule.valid_to or dt.date.max, closes)
    return (start, end) if start <= end else None


def rule_conflicts(
    rules: Sequence[Any],
    *,
    opens_on: dt.date,
    closes_on: dt.date,
    tiers: Iterable[TalentTier],
    grades: Iterable[EliteGrade],
    require_cover: bool = False,
) -> list[str]:
    """Every way the rules contradict each other or the catalogue (empty when they are consistent).

    ``require_cover`` (when the call opens) also asks that each kind of rule in use holds on every day
    of the application window, so no applicant meets a gap.
    """
    problems: list[str] = []
    tiers, grades = list(tiers), list(grades)
    parsed: list[tuple[Any, Any]] = []
    for rule in rules:
        label = rule.get_kind_display()
        if rule.valid_to is not None and rule.valid_to < rule.valid_from:
            problems.append(_("%(rule)s:失效日期早于生效日期。") % {"rule": label})
            continue
        try:
            parsed.append((rule, parse_value(rule.kind, rule.value)))
        except ValueError as error:
            problems.append(f"{label}:{error}")
    for i, (a, _va) in enumerate(parsed):
        for b, _vb in parsed[i + 1 :]:
            if a.kind == b.kind and _overlap(a, b):
                problems.append(
                    _("%(rule)s 有两条规则在 %(day)s 同时有效,结果无法确定。")
                    % {"rule": a.get_kind_display(), "day": max(a.valid_from, b.valid_from).isoformat()}
                )
    for rule, value in parsed:
        window = _window_days(rule, opens_on, closes_on)
        if window is None:
            continue
        if rule.kind == RuleKind.TIERS:
            for code in value:
                if not any(t.code == code and _catalogue_covers(t, window) for t in tiers):
                    problems.append(
                        _("人才层次“%(code)s”在申报期内不在人才目录中(或已失效)。") % {"code": code}
                    )
        if rule.kind == RuleKind.ELITE:
            for code in value:
                if not any(g.code == code and _catalogue_covers(g, window) for g in grades):
                    problems.append(
                        _("500精英计划等级“%(code)s”在申报期内不在目录中(或已失效)。") % {"code": code}
                    )
    # A grade the call admits whose support exceeds the call's own cap on the same day.
    for rule, value in parsed:
        if rule.kind != RuleKind.ELITE:
            continue
        for cap_rule, cap in parsed:
            if cap_rule.kind != RuleKind.MAX_AWARD or not _overlap(rule, cap_rule):
                continue
            for grade in grades:
                if grade.code in value and _overlap(grade, cap_rule) and grade.support > cap:
                    problems.append(
                        _("%(grade)s 资助 %(support)s 元,超过本通知单个项目资助上限 %(cap)s 元。")
                        % {"grade": grade.name, "support": f"{grade.support:,.0f}", "cap": f"{cap:,.0f}"}
                    )
    if require_cover:
        kinds = {rule.kind for rule, _value in parsed}
        for kind in sorted(kinds):
            day, gap = opens_on, None
            while day <= closes_on:
                if not any(r.kind == kind and r.valid_on(day) for r, _v in parsed):
                    gap = day
                    break
                day += dt.timedelta(days=1)
            if gap is not None:
                problems.append(
                    _("%(rule)s 在 %(day)s 没有有效规则,申报期内每天都须有一条。")
                    % {"rule": RuleKind(kind).label, "day": gap.isoformat()}
                )
    return list(dict.fromkeys(problems))


def _catalogue_covers(entry: Any, window: tuple[dt.date, dt.date]) -> bool:
    start, end = window
    return (
        entry.archived_at is None
        and entry.valid_from <= start
        and (entry.valid_to is None or end <= entry.valid_to)
    )


def rules_on(rules: Iterable[CallRule], day: dt.date) -> dict[str, tuple[CallRule, Any]]:
    """The rule of each kind that holds on ``day`` with its parsed value (a consistent call has one)."""
    found: dict[str, tuple[CallRule, Any]] = {}
    for rule in rules:
        if rule.archived_at is None and rule.valid_on(day):
            try:
                found[rule.kind] = (rule, parse_value(rule.kind, rule.value))
            except ValueError:
                continue
    return found


def eligibility_reasons(
    application: Any,
    *,
    rules: Iterable[CallRule],
    day: dt.date,
    team: Sequence[Any],
    attachment_kinds_present: set[str],
    grades: Iterable[EliteGrade],
) -> list[str]:
    """Every reason the application fails the call's rules that hold on ``day``; empty when eligible."""
    reasons: list[str] = []
    holding = rules_on(rules, day)
    call = application.call
    if not (call.opens_on <= day <= call.closes_on):
        reasons.append(
            _("不在申报期内(%(a)s 至 %(b)s)。")
            % {"a": call.opens_on.isoformat(), "b": call.closes_on.isoformat()}
        )
    if RuleKind.TIERS in holding:
        allowed = holding[RuleKind.TIERS][1]
        tier = application.talent_tier
        if tier is None:
            reasons.append(_("未填写领衔人才的人才层次。"))
        elif tier.code not in allowed or not tier.valid_on(day):
            reasons.append(_("人才层次“%(tier)s”不在本通知支持的层次内。") % {"tier": tier.name})
    if RuleKind.ELITE in holding:
        allowed = holding[RuleKind.ELITE][1]
        grade = application.elite_grade
        if grade is None:
            reasons.append(_("未填写 500精英计划等级。"))
        elif grade.code not in allowed or not grade.valid_on(day):
            reasons.append(_("500精英计划等级“%(grade)s”不在本通知支持的等级内。") % {"grade": grade.name})
        elif application.requested_amount > grade.support:
            reasons.append(
                _("申请资助 %(asked)s 元超过 %(grade)s 的资助标准 %(support)s 元。")
                % {
                    "asked": f"{application.requested_amount:,.2f}",
                    "grade": grade.name,
                    "support": f"{grade.support:,.2f}",
                }
            )
    if RuleKind.FOUNDER_EQUITY in holding:
        minimum = holding[RuleKind.FOUNDER_EQUITY][1]
        if application.founder_equity is None or application.founder_equity < minimum:
            reasons.append(
                _("创始人持股 %(have)s%% 低于要求的 %(min)s%%。")
                % {"have": application.founder_equity, "min": format(minimum.normalize(), "f")}
            )
    if RuleKind.TOWN in holding:
        town = holding[RuleKind.TOWN][1]
        if (application.registered_town or "").strip() != town:
            reasons.append(
                _("企业须在%(town)s注册(填写的是“%(have)s”)。")
                % {"town": town, "have": application.registered_town or "—"}
            )
    if RuleKind.REGISTRATION_DAYS in holding:
        days = holding[RuleKind.REGISTRATION_DAYS][1]
        deadline = call.closes_on + dt.timedelta(days=days)
        if application.registration_date is None:
            reasons.append(_("未填写注册日期(已注册或计划注册)。"))
        elif application.registration_date > deadline:
            reasons.append(
                _("注册日期 %(date)s 晚于注册期限 %(deadline)s(申报截止后 %(days)s 天)。")
                % {
                    "date": application.registration_date.isoformat(),
                    "deadline": deadline.isoformat(),
                    "days": days,
                }
            )
    if RuleKind.MAX_AWARD in holding:
        cap = holding[RuleKind.MAX_AWARD][1]
        if application.requested_amount > cap:
            reasons.append(
                _("申请资助 %(asked)s 元超过单个项目上限 %(cap)s 元。")
                % {"asked": f"{application.requested_amount:,.2f}", "cap": f"{cap:,.2f}"}
            )
    if not team:
        reasons.append(_("请至少填写一名团队成员。"))
    shares = [m.share for m in team if m.share is not None]
    if sum(shares, Decimal("0")) > 100:
        reasons.append(_("团队成员持股合计超过 100%。"))
    for kind, spec in attachment_kinds().items():
        if spec.get("required") and kind not in attachment_kinds_present:
            reasons.append(_("缺少必交附件:%(kind)s。") % {"kind": spec["label"]})
    return reasons
