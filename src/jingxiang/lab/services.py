"""Writes of the lab service. Each function validates, authorises and runs in one transaction.

Messages name the rule that was broken, in Chinese (the English catalogue is added later).
"""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.accounts.actors import Actor
from jingxiang.core.documents import new_verification_code
from jingxiang.core.numbering import next_number
from jingxiang.core.services import notification_send
from jingxiang.core.timerules import enforce_time_rules
from jingxiang.lab import conformance, texts
from jingxiang.lab.models import (
    INSTRUMENT_KIND_LABELS,
    PRODUCT_TYPE_LABELS,
    BrandAuthorisation,
    BrandStatus,
    CustodyEvent,
    CustodyKind,
    FieldTest,
    Instrument,
    LabProfile,
    Measurement,
    Overall,
    ProductLine,
    Report,
    ReportItem,
    ReportStatus,
    RequestStatus,
    RuleConfirmation,
    RulesFile,
    Sample,
    SampleStatus,
    TestRequest,
)
from jingxiang.lab.permissions import (
    assign_refusal,
    brand_apply_refusal,
    brand_review_refusal,
    refuse,
    report_correct_refusal,
    request_cancel_refusal,
    results_entry_refusal,
    review_refusal,
    sample_register_refusal,
    works_in_lab,
)
from jingxiang.lab.rules import RECEIPT_RULES, RESULT_RULES
from jingxiang.lab.selectors import brand_evidence
from jingxiang.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
)
from jingxiang.organisations.permissions import FIRM_PEOPLE, firm_ids, is_operator
from jingxiang.quality import (
    RulesInvalidError,
    conclude,
    instrument_types_by_rule,
    load_rules_document,
    validate_rules_text,
)

MAX_QUANTITY = 50

# How a request proceeds when its edition in force has no rules loaded.
BASIS_IN_FORCE = "in_force"
BASIS_CLIENT_NAMED = "client_named"
BASIS_WAIT = "wait"

# Custody moves a sample may make; returned and disposed are final.
CUSTODY_NEXT = {
    CustodyKind.RECEIVED: {
        CustodyKind.STORED,
        CustodyKind.IN_TEST,
        CustodyKind.RETURNED,
        CustodyKind.DISPOSED,
    },
    CustodyKind.STORED: {CustodyKind.IN_TEST, CustodyKind.RETURNED, CustodyKind.DISPOSED},
    CustodyKind.IN_TEST: {CustodyKind.STORED, CustodyKind.RETURNED, CustodyKind.DISPOSED},
    CustodyKind.RETURNED: set(),
    CustodyKind.DISPOSED: set(),
}


def brand_valid_months() -> int:
    return int(getattr(settings, "LAB_BRAND_VALID_MONTHS", 12))


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def sample_received_on(sample: Sample) -> datetime.date:
    """The day the lab received the sample (its first custody record), in local time."""
    received = (
        CustodyEvent.objects.filter(sample=sample, kind=CustodyKind.RECEIVED)
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    return timezone.localtime(received or sample.created_at).date()


def lab_prefix(lab: Organisation) -> str:
    profile = LabProfile.objects.filter(lab=lab).first()
    return profile.code_prefix if profile else f"L{lab.pk:02d}"


def _firm_recipients(firm_id: int, *extra: Any) -> list[Any]:
    users = {
        membership.user.pk: membership.user
        for membership in Membership.objects.active()
        .filter(organisation_id=firm_id, role=Role.ORG_ADMIN)
        .select_related("user")
    }
    for user in extra:
        if user is not None:
            users[user.pk] = user
    return list(users.values())


# Requests ---------------------------------------------------------------------------------------


@transaction.atomic
def request_submit(
    *,
    actor: Any,
    firm: Organisation,
    lab: Organisation,
    product_type: str,
    product_line_name: str,
    product_name: str,
    standard: str,
    items: list[str],
    quantity: int,
    nominal_note: str = "",
    note: str = "",
    basis: str = BASIS_IN_FORCE,
    contract_reference: str = "",
) -> TestRequest:
    """A firm asks a lab to test a product against a standard (or the edition in force).

    Editions in force without rules are found now, not at result entry: when the standard cannot be
    judged as the edition in force today, the request proceeds only under an edition the client
    names in the contract (``basis="client_named"``, printed on the report with a note), or waits
    for the operator's upload of that edition's rules file (``basis="wait"``).
    """
    if firm.pk not in firm_ids(actor, *FIRM_PEOPLE):
        raise PermissionDenied(_("只有已入驻企业的管理员、共享人才官或成员可以为本企业提交检测委托。"))
    if (
        lab.kind != OrganisationKind.TESTING_LAB
        or lab.status != OrganisationStatus.APPROVED
        or lab.is_archived
    ):
        raise ValidationError(_("请选择平台上已入驻的检测机构。"), code="not_a_lab")
    if product_type not in PRODUCT_TYPE_LABELS:
        raise ValidationError(_("未知的产品类型。"), code="product_type")
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError(_("样品数量须在 1 到 %(n)s 之间。") % {"n": MAX_QUANTITY}, code="quantity")
    reg = conformance.registry()
    valid_standards = {value for value, _label in conformance.standard_choices(product_type, reg)}
    if standard not in valid_standards:
        raise ValidationError(
            _("所选检测依据不适用于“%(type)s”,请重新选择标准。")
            % {"type": PRODUCT_TYPE_LABELS[product_type]},
            code="wrong_standard_for_product",
        )
    if items:
        known: set[str] = set()
        if standard.startswith(conformance.SERIES_PREFIX):
            series = standard[len(conformance.SERIES_PREFIX) :]
            designations = [d.designation for d in reg.documents if d.series == series]
        else:
            designations = [standard]
        for designation in designations:
            entries, _fields = conformance.catalogue(product_type, designation, reg=reg)
            known.update(entry.rule_id for entry in entries)
        unknown = sorted(set(items) - known)
        if unknown:
            raise ValidationError(
                _("以下检测项目不属于所选标准:%(items)s。") % {"items": _("、").join(unknown)}, code="items"
            )
    notice = conformance.edition_notice(product_type, standard, timezone.localdate(), reg)
    client_named = False
    awaiting = ""
    if basis not in {BASIS_IN_FORCE, BASIS_CLIENT_NAMED, BASIS_WAIT}:
        raise ValidationError(_("请选择检测依据的处理方式。"), code="basis")
    if notice.blocking:
        if basis == BASIS_CLIENT_NAMED:
            if standard.startswith(conformance.SERIES_PREFIX):
                raise ValidationError(
                    _("委托方指定标准时,请在“检测依据”中选择合同约定的具体标准版本。"),
                    code="client_named_edition",
                )
            if not contract_reference.strip():
                raise ValidationError(
                    _("委托方指定标准须填写合同或委托书编号,它会印在报告上。"), code="contract_reference"
                )
            client_named = True
        elif basis == BASIS_WAIT and notice.awaiting:
            awaiting = notice.awaiting
        else:
            raise ValidationError(
                [
                    ValidationError(message, code="edition_not_in_force")
                    for message in [
                        *notice.messages,
                        _(
                            "请选择:①“委托方指定标准”——按合同约定的版本检测(报告注明它不是现行有效版本);"
                            "或 ②“等待平台上传新版本规则文件”后再检测。"
                        )
                        if notice.awaiting
                        else _("请选择“委托方指定标准”并填写合同编号,报告将注明它不是现行有效版本。"),
                    ]
                ]
            )
    line_name = product_line_name.strip()
    if not line_name:
        raise ValidationError(_("请填写产品线名称。"), code="product_line")
    line = ProductLine.objects.filter(firm=firm, name=line_name).first()
    if line is None:
        line = ProductLine.objects.create(firm=firm, name=line_name, product_type=product_type)
    elif line.product_type != product_type:
        raise ValidationError(
            _("产品线“%(line)s”登记的产品类型是“%(type)s”,与本次委托不一致;请换一个产品线名称。")
            % {"line": line_name, "type": PRODUCT_TYPE_LABELS.get(line.product_type, line.product_type)},
            code="product_line_type",
        )
    year = timezone.localdate().year
    number = f"{lab_prefix(lab)}-W{year}-{next_number(f'lab{lab.pk}-request', year):04d}"
    request = TestRequest.objects.create(
        number=number,
        firm=firm,
        lab=lab,
        product_line=line,
        product_type=product_type,
        product_name=product_name.strip() or line_name,
        standard=standard,
        item_ids=sorted(set(items)),
        quantity=quantity,
        nominal_note=nominal_note,
        note=note,
        requested_by=actor,
        client_named=client_named,
        contract_reference=contract_reference.strip()[:100] if client_named else "",
        edition_notice=notice.gaps,
        awaiting_edition=awaiting,
    )
    for membership in (
        Membership.objects.active().filter(organisation=lab, role=Role.LAB_STAFF).select_related("user")
    ):
        notification_send(
            recipient=membership.user,
            message=texts.REQUEST_RECEIVED(
                n=number, firm=firm.name, product=request.product_name, q=quantity
            ),
            url=reverse("lab:request_detail", args=[request.pk]),
            kind="lab",
            email=False,
        )
    return request


@transaction.atomic
def request_cancel(*, actor: Any, request: TestRequest) -> TestRequest:
    """The firm withdraws a request before the lab has received any sample."""
    request = TestRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
    refuse(request_cancel_refusal(actor, request))
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    return request


# Samples and custody ----------------------------------------------------------------------------


@transaction.atomic
def sample_register(
    *,
    actor: Any,
    request: TestRequest,
    description: str = "",
    location: str = "",
    received_at: datetime.datetime | None = None,
) -> Sample:
    """Lab staff receive a sample: unique code (prefix-year-sequence, allocated under a lock).

    ``received_at`` is when the sample arrived (registered later, e.g. after a weekend); never ahead
    of now. Tests of the sample cannot be dated before it.
    """
    received_at = received_at or timezone.now()
    enforce_time_rules(RECEIPT_RULES, {"received_at": received_at}, actor=actor)
    request = TestRequest.objects.select_for_update(of=("self",)).select_related("lab").get(pk=request.pk)
    refuse(sample_register_refusal(actor, request))
    year = timezone.localdate().year
    code = f"{lab_prefix(request.lab)}-{year}-{next_number(f'lab{request.lab_id}-sample', year):05d}"
    sample = Sample.objects.create(request=request, code=code, description=description, registered_by=actor)
    CustodyEvent.objects.create(
        sample=sample, kind=CustodyKind.RECEIVED, actor=actor, location=location, at=received_at
    )
    if request.status == RequestStatus.SUBMITTED:
        request.status = RequestStatus.IN_PROGRESS
        request.save(update_fields=["status", "updated_at"])
    return sample


@transaction.atomic
def custody_record(
    *, actor: Any, sample: Sample, kind: str, location: str = "", note: str = ""
) -> CustodyEvent:
    """Append one chain-of-custody event (never edited or deleted)."""
    sample = Sample.objects.select_for_update(of=("self",)).select_related("request").get(pk=sample.pk)
    if not works_in_lab(actor, sample.request.lab_id):
        raise PermissionDenied(_("只有受托实验室的检测人员可以记录样品流转。"))
    if kind not in CustodyKind.values:
        raise ValidationError(_("未知的流转环节。"), code="kind")
    current = CustodyKind(sample.custody_state)
    if kind not in CUSTODY_NEXT[current]:
        raise ValidationError(
            _("样品当前为“%(now)s”,不能记录为“%(next)s”。已退还或已处置的样品不再流转。")
            % {"now": current.label, "next": CustodyKind(kind).label},
            code="custody_order",
        )
    if kind in {CustodyKind.RETURNED, CustodyKind.DISPOSED} and sample.status != SampleStatus.APPROVED:
        raise ValidationError(_("报告签发前样品须留存,不能退还或处置。"), code="custody_before_report")
    event = CustodyEvent.objects.create(sample=sample, kind=kind, actor=actor, location=location, note=note)
    sample.custody_state = kind
    sample.save(update_fields=["custody_state", "updated_at"])
    return event


MAX_PARTS = 10


@transaction.atomic
def sample_split(*, actor: Any, sample: Sample, parts: int, purpose: str, location: str = "") -> list[Sample]:
    """Split a sample into sub-samples for destructive tests: each gets its own code (parent code and
    a running letter) and its own chain of custody, starting with the receipt from the parent."""
    sample = Sample.objects.select_for_update(of=("self",)).select_related("request").get(pk=sample.pk)
    if not works_in_lab(actor, sample.request.lab_id):
        raise PermissionDenied(_("只有受托实验室的检测人员可以分样。"))
    if sample.parent_id is not None:
        raise ValidationError(_("子样品不能再分样。"), code="nested_split")
    if sample.custody_state in {CustodyKind.RETURNED, CustodyKind.DISPOSED}:
        raise ValidationError(_("已退还或已处置的样品不能分样。"), code="custody_final")
    if not 1 <= parts <= MAX_PARTS:
        raise ValidationError(_("每次分样 1 到 %(n)s 份。") % {"n": MAX_PARTS}, code="parts")
    if not purpose.strip():
        raise ValidationError(_("请写明分样用途(如:破坏性试验项目)。"), code="purpose")
    existing = sample.parts.count()
    if existing + parts > 26:
        raise ValidationError(_("一个样品最多分出 26 份子样品。"), code="parts")
    created = []
    for index in range(existing, existing + parts):
        child = Sample.objects.create(
            request=sample.request,
            parent=sample,
            code=f"{sample.code}-{chr(ord('A') + index)}",
            description=purpose.strip()[:200],
            registered_by=actor,
        )
        CustodyEvent.objects.create(
            sample=child,
            kind=CustodyKind.RECEIVED,
            actor=actor,
            location=location,
            note=(_("由 %(c)s 分样:%(p)s") % {"c": sample.code, "p": purpose.strip()})[:200],
        )
        created.append(child)
    CustodyEvent.objects.create(
        sample=sample,
        kind=sample.custody_state,
        actor=actor,
        location=location,
        note=(_("分出子样品 %(codes)s") % {"codes": "、".join(c.code for c in created)})[:200],
    )
    return created


@transaction.atomic
def sample_assign(*, actor: Any, sample: Sample, technician: Any) -> Sample:
    """Give a sample to a technician (lab staff of the same lab)."""
    sample = Sample.objects.select_for_update(of=("self",)).select_related("request").get(pk=sample.pk)
    refuse(assign_refusal(actor, sample))
    if (
        not Membership.objects.active()
        .filter(user=technician, organisation_id=sample.request.lab_id, role=Role.LAB_STAFF)
        .exists()
    ):
        raise ValidationError(_("只能分派给本实验室的检测人员。"), code="technician")
    sample.technician = technician
    sample.save(update_fields=["technician", "updated_at"])
    if technician.pk != actor.pk:
        notification_send(
            recipient=technician,
            message=texts.SAMPLE_ASSIGNED(c=sample.code),
            url=reverse("lab:sample_detail", args=[sample.pk]),
            kind="lab",
            email=False,
        )
    return sample


# Instruments ------------------------------------------------------------------------------------


def _check_instrument(
    actor: Any, lab: Organisation, name: str, serial: str, calibration_due: datetime.date
) -> None:
    if not works_in_lab(actor, lab.pk):
        raise PermissionDenied(_("只有本实验室的检测人员可以维护仪器台账。"))
    if not name.strip() or not serial.strip():
        raise ValidationError(_("请填写仪器名称和出厂编号。"), code="required")
    if calibration_due.year < 2000:
        raise ValidationError(_("校准有效期不正确。"), code="calibration_due")


@transaction.atomic
def instrument_register(
    *,
    actor: Any,
    lab: Organisation,
    name: str,
    serial: str,
    calibration_due: datetime.date,
    model_number: str = "",
    kind: str = "",
) -> Instrument:
    """Add an instrument to the lab's register (serial numbers are unique within a lab).

    ``kind`` is one of the engine's instrument types: it decides which items it may measure.
    """
    _check_instrument(actor, lab, name, serial, calibration_due)
    if kind and kind not in INSTRUMENT_KIND_LABELS:
        raise ValidationError(_("未知的仪器类型。"), code="kind")
    if Instrument.objects.filter(lab=lab, serial=serial.strip()).exists():
        raise ValidationError(_("本实验室已登记出厂编号为 %(s)s 的仪器。") % {"s": serial}, code="duplicate")
    return Instrument.objects.create(
        lab=lab,
        name=name.strip(),
        serial=serial.strip(),
        calibration_due=calibration_due,
        model_number=model_number,
        kind=kind,
    )


@transaction.atomic
def instrument_recalibrate(
    *, actor: Any, instrument: Instrument, calibration_due: datetime.date
) -> Instrument:
    """Record a new calibration certificate's due date."""
    instrument = Instrument.objects.select_for_update(of=("self",)).get(pk=instrument.pk)
    _check_instrument(actor, instrument.lab, instrument.name, instrument.serial, calibration_due)
    instrument.calibration_due = calibration_due
    instrument.save(update_fields=["calibration_due", "updated_at"])
    return instrument


# Results ----------------------------------------------------------------------------------------


def sample_designation(sample: Sample, test_date: datetime.date, reg: Any = None) -> str:
    return conformance.resolve_designation(
        sample.request.product_type, sample.request.standard, test_date, reg
    )


def _check_instruments(
    sample: Sample,
    instruments: list[Instrument],
    test_date: datetime.date,
    verdict: dict[str, Any],
    document: Any,
) -> None:
    """Every instrument is the lab's and calibrated on the test date, and every measured row was
    measured with an instrument of a type its item allows (``quality/instruments.yaml``)."""
    for instrument in instruments:
        if instrument.lab_id != sample.request.lab_id:
            raise ValidationError(_("只能使用本实验室登记的仪器。"), code="instrument")
        if not instrument.calibrated_on(test_date):
            raise ValidationError(
                _("仪器 %(i)s 的校准已于 %(d)s 到期,不能用于检测;请先校准并更新台账。")
                % {"i": instrument, "d": instrument.calibration_due.isoformat()},
                code="instrument_calibration",
            )
    if document is None:
        return
    allowed_by_rule = instrument_types_by_rule(document)
    kinds = {instrument.kind for instrument in instruments}
    unfit = []
    for row in verdict["items"]:
        allowed = allowed_by_rule.get(row["rule_id"], ())
        if row["status"] in {"pass", "fail"} and allowed and not kinds & set(allowed):
            unfit.append(
                _("%(item)s(须用:%(kinds)s)")
                % {
                    "item": f"{row['rule_id']} {row.get('label_zh') or ''}".strip(),
                    "kinds": _("、").join(str(INSTRUMENT_KIND_LABELS.get(k, k)) for k in allowed),
                }
            )
    if unfit:
        raise ValidationError(
            _("所选仪器(%(chosen)s)不适合测量以下项目:%(items)s。请选择适用类型的仪器。")
            % {
                "chosen": _("、").join(
                    f"{instrument}:{INSTRUMENT_KIND_LABELS.get(instrument.kind, _('未分类'))}"
                    for instrument in instruments
                ),
                "items": _(";").join(dict.fromkeys(unfit)),
            },
            code="instrument_unsuitable",
        )


@transaction.atomic
def results_enter(
    *,
    actor: Any,
    sample: Sample,
    test_date: datetime.date,
    instrument: Instrument | None,
    nominal: dict[str, Any],
    measured: dict[str, Any],
    units: dict[str, str] | None = None,
    submit: bool = False,
    instruments: list[Instrument] | None = None,
    retest_reason: str = "",
) -> Sample:
    """Store the values for a sample and the engine's automatic verdict.

    ``submit`` sends the results for review by a second person; it needs instruments in
    calibration, of a type fit for every measured item, and every mandatory item assessed. Each
    submission is kept as a ``Measurement``; a later one is a retest and needs ``retest_reason``.
    """
    sample = Sample.objects.select_for_update(of=("self",)).select_related("request").get(pk=sample.pk)
    refuse(results_entry_refusal(actor, sample))
    enforce_time_rules(
        RESULT_RULES, {"test_date": test_date, "received_on": sample_received_on(sample)}, actor=actor
    )
    used = list(dict.fromkeys([*([instrument] if instrument else []), *(instruments or [])]))
    if submit and not used:
        raise ValidationError(_("提交审核前请选择所用仪器。"), code="instrument_required")
    reg = conformance.registry()
    designation = sample_designation(sample, test_date, reg)
    case = {
        "case_id": sample.code,
        "product_type": sample.request.product_type,
        "standard": designation,
        "test_date": test_date.isoformat(),
        "units": units or {},
        "nominal": nominal,
        "measured": measured,
        "confirmed_rules": conformance.confirmed_rules(designation),
    }
    verdict = conformance.run_judge(case, reg)
    if sample.request.item_ids:
        verdict = _restrict(verdict, sample.request.item_ids)
    if used:
        _check_instruments(sample, used, test_date, verdict, reg.find(designation))
    if submit and verdict.get("not_assessed_mandatory"):
        raise ValidationError(
            _("以下必检项目缺少数据,不能提交审核:%(items)s。请补全后再提交,或先保存草稿。")
            % {"items": _("、").join(verdict["not_assessed_mandatory"])},
            code="missing_items",
        )
    previous = sample.measurements.order_by("-sequence").first()
    reason = retest_reason.strip() or (
        sample.correction_reason if sample.status == SampleStatus.CORRECTION else ""
    )
    if submit and previous is not None and not reason:
        raise ValidationError(
            _("该样品已有第 %(n)s 次测量记录;复测请写明原因(原记录保留在测量历史中)。")
            % {"n": previous.sequence},
            code="retest_reason_required",
        )
    sample.test_date = test_date
    sample.instrument = used[0] if used else None
    sample.nominal, sample.measured, sample.units = nominal, measured, units or {}
    sample.designation = designation
    sample.verdict = verdict
    sample.overall = verdict["overall"]
    sample.entered_by = actor
    sample.entered_at = timezone.now()
    sample.status = (
        SampleStatus.AWAITING_REVIEW
        if submit
        else (SampleStatus.CORRECTION if sample.status == SampleStatus.CORRECTION else SampleStatus.IN_TEST)
    )
    if sample.technician_id is None:
        sample.technician = actor
    sample.save()
    sample.instruments.set(used[1:])
    if submit:
        Measurement.objects.create(
            sample=sample,
            sequence=(previous.sequence + 1) if previous else 1,
            test_date=test_date,
            nominal=nominal,
            measured=measured,
            units=units or {},
            instruments=_("、").join(str(i) for i in used)[:300],
            overall=verdict["overall"],
            retest_reason=reason[:300] if previous else "",
            entered_by=actor,
        )
    if sample.custody_state in {CustodyKind.RECEIVED, CustodyKind.STORED}:
        CustodyEvent.objects.create(sample=sample, kind=CustodyKind.IN_TEST, actor=actor, note=_("开始检测"))
        Sample.objects.filter(pk=sample.pk).update(custody_state=CustodyKind.IN_TEST)
        sample.custody_state = CustodyKind.IN_TEST
    return sample


def _restrict(verdict: dict[str, Any], rule_ids: list[str]) -> dict[str, Any]:
    """Keep only the requested items; the conclusion is the engine's rule over those rows."""
    wanted = set(rule_ids)
    items = [item for item in verdict["items"] if item["rule_id"] in wanted]
    counts = {
        status: sum(1 for i in items if i["status"] == status)
        for status in ("pass", "fail", "not_assessed", "not_applicable")
    }
    return {**verdict, **conclude(items), "items": items, "counts": counts}


@transaction.atomic
def result_review(
    *,
    actor: Any,
    sample: Sample,
    approve: bool,
    note: str = "",
    confirmed_rules: list[str] | None = None,
    excluded_rules: dict[str, str] | None = None,
) -> Report | None:
    """Second-person review. Approval issues the report (a new version if one exists).

    Four eyes: the reviewer must not be whoever entered the results. Every row that fails on an
    indicative (U) limit must be decided before approval: confirmed (the limit counts) or excluded
    with a written reason; the report prints each decision. A failing report suspends the product
    line's brand authorisations.
    """
    sample = (
        Sample.objects.select_for_update(of=("self",))
        .select_related("request", "request__lab", "instrument")
        .get(pk=sample.pk)
    )
    refuse(review_refusal(actor, sample))
    if not approve:
        if not note.strip():
            raise ValidationError(_("退回时请写明原因。"), code="note_required")
        sample.status = SampleStatus.IN_TEST
        sample.review_note = note
        sample.save(update_fields=["status", "review_note", "updated_at"])
        notification_send(
            recipient=sample.entered_by,
            message=texts.RESULTS_RETURNED(c=sample.code, note=note),
            url=reverse("lab:sample_detail", args=[sample.pk]),
            kind="lab",
            email=False,
        )
        return None
    verdict, confirmed, excluded = _decided_verdict(sample, confirmed_rules or [], excluded_rules or {})
    if verdict["overall"] == Overall.UNDECIDED:
        raise ValidationError(
            _(
                "以下项目依据参考性(未核实)限值判为不合格,须逐项决定后才能批准:%(items)s。"
                "请对每项选择“确认限值,计入结论”或“排除该项并写明理由”。"
            )
            % {"items": _("、").join(verdict["decisions_needed"])},
            code="indicative_undecided",
        )
    if verdict["overall"] == Overall.INCOMPLETE and verdict.get("not_assessed_mandatory"):
        raise ValidationError(_("有必检项目未判定,不能签发报告;请退回补测。"), code="incomplete")
    report = _issue_report(
        actor=actor, sample=sample, verdict=verdict, confirmed=confirmed, excluded=excluded
    )
    sample.status = SampleStatus.APPROVED
    sample.review_note = note
    sample.verdict = verdict
    sample.overall = verdict["overall"]
    sample.save(update_fields=["status", "review_note", "verdict", "overall", "updated_at"])
    request = sample.request
    whole = request.samples.filter(parent__isnull=True)
    if not whole.exclude(status=SampleStatus.APPROVED).exists() and whole.count() >= request.quantity:
        request.status = RequestStatus.COMPLETED
        request.save(update_fields=["status", "updated_at"])
    for recipient in _firm_recipients(request.firm_id, request.requested_by):
        notification_send(
            recipient=recipient,
            message=texts.REPORT_ISSUED(n=report.display_number, o=Overall(report.overall).label),
            url=reverse("lab:report_detail", args=[report.pk]),
            kind="lab",
        )
    if report.overall == Overall.FAIL:
        _suspend_brand_for(report)
    return report


def pending_decisions(sample: Sample) -> list[str]:
    """Rule ids whose rows fail on an indicative limit and await the reviewer (operators'
    confirmations since entry already count)."""
    if not sample.verdict or not sample.designation:
        return []
    verdict, _confirmed, _excluded = _decided_verdict(sample, [], {})
    return list(verdict.get("decisions_needed") or [])


def _decided_verdict(
    sample: Sample, confirmed_rules: list[str], excluded_rules: dict[str, str]
) -> tuple[dict[str, Any], list[str], dict[str, str]]:
    """Judge the stored values again with the reviewer's decisions (and every operator confirmation)."""
    assert sample.test_date is not None, "judged only once results are entered, with their test date"
    standing = conformance.confirmed_rules(sample.designation)
    case = {
        "case_id": sample.code,
        "product_type": sample.request.product_type,
        "standard": sample.designation,
        "test_date": sample.test_date.isoformat(),
        "units": sample.units,
        "nominal": sample.nominal,
        "measured": sample.measured,
        "confirmed_rules": standing,
    }
    undecided = conformance.run_judge(case)
    if sample.request.item_ids:
        undecided = _restrict(undecided, sample.request.item_ids)
    candidates = set(undecided.get("decisions_needed") or [])
    confirmed = set(confirmed_rules)
    excluded = {rule: (reason or "").strip() for rule, reason in excluded_rules.items()}
    if (confirmed | set(excluded)) - candidates:
        raise ValidationError(
            _("只能对本次结果中依据参考性限值判为不合格的项目作出决定:%(r)s。")
            % {"r": _("、").join(sorted(candidates)) or "—"},
            code="confirmed_rules",
        )
    if confirmed & set(excluded):
        raise ValidationError(_("同一项目不能既确认计入又排除。"), code="decision_conflict")
    missing_reason = sorted(rule for rule, reason in excluded.items() if not reason)
    if missing_reason:
        raise ValidationError(
            _("排除项目须写明理由:%(r)s。") % {"r": _("、").join(missing_reason)}, code="exclusion_reason"
        )
    all_confirmed = sorted(confirmed | set(standing))
    verdict = conformance.run_judge({**case, "confirmed_rules": all_confirmed, "excluded_rules": excluded})
    if sample.request.item_ids:
        verdict = _restrict(verdict, sample.request.item_ids)
    return verdict, all_confirmed, excluded


def _row_decision(item: dict[str, Any]) -> tuple[str, str]:
    if not item.get("judged_on_indicative_limit"):
        return "", ""
    if item.get("excluded"):
        return "excluded", (item.get("exclusion_reason") or "")[:300]
    if item.get("confirmed"):
        return "confirmed", (item.get("confirmed_source") or "")[:300]
    return "", ""


def _client_named_note(sample: Sample) -> str:
    request = sample.request
    if not request.client_named:
        return ""
    in_force = [gap["designation"] for gap in request.edition_notice or []]
    return _(
        "委托方指定标准:按委托合同(%(ref)s)约定依据 %(d)s 检测;该版本不是检测日现行有效版本%(now)s。"
    ) % {
        "ref": request.contract_reference or "—",
        "d": sample.designation,
        "now": (_("(现行:%(s)s)") % {"s": _("、").join(in_force)}) if in_force else "",
    }


def _issue_report(
    *, actor: Any, sample: Sample, verdict: dict[str, Any], confirmed: list[str], excluded: dict[str, str]
) -> Report:
    previous = (
        Report.objects.select_for_update(of=("self",))
        .filter(sample=sample, status=ReportStatus.VALID)
        .first()
    )
    request = sample.request
    # A report is issued from approved results: who entered them and when they were tested are set.
    assert sample.test_date is not None and sample.entered_by is not None
    if previous is None:
        year = timezone.localdate().year
        number = f"{lab_prefix(request.lab)}-R{year}-{next_number(f'lab{request.lab_id}-report', year):04d}"
        version = 1
    else:
        number, version = previous.number, previous.version + 1
    report = Report.objects.create(
        sample=sample,
        number=number,
        version=version,
        verify_code=new_verification_code(),
        firm_id=request.firm_id,
        lab_id=request.lab_id,
        product_line_id=request.product_line_id,
        product_type=request.product_type,
        product_name=request.product_name,
        designation=sample.designation,
        test_date=sample.test_date,
        overall=verdict["overall"],
        verdict=verdict,
        instrument_label=str(sample.instrument) if sample.instrument else "",
        confirmed_rules=confirmed,
        excluded_rules=excluded,
        client_named_note=_client_named_note(sample)[:300],
        entered_by=sample.entered_by,
        approved_by=actor,
        correction_reason=sample.correction_reason if previous else "",
    )
    ReportItem.objects.bulk_create(
        [
            ReportItem(
                report=report,
                result_id=item["result_id"],
                rule_id=item["rule_id"],
                label=item.get("label_zh") or item["rule_id"],
                side=item.get("side") or "",
                status=item["status"],
                measured=_text(item.get("measured")),
                nominal=_text(item.get("nominal")),
                deviation=_text(item.get("deviation")),
                tolerance=_text(item.get("tolerance")),
                unit=item.get("unit") or "",
                clause=(item.get("clause") or "")[:100],
                certainty=item.get("certainty") or "",
                mandatory=bool(item.get("mandatory")),
                indicative=bool(item.get("indicative")),
                decision=_row_decision(item)[0],
                decision_reason=_row_decision(item)[1],
            )
            for item in verdict["items"]
        ]
    )
    if previous is not None:
        previous.status = ReportStatus.SUPERSEDED
        previous.superseded_by = report
        previous.save(update_fields=["status", "superseded_by", "updated_at"])
    return report


def _text(value: Any) -> str:
    return "" if value is None else str(value)[:40]


@transaction.atomic
def report_correct(*, actor: Any, report: Report, reason: str) -> Sample:
    """Open a correction: results are re-entered and re-approved, then a new version supersedes this one."""
    report = Report.objects.select_for_update(of=("self",)).get(pk=report.pk)
    sample: Sample = Sample.objects.select_for_update(of=("self",)).get(pk=report.sample_id)
    refuse(report_correct_refusal(actor, report, sample))
    if not reason.strip():
        raise ValidationError(_("请写明更正原因,它会印在新版本报告上。"), code="reason_required")
    sample.status = SampleStatus.CORRECTION
    sample.correction_reason = reason.strip()
    sample.save(update_fields=["status", "correction_reason", "updated_at"])
    return sample


# Standard editions ------------------------------------------------------------------------------


def _problem_text(problem: Any) -> str:
    return _("位置 %(path)s:%(message)s") % {"path": problem.path or "/", "message": problem.message}


@transaction.atomic
def rules_upload(*, actor: Any, filename: str, text: str) -> RulesFile:
    """Operators add a standard edition as data; the engine validates the file and the whole set."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以上传标准规则文件。"))
    problems = validate_rules_text(text, source=filename)
    if problems:
        raise ValidationError([ValidationError(_problem_text(p), code="rules_invalid") for p in problems])
    document = load_rules_document(text, source=filename)
    existing = list(RulesFile.objects.active().values_list("filename", "text"))
    try:
        from jingxiang.quality import RuleRegistry

        RuleRegistry.builtin().with_documents([*existing, (filename, text)])
    except RulesInvalidError as invalid:
        raise ValidationError(
            [ValidationError(_problem_text(p), code="rules_conflict") for p in invalid.problems]
        ) from None
    if RulesFile.objects.filter(designation=document.designation).exists():
        raise ValidationError(
            _("标准 %(d)s 已上传过;如需替换,请先停用旧文件。") % {"d": document.designation}, code="duplicate"
        )
    return RulesFile.objects.create(
        designation=document.designation,
        series=document.series,
        title=document.title_zh[:200],
        filename=filename[:120],
        text=text,
        uploaded_by=actor,
    )


@transaction.atomic
def rules_archive(*, actor: Any, rules_file: RulesFile) -> RulesFile:
    """Stop using an uploaded edition (kept for the record; issued reports keep their verdicts)."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以停用标准规则文件。"))
    rules_file.archived_at = timezone.now()
    rules_file.designation = f"{rules_file.designation}#{rules_file.pk}"[:60]
    rules_file.save(update_fields=["archived_at", "designation", "updated_at"])
    return rules_file


@transaction.atomic
def rule_confirm(*, actor: Any, designation: str, rule_id: str, note: str) -> RuleConfirmation:
    """An operator confirms a U rule after checking the standard text; it then decides verdicts."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以确认参考性规则。"))
    document = conformance.registry().find(designation)
    item = next((item for item in document.items if item.id == rule_id), None) if document else None
    if document is None or item is None:
        raise ValidationError(
            _("标准 %(d)s 中没有规则 %(r)s。") % {"d": designation, "r": rule_id}, code="unknown_rule"
        )
    if item.certainty.value != "U":
        raise ValidationError(
            _("规则 %(r)s 的数值已核实(V/S),无需确认。") % {"r": rule_id}, code="not_indicative"
        )
    if not note.strip():
        raise ValidationError(_("请写明核对依据(标准文本的条款或页码)。"), code="note_required")
    if RuleConfirmation.objects.active().filter(designation=document.designation, rule_id=rule_id).exists():
        raise ValidationError(_("该规则已确认。"), code="duplicate")
    return RuleConfirmation.objects.create(
        designation=document.designation, rule_id=rule_id, note=note.strip(), confirmed_by=actor
    )


@transaction.atomic
def rule_unconfirm(*, actor: Any, confirmation: RuleConfirmation) -> RuleConfirmation:
    """Withdraw a confirmation: the rule is indicative again for later judgements."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有平台运营人员可以撤销确认。"))
    confirmation.archived_at = timezone.now()
    confirmation.save(update_fields=["archived_at", "updated_at"])
    return confirmation


# Regional brand 杜桥眼镜 -------------------------------------------------------------------------


@transaction.atomic
def brand_apply(*, actor: Any, product_line: ProductLine, note: str = "") -> BrandAuthorisation:
    """A firm applies to use 杜桥眼镜 on a product line; conforming reports are required."""
    line = ProductLine.objects.select_for_update(of=("self",)).get(pk=product_line.pk)
    refuse(brand_apply_refusal(actor, line))
    evidence, _problem = brand_evidence(line)
    brand = BrandAuthorisation.objects.create(
        firm_id=line.firm_id, product_line=line, note=note, applied_by=actor
    )
    brand.evidence.set(evidence)
    return brand


@transaction.atomic
def brand_review(
    *, actor: Any, brand: BrandAuthorisation, approve: bool, note: str = ""
) -> BrandAuthorisation:
    """An operator decides; approval gives the authorisation a number, a public code and a term."""
    brand = (
        BrandAuthorisation.objects.select_for_update(of=("self",))
        .select_related("product_line")
        .get(pk=brand.pk)
    )
    refuse(brand_review_refusal(actor, brand))
    if approve:
        evidence, problem = brand_evidence(brand.product_line)
        if problem:
            raise ValidationError(problem, code="no_conforming_report")
        year = timezone.localdate().year
        brand.number = f"DQ-{year}-{next_number('brand', year):04d}"
        brand.verify_code = new_verification_code()
        brand.valid_until = add_months(timezone.localdate(), brand_valid_months())
        brand.status = BrandStatus.ACTIVE
        brand.evidence.set(evidence)
    else:
        if not note.strip():
            raise ValidationError(_("不予批准时请写明原因。"), code="note_required")
        brand.status = BrandStatus.REJECTED
    brand.reviewed_by, brand.reviewed_at, brand.review_note = actor, timezone.now(), note
    brand.save()
    for recipient in _firm_recipients(brand.firm_id, brand.applied_by):
        notification_send(
            recipient=recipient,
            message=(texts.BRAND_APPROVED if approve else texts.BRAND_REJECTED)(
                l=brand.product_line.name, note=note
            ),
            url=reverse("lab:brand_detail", args=[brand.pk]),
            kind="lab",
        )
    return brand


def _suspend_brand_for(report: Report) -> None:
    """A failing report suspends the line's active authorisations and tells the firm (same transaction)."""
    brands = BrandAuthorisation.objects.select_for_update(of=("self",)).filter(
        product_line_id=report.product_line_id, status=BrandStatus.ACTIVE
    )
    for brand in brands:
        brand.status = BrandStatus.SUSPENDED
        brand.suspended_at = timezone.now()
        brand.suspended_by_report = report
        brand.suspension_reason = _("检测报告 %(n)s 结论为不合格(%(items)s)。") % {
            "n": report.display_number,
            "items": _("、").join(report.verdict.get("failed") or []) or "—",
        }
        brand.save(
            update_fields=["status", "suspended_at", "suspended_by_report", "suspension_reason", "updated_at"]
        )
        for recipient in _firm_recipients(brand.firm_id, brand.applied_by):
            notification_send(
                recipient=recipient,
                message=texts.BRAND_SUSPENDED(
                    n=brand.number, report=report.display_number, items=report.verdict.get("failed") or ["—"]
                ),
                url=reverse("lab:brand_detail", args=[brand.pk]),
                kind="lab",
            )


# High-altitude field tests ---------------------------------------------------------------------


def _check_field_test(altitude_m: int, test_date: datetime.date, rating: int) -> None:
    if not 1000 <= altitude_m <= 8849:
        raise ValidationError(_("海拔应在 1000 到 8849 米之间(高原测试)。"), code="altitude")
    if test_date > timezone.localdate():
        raise ValidationError(_("测试日期不能晚于今天。"), code="test_date")
    if not 1 <= rating <= 5:
        raise ValidationError(_("综合评分为 1 到 5 分。"), code="rating")


@transaction.atomic
def field_test_record(
    *,
    actor: Actor,
    product_line: ProductLine,
    site: str,
    altitude_m: int,
    test_date: datetime.date,
    conditions: str,
    wearers: int,
    rating: int,
    feedback: str,
    uv_index: Decimal | None = None,
) -> FieldTest:
    """Record a plateau field test (site, altitude, conditions, wearer feedback) on a goggle line."""
    from jingxiang.lab.permissions import may_record_field_test

    if not product_line.is_high_altitude:
        raise ValidationError(_("实地测试只适用于“高原用太阳镜/护目镜”产品线。"), code="not_high_altitude")
    if not may_record_field_test(actor, product_line):
        raise PermissionDenied(_("只有检测基地人员(平台运营或检测过该产品线的实验室)可以记录实地测试。"))
    _check_field_test(altitude_m, test_date, rating)
    return FieldTest.objects.create(
        product_line=product_line,
        recorded_by=actor,
        site=site,
        altitude_m=altitude_m,
        test_date=test_date,
        conditions=conditions,
        uv_index=uv_index,
        wearers=wearers,
        rating=rating,
        feedback=feedback,
    )


FIELD_TEST_FIELDS = (
    "site",
    "altitude_m",
    "test_date",
    "conditions",
    "uv_index",
    "wearers",
    "rating",
    "feedback",
)


@transaction.atomic
def field_test_correct(
    *,
    actor: Actor,
    field_test: FieldTest,
    reason: str,
    site: str,
    altitude_m: int,
    test_date: datetime.date,
    conditions: str,
    wearers: int,
    rating: int,
    feedback: str,
    uv_index: Decimal | None = None,
) -> FieldTest:
    """Correct a plateau field test with a written reason (every value is given again). The earlier
    values stay in the change log (auditlog), and the record shows that, when and why it was corrected."""
    from jingxiang.lab.permissions import may_record_field_test

    field_test = (
        FieldTest.objects.select_for_update(of=("self",)).select_related("product_line").get(pk=field_test.pk)
    )
    if not may_record_field_test(actor, field_test.product_line):
        raise PermissionDenied(_("只有检测基地人员(平台运营或检测过该产品线的实验室)可以更正实地测试。"))
    if not reason.strip():
        raise ValidationError(_("更正实地测试须写明原因。"), code="reason_required")
    _check_field_test(altitude_m, test_date, rating)
    values: dict[str, object] = {
        "site": site,
        "altitude_m": altitude_m,
        "test_date": test_date,
        "conditions": conditions,
        "uv_index": uv_index,
        "wearers": wearers,
        "rating": rating,
        "feedback": feedback,
    }
    changed = [name for name in FIELD_TEST_FIELDS if getattr(field_test, name) != values[name]]
    if not changed:
        raise ValidationError(_("没有修改任何内容。"), code="unchanged")
    for name in changed:
        setattr(field_test, name, values[name])
    field_test.correction_reason = reason.strip()[:300]
    field_test.corrected_at = timezone.now()
    field_test.save(update_fields=[*changed, "correction_reason", "corrected_at", "updated_at"])
    return field_test
