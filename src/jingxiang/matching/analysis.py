"""Turning Chinese (and mixed Chinese/English) text into matching evidence.

Four layers, each recorded so the final ranking can say *why*:

1. bigrams: overlapping character pairs of the normalised text, no dictionary at all; the floor that
   no table can take away (see ``engine.py``);
2. terms: jieba segmentation (search mode, so "膜层附着力" also yields "附着力") with the industry
   lexicon, stopwords dropped, every synonym variant rewritten to its canonical term; terms that a
   table *adds* (a symptom's expert words, an ambiguous word read as another) are kept apart as
   ``expansion``, so the owner's own words stay a channel of their own;
3. concepts: taxonomy skills credited by skill names/aliases, synonym groups, symptom triggers and
   context-resolved ambiguous words (电镀 near 镜片 is lens coating, near 镜架 it is frame plating),
   each weighed by the entry's confidence and recorded with structured ``Evidence``;
4. context: hits of eyewear words versus words of other industries (food testing, camera optics,
   hardware plating), used to damp profiles that only share generic words with a demand.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import jieba

from jingxiang.matching.knowledge import CONTEXT_CONFIDENCE, KnowledgeBase, Sense, SynonymGroup, place_name
from jingxiang.matching.model import Demand, Supplier
from jingxiang.matching.textnorm import normalise, normalise_term, sentences

jieba.setLogLevel(60)

SUPPLIER_TEXT_WEIGHT = 0.7
"""Skills a profile merely mentions in prose count for less than skills it lists explicitly."""
SUPPLIER_SYMPTOM_SCALE = 0.6
"""A problem a profile mentions is weaker evidence of competence than a field it names."""
SKILL_FIELD_BOOST = 2.0
"""Listed skills are repeated in the lexical document: they are the profile's own summary of itself."""
SYMPTOM_TERM_WEIGHT = 0.6
"""Expert terms added by a symptom link are inferred, so they weigh less than the owner's own words."""
SECONDARY_SYMPTOM_SCALE = 0.35
"""Expert words of a vague complaint (投诉多, 效率低) weigh this share of a specific symptom's."""
SENSE_OWN_WORD_WEIGHT = 0.5
"""An ambiguous word read as another ("镜片的电镀" -> 镀膜) keeps half its weight as the owner's word."""
_BIGRAM_RUNS = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+")
SKILL_CACHE_SIZE = 50_000
TOKEN_CACHE_SIZE = 500_000
_UNSEEN = object()
SKILL_WORD_CONFIDENCE = 1.0
"""A taxonomy skill name or alias written out ("膜层附着力", "MES") names the field itself."""
OUT_OF_SCOPE_SCALE = 0.4
"""A context entry (product noun, vague complaint) next to a surer entry of another field counts this
much: "我们做钛架的，网店没流量" needs e-commerce help, not a titanium-frame maker."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a text was credited with a skill, kept structured so the explainer can phrase it plainly.

    ``kind``: ``skill_word`` (a skill name or alias written out), ``synonym`` (a variant of a canonical
    term), ``product`` (a product noun), ``sense`` (an ambiguous word read in context), ``symptom`` (a
    described problem), ``category`` (the demand's category), ``learned`` (a link learned from outcomes),
    ``listed`` (a profile's listed skill).  ``word`` is what the text said; ``target`` the canonical
    term, the sense's note or the symptom's label.
    """

    kind: str
    word: str
    target: str = ""


@dataclass(frozen=True, slots=True)
class Firing:
    """One table entry that fired on a demand: its skills (already weighed), evidence and scope."""

    skills: tuple[tuple[str, float], ...]
    evidence: Evidence
    confidence: float
    scope: frozenset[str]


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What one token means to the matcher (see ``Analyzer._describe_token``)."""

    token: str
    canonical: str
    sense_word: str | None
    link: tuple[str, str] | None
    firings: tuple[Firing, ...]
    eyewear: bool
    industry: str | None


@dataclass
class TextAnalysis:
    """Evidence extracted from one text (or one whole profile/demand)."""

    terms: dict[str, float] = field(default_factory=dict)
    expansion: dict[str, float] = field(default_factory=dict)
    concepts: dict[str, float] = field(default_factory=dict)
    reasons: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))
    synonym_links: list[tuple[str, str]] = field(default_factory=list)
    symptom_labels: list[str] = field(default_factory=list)
    eyewear_hits: int = 0
    off_domain: dict[str, int] = field(default_factory=dict)

    def add_term(self, term: str, weight: float = 1.0) -> None:
        self.terms[term] = self.terms.get(term, 0.0) + weight

    def add_expansion(self, term: str, weight: float) -> None:
        self.expansion[term] = self.expansion.get(term, 0.0) + weight

    def add_concept(self, code: str, weight: float, reason: Evidence) -> None:
        """Keep the strongest weight per skill, and the reasons in the order of their strength."""
        reasons = self.reasons[code]
        if weight > self.concepts.get(code, 0.0):
            self.concepts[code] = weight
            if reason in reasons:
                reasons.remove(reason)
            reasons.insert(0, reason)
        elif reason not in reasons:
            reasons.append(reason)

    def merge(self, other: TextAnalysis, *, concept_scale: float = 1.0, term_scale: float = 1.0) -> None:
        """Add ``other`` into this analysis (a profile's documents: its expansion terms join its terms)."""
        for term, weight in other.terms.items():
            self.add_term(term, weight * term_scale)
        for term, weight in other.expansion.items():
            self.add_term(term, weight * term_scale)
        for code, weight in other.concepts.items():
            for reason in other.reasons.get(code, []):
                self.add_concept(code, weight * concept_scale, reason)
        for link in other.synonym_links:
            if link not in self.synonym_links:
                self.synonym_links.append(link)
        for label in other.symptom_labels:
            if label not in self.symptom_labels:
                self.symptom_labels.append(label)
        self.eyewear_hits += other.eyewear_hits
        for name, hits in other.off_domain.items():
            self.off_domain[name] = self.off_domain.get(name, 0) + hits


class PhraseFinder:
    """Find which of many short phrases occur in a text, fast enough for 100,000 profiles.

    A regular expression alternation of hundreds of literals is slow in CPython; instead the text's
    characters and character pairs are looked up in a table of phrase prefixes, so the cost follows the
    text's length, not the number of phrases.
    """

    def __init__(self, phrases: Iterable[str]):
        self._by_prefix: dict[str, list[str]] = defaultdict(list)
        self._single: set[str] = set()
        for phrase in set(phrases):
            if not phrase:
                continue
            if len(phrase) == 1:
                self._single.add(phrase)
            else:
                self._by_prefix[phrase[:2]].append(phrase)

    def find(self, text: str) -> set[str]:
        found = self._single.intersection(text) if self._single else set()
        by_prefix = self._by_prefix
        for start in range(len(text) - 1):
            candidates = by_prefix.get(text[start : start + 2])
            if candidates:
                for phrase in candidates:
                    if text.startswith(phrase, start):
                        found.add(phrase)
        return found


_tokenizers: dict[str, jieba.Tokenizer] = {}
_tokenizer_lock = threading.Lock()


def tokenizer_for(knowledge: KnowledgeBase) -> jieba.Tokenizer:
    """One jieba tokenizer per lexicon version, shared: loading the dictionary takes about a second.

    A private ``jieba.Tokenizer`` (not the global one) keeps our lexicon from leaking into other code
    in the same process that uses jieba.
    """
    with _tokenizer_lock:
        tokenizer = _tokenizers.get(knowledge.fingerprint)
        if tokenizer is None:
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            for word in sorted(knowledge.segmenter_words()):
                # A high frequency makes the lexicon win over the general dictionary's splits.
                tokenizer.add_word(word, freq=max(2000, tokenizer.suggest_freq(word, tune=False)))
            _tokenizers[knowledge.fingerprint] = tokenizer
        return tokenizer


class Analyzer:
    """Applies one KnowledgeBase to texts, suppliers and demands."""

    def __init__(self, knowledge: KnowledgeBase):
        self.knowledge = knowledge
        self.tokenizer = tokenizer_for(knowledge)
        trigger_parts = [
            part for symptom in knowledge.symptoms for trigger in symptom.triggers for part in trigger
        ]
        self._trigger_finder = PhraseFinder(trigger_parts)
        self._triggers_by_part: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
        for index, symptom in enumerate(knowledge.symptoms):
            for trigger in symptom.triggers:
                self._triggers_by_part[trigger[0]].append((index, trigger))
        self._whole_terms = knowledge.segmenter_words()
        self._skill_cache: dict[str, tuple[tuple[str, ...], TextAnalysis]] = {}
        self._token_info: dict[str, TokenInfo | object | None] = {}
        self._region_cache: dict[str, list[str]] = {}
        self._dictionary = self.tokenizer.FREQ
        self.dictionary: dict[str, int] = self._dictionary
        self._groups: dict[str, SynonymGroup] = {group.canonical: group for group in knowledge.groups}
        self._off_domain_by_marker: dict[str, str] = {
            marker: name for name, markers in knowledge.off_domain.items() for marker in markers
        }

    # -- text -------------------------------------------------------------------------------------
    def segment(self, normalised_text: str) -> list[str]:
        """jieba words, plus the dictionary sub-words of long general words ("生产管理" -> "管理").

        Like jieba's search mode, except that lexicon terms stay whole: "减反射膜" must not also
        produce "反射", or a profile writing "AR膜" would share fewer terms with one writing "减反射膜".
        """
        words: list[str] = []
        dictionary = self._dictionary
        previous_ascii = False
        for word in self.tokenizer.cut(normalised_text, HMM=False):
            is_ascii = word.isascii() and word.isalnum()
            if is_ascii and previous_ascii:
                # jieba matches dictionary words inside Latin runs ("frames" -> "fra" + "mes"); an
                # English word is one token, so glue the pieces back together.
                words[-1] += word
                continue
            previous_ascii = is_ascii
            words.append(word)
            if len(word) > 2 and word not in self._whole_terms:
                for size in (2, 3):
                    for start in range(len(word) - size + 1):
                        part = word[start : start + size]
                        if part != word and dictionary.get(part):
                            words.append(part)
        return words

    def tokens(self, normalised_text: str) -> list[str]:
        """Segment normalised text into meaningful, canonical terms (order kept, duplicates kept)."""
        knowledge = self.knowledge
        result = []
        for raw in self.segment(normalised_text):
            token = raw.strip(" .-/,，、%#+")
            if not token or token in knowledge.stopwords:
                continue
            if len(token) == 1 and token not in knowledge.single_char_terms:
                continue
            if token.isdigit():
                continue
            result.append(knowledge.variant_to_canonical.get(token, token))
        return result

    def bigrams(self, text: str) -> dict[str, float]:
        """Character bigrams of ``text`` (normalised first): pairs of each CJK run, Latin/digit runs whole.

        No dictionary, no table: this is the evidence that stays when every table misreads a text.
        """
        counts: dict[str, float] = {}
        for run in _BIGRAM_RUNS.findall(normalise(text, self.knowledge.traditional)):
            if run[0] < "\u4e00" or len(run) == 1:
                grams: Iterable[str] = (run,)
            else:
                grams = (run[i : i + 2] for i in range(len(run) - 1))
            for gram in grams:
                counts[gram] = counts.get(gram, 0.0) + 1.0
        return counts

    def analyze_text(
        self,
        text: str,
        *,
        concept_weight: float = 1.0,
        clauses: bool = False,
        symptom_scale: float = 1.0,
        demand: bool = False,
    ) -> TextAnalysis:
        """Extract terms, concepts (with reasons) and domain context from one free text.

        ``clauses=True`` narrows the co-occurrence window of symptom triggers and senses to one
        comma-separated clause: profiles list competences separated by commas ("钛架焊接，焊接发黑处理"),
        while owners run one complaint over several commas.  ``symptom_scale`` weighs what symptoms
        imply: fully for a demand, less for a profile ("盐雾测试" on a lab's profile is a test it runs,
        not a plating skill).  ``demand=True`` weighs every entry by its confidence: a demand is short,
        and a table entry firing on it is a guess about the need, while a profile's words are its own.
        """
        knowledge = self.knowledge
        analysis = TextAnalysis()
        normalised = normalise(text, knowledge.traditional)
        if not normalised:
            return analysis
        resolved_words: dict[str, Sense | None] = {}
        firings: list[Firing] = []
        sentence_list = sentences(normalised, clauses=clauses)
        token_info = self._token_info
        for raw in self.segment(normalised):
            info = token_info.get(raw, _UNSEEN)
            if info is _UNSEEN:
                info = self._describe_token(raw)
                if len(token_info) > TOKEN_CACHE_SIZE:
                    token_info.clear()
                token_info[raw] = info
            if info is None:
                continue
            assert isinstance(info, TokenInfo)
            if info.sense_word is not None:
                word = info.sense_word
                if word not in resolved_words:
                    resolved_words[word] = self._resolve_sense(word, sentence_list, normalised)
                sense = resolved_words[word]
                if sense is not None:
                    if sense.term and sense.term != info.canonical:
                        # The owner's word stays; the reading the context implies is an added term.
                        analysis.add_term(info.canonical, SENSE_OWN_WORD_WEIGHT)
                        analysis.add_expansion(sense.term, 1.0)
                    else:
                        analysis.add_term(info.canonical)
                    if sense.skills:
                        firings.append(
                            Firing(
                                skills=tuple(sense.skills.items()),
                                evidence=Evidence("sense", info.token, sense.note),
                                confidence=sense.confidence,
                                scope=sense.scope,
                            )
                        )
                    continue
            analysis.add_term(info.canonical)
            if info.link is not None and info.link not in analysis.synonym_links:
                analysis.synonym_links.append(info.link)
            firings.extend(info.firings)
            if info.eyewear:
                analysis.eyewear_hits += 1
            if info.industry is not None:
                analysis.off_domain[info.industry] = analysis.off_domain.get(info.industry, 0) + 1
        firings.extend(self._apply_symptoms(analysis, normalised, sentence_list, symptom_scale))
        self._credit(analysis, firings, concept_weight, demand=demand)
        return analysis

    @staticmethod
    def _credit(
        analysis: TextAnalysis, firings: list[Firing], concept_weight: float, *, demand: bool
    ) -> None:
        """Turn fired entries into weighted concepts.

        A context entry (confidence at most CONTEXT_CONFIDENCE: a product noun, a vague complaint) whose
        scope shares no field with a surer entry that also fired counts OUT_OF_SCOPE_SCALE: it says
        what the firm makes or how it feels, the surer entry says what it needs.  On a demand every
        entry also counts by its confidence.
        """
        sure_scope: set[str] = set()
        for firing in firings:
            if firing.confidence > CONTEXT_CONFIDENCE:
                sure_scope |= firing.scope
        for firing in firings:
            scale = concept_weight * (firing.confidence if demand else 1.0)
            if sure_scope and firing.confidence <= CONTEXT_CONFIDENCE and not (firing.scope & sure_scope):
                scale *= OUT_OF_SCOPE_SCALE
            for code, weight in firing.skills:
                analysis.add_concept(code, weight * scale, firing.evidence)

    def _describe_token(self, raw: str) -> TokenInfo | None:
        """Everything the tables say about one segmenter token (None: carries no meaning).

        Computed once per distinct token and cached: a profile's words are mostly words seen before.
        """
        knowledge = self.knowledge
        token = raw.strip(" .-/,，、%#+")
        if not token or token in knowledge.stopwords or token.isdigit():
            return None
        if len(token) == 1 and token not in knowledge.single_char_terms:
            return None
        canonical = knowledge.variant_to_canonical.get(token, token)
        sense_word = (
            token if token in knowledge.senses else canonical if canonical in knowledge.senses else None
        )
        firings: list[Firing] = []
        group = self._groups.get(canonical)
        if group is not None and group.skills:
            kind = "product" if group.product else "synonym" if canonical != token else "term"
            firings.append(
                Firing(
                    skills=tuple((code, 1.0) for code in group.skills),
                    evidence=Evidence(kind, token, canonical),
                    confidence=group.confidence,
                    scope=group.scope,
                )
            )
        code = knowledge.skill_terms.get(token) or knowledge.skill_terms.get(canonical)
        product = group is not None and group.product
        if code is not None and (product or token not in knowledge.generic_terms):
            firings.append(
                Firing(
                    skills=((code, 1.0),),
                    evidence=Evidence(
                        "product"
                        if product
                        else "skill_word"
                        if token in knowledge.skill_terms
                        else "synonym",
                        token,
                        canonical,
                    ),
                    confidence=group.confidence if group is not None and product else SKILL_WORD_CONFIDENCE,
                    scope=frozenset({knowledge.skill_domain[code]}),
                )
            )
        return TokenInfo(
            token=token,
            canonical=canonical,
            sense_word=sense_word,
            link=(token, canonical) if canonical != token else None,
            firings=tuple(firings),
            eyewear=token in knowledge.eyewear_markers or canonical in knowledge.eyewear_markers,
            industry=self._off_domain_by_marker.get(token),
        )

    def _resolve_sense(self, word: str, sentence_list: list[str], whole: str) -> Sense | None:
        """Pick the sense whose cues occur in the word's own sentence, else anywhere in the text."""
        senses = self.knowledge.senses[word]
        for scope in [sentence for sentence in sentence_list if word in sentence] + [whole]:
            for sense in senses:
                if any(cue in scope for cue in sense.cues):
                    return sense
        return None

    def _apply_symptoms(
        self, analysis: TextAnalysis, normalised: str, sentence_list: list[str], symptom_scale: float
    ) -> list[Firing]:
        present = self._trigger_finder.find(normalised)
        if not present:
            return []
        fired: dict[int, str] = {}
        symptoms = self.knowledge.symptoms
        for part in present:
            for index, trigger in self._triggers_by_part.get(part, ()):
                if not all(other in present for other in trigger):
                    continue
                veto = symptoms[index].not_with
                for sentence in sentence_list:
                    if all(p in sentence for p in trigger) and not any(cue in sentence for cue in veto):
                        # Of all the triggers that fired, quote the tightest: the owner's own phrase.
                        quote = _quote(sentence, trigger)
                        if index not in fired or (len(quote), quote) < (len(fired[index]), fired[index]):
                            fired[index] = quote
                        break
        firings = []
        for index in sorted(fired):
            symptom = symptoms[index]
            analysis.symptom_labels.append(symptom.label)
            firings.append(
                Firing(
                    skills=tuple((code, weight * symptom_scale) for code, weight in symptom.skills.items()),
                    evidence=Evidence("symptom", fired[index], symptom.label),
                    confidence=symptom.confidence,
                    scope=symptom.scope,
                )
            )
            # Context complaints add their expert words at the context share (see ``_credit``).
            term_weight = SYMPTOM_TERM_WEIGHT * (
                SECONDARY_SYMPTOM_SCALE if symptom.confidence <= CONTEXT_CONFIDENCE else 1.0
            )
            for term in symptom.terms:
                analysis.add_expansion(self.knowledge.variant_to_canonical.get(term, term), term_weight)
        return firings

    # -- records ----------------------------------------------------------------------------------
    def resolve_skill(self, skill: str) -> tuple[str, ...]:
        """Map a listed skill (a taxonomy code, a skill name, an alias or a synonym) to taxonomy codes."""
        knowledge = self.knowledge
        if skill in knowledge.skill_domain:
            return (skill,)
        term = normalise_term(skill, knowledge.traditional)
        code = knowledge.skill_terms.get(term)
        if code is not None:
            return (code,)
        canonical = knowledge.variant_to_canonical.get(term)
        if canonical is not None and knowledge.canonical_skills.get(canonical):
            return knowledge.canonical_skills[canonical]
        return ()

    def analyze_skill(self, skill: str) -> tuple[tuple[str, ...], TextAnalysis]:
        """Evidence of one listed skill, cached: the same few thousand skill strings recur across
        100,000 profiles, and re-segmenting them dominated the build time."""
        cached = self._skill_cache.get(skill)
        if cached is not None:
            return cached
        knowledge = self.knowledge
        codes = self.resolve_skill(skill)
        analysis = TextAnalysis()
        for code in codes:
            analysis.add_concept(code, 1.0, Evidence("listed", skill, knowledge.skill_label.get(code, code)))
        if skill in knowledge.skill_domain:
            # A bare code carries no words of its own; its taxonomy name stands in for them.
            label = normalise_term(knowledge.skill_label.get(skill, skill))
            for token in self.tokens(label):
                analysis.add_term(token, SKILL_FIELD_BOOST)
        elif codes:
            for token in self.tokens(normalise(skill, knowledge.traditional)):
                analysis.add_term(token, SKILL_FIELD_BOOST)
        else:
            analysis.merge(self.analyze_text(skill, concept_weight=0.9), term_scale=SKILL_FIELD_BOOST)
        if len(self._skill_cache) > SKILL_CACHE_SIZE:
            self._skill_cache.clear()
        self._skill_cache[skill] = (codes, analysis)
        return codes, analysis

    def analyze_supplier(self, supplier: Supplier) -> TextAnalysis:
        """Profile evidence: listed skills count fully, prose and symptoms a little less."""
        analysis = TextAnalysis()
        for skill in supplier.skills:
            _codes, skill_analysis = self.analyze_skill(skill)
            analysis.merge(skill_analysis)
        prose = "。".join(part for part in (supplier.title, supplier.org, supplier.description) if part)
        analysis.merge(
            self.analyze_text(
                prose, concept_weight=SUPPLIER_TEXT_WEIGHT, clauses=True, symptom_scale=SUPPLIER_SYMPTOM_SCALE
            )
        )
        return analysis

    def supplier_bigrams(self, supplier: Supplier) -> dict[str, float]:
        """The profile's character bigrams: title, organisation, listed skills and description."""
        return self.bigrams(
            " ".join([supplier.title, supplier.org, " ".join(supplier.skills), supplier.description])
        )

    def analyze_demand(self, demand: Demand) -> TextAnalysis:
        """Demand evidence: title and description, plus the skills its category leans to."""
        analysis = self.analyze_text(f"{demand.title}。{demand.description}", demand=True)
        rule = self.knowledge.categories.get(demand.category)
        if rule is not None:
            for code, weight in rule.skills.items():
                analysis.add_concept(code, weight, Evidence("category", demand.category))
        return analysis

    def region_path(self, region: str) -> list[str]:
        """The region and its ancestors, most specific first ("杜桥" -> 杜桥, 临海, 台州, 浙江)."""
        cached = self._region_cache.get(region)
        if cached is None:
            cached = self._region_path(region)
            if len(self._region_cache) < SKILL_CACHE_SIZE:
                self._region_cache[region] = cached
        return list(cached)

    def _region_path(self, region: str) -> list[str]:
        regions = self.knowledge.regions
        place = normalise_term(region or "", self.knowledge.traditional)
        # Profiles write "浙江临海", "临海市杜桥镇": take the most specific known place named in the text.
        place = place_name(place)
        if place not in regions:
            named = [known for known in regions if known in place]
            depth = {known: len(self._ancestors(known)) for known in named}
            place = max(named, key=lambda known: (depth[known], known)) if named else place
        return self._ancestors(place) if place else []

    def _ancestors(self, place: str) -> list[str]:
        path = [place]
        regions = self.knowledge.regions
        while place in regions and regions[place] != place and len(path) < 8:
            place = regions[place]
            path.append(place)
        return path


QUOTE_MAX_CHARS = 14


def _quote(sentence: str, parts: tuple[str, ...]) -> str:
    """The owner's own words that fired a trigger: the comma-separated clause that holds them all when
    it is short ("镜片膜层脱落"), else the stretch from the first part to the last, else the parts."""
    starts = [sentence.find(part) for part in parts]
    if min(starts) < 0:
        return "…".join(parts)
    begin = min(starts)
    end = max(start + len(part) for start, part in zip(starts, parts, strict=True))
    clause_start = max(sentence.rfind(mark, 0, begin) for mark in _CLAUSE_MARKS) + 1
    ends = [position for position in (sentence.find(mark, end) for mark in _CLAUSE_MARKS) if position >= 0]
    clause = sentence[clause_start : min(ends) if ends else len(sentence)].strip(" ")
    if len(clause) <= QUOTE_MAX_CHARS:
        return clause
    span = sentence[begin:end].strip(" ,，、")
    return span if len(span) <= QUOTE_MAX_CHARS else "…".join(parts)


_CLAUSE_MARKS = (",", "，", "、", " ")
