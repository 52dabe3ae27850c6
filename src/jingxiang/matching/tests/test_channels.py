"""Issue 12: evidence channels, the lexical floor, the domain gate, and knowledge confidence and scope."""

from __future__ import annotations

import copy

import pytest

from jingxiang.matching.engine import CHANNELS, Fusion, MatchingIndex
from jingxiang.matching.knowledge import KnowledgeError, load_documents, load_knowledge
from jingxiang.matching.model import Demand

from .conftest import SUPPLIERS, make_supplier


def test_every_shipped_entry_states_its_confidence_and_scope():
    documents = load_documents()
    entries = [*documents["synonyms"]["groups"], *documents["symptoms"]["symptoms"]]
    entries += [
        sense for senses in documents["domains"]["senses"].values() for sense in senses if sense.get("skills")
    ]
    assert entries
    for entry in entries:
        assert 0 < float(entry["confidence"]) <= 1
        assert entry.get("scope") or not entry.get("skills")  # an entry that credits no skill needs no field


def test_confidence_and_scope_are_validated():
    documents = copy.deepcopy(load_documents())
    documents["synonyms"]["groups"].append(
        {"canonical": "阴阳色", "skills": ["lens_tinting"], "confidence": 1.5, "scope": ["lens_material"]}
    )
    documents["symptoms"]["symptoms"].append(
        {"id": "x", "triggers": ["某某"], "skills": {"mes": 1.0}, "scope": ["coating"], "confidence": 0.8}
    )
    documents["domains"]["senses"]["抛光"][0]["scope"] = ["no_such_field"]
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(overrides=documents)
    problems = "\n".join(error.value.problems)
    assert "confidence must be above 0 and at most 1" in problems
    assert "credits a skill of field 'digital', which is outside its scope" in problems
    assert "unknown field 'no_such_field'" in problems


def test_entries_without_confidence_or_scope_get_defaults(knowledge):
    documents = copy.deepcopy(load_documents())
    documents["synonyms"]["groups"].append({"canonical": "阴阳色", "skills": ["lens_tinting"]})
    group = next(g for g in load_knowledge(overrides=documents).groups if g.canonical == "阴阳色")
    assert group.confidence == 0.9 and group.scope == frozenset({"lens_material"})


def test_a_product_word_next_to_a_need_of_another_field_counts_little(analyzer):
    analysis = analyzer.analyze_text("我们做钛架的，网店没流量，直播没人看", demand=True)
    assert analysis.concepts["domestic_ecommerce"] > 3 * analysis.concepts["titanium_frame"]
    alone = analyzer.analyze_text("钛架", demand=True)
    assert alone.concepts["titanium_frame"] > analysis.concepts["titanium_frame"]


def test_a_misfiring_table_cannot_erase_the_text_match(knowledge):
    # The operators' copy wrongly sends "鼻托" to MES: the plater whose profile says 鼻托 must still be
    # found, and ahead of the MES agency that shares no word with the demand.
    documents = copy.deepcopy(load_documents())
    documents["synonyms"]["groups"].append(
        {"canonical": "鼻托", "skills": ["mes"], "confidence": 0.9, "scope": ["digital"]}
    )
    misfiring = load_knowledge(overrides=documents)
    suppliers = [
        *SUPPLIERS,
        make_supplier("pad-maker", kind="craftsman", description="眼镜鼻托、鼻托支架加工和更换"),
    ]
    index = MatchingIndex.build(suppliers, knowledge=misfiring)
    ranked = [m.id for m in index.rank(Demand(id="d", description="鼻托支架松了，鼻托老掉"), 10).matches]
    assert "pad-maker" in ranked
    assert "mes-agency" not in ranked or ranked.index("pad-maker") < ranked.index("mes-agency")


def test_domain_gate_keeps_suppliers_without_field_evidence_out_of_the_top_ten(knowledge):
    # Hard-coating experts: the right field, written in their own words, not the owner's.
    experts = [
        make_supplier(f"coat-{i}", skills=["加硬工艺"], description=f"加硬液配方第{i}代") for i in range(12)
    ]
    # Shares the owner's words but shows no lens-coating evidence at all.
    parrot = make_supplier(
        "parrot", kind="service_agency", description="镜片膜层保养，镜片膜层清洁，脱落配件回收，镜片膜层讲座"
    )
    index = MatchingIndex.build([*experts, parrot], knowledge=knowledge)
    demand = Demand(id="d", description="镜片膜层脱落")
    ranked = index.rank(demand, 20).matches
    assert "parrot" not in [m.id for m in ranked[:10]]
    parrot_match = next(m for m in ranked if m.id == "parrot")
    assert any("排在前十之后" in reason for reason in parrot_match.why)
    ungated = [m.id for m in index.rank(demand, 20, fusion=Fusion(gate=False)).matches]
    assert ungated.index("parrot") < 10  # without the gate its words alone would put it there


def test_each_channel_alone_ranks_by_that_channel_only(knowledge):
    index = MatchingIndex.build(SUPPLIERS, knowledge=knowledge)
    demand = Demand(id="d", description="我们镜片上的电镀层一擦就掉")
    for channel in CHANNELS:
        ranking = index.rank(demand, 12, fusion=Fusion.only(channel))
        scores = [m.score for m in ranking.matches]
        assert scores == sorted(scores, reverse=True)
    with pytest.raises(ValueError, match="unknown channel"):
        Fusion.only("magic")


def test_semantic_model_learns_owner_words_from_profiles_and_forgets_removed_ones(knowledge):
    # No table links 阴阳面 to tinting, but the tinters' own profiles use the word.
    suppliers = [
        make_supplier("tint-a", skills=["镜片染色"], description="解决染色片阴阳面、色差"),
        make_supplier("tint-b", skills=["镜片染色"], description="渐变染色，阴阳面返修"),
        make_supplier("tint-c", skills=["镜片染色"], description="太阳镜片染色"),
        make_supplier("coat", skills=["加硬工艺"], description="镜片加硬"),
    ]
    index = MatchingIndex.build(suppliers, knowledge=knowledge)
    query = index.analyze_demand(Demand(id="d", description="这批片子阴阳面很严重"))
    inferred = index._inferred_skills(query)
    assert inferred[index.skill_codes.index("lens_tinting")] > 0.5
    ranking = index.rank(query, 5, fusion=Fusion.only("semantic"))
    assert "tint-c" in [m.id for m in ranking.matches]  # found without sharing the word
    for supplier_id in ("tint-a", "tint-b"):
        index.remove(supplier_id)
    rebuilt = MatchingIndex.build(
        [s for s in suppliers if s.id.startswith(("tint-c", "coat"))], knowledge=knowledge
    )
    fresh = rebuilt.analyze_demand(Demand(id="d", description="这批片子阴阳面很严重"))
    assert index._inferred_skills(
        index.analyze_demand(Demand(id="d", description="这批片子阴阳面很严重"))
    ).tolist() == (rebuilt._inferred_skills(fresh).tolist())
