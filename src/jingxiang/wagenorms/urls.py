from django.urls import path

from jingxiang.wagenorms import views

app_name = "wagenorms"
urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/round/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/confirm/", views.round_confirm, name="round_confirm"),
    path("agreements/<int:pk>/version/", views.version_create, name="version_create"),
    path("agreements/<int:pk>/compare/", views.version_compare, name="compare"),
    path("agreements/<int:pk>/vote/", views.vote_create, name="vote_create"),
    path("agreements/<int:pk>/file/", views.filing_create, name="filing_create"),
    path("agreements/<int:pk>/review/", views.review_create, name="review_create"),
    path("reports/", views.report_list, name="reports"),
    path("reports/upload/", views.report_upload, name="upload"),
    path("reports/template/", views.report_template, name="template"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("lines/", views.line_list, name="lines"),
    path("lines/<int:pk>/follow-up/", views.line_follow_up, name="follow_up"),
    path("compliance/", views.compliance, name="compliance"),
    path("statistics/", views.statistics, name="statistics"),
    path("check/", views.self_check, name="self_check"),
    path("me/", views.my_months, name="me"),
]
