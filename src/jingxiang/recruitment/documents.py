"""The offer letter (PDF with a QR code) and its public verification page (no personal data beyond a
masked name)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.documents import PdfDocument, Signature
from jingxiang.recruitment.models import Application, ApplicationStatus


def offer_pdf(app: Application) -> bytes:
    job = app.job
    firm = job.fair_firm.firm
    fair = job.fair_firm.fair
    document = PdfDocument(
        title="录用通知书",
        subtitle=fair.title,
        number=app.offer_number,
        issuer=firm.name,
        facts=[
            ("姓名", app.student.name),
            ("学校", app.student.school),
            ("岗位", job.post),
            ("技能等级", job.get_skill_level_display()),
            ("工作地点", job.location),
            ("月薪(元)", f"{app.offer_salary:,.2f}"),
            ("发出日期", timezone.localtime(app.offered_at).strftime("%Y-%m-%d")),
        ],
        signatures=[
            Signature("用人单位", firm.name, app.offered_at),
            Signature(
                "学生", app.student.name, app.decided_at if app.status != ApplicationStatus.OFFER else None
            ),
        ],
        verify_kind="recruitment-offer",
        verify_code=app.offer_code,
    )
    document.add_paragraphs(
        "录用说明",
        [
            f"经{fair.title}双选面试,{firm.name}决定录用您担任{job.post}岗位。",
            "请在镜享平台“我的求职”页面在线答复。入职后,企业将在 6 个月和 12 个月时回访在岗情况。",
        ],
    )
    return document.render()


def offer_lookup(code: str) -> dict[str, Any] | None:
    app = (
        Application.objects.select_related("student", "job__fair_firm__firm", "job__fair_firm__fair")
        .filter(offer_code=code)
        .exclude(offer_code="")
        .first()
    )
    if app is None:
        return None
    valid = app.status in {ApplicationStatus.OFFER, ApplicationStatus.ACCEPTED, ApplicationStatus.HIRED}
    return {
        "status": "valid" if valid else "revoked",
        "status_label": _("有效") if valid else _("已失效"),
        "title": _("录用通知书 %(n)s") % {"n": app.offer_number},
        "facts": [
            (_("企业"), app.job.fair_firm.firm.name),
            (_("岗位"), app.job.post),
            (_("学生"), app.student.masked_name),
            (_("招聘会"), app.job.fair_firm.fair.title),
            (_("状态"), app.get_status_display()),
        ],
        "note": _("本页只显示公开信息。"),
    }
