"""Admin views of the marketplace (read-mostly; writes go through the services)."""

from django.contrib import admin

from jingxiang.services.models import ProviderStaff, Service, VoucherProgramme


@admin.register(ProviderStaff)
class ProviderStaffAdmin(admin.ModelAdmin[ProviderStaff]):
    list_display = ("user", "provider", "active")


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin[Service]):
    list_display = ("title", "provider", "category", "price", "status")


@admin.register(VoucherProgramme)
class VoucherProgrammeAdmin(admin.ModelAdmin[VoucherProgramme]):
    list_display = ("name", "share", "budget", "committed", "paid", "valid_from", "valid_to")
    readonly_fields = ("committed", "paid")
