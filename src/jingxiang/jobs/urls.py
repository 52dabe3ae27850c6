from django.urls import path

from jingxiang.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/output/", views.job_output, name="output"),
    path("import/<slug:spec_name>/", views.import_start, name="import"),
    path("import/<slug:spec_name>/template/", views.import_template, name="import_template"),
]
