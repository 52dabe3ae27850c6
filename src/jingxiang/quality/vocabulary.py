"""The fixed vocabulary of the engine: product types, physical quantities and case fields.

Rule files are data, but they must speak a language the engine understands: which product a
rule applies to, and which measured or nominal value an item reads. Product types and the
built-in fields live here; a rules file may declare additional fields (with one of the
quantities below) so that a new edition can add a new measured item without a code change.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal


class ProductType(enum.StrEnum):
    """Products the lab tests; each names the lenses it carries (see :data:`LENS_SIDES`)."""

    UNCUT_LENS = "uncut_lens"
    ASSEMBLED_SPECTACLES = "assembled_spectacles"
    PROGRESSIVE_SPECTACLES = "progressive_spectacles"
    READY_MADE_READERS = "ready_made_readers"
    SUNGLASSES = "sunglasses"
    FRAME = "frame"
    HIGH_ALTITUDE_GOGGLES = "high_altitude_goggles"


PRODUCT_TYPE_LABELS: dict[ProductType, tuple[str, str]] = {
    ProductType.UNCUT_LENS: ("毛边眼镜镜片(单光/多焦点)", "Finished uncut lens (single-vision / multifocal)"),
    ProductType.ASSEMBLED_SPECTACLES: (
        "定配眼镜(单光/多焦点)",
        "Assembled spectacles (single-vision / multifocal)",
    ),
    ProductType.PROGRESSIVE_SPECTACLES: ("渐变焦定配眼镜", "Progressive-power assembled spectacles"),
    ProductType.READY_MADE_READERS: ("老视成镜", "Ready-made reading spectacles"),
    ProductType.SUNGLASSES: ("太阳镜和太阳镜片", "Sunglasses and sun filters"),
    ProductType.FRAME: ("眼镜架", "Spectacle frame"),
    ProductType.HIGH_ALTITUDE_GOGGLES: ("高原用太阳镜/护目镜", "High-altitude sunglasses / goggles"),
}

# Which lens entries a case of each product type carries. Sunglass filters are judged as one
# product (the lab reports one τv), frames have no lenses.
LENS_SIDES: dict[ProductType, tuple[str, ...]] = {
    ProductType.UNCUT_LENS: ("lens",),
    ProductType.ASSEMBLED_SPECTACLES: ("right", "left"),
    ProductType.PROGRESSIVE_SPECTACLES: ("right", "left"),
    ProductType.READY_MADE_READERS: ("right", "left"),
    ProductType.SUNGLASSES: (),
    ProductType.FRAME: (),
    ProductType.HIGH_ALTITUDE_GOGGLES: (),
}

ALL_LENS_SIDES = ("lens", "right", "left")


class Quantity(enum.StrEnum):
    """Physical quantities a field can hold; each has one canonical unit used inside the engine."""

    POWER = "power"
    ANGLE = "angle"
    LENGTH = "length"
    PRISM = "prism"
    TRANSMITTANCE = "transmittance"
    QUOTIENT = "quotient"
    NICKEL_RELEASE = "nickel_release"
    BOOLEAN = "boolean"
    CATEGORY = "category"


CANONICAL_UNIT: dict[Quantity, str] = {
    Quantity.POWER: "D",
    Quantity.ANGLE: "°",
    Quantity.LENGTH: "mm",
    Quantity.PRISM: "Δ",
    Quantity.TRANSMITTANCE: "%",
    Quantity.QUOTIENT: "",
    Quantity.NICKEL_RELEASE: "µg/(cm²·week)",
    Quantity.BOOLEAN: "",
    Quantity.CATEGORY: "",
}

# Units a case may declare, with the factor that converts them into the canonical unit.
# Transmittance and length are where labs and spreadsheets disagree (0.35 vs 35 %, 6.4 cm vs 64 mm).
ACCEPTED_UNITS: dict[Quantity, dict[str, Decimal]] = {
    Quantity.POWER: {"D": Decimal(1)},
    Quantity.ANGLE: {"deg": Decimal(1), "°": Decimal(1)},
    Quantity.LENGTH: {"mm": Decimal(1), "cm": Decimal(10)},
    Quantity.PRISM: {"prism_dioptre": Decimal(1), "Δ": Decimal(1)},
    Quantity.TRANSMITTANCE: {"percent": Decimal(1), "%": Decimal(1), "fraction": Decimal(100)},
    Quantity.QUOTIENT: {"ratio": Decimal(1)},
    Quantity.NICKEL_RELEASE: {"ug_per_cm2_week": Decimal(1), "µg/(cm²·week)": Decimal(1)},
    Quantity.BOOLEAN: {},
    Quantity.CATEGORY: {},
}

# The case-level ``units`` object may set these; everything else has a single unit.
CASE_UNIT_KEYS: dict[str, Quantity] = {"length": Quantity.LENGTH, "transmittance": Quantity.TRANSMITTANCE}
DEFAULT_CASE_UNITS: dict[str, str] = {"length": "mm", "transmittance": "percent"}


@dataclass(frozen=True)
class FieldSpec:
    """One value a case can carry, with the range outside which it is physically implausible.

    ``per_lens`` fields live under ``right``/``left``/``lens`` in the case; the others at the top
    of ``nominal`` or ``measured``. The plausible range is in the canonical unit and inclusive;
    it exists to catch typing and unit mistakes (PD 500 mm, τv 135 %), not to judge conformance.
    """

    name: str
    quantity: Quantity
    per_lens: bool
    label_zh: str
    label_en: str
    plausible_low: Decimal | None = None
    plausible_high: Decimal | None = None


def _field(
    name: str,
    quantity: Quantity,
    label_zh: str,
    label_en: str,
    low: str | None = None,
    high: str | None = None,
    *,
    per_lens: bool = False,
) -> FieldSpec:
    return FieldSpec(
        name,
        quantity,
        per_lens,
        label_zh,
        label_en,
        None if low is None else Decimal(low),
        None if high is None else Decimal(high),
    )


BUILTIN_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        # Per-lens prescription and measurements.
        _field("sphere", Quantity.POWER, "球镜顶焦度", "Sphere", "-30", "30", per_lens=True),
        _field("cylinder", Quantity.POWER, "柱镜顶焦度", "Cylinder", "-15", "15", per_lens=True),
        _field("axis", Quantity.ANGLE, "柱镜轴位", "Cylinder axis", "0", "180", per_lens=True),
        _field("addition", Quantity.POWER, "附加顶焦度", "Addition", "0", "6", per_lens=True),
        _field(
            "centre_thickness", Quantity.LENGTH, "中心厚度", "Centre thickness", "0.1", "30", per_lens=True
        ),
        _field("monocular_pd", Quantity.LENGTH, "单眼瞳距", "Monocular PD", "20", "45", per_lens=True),
        _field(
            "oc_monocular",
            Quantity.LENGTH,
            "单侧光学中心水平距离",
            "Monocular optical-centre distance",
            "15",
            "50",
            per_lens=True,
        ),
        _field(
            "oc_height", Quantity.LENGTH, "光学中心高度", "Optical-centre height", "0", "60", per_lens=True
        ),
        _field(
            "horizontal_prism",
            Quantity.PRISM,
            "单侧水平棱镜度",
            "Horizontal prism at the pupil point",
            "0",
            "20",
            per_lens=True,
        ),
        _field(
            "prism",
            Quantity.PRISM,
            "棱镜度",
            "Prismatic power at the prism reference point",
            "0",
            "20",
            per_lens=True,
        ),
        _field(
            "prism_horizontal", Quantity.PRISM, "水平处方棱镜度", "Horizontal prism", "0", "20", per_lens=True
        ),
        _field(
            "prism_vertical", Quantity.PRISM, "垂直处方棱镜度", "Vertical prism", "0", "20", per_lens=True
        ),
        # Base directions as yes/no: base in (是) or out (否); base up (是) or down (否).
        _field(
            "prism_base_in", Quantity.BOOLEAN, "水平棱镜底向内", "Horizontal prism base in", per_lens=True
        ),
        _field("prism_base_up", Quantity.BOOLEAN, "垂直棱镜底向上", "Vertical prism base up", per_lens=True),
        # Whole-product values.
        _field("pd", Quantity.LENGTH, "瞳距", "Pupillary distance", "40", "85"),
        _field("oc_distance", Quantity.LENGTH, "光学中心水平距离", "Optical-centre distance", "30", "100"),
        _field(
            "horizontal_prism_total",
            Quantity.PRISM,
            "水平棱镜度(两眼合计)",
            "Total horizontal prism",
            "0",
            "20",
        ),
        _field(
            "vertical_difference", Quantity.LENGTH, "光学中心垂直互差", "Vertical OC difference", "0", "20"
        ),
        _field(
            "vertical_prism_difference",
            Quantity.PRISM,
            "垂直棱镜度互差",
            "Vertical prism difference",
            "0",
            "20",
        ),
        _field("marked_oc_distance", Quantity.LENGTH, "标称光学中心距离", "Marked OC distance", "40", "85"),
        _field(
            "luminous_transmittance",
            Quantity.TRANSMITTANCE,
            "光透射比 τv",
            "Luminous transmittance τv",
            "0",
            "100",
        ),
        _field(
            "min_spectral_transmittance_475_650",
            Quantity.TRANSMITTANCE,
            "475–650 nm 最小光谱透射比",
            "Minimum spectral transmittance 475–650 nm",
            "0",
            "100",
        ),
        _field("q_red", Quantity.QUOTIENT, "红色讯号识别系数 Q", "Red signal quotient Q", "0", "3"),
        _field("q_yellow", Quantity.QUOTIENT, "黄色讯号识别系数 Q", "Yellow signal quotient Q", "0", "3"),
        _field("q_green", Quantity.QUOTIENT, "绿色讯号识别系数 Q", "Green signal quotient Q", "0", "3"),
        _field("q_blue", Quantity.QUOTIENT, "蓝色讯号识别系数 Q", "Blue signal quotient Q", "0", "3"),
        _field(
            "uvb_transmittance",
            Quantity.TRANSMITTANCE,
            "太阳紫外B透射比",
            "Solar UV-B transmittance",
            "0",
            "100",
        ),
        _field(
            "uva_transmittance",
            Quantity.TRANSMITTANCE,
            "太阳紫外A透射比",
            "Solar UV-A transmittance",
            "0",
            "100",
        ),
        _field(
            "declared_category", Quantity.CATEGORY, "标称滤光镜类别", "Declared filter category", "0", "4"
        ),
        _field("intended_for_driving", Quantity.BOOLEAN, "用于驾驶", "Intended for driving"),
        _field("claims_night_driving", Quantity.BOOLEAN, "声称适用夜间驾驶", "Claimed fit for night driving"),
        _field("marked_not_for_driving", Quantity.BOOLEAN, "标注“不适用于驾驶”", "Marked 'not for driving'"),
        _field(
            "marked_not_for_night_driving",
            Quantity.BOOLEAN,
            "标注“不适用于夜间驾驶”",
            "Marked 'not for night driving'",
        ),
        _field("marked_standard", Quantity.BOOLEAN, "标注执行标准", "Standard number marked"),
        _field("nickel_release", Quantity.NICKEL_RELEASE, "镍释放量", "Nickel release", "0", "1000"),
        _field(
            "boxed_centre_distance",
            Quantity.LENGTH,
            "方框中心距 c",
            "Boxed centre distance c",
            "30",
            "120",
        ),
        _field(
            "bridge_permanent_deformation",
            Quantity.LENGTH,
            "鼻梁永久变形量",
            "Bridge permanent deformation",
            "0",
            "30",
        ),
        _field("bridge_intact", Quantity.BOOLEAN, "鼻梁无断裂/裂纹", "Bridge without fracture or crack"),
        _field("boxed_lens_size", Quantity.LENGTH, "方框法水平镜片尺寸", "Boxed lens size", "20", "90"),
        _field("distance_between_lenses", Quantity.LENGTH, "片间距离", "Distance between lenses", "5", "40"),
        _field("temple_length", Quantity.LENGTH, "镜腿长度", "Temple length", "80", "200"),
    )
}
