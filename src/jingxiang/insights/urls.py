from django.urls import path

from jingxiang.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("i/<str:code>/", views.indicator_detail, name="indicator"),
    path("i/<str:code>/records/", views.indicator_records, name="records"),
    path("snapshots/", views.snapshots, name="snapshots"),
    path("targets/", views.targets, name="targets"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report_download, name="report"),
    path("open-data/", views.open_data, name="open_data"),
]
