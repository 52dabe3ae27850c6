"""Who may see and act on lab records. Default deny; "not found" and "forbidden" are both 404.

* Firm users (admin, talent officer, member of an approved firm) submit requests and see their own
  firm's requests, samples, reports, product lines and brand authorisations — never another firm's.
* Lab staff see what is addressed to their lab and do the lab's work there.
* Operators see everything, upload standard editions and decide brand applications.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.lab.models import (
    BrandAuthorisation,
    BrandStatus,
    Instrument,
    ProductLine,
    Report,
    RequestStatus,
    Sample,
    SampleStatus,
    TestRequest,
)
from jingxiang.organisations.models import Role
from jingxiang.organisations.permissions import FIRM_PEOPLE, approved_organisation_ids, firm_ids, is_operator


def lab_ids(user: Any) -> set[int]:
    """Approved testing labs where the user is lab staff."""
    return approved_organisation_ids(user, Role.LAB_STAFF)


def is_lab_staff(user: Any) -> bool:
    return bool(lab_ids(user))


def may_request(user: Any) -> bool:
    return bool(firm_ids(user, *FIRM_PEOPLE))


def uses_lab(user: Any) -> bool:
    """Who sees the lab section at all."""
    return is_operator(user) or is_lab_staff(user) or bool(firm_ids(user))


def sees_quality(user: Any) -> bool:
    return uses_lab(user)


def access_request(user: Any, pk: int, *, write: bool = False) -> TestRequest:
    """A request the user may see; with ``write``, only staff of the lab it is addressed to."""
    request = (
        TestRequest.objects.visible_to(user)
        .select_related("firm", "lab", "product_line")
        .filter(pk=pk)
        .first()
    )
    if request is None or (write and request.lab_id not in lab_ids(user)):
        raise Http404
    return request


def may_cancel_request(user: Any, request: TestRequest) -> bool:
    return request.firm_id in firm_ids(user, *FIRM_PEOPLE) and request.status == RequestStatus.SUBMITTED


def access_sample(user: Any, pk: int, *, write: bool = False) -> Sample:
    """A sample the user may see; with ``write``, only staff of the testing lab."""
    sample = (
        Sample.objects.visible_to(user)
        .select_related(
            "request",
            "request__firm",
            "request__lab",
            "request__product_line",
            "technician",
            "instrument",
            "entered_by",
        )
        .filter(pk=pk)
        .first()
    )
    if sample is None or (write and sample.request.lab_id not in lab_ids(user)):
        raise Http404
    return sample


def may_enter_results(user: Any, sample: Sample) -> bool:
    return sample.request.lab_id in lab_ids(user) and sample.status in {
        SampleStatus.REGISTERED,
        SampleStatus.IN_TEST,
        SampleStatus.CORRECTION,
    }


def may_review(user: Any, sample: Sample) -> bool:
    """Four eyes: a second person of the same lab."""
    return (
        sample.request.lab_id in lab_ids(user)
        and sample.status == SampleStatus.AWAITING_REVIEW
        and sample.entered_by_id != user.pk
    )


def access_report(user: Any, pk: int) -> Report:
    report = (
        Report.objects.visible_to(user)
        .select_related("sample", "firm", "lab", "product_line", "entered_by", "approved_by", "superseded_by")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


def access_instrument(user: Any, pk: int, *, write: bool = False) -> Instrument:
    instrument = Instrument.objects.visible_to(user).filter(pk=pk).first()
    if instrument is None or (write and instrument.lab_id not in lab_ids(user)):
        raise Http404
    return instrument


def access_product_line(user: Any, pk: int, *, write: bool = False) -> ProductLine:
    """With ``write``: the firm's own users (brand applications)."""
    line = ProductLine.objects.visible_to(user).select_related("firm").filter(pk=pk).first()
    if line is None or (write and line.firm_id not in firm_ids(user, *FIRM_PEOPLE)):
        raise Http404
    return line


def may_record_field_test(user: Any, line: ProductLine) -> bool:
    """The plateau base's testers: operators and lab staff (of a lab that tested the line)."""
    if not line.is_high_altitude:
        return False
    return is_operator(user) or line.test_requests.filter(lab_id__in=lab_ids(user)).exists()


def access_brand(user: Any, pk: int, *, write: bool = False) -> BrandAuthorisation:
    """With ``write``: operators (who decide applications)."""
    brand = (
        BrandAuthorisation.objects.visible_to(user)
        .select_related("firm", "product_line", "applied_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if brand is None or (write and not is_operator(user)):
        raise Http404
    return brand


def attention_cards(user: Any) -> list[dict[str, Any]]:
    """Home-page cards; at most one aggregate query per role."""
    cards: list[dict[str, Any]] = []
    labs = lab_ids(user)
    if labs:
        counts = Sample.objects.filter(request__lab_id__in=labs, archived_at__isnull=True).aggregate(
            mine=Count(
                "pk", filter=Q(technician=user, status__in=[SampleStatus.REGISTERED, SampleStatus.IN_TEST])
            ),
            review=Count("pk", filter=Q(status=SampleStatus.AWAITING_REVIEW) & ~Q(entered_by=user)),
        )
        cards.append(
            {
                "title": _("分配给我的样品"),
                "count": counts["mine"],
                "url": reverse("lab:sample_list") + "?mine=1",
                "tone": "waiting" if counts["mine"] else "ok",
            }
        )
        cards.append(
            {
                "title": _("等待我审核的检测结果"),
                "count": counts["review"],
                "url": reverse("lab:sample_list") + "?status=awaiting_review",
                "tone": "waiting" if counts["review"] else "ok",
            }
        )
    if is_operator(user):
        pending = BrandAuthorisation.objects.filter(
            status=BrandStatus.PENDING, archived_at__isnull=True
        ).count()
        cards.append(
            {
                "title": _("待审批的区域品牌申请"),
                "count": pending,
                "url": reverse("lab:brand_list") + "?status=pending",
                "tone": "waiting" if pending else "ok",
            }
        )
    firms = firm_ids(user)
    if firms:
        suspended = BrandAuthorisation.objects.filter(firm_id__in=firms, status=BrandStatus.SUSPENDED).count()
        if suspended:
            cards.append(
                {
                    "title": _("区域品牌授权已暂停"),
                    "count": suspended,
                    "url": reverse("lab:brand_list") + "?status=suspended",
                    "tone": "bad",
                }
            )
    return cards


def sees_brand(user: Any) -> bool:
    return is_operator(user) or bool(firm_ids(user))


def sees_instruments(user: Any) -> bool:
    return is_operator(user) or is_lab_staff(user)
