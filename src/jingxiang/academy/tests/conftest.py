"""Academy fixtures: the rules loaded from YAML, a school with its staff, a certifying course and cohort."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from jingxiang.organisations.models import OrganisationKind, Role
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, TalentFactory, UserFactory


@dataclass
class Academy:
    school: Any
    school_staff: Any
    other_school: Any
    other_school_staff: Any
    course: Any
    cohort: Any
    sessions: list[Any]
    level5: Any
    level4: Any


@pytest.fixture
def rules(db: Any) -> None:
    from jingxiang.academy.services import rules_sync
    from jingxiang.talents.services import skills_sync

    skills_sync()
    rules_sync()


def make_sessions(cohort: Any, count: int = 5, *, start: dt.datetime | None = None) -> list[Any]:
    from jingxiang.academy.models import Session

    start = start or timezone.make_aware(dt.datetime.combine(cohort.starts_on, dt.time(9, 0)))
    return [
        Session.objects.create(
            cohort=cohort,
            topic=f"第{i + 1}讲",
            starts_at=start + dt.timedelta(hours=3 * i),
            ends_at=start + dt.timedelta(hours=3 * i + 2),
        )
        for i in range(count)
    ]


@pytest.fixture
def academy(cast: Any, rules: None) -> Academy:
    from jingxiang.academy.models import Cohort, Course, OccupationLevel, SubsidyRule

    school = OrganisationFactory(
        name="台州市眼镜产业链“工匠学院”", kind=OrganisationKind.UNIVERSITY, uscc=None
    )
    other_school = OrganisationFactory(name="台州职业技术学院", kind=OrganisationKind.UNIVERSITY, uscc=None)
    school_staff = UserFactory(username="school_staff")
    MembershipFactory(user=school_staff, organisation=school, role=Role.ORG_ADMIN)
    other_school_staff = UserFactory(username="other_school_staff")
    MembershipFactory(user=other_school_staff, organisation=other_school, role=Role.MEMBER)
    level5 = OccupationLevel.objects.get(occupation__code="4-14-03-04", rank=5)
    level4 = OccupationLevel.objects.get(occupation__code="4-14-03-04", rank=4)
    course = Course.objects.create(
        code="DP-5",
        title="眼镜定配工(五级)",
        provider=school,
        skill=level5.occupation.skill,
        occupation_level=level5,
        skill_level=level5.skill_level,
        theory_hours=16,
        practice_hours=24,
        fee=Decimal("1200.00"),
        subsidy_rule=SubsidyRule.objects.get(code="skill_cert"),
    )
    today = timezone.localdate()
    # Ten days of training ending today: its sessions are over (attendance may be marked) and its
    # certificates may be issued (academy/rules.py). Created directly, as a record entered before.
    cohort = Cohort.objects.create(
        course=course,
        name="定配工五级 2026 春季班",
        venue="杜桥镇人才共享驿站 2 楼",
        capacity=2,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today,
    )
    return Academy(
        school=school,
        school_staff=school_staff,
        other_school=other_school,
        other_school_staff=other_school_staff,
        course=course,
        cohort=cohort,
        sessions=make_sessions(cohort),
        level5=level5,
        level4=level4,
    )


@pytest.fixture
def workers(cast: Any) -> list[Any]:
    """Three craftsmen of the firm (康波), the first with a login of their own."""
    from jingxiang.talents.models import TalentKind

    first_user = UserFactory(username="worker1")
    return [
        TalentFactory(name=name, kind=TalentKind.CRAFTSMAN, home_organisation=cast.firm, user=user)
        for name, user in (("陈立新", first_user), ("王美玲", None), ("张建国", None))
    ]


def sweep_learning(operator: Any) -> dict[str, dict[str, int]]:
    """A course with one question and a quiz, for the core filter sweep of the pages under them."""
    from jingxiang.academy import services
    from jingxiang.academy.models import Course
    from jingxiang.talents.models import Skill
    from jingxiang.talents.services import skills_sync

    if not Skill.objects.exists():
        skills_sync()
    school = OrganisationFactory(name="扫描用学院", kind=OrganisationKind.UNIVERSITY, uscc=None)
    course = Course.objects.create(
        code="SWEEP-1", title="扫描课程", provider=school, skill=Skill.objects.first()
    )
    services.question_save(
        actor=operator,
        course=course,
        data={"kind": "true_false", "text": "扫描题", "options": [], "answer": [0]},
    )
    now = timezone.now()
    quiz = services.quiz_save(
        actor=operator,
        course=course,
        data={
            "title": "扫描测验",
            "session": None,
            "question_count": 1,
            "pass_mark": 60,
            "max_attempts": 1,
            "opens_at": now,
            "closes_at": now + dt.timedelta(days=1),
        },
    )
    return {"academy:question_list": {"pk": course.pk}, "academy:quiz_detail": {"pk": quiz.pk}}


def cohort_values(cohort: Any, **changes: Any) -> dict[str, Any]:
    """The cohort's editable fields as they are, with some changed (cohort_update takes them all)."""
    fields = ("name", "venue", "capacity", "starts_on", "ends_on", "lead_trainer")
    return {**{name: getattr(cohort, name) for name in fields}, **changes}
