"""Agreements as data: loading, schema and semantic validation, and the norm for a post, level and month.

An agreement file holds one industry agreement (parties, region, posts grouped in classes, piece-
rate processes) and its successive *terms* (usually one a year), each with its dates, its table of
monthly minimum wages per post class × skill level (or of skill allowances), its annual increase,
overtime base and piece rates. Validation reports every problem in one pass — floors below the
percentage of the statutory minimum that 人社厅发〔2025〕52号 asks for, levels that do not step up,
unknown posts, classes or levels, overlapping terms — because the union revising a draft should
see all of them at once.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jingxiang.wages.amounts import (
    CONTEXT,
    HUNDRED,
    add_months,
    last_day_of_month,
    money,
    month_text,
    months_between,
    parse_date,
    plain,
    round_fen,
)
from jingxiang.wages.loading import parse_yaml, schema_problems
from jingxiang.wages.model import WARNING, AgreementInvalidError, NormUnavailableError, Problem
from jingxiang.wages.reference import Level, PostClass, find_level, find_post_class, reference
from jingxiang.wages.statutory import (
    StatutoryPeriod,
    StatutoryTable,
    builtin_statutory,
    builtin_statutory_ids,
)

FORMAT = "jingxiang-wage-agreement/1"
MINIMUM_WAGE = "minimum_wage"
SKILL_ALLOWANCE = "skill_allowance"
# 《集体合同规定》 Art.38: a collective contract "一般" runs 1–3 years (U: recalled, not read here).
LONGEST_USUAL_TERM_MONTHS = 36
_SPACES = re.compile(r"[\s_\-/()\uff08\uff09]+")


def _key(text: str) -> str:
    return _SPACES.sub("", text).casefold()


@dataclass(frozen=True)
class Post:
    id: str
    name_zh: str
    name_en: str
    post_class: PostClass

    def __str__(self) -> str:
        return self.name_zh


@dataclass(frozen=True)
class Process:
    """A piece-rate process (工序), paid by the unit, optionally with the agreed hourly quota."""

    id: str
    name_zh: str
    unit: str
    post_id: str | None = None
    quota_per_hour: Decimal | None = None


@dataclass(frozen=True)
class Overtime:
    """How overtime is paid: on which monthly base, converted to an hour how, at which percentages."""

    basis: str
    days_per_month: Decimal
    hours_per_day: Decimal
    weekday_percent: Decimal
    rest_day_percent: Decimal
    holiday_percent: Decimal

    hours_per_month: Decimal = field(init=False)

    def __post_init__(self) -> None:
        # Read on every row with overtime: computed once.
        object.__setattr__(self, "hours_per_month", self.days_per_month * self.hours_per_day)

    def percent(self, kind: str) -> Decimal:
        return {
            "weekday": self.weekday_percent,
            "rest_day": self.rest_day_percent,
            "holiday": self.holiday_percent,
        }[kind]


@dataclass(frozen=True)
class Term:
    """One term of the agreement: its dates and tables (amounts keyed by class code, then level rank)."""

    id: str
    effective_from: datetime.date
    expires_on: datetime.date
    form: str
    table: Mapping[str, Mapping[int, Decimal]]
    allowance_by_class: bool
    annual_increase_percent: Decimal
    overtime: Overtime
    piece_rates: Mapping[str, Decimal]
    note: str = ""

    def covers(self, month: datetime.date) -> bool:
        return self.effective_from <= month <= self.expires_on

    def year_index(self, month: datetime.date) -> int:
        """0 in the term's first twelve months, 1 in the next twelve, …: the annual increase steps."""
        return months_between(self.effective_from, month) // 12

    def increase_factor(self, year: int) -> Decimal:
        return (1 + self.annual_increase_percent / HUNDRED) ** year if year else Decimal(1)

    def amount(self, class_code: str, rank: int, year: int) -> Decimal:
        """The table amount in the term's ``year``, raised by the annual increase and rounded to the fen."""
        base = self.table[class_code][rank]
        if not year or not self.annual_increase_percent:
            return base
        return round_fen(CONTEXT.multiply(base, self.increase_factor(year)))

    @property
    def months(self) -> int:
        return months_between(self.effective_from, self.expires_on) + 1


@dataclass(frozen=True)
class Norm:
    """What the agreement requires for one post, certified level and month."""

    agreement_id: str
    term_id: str
    month: datetime.date
    post: Post
    certified_level: Level
    applied_level: Level
    form: str
    year_index: int
    table_amount: Decimal
    amount: Decimal
    allowance: Decimal | None
    statutory_minimum: Decimal
    statutory_source: str
    region: str
    tier: int
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "agreement": self.agreement_id,
            "term": self.term_id,
            "month": month_text(self.month),
            "post": {"id": self.post.id, "name_zh": self.post.name_zh, "name_en": self.post.name_en},
            "post_class": {
                "code": self.post.post_class.code,
                "name_zh": self.post.post_class.name_zh,
                "floor_percent": plain(self.post.post_class.floor_percent),
            },
            "certified_level": self.certified_level.name_zh,
            "applied_level": self.applied_level.name_zh,
            "form": self.form,
            "year_of_term": self.year_index + 1,
            "table_amount": money(self.table_amount),
            "norm": money(self.amount),
            "skill_allowance": None if self.allowance is None else money(self.allowance),
            "statutory_minimum": money(self.statutory_minimum),
            "statutory_source": self.statutory_source,
            "region": self.region,
            "tier": self.tier,
            "notes": list(self.notes),
        }


class Agreement:
    """A validated agreement; build it with :func:`load_agreement_text` (or ``load_agreement_file``)."""

    def __init__(
        self,
        *,
        id: str,
        title_zh: str,
        title_en: str,
        region: str,
        region_tier: int,
        statutory: StatutoryTable,
        posts: Sequence[Post],
        processes: Sequence[Process],
        terms: Sequence[Term],
        covered_workers: int | None,
        parties: Mapping[str, Any],
        warnings: Sequence[Problem] = (),
        source: str = "",
    ) -> None:
        self.id = id
        self.title_zh = title_zh
        self.title_en = title_en
        self.region = region
        self.region_tier = region_tier
        self.statutory = statutory
        self.posts = tuple(posts)
        self.processes = tuple(processes)
        self.terms = tuple(sorted(terms, key=lambda term: term.effective_from))
        self.covered_workers = covered_workers
        self.parties = dict(parties)
        self.warnings = tuple(warnings)
        self.source = source
        self._posts = _index(self.posts, lambda post: (post.id, post.name_zh, post.name_en))
        self._processes = _index(self.processes, lambda process: (process.id, process.name_zh))
        self._norms: dict[tuple[str, str, int, datetime.date, int], Norm] = {}

    def find_post(self, text: str) -> Post | None:
        """A post by its id, Chinese or English name (spaces, case and dashes ignored)."""
        return self._posts.get(_key(text))

    def find_process(self, text: str) -> Process | None:
        return self._processes.get(_key(text))

    def term_for(self, month: datetime.date) -> Term | None:
        for term in self.terms:
            if term.covers(month):
                return term
        return None

    def coverage_text(self) -> str:
        return ", ".join(
            f"{month_text(term.effective_from)}…{month_text(term.expires_on)}" for term in self.terms
        )

    def resolve_tier(self, region: str | int | None) -> tuple[str, int]:
        """``(region name, tier)`` for a region name or tier number; ``None`` means the agreement's own region.

        Raises :class:`NormUnavailableError` for a region the agreement does not cover: its norms were
        negotiated for its own region and tier only.
        """
        if region is None or str(region).strip() in {"", self.region, str(self.region_tier)}:
            return self.region, self.region_tier
        text = str(region).strip()
        known = self.statutory.tier_of(text)
        described = f"{text} (tier {known.tier})" if known else text
        raise NormUnavailableError(
            [
                Problem(
                    "region",
                    f"agreement {self.id} covers {self.region} (tier {self.region_tier}) only, not {described}; "
                    "outside it only the statutory minimum applies",
                    "region_not_covered",
                )
            ]
        )

    def statutory_minimum(self, month: datetime.date, tier: int) -> tuple[Decimal, StatutoryPeriod]:
        period = self.statutory.period_for(month)
        if period is None or tier not in period.monthly:
            raise NormUnavailableError(
                [
                    Problem(
                        "month",
                        f"the statutory table {self.statutory.id} has no tier-{tier} minimum in force in "
                        f"{month_text(month)}",
                        "no_statutory_minimum",
                    )
                ]
            )
        return period.monthly[tier], period

    def norm(self, post: Post, level: Level, month: datetime.date, tier: int | None = None) -> Norm:
        """The norm for a worker of ``level`` in ``post`` in ``month``; cached, since files repeat combinations.

        A level below the lowest the post class admits gets that lowest level's norm (the class floor
        is the floor of every worker in the post); one above the highest listed gets the highest.
        Both are noted on the result. Raises :class:`NormUnavailableError` for a month outside every term.
        """
        tier = self.region_tier if tier is None else tier
        cache_key = (post.id, post.post_class.code, level.rank, month, tier)
        cached = self._norms.get(cache_key)
        if cached is not None:
            return cached
        term = self.term_for(month)
        if term is None:
            raise NormUnavailableError(
                [
                    Problem(
                        "month",
                        f"{month_text(month)} is outside every term of agreement {self.id} "
                        f"(terms: {self.coverage_text()})",
                        "month_outside_agreement",
                    )
                ]
            )
        statutory, period = self.statutory_minimum(month, tier)
        ranks = sorted(term.table[post.post_class.code])
        levels = reference().levels
        notes: list[str] = []
        applied_rank = level.rank
        if level.rank < ranks[0]:
            applied_rank = ranks[0]
            notes.append(
                f"certified level {level.name_zh} is below the lowest level of {post.post_class.name_zh} "
                f"({levels[ranks[0]].name_zh}); that level's norm applies to the post"
            )
        elif level.rank > ranks[-1]:
            applied_rank = ranks[-1]
            notes.append(
                f"the agreement lists {post.post_class.name_zh} up to {levels[ranks[-1]].name_zh}; "
                f"that norm applies to {level.name_zh}"
            )
        year = term.year_index(month)
        amount = term.amount(post.post_class.code, applied_rank, year)
        if year and term.annual_increase_percent:
            notes.append(
                f"year {year + 1} of term {term.id}: table amount raised by "
                f"{plain(term.annual_increase_percent)} % a year ({year}×)"
            )
        allowance = None
        if term.form == SKILL_ALLOWANCE:
            allowance = amount
            total = statutory + allowance
        else:
            total = amount
        if self.statutory.last_reviewed is not None and month > self.statutory.last_reviewed:
            notes.append(
                f"the statutory table was last reviewed on {self.statutory.last_reviewed.isoformat()}; "
                "a newer minimum may apply to this month"
            )
        if period.certainty == "U":
            notes.append(f"the statutory minimum of this period is unverified (U): {period.source}")
        norm = Norm(
            agreement_id=self.id,
            term_id=term.id,
            month=month,
            post=post,
            certified_level=level,
            applied_level=levels[applied_rank],
            form=term.form,
            year_index=year,
            table_amount=term.table[post.post_class.code][applied_rank],
            amount=total,
            allowance=allowance,
            statutory_minimum=statutory,
            statutory_source=period.source,
            region=self.region,
            tier=tier,
            notes=tuple(notes),
        )
        self._norms[cache_key] = norm
        return norm


def _index(items: Sequence[Any], names: Callable[[Any], tuple[str, ...]]) -> dict[str, Any]:
    index: dict[str, Any] = {}
    for item in items:
        for name in names(item):
            if name:
                index.setdefault(_key(name), item)
    return index


# ---------------------------------------------------------------------------------------------
# Loading


def validate_agreement_text(
    text: str, source: str = "<upload>", statutory: StatutoryTable | None = None
) -> list[Problem]:
    """Every problem of an agreement (errors and warnings); no error means it can be used."""
    _, problems = _load(text, source, statutory)
    return problems


def load_agreement_text(
    text: str, source: str = "<upload>", statutory: StatutoryTable | None = None
) -> Agreement:
    """Load an agreement or raise :class:`AgreementInvalidError` with every error (warnings kept on it).

    ``statutory`` replaces the built-in table the agreement names (``agreement.statutory_minimum``).
    """
    agreement, problems = _load(text, source, statutory)
    errors = [problem for problem in problems if problem.is_error]
    if errors or agreement is None:
        raise AgreementInvalidError(errors)
    return agreement


def _load(text: str, source: str, statutory: StatutoryTable | None) -> tuple[Agreement | None, list[Problem]]:
    data, problems = parse_yaml(text, "an agreement")
    if data is None:
        return None, problems
    problems = schema_problems(data, "agreement.schema.json")
    if problems:
        return None, problems
    return _Builder(data, source, statutory).build()


class _Builder:
    """Turns schema-valid data into an :class:`Agreement`, collecting every semantic problem on the way."""

    def __init__(self, data: dict[str, Any], source: str, statutory: StatutoryTable | None) -> None:
        self.data = data
        self.source = source
        self.statutory = statutory
        self.problems: list[Problem] = []

    def error(self, path: str, message: str, code: str) -> None:
        self.problems.append(Problem(path, message, code))

    def warn(self, path: str, message: str, code: str) -> None:
        self.problems.append(Problem(path, message, code, WARNING))

    def build(self) -> tuple[Agreement | None, list[Problem]]:
        head = self.data["agreement"]
        statutory = self.statutory or builtin_statutory(head["statutory_minimum"])
        if statutory is None:
            self.error(
                "/agreement/statutory_minimum",
                f"unknown statutory minimum-wage table {head['statutory_minimum']!r}; built in: "
                f"{', '.join(builtin_statutory_ids())} (or pass a table file)",
                "unknown_statutory_table",
            )
        elif head["region_tier"] not in statutory.tiers():
            self.error(
                "/agreement/region_tier",
                f"tier {head['region_tier']} is not in the statutory table {statutory.id} "
                f"(tiers {', '.join(map(str, sorted(statutory.tiers())))})",
                "unknown_tier",
            )
        elif (listed := statutory.tier_of(head["region"])) is not None and listed.tier != head["region_tier"]:
            self.error(
                "/agreement/region_tier",
                f"the statutory table puts {head['region']} in tier {listed.tier}, the agreement says "
                f"{head['region_tier']}",
                "tier_mismatch",
            )
        posts = self._posts()
        processes = self._processes(posts)
        terms = [
            term
            for index, raw in enumerate(self.data["terms"])
            if (term := self._term(index, raw, posts, processes))
        ]
        self._overlaps(terms)
        if statutory is not None and not any(
            problem.path.startswith("/agreement/region") for problem in self.problems
        ):
            for index, term in enumerate(terms):
                self._floors(index, term, statutory, head["region_tier"], posts)
        self._piece_quotas(terms, posts, processes)
        self._terms_compared(terms)
        if any(problem.is_error for problem in self.problems) or statutory is None:
            return None, self.problems
        agreement = Agreement(
            id=head["id"],
            title_zh=head["title_zh"],
            title_en=head.get("title_en", ""),
            region=head["region"].strip(),
            region_tier=head["region_tier"],
            statutory=statutory,
            posts=list(posts.values()),
            processes=list(processes.values()),
            terms=terms,
            covered_workers=head.get("covered_workers"),
            parties=head.get("parties", {}),
            warnings=self.problems,
            source=self.source,
        )
        return agreement, self.problems

    # -- posts and processes ------------------------------------------------------------------

    def _posts(self) -> dict[str, Post]:
        posts: dict[str, Post] = {}
        seen_names: dict[str, str] = {}
        for index, raw in enumerate(self.data["posts"]):
            path = f"/posts/{index}"
            post_class = find_post_class(raw["class"])
            if post_class is None:
                names = ", ".join(f"{item.code} ({item.name_zh})" for item in reference().post_classes)
                self.error(
                    f"{path}/class",
                    f"unknown post class {raw['class']!r}; use one of {names}",
                    "unknown_class",
                )
            if raw["id"] in posts:
                self.error(f"{path}/id", f"post id {raw['id']!r} is used twice", "duplicate_post")
            for name in (raw["name_zh"], raw.get("name_en", "")):
                if name and _key(name) in seen_names and seen_names[_key(name)] != raw["id"]:
                    self.error(
                        path,
                        f"post name {name!r} is also used by post {seen_names[_key(name)]!r}",
                        "duplicate_post",
                    )
                elif name:
                    seen_names[_key(name)] = raw["id"]
            if post_class is not None and raw["id"] not in posts:
                posts[raw["id"]] = Post(
                    raw["id"], raw["name_zh"].strip(), raw.get("name_en", "").strip(), post_class
                )
        return posts

    def _processes(self, posts: Mapping[str, Post]) -> dict[str, Process]:
        processes: dict[str, Process] = {}
        for index, raw in enumerate(self.data.get("processes", [])):
            path = f"/processes/{index}"
            if raw["id"] in processes:
                self.error(f"{path}/id", f"process id {raw['id']!r} is used twice", "duplicate_process")
                continue
            post_id = raw.get("post")
            if post_id is not None and post_id not in posts:
                self.error(f"{path}/post", f"unknown post {post_id!r}", "unknown_post")
            quota = raw.get("quota_per_hour")
            processes[raw["id"]] = Process(
                raw["id"],
                raw["name_zh"].strip(),
                raw["unit"],
                post_id,
                None if quota is None else Decimal(quota),
            )
        return processes

    # -- one term -------------------------------------------------------------------------------

    def _term(
        self, index: int, raw: Mapping[str, Any], posts: Mapping[str, Post], processes: Mapping[str, Process]
    ) -> Term | None:
        path = f"/terms/{index}"
        ok = True
        start = end = None
        try:
            start = parse_date(raw["effective_from"])
            if start.day != 1:
                self.error(
                    f"{path}/effective_from",
                    f"{start.isoformat()} is not the first day of a month: wages are checked by month",
                    "not_month_start",
                )
        except ValueError as error:
            self.error(f"{path}/effective_from", str(error), "date")
        try:
            end = parse_date(raw["expires_on"])
            if end != last_day_of_month(end):
                self.error(
                    f"{path}/expires_on",
                    f"{end.isoformat()} is not the last day of a month: wages are checked by month",
                    "not_month_end",
                )
        except ValueError as error:
            self.error(f"{path}/expires_on", str(error), "date")
        if start is None or end is None:
            return None
        if end < start:
            self.error(
                f"{path}/expires_on",
                f"expires on {end.isoformat()}, before it takes effect",
                "dates_reversed",
            )
            return None
        overtime = self._overtime(f"{path}/overtime", raw["overtime"])
        form = raw["form"]
        by_class = True
        if form == MINIMUM_WAGE:
            table = self._class_table(f"{path}/minimum_wage", raw["minimum_wage"])
        else:
            table, by_class = self._allowance_table(f"{path}/skill_allowance", raw["skill_allowance"], posts)
        if table is None:
            ok = False
        else:
            self._levels_step_up(path, form, table, by_class)
            used = {post.post_class.code for post in posts.values()}
            for code in sorted(used - set(table), key=_class_rank):
                names = ", ".join(post.name_zh for post in posts.values() if post.post_class.code == code)
                self.error(
                    f"{path}/{form}",
                    f"no amounts for post class {_class_name(code)}, which posts {names} belong to",
                    "class_missing",
                )
                ok = False
            for code in sorted(set(table) - used, key=_class_rank):
                self.warn(f"{path}/{form}/{code}", f"no post belongs to {_class_name(code)}", "class_unused")
        piece_rates: dict[str, Decimal] = {}
        for name, rate in raw.get("piece_rates", {}).items():
            if name in processes:
                piece_rates[name] = Decimal(rate)
            else:
                self.error(f"{path}/piece_rates/{name}", f"unknown process {name!r}", "unknown_process")
                ok = False
        increase = Decimal(raw.get("annual_increase_percent", 0))
        months = months_between(start, end) + 1
        if months > LONGEST_USUAL_TERM_MONTHS:
            self.warn(
                path,
                f"a term of {months} months: collective contracts usually run 1–3 years (《集体合同规定》)",
                "long_term",
            )
        if months > 12 and not increase:
            self.warn(
                f"{path}/annual_increase_percent",
                f"a term of {months} months without an annual increase: the norms stay flat after the first year",
                "no_annual_increase",
            )
        if overtime is None or not ok or table is None:
            return None
        return Term(
            id=str(raw["id"]),
            effective_from=start,
            expires_on=end,
            form=form,
            table=table,
            allowance_by_class=by_class,
            annual_increase_percent=increase,
            overtime=overtime,
            piece_rates=piece_rates,
            note=raw.get("note", ""),
        )

    def _overtime(self, path: str, raw: Mapping[str, Any]) -> Overtime | None:
        ref = reference()
        days = Decimal(raw.get("days_per_month", ref.days_per_month))
        hours = Decimal(raw.get("hours_per_day", ref.hours_per_day))
        ok = True
        # A longer month or day than the statutory conversion lowers the hourly base: refused.
        if days > ref.days_per_month:
            self.error(
                f"{path}/days_per_month",
                f"{plain(days)} days a month lowers the hourly base below {ref.conversion_source} "
                f"(monthly wage ÷ {plain(ref.days_per_month)} ÷ {plain(ref.hours_per_day)})",
                "conversion",
            )
            ok = False
        if hours > ref.hours_per_day:
            self.error(
                f"{path}/hours_per_day",
                f"{plain(hours)} hours a day lowers the hourly base below {ref.conversion_source}",
                "conversion",
            )
            ok = False
        percents = {}
        for kind, minimum in ref.overtime_minimum_percent.items():
            value = Decimal(raw.get(f"{kind}_percent", minimum))
            if value < minimum:
                self.error(
                    f"{path}/{kind}_percent",
                    f"{plain(value)} % is below the statutory {plain(minimum)} % (劳动法 Art.44)",
                    "overtime_below_statute",
                )
                ok = False
            percents[kind] = value
        if not ok:
            return None
        return Overtime(
            raw["basis"], days, hours, percents["weekday"], percents["rest_day"], percents["holiday"]
        )

    def _class_table(self, path: str, raw: Mapping[str, Any]) -> dict[str, dict[int, Decimal]] | None:
        table: dict[str, dict[int, Decimal]] = {}
        ok = True
        for class_name, levels in raw.items():
            post_class = find_post_class(class_name)
            if post_class is None:
                self.error(f"{path}/{class_name}", f"unknown post class {class_name!r}", "unknown_class")
                ok = False
                continue
            if post_class.code in table:
                self.error(f"{path}/{class_name}", f"{post_class.name_zh} is given twice", "duplicate_class")
                ok = False
                continue
            amounts = self._level_amounts(f"{path}/{class_name}", levels)
            if amounts is None:
                ok = False
                continue
            table[post_class.code] = amounts
        return table if ok else None

    def _allowance_table(
        self, path: str, raw: Mapping[str, Any], posts: Mapping[str, Post]
    ) -> tuple[dict[str, dict[int, Decimal]] | None, bool]:
        per_class = [key for key, value in raw.items() if isinstance(value, Mapping)]
        if per_class and len(per_class) != len(raw):
            self.error(
                path, "give the allowance either per level, or per post class and level, not both", "mixed"
            )
            return None, True
        if per_class:
            return self._class_table(path, raw), True
        amounts = self._level_amounts(path, raw)
        if amounts is None:
            return None, False
        self.warn(
            path,
            "one allowance per level for every post class: 人社厅发〔2025〕52号 has allowances rise class by "
            "class (逐类增加) as well",
            "allowance_not_by_class",
        )
        used = {post.post_class.code for post in posts.values()}
        return {code: dict(amounts) for code in used}, False

    def _level_amounts(self, path: str, raw: Mapping[str, Any]) -> dict[int, Decimal] | None:
        amounts: dict[int, Decimal] = {}
        ok = True
        for name, amount in raw.items():
            level = find_level(str(name))
            if level is None:
                self.error(
                    f"{path}/{name}",
                    f"unknown skill level {name!r}; the levels are {', '.join(item.name_zh for item in reference().levels)}",
                    "unknown_level",
                )
                ok = False
            elif level.rank in amounts:
                self.error(f"{path}/{name}", f"{level.name_zh} is given twice", "duplicate_level")
                ok = False
            elif Decimal(amount) != round_fen(Decimal(amount)):
                self.error(f"{path}/{name}", f"{amount} has more than two decimals (fen)", "precision")
                ok = False
            else:
                amounts[level.rank] = Decimal(amount)
        if not ok:
            return None
        ranks = sorted(amounts)
        levels = reference().levels
        missing = [levels[rank].name_zh for rank in range(ranks[0], ranks[-1] + 1) if rank not in amounts]
        if missing:
            self.error(
                path,
                f"levels {', '.join(missing)} are missing between {levels[ranks[0]].name_zh} and "
                f"{levels[ranks[-1]].name_zh}: list every level from the lowest the class admits up",
                "level_gap",
            )
            return None
        return amounts

    def _levels_step_up(
        self, path: str, form: str, table: Mapping[str, Mapping[int, Decimal]], by_class: bool
    ) -> None:
        """Within a class each level must be above the one below (52号: 逐级上浮 / 逐级增加)."""
        levels = reference().levels
        for code in sorted(table, key=_class_rank):
            amounts = table[code]
            ranks = sorted(amounts)
            for lower, higher in itertools.pairwise(ranks):
                where = f"{path}/{form}/{code if by_class else ''}".rstrip("/") + f"/{levels[higher].name_zh}"
                if amounts[higher] < amounts[lower]:
                    self.error(
                        where,
                        f"{_class_name(code)}: {levels[higher].name_zh} {money(amounts[higher])} is below "
                        f"{levels[lower].name_zh} {money(amounts[lower])}",
                        "level_decreases",
                    )
                elif amounts[higher] == amounts[lower]:
                    self.error(
                        where,
                        f"{_class_name(code)}: {levels[higher].name_zh} equals {levels[lower].name_zh} "
                        f"({money(amounts[lower])}); each higher level must step up (人社厅发〔2025〕52号: 逐级上浮)",
                        "level_no_step",
                    )
            if not by_class:
                break
        if not by_class:
            return
        # Across classes at one level: required for allowances (逐类增加); for minimum wages the
        # guideline only raises the class floors, so a lower amount in a higher class is a warning.
        codes = sorted(table, key=_class_rank)
        for lower_code, higher_code in itertools.pairwise(codes):
            for rank in sorted(set(table[lower_code]) & set(table[higher_code])):
                low, high = table[lower_code][rank], table[higher_code][rank]
                where = f"{path}/{form}/{higher_code}/{levels[rank].name_zh}"
                if form == SKILL_ALLOWANCE and high <= low:
                    self.error(
                        where,
                        f"{levels[rank].name_zh}: allowance in {_class_name(higher_code)} {money(high)} is not above "
                        f"{_class_name(lower_code)} {money(low)} (人社厅发〔2025〕52号: 逐类增加)",
                        "class_no_step",
                    )
                elif form == MINIMUM_WAGE and high < low:
                    self.warn(
                        where,
                        f"{levels[rank].name_zh}: {_class_name(higher_code)} {money(high)} is below "
                        f"{_class_name(lower_code)} {money(low)}",
                        "class_decreases",
                    )

    # -- across terms ---------------------------------------------------------------------------

    def _overlaps(self, terms: Sequence[Term]) -> None:
        ids: dict[str, int] = {}
        for index, term in enumerate(terms):
            if term.id in ids:
                self.error(f"/terms/{index}/id", f"term id {term.id!r} is used twice", "duplicate_term")
            ids[term.id] = index
        ordered = sorted(enumerate(terms), key=lambda pair: pair[1].effective_from)
        for (_, first), (index, second) in itertools.pairwise(ordered):
            if second.effective_from <= first.expires_on:
                self.error(
                    f"/terms/{index}",
                    f"term {second.id} ({second.effective_from.isoformat()}…{second.expires_on.isoformat()}) "
                    f"overlaps term {first.id} ({first.effective_from.isoformat()}…{first.expires_on.isoformat()})",
                    "overlapping_terms",
                )

    def _floors(
        self, index: int, term: Term, statutory: StatutoryTable, tier: int, posts: Mapping[str, Post]
    ) -> None:
        """Each amount of each year of the term against the statutory minimum of every period it spans.

        The class floor (105/120/150/200 %) binds terms that take effect on or after the guideline was
        issued; earlier terms get warnings. Below 100 % is always an error: that is the law itself.
        """
        path = f"/terms/{index}"
        ref = reference()
        binding = term.effective_from >= ref.guideline_issued
        for year in range((term.months + 11) // 12):
            year_start = add_months(term.effective_from, 12 * year)
            year_end = min(add_months(year_start, 11), term.expires_on.replace(day=1))
            for first_month, period in statutory.periods_within(year_start, year_end):
                if period is None or tier not in period.monthly:
                    self.error(
                        path,
                        f"term {term.id}: the statutory table {statutory.id} has no tier-{tier} minimum for "
                        f"{month_text(first_month)}",
                        "no_statutory_minimum",
                    )
                    continue
                minimum = period.monthly[tier]
                since = f"in force from {month_text(period.effective_from)}"
                for code in sorted(term.table, key=_class_rank):
                    post_class = find_post_class(code)
                    assert post_class is not None
                    for rank in sorted(term.table[code]):
                        amount = term.amount(code, rank, year)
                        level = ref.levels[rank]
                        where = f"{path}/{term.form}/{code}/{level.name_zh}"
                        if term.form == SKILL_ALLOWANCE:
                            continue
                        floor = CONTEXT.multiply(minimum, post_class.floor_percent) / HUNDRED
                        label = f"term {term.id} (year {year + 1}, from {month_text(first_month)}), {post_class.name_zh} {level.name_zh}"
                        if amount < minimum:
                            self.error(
                                where,
                                f"{label}: {money(amount)} is below the statutory minimum {money(minimum)} "
                                f"({since}; shortfall {money(minimum - amount)})",
                                "below_statutory_minimum",
                            )
                        elif amount < floor:
                            message = (
                                f"{label}: {money(amount)} is below {plain(post_class.floor_percent)} % of the statutory "
                                f"minimum {money(minimum)} ({since}) = {money(floor)} (shortfall {money(floor - amount)}; "
                                f"{ref.guideline})"
                            )
                            if binding:
                                self.error(where, message, "below_class_floor")
                            else:
                                self.warn(
                                    where,
                                    message + f"; the term predates {ref.guideline}",
                                    "below_class_floor",
                                )

    def _piece_quotas(
        self, terms: Sequence[Term], posts: Mapping[str, Post], processes: Mapping[str, Process]
    ) -> None:
        """At the agreed quota, a month of pieces should pay the post's entry norm (a warning otherwise)."""
        for index, term in enumerate(terms):
            if term.form != MINIMUM_WAGE:
                continue
            for process_id, rate in term.piece_rates.items():
                process = processes[process_id]
                post = posts.get(process.post_id or "")
                if process.quota_per_hour is None or post is None:
                    continue
                amounts = term.table.get(post.post_class.code)
                if not amounts:
                    continue
                entry = amounts[min(amounts)]
                month_pay = round_fen(rate * process.quota_per_hour * term.overtime.hours_per_month)
                if month_pay < entry:
                    self.warn(
                        f"/terms/{index}/piece_rates/{process_id}",
                        f"{process.name_zh}: {plain(rate)} 元/{process.unit} × {plain(process.quota_per_hour)} an hour × "
                        f"{plain(term.overtime.hours_per_month)} h = {money(month_pay)}, below the entry norm "
                        f"{money(entry)} of {post.name_zh}: a worker at the quota needs a top-up to reach the norm",
                        "piece_rate_below_norm",
                    )

    def _terms_compared(self, terms: Sequence[Term]) -> None:
        ordered = sorted(enumerate(terms), key=lambda pair: pair[1].effective_from)
        levels = reference().levels
        for (_, earlier), (index, later) in itertools.pairwise(ordered):
            if earlier.form != later.form:
                continue
            last_year = (earlier.months - 1) // 12
            for code in sorted(set(earlier.table) & set(later.table), key=_class_rank):
                for rank in sorted(set(earlier.table[code]) & set(later.table[code])):
                    before = earlier.amount(code, rank, last_year)
                    after = later.table[code][rank]
                    if after < before:
                        self.warn(
                            f"/terms/{index}/{later.form}/{code}/{levels[rank].name_zh}",
                            f"{_class_name(code)} {levels[rank].name_zh} falls from {money(before)} (term "
                            f"{earlier.id}) to {money(after)} (term {later.id})",
                            "norm_falls",
                        )


def _class_rank(code: str) -> int:
    post_class = find_post_class(code)
    return post_class.rank if post_class else 99


def _class_name(code: str) -> str:
    post_class = find_post_class(code)
    return post_class.name_zh if post_class else code
