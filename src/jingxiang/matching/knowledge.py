"""The domain knowledge the engine reasons with, kept as editable data.

Five YAML documents live in ``data/`` next to the code: ``lexicon.yaml`` (segmenter words, stopwords),
``synonyms.yaml`` (abbreviations and variants -> canonical term -> skills), ``symptoms.yaml`` (what owners
see -> the fields that own the cause), ``domains.yaml`` (ambiguous words, generic words, other-industry
markers, demand categories, regions) and ``traditional.yaml`` (traditional -> simplified characters).

The web application lets operators edit these tables, so they can be given as in-memory dicts (the
operator's version) and are validated on load: a table that names an unknown skill code is refused with
every problem listed, rather than silently matching nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from jingxiang.matching.textnorm import build_traditional_table, normalise_term
from jingxiang.taxonomy import Taxonomy, load_taxonomy

DATA_DIR = Path(__file__).with_name("data")
DOCUMENT_NAMES: tuple[str, ...] = ("lexicon", "synonyms", "symptoms", "domains", "traditional")


class KnowledgeError(ValueError):
    """A knowledge table is inconsistent; ``problems`` lists every issue found, not just the first."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid matching knowledge:\n  " + "\n  ".join(problems))


DEFAULT_CONFIDENCE = {"synonym": 0.9, "product": 0.5, "symptom": 0.8, "secondary": 0.5, "sense": 0.7}
"""Used when an operator's edited entry states no confidence (the shipped tables state every one)."""
CONTEXT_CONFIDENCE = 0.5
"""Entries at or below this confidence (product nouns, vague complaints) describe the firm's context
more often than its need; the analyser discounts them next to a surer entry of another field."""


@dataclass(frozen=True)
class SynonymGroup:
    canonical: str
    variants: tuple[str, ...]
    skills: tuple[str, ...]
    product: bool = False
    confidence: float = DEFAULT_CONFIDENCE["synonym"]
    scope: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Symptom:
    id: str
    label: str
    # Each trigger is a tuple of parts that must all occur in one sentence.
    triggers: tuple[tuple[str, ...], ...]
    skills: Mapping[str, float]
    terms: tuple[str, ...]
    not_with: tuple[str, ...] = ()
    secondary: bool = False
    confidence: float = DEFAULT_CONFIDENCE["symptom"]
    scope: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Sense:
    cues: tuple[str, ...]
    skills: Mapping[str, float]
    term: str | None = None
    note: str = ""
    confidence: float = DEFAULT_CONFIDENCE["sense"]
    scope: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CategoryRule:
    skills: Mapping[str, float]
    kinds: Mapping[str, float]


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the analyser needs, normalised once so that matching never re-normalises tables."""

    taxonomy: Taxonomy
    traditional: Mapping[int, str]
    words: frozenset[str]
    single_char_terms: frozenset[str]
    stopwords: frozenset[str]
    groups: tuple[SynonymGroup, ...]
    variant_to_canonical: Mapping[str, str]
    canonical_skills: Mapping[str, tuple[str, ...]]
    product_terms: frozenset[str]
    symptoms: tuple[Symptom, ...]
    senses: Mapping[str, tuple[Sense, ...]]
    generic_terms: Mapping[str, float]
    eyewear_markers: frozenset[str]
    off_domain: Mapping[str, frozenset[str]]
    categories: Mapping[str, CategoryRule]
    regions: Mapping[str, str]
    skill_terms: Mapping[str, str]
    skill_domain: Mapping[str, str]
    skill_label: Mapping[str, str]
    domain_label: Mapping[str, str] = field(default_factory=dict)
    neutral_skills: frozenset[str] = frozenset()
    fingerprint: str = field(default="")

    def segmenter_words(self) -> set[str]:
        """Every multi-character term that the segmenter must keep whole."""
        words = set(self.words) | set(self.variant_to_canonical) | set(self.variant_to_canonical.values())
        words |= (
            set(self.skill_terms) | set(self.senses) | set(self.generic_terms) | set(self.eyewear_markers)
        )
        for markers in self.off_domain.values():
            words |= markers
        for symptom in self.symptoms:
            words |= set(symptom.terms)
            for trigger in symptom.triggers:
                words |= set(trigger)
        for senses in self.senses.values():
            for sense in senses:
                words |= set(sense.cues)
        return {word for word in words if len(word) > 1 and " " not in word}


ADMINISTRATIVE_SUFFIXES = ("省", "市", "县", "区", "镇")


def place_name(name: str) -> str:
    """ "临海市" and "临海" are one place: drop a trailing administrative suffix from names longer than two."""
    for suffix in ADMINISTRATIVE_SUFFIXES:
        if len(name) > 2 and name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle) or {}
    if not isinstance(document, dict):
        raise KnowledgeError([f"{path}: top level must be a mapping"])
    return document


def load_documents(directory: Path | str | None = None) -> dict[str, dict[str, Any]]:
    """Read the five YAML documents from ``directory`` (default: the shipped ``data/``)."""
    base = Path(directory) if directory is not None else DATA_DIR
    return {name: _read_yaml(base / f"{name}.yaml") for name in DOCUMENT_NAMES}


def load_knowledge(
    directory: Path | str | None = None,
    *,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    taxonomy: Taxonomy | None = None,
) -> KnowledgeBase:
    """Load the shipped (or ``directory``'s) tables, replace any given in ``overrides``, validate.

    ``overrides`` maps a document name (``"synonyms"``, ``"symptoms"`` ...) to its parsed content: this is
    how the web application passes the operators' edited copy without writing files.
    """
    documents = load_documents(directory)
    for name, document in (overrides or {}).items():
        if name not in DOCUMENT_NAMES:
            raise KnowledgeError([f"unknown knowledge document {name!r}; expected one of {DOCUMENT_NAMES}"])
        documents[name] = dict(document)
    return build_knowledge(documents, taxonomy=taxonomy or load_taxonomy())


def _weights(raw: Any, where: str, known: set[str], problems: list[str]) -> dict[str, float]:
    if raw is None:
        return {}
    if isinstance(raw, list):
        raw = dict.fromkeys(raw, 1.0)
    if not isinstance(raw, dict):
        problems.append(f"{where}: skills must be a list or a mapping code -> weight")
        return {}
    weights: dict[str, float] = {}
    for code, weight in raw.items():
        if str(code) not in known:
            problems.append(f"{where}: unknown skill code {code!r}")
            continue
        try:
            value = float(weight)
        except (TypeError, ValueError):
            problems.append(f"{where}: weight of {code!r} is not a number")
            continue
        if not 0.0 <= value <= 1.0:
            problems.append(f"{where}: weight of {code!r} must be between 0 and 1")
            continue
        weights[str(code)] = value
    return weights


def _confidence_and_scope(
    raw: Mapping[str, Any],
    where: str,
    default_confidence: float,
    skills: Mapping[str, float] | tuple[str, ...],
    skill_domain: Mapping[str, str],
    problems: list[str],
) -> tuple[float, frozenset[str]]:
    """Read an entry's ``confidence`` (0 < c <= 1) and ``scope`` (taxonomy domain codes).

    The scope says in which fields the entry is meant to apply; an entry that credits a skill outside
    its own scope is refused, because that is how a copy-paste or a typo in a table turns into matches
    in an unrelated field.  Without a stated scope, the fields of the credited skills are the scope.
    """
    confidence = default_confidence
    if raw.get("confidence") is not None:
        try:
            confidence = float(raw["confidence"])
        except (TypeError, ValueError):
            problems.append(f"{where}: confidence is not a number")
        else:
            if not 0.0 < confidence <= 1.0:
                problems.append(f"{where}: confidence must be above 0 and at most 1")
                confidence = default_confidence
    domains = set(skill_domain.values())
    credited = {skill_domain[code] for code in skills if code in skill_domain}
    raw_scope = raw.get("scope")
    if raw_scope is None:
        return confidence, frozenset(credited)
    if isinstance(raw_scope, str):
        raw_scope = [raw_scope]
    if not isinstance(raw_scope, list) or not raw_scope:
        problems.append(f"{where}: scope must be a non-empty list of field (domain) codes")
        return confidence, frozenset(credited)
    scope = {str(code) for code in raw_scope}
    for code in sorted(scope - domains):
        problems.append(f"{where}: unknown field {code!r} in scope")
    for code in sorted(credited - scope):
        problems.append(f"{where}: credits a skill of field {code!r}, which is outside its scope")
    return confidence, frozenset(scope & domains)


def build_knowledge(documents: Mapping[str, Mapping[str, Any]], *, taxonomy: Taxonomy) -> KnowledgeBase:
    """Validate and normalise parsed documents into a KnowledgeBase (raises KnowledgeError)."""
    problems: list[str] = []
    traditional = build_traditional_table(str(documents["traditional"].get("pairs", "")))

    def norm(term: Any) -> str:
        return normalise_term(str(term), traditional)

    known = {skill.code for skill in taxonomy.skills() if not skill.retired}
    skill_domain = {skill.code: skill.domain_code for skill in taxonomy.skills()}
    skill_terms: dict[str, str] = {}
    for skill in taxonomy.skills():
        if skill.retired:
            continue
        for term in (skill.code, skill.name_zh, *skill.aliases):
            key = norm(term)
            # The first owner of an alias keeps it: aliases such as "抛光" are deliberately ambiguous and
            # are resolved by the senses table rather than by taxonomy order.
            skill_terms.setdefault(key, skill.code)

    lexicon = documents["lexicon"]
    words = frozenset(norm(word) for word in lexicon.get("words", []))
    single_chars = frozenset(norm(word) for word in lexicon.get("single_char_terms", []))
    stopwords = frozenset(norm(word) for word in lexicon.get("stopwords", []))

    groups: list[SynonymGroup] = []
    variant_to_canonical: dict[str, str] = {}
    canonical_skills: dict[str, tuple[str, ...]] = {}
    for index, raw in enumerate(documents["synonyms"].get("groups", [])):
        where = f"synonyms.groups[{index}]"
        if not isinstance(raw, dict) or not raw.get("canonical"):
            problems.append(f"{where}: needs a canonical term")
            continue
        canonical = norm(raw["canonical"])
        variants = tuple(norm(variant) for variant in raw.get("variants", []) or [])
        skills = tuple(_weights(raw.get("skills", []), where, known, problems))
        for variant in (canonical, *variants):
            owner = variant_to_canonical.get(variant)
            if owner is not None and owner != canonical:
                problems.append(f"{where}: variant {variant!r} already belongs to group {owner!r}")
                continue
            variant_to_canonical[variant] = canonical
        canonical_skills[canonical] = skills
        product = bool(raw.get("product"))
        confidence, scope = _confidence_and_scope(
            raw,
            where,
            DEFAULT_CONFIDENCE["product" if product else "synonym"],
            skills,
            skill_domain,
            problems,
        )
        groups.append(
            SynonymGroup(
                canonical=canonical,
                variants=variants,
                skills=skills,
                product=product,
                confidence=confidence,
                scope=scope,
            )
        )

    symptoms: list[Symptom] = []
    seen_ids: set[str] = set()
    for index, raw in enumerate(documents["symptoms"].get("symptoms", [])):
        where = f"symptoms[{index}]"
        symptom_id = str(raw.get("id", "")) if isinstance(raw, dict) else ""
        if not symptom_id or symptom_id in seen_ids:
            problems.append(f"{where}: needs a unique id")
            continue
        seen_ids.add(symptom_id)
        triggers: list[tuple[str, ...]] = []
        for trigger in raw.get("triggers", []) or []:
            parts = tuple(norm(part) for part in (trigger if isinstance(trigger, list) else [trigger]))
            if not parts or not all(parts):
                problems.append(f"{where} ({symptom_id}): empty trigger")
                continue
            triggers.append(parts)
        if not triggers:
            problems.append(f"{where} ({symptom_id}): no triggers")
        symptom_skills = _weights(raw.get("skills"), f"{where} ({symptom_id})", known, problems)
        secondary = bool(raw.get("secondary", False))
        confidence, scope = _confidence_and_scope(
            raw,
            f"{where} ({symptom_id})",
            DEFAULT_CONFIDENCE["secondary" if secondary else "symptom"],
            symptom_skills,
            skill_domain,
            problems,
        )
        symptoms.append(
            Symptom(
                id=symptom_id,
                label=str(raw.get("label", symptom_id)),
                triggers=tuple(triggers),
                skills=symptom_skills,
                terms=tuple(norm(term) for term in raw.get("terms", []) or []),
                not_with=tuple(norm(cue) for cue in raw.get("not_with", []) or []),
                secondary=secondary,
                confidence=confidence,
                scope=scope,
            )
        )

    domains = documents["domains"]
    senses: dict[str, tuple[Sense, ...]] = {}
    for word, raw_senses in (domains.get("senses") or {}).items():
        parsed = []
        for index, raw in enumerate(raw_senses or []):
            where = f"domains.senses.{word}[{index}]"
            sense_skills = _weights(raw.get("skills"), where, known, problems)
            confidence, scope = _confidence_and_scope(
                raw, where, DEFAULT_CONFIDENCE["sense"], sense_skills, skill_domain, problems
            )
            parsed.append(
                Sense(
                    cues=tuple(norm(cue) for cue in raw.get("cues", []) or []),
                    skills=sense_skills,
                    term=norm(raw["term"]) if raw.get("term") else None,
                    note=str(raw.get("note", "")),
                    confidence=confidence,
                    scope=scope,
                )
            )
        senses[norm(word)] = tuple(parsed)

    generic_terms: dict[str, float] = {}
    for word, weight in (domains.get("generic_terms") or {}).items():
        try:
            generic_terms[norm(word)] = float(weight)
        except (TypeError, ValueError):
            problems.append(f"domains.generic_terms.{word}: weight is not a number")

    categories: dict[str, CategoryRule] = {}
    for name, raw in (domains.get("categories") or {}).items():
        raw = raw or {}
        kinds = {str(kind): float(value) for kind, value in (raw.get("kinds") or {}).items()}
        categories[str(name)] = CategoryRule(
            skills=_weights(raw.get("skills"), f"domains.categories.{name}", known, problems), kinds=kinds
        )

    regions = {
        place_name(norm(child)): place_name(norm(parent))
        for child, parent in (domains.get("regions") or {}).items()
    }
    off_domain = {
        str(name): frozenset(norm(marker) for marker in markers or [])
        for name, markers in (domains.get("off_domain") or {}).items()
    }

    neutral = domains.get("neutral_fields") or {}
    neutral_skills: set[str] = set()
    domain_codes = set(skill_domain.values())
    for code in neutral.get("domains", []) or []:
        if str(code) not in domain_codes:
            problems.append(f"domains.neutral_fields.domains: unknown field {code!r}")
        neutral_skills |= {skill for skill, domain in skill_domain.items() if domain == str(code)}
    for code in neutral.get("skills", []) or []:
        if str(code) not in skill_domain:
            problems.append(f"domains.neutral_fields.skills: unknown skill code {code!r}")
        neutral_skills.add(str(code))

    if problems:
        raise KnowledgeError(problems)

    fingerprint = hashlib.sha256(
        json.dumps(documents, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    ).hexdigest()[:16]
    return KnowledgeBase(
        taxonomy=taxonomy,
        traditional=traditional,
        words=words,
        single_char_terms=single_chars,
        stopwords=stopwords,
        groups=tuple(groups),
        variant_to_canonical=variant_to_canonical,
        canonical_skills=canonical_skills,
        product_terms=frozenset(group.canonical for group in groups if group.product),
        symptoms=tuple(symptoms),
        senses=senses,
        generic_terms=generic_terms,
        eyewear_markers=frozenset(norm(marker) for marker in domains.get("eyewear_markers", []) or []),
        off_domain=off_domain,
        categories=categories,
        regions=regions,
        skill_terms=skill_terms,
        skill_domain=skill_domain,
        skill_label={skill.code: skill.name_zh for skill in taxonomy.skills()},
        domain_label={domain.code: domain.name_zh for domain in taxonomy.domains},
        neutral_skills=frozenset(neutral_skills),
        fingerprint=fingerprint,
    )
