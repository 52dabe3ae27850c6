"""Issue 11: a conclusion never says 合格 over a failing row — in the report, its PDF, the public
verification page and the 杜桥眼镜 brand alike; the reviewer decides every indicative failure."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jingxiang.lab import services
from jingxiang.lab.documents import brand_lookup, indicative_decisions, report_lookup, report_pdf
from jingxiang.lab.models import BrandStatus, Report, SampleStatus
from jingxiang.lab.tests.conftest import GOOD_GOGGLES

pytestmark = pytest.mark.django_db

# HA-UV-A (UVA ≤ 0.5 τv) is a U limit in JX-HA-2026: 3.0 % fails it at τv 5.2 %.
WEAK_UVA = {
    "nominal": {"declared_category": 4},
    "measured": {**GOOD_GOGGLES["measured"], "uva_transmittance": "3.0"},
}


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def _active_brand(lab_setup):  # type: ignore[no-untyped-def]
    report = lab_setup.report()
    brand = services.brand_apply(actor=lab_setup.cast.firm_admin, product_line=report.product_line)
    return services.brand_review(actor=lab_setup.cast.operator, brand=brand, approve=True)


def _weak_sample(lab_setup):  # type: ignore[no-untyped-def]
    sample = lab_setup.register(lab_setup.submit())
    sample = lab_setup.enter(sample, WEAK_UVA)
    assert sample.overall == "undecided"
    assert sample.verdict["decisions_needed"] == ["HA-UV-A"]
    assert sample.status == SampleStatus.AWAITING_REVIEW
    return sample


def test_a_failing_indicative_row_blocks_approval_until_decided(lab_setup):
    sample = _weak_sample(lab_setup)
    assert services.pending_decisions(sample) == ["HA-UV-A"]
    with pytest.raises(ValidationError) as error:
        lab_setup.approve(sample)
    assert codes(error.value) == {"indicative_undecided"}
    assert "HA-UV-A" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        lab_setup.approve(sample, excluded_rules={"HA-UV-A": "   "})
    assert codes(error.value) == {"exclusion_reason"}
    with pytest.raises(ValidationError) as error:
        lab_setup.approve(sample, confirmed_rules=["HA-CAT4"])
    assert codes(error.value) == {"confirmed_rules"}
    with pytest.raises(ValidationError) as error:
        lab_setup.approve(sample, confirmed_rules=["HA-UV-A"], excluded_rules={"HA-UV-A": "x"})
    assert codes(error.value) == {"decision_conflict"}
    assert not Report.objects.exists()


def test_confirming_the_limit_fails_the_report_the_page_and_the_brand(lab_setup):
    brand = _active_brand(lab_setup)
    sample = _weak_sample(lab_setup)
    report = lab_setup.approve(sample, confirmed_rules=["HA-UV-A"])
    assert report.overall == "fail"
    assert report.verdict["failed"] == ["HA-UV-A"]
    row = report.result_items.get(rule_id="HA-UV-A")
    assert (row.status, row.decision) == ("fail", "confirmed")
    assert "HA-UV-A 太阳紫外A透射比(4类 ≤ 0.5 τv):不合格;限值已对照标准原文确认,计入结论。" in (
        indicative_decisions(report)
    )
    public = report_lookup(report.verify_code)
    assert dict(public["facts"])["检测结论"] == "不合格"
    assert "计入结论" in dict(public["facts"])["参考性限值项目"]
    brand.refresh_from_db()
    assert brand.status == BrandStatus.SUSPENDED and brand.suspended_by_report == report
    assert brand_lookup(brand.verify_code)["status"] == "suspended"
    assert report_pdf(report).startswith(b"%PDF")


def test_excluding_with_a_reason_passes_and_says_what_was_excluded(lab_setup):
    brand = _active_brand(lab_setup)
    sample = _weak_sample(lab_setup)
    report = lab_setup.approve(sample, excluded_rules={"HA-UV-A": "委托合同约定本批次不考核紫外A"})
    assert report.overall == "pass"
    assert report.excluded_rules == {"HA-UV-A": "委托合同约定本批次不考核紫外A"}
    row = report.result_items.get(rule_id="HA-UV-A")
    assert (row.status, row.decision, row.decision_reason) == (
        "fail",
        "excluded",
        "委托合同约定本批次不考核紫外A",
    )
    assert (
        "HA-UV-A 太阳紫外A透射比(4类 ≤ 0.5 τv):不合格;审核人排除该项,不计入结论。理由:委托合同约定本批次不考核紫外A"
        in indicative_decisions(report)
    )
    facts = dict(report_lookup(report.verify_code)["facts"])
    assert facts["检测结论"] == "合格" and "排除" in facts["参考性限值项目"]
    brand.refresh_from_db()
    assert brand.status == BrandStatus.ACTIVE
    assert brand_lookup(brand.verify_code)["status"] == "valid"


def test_passing_indicative_rows_are_listed_without_a_decision(lab_setup):
    report = lab_setup.report()
    assert report.overall == "pass"
    assert "HA-UV-A 太阳紫外A透射比(4类 ≤ 0.5 τv):合格(依据参考性限值)。" in indicative_decisions(report)
