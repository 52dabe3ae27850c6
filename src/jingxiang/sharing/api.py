"""Read-only integration API: agreements, bookings and statements the caller may see.

Register in ``config/urls.py`` with ``router.register("sharing/agreements", AgreementViewSet, basename=
"sharing-agreement")`` and likewise for bookings and statements. Writes stay in the web flows, where
signing and issuing are confirmed by a person.
"""

from __future__ import annotations

from rest_framework import serializers, viewsets

from jingxiang.sharing.filters import AgreementFilter, BookingFilter, StatementFilter
from jingxiang.sharing.models import Agreement, Booking, Statement


class AgreementSerializer(serializers.ModelSerializer):
    talent = serializers.CharField(source="talent.name")
    host = serializers.CharField(source="host.name")
    home = serializers.CharField(source="home.name", default=None)
    signed_parties = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "number",
            "version",
            "kind",
            "status",
            "talent",
            "host",
            "home",
            "period_start",
            "period_end",
            "monthly_hour_cap",
            "hourly_rate",
            "mode",
            "text_sha256",
            "activated_at",
            "signed_parties",
        ]

    def get_signed_parties(self, agreement: Agreement) -> list[str]:
        return [signature.party for signature in agreement.signatures.all()]


class BookingSerializer(serializers.ModelSerializer):
    talent = serializers.CharField(source="talent.name")
    host = serializers.CharField(source="agreement.host.name")
    agreement = serializers.CharField(source="agreement.number")

    class Meta:
        model = Booking
        fields = ["id", "agreement", "talent", "host", "starts_at", "ends_at", "hours", "status"]


class StatementSerializer(serializers.ModelSerializer):
    host = serializers.CharField(source="host.name")
    talent = serializers.CharField(source="talent.name")

    class Meta:
        model = Statement
        fields = [
            "id",
            "number",
            "month",
            "status",
            "host",
            "talent",
            "payee",
            "hours",
            "gross",
            "subsidy",
            "host_pays",
            "issued_at",
        ]


class AgreementViewSet(viewsets.ReadOnlyModelViewSet):
    """Agreements of the caller's firm, of its own people lent out, or of the caller as a talent."""

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return (
            Agreement.objects.visible_to(self.request.user)
            .select_related("talent", "host", "home")
            .prefetch_related("signatures")
            .order_by("-created_at", "-pk")
        )


class BookingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BookingSerializer
    filterset_class = BookingFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return (
            Booking.objects.visible_to(self.request.user)
            .select_related("talent", "agreement__host")
            .order_by("-starts_at", "-pk")
        )


class StatementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StatementSerializer
    filterset_class = StatementFilter

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return (
            Statement.objects.visible_to(self.request.user)
            .select_related("host", "talent")
            .order_by("-month", "-pk")
        )
