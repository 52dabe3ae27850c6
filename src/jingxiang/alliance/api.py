"""Read-only integration API: the alliances, tasks and agreement obligations the caller may see.

Registered in ``config/urls.py`` as ``alliance/alliances``, ``alliance/tasks`` and
``alliance/obligations``. Writes stay in the web flows, where the secretariat reviews them.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets

from jingxiang.alliance.filters import ObligationFilter, TaskFilter
from jingxiang.alliance.models import Agreement, Alliance, Obligation, Task


class AllianceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    secretariat = serializers.CharField(source="secretariat.name")

    class Meta:
        model = Alliance
        fields = ["id", "name", "short_name", "kind", "secretariat", "founded_on", "is_public"]


class TaskSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    alliance = serializers.IntegerField(source="domain.alliance_id")
    domain = serializers.CharField(source="domain.name")
    owner = serializers.CharField(source="owner.organisation.name")
    overdue = serializers.BooleanField(source="is_overdue")

    class Meta:
        model = Task
        fields = [
            "id",
            "alliance",
            "domain",
            "year",
            "title",
            "owner",
            "due_on",
            "expected_output",
            "status",
            "overdue",
        ]


class ObligationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    agreement = serializers.CharField(source="agreement.number")
    party = serializers.CharField(source="party.name")

    class Meta:
        model = Obligation
        fields = ["id", "agreement", "party", "description", "target", "achieved", "unit", "due_on", "status"]


class AllianceViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = AllianceSerializer

    def get_queryset(self) -> Any:
        return Alliance.objects.visible_to(self.request.user).select_related("secretariat").order_by("pk")


class TaskViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = TaskSerializer
    filterset_class = TaskFilter

    def get_queryset(self) -> Any:
        return (
            Task.objects.filter(domain__alliance__in=Alliance.objects.visible_to(self.request.user))
            .select_related("domain", "owner__organisation")
            .order_by("due_on", "pk")
        )


class ObligationViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = ObligationSerializer
    filterset_class = ObligationFilter

    def get_queryset(self) -> Any:
        return (
            Obligation.objects.filter(agreement__in=Agreement.objects.visible_to(self.request.user))
            .select_related("agreement", "party")
            .order_by("due_on", "pk")
        )
