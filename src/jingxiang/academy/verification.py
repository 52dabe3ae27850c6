"""The public certificate check: number + name → valid / revoked, showing only what is meant to be public."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from jingxiang.identifiers import mask_name


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
