"""Test reports in the global search: the firm that ordered them and the lab that issued them."""

from __future__ import annotations

import pytest

from jingxiang.lab.models import Report
from jingxiang.testing.search import found, query_count

pytestmark = pytest.mark.django_db


def test_reports_by_product_line_pinyin_for_firm_and_lab_only(cast, lab_setup):
    lab_setup.report()
    report = Report.objects.get()
    title = f"{report.number} {report.product_name}"
    for user in (cast.firm_admin, cast.lab_staff, cast.operator):
        assert found(user, "xueyu")["lab.report"] == [title]
        assert found(user, report.number)["lab.report"] == [title]
    assert found(cast.lab_staff, "kangbo")["lab.report"] == [title]
    for user in (cast.other_firm_admin, cast.expert_user, cast.union_staff, cast.outsider):
        assert "lab.report" not in found(user, "xueyu")


def test_report_search_costs_the_same_for_more_matches(cast, lab_setup):
    lab_setup.report()
    few = query_count(cast.firm_admin, "xueyu")
    for _ in range(3):
        lab_setup.report()
    assert Report.objects.count() == 4
    assert query_count(cast.firm_admin, "xueyu") == few
