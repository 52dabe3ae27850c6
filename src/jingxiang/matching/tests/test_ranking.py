"""Ranking behaviour: disambiguation, availability, incremental updates, reverse mode, feedback."""

from __future__ import annotations

import dataclasses

import pytest

from jingxiang.matching.engine import MatchingIndex
from jingxiang.matching.knowledge import KnowledgeError, load_knowledge
from jingxiang.matching.model import Demand, Outcome

from .conftest import SUPPLIERS, make_supplier


@pytest.fixture(scope="module")
def index(knowledge) -> MatchingIndex:
    return MatchingIndex.build(SUPPLIERS, knowledge=knowledge)


def ids(index: MatchingIndex, description: str, **fields) -> list[str]:
    demand = Demand(id="d", description=description, **fields)
    return [match.id for match in index.rank(demand, top=10).matches]


def test_owner_symptom_finds_the_coating_expert(index):
    ranked = ids(index, "镜片戴一段时间膜层起皱脱落，客户一直退货")
    assert ranked[0] == "lens-coat"
    assert "food-lab" not in ranked[:3]


def test_lens_plating_goes_to_coating_and_frame_plating_to_platers(index):
    lens = ids(index, "我们镜片上的电镀层一擦就掉")
    frame = ids(index, "金属镜架电镀起泡脱皮，出汗就掉色")
    assert lens[0] in {"lens-coat", "ar-expert"}
    assert "frame-plater" not in lens[:2]
    assert frame[0] == "frame-plater"
    # The hardware plater shares the word 电镀 but works for taps and locks, not eyewear.
    assert frame.index("hardware-plater") > frame.index("frame-plater")


def test_generic_words_from_other_industries_do_not_win(index):
    ranked = ids(index, "太阳镜出口被检测出紫外透射比不合格，需要光学检测")
    assert ranked[0] == "sunglass-lab"
    for trap in ("food-lab", "camera-optics"):
        assert trap not in ranked or ranked.index(trap) > ranked.index("sunglass-lab")


def test_supplier_without_free_hours_never_tops_an_available_equal(index):
    ranked = ids(index, "板材架抛光后有白雾，怎么抛都不亮")
    assert ranked[0] == "polisher"
    assert "acetate-busy" in ranked
    match = next(
        m
        for m in index.rank(Demand(id="d", description="板材架抛光后有白雾"), 10).matches
        if m.id == "acetate-busy"
    )
    assert any("没有空闲工时" in reason for reason in match.why)


def test_why_lists_skills_terms_synonyms_hours_and_region(index):
    demand = Demand(id="d", description="想做AR膜，反光颜色不对", region="临海")
    top = index.rank(demand, 3).matches[0]
    joined = " ".join(top.why)
    assert "擅长减反射镀膜" in joined
    assert "“AR膜”" in joined  # the owner's word, written as owners write it
    assert "空闲" in joined
    # Plain words for a firm owner, not the tables' vocabulary.
    for jargon in ("需求依据", "术语", "症状 ", "同义词 ", "=", "技能词"):
        assert jargon not in joined


def test_why_quotes_the_owners_words_and_says_what_they_mean(index):
    symptom = index.rank(Demand(id="d", description="镜片戴一段时间膜层起皱脱落"), 1).matches[0]
    assert symptom.why[0].startswith("擅长膜层附着力")
    assert "您说的“" in symptom.why[0] and "膜层起皱" in symptom.why[0]
    synonym = index.rank(Demand(id="d", description="镜片想加一层减反膜"), 3).matches
    assert any("您说的“减反膜”，行内多叫“减反射膜”" in " ".join(match.why) for match in synonym)
    alias = index.rank(Demand(id="d", description="镜片想加一层增透膜"), 3).matches
    assert any("您说的“增透膜”正是这方面的事" in " ".join(match.why) for match in alias)
    sense = index.rank(Demand(id="d", description="我们镜片上的电镀层一擦就掉"), 1).matches[0]
    assert "其实是真空镀膜" in sense.why[0]
    busy = index.rank(Demand(id="d", description="板材架抛光后有白雾"), 5).matches
    assert any("近期没有空闲工时（已排后）" in match.why for match in busy)


def test_empty_and_unknown_category_demands_are_answered_with_notes(index):
    ranking = index.rank(Demand(id="d", description="", category="外星业务"), 5)
    assert ranking.matches == ()
    assert any("未知类别" in note for note in ranking.notes)
    assert any("为空" in note for note in ranking.notes)


def test_upsert_and_remove_equal_a_full_rebuild(knowledge):
    demands = [
        Demand(id="a", description="镜片膜层脱落"),
        Demand(id="b", description="镜架电镀起泡"),
        Demand(id="c", description="订单乱，想上MES"),
    ]
    warm = MatchingIndex.build(SUPPLIERS[:6], knowledge=knowledge)
    for supplier in SUPPLIERS[6:]:
        warm.upsert(supplier)
    edited = dataclasses.replace(SUPPLIERS[0], description="只做验光", skills=("验光",))
    warm.upsert(edited)
    warm.remove("hardware-plater")
    assert not warm.remove("no-such-supplier")
    expected = [edited, *[s for s in SUPPLIERS[1:] if s.id != "hardware-plater"]]
    cold = MatchingIndex.build(expected, knowledge=knowledge)
    assert len(warm) == len(cold) == len(expected)
    for demand in demands:
        assert warm.rank(demand, 20) == cold.rank(demand, 20)


def test_compaction_after_many_updates_keeps_results(knowledge):
    base = [make_supplier(f"s{i}", skills=["加硬工艺"], description=f"镜片加硬第{i}号") for i in range(30)]
    index = MatchingIndex.build(base, knowledge=knowledge)
    for round_ in range(60):
        for supplier in base:
            index.upsert(dataclasses.replace(supplier, hours_per_month=float(round_ % 5 + 1)))
    final = [dataclasses.replace(supplier, hours_per_month=float(59 % 5 + 1)) for supplier in base]
    demand = Demand(id="d", description="镜片不耐磨，容易划花")
    assert index.rank(demand, 30) == MatchingIndex.build(final, knowledge=knowledge).rank(demand, 30)
    assert index._size < 60 * 30  # dead slots were reclaimed


def test_rank_demands_scores_pairs_like_rank(index):
    demands = [
        Demand(id="coat", description="镜片膜层起皱脱落"),
        Demand(id="plate", description="镜架电镀起泡掉色"),
        Demand(id="shop", description="网店没流量"),
    ]
    reverse = index.rank_demands("frame-plater", demands, top=5)
    assert reverse.matches[0].id == "plate"
    forward = {m.id: m.score for m in index.rank(demands[1], 20).matches}
    assert reverse.matches[0].score == pytest.approx(forward["frame-plater"], abs=1e-5)
    for demand in demands:
        index.upsert_demand(demand)
    assert index.rank_demands("frame-plater", top=5).matches == reverse.matches
    newcomer = make_supplier(
        "new-shop", kind="service_agency", skills=["国内电商运营"], description="抖音直播带货"
    )
    assert index.rank_demands(newcomer, top=1).matches[0].id == "shop"
    assert "new-shop" not in index
    for demand in demands:
        index.remove_demand(demand.id)


def test_feedback_moves_suppliers_in_the_expected_direction(knowledge):
    twins = [
        make_supplier("good", skills=["加硬工艺"], description="镜片加硬"),
        make_supplier("poor", skills=["加硬工艺"], description="镜片加硬"),
    ]
    index = MatchingIndex.build(twins, knowledge=knowledge)
    demand = Demand(id="d", description="镜片很容易划花")
    before = {m.id: m.score for m in index.rank(demand, 5).matches}
    assert before["good"] == before["poor"]
    outcomes = [Outcome("x", "good", "accepted"), Outcome("x", "good", "rated", 5)] * 3
    outcomes += [Outcome("x", "poor", "declined"), Outcome("x", "poor", "rated", 1)] * 3
    index.apply_feedback(outcomes)
    after = {m.id: m.score for m in index.rank(demand, 5).matches}
    assert after["good"] > before["good"] > after["poor"]
    assert any("以往反馈：邀请 3 次接受 3 次" in reason for reason in index.rank(demand, 1).matches[0].why)


def test_feedback_learns_new_owner_words(knowledge):
    suppliers = [
        make_supplier("tint", skills=["镜片染色"], description="太阳镜片染色"),
        make_supplier("coat", skills=["加硬工艺"], description="镜片加硬"),
    ]
    index = MatchingIndex.build(suppliers, knowledge=knowledge)
    # "阴阳色" is owner slang for uneven tint that no table knows.
    slang = Demand(id="new", description="片子出现阴阳色")
    assert [m.id for m in index.rank(slang, 5).matches] == []
    history = {f"h{i}": Demand(id=f"h{i}", description=f"第{i}批片子阴阳色") for i in range(3)}
    index.apply_feedback([Outcome(d, "tint", "rated", 5) for d in history], history)
    ranked = index.rank(slang, 5).matches
    assert ranked[0].id == "tint"
    assert any(reason.startswith("擅长镜片染色") and "以往反馈：写“" in reason for reason in ranked[0].why)


def test_feedback_round_trips_through_plain_data(knowledge):
    index = MatchingIndex.build(SUPPLIERS[:2], knowledge=knowledge)
    index.apply_feedback([Outcome("d", "lens-coat", "rated", 4)])
    restored = type(index.feedback).from_dict(index.feedback.to_dict())
    assert restored.supplier_factor("lens-coat") == index.feedback.supplier_factor("lens-coat")


def test_rejects_bad_outcomes_and_duplicate_ids(knowledge):
    index = MatchingIndex.build(SUPPLIERS[:2], knowledge=knowledge)
    with pytest.raises(ValueError):
        index.apply_feedback([Outcome("d", "lens-coat", "rated", 9)])
    with pytest.raises(ValueError, match="duplicate"):
        MatchingIndex.build([SUPPLIERS[0], SUPPLIERS[0]], knowledge=knowledge)


def test_operators_edited_tables_are_used_and_validated(knowledge):
    from jingxiang.matching.knowledge import load_documents

    synonyms = load_documents()["synonyms"]
    synonyms["groups"].append({"canonical": "阴阳色", "variants": ["鸳鸯色"], "skills": ["lens_tinting"]})
    edited = load_knowledge(overrides={"synonyms": synonyms})
    index = MatchingIndex.build(
        [make_supplier("tint", skills=["镜片染色"], description="染色")], knowledge=edited
    )
    assert index.rank(Demand(id="d", description="片子鸳鸯色"), 3).matches[0].id == "tint"
    broken = {"groups": [{"canonical": "x", "skills": ["no_such_code"]}, {"variants": ["y"]}]}
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(overrides={"synonyms": broken})
    assert len(error.value.problems) == 2


def test_field_competence_moves_a_supplier_only_in_that_field(knowledge):
    suppliers = [
        make_supplier("plater-a", skills=["镜架电镀"], description="镜架电镀"),
        make_supplier("plater-b", skills=["镜架电镀"], description="镜架电镀"),
        make_supplier("welder", skills=["钛焊接"], description="钛架焊接"),
    ]
    index = MatchingIndex.build(suppliers, knowledge=knowledge)
    plating = Demand(id="p", description="镜架电镀起泡掉色")
    welding = Demand(id="w", description="钛架焊点断了")
    history = {f"h{i}": Demand(id=f"h{i}", description=f"第{i}批镜架电镀层脱皮") for i in range(3)}
    outcomes = [Outcome(d, "plater-a", "rated", 5) for d in history]
    outcomes += [Outcome(d, "plater-b", "rated", 2) for d in history]
    index.apply_feedback(outcomes, history)
    ranked = index.rank(plating, 3).matches
    assert [m.id for m in ranked[:2]] == ["plater-a", "plater-b"]
    assert ranked[0].score > ranked[1].score
    assert any("同类需求上评价好" in reason for reason in ranked[0].why)
    # Nothing was learned about welding: the welder's score there is untouched.
    fresh = MatchingIndex.build(suppliers, knowledge=knowledge)
    assert index.rank(welding, 1).matches[0].score == fresh.rank(welding, 1).matches[0].score


def test_declines_push_a_supplier_down_in_the_declined_field(knowledge):
    twins = [
        make_supplier("keen", skills=["镜架电镀"], description="镜架电镀"),
        make_supplier("reluctant", skills=["镜架电镀"], description="镜架电镀"),
    ]
    index = MatchingIndex.build(twins, knowledge=knowledge)
    history = {f"h{i}": Demand(id=f"h{i}", description=f"第{i}批镜架电镀起泡") for i in range(4)}
    index.apply_feedback([Outcome(d, "reluctant", "declined") for d in history], history)
    ranked = index.rank(Demand(id="n", description="镜腿电镀掉色"), 2).matches
    assert [m.id for m in ranked] == ["keen", "reluctant"]


def test_rank_many_equals_one_by_one(knowledge):
    index = MatchingIndex.build(SUPPLIERS, knowledge=knowledge)
    demands = [
        Demand(id=f"d{i}", description=text)
        for i, text in enumerate(["镜片膜层脱落", "镜架电镀起泡", "网店没流量"] * 40)
    ]
    assert index.rank_many(demands, 5, workers=2) == [index.rank(demand, 5) for demand in demands]


def test_profile_clauses_keep_competences_apart(analyzer):
    # "镜架" and "发黑" sit in different clauses of a welder's profile: no plating symptom.
    profile = analyzer.analyze_supplier(
        make_supplier("w", skills=["钛焊接"], description="纯钛镜架激光焊接，焊点强度和焊接发黑处理")
    )
    assert "frame_plating" not in profile.concepts


def test_no_fork_while_other_threads_run():
    """Forking a multi-threaded process can deadlock the child; the engine ranks in-process instead."""
    import threading

    from jingxiang.matching.engine import fork_is_safe

    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not fork_is_safe()
    finally:
        release.set()
        thread.join()
