"""Requests, invitations and the sharing agreement: every rule of issue 3 on the way to a signed contract."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jingxiang.core.models import Notification
from jingxiang.sharing import documents, services
from jingxiang.sharing.models import (
    Agreement,
    AgreementKind,
    AgreementSignature,
    AgreementStatus,
    InvitationStatus,
    RequestStatus,
)
from jingxiang.sharing.tests.builders import make_agreement, open_all_week, request_data, terms
from jingxiang.testing.factories import TalentFactory, UserFactory

pytestmark = pytest.mark.django_db


# Requests -----------------------------------------------------------------------------------------


def test_talent_officer_files_request_and_operators_are_told(cast):
    request = services.request_file(actor=cast.talent_officer, firm=cast.firm, data=request_data())
    assert request.status == RequestStatus.OPEN
    assert Notification.objects.filter(recipient=cast.operator, kind="sharing_request").exists()


@pytest.mark.parametrize("who", ["member", "other_firm_admin", "expert_user", "operator"])
def test_only_the_firms_officers_file_requests(cast, who):
    with pytest.raises(PermissionDenied):
        services.request_file(actor=getattr(cast, who), firm=cast.firm, data=request_data())


def test_request_period_must_be_in_order(cast):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        services.request_file(
            actor=cast.firm_admin,
            firm=cast.firm,
            data=request_data(period_start=today, period_end=today - dt.timedelta(days=1)),
        )


# Invitations --------------------------------------------------------------------------------------


@pytest.fixture
def request_(cast):
    open_all_week(cast.expert)
    return services.request_file(actor=cast.talent_officer, firm=cast.firm, data=request_data())


def test_invitation_notifies_the_talent_and_marks_the_request(cast, request_):
    (invitation,) = services.invitation_send(actor=cast.operator, request=request_, talents=[cast.expert])
    request_.refresh_from_db()
    assert request_.status == RequestStatus.INVITED
    assert invitation.status == InvitationStatus.PENDING
    assert Notification.objects.filter(recipient=cast.expert_user, kind="sharing_invitation").exists()


def test_firm_may_invite_itself_but_not_another_firm(cast, request_):
    services.invitation_send(actor=cast.talent_officer, request=request_, talents=[cast.expert])
    with pytest.raises(PermissionDenied):
        services.invitation_send(actor=cast.other_firm_admin, request=request_, talents=[cast.expert])


def test_talent_who_does_not_share_is_refused(cast, request_):
    cast.expert.shares_talent = False
    cast.expert.save()
    with pytest.raises(ValidationError, match="未参与互聘共享"):
        services.invitation_send(actor=cast.operator, request=request_, talents=[cast.expert])


def test_conflict_list_refuses_invitation(cast, request_):
    services.sharing_profile_for(cast.expert).conflict_firms.add(cast.firm)
    with pytest.raises(ValidationError, match="回避名单") as error:
        services.invitation_send(actor=cast.operator, request=request_, talents=[cast.expert])
    assert error.value.code == "conflict_of_interest"


def test_own_employee_and_talent_without_login_are_refused(cast, request_):
    own = TalentFactory(home_organisation=cast.firm, user=UserFactory(username="own"))
    with pytest.raises(ValidationError, match="本企业员工"):
        services.invitation_send(actor=cast.operator, request=request_, talents=[own])
    no_login = TalentFactory(home_organisation=cast.other_firm, user=None)
    with pytest.raises(ValidationError, match="尚未开通平台账号"):
        services.invitation_send(actor=cast.operator, request=request_, talents=[no_login])


def test_duplicate_invitation_is_refused(cast, request_):
    services.invitation_send(actor=cast.operator, request=request_, talents=[cast.expert])
    with pytest.raises(ValidationError, match="已经邀请过"):
        services.invitation_send(actor=cast.operator, request=request_, talents=[cast.expert])


def test_closed_request_takes_no_invitations(cast, request_):
    services.request_close(actor=cast.talent_officer, request=request_)
    with pytest.raises(ValidationError, match="已签约或已关闭"):
        services.invitation_send(actor=cast.operator, request=request_, talents=[cast.expert])


def test_talent_declines_with_a_reason_and_firm_is_told(cast, request_):
    (invitation,) = services.invitation_send(actor=cast.operator, request=request_, talents=[cast.expert])
    with pytest.raises(ValidationError, match="写明原因"):
        services.invitation_respond(actor=cast.expert_user, invitation=invitation, accept=False, reason=" ")
    services.invitation_respond(
        actor=cast.expert_user, invitation=invitation, accept=False, reason="本月已排满"
    )
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert invitation.response_note == "本月已排满"
    assert Notification.objects.filter(
        recipient=cast.talent_officer, message="sharing.invitation_declined"
    ).exists()
    with pytest.raises(ValidationError, match="已回复过"):
        services.invitation_respond(actor=cast.expert_user, invitation=invitation, accept=True)


def test_only_the_invited_talent_answers(cast, request_):
    (invitation,) = services.invitation_send(actor=cast.operator, request=request_, talents=[cast.expert])
    for who in (cast.operator, cast.talent_officer, cast.other_firm_admin):
        with pytest.raises(PermissionDenied):
            services.invitation_respond(actor=who, invitation=invitation, accept=True)


# Agreements ---------------------------------------------------------------------------------------


def test_three_party_agreement_text_encodes_the_98_notice(cast):
    agreement = make_agreement(cast, sign=False).agreement
    assert agreement.kind == AgreementKind.THREE_PARTY
    assert agreement.home == cast.other_firm
    assert agreement.status == AgreementStatus.PENDING
    text = agreement.text
    for clause in (
        "人社厅发〔2020〕98号",
        "劳动关系不因本协议改变",
        "足额缴纳社会保险费",
        "向甲方支付",
        "不直接向丙方支付",
        "扣除费用",
        "甲方依法承担工伤保险责任",
    ):
        assert clause in text
    assert agreement.text_sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert agreement.payee_name == cast.other_firm.name


def test_independent_expert_signs_a_two_party_agreement_and_is_paid_directly(cast, independent):
    agreement = make_agreement(cast, independent, sign=False).agreement
    assert agreement.kind == AgreementKind.TWO_PARTY
    assert agreement.home is None
    assert agreement.parties == ["host", "talent"]
    assert "两方" in agreement.text and "不建立劳动关系" in agreement.text
    assert agreement.payee_name == independent.name


def test_agreement_needs_an_accepted_invitation(cast, request_):
    (invitation,) = services.invitation_send(actor=cast.operator, request=request_, talents=[cast.expert])
    with pytest.raises(ValidationError, match="接受邀请后"):
        services.agreement_create(actor=cast.talent_officer, invitation=invitation, data=terms())


def test_period_may_not_exceed_the_labour_contract(cast):
    profile = open_all_week(cast.expert)
    profile.labour_contract_end = timezone.localdate() + dt.timedelta(days=30)
    profile.save()
    with pytest.raises(ValidationError, match="不得超过劳动合同剩余期限") as error:
        make_agreement(cast, sign=False)
    assert error.value.code == "beyond_contract"


def test_cap_beyond_what_the_talent_offers_is_refused(cast):
    with pytest.raises(ValidationError, match="每月可共享的 20 小时"):
        make_agreement(cast, sign=False, monthly_hour_cap=21)


def test_mode_the_talent_does_not_offer_is_refused(cast):
    with pytest.raises(ValidationError, match="不提供所选的服务方式"):
        make_agreement(cast, sign=False, mode="consultation")


def test_conflict_added_after_acceptance_still_blocks_the_agreement(cast, request_):
    (invitation,) = services.invitation_send(actor=cast.operator, request=request_, talents=[cast.expert])
    services.invitation_respond(actor=cast.expert_user, invitation=invitation, accept=True)
    services.sharing_profile_for(cast.expert).conflict_firms.add(cast.firm)
    with pytest.raises(ValidationError, match="回避名单"):
        services.agreement_create(actor=cast.talent_officer, invitation=invitation, data=terms())


def test_active_only_when_every_party_has_signed(cast):
    agreement = make_agreement(cast, sign=False).agreement
    services.agreement_sign(actor=cast.other_firm_admin, agreement=agreement, party="home")
    services.agreement_sign(actor=cast.talent_officer, agreement=agreement, party="host")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PENDING
    signature = services.agreement_sign(
        actor=cast.expert_user, agreement=agreement, party="talent", consent=True
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.activated_at is not None
    assert signature.text_sha256 == agreement.text_sha256 and signature.consent
    agreement.request.refresh_from_db()
    assert agreement.request.status == RequestStatus.MATCHED
    assert Notification.objects.filter(
        recipient=cast.other_firm_admin, message="sharing.agreement_active"
    ).exists()


@pytest.mark.parametrize(
    ("who", "party"),
    [
        ("member", "host"),
        ("other_firm_admin", "host"),
        ("talent_officer", "home"),
        ("lab_staff", "home"),
        ("operator", "host"),
        ("firm_admin", "talent"),
        ("outsider", "talent"),
    ],
)
def test_signing_by_a_non_party_is_refused(cast, who, party):
    agreement = make_agreement(cast, sign=False).agreement
    with pytest.raises(PermissionDenied, match="不是该协议"):
        services.agreement_sign(actor=getattr(cast, who), agreement=agreement, party=party, consent=True)
    assert not AgreementSignature.objects.filter(agreement=agreement).exists()


def test_talent_must_consent_explicitly(cast):
    agreement = make_agreement(cast, sign=False).agreement
    with pytest.raises(ValidationError, match="明确同意") as error:
        services.agreement_sign(actor=cast.expert_user, agreement=agreement, party="talent", consent=False)
    assert error.value.code == "consent_required"


def test_activation_without_consent_is_refused(cast):
    agreement = make_agreement(cast, sign=False).agreement
    for party, user in (
        ("home", cast.other_firm_admin),
        ("host", cast.talent_officer),
        ("talent", cast.expert_user),
    ):
        AgreementSignature.objects.create(
            agreement=agreement, party=party, signed_by=user, text_sha256=agreement.text_sha256, consent=False
        )
    with pytest.raises(ValidationError, match="未取得共享人才本人的明确同意"):
        services.agreement_activate(agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PENDING


def test_two_party_has_no_home_signature(cast, independent):
    agreement = make_agreement(cast, independent, sign=False).agreement
    with pytest.raises(ValidationError, match="没有这一签署方"):
        services.agreement_sign(actor=cast.other_firm_admin, agreement=agreement, party="home")
    services.agreement_sign(actor=cast.firm_admin, agreement=agreement, party="host")
    services.agreement_sign(actor=independent.user, agreement=agreement, party="talent", consent=True)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE


def test_signing_twice_and_after_activation_is_refused(cast, sharing):
    with pytest.raises(ValidationError, match="不能再签署"):
        services.agreement_sign(actor=cast.talent_officer, agreement=sharing.agreement, party="host")
    pending = make_agreement(
        cast, TalentFactory(home_organisation=cast.other_firm, user=UserFactory(username="t2")), sign=False
    ).agreement
    services.agreement_sign(actor=cast.talent_officer, agreement=pending, party="host")
    with pytest.raises(ValidationError, match="已签署过"):
        services.agreement_sign(actor=cast.firm_admin, agreement=pending, party="host")


def test_tampered_text_cannot_be_signed(cast):
    agreement = make_agreement(cast, sign=False).agreement
    Agreement.objects.filter(pk=agreement.pk).update(text=agreement.text.replace("300.00", "30.00"))
    with pytest.raises(ValidationError, match="哈希不一致"):
        services.agreement_sign(actor=cast.talent_officer, agreement=agreement, party="host")


def test_amendment_is_a_new_version_and_supersedes_only_when_signed(cast, sharing):
    old = sharing.agreement
    amended = services.agreement_amend(
        actor=cast.talent_officer, agreement=old, data=terms(hourly_rate=Decimal("350.00"))
    )
    assert amended.version == 2 and amended.previous == old
    assert amended.number == f"{old.number}-V2"
    assert amended.text_sha256 != old.text_sha256
    old.refresh_from_db()
    assert old.status == AgreementStatus.ACTIVE
    with pytest.raises(ValidationError, match="待签署的修订版本"):
        services.agreement_amend(actor=cast.talent_officer, agreement=old, data=terms())
    services.agreement_sign(actor=cast.other_firm_admin, agreement=amended, party="home")
    services.agreement_sign(actor=cast.talent_officer, agreement=amended, party="host")
    services.agreement_sign(actor=cast.expert_user, agreement=amended, party="talent", consent=True)
    old.refresh_from_db()
    amended.refresh_from_db()
    assert old.status == AgreementStatus.SUPERSEDED
    assert amended.status == AgreementStatus.ACTIVE
    assert old.text and old.signatures.count() == 3  # history is kept


def test_amendment_only_by_host_or_station(cast, sharing):
    with pytest.raises(PermissionDenied):
        services.agreement_amend(actor=cast.other_firm_admin, agreement=sharing.agreement, data=terms())


def test_pdf_and_public_verification_show_no_rates(cast, sharing):
    pdf = documents.agreement_pdf(sharing.agreement)
    assert pdf.startswith(b"%PDF")
    public = documents.agreement_lookup(sharing.agreement.verification_code)
    assert public["status"] == "valid"
    shown = " ".join(str(value) for _label, value in public["facts"])
    assert sharing.agreement.text_sha256 in shown
    assert cast.firm.name in shown and cast.other_firm.name in shown
    assert "300" not in shown and cast.expert.mobile not in shown
    assert documents.agreement_lookup("NOSUCHCODE") is None


def test_verification_page_is_public(client, sharing):
    response = client.get(f"/verify/agreement/{sharing.agreement.verification_code}/")
    assert response.status_code == 200
    assert sharing.agreement.text_sha256 in response.content.decode()
