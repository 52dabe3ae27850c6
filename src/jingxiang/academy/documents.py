"""The printable certificate (PDF with a QR code to the public verification page)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.documents import PdfDocument, Signature


def certificate_pdf(certificate: Any) -> bytes:
    enrolment = certificate.enrolment
    course = enrolment.cohort.course
    assessment = getattr(enrolment, "assessment", None)
    facts: list[tuple[str, Any]] = [
        (_("持证人"), certificate.holder_name),
        (
            _("所在单位"),
            certificate.talent.home_organisation.name if certificate.talent.home_organisation else "—",
        ),
    ]
    if certificate.occupation_level is not None:
        level = certificate.occupation_level
        facts += [
            (_("职业(工种)"), f"{level.occupation.name}({level.occupation.code})"),
            (_("职业技能等级"), f"{level.name}({level.get_ladder_display()})"),
        ]
    facts += [
        (_("技能"), f"{certificate.skill.name_zh} · {certificate.skill_level} 级"),
        (_("培训课程"), f"{course.title}({course.theory_hours + course.practice_hours} 学时)"),
        (_("培训班级"), enrolment.cohort.name),
    ]
    if assessment is not None:
        facts.append((_("考核成绩"), f"理论 {assessment.theory_score} / 实操 {assessment.practical_score}"))
    facts.append((_("发证日期"), timezone.localtime(certificate.issued_at).date()))
    if certificate.status == "revoked":
        facts.append((_("状态"), _("已撤销:%(r)s") % {"r": certificate.revoke_reason}))
    document = PdfDocument(
        title=_("职业技能等级证书"),
        subtitle=_("台州市眼镜产业链“工匠学院”"),
        number=certificate.number,
        issuer=course.provider.name,
        facts=facts,
        signatures=[Signature(course.provider.name, str(certificate.issued_by), certificate.issued_at)],
        verify_kind="certificate",
        verify_code=certificate.verify_code,
    )
    document.add_paragraphs(
        _("说明"),
        [
            _("本证书由镜享平台记录并可公开核验:扫描二维码或在核验页输入证书编号与持证人姓名。"),
            _("证书编号按年度顺序分配,撤销后编号不再使用。"),
        ],
    )
    return document.render()
