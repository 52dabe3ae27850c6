"""The bridge to the pure-Python wage engine: loading stored versions and putting its refusals in words.

The engine's messages are English and name the column; the platform shows the reader's language, so
each refusal code gets a sentence here and the engine's own message is kept as detail.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import gettext as _

from jingxiang.wages import Agreement, Problem, load_agreement_text

_COLUMN_LABELS = {
    "firm": "企业",
    "worker_id": "工号",
    "month": "月份",
    "post": "岗位",
    "level": "认定等级",
    "base_wage": "基本工资",
    "piece_pay": "计件工资",
    "skill_allowance": "技能津贴",
    "other_pay": "其他工资",
    "overtime_pay": "加班工资",
    "overtime_weekday_hours": "工作日加班小时",
    "overtime_rest_day_hours": "休息日加班小时",
    "overtime_holiday_hours": "法定节假日加班小时",
    "normal_hours": "正常工作小时",
    "contract_wage": "合同月工资",
    "process": "工序",
    "pieces": "件数",
}


def problem_text(problem: Problem) -> str:
    """One engine problem in the reader's language, with the engine's figures kept after a dash."""
    known = {
        "below_statutory_minimum": _("标准低于法定最低工资"),
        "below_class_floor": _("标准低于岗位类别要求的最低比例(105/120/150/200%)"),
        "level_decreases": _("同一类别内高等级标准低于低等级"),
        "level_no_step": _("同一类别内等级之间没有逐级增加"),
        "unknown_post": _("协议中没有这个岗位"),
        "unknown_level": _("无法识别的技能等级"),
        "unknown_process": _("协议中没有这道工序"),
        "negative": _("不能为负数"),
        "month_outside_agreement": _("该月份不在任何协议期内"),
        "required": _("必填,不能为空"),
        "month": _("不是有效月份(如 2026-03)"),
        "duplicate_row": _("同一工号同一月份出现了两次"),
        "too_large": _("数值超出合理上限"),
        "too_many_hours": _("工时超过一个月的小时数"),
        "no_piece_rate": _("该月份的协议期没有这道工序的计件单价"),
        "no_statutory_minimum": _("该月份没有法定最低工资标准"),
        "cell_error": _("单元格是 Excel 错误值或未保存结果的公式"),
        "missing_column": _("缺少必填列"),
        "syntax": _("协议数据格式有误"),
        "schema": _("协议数据不符合格式要求"),
        "overlapping_terms": _("协议期相互重叠"),
        "precision": _("金额最多两位小数"),
        "not_a_number": _("不是有效数字"),
    }
    lead = known.get(problem.code)
    if lead is None:
        return problem.message
    return f"{lead}({problem.path}:{problem.message})"


def column_label(field: str | None) -> str:
    return _COLUMN_LABELS.get(field or "", field or "")


@lru_cache(maxsize=32)
def _load(version_pk: int, text: str) -> Agreement:
    return load_agreement_text(text, source=f"version-{version_pk}")


def agreement_of(version: object) -> Agreement:
    """The engine's agreement for a stored version (versions never change, so it is cached by pk)."""
    return _load(version.pk, version.text)  # type: ignore[attr-defined]
