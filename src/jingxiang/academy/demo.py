"""Demo content of the academy: courses tied to the national occupations, finished cohorts with
certificates (康波's workers among them), an open cohort with a waitlist, a running cohort awaiting
approval, and a 订单培养 order from placement to hires.

Every step goes through the real services (so the rules hold and the figures are computed); finished
cohorts and their sessions are entered by the operator as back-dated records (with a reason, as the
time rules require), and the dates of finished work are moved into the past afterwards. Deterministic
for a given cluster; dates follow today.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from jingxiang.academy import services
from jingxiang.academy.models import (
    Attendance,
    AttendanceMethod,
    Certificate,
    CohortStatus,
    Education,
    Enrolment,
    OccupationLevel,
    SubsidyRule,
)
from jingxiang.core.timerules import REASON_FIELD
from jingxiang.talents.models import Skill, Talent, TalentKind

#: Why the demo's past cohorts and sessions may be entered although they lie in the past.
BACKDATE_REASON = "演示数据:平台上线前已开办的培训,按纸质记录补录"

KANGBO_WORKERS = (
    "陈立新",
    "王美玲",
    "张建国",
    "李小燕",
    "吴志强",
    "郑丽君",
    "黄文斌",
    "周海燕",
    "徐国庆",
    "林秀英",
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _cohort(
    operator: Any, course: Any, name: str, start: dt.date, days: int, capacity: int, **extra: Any
) -> Any:
    cohort = services.cohort_create(
        actor=operator,
        course=course,
        order=extra.pop("order", None),
        **{
            "name": name,
            "venue": extra.pop("venue", "杜桥镇“镜享未来”服务站 3 楼实训室"),
            "capacity": capacity,
            "starts_on": start,
            "ends_on": start + dt.timedelta(days=days),
            REASON_FIELD: BACKDATE_REASON,
            **extra,
        },
    )
    topics = ("理论:职业标准与安全", "实操:基础操作", "实操:加工与装配", "理论:质量检验", "实操:综合演练")
    for i, topic in enumerate(topics):
        day = start + dt.timedelta(days=min(i, days))
        services.session_add(
            actor=operator,
            cohort=cohort,
            topic=topic,
            kind="practice" if topic.startswith("实操") else "theory",
            starts_at=_at(day, 9 if i % 2 == 0 else 14),
            ends_at=_at(day, 12 if i % 2 == 0 else 17),
            backdate_reason=BACKDATE_REASON,
        )
    return cohort


def _attend_all(operator: Any, cohort: Any, enrolments: list[Any], missing: int = 0) -> None:
    sessions = list(cohort.sessions.all())
    Attendance.objects.bulk_create(
        Attendance(session=session, enrolment=enrolment, method=AttendanceMethod.QR, marked_by=operator)
        for index, enrolment in enumerate(enrolments)
        for session in sessions[: len(sessions) - (missing if index == len(enrolments) - 1 else 0)]
    )


def _finish(operator: Any, cohort: Any, enrolments: list[Any], when: dt.datetime, scores: list[int]) -> None:
    for enrolment, score in zip(enrolments, scores, strict=True):
        try:
            services.assessment_record(
                actor=operator,
                enrolment=enrolment,
                theory_score=Decimal(score),
                practical_score=Decimal(score + 4),
            )
        except ValidationError:
            continue  # below the attendance rate: this trainee does not sit the exam
        if score >= 60:
            services.certificate_issue(actor=operator, enrolment=enrolment)
    Certificate.objects.filter(enrolment__cohort=cohort).update(issued_at=when)
    Enrolment.objects.filter(cohort=cohort, graduated_at__isnull=False).update(graduated_at=when)
    services.cohort_set_status(actor=operator, cohort=cohort, status=CohortStatus.COMPLETED)


def load(context: Any) -> None:
    services.rules_sync()
    operator = context.users["operator"]
    firm_admin = context.users["firm_admin"]
    kangbo = context.organisations["kangbo"]
    academy = context.organisations["craftsman_academy"]
    school = context.organisations["tianjin_vu_optometry"]
    expert = context.talents["talent-expert"]
    today = timezone.localdate()
    craftsmen = sorted(
        (t for t in context.talents.values() if t.kind == TalentKind.CRAFTSMAN and t.home_organisation_id),
        key=lambda t: t.pk,
    )
    trainers = craftsmen[:3]
    level = {
        (lv.occupation.code, lv.rank): lv
        for lv in OccupationLevel.objects.select_related("occupation", "occupation__skill")
    }
    subsidy = {rule.code: rule for rule in SubsidyRule.objects.all()}

    def course(code: str, title: str, provider: Any, **data: Any) -> Any:
        occupation_level = data.pop("occupation_level", None)
        return services.course_create(
            actor=operator,
            data={
                "code": code,
                "title": title,
                "provider": provider,
                "occupation_level": occupation_level,
                "skill": occupation_level.occupation.skill if occupation_level else data.pop("skill"),
                "skill_level": data.pop("skill_level", 2),
                "min_attendance": Decimal("0.80"),
                **data,
            },
        )

    fitting5 = course(
        "DP-5",
        "眼镜定配工(五级/初级工)培训",
        academy,
        occupation_level=level[("4-14-03-04", 5)],
        theory_hours=16,
        practice_hours=24,
        fee=Decimal("1200.00"),
        subsidy_rule=subsidy["skill_cert"],
        trainers=trainers[:2],
        description="全框、半框、无框眼镜装配,配装眼镜检测;对应国家职业技能标准五级。",
    )
    optometry5 = course(
        "YG-5",
        "眼镜验光员(五级/初级工)培训",
        academy,
        occupation_level=level[("4-14-03-03", 5)],
        theory_hours=24,
        practice_hours=24,
        fee=Decimal("1500.00"),
        subsidy_rule=subsidy["skill_cert"],
        trainers=trainers[1:3],
        needs_approval=True,
    )
    course(
        "YG-4",
        "眼镜验光员(四级/中级工)培训",
        academy,
        occupation_level=level[("4-14-03-03", 4)],
        theory_hours=32,
        practice_hours=40,
        fee=Decimal("2200.00"),
        subsidy_rule=subsidy["skill_cert"],
        trainers=trainers[1:3],
        prerequisites=[optometry5],
    )
    coating = course(
        "DM-1",
        "减反射镀膜工艺提升班",
        academy,
        skill=Skill.objects.get(code="ar_coating"),
        skill_level=3,
        theory_hours=8,
        practice_hours=16,
        fee=Decimal("800.00"),
        trainers=[expert],
        description="由共享专家周敏华主讲:膜层设计、附着力问题排查与镀膜机维护。",
    )

    workers = [services_talent(firm_admin, kangbo, name, index) for index, name in enumerate(KANGBO_WORKERS)]

    # Finished: spring cohort of 定配工五级 (康波 and workers of other firms), certificates issued.
    spring = _cohort(
        operator,
        fitting5,
        "定配工五级 2026 春季班",
        today - dt.timedelta(days=120),
        4,
        20,
        lead_trainer=trainers[0],
    )
    enrolled = services.enrolment_create(
        actor=firm_admin, cohort=spring, talents=workers[:5], sponsor=kangbo, years_experience=Decimal("2")
    )
    enrolled += services.enrolment_create(
        actor=operator, cohort=spring, talents=craftsmen[3:8], years_experience=Decimal("3")
    )
    services.cohort_set_status(actor=operator, cohort=spring, status=CohortStatus.RUNNING)
    _attend_all(operator, spring, enrolled, missing=2)
    _finish(
        operator,
        spring,
        enrolled,
        _at(today - dt.timedelta(days=110), 16),
        [78, 85, 66, 58, 72, 80, 74, 69, 88, 63],
    )

    # Finished: the shared expert's coating class (feedback from the trainer).
    autumn = _cohort(
        operator, coating, "镀膜工艺提升班 第 1 期", today - dt.timedelta(days=60), 2, 15, lead_trainer=expert
    )
    coated = services.enrolment_create(
        actor=operator, cohort=autumn, talents=craftsmen[8:12], years_experience=Decimal("4")
    )
    services.cohort_set_status(actor=operator, cohort=autumn, status=CohortStatus.RUNNING)
    _attend_all(operator, autumn, coated)
    _finish(operator, autumn, coated, _at(today - dt.timedelta(days=55), 16), [82, 76, 88, 71])
    services.feedback_give(actor=expert.user, cohort=autumn, rating=5, comment="学员基础扎实,实操设备充足。")

    # Open: the next 定配工 cohort; 康波 enrols five for four places, one waits.
    upcoming = _cohort(
        operator,
        fitting5,
        "定配工五级 2026 秋季班",
        today + dt.timedelta(days=14),
        6,
        4,
        lead_trainer=trainers[1],
    )
    services.enrolment_create(
        actor=firm_admin,
        cohort=upcoming,
        talents=workers[5:10],
        sponsor=kangbo,
        years_experience=Decimal("1"),
    )

    # Running: 验光员五级 needs approval; two applications wait for the academy.
    running = _cohort(operator, optometry5, "验光员五级 第 3 期", today, 3, 12, lead_trainer=trainers[2])
    services.enrolment_create(
        actor=firm_admin, cohort=running, talents=workers[:2], sponsor=kangbo, years_experience=Decimal("1.5")
    )

    # 订单培养: 康波 orders six optometry graduates; the school trains them and 康波 hires.
    order = services.order_place(
        actor=firm_admin,
        firm=kangbo,
        data={
            "title": "2026 届眼镜验光员订单培养",
            "headcount": 6,
            "skills": list(Skill.objects.filter(code__in=["refraction", "spectacle_testing"])),
            "due_on": today + dt.timedelta(days=180),
            "hires_committed": 4,
            "requirements": "掌握综合验光、配装眼镜检测;顶岗实习 2 个月,结业后优先录用。",
        },
    )
    services.order_accept(actor=operator, order=order, school=school)
    order.refresh_from_db()
    order_course = course(
        "TJ-YG-ORD",
        "视光订单班:验光与配装实训",
        school,
        skill=Skill.objects.get(code="refraction"),
        skill_level=2,
        theory_hours=40,
        practice_hours=80,
        fee=Decimal("3000.00"),
        subsidy_rule=subsidy["order_training"],
    )
    order_cohort = _cohort(
        operator,
        order_course,
        "康波验光员订单班 2026",
        today - dt.timedelta(days=300),
        4,
        10,
        order=order,
        venue="天津职业大学眼视光工程学院实训中心",
    )
    students = sorted(
        (
            t
            for t in context.talents.values()
            if t.kind == TalentKind.STUDENT and t.home_organisation_id == school.pk
        ),
        key=lambda t: t.pk,
    )[:6]
    trainees = []
    for index, student in enumerate(students):
        education = Education.MASTER if index < 2 else Education.BACHELOR
        trainees += services.enrolment_create(
            actor=operator, cohort=order_cohort, talents=[student], education=education
        )
    services.cohort_set_status(actor=operator, cohort=order_cohort, status=CohortStatus.RUNNING)
    _attend_all(operator, order_cohort, trainees)
    for trainee in trainees:
        services.enrolment_graduate(actor=operator, enrolment=trainee)
    Enrolment.objects.filter(cohort=order_cohort).update(graduated_at=_at(today - dt.timedelta(days=290), 16))
    services.cohort_set_status(actor=operator, cohort=order_cohort, status=CohortStatus.COMPLETED)
    for index, trainee in enumerate(trainees[:4]):
        services.enrolment_offer(actor=firm_admin, enrolment=trainee, firm=kangbo)
        if index < 3:
            services.enrolment_hire(
                actor=firm_admin,
                enrolment=trainee,
                firm=kangbo,
                hired_on=today - dt.timedelta(days=280 - index),
            )
            services.enrolment_retention(actor=firm_admin, enrolment=trainee, months=6, employed=index != 2)

    _learning(operator, running)


def _learning(operator: Any, cohort: Any) -> None:
    """Issue 21: the running cohort's materials, a question bank and an online quiz open for two weeks."""
    first = cohort.sessions.order_by("starts_at").first()
    if first is not None:
        services.material_add(
            actor=operator,
            session=first,
            kind="link",
            title="GB 13511.1 配装眼镜标准要点",
            url="https://openstd.samr.gov.cn/",
        )
        services.material_add(
            actor=operator,
            session=first,
            kind="video",
            title="综合验光操作演示",
            url="https://video.example.cn/refraction-demo",
        )
    questions = [
        (
            "single",
            "主觉验光中,红绿测试时患者看红色视标更清楚,说明?",
            ["近视欠矫或远视过矫", "近视过矫", "散光"],
            [0],
        ),
        ("single", "瞳距测量通常以什么为准?", ["角膜映光点", "眉心", "鼻梁"], [0]),
        (
            "multiple",
            "配装眼镜出厂检验必须检测的项目有?",
            ["顶焦度", "光学中心水平距离", "镜架颜色", "柱镜轴位"],
            [0, 1, 3],
        ),
        ("true_false", "树脂镜片比同度数的玻璃镜片轻。", [], [0]),
        ("true_false", "验光前不需要询问患者的用眼需求。", [], [1]),
        ("single", "散光轴位用什么表示?", ["0–180 度", "0–360 度", "屈光度"], [0]),
    ]
    for kind, text, options, answer in questions:
        services.question_save(
            actor=operator,
            course=cohort.course,
            data={"kind": kind, "text": text, "options": options, "answer": answer, "topic": "验光基础"},
        )
    now = timezone.now()
    services.quiz_save(
        actor=operator,
        course=cohort.course,
        data={
            "title": "验光基础在线测验",
            "session": None,
            "question_count": 5,
            "pass_mark": 60,
            "max_attempts": 2,
            "opens_at": now - dt.timedelta(hours=1),
            "closes_at": now + dt.timedelta(days=14),
        },
    )


def services_talent(actor: Any, firm: Any, name: str, index: int) -> Talent:
    """A 康波 worker's profile, added by the firm's admin as the enrolment page would."""
    from jingxiang.talents.services import talent_create

    return talent_create(
        actor=actor,
        name=name,
        kind=TalentKind.CRAFTSMAN,
        title="定配工" if index % 2 == 0 else "验光员",
        home_organisation=firm,
        region=firm.region,
    )
