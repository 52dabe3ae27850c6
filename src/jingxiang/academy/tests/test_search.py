"""Courses and cohorts in the global search: pinyin, and archived courses only for their academy."""

from __future__ import annotations

import pytest
from django.utils import timezone

from jingxiang.academy.models import Course
from jingxiang.testing.search import found, query_count

pytestmark = pytest.mark.django_db


def test_courses_and_cohorts_by_pinyin(cast, academy):
    for user in (cast.firm_admin, cast.expert_user, academy.school_staff):
        assert found(user, "yjdpg")["academy.course"] == [str(academy.course)]
        assert found(user, "dingpeigong")["academy.cohort"] == [academy.cohort.name]
    assert found(cast.firm_admin, "DP-5")["academy.course"] == [str(academy.course)]
    assert found(cast.outsider, "yjdpg") == {}


def test_archived_courses_only_for_their_academy(cast, academy):
    old = Course.objects.create(
        code="OLD-1",
        title="旧版验光课程",
        provider=academy.school,
        skill=academy.course.skill,
        archived_at=timezone.now(),
    )
    assert "academy.course" not in found(cast.firm_admin, "jbyg")
    assert found(academy.school_staff, "jbyg")["academy.course"] == [str(old)]
    assert "academy.course" not in found(academy.other_school_staff, "jbyg")


def test_course_search_costs_the_same_for_more_matches(cast, academy):
    few = query_count(cast.firm_admin, "yjdpg")
    for n in range(8):
        Course.objects.create(
            code=f"DP-{10 + n}",
            title=f"眼镜定配工进阶{n}",
            provider=academy.school,
            skill=academy.course.skill,
        )
    assert query_count(cast.firm_admin, "yjdpg") == few
