from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from jingxiang.identifiers import mask_mobile
from jingxiang.organisations.filters import OrganisationFilter
from jingxiang.organisations.models import Organisation


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    contact_mobile = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "uscc",
            "address",
            "region",
            "size",
            "employee_count",
            "main_products",
            "founded_year",
            "description",
            "contact_name",
            "contact_mobile",
            "is_alliance_member",
            "status",
        ]

    def get_contact_mobile(self, obj: Organisation) -> str:
        return mask_mobile(obj.contact_mobile)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet[Organisation]):
    """Organisations the caller may see (the same rules as the web directory)."""

    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter

    def get_queryset(self) -> QuerySet[Organisation]:
        return Organisation.objects.visible_to(self.request.user).order_by("name")
