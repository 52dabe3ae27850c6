"""Who may see and act on lab records. Default deny; "not found" and "forbidden" are both 404.

* Firm users (admin, talent officer, member of an approved firm) submit requests and see their own
  firm's requests, samples, reports, product lines and brand authorisations — never another firm's.
* Lab staff see what is addressed to their lab and do the lab's work there.
* Operators see everything, upload standard editions and decide brand applications.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from jingxiang.lab.models import (
    ENTRY_STATUSES,
    BrandAuthorisation,
    BrandStatus,
    Instrument,
    ProductLine,
    Report,
    ReportStatus,
    RequestStatus,
    RuleConfirmation,
    RulesFile,
    Sample,
    SampleStatus,
    TestRequest,
)
from jingxiang.lab.selectors import brand_evidence
from jingxiang.organisations.models import Organisation, Role
from jingxiang.organisations.permissions import FIRM_PEOPLE, approved_organisation_ids, firm_ids, is_operator

#: What a rule answers when it says no: the service raises it; a page shows it or leaves the button out.
Refusal = ValidationError | PermissionDenied


def lab_ids(user: Any) -> set[int]:
    """Approved testing labs where the user is lab staff."""
    return approved_organisation_ids(user, Role.LAB_STAFF)


def is_lab_staff(user: Any) -> bool:
    return bool(lab_ids(user))


def works_in_lab(user: Any, lab_id: int) -> bool:
    """Staff of this lab: who receives, moves, tests and reviews what is addressed to it."""
    return lab_id in lab_ids(user)


def may_request(user: Any) -> bool:
    return bool(firm_ids(user, *FIRM_PEOPLE))


def uses_lab(user: Any) -> bool:
    """Who sees the lab section at all."""
    return is_operator(user) or is_lab_staff(user) or bool(firm_ids(user))


def sees_quality(user: Any) -> bool:
    return uses_lab(user)


def refuse(refusal: Refusal | None) -> None:
    """Raise what a ``*_refusal`` rule returned: services and pages ask the same rule."""
    if refusal is not None:
        raise refusal


def requesting_firms(user: Any) -> QuerySet[Organisation]:
    """The firms the user may submit test requests for."""
    return Organisation.objects.filter(pk__in=firm_ids(user, *FIRM_PEOPLE)).order_by("name")


def access_request(user: Any, pk: int, *, write: bool = False) -> TestRequest:
    """A request the user may see; with ``write``, only staff of the lab it is addressed to."""
    request: TestRequest | None = (
        TestRequest.objects.visible_to(user)
        .select_related("firm", "lab", "product_line")
        .filter(pk=pk)
        .first()
    )
    if request is None or (write and not works_in_lab(user, request.lab_id)):
        raise Http404
    return request


def request_cancel_refusal(user: Any, request: TestRequest) -> Refusal | None:
    """Why the user may not withdraw the request (None: they may): the firm, before any sample arrived."""
    if request.firm_id not in firm_ids(user, *FIRM_PEOPLE):
        return PermissionDenied(_("只有委托企业可以撤回委托。"))
    if request.status != RequestStatus.SUBMITTED or request.samples.exists():
        return ValidationError(_("实验室已收样,委托不能再撤回;请联系实验室。"), code="already_received")
    return None


def may_cancel_request(user: Any, request: TestRequest) -> bool:
    return request_cancel_refusal(user, request) is None


def sample_register_refusal(user: Any, request: TestRequest, registered: int | None = None) -> Refusal | None:
    """Why the user may not register a sample on the request: the lab's staff, while samples are due.

    ``registered`` is the number of samples already registered when the caller has counted them.
    """
    if not works_in_lab(user, request.lab_id):
        return PermissionDenied(_("只有受托实验室的检测人员可以登记样品。"))
    if request.status in {RequestStatus.CANCELLED, RequestStatus.COMPLETED}:
        return ValidationError(
            _("委托已%(s)s,不能再登记样品。") % {"s": request.get_status_display()}, code="closed"
        )
    if (
        request.samples.filter(parent__isnull=True).count() if registered is None else registered
    ) >= request.quantity:
        return ValidationError(
            _("委托约定的样品数量为 %(n)s 件,已全部登记。") % {"n": request.quantity}, code="quantity"
        )
    return None


def may_register_sample(user: Any, request: TestRequest, registered: int | None = None) -> bool:
    return sample_register_refusal(user, request, registered) is None


def access_sample(user: Any, pk: int, *, write: bool = False) -> Sample:
    """A sample the user may see; with ``write``, only staff of the testing lab."""
    sample: Sample | None = (
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
    if sample is None or (write and not works_in_lab(user, sample.request.lab_id)):
        raise Http404
    return sample


def assign_refusal(user: Any, sample: Sample) -> Refusal | None:
    """Why the user may not give the sample to a technician: the lab's staff, until the report is out."""
    if not works_in_lab(user, sample.request.lab_id):
        return PermissionDenied(_("只有受托实验室的检测人员可以分派任务。"))
    if sample.status == SampleStatus.APPROVED:
        return ValidationError(_("报告已签发,无需再分派。"), code="approved")
    return None


def may_assign(user: Any, sample: Sample) -> bool:
    return assign_refusal(user, sample) is None


def results_entry_refusal(user: Any, sample: Sample) -> Refusal | None:
    """Why the user may not enter results (the form, the batch import and the service ask this)."""
    if not works_in_lab(user, sample.request.lab_id):
        return PermissionDenied(_("只有受托实验室的检测人员可以录入结果。"))
    if sample.status not in ENTRY_STATUSES:
        return ValidationError(
            _("样品当前为“%(s)s”,不能录入结果。") % {"s": sample.get_status_display()}, code="status"
        )
    return None


def may_enter_results(user: Any, sample: Sample) -> bool:
    return results_entry_refusal(user, sample) is None


def entered_the_results(user: Any, sample: Sample) -> bool:
    """Four eyes: whoever entered a sample's results does not review them."""
    return bool(sample.entered_by_id == user.pk)


def review_refusal(user: Any, sample: Sample) -> Refusal | None:
    """Why the user may not review the results: a second person of the same lab, while they await review."""
    if not works_in_lab(user, sample.request.lab_id):
        return PermissionDenied(_("只有受托实验室的检测人员可以审核结果。"))
    if sample.status != SampleStatus.AWAITING_REVIEW:
        return ValidationError(_("该样品没有待审核的结果。"), code="status")
    if entered_the_results(user, sample):
        return PermissionDenied(_("四眼原则:审核人不能是录入结果的人,请由另一位检测人员审核。"))
    return None


def may_review(user: Any, sample: Sample) -> bool:
    return review_refusal(user, sample) is None


def awaits_another_reviewer(user: Any, sample: Sample) -> bool:
    """The page says so instead of offering the review: the user entered the results awaiting review."""
    return sample.status == SampleStatus.AWAITING_REVIEW and entered_the_results(user, sample)


def access_report(user: Any, pk: int, *, write: bool = False) -> Report:
    """A report the user may see; with ``write``, only staff of the lab that issued it (corrections)."""
    report: Report | None = (
        Report.objects.visible_to(user)
        .select_related("sample", "firm", "lab", "product_line", "entered_by", "approved_by", "superseded_by")
        .filter(pk=pk)
        .first()
    )
    if report is None or (write and not works_in_lab(user, report.lab_id)):
        raise Http404
    return report


def report_correct_refusal(user: Any, report: Report, sample: Sample | None = None) -> Refusal | None:
    """Why the user may not correct the report: the issuing lab, on the current version, once at a time."""
    if not works_in_lab(user, report.lab_id):
        return PermissionDenied(_("只有出具报告的实验室可以更正报告。"))
    if report.status != ReportStatus.VALID:
        return ValidationError(_("该报告已被新版本取代,请更正最新版本。"), code="superseded")
    if (sample or report.sample).status != SampleStatus.APPROVED:
        return ValidationError(_("该报告已在更正中。"), code="already_correcting")
    return None


def may_correct_report(user: Any, report: Report) -> bool:
    return report_correct_refusal(user, report) is None


def access_instrument(user: Any, pk: int, *, write: bool = False) -> Instrument:
    instrument: Instrument | None = Instrument.objects.visible_to(user).filter(pk=pk).first()
    if instrument is None or (write and not works_in_lab(user, instrument.lab_id)):
        raise Http404
    return instrument


def instrument_lab(user: Any) -> Organisation | None:
    """The lab whose register the user's new instruments go into (the first, if several); None: none."""
    return Organisation.objects.filter(pk__in=lab_ids(user)).order_by("pk").first()


def access_rules_file(user: Any, pk: int) -> RulesFile:
    """An uploaded standard edition in use: operators only (they upload and stop using them)."""
    rules_file: RulesFile | None = (
        RulesFile.objects.active().filter(pk=pk).first() if is_operator(user) else None
    )
    if rules_file is None:
        raise Http404
    return rules_file


def access_rule_confirmation(user: Any, pk: int) -> RuleConfirmation:
    """An operator's standing confirmation of an indicative rule: operators only."""
    confirmation: RuleConfirmation | None = (
        RuleConfirmation.objects.active().filter(pk=pk).first() if is_operator(user) else None
    )
    if confirmation is None:
        raise Http404
    return confirmation


def quality_reports(user: Any) -> QuerySet[Report]:
    """The reports behind the user's quality picture: a firm's own history, a lab's reports, or all."""
    reports = Report.objects.visible_to(user)
    if not is_operator(user) and firm_ids(user):
        reports = reports.filter(firm_id__in=firm_ids(user))
    return reports


def access_product_line(user: Any, pk: int, *, write: bool = False) -> ProductLine:
    """With ``write``: the firm's own users (brand applications)."""
    line: ProductLine | None = (
        ProductLine.objects.visible_to(user).select_related("firm").filter(pk=pk).first()
    )
    if line is None or (write and line.firm_id not in firm_ids(user, *FIRM_PEOPLE)):
        raise Http404
    return line


def may_record_field_test(user: Any, line: ProductLine) -> bool:
    """The plateau base's testers: operators and lab staff (of a lab that tested the line)."""
    if not line.is_high_altitude:
        return False
    return is_operator(user) or line.test_requests.filter(lab_id__in=lab_ids(user)).exists()


def may_apply_for_brand(user: Any) -> bool:
    """A firm's people apply for the regional brand on their product lines."""
    return bool(firm_ids(user, *FIRM_PEOPLE))


def brand_lines(user: Any) -> QuerySet[ProductLine]:
    """The product lines the user may apply for the regional brand on."""
    return ProductLine.objects.active().filter(firm_id__in=firm_ids(user, *FIRM_PEOPLE))


def brand_apply_refusal(user: Any, line: ProductLine) -> Refusal | None:
    """Why the user may not apply for 杜桥眼镜 on the line: the line's firm, once, with conforming reports."""
    if line.firm_id not in firm_ids(user, *FIRM_PEOPLE):
        return PermissionDenied(_("只有产品线所属企业可以申请区域品牌。"))
    if BrandAuthorisation.objects.filter(
        product_line=line, status__in=[BrandStatus.PENDING, BrandStatus.ACTIVE]
    ).exists():
        return ValidationError(_("该产品线已有待审批或有效的区域品牌授权。"), code="duplicate")
    _evidence, problem = brand_evidence(line)
    if problem:
        return ValidationError(problem, code="no_conforming_report")
    return None


def access_brand(user: Any, pk: int, *, write: bool = False) -> BrandAuthorisation:
    """With ``write``: operators (who decide applications)."""
    brand: BrandAuthorisation | None = (
        BrandAuthorisation.objects.visible_to(user)
        .select_related("firm", "product_line", "applied_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    if brand is None or (write and not is_operator(user)):
        raise Http404
    return brand


def brand_review_refusal(user: Any, brand: BrandAuthorisation) -> Refusal | None:
    """Why the user may not decide the application: operators, while it is pending."""
    if not is_operator(user):
        return PermissionDenied(_("只有平台运营人员可以审批区域品牌申请。"))
    if brand.status != BrandStatus.PENDING:
        return ValidationError(_("该申请已处理。"), code="status")
    return None


def may_review_brand(user: Any, brand: BrandAuthorisation) -> bool:
    return brand_review_refusal(user, brand) is None


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
