"""The allow-list of records a task's output may link to, each with a permission-aware resolver.

An output is counted from the record it links to, never typed in. Each kind says which model it links,
which of those records a user may link (``candidates``: what the user may see in that app, narrowed to
records that are a result — a demand marked solved, a challenge with a winner …), how to name and open a
record, and whether a given viewer may open it (``visible``, from the owning app's own ``visible_to``).
A viewer who may not see a record still sees that it exists (the figure and its drill-down agree), but
not what it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DECLARED = "declared"


@dataclass(frozen=True)
class LinkKind:
    key: str
    label: str | Promise
    model_label: str  # "app_label.Model"
    #: Records of this kind that count as a result (whoever looks).
    results: Callable[[QuerySet[Any]], QuerySet[Any]]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    #: Fields a typed name is looked up in (the record picker).
    search: tuple[str, ...] = ()

    @property
    def model(self) -> Any:
        return apps.get_model(self.model_label)

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.model)

    def visible(self, user: Any) -> QuerySet[Any]:
        """The records of this kind the user may open (the owning app's rule)."""
        records: QuerySet[Any] = self.model.objects.visible_to(user)
        return records

    def candidates(self, user: Any) -> QuerySet[Any]:
        """What the user may link: results they may see."""
        return self.results(self.visible(user))

    def match(self, queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
        typed = query.strip()
        if not typed:
            return queryset
        condition = Q()
        for name in self.search:
            condition |= Q(**{f"{name}__icontains": typed})
        return queryset.filter(condition)


def _demand_results(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(solved=True)


def _challenge_results(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(winner__isnull=False)


def _engagement_results(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(status__in=["active", "ended"])


def _cohort_results(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(status="completed")


def _report_results(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(status="valid")


def _brand_results(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.filter(status="active")


def _patent_results(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.exclude(patent_number="")


LINK_KINDS: dict[str, LinkKind] = {
    kind.key: kind
    for kind in (
        LinkKind(
            "demand",
            _("解决的技术需求"),
            "demands.Demand",
            _demand_results,
            lambda d: d.title,
            lambda d: reverse("demands:detail", args=[d.pk]),
            ("title",),
        ),
        LinkKind(
            "challenge",
            _("揭榜挂帅成果"),
            "demands.Challenge",
            _challenge_results,
            lambda c: c.title,
            lambda c: reverse("demands:challenge_detail", args=[c.pk]),
            ("title",),
        ),
        LinkKind(
            "engagement",
            _("人才共享服务"),
            "sharing.Agreement",
            _engagement_results,
            lambda a: f"{a.number} · {a.talent}",
            lambda a: reverse("sharing:agreement_detail", args=[a.pk]),
            ("number", "talent__name"),
        ),
        LinkKind(
            "cohort",
            _("工匠学院培训班"),
            "academy.Cohort",
            _cohort_results,
            lambda c: f"{c.name}",
            lambda c: reverse("academy:cohort_detail", args=[c.pk]),
            ("name", "course__title"),
        ),
        LinkKind(
            "lab_report",
            _("检测报告"),
            "lab.Report",
            _report_results,
            lambda r: f"{r.display_number} · {r.product_name}",
            lambda r: reverse("lab:report_detail", args=[r.pk]),
            ("number", "product_name"),
        ),
        LinkKind(
            "brand",
            _("区域品牌授权"),
            "lab.BrandAuthorisation",
            _brand_results,
            lambda b: f"{b.number} · {b.product_line}",
            lambda b: reverse("lab:brand_detail", args=[b.pk]),
            ("number", "product_line__name"),
        ),
        LinkKind(
            "patent",
            _("专利"),
            "sharing.Outcome",
            _patent_results,
            lambda o: gettext("专利申请号 %(n)s") % {"n": o.patent_number},
            lambda o: reverse("sharing:agreement_detail", args=[o.agreement_id]),
            ("patent_number",),
        ),
    )
}


def kind_label(key: str) -> str:
    if key == DECLARED:
        return str(_("自主申报成果"))
    kind = LINK_KINDS.get(key)
    return str(kind.label) if kind else key


def kind_choices() -> list[tuple[str, str]]:
    return [(key, str(kind.label)) for key, kind in LINK_KINDS.items()] + [(DECLARED, kind_label(DECLARED))]


@dataclass
class Resolved:
    """What a viewer is shown of one output's record."""

    title: str
    url: str
    visible: bool


def resolve(user: Any, outputs: Iterable[Any]) -> dict[int, Resolved]:
    """Name and link each output's record for ``user``: one query per kind present.

    Declared outputs show their own title; a linked record the viewer may not open shows only its kind.
    """
    outputs = list(outputs)
    by_kind: dict[str, set[int]] = {}
    for output in outputs:
        if output.kind != DECLARED and output.object_id is not None:
            by_kind.setdefault(output.kind, set()).add(output.object_id)
    records: dict[tuple[str, int], Any] = {}
    for key, ids in by_kind.items():
        kind = LINK_KINDS.get(key)
        if kind is None:
            continue
        for record in kind.visible(user).filter(pk__in=ids):
            records[(key, record.pk)] = record
    resolved: dict[int, Resolved] = {}
    for output in outputs:
        if output.kind == DECLARED:
            resolved[output.pk] = Resolved(output.title, "", True)
            continue
        record = records.get((output.kind, output.object_id or 0))
        if record is None:
            resolved[output.pk] = Resolved(
                gettext("%(kind)s(您无权查看详情)") % {"kind": kind_label(output.kind)}, "", False
            )
        else:
            kind = LINK_KINDS[output.kind]
            resolved[output.pk] = Resolved(kind.title(record), kind.url(record), True)
    return resolved
