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

from django.db.models import Q, QuerySet
from django.http import Http404

from jingxiang.organisations.permissions import FIRM_MANAGERS, firm_ids, is_operator
from jingxiang.taxfree.models import FilingStatus, RefundForm, Store


def _ids(user: Any, attr: str) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cache_name = f"_taxfree_{attr}"
    cached = getattr(user, cache_name, None)
    if cached is None:
        if attr == "staff":
            cached = set(user.taxfree_staff.values_list("store_id", flat=True))
        elif attr == "managed":
            cached = set(user.taxfree_staff.filter(manager=True).values_list("store_id", flat=True))
        elif attr == "agency":
            cached = set(user.refund_agencies.values_list("pk", flat=True))
        else:
            cached = set(user.tax_offices.values_list("pk", flat=True))
        setattr(user, cache_name, cached)
    return cached


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
