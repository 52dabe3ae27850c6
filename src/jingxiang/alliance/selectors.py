"""Reads of the alliance app: the dashboard's figures, each with the URL of the records it counts.

Every figure is a count of rows that the linked list shows with the same filter, so the drill-down
always adds up to the figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingxiang.alliance.models import (
    OPEN_TASK,
    Agreement,
    Alliance,
    Domain,
    Member,
    Obligation,
    ObligationStatus,
    Output,
    Task,
    TaskStatus,
)
from jingxiang.alliance.outputs import DECLARED, LINK_KINDS, kind_label
from jingxiang.core.charts import Chart, Series
from jingxiang.core.pages import NextStep


def _url(name: str, alliance: Alliance, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(name, args=[alliance.pk]) + (f"?{query}" if query else "")


def tasks_of_year(alliance: Alliance, year: int) -> QuerySet[Any]:
    return Task.objects.filter(domain__alliance=alliance, year=year)


def task_state(queryset: QuerySet[Any], state: str, today: dt.date | None = None) -> QuerySet[Any]:
    """The three figures of a plan: planned (all but cancelled), done, overdue (open and past due)."""
    today = today or timezone.localdate()
    if state == "planned":
        return queryset.exclude(status=TaskStatus.CANCELLED)
    if state == "done":
        return queryset.filter(status=TaskStatus.DONE)
    if state == "overdue":
        return queryset.filter(status__in=OPEN_TASK, due_on__lt=today)
    return queryset


def outputs_of_year(alliance: Alliance, year: int) -> QuerySet[Any]:
    return Output.objects.filter(alliance=alliance, task__year=year, archived_at__isnull=True)


@dataclass
class Figure:
    label: str
    value: int
    url: str


@dataclass
class DomainRow:
    domain: Domain
    planned: Figure
    done: Figure
    overdue: Figure
    outputs: Figure


@dataclass
class Dashboard:
    alliance: Alliance
    year: int
    totals: list[Figure]
    domains: list[DomainRow]
    by_kind: list[Figure]
    by_member: list[Figure]
    agreements: list[Figure]
    charts: dict[str, Chart] = field(default_factory=dict)


def dashboard(alliance: Alliance, year: int) -> Dashboard:
    """The alliance's figures for ``year``: a fixed number of queries whatever the alliance's size."""
    today = timezone.localdate()
    tasks = tasks_of_year(alliance, year)
    per_domain = {
        row["domain"]: row
        for row in tasks.values("domain").annotate(
            planned=Count("pk", filter=~Q(status=TaskStatus.CANCELLED)),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("pk", filter=Q(status__in=OPEN_TASK, due_on__lt=today)),
        )
    }
    outputs = outputs_of_year(alliance, year)
    outputs_per_domain = dict(outputs.values_list("task__domain").annotate(n=Count("pk")))
    domains = list(Domain.objects.filter(alliance=alliance, archived_at__isnull=True))
    rows = []
    for domain in domains:
        counts = per_domain.get(domain.pk, {})
        rows.append(
            DomainRow(
                domain,
                Figure(
                    _("计划"),
                    counts.get("planned", 0),
                    _url("alliance:tasks", alliance, year=year, domain=domain.pk, state="planned"),
                ),
                Figure(
                    _("完成"),
                    counts.get("done", 0),
                    _url("alliance:tasks", alliance, year=year, domain=domain.pk, state="done"),
                ),
                Figure(
                    _("逾期"),
                    counts.get("overdue", 0),
                    _url("alliance:tasks", alliance, year=year, domain=domain.pk, state="overdue"),
                ),
                Figure(
                    _("成果"),
                    outputs_per_domain.get(domain.pk, 0),
                    _url("alliance:outputs", alliance, year=year, domain=domain.pk),
                ),
            )
        )
    total = tasks.aggregate(
        planned=Count("pk", filter=~Q(status=TaskStatus.CANCELLED)),
        done=Count("pk", filter=Q(status=TaskStatus.DONE)),
        overdue=Count("pk", filter=Q(status__in=OPEN_TASK, due_on__lt=today)),
    )
    kinds = dict(outputs.values_list("kind").annotate(n=Count("pk")))
    by_kind = [
        Figure(kind_label(key), kinds.get(key, 0), _url("alliance:outputs", alliance, year=year, kind=key))
        for key in [*LINK_KINDS, DECLARED]
    ]
    members = (
        outputs.values("member", "member__organisation__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "member__organisation__name")
    )
    by_member = [
        Figure(
            row["member__organisation__name"],
            row["n"],
            _url("alliance:outputs", alliance, year=year, member=row["member"]),
        )
        for row in members
    ]
    signed = Agreement.objects.filter(alliance=alliance, signed_on__year=year, archived_at__isnull=True)
    obligations = Obligation.objects.filter(agreement__in=signed)
    ob = obligations.aggregate(
        total=Count("pk"),
        delivered=Count("pk", filter=Q(status=ObligationStatus.DELIVERED)),
        overdue=Count("pk", filter=Q(status=ObligationStatus.OVERDUE)),
    )
    agreements = [
        Figure(_("签约协议"), signed.count(), _url("alliance:agreements", alliance, year=year)),
        Figure(_("协议义务"), ob["total"], _url("alliance:obligations", alliance, year=year)),
        Figure(
            _("已交付"),
            ob["delivered"],
            _url("alliance:obligations", alliance, year=year, status="delivered"),
        ),
        Figure(
            _("已逾期"), ob["overdue"], _url("alliance:obligations", alliance, year=year, status="overdue")
        ),
    ]
    totals = [
        Figure(_("计划任务"), total["planned"], _url("alliance:tasks", alliance, year=year, state="planned")),
        Figure(_("已完成"), total["done"], _url("alliance:tasks", alliance, year=year, state="done")),
        Figure(_("逾期任务"), total["overdue"], _url("alliance:tasks", alliance, year=year, state="overdue")),
        Figure(_("成果"), sum(kinds.values()), _url("alliance:outputs", alliance, year=year)),
    ]
    board = Dashboard(alliance, year, totals, rows, by_kind, by_member, agreements)
    board.charts = {
        "domains": Chart(
            key="domains",
            title=_("各领域任务"),
            kind="bar",
            categories=[r.domain.name for r in rows],
            series=[
                Series(_("计划"), [r.planned.value for r in rows]),
                Series(_("完成"), [r.done.value for r in rows]),
                Series(_("逾期"), [r.overdue.value for r in rows]),
            ],
            unit=_("项"),
            links=[r.planned.url for r in rows],
        ),
        "kinds": Chart(
            key="kinds",
            title=_("成果类型"),
            kind="pie",
            categories=[f.label for f in by_kind],
            series=[Series(_("成果"), [f.value for f in by_kind])],
            unit=_("项"),
            links=[f.url for f in by_kind],
        ),
        "members": Chart(
            key="members",
            title=_("各成员单位成果"),
            kind="bar",
            categories=[f.label for f in by_member],
            series=[Series(_("成果"), [f.value for f in by_member])],
            unit=_("项"),
            links=[f.url for f in by_member],
        ),
        "agreements": Chart(
            key="agreements",
            title=_("战略合作协议履约"),
            kind="bar",
            categories=[f.label for f in agreements],
            series=[Series(_("数量"), [f.value for f in agreements])],
            unit=_("项"),
            links=[f.url for f in agreements],
        ),
    }
    return board


def public_summary(alliance: Alliance) -> dict[str, Any]:
    """What the public page shows: members, domains, and the non-confidential results counted by kind."""
    outputs = Output.objects.public().filter(alliance=alliance, task__domain__archived_at__isnull=True)
    kinds = dict(outputs.values_list("kind").annotate(n=Count("pk")))
    return {
        "members": list(Member.objects.current().filter(alliance=alliance).select_related("organisation")),
        "domains": list(
            Domain.objects.filter(alliance=alliance, archived_at__isnull=True)
            .select_related("lead__organisation")
            .annotate(
                done=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE), distinct=True),
                results=Count(
                    "tasks__outputs",
                    filter=Q(tasks__outputs__confidential=False, tasks__outputs__archived_at__isnull=True),
                    distinct=True,
                ),
            )
        ),
        "by_kind": [(kind_label(k), kinds[k]) for k in [*LINK_KINDS, DECLARED] if kinds.get(k)],
        "declared": list(outputs.filter(kind=DECLARED).select_related("member__organisation", "task")[:50]),
        "agreements": list(
            Agreement.objects.filter(
                alliance=alliance, confidential=False, archived_at__isnull=True
            ).prefetch_related("parties")
        ),
    }


def member_next_step(member: Member) -> NextStep | None:
    from jingxiang.alliance.models import MemberStatus

    if member.status == MemberStatus.PENDING:
        return NextStep(_("等待秘书处审核入盟申请"), actor=_("联盟秘书处"), tone="waiting")
    if member.status == MemberStatus.LEAVING:
        open_tasks = Task.objects.filter(owner=member, status__in=OPEN_TASK).count()
        if open_tasks:
            return NextStep(
                _("秘书处先改派该单位负责的 %(n)s 项未完成任务,再批准退盟") % {"n": open_tasks},
                actor=_("联盟秘书处"),
                tone="waiting",
            )
        return NextStep(_("等待秘书处批准退盟"), actor=_("联盟秘书处"), tone="waiting")
    return None
