"""Every rule of the demand workflow and every bad input of issue 4, through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from jingxiang.core.models import Notification
from jingxiang.demands import services
from jingxiang.demands.models import (
    Demand,
    DemandStatus,
    FeedbackKind,
    InvitationStatus,
    MatchFeedback,
    ProposalStatus,
)
from jingxiang.demands.tests.conftest import make_demand
from jingxiang.organisations.models import Role
from jingxiang.testing.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "title": "板材架抛光后有白雾",
    "category": "research",
    "description": "板材架滚筒抛光后表面发白起雾,返工率高,想找懂抛光工艺的师傅或专家指导。",
    "budget": "30000",
    "deadline": None,
    "hours_needed": 16,
    "region": "杜桥镇",
    "visibility": "public",
}


def data(**changes: Any) -> dict[str, Any]:
    return {**GOOD, **changes}


def errors_of(excinfo: Any) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# -- posting --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["firm_admin", "talent_officer"])
def test_firm_managers_post_drafts(cast: Any, role: str) -> None:
    demand = services.demand_create(actor=getattr(cast, role), organisation=cast.firm, data=data())
    assert demand.status == DemandStatus.DRAFT
    assert demand.budget == Decimal("30000.00")
    assert demand.created_by == getattr(cast, role)


@pytest.mark.parametrize(
    "role", ["member", "other_firm_admin", "lab_staff", "operator", "expert_user", "outsider"]
)
def test_others_may_not_post_for_the_firm(cast: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        services.demand_create(actor=getattr(cast, role), organisation=cast.firm, data=data())


def test_pending_firm_may_not_post(cast: Any) -> None:
    pending = OrganisationFactory(status="pending")
    admin = UserFactory()
    MembershipFactory(user=admin, organisation=pending, role=Role.ORG_ADMIN)
    with pytest.raises(PermissionDenied):
        services.demand_create(actor=admin, organisation=pending, data=data())


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"description": ""}, "description", "请填写"),
        ({"description": "   "}, "description", "请填写"),
        ({"description": "太短"}, "description", "至少"),
        ({"description": "😀😀😀😀😀😀😀😀😀😀😀😀"}, "description", "表情和符号不算"),
        ({"description": "膜" * 5001}, "description", "最多 5000 字"),
        ({"description": "<script>alert('x')</script>镜片膜层起皱脱落问题求助"}, "description", "HTML"),
        ({"description": "点击 javascript:alert(1) 查看镜片膜层起皱脱落"}, "description", "HTML"),
        ({"title": ""}, "title", "请填写"),
        ({"title": "<b>急</b>"}, "title", "HTML"),
        ({"category": "算命"}, "category", "未知的需求类别"),
        ({"category": ""}, "category", "未知的需求类别"),
        ({"visibility": "friends"}, "visibility", "可见范围"),
        ({"budget": "-1"}, "budget", "0 到 100 亿"),
        ({"budget": "很多钱"}, "budget", "金额数字"),
        ({"budget": "NaN"}, "budget", "0 到 100 亿"),
        ({"deadline": dt.date(2000, 1, 1)}, "deadline", "期望完成日期不能早于"),
        ({"hours_needed": -3}, "hours_needed", "0 到 10000"),
        ({"hours_needed": "abc"}, "hours_needed", "整数"),
        ({"region": "<img src=x onerror=alert(1)>"}, "region", "HTML"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    cast: Any, changes: dict, field: str, fragment: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.demand_create(actor=cast.firm_admin, organisation=cast.firm, data=data(**changes))
    assert any(fragment in message for message in errors_of(excinfo)[field])
    assert not Demand.objects.exists()


@pytest.mark.parametrize(
    "description",
    [
        "鏡片戴一段時間膜層起皺脫落,客戶投訴很多",  # traditional characters
        "AR膜 coating 一擦就掉 after 3 months,MR-8 镜片 😡 急!",  # mixed, emoji
        "钛架焊点断裂" + "。" * 10 + "需要激光焊接专家",
    ],
)
def test_real_world_text_is_accepted(cast: Any, description: str) -> None:
    demand = services.demand_create(
        actor=cast.firm_admin, organisation=cast.firm, data=data(description=description)
    )
    assert demand.description == description.strip()


def test_all_problems_are_reported_at_once(cast: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.demand_create(
            actor=cast.firm_admin, organisation=cast.firm, data=data(title="", description="", category="x")
        )
    assert {"title", "description", "category"} <= set(errors_of(excinfo))


# -- attachments ----------------------------------------------------------------------------------------


def pdf(name: str = "spec.pdf", size: int = 100) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size, content_type="application/pdf")


def test_attachments_are_kept(cast: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    demand = services.demand_create(actor=cast.firm_admin, organisation=cast.firm, data=data(), files=[pdf()])
    attachment = demand.attachments.get()
    assert attachment.name == "spec.pdf" and attachment.size > 100


@pytest.mark.parametrize(
    ("upload", "fragment"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "类型不支持"),
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"), "内容与扩展名不符"),
        (SimpleUploadedFile("empty.pdf", b""), "空文件"),
        (SimpleUploadedFile("noext", b"%PDF-1.4"), "类型不支持"),
    ],
)
def test_bad_attachments_are_refused(
    cast: Any, settings: Any, tmp_path: Any, upload: Any, fragment: str
) -> None:
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as excinfo:
        services.demand_create(actor=cast.firm_admin, organisation=cast.firm, data=data(), files=[upload])
    assert any(fragment in m for m in errors_of(excinfo)["attachments"])
    assert not Demand.objects.exists(), "nothing is saved when an attachment is refused"


def test_oversized_attachment_is_refused(cast: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    big = pdf(size=10 * 1024 * 1024 + 1)
    with pytest.raises(ValidationError) as excinfo:
        services.demand_create(actor=cast.firm_admin, organisation=cast.firm, data=data(), files=[big])
    assert any("10 MB" in m for m in errors_of(excinfo)["attachments"])


def test_at_most_five_attachments(cast: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as excinfo:
        services.demand_create(
            actor=cast.firm_admin,
            organisation=cast.firm,
            data=data(),
            files=[pdf(f"{i}.pdf") for i in range(6)],
        )
    assert any("最多 5 个" in m for m in errors_of(excinfo)["attachments"])


# -- editing, submitting, screening ---------------------------------------------------------------------


def test_only_drafts_are_edited(cast: Any) -> None:
    demand = services.demand_create(actor=cast.firm_admin, organisation=cast.firm, data=data())
    services.demand_update(actor=cast.talent_officer, demand=demand, data=data(title="板材架抛光白雾问题"))
    demand.refresh_from_db()
    assert demand.title == "板材架抛光白雾问题"
    services.demand_submit(actor=cast.firm_admin, demand=demand)
    with pytest.raises(ValidationError, match="草稿"):
        services.demand_update(actor=cast.firm_admin, demand=demand, data=data())
    with pytest.raises(PermissionDenied):
        services.demand_update(actor=cast.other_firm_admin, demand=demand, data=data())


def test_submit_notifies_operators_and_flags_near_duplicates(cast: Any) -> None:
    existing = make_demand(
        cast, title="板材架抛光后有白雾", description=GOOD["description"], category="research"
    )
    demand = services.demand_create(actor=cast.firm_admin, organisation=cast.firm, data=data())
    services.demand_submit(actor=cast.firm_admin, demand=demand)
    demand.refresh_from_db()
    assert demand.status == DemandStatus.SCREENING and demand.submitted_at
    assert demand.duplicate_of == existing and demand.duplicate_score >= services.DUPLICATE_THRESHOLD
    assert Notification.objects.filter(recipient=cast.operator, kind="demand_screening").exists()


def test_different_demands_are_not_flagged(cast: Any) -> None:
    make_demand(
        cast,
        title="招聘车房技术员",
        description="招聘两名车房技术员,要求三年以上经验,会数控车房设备。",
        category="research",
    )
    other_firm = make_demand(
        cast,
        organisation=cast.other_firm,
        title=GOOD["title"],
        description=GOOD["description"],
        category="research",
    )
    demand = services.demand_create(actor=cast.firm_admin, organisation=cast.firm, data=data())
    services.demand_submit(actor=cast.firm_admin, demand=demand)
    demand.refresh_from_db()
    assert demand.duplicate_of is None, "other firms' and dissimilar demands are not duplicates"
    assert other_firm.pk


def test_screening_is_for_operators_only(cast: Any) -> None:
    demand = make_demand(cast, status=DemandStatus.SCREENING)
    for actor in (cast.firm_admin, cast.lab_staff, cast.union_staff):
        with pytest.raises(PermissionDenied):
            services.demand_publish(actor=actor, demand=demand)
    services.demand_publish(actor=cast.operator, demand=demand)
    demand.refresh_from_db()
    assert (
        demand.status == DemandStatus.PUBLISHED
        and demand.published_at
        and demand.screened_by == cast.operator
    )
    assert Notification.objects.filter(recipient=cast.firm_admin, message="demands.published").exists()
    with pytest.raises(ValidationError, match="不在待审核"):
        services.demand_publish(actor=cast.operator, demand=demand)


def test_return_needs_a_reason_and_goes_back_to_draft(cast: Any) -> None:
    demand = make_demand(cast, status=DemandStatus.SCREENING)
    with pytest.raises(ValidationError, match="原因"):
        services.demand_return(actor=cast.operator, demand=demand, reason="  ")
    services.demand_return(actor=cast.operator, demand=demand, reason="请补充镜片材质和膜层类型")
    demand.refresh_from_db()
    assert demand.status == DemandStatus.DRAFT and demand.return_reason == "请补充镜片材质和膜层类型"
    assert Notification.objects.filter(
        recipient=cast.talent_officer, message="demands.returned", params__reason="请补充镜片材质和膜层类型"
    ).exists()


def test_merge_into_same_firm_open_demand_only(cast: Any) -> None:
    original = make_demand(cast)
    duplicate = make_demand(cast, status=DemandStatus.SCREENING)
    foreign = make_demand(cast, organisation=cast.other_firm)
    closed = make_demand(cast, status=DemandStatus.CLOSED)
    with pytest.raises(ValidationError, match="同一企业"):
        services.demand_merge(actor=cast.operator, demand=duplicate, into=foreign)
    with pytest.raises(ValidationError, match="只能合并到"):
        services.demand_merge(actor=cast.operator, demand=duplicate, into=closed)
    with pytest.raises(ValidationError, match="自身"):
        services.demand_merge(actor=cast.operator, demand=duplicate, into=duplicate)
    services.demand_merge(actor=cast.operator, demand=duplicate, into=original)
    duplicate.refresh_from_db()
    assert duplicate.status == DemandStatus.MERGED and duplicate.merged_into == original


# -- invitations, proposals, outcome --------------------------------------------------------------------


def key(obj: Any) -> str:
    return f"{'T' if obj.__class__.__name__ == 'Talent' else 'O'}-{obj.pk}"


def test_invite_rules(cast: Any, suppliers: Any) -> None:
    draft = make_demand(cast, status=DemandStatus.DRAFT)
    with pytest.raises(ValidationError, match="发布后"):
        services.invitation_create(actor=cast.firm_admin, demand=draft, supplier_key=key(suppliers.coating))
    demand = make_demand(cast)
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=cast.member, demand=demand, supplier_key=key(suppliers.coating))
    with pytest.raises(ValidationError, match="高校、检测机构或服务机构"):
        services.invitation_create(actor=cast.firm_admin, demand=demand, supplier_key=key(cast.other_firm))
    with pytest.raises(ValidationError, match="高校、检测机构或服务机构"):
        services.invitation_create(
            actor=cast.firm_admin, demand=demand, supplier_key=key(suppliers.pending_lab)
        )
    with pytest.raises(ValidationError, match="停止提供服务"):
        services.invitation_create(actor=cast.firm_admin, demand=demand, supplier_key=key(suppliers.archived))
    with pytest.raises(ValidationError, match="请选择"):
        services.invitation_create(actor=cast.firm_admin, demand=demand, supplier_key="nonsense")
    invitation = services.invitation_create(
        actor=cast.firm_admin,
        demand=demand,
        supplier_key=key(suppliers.coating),
        message="请帮忙看看",
        why=["技能 膜层附着力"],
    )
    assert Notification.objects.filter(recipient=suppliers.coating_user, kind="demand_invitation").exists()
    assert invitation.why == ["技能 膜层附着力"]
    with pytest.raises(ValidationError, match="已经邀请过"):
        services.invitation_create(actor=cast.firm_admin, demand=demand, supplier_key=key(suppliers.coating))
    services.invitation_create(actor=cast.firm_admin, demand=demand, supplier_key=key(cast.lab))
    assert Notification.objects.filter(kind="demand_invitation").count() == 1, (
        "the lab has no admin in the cast"
    )


def test_talents_without_a_login_cannot_be_invited_online(cast: Any, suppliers: Any) -> None:
    from jingxiang.testing.factories import TalentFactory

    offline = TalentFactory(name="离线专家", home_organisation=None)
    with pytest.raises(ValidationError, match="尚未开通平台账号"):
        services.invitation_create(actor=cast.firm_admin, demand=make_demand(cast), supplier_key=key(offline))


def test_own_staff_are_not_invited(cast: Any, suppliers: Any) -> None:
    from jingxiang.testing.factories import TalentFactory

    own = TalentFactory(home_organisation=cast.firm)
    with pytest.raises(ValidationError, match="本企业"):
        services.invitation_create(actor=cast.firm_admin, demand=make_demand(cast), supplier_key=key(own))


def test_decline_needs_reason_and_feeds_back(cast: Any, suppliers: Any) -> None:
    demand = make_demand(cast)
    invitation = services.invitation_create(
        actor=cast.firm_admin, demand=demand, supplier_key=key(suppliers.coating)
    )
    with pytest.raises(PermissionDenied):
        services.invitation_decline(actor=cast.lab_staff, invitation=invitation, reason="忙")
    with pytest.raises(ValidationError, match="原因"):
        services.invitation_decline(actor=suppliers.coating_user, invitation=invitation, reason="")
    services.invitation_decline(actor=suppliers.coating_user, invitation=invitation, reason="本月时间排满了")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED and invitation.decline_reason == "本月时间排满了"
    assert MatchFeedback.objects.get().kind == FeedbackKind.DECLINED
    with pytest.raises(ValidationError, match="已经回复"):
        services.invitation_decline(actor=suppliers.coating_user, invitation=invitation, reason="再次")


def test_proposal_accepts_invitation_and_moves_to_talks(cast: Any, suppliers: Any) -> None:
    demand = make_demand(cast)
    services.invitation_create(actor=cast.firm_admin, demand=demand, supplier_key=key(suppliers.coating))
    proposal = services.proposal_submit(
        actor=suppliers.coating_user,
        demand=demand,
        supplier_key=key(suppliers.coating),
        summary="先做百格测试确认附着力,再调整加硬液固化曲线。",
        price=Decimal("8000"),
        hours=12,
    )
    demand.refresh_from_db()
    assert demand.status == DemandStatus.IN_TALKS
    assert proposal.invitation.status == InvitationStatus.ACCEPTED
    assert MatchFeedback.objects.get().kind == FeedbackKind.ACCEPTED
    assert Notification.objects.filter(recipient=cast.talent_officer, kind="demand_proposal").exists()
    with pytest.raises(ValidationError, match="已提交过"):
        services.proposal_submit(
            actor=suppliers.coating_user,
            demand=demand,
            supplier_key=key(suppliers.coating),
            summary="再提交一次同样的方案内容",
        )


def test_proposal_rules(cast: Any, suppliers: Any) -> None:
    demand = make_demand(cast)
    with pytest.raises(PermissionDenied):
        services.proposal_submit(
            actor=cast.firm_admin,
            demand=demand,
            supplier_key=key(suppliers.coating),
            summary="冒名顶替提交的方案",
        )
    with pytest.raises(ValidationError, match="请填写"):
        services.proposal_submit(
            actor=suppliers.coating_user, demand=demand, supplier_key=key(suppliers.coating), summary=""
        )
    with pytest.raises(ValidationError, match="HTML"):
        services.proposal_submit(
            actor=suppliers.coating_user,
            demand=demand,
            supplier_key=key(suppliers.coating),
            summary="<iframe>方案方案方案方案",
        )
    closed = make_demand(cast, status=DemandStatus.CLOSED)
    with pytest.raises((ValidationError, PermissionDenied)):
        services.proposal_submit(
            actor=suppliers.coating_user,
            demand=closed,
            supplier_key=key(suppliers.coating),
            summary="对已关闭需求的方案内容",
        )
    hidden = make_demand(cast, visibility="operators")
    with pytest.raises(PermissionDenied):
        services.proposal_submit(
            actor=suppliers.coating_user,
            demand=hidden,
            supplier_key=key(suppliers.coating),
            summary="看不到的需求也想提交",
        )


def test_lab_staff_answers_for_their_lab(cast: Any, suppliers: Any) -> None:
    demand = make_demand(cast)
    proposal = services.proposal_submit(
        actor=cast.lab_staff,
        demand=demand,
        supplier_key=key(cast.lab),
        summary="可按 GB 10810 做膜层附着力和耐磨检测。",
    )
    assert proposal.organisation == cast.lab and proposal.talent is None


def accepted_demand(cast: Any, suppliers: Any) -> tuple[Demand, Any, Any]:
    demand = make_demand(cast)
    first = services.proposal_submit(
        actor=suppliers.coating_user,
        demand=demand,
        supplier_key=key(suppliers.coating),
        summary="调整加硬与镀膜工艺参数。",
    )
    second = services.proposal_submit(
        actor=cast.lab_staff,
        demand=demand,
        supplier_key=key(cast.lab),
        summary="先做附着力检测定位问题环节。",
    )
    return demand, first, second


def test_accepting_a_proposal_matches_and_declines_the_rest(cast: Any, suppliers: Any) -> None:
    demand, first, second = accepted_demand(cast, suppliers)
    with pytest.raises(PermissionDenied):
        services.proposal_decide(actor=cast.member, proposal=first, accept=True)
    with pytest.raises(ValidationError, match="原因"):
        services.proposal_decide(actor=cast.firm_admin, proposal=second, accept=False)
    services.proposal_decide(actor=cast.firm_admin, proposal=first, accept=True)
    demand.refresh_from_db()
    second.refresh_from_db()
    assert demand.status == DemandStatus.MATCHED and demand.matched_proposal == first
    assert second.status == ProposalStatus.DECLINED and "其他方案" in second.decision_reason
    assert Notification.objects.filter(
        recipient=suppliers.coating_user, message="demands.proposal_accepted"
    ).exists()
    with pytest.raises(ValidationError):
        services.proposal_decide(actor=cast.firm_admin, proposal=second, accept=True)


def test_closing_a_matched_demand_needs_outcome_and_rating(cast: Any, suppliers: Any) -> None:
    demand, first, _second = accepted_demand(cast, suppliers)
    services.proposal_decide(actor=cast.firm_admin, proposal=first, accept=True)
    with pytest.raises(ValidationError) as excinfo:
        services.demand_close(actor=cast.firm_admin, demand=demand, solved=True, notes="", rating=None)
    assert "rating" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.demand_close(actor=cast.firm_admin, demand=demand, solved=None, notes="", rating=4)
    assert "solved" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        services.demand_close(actor=cast.firm_admin, demand=demand, solved=True, notes="", rating=6)
    with pytest.raises(PermissionDenied):
        services.demand_close(actor=cast.operator, demand=demand, solved=True, notes="", rating=5)
    services.demand_close(
        actor=cast.firm_admin, demand=demand, solved=True, notes="附着力达标,投诉下降", rating=5
    )
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED and demand.solved and demand.rating == 5 and demand.closed_at
    rated = MatchFeedback.objects.get(kind=FeedbackKind.RATED)
    assert rated.supplier_key == key(suppliers.coating) and rated.rating == 5
    with pytest.raises(ValidationError, match="已经关闭"):
        services.demand_close(actor=cast.firm_admin, demand=demand, solved=True, notes="", rating=5)


def test_withdrawing_an_unmatched_demand_needs_a_note(cast: Any) -> None:
    demand = make_demand(cast)
    with pytest.raises(ValidationError) as excinfo:
        services.demand_close(actor=cast.firm_admin, demand=demand, solved=None, notes="")
    assert "notes" in excinfo.value.message_dict
    services.demand_close(actor=cast.firm_admin, demand=demand, solved=None, notes="已自行解决")
    demand.refresh_from_db()
    assert demand.status == DemandStatus.CLOSED and demand.solved is False and demand.rating is None
    assert not MatchFeedback.objects.exists()


def test_rerank_all_stores_rankings(cast: Any, suppliers: Any) -> None:
    open_demand = make_demand(cast)
    draft = make_demand(cast, status=DemandStatus.DRAFT)
    progress: list[tuple[int, Any]] = []
    assert services.demands_rerank_all(progress=lambda p, m: progress.append((p, m))) == 1
    open_demand.refresh_from_db()
    draft.refresh_from_db()
    assert open_demand.ranking[0]["key"] == key(suppliers.coating) and open_demand.ranked_at
    assert draft.ranking == [] and progress[-1][0] == 100


def test_every_service_is_audited(cast: Any) -> None:
    from auditlog.models import LogEntry

    demand = services.demand_create(actor=cast.firm_admin, organisation=cast.firm, data=data())
    services.demand_submit(actor=cast.firm_admin, demand=demand)
    assert LogEntry.objects.get_for_object(demand).count() >= 2


def test_operators_archive_with_a_reason(cast: Any) -> None:
    demand = make_demand(cast)
    with pytest.raises(PermissionDenied):
        services.demand_archive(actor=cast.firm_admin, demand=demand, reason="重复")
    with pytest.raises(ValidationError, match="原因"):
        services.demand_archive(actor=cast.operator, demand=demand, reason="")
    services.demand_archive(actor=cast.operator, demand=demand, reason="企业已注销")
    demand.refresh_from_db()
    assert demand.archived_at is not None
    assert not Demand.objects.visible_to(cast.other_firm_admin).filter(pk=demand.pk).exists()
    assert Demand.objects.visible_to(cast.firm_admin).filter(pk=demand.pk).exists(), (
        "the firm keeps its record"
    )
    assert not Demand.objects.open().filter(pk=demand.pk).exists(), "archived demands leave the ranking"
    assert Notification.objects.filter(
        recipient=cast.firm_admin, message="demands.archived", params__reason="企业已注销"
    ).exists()
    with pytest.raises(ValidationError, match="已归档"):
        services.demand_archive(actor=cast.operator, demand=demand, reason="再次")
