from __future__ import annotations

from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from jingxiang.accounts.privacy import current_policy
from jingxiang.core.models import Notification
from jingxiang.identifiers import generate_uscc
from jingxiang.organisations import services
from jingxiang.organisations.forms import RegistrationForm
from jingxiang.organisations.models import Membership, Organisation, OrganisationStatus, Role

pytestmark = pytest.mark.django_db


def registration_data(**overrides):  # type: ignore[no-untyped-def]
    import random

    data = {
        "name": "临海市新光眼镜有限公司",
        "kind": "firm",
        "uscc": generate_uscc(random.Random(3), region_code="331082"),
        "region": "杜桥镇",
        "applicant_name": "周海",
        "applicant_mobile": "13957612345",
        "username": "xinguang",
        "password1": "Duqiao-2026-glasses",
        "password2": "Duqiao-2026-glasses",
        "privacy_consent": "on",
        "privacy_version": current_policy().version,
    }
    data.update(overrides)
    return data


def _register(form: RegistrationForm) -> tuple[Any, Organisation]:
    data = form.cleaned_data
    return services.organisation_register(
        details=form.details(),
        username=data["username"],
        mobile=data["applicant_mobile"],
        display_name=data["applicant_name"],
        password=data["password1"],
    )


def test_registration_creates_pending_firm_with_admin_and_tells_operators(cast):
    form = RegistrationForm(data=registration_data())
    assert form.is_valid(), form.errors
    user, organisation = _register(form)
    assert organisation.status == OrganisationStatus.PENDING
    assert Membership.objects.get(user=user, organisation=organisation).role == Role.ORG_ADMIN
    assert Notification.objects.filter(recipient=cast.operator, kind="organisation_review").exists()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("uscc", "91331082MA2ABCDE1X", None),
        ("applicant_mobile", "12345", None),
        ("name", "<script>alert(1)</script>", "markup"),
    ],
)
def test_registration_refuses_bad_input_with_a_message(cast, field, value, code):
    form = RegistrationForm(data=registration_data(**{field: value}))
    assert not form.is_valid()
    assert form.errors[field][0]
    if code:
        assert form.has_error(field, code)


def test_duplicate_uscc_is_refused(cast):
    data = registration_data(uscc=cast.firm.uscc)
    form = RegistrationForm(data=data)
    assert not form.is_valid()
    assert form.has_error("uscc", "duplicate_uscc")


def test_firm_requires_uscc(cast):
    form = RegistrationForm(data=registration_data(uscc=""))
    assert not form.is_valid()
    assert "uscc" in form.errors


def test_operator_approves_and_applicant_is_notified(cast):
    form = RegistrationForm(data=registration_data())
    assert form.is_valid()
    user, organisation = _register(form)
    services.organisation_review(actor=cast.operator, organisation=organisation, approve=True)
    organisation.refresh_from_db()
    assert organisation.status == OrganisationStatus.APPROVED
    assert organisation.reviewed_by == cast.operator
    assert Notification.objects.filter(recipient=user, kind="organisation_review").exists()
    with pytest.raises(ValidationError):
        services.organisation_review(actor=cast.operator, organisation=organisation, approve=True)


def test_rejection_needs_a_reason_and_only_operators_review(cast):
    pending = Organisation.objects.create(
        name="待审企业", kind="firm", uscc=generate_uscc(__import__("random").Random(9))
    )
    with pytest.raises(ValidationError):
        services.organisation_review(actor=cast.operator, organisation=pending, approve=False, note=" ")
    for actor in (cast.firm_admin, cast.member, cast.lab_staff, cast.union_staff, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.organisation_review(actor=actor, organisation=pending, approve=True)
    services.organisation_review(
        actor=cast.operator, organisation=pending, approve=False, note="营业执照不清晰"
    )
    pending.refresh_from_db()
    assert pending.status == OrganisationStatus.REJECTED
    assert pending.review_note == "营业执照不清晰"


def test_admin_adds_member_but_other_firm_cannot(cast):
    data = {
        "display_name": "陈晓",
        "mobile": "13800001111",
        "username": "chenxiao",
        "role": Role.MEMBER,
        "password": "Xx-12345678",
    }
    membership = services.membership_add(actor=cast.firm_admin, organisation=cast.firm, **data)
    assert membership.organisation == cast.firm
    with pytest.raises(PermissionDenied):
        services.membership_add(
            actor=cast.other_firm_admin,
            organisation=cast.firm,
            **{**data, "username": "x2", "mobile": "13800001112"},
        )


def test_last_admin_cannot_be_removed(cast):
    admin_membership = Membership.objects.get(user=cast.firm_admin, organisation=cast.firm)
    with pytest.raises(ValidationError):
        services.membership_end(actor=cast.firm_admin, membership=admin_membership)


def test_changes_are_audited_with_actor(cast, client):
    client.force_login(cast.firm_admin)
    response = client.post(
        f"/organisations/{cast.firm.pk}/edit/",
        {
            "name": cast.firm.name,
            "kind": "firm",
            "uscc": cast.firm.uscc,
            "region": "杜桥镇",
            "main_products": "太阳镜",
        },
    )
    assert response.status_code == 302, response.content
    entry = (
        LogEntry.objects.get_for_object(cast.firm).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    )
    assert entry.actor == cast.firm_admin
    assert "main_products" in entry.changes_dict


def test_users_cannot_hard_delete_organisations_in_admin(cast, client):
    client.force_login(cast.operator)
    cast.operator.is_staff = True
    cast.operator.is_superuser = True
    cast.operator.save()
    response = client.get(f"/admin/organisations/organisation/{cast.firm.pk}/delete/")
    assert response.status_code in (403, 404)  # refusals look like "not found"
    client.post(f"/admin/organisations/organisation/{cast.firm.pk}/delete/", {"post": "yes"})
    assert Organisation.objects.filter(pk=cast.firm.pk).exists()
