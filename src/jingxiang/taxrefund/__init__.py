"""镜享 departure tax refund engine (境外旅客购物离境退税, with 即买即退 instant refunds).

Plain Python (no Django), so the store counter, the refund agency's verification import, the
reports and the command line share one judge. The rules are data
(``rules/cn-departure-tax-refund.yaml``: periods with effective dates, regions, excluded goods,
named parameters for open points, the holiday calendar, the text of every rule).

Public API::

    from jingxiang.taxrefund import evaluate, builtin_rules, load_rules_text, validate_rules_text
    from jingxiang.taxrefund import CaseRejectedError, RulesInvalidError

    evaluation = evaluate(case_mapping_or_json_text, rules=None, as_of=None)   # CaseRejectedError(.problems)
    evaluation.forms          -> [FormResult]  per store and day: .status, .reasons, .lines, .refund,
                                               .agency_fee, .net_refund, .cash, .instant
    evaluation.to_dict()      -> the JSON the command line prints
    validate_rules_text(text) -> [Problem]     (no error = load_rules_text accepts it)

Formats, every rule with its source and certainty, the parameters and the rounding:
``docs/taxrefund.md``.
"""

from jingxiang.taxrefund.case_input import Case, load_case_json, parse_case
from jingxiang.taxrefund.engine import (
    CashDecision,
    Evaluation,
    FormResult,
    InstantResult,
    LineResult,
    evaluate,
    evaluate_case,
)
from jingxiang.taxrefund.model import CaseRejectedError, Problem, Reason, RulesInvalidError
from jingxiang.taxrefund.parameters import Parameters
from jingxiang.taxrefund.rendering import evaluation_text
from jingxiang.taxrefund.rules import Period, Rules, builtin_rules, load_rules_text, validate_rules_text

__all__ = [
    "Case",
    "CaseRejectedError",
    "CashDecision",
    "Evaluation",
    "FormResult",
    "InstantResult",
    "LineResult",
    "Parameters",
    "Period",
    "Problem",
    "Reason",
    "Rules",
    "RulesInvalidError",
    "builtin_rules",
    "evaluate",
    "evaluate_case",
    "evaluation_text",
    "load_case_json",
    "load_rules_text",
    "parse_case",
    "validate_rules_text",
]
