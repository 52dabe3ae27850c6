"""The printable certificate (PDF with a QR code to the public verification page)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jingxiang.core.documents import PdfDocument, Signature


def certificate_pdf(certificate: Any) -> bytes:
    """The certificate is an official document: it is always printed in Chinese, whatever the UI language."""
    with translation.override("zh-hans"):
        return _certificate_pdf(certificate)


def _certificate_pdf(certificate: Any) -> bytes:
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
            (
                _("职业(工种)"),
                _("%(name)s(%(code)s)") % {"name": level.occupation.name, "code": level.occupation.code},
            ),
            (
                _("职业技能等级"),
                _("%(name)s(%(ladder)s)") % {"name": level.name, "ladder": level.get_ladder_display()},
            ),
        ]
    facts += [
        (
            _("技能"),
            _("%(skill)s · %(level)s 级")
            % {"skill": certificate.skill.name, "level": certificate.skill_level},
        ),
        (
            _("培训课程"),
            _("%(title)s(%(hours)s 学时)") % {"title": course.title, "hours": course.total_hours},
        ),
        (_("培训班级"), enrolment.cohort.name),
    ]
    if assessment is not None:
        facts.append(
            (
                _("考核成绩"),
                _("理论 %(theory)s / 实操 %(practice)s")
                % {"theory": assessment.theory_score, "practice": assessment.practical_score},
            )
        )
    facts.append((_("发证日期"), timezone.localtime(certificate.issued_at).date()))
    if certificate.status == "revoked":
        facts.append((_("状态"), _("已撤销:%(r)s") % {"r": certificate.revoke_reason}))
    document = PdfDocument(
        title=_("职业技能等级证书"),
        subtitle=course.provider.name,
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
