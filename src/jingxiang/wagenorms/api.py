"""Wage reports through the API: POST a firm's rows (checked whole like an Excel file, stored only if every
row is good), GET the caller's lines (figures masked: the API never reveals a wage).

Register in config/urls.py: ``router.register("wagenorms/lines", WageLineViewSet, basename="wagenorms-line")``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from jingxiang.organisations.permissions import managed_firm_ids
from jingxiang.wagenorms.checking import check_firm_rows
from jingxiang.wagenorms.filters import LineFilter
from jingxiang.wagenorms.models import WageLine
from jingxiang.wagenorms.services import report_save

MAX_ROWS = 20_000


class WageLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    firm = serializers.CharField(source="firm.name")
    month = serializers.DateField(format="%Y-%m")

    class Meta:
        model = WageLine
        fields = [
            "id",
            "report",
            "firm",
            "row",
            "worker_id",
            "month",
            "post",
            "level",
            "norm",
            "status",
            "failures",
        ]


class ReportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    firm = serializers.IntegerField()
    rows = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)),
        max_length=MAX_ROWS,
        allow_empty=False,
    )


class WageLineViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    serializer_class = WageLineSerializer
    filterset_class = LineFilter

    def get_queryset(self) -> Any:
        return WageLine.objects.visible_to(self.request.user).select_related("firm").order_by("-month", "row")

    def create(self, request: Request) -> Response:
        incoming = ReportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        firm_id = incoming.validated_data["firm"]
        if firm_id not in managed_firm_ids(request.user):
            return Response({"firm": ["not a firm you manage"]}, status=status.HTTP_403_FORBIDDEN)
        rows = [(number, values) for number, values in enumerate(incoming.validated_data["rows"], start=1)]
        checked, problems = check_firm_rows(firm_id, rows)
        if problems:
            errors = [{"row": p.row, "column": p.column, "message": p.message} for p in problems]
            return Response({"ok": False, "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        with transaction.atomic():
            report = report_save(actor=request.user, firm_id=firm_id, source="api", checked=checked)
        return Response(
            {"ok": True, "report": report.pk, "rows": report.rows, "failed": report.failed},
            status=status.HTTP_201_CREATED,
        )
