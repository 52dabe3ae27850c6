from __future__ import annotations

import django_filters
from django.forms import HiddenInput
from django.utils.translation import gettext_lazy as _

from jingxiang.core.filters import FilterSet, YesNoFilter
from jingxiang.talents.models import Skill, SkillDomain, Talent, TalentKind, TalentQuerySet


class TalentFilter(FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_search")
    kind = django_filters.ChoiceFilter(
        label=_("人才类别"), choices=TalentKind.choices, empty_label=_("全部类别")
    )
    domain = django_filters.ModelChoiceFilter(
        label=_("技能领域"),
        queryset=SkillDomain.objects.all(),
        field_name="skills__domain",
        distinct=True,
        empty_label=_("全部领域"),
    )
    skill = django_filters.ModelChoiceFilter(
        label=_("技能"),
        queryset=Skill.objects.filter(is_active=True),
        field_name="skills",
        distinct=True,
        empty_label=_("全部技能"),
    )
    org = django_filters.NumberFilter(
        label=_("所在单位编号"), field_name="home_organisation_id", widget=HiddenInput
    )
    region = django_filters.CharFilter(label=_("区域"), lookup_expr="icontains")
    shares_talent = YesNoFilter(label=_("参与互聘共享"))
    available = YesNoFilter(label=_("有空余时间"), method="filter_available")

    class Meta:
        model = Talent
        fields = ["q", "kind", "domain", "skill", "org", "region", "shares_talent"]

    def filter_search(self, queryset: TalentQuerySet, name: str, value: str) -> TalentQuerySet:
        return queryset.search(value)

    def filter_available(self, queryset: TalentQuerySet, name: str, value: bool | None) -> TalentQuerySet:
        if value is None:
            return queryset
        return queryset.filter(monthly_hours__gt=0) if value else queryset.filter(monthly_hours=0)
