"""Admin views of the fairs (writes go through the services)."""

from django.contrib import admin

from jingxiang.fairs.models import Booth, Fair, Hall


@admin.register(Fair)
class FairAdmin(admin.ModelAdmin[Fair]):
    list_display = ("code", "title", "starts_on", "status")


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin[Hall]):
    list_display = ("fair", "code", "name")


@admin.register(Booth)
class BoothAdmin(admin.ModelAdmin[Booth]):
    list_display = ("fair", "code", "hall", "state")
