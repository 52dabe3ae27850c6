"""镜享 conformance engine for eyewear: judges a product against a standard edition, item by item.

Plain Python (no Django), so the lab's web app, the command line and batch jobs share one judge.

Public API (what the web LIMS calls)::

    from jingxiang.quality import (
        RuleRegistry, judge, item_catalogue, product_types, standards_for, validate_rules_text,
        CaseRejectedError, RulesInvalidError,
    )

    registry = RuleRegistry.builtin().with_documents([(name, text) for name, text in uploaded])
    product_types()                                   -> [{"id", "label_zh", "label_en"}]
    standards_for(product_type, on=date, registry=…)  -> [{"designation", "edition", "effective_from", …}]
    item_catalogue(product_type, designation, registry=…) -> [CatalogueEntry]  (.to_dict() per entry)
    judge(case_mapping_or_json_text, registry=…)      -> Verdict  (.overall, .items, .to_dict())
    validate_rules_text(text)                          -> [Problem]  (empty list = valid)

``judge`` raises :class:`CaseRejectedError` (``.problems``) for input it refuses to judge
(impossible values, unit mix-ups, unknown or wrong standard); missing values are not errors but
make their items "not assessed", and a verdict with a mandatory item not assessed is "incomplete",
never "pass". Rules tagged U (unverified) are indicative: they are shown but do not decide the
verdict unless the case lists them in ``confirmed_rules``. Formats: ``docs/quality.md``.
"""

from jingxiang.quality.engine import (
    CatalogueEntry,
    describe_document,
    item_catalogue,
    judge,
    product_types,
    standards_for,
)
from jingxiang.quality.model import (
    Case,
    CaseRejectedError,
    Certainty,
    ItemResult,
    ItemStatus,
    Overall,
    Problem,
    Verdict,
    conclude,
)
from jingxiang.quality.notices import (
    EditionGap,
    KnownEdition,
    edition_gaps,
    instrument_type_labels,
    instrument_types,
    instrument_types_by_rule,
    known_editions,
)
from jingxiang.quality.rules import (
    RuleDocument,
    RuleRegistry,
    RulesInvalidError,
    load_rules_document,
    validate_rules_text,
)
from jingxiang.quality.vocabulary import ProductType

__all__ = [
    "Case",
    "CaseRejectedError",
    "CatalogueEntry",
    "Certainty",
    "EditionGap",
    "ItemResult",
    "ItemStatus",
    "KnownEdition",
    "Overall",
    "Problem",
    "ProductType",
    "RuleDocument",
    "RuleRegistry",
    "RulesInvalidError",
    "Verdict",
    "conclude",
    "describe_document",
    "edition_gaps",
    "instrument_type_labels",
    "instrument_types",
    "instrument_types_by_rule",
    "item_catalogue",
    "judge",
    "known_editions",
    "load_rules_document",
    "product_types",
    "standards_for",
    "validate_rules_text",
]
