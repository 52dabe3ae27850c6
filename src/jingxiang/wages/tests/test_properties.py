"""Property-based tests: the verdict depends only on pay against the requirement, exactly to the fen."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jingxiang.wages import check_row, find_level
from jingxiang.wages.amounts import FEN, parse_month
from jingxiang.wages.rows import WageRow
from jingxiang.wages.tests.conftest import agreement, check, finding, wage

D = Decimal
AGREEMENT = agreement()
POSTS = [post.name_zh for post in AGREEMENT.posts]
LEVELS = ["学徒工", "初级工", "中级工", "高级工", "技师", "高级技师", "特级技师", "首席技师"]
MONTHS = ["2023-07", "2023-12", "2024-01", "2024-06"]

fen_amounts = st.integers(min_value=0, max_value=2_000_000).map(lambda fen: D(fen) / 100)
hours = st.integers(min_value=0, max_value=12_000).map(lambda hundredths: D(hundredths) / 100)


def row(post: str, level: str, month: str, **amounts: Decimal) -> WageRow:
    post_object = AGREEMENT.find_post(post)
    level_object = find_level(level)
    month_date = parse_month(month)
    term = AGREEMENT.term_for(month_date)
    assert post_object and level_object and term
    return WageRow(1, "", "W", month_date, post_object, level_object, term, **amounts)


@settings(max_examples=150, deadline=None)
@given(
    post=st.sampled_from(POSTS),
    level=st.sampled_from(LEVELS),
    month=st.sampled_from(MONTHS),
    extra=fen_amounts,
)
def test_pay_at_or_above_the_norm_passes_and_a_fen_below_fails(
    post: str, level: str, month: str, extra: Decimal
) -> None:
    norm = AGREEMENT.norm(AGREEMENT.find_post(post), find_level(level), parse_month(month))  # type: ignore[arg-type]
    base = norm.amount + extra
    assert check_row(AGREEMENT, row(post, level, month, base_wage=base)).passed
    short = check_row(AGREEMENT, row(post, level, month, base_wage=norm.amount - FEN))
    failed = {item.rule_id: item for item in short.failures}
    assert failed["W-NORM"].shortfall == FEN


@settings(max_examples=150, deadline=None)
@given(
    base=fen_amounts,
    allowance=fen_amounts,
    piece=fen_amounts,
    raise_by=st.integers(min_value=1, max_value=100_000).map(lambda fen: D(fen) / 100),
    field=st.sampled_from(["base_wage", "piece_pay", "skill_allowance", "other_pay"]),
)
def test_paying_more_never_turns_a_pass_into_a_failure(
    base: Decimal, allowance: Decimal, piece: Decimal, raise_by: Decimal, field: str
) -> None:
    amounts = {"base_wage": base, "skill_allowance": allowance, "piece_pay": piece, "other_pay": D(0)}
    before = check_row(AGREEMENT, row("验光", "技师", "2024-03", **amounts))
    amounts[field] += raise_by
    after = check_row(AGREEMENT, row("验光", "技师", "2024-03", **amounts))
    for earlier, later in zip(before.findings, after.findings, strict=True):
        assert later.shortfall <= earlier.shortfall
        assert not (earlier.passed and not later.passed)


@settings(max_examples=150, deadline=None)
@given(weekday=hours, rest=hours, holiday=hours, contract=st.one_of(st.none(), fen_amounts))
def test_overtime_owed_is_the_sum_of_each_rate_rounded_and_exact_pay_passes(
    weekday: Decimal, rest: Decimal, holiday: Decimal, contract: Decimal | None
) -> None:
    probe = row(
        "装配",
        "中级工",
        "2024-02",
        base_wage=D(2700),
        overtime_weekday_hours=weekday,
        overtime_rest_day_hours=rest,
        overtime_holiday_hours=holiday,
        contract_wage=contract,
    )
    result = check_row(AGREEMENT, probe)
    overtime = [item for item in result.findings if item.rule_id == "W-OT"]
    if not (weekday or rest or holiday):
        assert overtime == []
        return
    base = max(D(2700), contract or D(0))
    expected = sum(
        (
            (base * hours * percent / D(17400)).quantize(FEN)
            for hours, percent in ((weekday, 150), (rest, 200), (holiday, 300))
        ),
        D(0),
    )
    assert overtime[0].required == expected
    paid = check_row(
        AGREEMENT, row("装配", "中级工", "2024-02", **{**_fields(probe), "overtime_pay": expected})
    )
    assert next(item for item in paid.findings if item.rule_id == "W-OT").passed
    if expected:
        under = check_row(
            AGREEMENT, row("装配", "中级工", "2024-02", **{**_fields(probe), "overtime_pay": expected - FEN})
        )
        assert next(item for item in under.findings if item.rule_id == "W-OT").shortfall == FEN


def _fields(probe: WageRow) -> dict:
    return {
        "base_wage": probe.base_wage,
        "overtime_weekday_hours": probe.overtime_weekday_hours,
        "overtime_rest_day_hours": probe.overtime_rest_day_hours,
        "overtime_holiday_hours": probe.overtime_holiday_hours,
        "contract_wage": probe.contract_wage,
    }


@settings(max_examples=60, deadline=None)
@given(base=fen_amounts, allowance=fen_amounts, level=st.sampled_from(LEVELS), month=st.sampled_from(MONTHS))
def test_csv_text_and_typed_rows_give_the_same_verdict(
    base: Decimal, allowance: Decimal, level: str, month: str
) -> None:
    report = check([wage(base_wage=str(base), skill_allowance=str(allowance), level=level, month=month)])
    direct = check_row(AGREEMENT, row("装配", level, month, base_wage=base, skill_allowance=allowance))
    assert [item.to_dict() for item in report.results[0].findings] == [
        item.to_dict() for item in direct.findings
    ]
    assert finding(report, "W-STAT").paid == base


@settings(max_examples=100, deadline=None)
@given(normal=st.integers(min_value=0, max_value=17_400).map(lambda hundredths: D(hundredths) / 100))
def test_pro_rated_norm_is_monotonic_and_never_above_the_full_norm(normal: Decimal) -> None:
    full = check_row(AGREEMENT, row("电镀", "技师", "2024-04", base_wage=D(0)))
    part = check_row(AGREEMENT, row("电镀", "技师", "2024-04", base_wage=D(0), normal_hours=normal))
    more = check_row(
        AGREEMENT, row("电镀", "技师", "2024-04", base_wage=D(0), normal_hours=min(normal + 1, D(174)))
    )
    required = {item.rule_id: item.required for item in part.findings}
    assert required["W-NORM"] <= {item.rule_id: item.required for item in more.findings}["W-NORM"]
    assert required["W-NORM"] <= {item.rule_id: item.required for item in full.findings}["W-NORM"]
    assert required["W-NORM"] == (D(3400) * normal / D(174)).quantize(FEN)
