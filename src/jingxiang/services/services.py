"""Writes of the marketplace and the innovation vouchers. Each function validates, authorises and
runs in one transaction; refusals are ValidationError / PermissionDenied with a message for the user.

Money: the voucher part of an order is ``price × share`` rounded to the fen, limited by nothing else:
a claim above the firm's remaining yearly cap or the programme's remaining budget is refused, never
cut silently. The programme row is locked while its running total moves, so concurrent acceptances
cannot overspend it (and a CHECK constraint backs that up).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.core.numbering import next_number
from jingxiang.core.services import notification_send
from jingxiang.core.texts import Text
from jingxiang.core.timerules import enforce_time_rules
from jingxiang.organisations.models import Membership, Organisation, OrganisationSize
from jingxiang.organisations.permissions import FIRM_MANAGERS, is_operator, managed_firm_ids
from jingxiang.organisations.selectors import operators
from jingxiang.services import rules, texts
from jingxiang.services.models import (
    ZERO,
    ClaimStatus,
    Consultation,
    ConsultationStatus,
    FollowUp,
    Milestone,
    Order,
    OrderStatus,
    ProviderStaff,
    Service,
    ServiceStatus,
    Voucher,
    VoucherClaim,
    VoucherProgramme,
    VoucherStatus,
)
from jingxiang.services.permissions import (
    is_consulted_expert,
    is_order_firm,
    is_order_provider,
    may_manage_service,
    provider_ids,
)
from jingxiang.sharing.models import Booking
from jingxiang.sharing.services import _check_availability, sharing_profile_for
from jingxiang.talents.models import Talent

CENT = Decimal("0.01")
CONSULTATION_LENGTH = dt.timedelta(hours=1)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _firm_managers(organisation_id: int) -> list[Any]:
    memberships = Membership.objects.active().filter(
        organisation_id=organisation_id, role__in=FIRM_MANAGERS, user__is_active=True
    )
    return [m.user for m in memberships.select_related("user")]


def _provider_staff(provider_id: int) -> list[Any]:
    staff = ProviderStaff.objects.filter(provider_id=provider_id, active=True, user__is_active=True)
    return [s.user for s in staff.select_related("user")]


def _notify(recipients: Iterable[Any], *, message: Text, url: str, kind: str) -> None:
    seen: set[int] = set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        notification_send(recipient=user, message=message, url=url, kind=kind)


def _order_url(order: Order) -> str:
    return reverse("services:order_detail", args=[order.pk])


def _locked(order: Order) -> Order:
    locked: Order = (
        Order.objects.select_for_update(of=("self",))
        .select_related("service", "provider", "firm")
        .get(pk=order.pk)
    )
    return locked


# Providers and services ---------------------------------------------------------------------------


@transaction.atomic
def provider_staff_add(*, actor: Any, provider: Organisation, user: Any) -> ProviderStaff:
    """Operators (or the provider's own staff) give someone the right to act for a provider."""
    if not (is_operator(actor) or provider.pk in provider_ids(actor)):
        raise PermissionDenied(_("只有运营人员或该服务机构的人员可以添加服务机构人员。"))
    staff, _created = ProviderStaff.objects.update_or_create(
        provider=provider, user=user, defaults={"active": True}
    )
    return staff


@transaction.atomic
def service_save(
    *, actor: Any, provider: Organisation, data: dict[str, Any], service: Service | None = None
) -> Service:
    """Publish a new service of ``provider`` or change one (only its own staff)."""
    if provider.pk not in provider_ids(actor):
        raise PermissionDenied(_("只有该服务机构的人员可以发布或修改其服务。"))
    if service is not None and service.provider_id != provider.pk:
        raise PermissionDenied(_("只有该服务机构的人员可以发布或修改其服务。"))
    service = service or Service(provider=provider)
    for name in ("title", "category", "description", "price", "lead_time_days", "deliverables"):
        setattr(service, name, data[name])
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def service_withdraw(*, actor: Any, service: Service) -> Service:
    """Take a service off the market; running orders go on, new ones are refused."""
    if not may_manage_service(actor, service):
        raise PermissionDenied(_("只有该服务机构的人员可以下架其服务。"))
    service = Service.objects.select_for_update(of=("self",)).get(pk=service.pk)
    if service.status == ServiceStatus.WITHDRAWN:
        raise ValidationError(_("该服务已下架。"), code="already_withdrawn")
    service.status = ServiceStatus.WITHDRAWN
    service.save(update_fields=["status", "updated_at"])
    return service


def _check_orderable(service: Service) -> None:
    if service.status != ServiceStatus.PUBLISHED or service.archived_at is not None:
        raise ValidationError(
            _("服务「%(title)s」已下架,不能再询价或下单。") % {"title": service.title},
            code="service_withdrawn",
        )


# Orders -------------------------------------------------------------------------------------------


@transaction.atomic
def order_request(*, actor: Any, service: Service, firm: Organisation, brief: str) -> Order:
    """A firm asks for a service: a quote-only service waits for the provider's price; a priced
    service stands quoted at its list price at once."""
    if firm.pk not in managed_firm_ids(actor):
        raise PermissionDenied(_("只有企业管理员或共享人才官可以为本企业询价或下单。"))
    service = Service.objects.select_for_update(of=("self",)).get(pk=service.pk)
    _check_orderable(service)
    if service.provider_id == firm.pk:
        raise ValidationError(_("不能向本单位自己的服务下单。"), code="own_service")
    now = timezone.now()
    year = timezone.localdate().year
    order = Order(
        number=f"FW{year}-{next_number('services.order', year):05d}",
        service=service,
        provider_id=service.provider_id,
        firm=firm,
        requested_by=actor,
        brief=brief,
        status=OrderStatus.QUOTE_REQUESTED if service.quote_only else OrderStatus.QUOTED,
        price=service.price,
        quoted_at=None if service.quote_only else now,
    )
    order.full_clean()
    order.save()
    if service.quote_only:
        _notify(
            _provider_staff(service.provider_id),
            message=texts.QUOTE_REQUESTED(firm=firm.name, service=service.title),
            url=_order_url(order),
            kind="services_quote",
        )
    return order


@transaction.atomic
def order_quote(*, actor: Any, order: Order, price: Decimal, note: str = "") -> Order:
    """The provider names its price for a requested (or re-quoted, not yet ordered) service."""
    if not is_order_provider(actor, order):
        raise PermissionDenied(_("只有服务机构可以报价。"))
    order = _locked(order)
    if order.status not in (OrderStatus.QUOTE_REQUESTED, OrderStatus.QUOTED):
        raise ValidationError(_("订单已下单,不能再改报价。"), code="not_quotable")
    if price <= 0:
        raise ValidationError({"price": _("报价须大于 0 元。")}, code="bad_price")
    order.price = _money(price)
    order.quote_note = note
    order.status = OrderStatus.QUOTED
    order.quoted_at = timezone.now()
    order.save(update_fields=["price", "quote_note", "status", "quoted_at", "updated_at"])
    _notify(
        _firm_managers(order.firm_id),
        message=texts.QUOTED(
            provider=order.provider.name, price=str(order.price), service=order.service.title
        ),
        url=_order_url(order),
        kind="services_quote",
    )
    return order


def _check_voucher(voucher: Voucher, order: Order, today: dt.date) -> None:
    programme = voucher.programme
    if voucher.firm_id != order.firm_id or voucher.status != VoucherStatus.APPROVED:
        raise ValidationError({"voucher": _("只能使用本企业已批准的创新券。")}, code="voucher_not_approved")
    if not (programme.valid_from <= today <= programme.valid_to) or programme.archived_at is not None:
        raise ValidationError(
            {"voucher": _("创新券项目「%(name)s」不在有效期内。") % {"name": programme.name}},
            code="voucher_expired",
        )
    if voucher.year != today.year:
        raise ValidationError(
            {"voucher": _("该创新券属于 %(year)s 年度。") % {"year": voucher.year}}, code="voucher_year"
        )
    if order.service.category not in programme.categories:
        raise ValidationError(
            {
                "voucher": _("创新券项目「%(name)s」不支持「%(category)s」类服务。")
                % {"name": programme.name, "category": order.service.get_category_display()}
            },
            code="voucher_category",
        )


@transaction.atomic
def order_place(*, actor: Any, order: Order, voucher: Voucher | None = None) -> Order:
    """The firm orders at the quoted price, optionally paying part with an approved voucher (spent
    only when the firm accepts the deliverable)."""
    if not is_order_firm(actor, order):
        raise PermissionDenied(_("只有下单企业的管理员或共享人才官可以下单。"))
    order = _locked(order)
    _check_orderable(Service.objects.get(pk=order.service_id))
    if order.status != OrderStatus.QUOTED or order.price is None:
        raise ValidationError(_("须先得到服务机构的报价才能下单。"), code="not_quoted")
    if voucher is not None:
        voucher = Voucher.objects.select_related("programme").get(pk=voucher.pk)
        _check_voucher(voucher, order, timezone.localdate())
    order.voucher = voucher
    order.status = OrderStatus.ORDERED
    order.ordered_at = timezone.now()
    order.save(update_fields=["voucher", "status", "ordered_at", "updated_at"])
    _notify(
        _provider_staff(order.provider_id),
        message=texts.ORDERED(firm=order.firm.name, number=order.number, service=order.service.title),
        url=_order_url(order),
        kind="services_order",
    )
    return order


@transaction.atomic
def order_cancel(*, actor: Any, order: Order) -> Order:
    if not (is_order_firm(actor, order) or is_order_provider(actor, order)):
        raise PermissionDenied(_("只有下单企业或服务机构可以取消订单。"))
    order = _locked(order)
    if order.status not in (OrderStatus.QUOTE_REQUESTED, OrderStatus.QUOTED, OrderStatus.ORDERED):
        raise ValidationError(_("已交付的订单不能取消;如有问题请提出异议。"), code="not_cancellable")
    order.status = OrderStatus.CANCELLED
    order.save(update_fields=["status", "updated_at"])
    return order


@transaction.atomic
def milestone_add(*, actor: Any, order: Order, title: str, due_date: dt.date, note: str = "") -> Milestone:
    """The provider plans a delivery milestone of an ordered service."""
    if not is_order_provider(actor, order):
        raise PermissionDenied(_("只有服务机构可以安排交付节点。"))
    order = _locked(order)
    if order.status not in (OrderStatus.ORDERED, OrderStatus.DISPUTED):
        raise ValidationError(_("只有已下单、未交付的订单可以安排交付节点。"), code="not_in_delivery")
    milestone = Milestone(order=order, title=title, due_date=due_date, note=note)
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_done(*, actor: Any, milestone: Milestone, note: str = "") -> Milestone:
    if not is_order_provider(actor, milestone.order):
        raise PermissionDenied(_("只有服务机构可以确认交付节点完成。"))
    milestone = Milestone.objects.select_for_update(of=("self",)).get(pk=milestone.pk)
    if milestone.done_at is not None:
        raise ValidationError(_("该节点已完成。"), code="already_done")
    milestone.done_at = timezone.now()
    if note:
        milestone.note = note
    milestone.save(update_fields=["done_at", "note", "updated_at"])
    return milestone


@transaction.atomic
def order_deliver(*, actor: Any, order: Order) -> Order:
    """The provider hands over the deliverable (again, after a dispute); every milestone must be done."""
    if not is_order_provider(actor, order):
        raise PermissionDenied(_("只有服务机构可以交付。"))
    order = _locked(order)
    if order.status not in (OrderStatus.ORDERED, OrderStatus.DISPUTED):
        raise ValidationError(_("只有已下单的订单可以交付。"), code="not_in_delivery")
    open_ones = [m.title for m in order.milestones.filter(done_at__isnull=True)]
    if open_ones:
        raise ValidationError(
            _("还有未完成的交付节点:%(titles)s。") % {"titles": "、".join(open_ones)}, code="milestones_open"
        )
    order.status = OrderStatus.DELIVERED
    order.delivered_at = timezone.now()
    order.save(update_fields=["status", "delivered_at", "updated_at"])
    _notify(
        _firm_managers(order.firm_id),
        message=texts.DELIVERED(number=order.number),
        url=_order_url(order),
        kind="services_order",
    )
    return order


def voucher_used(*, programme_id: int, firm_id: int, year: int, exclude_order: int | None = None) -> Decimal:
    """What ``firm`` has spent of ``programme``'s vouchers in ``year`` (accepted orders)."""
    orders = Order.objects.filter(
        voucher__programme_id=programme_id,
        voucher__firm_id=firm_id,
        voucher__year=year,
        status=OrderStatus.ACCEPTED,
    )
    if exclude_order:
        orders = orders.exclude(pk=exclude_order)
    return orders.aggregate(total=Sum("voucher_amount"))["total"] or ZERO


@transaction.atomic
def order_accept(*, actor: Any, order: Order) -> Order:
    """The firm accepts the deliverable; a voucher on the order is spent now.

    The programme row is locked before its budget is read, so two acceptances at the same moment are
    serialised and the second sees what the first spent. Above the firm's cap or the remaining budget
    the acceptance is refused with both figures (the firm may take the voucher off and accept).
    """
    if not is_order_firm(actor, order):
        raise PermissionDenied(_("只有下单企业可以验收。"))
    order = _locked(order)
    if order.status != OrderStatus.DELIVERED:
        raise ValidationError(_("服务机构尚未交付,不能验收。"), code="not_delivered")
    amount = ZERO
    if order.voucher_id is not None:
        voucher = Voucher.objects.get(pk=order.voucher_id)
        programme = VoucherProgramme.objects.select_for_update(of=("self",)).get(pk=voucher.programme_id)
        voucher.programme = programme
        _check_voucher(voucher, order, timezone.localdate())
        assert order.price is not None
        amount = _money(order.price * programme.share / Decimal(100))
        used = voucher_used(programme_id=programme.pk, firm_id=order.firm_id, year=voucher.year)
        if used + amount > programme.cap_per_firm_year:
            raise ValidationError(
                _("超出创新券每家企业每年上限:本年度已使用 %(used)s 元,上限 %(cap)s 元,本次 %(amount)s 元。")
                % {"used": used, "cap": programme.cap_per_firm_year, "amount": amount},
                code="over_cap",
            )
        if amount > programme.remaining:
            raise ValidationError(
                _("创新券项目「%(name)s」剩余预算 %(left)s 元,不足本次抵扣 %(amount)s 元。")
                % {"name": programme.name, "left": programme.remaining, "amount": amount},
                code="over_budget",
            )
        programme.committed += amount
        programme.save(update_fields=["committed", "updated_at"])
    order.voucher_amount = amount
    order.status = OrderStatus.ACCEPTED
    order.accepted_at = timezone.now()
    order.save(update_fields=["voucher_amount", "status", "accepted_at", "updated_at"])
    _notify(
        _provider_staff(order.provider_id),
        message=texts.ACCEPTED(number=order.number),
        url=_order_url(order),
        kind="services_order",
    )
    return order


@transaction.atomic
def order_dispute(*, actor: Any, order: Order, reason: str) -> Order:
    """The firm refuses the deliverable with a reason; the provider re-works and delivers again."""
    if not is_order_firm(actor, order):
        raise PermissionDenied(_("只有下单企业可以提出异议。"))
    order = _locked(order)
    if order.status != OrderStatus.DELIVERED:
        raise ValidationError(_("只有已交付待验收的订单可以提出异议。"), code="not_delivered")
    if not reason.strip():
        raise ValidationError({"reason": _("请写明异议理由。")}, code="reason_required")
    order.status = OrderStatus.DISPUTED
    order.dispute_reason = reason.strip()
    order.save(update_fields=["status", "dispute_reason", "updated_at"])
    _notify(
        _provider_staff(order.provider_id),
        message=texts.DISPUTED(number=order.number, reason=order.dispute_reason),
        url=_order_url(order),
        kind="services_order",
    )
    return order


@transaction.atomic
def order_rate(*, actor: Any, order: Order, rating: int, note: str = "") -> Order:
    if not is_order_firm(actor, order):
        raise PermissionDenied(_("只有下单企业可以评价。"))
    order = _locked(order)
    if order.status != OrderStatus.ACCEPTED:
        raise ValidationError(_("验收后才能评价。"), code="not_accepted")
    if order.rating is not None:
        raise ValidationError(_("该订单已评价。"), code="already_rated")
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("评分为 1–5 分。")}, code="bad_rating")
    order.rating = rating
    order.rating_note = note
    order.save(update_fields=["rating", "rating_note", "updated_at"])
    return order


# Vouchers -----------------------------------------------------------------------------------------


@transaction.atomic
def programme_save(
    *, actor: Any, data: dict[str, Any], programme: VoucherProgramme | None = None
) -> VoucherProgramme:
    """Operators keep the programmes as data. The budget may not drop below what is already spent."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营人员可以维护创新券项目。"))
    check = enforce_time_rules(rules.PROGRAMME_RULES, data, actor=actor)
    if programme is not None:
        programme = VoucherProgramme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
    else:
        programme = VoucherProgramme()
    if data["budget"] < programme.committed:
        raise ValidationError(
            {"budget": _("总预算不能低于已使用的 %(used)s 元。") % {"used": programme.committed}},
            code="budget_below_spent",
        )
    for name in (
        "name",
        "eligible_sizes",
        "eligible_regions",
        "categories",
        "share",
        "cap_per_firm_year",
        "budget",
        "valid_from",
        "valid_to",
    ):
        setattr(programme, name, data[name])
    programme.full_clean()
    programme.save()
    check.record(programme)
    return programme


@transaction.atomic
def voucher_apply(*, actor: Any, programme: VoucherProgramme, firm: Organisation, purpose: str) -> Voucher:
    """A firm applies for a programme's voucher for this year; eligibility is checked here."""
    if firm.pk not in managed_firm_ids(actor):
        raise PermissionDenied(_("只有企业管理员或共享人才官可以为本企业申请创新券。"))
    today = timezone.localdate()
    if not (programme.valid_from <= today <= programme.valid_to) or programme.archived_at is not None:
        raise ValidationError(_("该创新券项目不在申请期内。"), code="programme_closed")
    if firm.size not in programme.eligible_sizes:
        raise ValidationError(
            _("该项目只面向 %(sizes)s 企业;贵企业的规模为「%(size)s」。")
            % {
                "sizes": "、".join(
                    str(label)
                    for value, label in OrganisationSize.choices
                    if value in programme.eligible_sizes
                ),
                "size": firm.get_size_display() or _("未填写"),
            },
            code="size_not_eligible",
        )
    if programme.eligible_regions and firm.region not in programme.eligible_regions:
        raise ValidationError(
            _("该项目只面向 %(regions)s 的企业。") % {"regions": "、".join(programme.eligible_regions)},
            code="region_not_eligible",
        )
    if Voucher.objects.filter(programme=programme, firm=firm, year=today.year).exists():
        raise ValidationError(_("贵企业本年度已申请过该项目的创新券。"), code="already_applied")
    voucher = Voucher(
        number=f"CXQ{today.year}-{next_number('services.voucher', today.year):05d}",
        programme=programme,
        firm=firm,
        year=today.year,
        purpose=purpose,
        applied_by=actor,
    )
    voucher.full_clean()
    try:
        with transaction.atomic():
            voucher.save()
    except IntegrityError:
        raise ValidationError(_("贵企业本年度已申请过该项目的创新券。"), code="already_applied") from None
    _notify(
        operators(),
        message=texts.VOUCHER_APPLIED(firm=firm.name, programme=programme.name),
        url=reverse("services:voucher_list"),
        kind="services_voucher",
    )
    return voucher


@transaction.atomic
def voucher_decide(*, actor: Any, voucher: Voucher, approve: bool, note: str = "") -> Voucher:
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营人员可以审批创新券。"))
    voucher = Voucher.objects.select_for_update(of=("self",)).get(pk=voucher.pk)
    if voucher.status != VoucherStatus.APPLIED:
        raise ValidationError(_("该申请已审批。"), code="already_decided")
    if not approve and not note.strip():
        raise ValidationError({"note": _("不批准时请写明理由。")}, code="reason_required")
    voucher.status = VoucherStatus.APPROVED if approve else VoucherStatus.REJECTED
    voucher.decided_by = actor
    voucher.decided_at = timezone.now()
    voucher.decision_note = note
    voucher.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    _notify(
        _firm_managers(voucher.firm_id),
        message=texts.VOUCHER_DECIDED(number=voucher.number, status=voucher.get_status_display()),
        url=reverse("services:voucher_list"),
        kind="services_voucher",
    )
    return voucher


@transaction.atomic
def claim_file(*, actor: Any, order: Order) -> VoucherClaim:
    """The provider claims the voucher part of an accepted order (once)."""
    if not is_order_provider(actor, order):
        raise PermissionDenied(_("只有服务机构可以申请兑付创新券。"))
    order = _locked(order)
    if order.status != OrderStatus.ACCEPTED or order.voucher_amount <= 0:
        raise ValidationError(_("只有已验收且使用了创新券的订单可以申请兑付。"), code="nothing_to_claim")
    if VoucherClaim.objects.filter(order=order).exists():
        raise ValidationError(_("该订单的创新券已申请兑付,不能重复申请。"), code="already_claimed")
    claim = VoucherClaim.objects.create(order=order, amount=order.voucher_amount, claimed_by=actor)
    _notify(
        operators(),
        message=texts.CLAIM_FILED(provider=order.provider.name, amount=str(claim.amount)),
        url=reverse("services:claim_list"),
        kind="services_voucher",
    )
    return claim


@transaction.atomic
def claim_pay(*, actor: Any, claim: VoucherClaim) -> VoucherClaim:
    """The operator pays a claim out; the programme's paid total moves under its row lock."""
    if not is_operator(actor):
        raise PermissionDenied(_("只有运营人员可以兑付创新券。"))
    claim = VoucherClaim.objects.select_for_update(of=("self",)).select_related("order").get(pk=claim.pk)
    if claim.status != ClaimStatus.CLAIMED:
        raise ValidationError(_("该兑付已支付。"), code="already_paid")
    assert claim.order.voucher_id is not None  # a claim exists only for a voucher order
    voucher = Voucher.objects.get(pk=claim.order.voucher_id)
    programme = VoucherProgramme.objects.select_for_update(of=("self",)).get(pk=voucher.programme_id)
    if programme.paid + claim.amount > programme.committed:
        raise ValidationError(_("兑付金额超出该项目已使用的额度。"), code="over_committed")
    programme.paid += claim.amount
    programme.save(update_fields=["paid", "updated_at"])
    claim.status = ClaimStatus.PAID
    claim.paid_by = actor
    claim.paid_at = timezone.now()
    claim.save(update_fields=["status", "paid_by", "paid_at", "updated_at"])
    _notify(
        _provider_staff(claim.order.provider_id),
        message=texts.CLAIM_PAID(amount=str(claim.amount), number=claim.order.number),
        url=reverse("services:claim_list"),
        kind="services_voucher",
    )
    return claim


# Think-tank consultations -------------------------------------------------------------------------


@transaction.atomic
def consultation_book(
    *, actor: Any, talent: Talent, firm: Organisation, starts_at: dt.datetime, topic: str
) -> Consultation:
    """Book one hour of a think-tank member's free time.

    Free time is the sharing app's: the talent's availability windows and exceptions, minus sharing
    bookings and other consultations. The talent row is locked (as sharing bookings do), so a sharing
    booking and a consultation for the same hour cannot both be taken.
    """
    if firm.pk not in managed_firm_ids(actor):
        raise PermissionDenied(_("只有企业管理员或共享人才官可以为本企业预约智库咨询。"))
    talent = Talent.objects.select_for_update(of=("self",)).get(pk=talent.pk)
    if not talent.think_tank or talent.archived_at is not None:
        raise ValidationError(
            _("%(name)s 不是共享人才智库成员。") % {"name": talent.name}, code="not_think_tank"
        )
    starts = timezone.localtime(starts_at)
    ends = starts + CONSULTATION_LENGTH
    check = enforce_time_rules(rules.CONSULTATION_RULES, {"starts_at": starts}, actor=actor)
    _check_availability(sharing_profile_for(talent), starts, ends)
    if Booking.objects.live().filter(talent=talent, starts_at__lt=ends, ends_at__gt=starts).exists() or (
        Consultation.objects.filter(
            talent=talent,
            status__in=[ConsultationStatus.REQUESTED, ConsultationStatus.CONFIRMED],
            starts_at__lt=ends,
            ends_at__gt=starts,
        ).exists()
    ):
        raise ValidationError(_("该时段专家已有安排,请另选时间。"), code="overlap")
    consultation = Consultation(
        talent=talent, firm=firm, requested_by=actor, topic=topic, starts_at=starts, ends_at=ends
    )
    consultation.full_clean()
    consultation.save()
    check.record(consultation)
    if talent.user is not None:
        notification_send(
            recipient=talent.user,
            message=texts.CONSULTATION_REQUESTED(firm=firm.name, slot=f"{starts:%Y-%m-%d %H:%M}"),
            url=reverse("services:consultation_detail", args=[consultation.pk]),
            kind="services_consultation",
        )
    return consultation


@transaction.atomic
def consultation_answer(*, actor: Any, consultation: Consultation, confirm: bool) -> Consultation:
    """The expert confirms (or declines) a requested hour."""
    if not is_consulted_expert(actor, consultation):
        raise PermissionDenied(_("只有被预约的专家本人可以确认咨询。"))
    consultation = Consultation.objects.select_for_update(of=("self",)).get(pk=consultation.pk)
    if consultation.status != ConsultationStatus.REQUESTED:
        raise ValidationError(_("该咨询已答复。"), code="already_answered")
    consultation.status = ConsultationStatus.CONFIRMED if confirm else ConsultationStatus.DECLINED
    consultation.save(update_fields=["status", "updated_at"])
    _notify(
        _firm_managers(consultation.firm_id),
        message=texts.CONSULTATION_ANSWERED(
            slot=f"{timezone.localtime(consultation.starts_at):%Y-%m-%d %H:%M}",
            status=consultation.get_status_display(),
        ),
        url=reverse("services:consultation_detail", args=[consultation.pk]),
        kind="services_consultation",
    )
    return consultation


@transaction.atomic
def consultation_record(
    *, actor: Any, consultation: Consultation, advice: str, follow_up: str
) -> Consultation:
    """Expert or firm records the advice given and whether it led to a demand or a sharing request."""
    if not (is_consulted_expert(actor, consultation) or consultation.firm_id in managed_firm_ids(actor)):
        raise PermissionDenied(_("只有专家本人或预约企业可以记录咨询意见。"))
    consultation = Consultation.objects.select_for_update(of=("self",)).get(pk=consultation.pk)
    if consultation.status not in (ConsultationStatus.CONFIRMED, ConsultationStatus.HELD):
        raise ValidationError(_("专家确认后才能记录咨询意见。"), code="not_confirmed")
    if consultation.starts_at > timezone.now():
        raise ValidationError(_("咨询尚未开始,开始后才能记录意见。"), code="not_started")
    if follow_up not in FollowUp.values:
        raise ValidationError({"follow_up": _("请选择后续情况。")}, code="bad_follow_up")
    if not advice.strip():
        raise ValidationError({"advice": _("请填写咨询意见。")}, code="advice_required")
    consultation.advice = advice.strip()
    consultation.follow_up = follow_up
    consultation.status = ConsultationStatus.HELD
    consultation.save(update_fields=["advice", "follow_up", "status", "updated_at"])
    return consultation
