"""Who sees and does what in 离境退税. Default deny; "not found" and "forbidden" are both 404.

* Store staff (``StoreStaff``) work their own stores' counters; managers also keep the goods, staff
  and filing. A firm's managers may apply to file a store for their firm.
* Refund agency members see the forms of the stores they serve, import customs files, release
  pre-authorisations and recover advances.
* The eyewear city's operator sees everything.
* The tax office reads its stores' records and decides filings (its only write).
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet, Value
from django.http import Http404

from jingxiang.organisations.permissions import FIRM_MANAGERS, firm_ids, is_operator
from jingxiang.taxfree.models import FilingStatus, RefundAgency, RefundForm, Store, StoreStaff, TaxOffice

_ROLES_ATTR = "_taxfree_roles"


def _roles(user: Any) -> dict[str, set[int]]:
    """The person's stores (staff, managed), refund agencies and tax offices, read in one query per
    request (a union of the three link tables) and kept on the user, as the organisation roles are:
    every 离境退税 page and its menu entries ask several of these questions."""
    held: dict[str, set[int]] | None = getattr(user, _ROLES_ATTR, None)
    if held is not None:
        return held

    def rows(queryset: QuerySet[Any], ref: str, manager: Any) -> QuerySet[Any]:
        picked: QuerySet[Any] = (
            queryset.order_by()
            .annotate(jx_kind=Value(queryset.model._meta.model_name), jx_ref=F(ref), jx_manager=manager)
            .values_list("jx_kind", "jx_ref", "jx_manager")
        )
        return picked

    staff_kind = StoreStaff._meta.model_name
    agency_link = RefundAgency.members.through
    office_link = TaxOffice.members.through
    union = rows(StoreStaff.objects.filter(user_id=user.pk), "store_id", F("manager")).union(
        rows(agency_link.objects.filter(user_id=user.pk), "refundagency_id", Value(False)),
        rows(office_link.objects.filter(user_id=user.pk), "taxoffice_id", Value(False)),
        all=True,
    )
    cached: dict[str, set[int]] = {"staff": set(), "managed": set(), "agency": set(), "office": set()}
    for kind, ref, manager in union:
        if kind == staff_kind:
            cached["staff"].add(ref)
            if manager:
                cached["managed"].add(ref)
        elif kind == agency_link._meta.model_name:
            cached["agency"].add(ref)
        else:
            cached["office"].add(ref)
    setattr(user, _ROLES_ATTR, cached)
    return cached


def _ids(user: Any, attr: str) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return _roles(user)[attr]


def staff_store_ids(user: Any) -> set[int]:
    return _ids(user, "staff")


def managed_store_ids(user: Any) -> set[int]:
    return _ids(user, "managed")


def agency_ids(user: Any) -> set[int]:
    return _ids(user, "agency")


def tax_office_ids(user: Any) -> set[int]:
    return _ids(user, "office")


def is_agency(user: Any) -> bool:
    return bool(agency_ids(user))


def is_tax_office(user: Any) -> bool:
    return bool(tax_office_ids(user))


def is_store_staff(user: Any) -> bool:
    return bool(staff_store_ids(user))


def may_apply(user: Any) -> bool:
    """Firm managers file their firm's stores; the operator files for anyone."""
    return is_operator(user) or bool(firm_ids(user, *FIRM_MANAGERS))


def uses_taxfree(user: Any) -> bool:
    return (
        is_operator(user) or is_agency(user) or is_tax_office(user) or is_store_staff(user) or may_apply(user)
    )


def sees_reports(user: Any) -> bool:
    return is_operator(user) or is_agency(user) or is_tax_office(user) or is_store_staff(user)


def visible_stores(user: Any) -> QuerySet[Store]:
    if is_operator(user):
        return Store.objects.all()
    condition = (
        Q(pk__in=staff_store_ids(user))
        | Q(agency_id__in=agency_ids(user))
        | Q(tax_office_id__in=tax_office_ids(user))
        | Q(firm_id__in=firm_ids(user, *FIRM_MANAGERS))
    )
    return Store.objects.filter(condition)


def visible_forms(user: Any) -> QuerySet[RefundForm]:
    if is_operator(user):
        return RefundForm.objects.all()
    condition = (
        Q(store_id__in=staff_store_ids(user))
        | Q(store__agency_id__in=agency_ids(user))
        | Q(store__tax_office_id__in=tax_office_ids(user))
    )
    return RefundForm.objects.filter(condition)


def may_edit_store(user: Any, store: Store) -> bool:
    """Goods, staff and filing documents: the store's managers, its firm's managers, the operator."""
    return (
        is_operator(user)
        or store.pk in managed_store_ids(user)
        or store.firm_id in firm_ids(user, *FIRM_MANAGERS)
    )


def may_review(user: Any, store: Store) -> bool:
    return store.tax_office_id in tax_office_ids(user)


def may_work_counter(user: Any, store: Store) -> bool:
    return store.pk in staff_store_ids(user) and store.status == FilingStatus.FILED


def may_act_for_agency(user: Any, form: RefundForm) -> bool:
    return form.store.agency_id in agency_ids(user)


def may_void(user: Any, form: RefundForm) -> bool:
    return form.store_id in staff_store_ids(user)


def access_store(user: Any, pk: int, *, write: bool = False) -> Store:
    """The store if the user may see it (``write``: edit its goods, staff, filing); 404 otherwise."""
    store = visible_stores(user).filter(pk=pk).select_related("agency", "tax_office", "firm").first()
    if store is None or (write and not may_edit_store(user, store)):
        raise Http404
    return store


def access_counter(user: Any, pk: int) -> Store:
    """A filed store whose counter the user works; 404 otherwise."""
    store = Store.objects.filter(pk=pk).select_related("agency").first()
    if store is None or not may_work_counter(user, store):
        raise Http404
    return store


def access_form(user: Any, pk: int) -> RefundForm:
    form = visible_forms(user).filter(pk=pk).select_related("store", "store__agency").first()
    if form is None:
        raise Http404
    return form


def agency_forms(user: Any) -> QuerySet[RefundForm]:
    """The forms an agency member acts on (release, recover)."""
    return RefundForm.objects.filter(store__agency_id__in=agency_ids(user))
