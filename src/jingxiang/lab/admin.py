from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jingxiang.lab.models import (
    BrandAuthorisation,
    CustodyEvent,
    FieldTest,
    Instrument,
    LabProfile,
    ProductLine,
    Report,
    RuleConfirmation,
    RulesFile,
    Sample,
    TestRequest,
)


class NoDeleteAdmin(admin.ModelAdmin[Any]):
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # archive instead: reports and custody records are evidence


@admin.register(LabProfile)
class LabProfileAdmin(NoDeleteAdmin):
    list_display = ["lab", "code_prefix", "accreditation"]
    raw_id_fields = ["lab"]


@admin.register(Instrument)
class InstrumentAdmin(NoDeleteAdmin):
    list_display = ["name", "serial", "lab", "calibration_due", "archived_at"]
    list_filter = ["lab"]
    search_fields = ["name", "serial"]


@admin.register(RulesFile)
class RulesFileAdmin(NoDeleteAdmin):
    list_display = ["designation", "series", "filename", "uploaded_by", "created_at", "archived_at"]
    readonly_fields = ["designation", "series", "filename", "text", "uploaded_by"]


@admin.register(ProductLine)
class ProductLineAdmin(NoDeleteAdmin):
    list_display = ["name", "firm", "product_type", "archived_at"]
    list_filter = ["product_type"]
    search_fields = ["name"]
    raw_id_fields = ["firm"]


@admin.register(TestRequest)
class TestRequestAdmin(NoDeleteAdmin):
    list_display = ["number", "firm", "lab", "product_type", "status", "created_at"]
    list_filter = ["status", "product_type"]
    search_fields = ["number", "product_name"]
    raw_id_fields = ["firm", "lab", "product_line", "requested_by"]


class CustodyInline(admin.TabularInline[CustodyEvent, Sample]):
    model = CustodyEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "at", "location", "note"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # append-only through the service


@admin.register(Sample)
class SampleAdmin(NoDeleteAdmin):
    list_display = ["code", "request", "status", "custody_state", "overall"]
    list_filter = ["status", "custody_state"]
    search_fields = ["code"]
    readonly_fields = ["code", "verdict", "overall", "entered_by", "entered_at"]
    raw_id_fields = ["request", "registered_by", "technician", "instrument"]
    inlines = [CustodyInline]


@admin.register(Report)
class ReportAdmin(NoDeleteAdmin):
    list_display = ["number", "version", "status", "overall", "firm", "lab", "issued_at"]
    list_filter = ["status", "overall", "product_type"]
    search_fields = ["number", "verify_code"]
    readonly_fields = [f.name for f in Report._meta.fields]


@admin.register(BrandAuthorisation)
class BrandAuthorisationAdmin(NoDeleteAdmin):
    list_display = ["number", "firm", "product_line", "status", "valid_until"]
    list_filter = ["status"]
    readonly_fields = ["number", "verify_code", "suspended_by_report", "suspended_at"]
    raw_id_fields = ["firm", "product_line", "applied_by", "reviewed_by"]


@admin.register(FieldTest)
class FieldTestAdmin(NoDeleteAdmin):
    list_display = ["product_line", "site", "altitude_m", "test_date", "rating"]
    raw_id_fields = ["product_line", "recorded_by"]


@admin.register(RuleConfirmation)
class RuleConfirmationAdmin(NoDeleteAdmin):
    list_display = ["designation", "rule_id", "confirmed_by", "created_at", "archived_at"]
    readonly_fields = ["designation", "rule_id", "confirmed_by"]
