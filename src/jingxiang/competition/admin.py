from django.contrib import admin

from jingxiang.competition.models import Edition, Entry, Organiser, Track


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin[Edition]):
    list_display = ("name", "year", "slug", "registration_opens", "registration_closes")


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin[Track]):
    list_display = ("name", "edition", "code", "active")


@admin.register(Organiser)
class OrganiserAdmin(admin.ModelAdmin[Organiser]):
    list_display = ("user", "edition", "active")


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin[Entry]):
    list_display = ("number", "title", "team_name", "edition", "status")
