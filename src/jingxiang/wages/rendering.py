"""Plain-text renderings of reports, norms and problems for the command line (Chinese or English)."""

from __future__ import annotations

from collections.abc import Sequence

from jingxiang.wages.agreement import Agreement, Norm
from jingxiang.wages.amounts import money, month_text
from jingxiang.wages.engine import RULES, Report, RowResult
from jingxiang.wages.model import Problem

_WORDS = {
    "zh": {
        "rows": "行数",
        "passed": "合规",
        "failed": "不合规",
        "workers": "职工",
        "shortfall": "差额合计",
        "by_rule": "按规则",
        "by_firm": "按企业",
        "details": "不合规明细",
        "row": "第 {row} 行",
        "required": "应不低于",
        "paid": "实发",
        "gap": "差额",
        "none_failed": "全部合规。",
        "warnings": "提示",
        "norm": "能级工资标准",
        "statutory": "法定最低工资",
        "allowance": "技能津贴标准",
        "class": "岗位类别",
        "level": "适用等级",
        "term": "协议期",
        "valid": "协议有效",
        "invalid": "协议有误",
        "no_firm": "(未填企业)",
    },
    "en": {
        "rows": "rows",
        "passed": "passed",
        "failed": "failed",
        "workers": "workers",
        "shortfall": "total shortfall",
        "by_rule": "by rule",
        "by_firm": "by firm",
        "details": "failing rows",
        "row": "row {row}",
        "required": "required at least",
        "paid": "paid",
        "gap": "shortfall",
        "none_failed": "every row passes.",
        "warnings": "warnings",
        "norm": "skill-level norm",
        "statutory": "statutory minimum",
        "allowance": "agreed skill allowance",
        "class": "post class",
        "level": "applied level",
        "term": "term",
        "valid": "agreement valid",
        "invalid": "agreement invalid",
        "no_firm": "(no firm given)",
    },
}


def report_text(report: Report, lang: str = "zh") -> str:
    words = _WORDS[lang]
    summary = report.summary()
    title = (
        report.agreement.title_zh
        if lang == "zh"
        else (report.agreement.title_en or report.agreement.title_zh)
    )
    lines = [
        f"{title} — {report.source}",
        f"{words['rows']} {summary['rows']}, {words['passed']} {summary['rows_passed']}, "
        f"{words['failed']} {summary['rows_failed']}; {words['workers']} {summary['workers']}; "
        f"{words['shortfall']} {summary['shortfall_total']}",
        f"{words['by_rule']}:",
    ]
    for rule_id, tally in summary["failures_by_rule"].items():
        rule = RULES[rule_id]
        label = rule.label_zh if lang == "zh" else rule.label_en
        lines.append(f"  {rule_id} {label}: {tally['failures']} ({words['gap']} {tally['shortfall']})")
    if len(summary["by_firm"]) > 1 or "" not in summary["by_firm"]:
        lines.append(f"{words['by_firm']}:")
        for firm, tally in summary["by_firm"].items():
            lines.append(
                f"  {firm or words['no_firm']}: {words['rows']} {tally['rows']}, {words['failed']} "
                f"{tally['rows_failed']} ({words['gap']} {tally['shortfall']})"
            )
    failed = report.failed
    if not failed:
        lines.append(words["none_failed"])
    else:
        lines.append(f"{words['details']}:")
        for result in failed:
            lines += _result_lines(result, lang)
    lines += warnings_text(report.warnings, lang)
    return "\n".join(lines) + "\n"


def _result_lines(result: RowResult, lang: str) -> list[str]:
    words = _WORDS[lang]
    row = result.row
    firm = f"{row.firm} " if row.firm else ""
    lines = [
        f"{words['row'].format(row=row.row)}: {firm}{row.worker_id} {month_text(row.month)} "
        f"{row.post.name_zh}/{row.level.name_zh} ({row.post.post_class.name_zh}, {words['term']} {row.term.id})"
    ]
    for finding in result.failures:
        rule = RULES[finding.rule_id]
        label = rule.label_zh if lang == "zh" else rule.label_en
        lines.append(
            f"  {finding.rule_id} {label}: {words['required']} {money(finding.required)}, {words['paid']} "
            f"{money(finding.paid)}, {words['gap']} {money(finding.shortfall)}"
        )
        details = [f"{key}={value}" for key, value in finding.figures]
        if details:
            lines.append(f"    {'; '.join(details)}")
    lines += [f"    · {note}" for note in result.notes]
    return lines


def norm_text(norm: Norm, agreement: Agreement, lang: str = "zh") -> str:
    words = _WORDS[lang]
    lines = [
        f"{agreement.title_zh if lang == 'zh' else (agreement.title_en or agreement.title_zh)}",
        f"{norm.post.name_zh} · {norm.certified_level.name_zh} · {norm.region} · {month_text(norm.month)}",
        f"{words['norm']}: {money(norm.amount)}",
        f"{words['statutory']}: {money(norm.statutory_minimum)} ({norm.statutory_source})",
    ]
    if norm.allowance is not None:
        lines.append(f"{words['allowance']}: {money(norm.allowance)}")
    lines.append(
        f"{words['class']}: {norm.post.post_class.name_zh}; {words['level']}: {norm.applied_level.name_zh}; "
        f"{words['term']}: {norm.term_id}"
    )
    lines += [f"· {note}" for note in norm.notes]
    return "\n".join(lines) + "\n"


def warnings_text(problems: Sequence[Problem], lang: str = "zh") -> list[str]:
    if not problems:
        return []
    return [f"{_WORDS[lang]['warnings']}:"] + [f"  {problem.path}: {problem.message}" for problem in problems]


def problems_text(problems: Sequence[Problem]) -> str:
    return "".join(f"{problem.severity}: {problem.path or '/'}: {problem.message}\n" for problem in problems)
