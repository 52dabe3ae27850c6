"""Demo content: a joint campus recruitment fair a week ahead at a university, three firms with jobs, and
students at every step of the pipeline (applied, interview slot, offer, hired).

Steps go through the services where a person would act; students are created directly (the demo has no
phone to receive codes; in development the one-time code is printed on the console when a student
registers or signs in on the fair page).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from jingxiang.organisations.models import Membership, Organisation, OrganisationKind, OrganisationStatus
from jingxiang.recruitment import services
from jingxiang.recruitment.models import ApplicationStatus, Degree, Student, TalentTier

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STUDENTS = (
    ("13800001111", "孙晓", Degree.MASTER, "天津职业大学"),
    ("13800001112", "钱佳怡", Degree.COLLEGE, "天津职业大学"),
    ("13800001113", "周子涵", Degree.BACHELOR, "温州医科大学"),
    ("13800001114", "吴浩", Degree.COLLEGE, "台州职业技术学院"),
)
JOBS = (
    ("验光", "intermediate", Degree.COLLEGE, 2, "3800", "5000"),
    ("质检", "junior", Degree.COLLEGE, 3, "3200", "4200"),
    ("镜片加工", "apprentice", Degree.SECONDARY, 2, "2600", "3500"),  # below the norm: flagged
)


def _student(mobile: str, name: str, degree: str, school: str) -> Student:
    user = get_user_model().objects.create(
        username=f"stu{mobile}", mobile=mobile, verified_mobile=mobile, display_name=name
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    student = Student.objects.create(
        user=user,
        mobile=mobile,
        name=name,
        school=school,
        major="眼视光技术",
        degree=degree,
        graduation_year=2026,
    )
    student.cv.save(f"cv-{student.pk}.pdf", ContentFile(PDF), save=True)
    return student


def load(context: Any) -> None:
    operator = context.users["operator"]
    firm_admin = context.users["firm_admin"]
    own_firm = Membership.objects.select_related("organisation").get(user=firm_admin).organisation
    university = Organisation.objects.filter(
        kind=OrganisationKind.UNIVERSITY, status=OrganisationStatus.APPROVED
    ).first() or Organisation.objects.create(name="天津职业大学", kind=OrganisationKind.UNIVERSITY)
    firms = [
        own_firm,
        *Organisation.objects.filter(kind=OrganisationKind.FIRM, status=OrganisationStatus.APPROVED)
        .exclude(pk=own_firm.pk)
        .order_by("pk")[:2],
    ]
    fair = services.fair_create(
        actor=operator,
        data={
            "title": "2026 眼镜专场校园招聘会",
            "university": university,
            "fair_date": timezone.localdate() + dt.timedelta(days=7),
            "venue": f"{university.name} 体育馆",
            "description": "杜桥眼镜产业联合校园招聘:验光、质检、镜片加工等岗位,现场面试。",
            "booths": 10,
            "interviews_from": dt.time(9, 0),
            "interviews_until": dt.time(11, 0),
            "slot_minutes": 20,
            "region": "临海市",
        },
    )
    services.fair_open(actor=operator, fair=fair)
    jobs = []
    for row, (post, level, degree, headcount, low, high) in zip(
        services.firm_invite(actor=operator, fair=fair, firms=firms), JOBS, strict=False
    ):
        booth = services.fair_join(actor=operator, fair_firm=row)
        jobs.append(
            services.job_post(
                actor=operator,
                fair_firm=booth,
                data={
                    "post": post,
                    "skill_level": level,
                    "degree": degree,
                    "headcount": headcount,
                    "salary_min": Decimal(low),
                    "salary_max": Decimal(high),
                    "location": "临海市杜桥镇",
                    "description": "五险一金,包食宿。",
                },
            )
        )
    students = [_student(*row) for row in STUDENTS]
    apps = [services.apply(actor=s.user, jobs=jobs[:2]) for s in students]
    slots = list(fair.slots.all())
    own_apps = [a[0] for a in apps]
    services.applications_move(actor=operator, applications=own_apps[:3], status=ApplicationStatus.INTERVIEW)
    for app, slot in zip(own_apps[:3], slots, strict=False):
        services.interview_place(actor=operator, application=app, slot=slot)
    services.applications_move(
        actor=operator, applications=[own_apps[3]], status=ApplicationStatus.REJECTED, reason="专业方向不符"
    )
    offered = services.offer_make(actor=operator, application=own_apps[0], salary=Decimal("4200"))
    services.offer_respond(actor=students[0].user, application=offered, accept=True)
    services.hire_record(
        actor=operator, application=offered, hired_on=timezone.localdate(), tier=TalentTier.SENIOR
    )
    services.offer_make(actor=operator, application=own_apps[1], salary=Decimal("3900"))
    context.notes.append(
        f"校园招聘:学生页 /recruitment/f/{fair.public_code}/ — 学生 13800001112 用验证码登录(开发环境验证码打印在控制台),"
        "可接受录用通知;企业 firm_admin 在「求职申请」处理投递。"
    )
