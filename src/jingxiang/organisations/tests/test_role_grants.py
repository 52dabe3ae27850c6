"""Platform powers cannot be self-granted: operator and union roles come from operators only."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jingxiang.organisations import services
from jingxiang.organisations.forms import MemberAddForm, RegistrationForm
from jingxiang.organisations.models import Membership, Organisation, OrganisationKind, Role
from jingxiang.organisations.permissions import is_operator
from jingxiang.organisations.services import OrganisationDetails
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_MEMBER = {
    "display_name": "新人",
    "mobile": "13600000001",
    "username": "newbie",
    "password": "Xx-12345678",
}


def test_associations_cannot_register_themselves():
    form = RegistrationForm(data={"kind": OrganisationKind.ASSOCIATION})
    assert OrganisationKind.ASSOCIATION not in dict(form.fields["kind"].choices)


def test_association_admin_cannot_grant_operator(cast):
    association = OrganisationFactory(name="某协会", kind=OrganisationKind.ASSOCIATION, uscc=None)
    admin = UserFactory(username="assoc_admin")
    MembershipFactory(user=admin, organisation=association, role=Role.ORG_ADMIN)
    form = MemberAddForm(organisation=association, actor=admin)
    assert Role.OPERATOR not in dict(form.fields["role"].choices)
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=admin, organisation=association, **NEW_MEMBER, role=Role.OPERATOR)
    assert not Membership.objects.filter(role=Role.OPERATOR, organisation=association).exists()


def test_operator_grants_operator_in_the_town_organisation(cast):
    membership = services.membership_add(
        actor=cast.operator, organisation=cast.town, **NEW_MEMBER, role=Role.OPERATOR
    )
    assert is_operator(membership.user)


def test_operator_role_in_a_firm_carries_no_powers(cast):
    user = UserFactory(username="odd")
    MembershipFactory(user=user, organisation=cast.firm, role=Role.OPERATOR)
    assert not is_operator(user)


def test_firm_admin_cannot_change_reviewed_identity(cast):
    with pytest.raises(ValidationError):
        services.organisation_update(
            actor=cast.firm_admin, organisation=cast.firm, details=_changed(cast.firm, name="改名公司")
        )
    services.organisation_update(
        actor=cast.firm_admin, organisation=cast.firm, details=_changed(cast.firm, main_products="老花镜")
    )
    cast.firm.refresh_from_db()
    assert cast.firm.main_products == "老花镜"
    services.organisation_update(
        actor=cast.operator,
        organisation=cast.firm,
        details=_changed(cast.firm, name="临海市康波光学有限公司"),
    )
    cast.firm.refresh_from_db()
    assert cast.firm.name == "临海市康波光学有限公司"


def _changed(organisation: Organisation, **changes: object) -> OrganisationDetails:
    return dataclasses.replace(OrganisationDetails.of(organisation), **changes)


def test_numeric_usernames_are_refused():
    form = RegistrationForm(data={"username": "13957600001"})
    form.is_valid()
    assert "username" in form.errors
