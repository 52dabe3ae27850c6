"""The suggestion service other apps rely on: ranking, filters, the warm index staying in step."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jingxiang.demands.models import FeedbackKind, KnowledgeVersion, KnowledgeVersionStatus, MatchFeedback
from jingxiang.demands.tests.conftest import add_skills, make_demand
from jingxiang.matchindex.selectors import Suggestion, suggest_suppliers
from jingxiang.matchindex.warm import warm_index
from jingxiang.talents.models import Talent, TalentKind, TalentSkill
from jingxiang.testing.factories import TalentFactory

pytestmark = pytest.mark.django_db

COATING = {"title": "镜片膜层起皱", "description": "镜片戴一段时间膜层起皱脱落,想找专家分析原因"}


def names(suggestions: list[Suggestion]) -> list[str]:
    return [s.name for s in suggestions]


def test_owner_words_find_the_coating_expert_with_reasons(suppliers: Any) -> None:
    result = suggest_suppliers(**COATING, category="质量检测", region="杜桥镇", hours_needed=10)
    assert result[0].kind == "talent"
    assert result[0].object_id == suppliers.coating.pk
    assert result[0].name == "周敏华"
    assert result[0].free_hours == 30
    assert any("膜层附着力" in reason for reason in result[0].why)
    assert all(isinstance(reason, str) for s in result for reason in s.why)
    scores = [s.score for s in result]
    assert scores == sorted(scores, reverse=True)


def test_organisations_are_suggested_without_hours(suppliers: Any) -> None:
    result = suggest_suppliers(**COATING, category="testing")
    lab = [s for s in result if s.kind == "organisation" and s.object_id == suppliers.lab.pk]
    assert lab and lab[0].free_hours is None


def test_never_suggested_firms_pending_archived_students(cast: Any, suppliers: Any) -> None:
    result = suggest_suppliers(**COATING, top=50)
    talent_ids = {s.object_id for s in result if s.kind == "talent"}
    organisation_ids = {s.object_id for s in result if s.kind == "organisation"}
    assert suppliers.archived.pk not in talent_ids
    assert suppliers.student.pk not in talent_ids
    assert suppliers.pending_lab.pk not in organisation_ids
    assert not organisation_ids & {cast.firm.pk, cast.other_firm.pk, cast.town.pk, cast.union.pk}


def test_kinds_excludes_and_top(suppliers: Any) -> None:
    only_orgs = suggest_suppliers(**COATING, kinds={"organisation"})
    assert only_orgs and {s.kind for s in only_orgs} == {"organisation"}
    without = suggest_suppliers(**COATING, exclude_talent_ids={suppliers.coating.pk})
    assert suppliers.coating.pk not in {s.object_id for s in without if s.kind == "talent"}
    without_lab = suggest_suppliers(**COATING, exclude_organisation_ids={suppliers.lab.pk})
    assert suppliers.lab.pk not in {s.object_id for s in without_lab if s.kind == "organisation"}
    assert len(suggest_suppliers(**COATING, top=1)) == 1
    assert suggest_suppliers(**COATING, top=0) == []
    assert suggest_suppliers(**COATING, kinds=set()) == []
    assert suggest_suppliers(**COATING, kinds={"nonsense"}) == []


@pytest.mark.parametrize(
    ("title", "description"),
    [
        ("", ""),
        ("   ", "\n\t"),
    ],
)
def test_empty_text_gives_nothing(suppliers: Any, title: str, description: str) -> None:
    assert suggest_suppliers(title=title, description=description) == []


@pytest.mark.parametrize(
    "description",
    [
        "鏡片戴一段時間膜層起皺脫落",  # traditional characters
        "镜片 coating 膜层 peeling 脱落 after 3 months 😡😡",  # mixed English, emoji
        "<script>alert(1)</script> 膜层脱落",  # markup is just text to the engine
        "膜层脱落" * 2000,  # very long
        "🙂🙂🙂",
    ],
)
def test_bad_input_never_crashes(suppliers: Any, description: str) -> None:
    result = suggest_suppliers(title="", description=description, category="不存在的类别", region="火星")
    assert isinstance(result, list)
    if "膜" in description:
        assert result and result[0].object_id == suppliers.coating.pk


def test_new_profile_is_indexed_incrementally(suppliers: Any, skills: Any) -> None:
    suggest_suppliers(**COATING)  # warm the index
    built = warm_index.index
    newcomer = add_skills(
        TalentFactory(
            name="新来的镀膜专家",
            home_organisation=None,
            description="膜层附着力,加硬,镀膜",
            monthly_hours=40,
        ),
        skills,
        "coating_adhesion",
    )
    result = suggest_suppliers(**COATING, top=50)
    assert newcomer.pk in {s.object_id for s in result if s.kind == "talent"}
    assert warm_index.index is built, "a profile change must not rebuild the whole index"


def test_bulk_created_profile_is_picked_up(suppliers: Any, skills: Any) -> None:
    """Imports use bulk_create (no signals); the fingerprint still notices."""
    suggest_suppliers(**COATING)
    (talent,) = Talent.objects.bulk_create(
        [
            Talent(
                name="批量导入专家",
                kind=TalentKind.EXPERT,
                description="镜片膜层附着力与加硬工艺",
                monthly_hours=10,
            )
        ]
    )
    talent = Talent.objects.get(name="批量导入专家")
    TalentSkill.objects.bulk_create([TalentSkill(talent=talent, skill=skills["coating_adhesion"], level=3)])
    assert talent.pk in {s.object_id for s in suggest_suppliers(**COATING, top=50) if s.kind == "talent"}


def test_archived_and_edited_profiles_follow(suppliers: Any) -> None:
    assert suggest_suppliers(**COATING)[0].object_id == suppliers.coating.pk
    suppliers.coating.archived_at = timezone.now()
    suppliers.coating.save()
    assert suppliers.coating.pk not in {
        s.object_id for s in suggest_suppliers(**COATING, top=50) if s.kind == "talent"
    }
    suppliers.plater.description = "镜片膜层附着力、膜层起皱脱落分析,加硬镀膜"
    suppliers.plater.save()
    top = suggest_suppliers(**COATING, kinds={"talent"})
    assert top[0].object_id == suppliers.plater.pk


def test_no_free_hours_never_tops_an_available_equal(cast: Any, skills: Any) -> None:
    profile = {
        "home_organisation": None,
        "description": "镜片膜层附着力、加硬和真空镀膜工艺",
        "region": "杜桥镇",
    }
    busy = add_skills(TalentFactory(name="忙碌专家", monthly_hours=0, **profile), skills, "coating_adhesion")
    free = add_skills(TalentFactory(name="空闲专家", monthly_hours=20, **profile), skills, "coating_adhesion")
    result = suggest_suppliers(**COATING, kinds={"talent"})
    assert [s.object_id for s in result[:2]] == [free.pk, busy.pk]
    assert result[1].free_hours == 0


def test_ratings_recorded_here_feed_the_ranking(cast: Any, skills: Any) -> None:
    profile = {
        "home_organisation": None,
        "description": "镜片膜层附着力、加硬和真空镀膜工艺",
        "region": "杜桥镇",
        "monthly_hours": 20,
    }
    first = add_skills(TalentFactory(name="甲专家", **profile), skills, "coating_adhesion")
    second = add_skills(TalentFactory(name="乙专家", **profile), skills, "coating_adhesion")
    before = [s.object_id for s in suggest_suppliers(**COATING, kinds={"talent"})]
    low, high = (first, second) if before[0] == first.pk else (second, first)
    assert before[:2] == [low.pk, high.pk]
    for index in range(4):
        demand = make_demand(cast, title=f"膜层脱落问题{index}")
        MatchFeedback.objects.create(
            demand=demand, supplier_key=f"T-{high.pk}", kind=FeedbackKind.RATED, rating=5
        )
        MatchFeedback.objects.create(demand=demand, supplier_key=f"T-{low.pk}", kind=FeedbackKind.DECLINED)
    after = suggest_suppliers(**COATING, kinds={"talent"})
    assert [s.object_id for s in after[:2]] == [high.pk, low.pk]
    assert any("反馈" in reason for reason in after[0].why)


def test_operator_knowledge_version_changes_matching(cast: Any, suppliers: Any) -> None:
    """An active operator copy of the synonyms table is used by the warm index."""
    query = {"title": "蛤蟆纹", "description": "蛤蟆纹"}
    assert suggest_suppliers(**query) == []
    from jingxiang.matching.knowledge import DATA_DIR

    content = (DATA_DIR / "synonyms.yaml").read_text(encoding="utf-8")
    content += "\n  - canonical: 蛤蟆纹\n    variants: [癞蛤蟆纹]\n    skills: [coating_adhesion]\n"
    KnowledgeVersion.objects.create(
        document="synonyms",
        version=1,
        content=content,
        note="test",
        created_by=cast.operator,
        status=KnowledgeVersionStatus.ACTIVE,
    )
    result = suggest_suppliers(**query)
    assert result[0].object_id == suppliers.coating.pk


def test_a_warm_call_runs_a_fixed_number_of_queries(suppliers: Any, skills: Any) -> None:
    suggest_suppliers(**COATING)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as small:
        suggest_suppliers(**COATING)
    baseline = len(small)
    for index in range(15):
        add_skills(
            TalentFactory(name=f"专家{index}", home_organisation=None, description="膜层附着力"),
            skills,
            "coating_adhesion",
        )
    suggest_suppliers(**COATING)
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as large:
        suggest_suppliers(**COATING, top=20)
    assert 0 < len(large) == baseline <= 10


def test_an_active_table_that_no_longer_loads_falls_back_to_the_shipped_one(
    cast: Any, suppliers: Any
) -> None:
    KnowledgeVersion.objects.create(
        document="synonyms",
        version=1,
        content="groups:\n  - canonical: 坏词\n    skills: [retired_skill]\n",
        note="test",
        created_by=cast.operator,
        status=KnowledgeVersionStatus.ACTIVE,
    )
    assert suggest_suppliers(**COATING)[0].object_id == suppliers.coating.pk


def test_rewritten_feedback_history_is_relearned(cast: Any, skills: Any) -> None:
    """Feedback rows that vanish (a restored backup, a rolled-back test) must not keep steering the ranking."""
    profile = {
        "home_organisation": None,
        "description": "镜片膜层附着力、加硬和真空镀膜工艺",
        "monthly_hours": 20,
    }
    first = add_skills(TalentFactory(name="甲专家", **profile), skills, "coating_adhesion")
    second = add_skills(TalentFactory(name="乙专家", **profile), skills, "coating_adhesion")
    neutral = [s.object_id for s in suggest_suppliers(**COATING, kinds={"talent"})]
    low = first if neutral[0] == second.pk else second
    for index in range(4):
        demand = make_demand(cast, title=f"膜层脱落问题{index}")
        MatchFeedback.objects.create(
            demand=demand, supplier_key=f"T-{low.pk}", kind=FeedbackKind.RATED, rating=5
        )
    assert suggest_suppliers(**COATING, kinds={"talent"})[0].object_id == low.pk
    MatchFeedback.objects.all().delete()
    assert [s.object_id for s in suggest_suppliers(**COATING, kinds={"talent"})] == neutral
