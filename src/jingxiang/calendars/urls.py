from django.urls import path

from jingxiang.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("calendar.ics", views.calendar_download, name="download"),
    path("feed/issue/", views.feed_issue, name="feed_issue"),
    path("feed/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
