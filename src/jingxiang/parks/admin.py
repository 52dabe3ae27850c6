"""Admin views of the parks (writes go through the services)."""

from django.contrib import admin

from jingxiang.parks.models import ParkManager, Site


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin[Site]):
    list_display = ("name", "kind", "address")


@admin.register(ParkManager)
class ParkManagerAdmin(admin.ModelAdmin[ParkManager]):
    list_display = ("user", "site", "active")
