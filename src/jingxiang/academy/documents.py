"""The printable certificate (PDF with a QR code) and the public verification page it points to: number +
name → valid / revoked, showing only what is meant to be public."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jingxiang.core.documents import PdfDocument, Signature
from jingxiang.identifiers import mask_name


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


# -- public verification -------------------------------------------------------------------------


def _public_facts(certificate: Any) -> list[tuple[str, Any]]:
    return [
        (_("证书编号"), certificate.number),
        (_("持证人"), mask_name(certificate.holder_name)),
        (_("职业/技能"), certificate.level_label),
        (_("发证机构"), certificate.enrolment.cohort.course.provider.name),
        (_("发证日期"), certificate.issued_at.date().isoformat()),
    ]


def _status(certificate: Any) -> dict[str, Any]:
    from jingxiang.academy.models import CertificateStatus

    revoked = certificate.status == CertificateStatus.REVOKED
    return {
        "status": certificate.status,
        "status_label": _("已撤销") if revoked else _("有效"),
        "note": (_("该证书已于 %(date)s 撤销。") % {"date": certificate.revoked_at.date().isoformat()})
        if revoked
        else _("请输入持证人姓名核对,姓名一致方可确认本人持有该证书。"),
    }


def _certificates() -> Any:
    from jingxiang.academy.models import Certificate

    return Certificate.objects.select_related(
        "enrolment__cohort__course__provider", "occupation_level__occupation", "skill"
    )


def certificate_lookup(code: str) -> dict[str, Any] | None:
    """Lookup for /verify/certificate/<code>/ (the QR code on the PDF); the name is masked."""
    certificate = _certificates().filter(verify_code=code).first()
    if certificate is None:
        return None
    return {
        "title": _("职业技能等级证书"),
        "facts": _public_facts(certificate),
        "certificate_number": certificate.number,
        **_status(certificate),
    }


def certificate_check(number: str, name: str) -> dict[str, Any] | None:
    """Number + the holder's full name → the public facts, or None when they do not match a certificate.

    A wrong name and an unknown number give the same answer, so the page cannot be used to learn names.
    """
    number = number.strip().upper()
    name = "".join(name.split())
    if not number or not name:
        return None
    certificate = _certificates().filter(number=number).first()
    if certificate is None or "".join(certificate.holder_name.split()) != name:
        return None
    return {"facts": _public_facts(certificate), **_status(certificate)}


# -- trainee card (学员码) -------------------------------------------------------------------------


def grouped_code(code: str) -> str:
    """The card code in groups of four for reading and typing (the scanner ignores the spaces)."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def trainee_card_pdf(enrolment: Any) -> bytes:
    """The printable card of a trainee without a phone: its QR holds the card's verification address,
    which the trainer's check-in form reads the card code from."""
    with translation.override("zh-hans"):
        cohort = enrolment.cohort
        document = PdfDocument(
            title=_("学员签到卡"),
            subtitle=cohort.course.provider.name,
            number=grouped_code(enrolment.card_code),
            issuer=cohort.course.provider.name,
            facts=[
                (_("学员"), enrolment.talent.name),
                (_("课程"), cohort.course.title),
                (_("班级"), cohort.name),
                (_("上课地点"), cohort.venue),
                (_("学员码"), grouped_code(enrolment.card_code)),
            ],
            verify_kind="trainee-card",
            verify_code=enrolment.card_code,
        )
        document.add_paragraphs(
            _("使用说明"),
            [
                _("上课时请出示本卡,由讲师扫描二维码签到;无法扫码时讲师可输入卡上的学员码。"),
                _("每个课次只能签到一次。本卡仅限本人在本班使用,遗失请联系学院。"),
            ],
        )
        return document.render()


def trainee_card_lookup(code: str) -> dict[str, Any] | None:
    """The card's public page (its QR): whether it is a current trainee card, with the name masked."""
    from jingxiang.academy.models import Enrolment, EnrolmentStatus

    enrolment = (
        Enrolment.objects.select_related("talent", "cohort__course__provider")
        .filter(card_code=code.strip().upper())
        .first()
    )
    if enrolment is None:
        return None
    current = enrolment.status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.GRADUATED)
    return {
        "title": _("学员签到卡"),
        "status": "valid" if current else "revoked",
        "status_label": _("有效") if current else _("已失效"),
        "facts": [
            (_("学员"), mask_name(enrolment.talent.name)),
            (_("课程"), enrolment.cohort.course.title),
            (_("班级"), enrolment.cohort.name),
            (_("培训机构"), enrolment.cohort.course.provider.name),
        ],
        "note": _("本卡用于课堂签到,签到须由讲师扫码完成。"),
    }
