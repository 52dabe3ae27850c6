from django.urls import path

from jingxiang.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_read, name="notifications_read"),
    path("reveal/", views.reveal, name="reveal"),
    path("health/", views.health, name="health"),
    path("search/", views.search, name="search"),
    path("pick/<str:source>/", views.picker, name="picker"),
    path("verify/<slug:kind>/<str:code>/", views.verify, name="verify"),
]
