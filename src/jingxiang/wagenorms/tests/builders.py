"""Test builders: the shipped example agreement taken through its procedure, wage workbooks."""

from __future__ import annotations

import datetime as dt
import io
from importlib import resources
from typing import Any

from openpyxl import Workbook

from jingxiang.wagenorms import services
from jingxiang.wagenorms.imports import WageImport

EXAMPLE = (
    resources.files("jingxiang.wages").joinpath("agreements/linhai-eyewear.yaml").read_text(encoding="utf-8")
)


def effective_agreement(actor: Any, *, text: str = EXAMPLE) -> Any:
    """Negotiated (one round), voted (30 of 35 present, 25 approve), filed 20 days ago, review over."""
    today = dt.date.today()
    agreement = services.agreement_create(
        actor=actor, title="临海市眼镜行业能级工资集体协议", employers="临海市眼镜行业协会", text=text
    )
    services.round_record(
        actor=actor,
        agreement=agreement,
        held_on=today - dt.timedelta(days=30),
        union_proposal="各级标准上调 5%",
        employer_proposal="上调 3%",
        minutes="议定上调 4%",
    )
    services.vote_record(
        actor=actor,
        agreement=agreement,
        held_on=today - dt.timedelta(days=25),
        representatives=35,
        present=30,
        approve=25,
        against=3,
        abstain=2,
    )
    services.agreement_file(
        actor=actor, agreement=agreement, filed_on=today - dt.timedelta(days=20), authority="临海市人社局"
    )
    return services.agreement_review_result(actor=actor, agreement=agreement)


HEADER = ["工号", "手机号", "月份", "岗位", "认定等级", "基本工资", "技能津贴", "工作日加班小时", "加班工资"]


def workbook(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# 2026-03: 抛光 (基础类) 中级工 norm 2,760; 验光 (关键类) entry 中级工 3,540; statutory minimum 2,260.
GOOD = [
    ["A001", "", "2026-03", "抛光", "中级工", "2760", "0", "0", "0"],
    ["A002", "", "2026-03", "验光", "中级工", "3540", "0", "0", "0"],
    ["A003", "", "2026-03", "抛光", "初级工", "2700", "0", "0", "0"],
]
TWO_VIOLATIONS = [
    *GOOD,
    ["A004", "", "2026-03", "抛光", "中级工", "2759.99", "0", "0", "0"],  # one fen under the norm
    ["A005", "", "2026-03", "抛光", "中级工", "2000", "800", "0", "0"],  # norm met, but base < 2,260
]


def import_file(firm: Any, actor: Any, data: bytes) -> tuple[Any, WageImport]:
    from jingxiang.core.imports import run_import

    spec = WageImport(firm_id=firm.pk)
    result = run_import(spec, data, actor, lambda percent, text: None)
    return result, spec
