"""Normalisation, segmentation, synonyms and symptom links."""

from __future__ import annotations

from jingxiang.matching.analysis import Analyzer
from jingxiang.matching.textnorm import MAX_TEXT_CHARS, normalise


def test_normalise_strips_html_script_emoji_and_full_width(knowledge):
    text = "<p>ＴＲ９０&nbsp;镜架</p><script>alert('x')</script>😀🔥 ＡＲ 膜"
    assert normalise(text, knowledge.traditional) == "tr90镜架 ar膜"


def test_normalise_converts_traditional_characters(knowledge):
    assert normalise("鏡片鍍膜層脫落，鈦架鎳釋放", knowledge.traditional) == "镜片镀膜层脱落,钛架镍释放"


def test_normalise_caps_very_long_text(knowledge):
    assert len(normalise("膜层脱落" * 10_000, knowledge.traditional)) == MAX_TEXT_CHARS
    assert normalise("", knowledge.traditional) == ""
    assert normalise("   \n\t ", knowledge.traditional) == ""


def test_lexicon_keeps_industry_words_whole(analyzer: Analyzer):
    tokens = analyzer.tokens(normalise("板材架抛光后有白雾，镍释放超标", analyzer.knowledge.traditional))
    assert "板材架" in tokens and "白雾" in tokens and "镍释放" in tokens
    assert "的" not in tokens


def test_synonym_groups_share_one_canonical_term(analyzer: Analyzer):
    def canonical(text: str) -> set[str]:
        return set(analyzer.analyze_text(text).terms)

    assert canonical("AR膜") == canonical("增透膜") == canonical("减反射膜") == {"减反射膜"}
    assert canonical("钛金属镜架") == canonical("钛架")
    assert canonical("近视防控镜片") == canonical("离焦镜片")
    assert canonical("TR-90") == canonical("tr90") == canonical("ＴＲ９０")
    assert canonical("MR8") == canonical("MR-8")
    assert canonical("制造执行系统") == canonical("MES")


def test_synonym_link_is_recorded_and_credits_the_skill(analyzer: Analyzer):
    analysis = analyzer.analyze_text("想给镜片加一层增透膜")
    assert ("增透膜", "减反射膜") in analysis.synonym_links
    assert analysis.concepts["ar_coating"] == 1.0


def test_symptom_links_owner_words_to_fields(analyzer: Analyzer):
    coating = analyzer.analyze_text("镜片戴一段时间膜层起皱脱落")
    assert coating.concepts["coating_adhesion"] == 1.0
    assert coating.concepts["hard_coating"] >= 0.5
    # The experts' words a symptom implies are kept apart from the owner's own words.
    assert "膜层附着力" in coating.expansion and "膜层附着力" not in coating.terms
    haze = analyzer.analyze_text("板材架抛光后有白雾")
    assert haze.concepts["frame_polishing"] == 1.0
    allergy = analyzer.analyze_text("客人戴了我们的眼镜耳朵后面皮肤红痒")
    assert allergy.concepts["nickel_release"] == 1.0
    chaos = analyzer.analyze_text("订单一多车间就乱，交期老是拖")
    assert chaos.concepts["mes"] == 1.0


def test_symptom_parts_must_share_a_sentence(analyzer: Analyzer):
    apart = analyzer.analyze_text("我们做抛光。仓库里有白雾状的灰尘")
    together = analyzer.analyze_text("我们做抛光，抛完有白雾")
    assert not any("白雾" in label for label in apart.symptom_labels)
    assert any("白雾" in label for label in together.symptom_labels)


def test_ambiguous_plating_word_is_read_by_context(analyzer: Analyzer):
    lens = analyzer.analyze_text("镜片的电镀层一擦就掉")
    frame = analyzer.analyze_text("镜架电镀层起泡掉色")
    assert lens.concepts.get("coating_adhesion", 0) > 0.5
    assert "frame_plating" not in lens.concepts
    assert frame.concepts["frame_plating"] == 1.0
    assert "coating_adhesion" not in frame.concepts


def test_off_domain_markers_are_counted(analyzer: Analyzer):
    food = analyzer.analyze_text("食品农残检测")
    eyewear = analyzer.analyze_text("眼镜镜片检测")
    assert food.off_domain.get("food", 0) >= 1 and food.eyewear_hits == 0
    assert eyewear.eyewear_hits >= 1 and not eyewear.off_domain


def test_empty_and_garbage_text_yield_nothing(analyzer: Analyzer):
    for text in ("", "😀😀😀", "<script>alert(1)</script>", "!!!。。。"):
        analysis = analyzer.analyze_text(text)
        assert not analysis.terms and not analysis.concepts


def test_mixed_chinese_english(analyzer: Analyzer):
    analysis = analyzer.analyze_text("Need CE认证 for our sunglasses 太阳镜, Amazon 店铺")
    assert "export_certification" in analysis.concepts
    assert "cross_border_ecommerce" in analysis.concepts


def test_region_path(analyzer: Analyzer):
    assert analyzer.region_path("浙江临海杜桥镇")[:3] == ["杜桥", "临海", "台州"]
    assert analyzer.region_path("浙江省台州市临海市") == analyzer.region_path("临海")
    assert analyzer.region_path("") == []
