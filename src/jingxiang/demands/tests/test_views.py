"""Pages through the HTTP client: forms keep what was typed, visibility everywhere, fixed query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jingxiang.demands.models import Demand, DemandStatus, Invitation
from jingxiang.demands.tests.conftest import make_demand

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def test_create_page_posts_and_submits(cast: Any, suppliers: Any) -> None:
    client = client_for(cast.talent_officer)
    response = client.post(
        "/demands/new/",
        {
            "title": "镜片膜层起皱脱落",
            "category": "testing",
            "description": "我们的树脂镜片戴一段时间膜层起皱脱落,客户投诉多。",
            "visibility": "public",
            "submit_now": "1",
        },
    )
    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/demands/{demand.pk}/"
    assert demand.status == DemandStatus.SCREENING
    page = client.get(f"/demands/{demand.pk}/")
    assert "等待 平台运营 审核发布" in page.content.decode()


# -- forms keep what was typed --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("description", "<script>alert(1)</script>", "HTML"),
        ("description", "", "必填"),
        ("description", "膜" * 5001, "5000"),
        ("category", "算命", "有效"),
        ("budget", "-5", "0"),
        ("deadline", "2001-01-01", "期望完成日期不能早于"),
    ],
)
def test_bad_input_keeps_what_was_typed(cast: Any, field: str, value: str, fragment: str) -> None:
    post = {
        "title": "板材架抛光后有白雾",
        "category": "research",
        "description": "板材架抛光后表面发白起雾,返工率高。",
        "visibility": "public",
        "submit_now": "1",
    }
    post[field] = value
    response = client_for(cast.firm_admin).post("/demands/new/", post)
    assert response.status_code == 200
    text = response.content.decode()
    assert fragment in text
    assert "板材架抛光后有白雾" in text
    assert not Demand.objects.exists()


def test_attachment_errors_are_shown_and_nothing_saved(cast: Any, settings: Any, tmp_path: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = client_for(cast.firm_admin).post(
        "/demands/new/",
        {
            "title": "板材架抛光后有白雾",
            "category": "research",
            "description": "板材架抛光后表面发白起雾,返工率高。",
            "visibility": "public",
            "attachments": [SimpleUploadedFile("run.exe", b"MZ")],
        },
    )
    assert response.status_code == 200 and "类型不支持" in response.content.decode()
    assert not Demand.objects.exists()


def test_attachment_download_checks_access(cast: Any, settings: Any, tmp_path: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jingxiang.demands import services

    settings.MEDIA_ROOT = tmp_path
    demand = make_demand(cast, status=DemandStatus.DRAFT)
    services._save_attachments(
        demand=demand, actor=cast.firm_admin, files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")]
    )
    url = f"/demands/{demand.pk}/attachments/{demand.attachments.get().pk}/"
    assert b"".join(client_for(cast.member).get(url).streaming_content).startswith(b"%PDF")
    assert client_for(cast.other_firm_admin).get(url).status_code == 404


# -- visibility everywhere ------------------------------------------------------------------------------


@pytest.fixture
def spread(cast: Any, suppliers: Any) -> dict[str, Demand]:
    cast.lab.is_alliance_member = True
    cast.lab.save()
    return {
        "public": make_demand(cast, title="公开需求膜层脱落"),
        "alliance": make_demand(cast, title="联盟需求膜层脱落", visibility="alliance"),
        "operators": make_demand(cast, title="运营可见膜层脱落", visibility="operators"),
        "draft": make_demand(cast, title="草稿需求膜层脱落", status=DemandStatus.DRAFT),
        "screening": make_demand(cast, title="待审需求膜层脱落", status=DemandStatus.SCREENING),
        "foreign_draft": make_demand(
            cast, organisation=cast.other_firm, title="别家草稿膜层脱落", status=DemandStatus.DRAFT
        ),
    }


SEES = {
    "firm_admin": {"public", "alliance", "operators", "draft", "screening"},
    "member": {"public", "alliance", "operators", "draft", "screening"},
    "other_firm_admin": {"public", "foreign_draft"},
    "lab_staff": {"public", "alliance"},
    "expert": {"public"},
    "operator": {"public", "alliance", "operators", "draft", "screening", "foreign_draft"},
    "outsider": set(),
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_visibility_in_detail_and_list(cast: Any, spread: dict[str, Demand], persona: str) -> None:
    user = cast.by_role()[persona]
    client = client_for(user)
    for name, demand in spread.items():
        status = client.get(f"/demands/{demand.pk}/").status_code
        assert (status == 200) == (name in SEES[persona]), (persona, name, status)
    listed = client.get("/demands/?status=&mine=&q=膜层").content.decode()
    searched = client.get("/demands/?q=膜层").content.decode()
    for name, demand in spread.items():
        if name not in SEES[persona]:
            assert demand.title not in listed and demand.title not in searched, (persona, name)


def test_invited_supplier_sees_an_operators_only_demand(
    cast: Any, suppliers: Any, spread: dict[str, Demand]
) -> None:
    hidden = spread["operators"]
    client = client_for(suppliers.coating_user)
    assert client.get(f"/demands/{hidden.pk}/").status_code == 404
    Invitation.objects.create(demand=hidden, talent=suppliers.coating, invited_by=cast.firm_admin)
    assert client.get(f"/demands/{hidden.pk}/").status_code == 200


def test_needs_you_could_help_with_respects_visibility(
    cast: Any, suppliers: Any, spread: dict[str, Demand]
) -> None:
    expert_page = client_for(suppliers.coating_user).get("/demands/for-me/").content.decode()
    assert spread["public"].title in expert_page
    for name in ("alliance", "operators", "draft", "screening", "foreign_draft"):
        assert spread[name].title not in expert_page, name
    lab_page = client_for(cast.lab_staff).get("/demands/for-me/").content.decode()
    assert spread["alliance"].title in lab_page and spread["operators"].title not in lab_page


def test_only_the_posting_firm_sees_suggestions(cast: Any, suppliers: Any, spread: dict[str, Demand]) -> None:
    url = f"/demands/{spread['public'].pk}/"
    assert "平台推荐的专家和机构" in client_for(cast.firm_admin).get(url).content.decode()
    for user in (cast.member, cast.other_firm_admin, suppliers.coating_user):
        assert "平台推荐的专家和机构" not in client_for(user).get(url).content.decode()


def test_export_is_exactly_what_is_filtered(cast: Any, spread: dict[str, Demand]) -> None:
    import io

    from openpyxl import load_workbook

    response = client_for(cast.operator).get("/demands/board/?export=xlsx&status=draft")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    titles = sorted(row[1] for row in rows[1:])
    assert titles == sorted([spread["draft"].title, spread["foreign_draft"].title])


def test_board_flags_duplicates_and_counts_states(cast: Any, spread: dict[str, Demand]) -> None:
    Demand.objects.filter(pk=spread["screening"].pk).update(duplicate_of=spread["public"])
    text = client_for(cast.operator).get("/demands/board/?flagged=on").content.decode()
    assert "疑似重复" in text and spread["screening"].title in text and spread["draft"].title not in text


# -- query counts ---------------------------------------------------------------------------------------


def grow(cast: Any, n: int) -> None:
    for index in range(n):
        make_demand(
            cast, title=f"需求{index}膜层问题", organisation=cast.firm if index % 2 else cast.other_firm
        )


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("firm_admin", "/demands/"),
        ("operator", "/demands/board/"),
        ("lab_staff", "/demands/for-me/"),
        ("expert", "/demands/challenges/"),
    ],
)
def test_list_pages_have_fixed_query_counts(
    cast: Any, suppliers: Any, django_assert_max_num_queries: Any, persona: str, url: str
) -> None:
    client = client_for(cast.by_role()[persona])
    grow(cast, 3)
    client.get(url)  # warm the index and the per-process caches
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    baseline = len(small)  # read now: the capture is a view on a log that later requests clear
    assert baseline <= 40
    grow(cast, 25)
    client.get(url)
    with django_assert_max_num_queries(baseline):
        client.get(url)


def test_detail_with_suggestions_has_fixed_query_count(
    cast: Any, suppliers: Any, django_assert_max_num_queries: Any
) -> None:
    from jingxiang.demands import services

    demand = make_demand(cast)
    client = client_for(cast.firm_admin)
    # The baseline has one invitation already: the conversations panel lists the invitations' threads
    # in one query once there is any; what must not grow is the count per further invitation.
    services.invitation_create(actor=cast.firm_admin, demand=demand, supplier_key=f"T-{suppliers.plater.pk}")
    client.get(f"/demands/{demand.pk}/")
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as small:
        client.get(f"/demands/{demand.pk}/")
    baseline = len(small)
    assert baseline <= 60
    services.invitation_create(actor=cast.firm_admin, demand=demand, supplier_key=f"O-{cast.lab.pk}")
    client.get(f"/demands/{demand.pk}/")
    with django_assert_max_num_queries(baseline):
        client.get(f"/demands/{demand.pk}/")


def test_home_page_attention_cards(cast: Any, suppliers: Any, django_assert_max_num_queries: Any) -> None:
    from jingxiang.demands import services
    from jingxiang.demands.permissions import attention_cards

    demand = make_demand(cast)
    make_demand(cast, status=DemandStatus.SCREENING)
    services.invitation_create(actor=cast.firm_admin, demand=demand, supplier_key=f"T-{suppliers.coating.pk}")
    services.proposal_submit(
        actor=cast.lab_staff,
        demand=demand,
        supplier_key=f"O-{cast.lab.pk}",
        summary="先做附着力检测定位问题。",
    )
    titles = {
        persona: {card["title"]: card["count"] for card in attention_cards(user)}
        for persona, user in [
            ("operator", cast.operator),
            ("firm", cast.firm_admin),
            ("expert", suppliers.coating_user),
        ]
    }
    assert titles["operator"]["待审核的需求"] == 1
    assert titles["firm"]["等待您决定的对接方案"] == 1
    assert titles["expert"]["邀请您对接的需求"] == 1
    home = client_for(suppliers.coating_user).get("/").content.decode()
    assert "邀请您对接的需求" in home


def test_board_shows_age(cast: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    old = make_demand(cast, title="等了很久的需求", status=DemandStatus.SCREENING)
    Demand.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - dt.timedelta(days=10))
    make_demand(cast, title="刚提交的需求", status=DemandStatus.SCREENING)
    text = client_for(cast.operator).get("/demands/board/?status=screening&age=7").content.decode()
    assert "等了很久的需求" in text and "10 天" in text and "刚提交的需求" not in text
    assert "待审核超过 3 天" in text


def test_needs_for_me_export_matches_the_page(cast: Any, suppliers: Any, spread: dict[str, Demand]) -> None:
    import io

    from openpyxl import load_workbook

    client = client_for(suppliers.coating_user)
    response = client.get("/demands/for-me/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    titles = {row[0] for row in rows[1:]}
    assert spread["public"].title in titles and spread["alliance"].title not in titles


def test_challenge_page_for_a_reviewer_has_a_fixed_query_count(
    cast: Any, django_assert_max_num_queries: Any
) -> None:
    """Conflicts are worked out once for all applications, not per application."""
    from jingxiang.demands.models import ChallengeApplication, ChallengeReviewer
    from jingxiang.demands.tests.test_challenge_services import promote
    from jingxiang.organisations.models import OrganisationKind
    from jingxiang.testing.factories import OrganisationFactory

    challenge = promote(cast)
    ChallengeReviewer.objects.create(challenge=challenge, user=cast.union_staff, invited_by=cast.operator)

    def apply(n: int) -> None:
        for _index in range(n):
            ChallengeApplication.objects.create(
                challenge=challenge,
                organisation=OrganisationFactory(kind=OrganisationKind.UNIVERSITY, uscc=None),
                submitted_by=cast.operator,
                team="三人团队",
                proposal="分三阶段实施,每阶段提交报告供企业验收。",
            )

    url = f"/demands/challenges/{challenge.pk}/"
    client = client_for(cast.union_staff)
    apply(2)
    client.get(url)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as small:
        assert "回避" not in client.get(url).content.decode()
    baseline = len(small)
    apply(10)
    with django_assert_max_num_queries(baseline):
        client.get(url)
