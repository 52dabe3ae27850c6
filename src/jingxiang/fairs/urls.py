from django.urls import path

from jingxiang.fairs import views

app_name = "fairs"
urlpatterns = [
    path("", views.fair_list, name="list"),
    path("new/", views.fair_create, name="create"),
    path("<int:pk>/", views.fair_detail, name="detail"),
    path("<int:pk>/open/", views.fair_open, name="open"),
    path("<int:pk>/close/", views.fair_close, name="close"),
    path("<int:pk>/halls/new/", views.hall_add, name="hall_add"),
    path("<int:pk>/booths/import/", views.booth_import, name="booth_import"),
    path("<int:pk>/booths/template/", views.booth_template, name="booth_template"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/applications/", views.application_list, name="applications"),
    path("<int:pk>/allocate/", views.allocation_start, name="allocate"),
    path("<int:pk>/register/", views.buyer_register, name="register"),
    path("<int:pk>/buyers/", views.buyer_list, name="buyers"),
    path("<int:pk>/exhibitors/", views.exhibitor_list, name="exhibitors"),
    path("<int:pk>/meetings/", views.meetings, name="meetings"),
    path("halls/<int:pk>/", views.hall_map, name="hall"),
    path("halls/<int:pk>/booths/new/", views.booth_add, name="booth_add"),
    path("booths/<int:pk>/", views.booth_detail, name="booth"),
    path("booths/<int:pk>/state/", views.booth_state, name="booth_state"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/allocate/", views.application_allocate, name="application_allocate"),
    path("applications/<int:pk>/release/", views.application_release, name="application_release"),
    path("applications/<int:pk>/reject/", views.application_reject, name="application_reject"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/meet/", views.meeting_request, name="meeting_request"),
    path("applications/<int:pk>/leads/", views.lead_desk, name="leads"),
    path("applications/<int:pk>/report/", views.report, name="report"),
    path("applications/<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("applications/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("badges/<str:code>/", views.badge, name="badge"),
    path("badges/<str:code>/badge.pdf", views.badge_pdf, name="badge_pdf"),
]
