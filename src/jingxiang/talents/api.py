from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from rest_framework import serializers, viewsets

from jingxiang.talents.filters import TalentFilter
from jingxiang.talents.models import Skill, SkillDomain, Talent, TalentSkill


class SkillSerializer(serializers.ModelSerializer[Skill]):
    domain: serializers.SlugRelatedField[SkillDomain] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Skill
        fields = ["id", "code", "name_zh", "name_en", "aliases", "domain", "is_active"]


class TalentSkillSerializer(serializers.ModelSerializer[TalentSkill]):
    code = serializers.CharField(source="skill.code")
    name = serializers.CharField(source="skill.name_zh")

    class Meta:
        model = TalentSkill
        fields = ["code", "name", "level"]


class TalentSerializer(serializers.ModelSerializer[Talent]):
    mobile = serializers.CharField(source="masked_mobile")
    skills = TalentSkillSerializer(source="talent_skills", many=True)
    home_organisation = serializers.CharField(source="home_organisation.name", default=None)

    class Meta:
        model = Talent
        fields = [
            "id",
            "name",
            "kind",
            "title",
            "level",
            "home_organisation",
            "region",
            "mobile",
            "description",
            "hourly_rate",
            "monthly_hours",
            "shares_talent",
            "think_tank",
            "skills",
        ]


class TalentViewSet(viewsets.ReadOnlyModelViewSet[Talent]):
    """Talent profiles the caller may see; personal numbers are always masked here."""

    serializer_class = TalentSerializer
    filterset_class = TalentFilter

    def get_queryset(self) -> QuerySet[Talent]:
        return (
            Talent.objects.visible_to(self.request.user)
            .select_related("home_organisation")
            .prefetch_related(Prefetch("talent_skills", queryset=TalentSkill.objects.select_related("skill")))
            .order_by("name", "pk")
        )


class SkillViewSet(viewsets.ReadOnlyModelViewSet[Skill]):
    serializer_class = SkillSerializer
    queryset = Skill.objects.select_related("domain").order_by("code")
