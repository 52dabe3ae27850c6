from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jingxiang.conversations.models import Thread
from jingxiang.conversations.registry import kinds
from jingxiang.core.filters import FilterSet, YesNoFilter


def kind_choices() -> list[tuple[str, str]]:
    return [(k.key, str(k.label)) for k in kinds()]


class InboxFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), field_name="title", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=kind_choices, empty_label=_("全部类别"))
    unread = YesNoFilter(label=_("有未读"), method="filter_unread")

    class Meta:
        model = Thread
        fields = ["q", "kind", "unread"]

    def filter_unread(self, queryset: QuerySet[Thread], name: str, value: bool | None) -> QuerySet[Thread]:
        if value is None:
            return queryset
        return queryset.filter(Q(unread__gt=0) if value else Q(unread=0))
